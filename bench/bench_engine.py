"""How fast the rules engine judges rows: scalar on raw text, the many-rows path on raw text, and the vectorised
numeric path.

Goals: scalar ``rag()`` on varied raw text >= 150,000 calls/s (issue 18; 50,000 in issue 2); ``rag_many`` on
a realistic column of raw text (each figure typed many times, as a return's column is) >= 1,000,000 rows/s, with
the figure for a column whose every text is new beside it (issue 18); the numeric path >= 1,000,000 rows/s over
columns whose values and thresholds are already read (issue 2). Run ``python bench/bench_engine.py``; the numbers
go into docs/benchmarks.md by hand, with the machine they came from. Each figure is the median of several runs,
the best beside it.

The scalar run's texts are varied (some 37,000 distinct in 100,000 rows, the
value cache cleared before each repeat), so the figure includes reading
values from scratch; the definitions are cached, as they repeat in real
returns as here.
"""

from __future__ import annotations

import platform
import random
import statistics
import time

import numpy as np

from pmf_excel import rag, read_measure
from pmf_excel.rules.values import _read_text
from pmf_excel.rules.vectorised import dot_from_numbers, rag_from_limits, rag_many

DEFINITIONS = [  # target, tolerance, polarity as written in seed 004
    ("86%", "5%", "Bigger is better"),
    ("<70%", "70.1%-75%", "Smaller is better"),
    ("30 seconds", "5%", "Smaller is better"),
    ("170,625 (328,125 cumulative)", "5%", "Bigger is better"),
    ("900-1200", "<>10% of the range", "NA - dependent"),
    ("£740k Annual Surplus", "5%", "Bigger is better"),
    ("3.86 days", "5%", "Smaller is better"),
    ("95%", "92% (tolerance score)", "Bigger is better"),
]


def typed_performance(target: str, rng: random.Random) -> str:
    if "seconds" in target:
        return f"{rng.randint(0, 5)} mins {rng.randint(0, 59)} secs"
    if target.endswith("%"):
        return f"{rng.uniform(0, 100):.2f}%"
    if "£" in target:
        return f"£{rng.randint(1, 999)}k Annual {rng.choice(['Surplus', 'Deficit'])}"
    if "days" in target:
        return f"{rng.uniform(0, 9):.2f} days"
    return f"{rng.randint(0, 400_000):,}"


def timings(repeats: int, action, before=lambda: None) -> list[float]:
    times = []
    for _ in range(repeats):
        before()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def best_of(repeats: int, action) -> float:
    return min(timings(repeats, action))


def rates(rows: int, times: list[float]) -> tuple[float, float]:
    """Rows a second: the median run's and the best run's."""
    return rows / statistics.median(times), rows / min(times)


def bench_scalar(rows: int = 100_000) -> tuple[float, float]:
    rng = random.Random(2023)
    cases = []
    for _ in range(rows):
        target, tolerance, polarity = rng.choice(DEFINITIONS)
        cases.append((typed_performance(target, rng), target, tolerance, polarity))

    def run() -> None:
        for case in cases:
            rag(*case)

    # every repeat reads every performance text afresh
    return rates(rows, timings(5, run, before=_read_text.cache_clear))


def new_performance(target: str, row: int) -> str:
    """A figure in the target's unit that no other row has: the row's own number in it."""
    if "seconds" in target:
        return f"{row // 60} mins {row % 60} secs"
    if target.endswith("%"):
        return f"{row / 1000:.3f}%"
    if "£" in target:
        return f"£{row}k Annual Surplus"
    if "days" in target:
        return f"{row / 100:.2f} days"
    return f"{row:,}"


def text_column(rows: int, distinct: bool, rng: random.Random) -> list[list[str]]:
    """A column of raw text as a return's is: each row one of the definitions, its figure typed as text; either
    one of 60 figures per definition (a column repeats its figures) or every figure new."""
    typed = {definition: [typed_performance(definition[0], rng) for _ in range(60)] for definition in DEFINITIONS}
    column = []
    for row in range(rows):
        definition = rng.choice(DEFINITIONS)
        figure = new_performance(definition[0], row) if distinct else rng.choice(typed[definition])
        column.append([figure, *definition])
    cells = [list(cells) for cells in zip(*column)]
    assert not distinct or len(set(cells[0])) == rows, "a figure repeated in the column of new figures"
    return cells


def bench_rag_many_text(rows: int = 100_000) -> dict[str, tuple[float, float]]:
    """rag_many on raw text: each call reads its own column afresh (the value cache cleared before each)."""
    rng = random.Random(11)
    found = {}
    for name, distinct in (("repeated", False), ("distinct", True)):
        columns = text_column(rows, distinct, rng)
        found[name] = rates(rows, timings(5, lambda columns=columns: rag_many(*columns),
                                          before=_read_text.cache_clear))
    return found


def bench_numeric(rows: int = 1_000_000) -> tuple[float, float]:
    rng = np.random.default_rng(2023)
    limits = np.array([read_measure(*definition).limits for definition in DEFINITIONS])
    pick = rng.integers(0, len(DEFINITIONS), rows)
    columns = limits[pick].T
    values = rng.uniform(-1, 2_000, rows)
    values[rng.random(rows) < 0.05] = np.nan
    rag_rate = rows / best_of(5, lambda: rag_from_limits(values, *columns))
    previous = rng.uniform(-1, 2_000, rows)
    sign = rng.choice([-1, 0, 1], rows)
    dot_rate = rows / best_of(5, lambda: dot_from_numbers(values, previous, sign))
    return rag_rate, dot_rate


def bench_rag_many(rows: int = 10_000) -> float:
    rng = random.Random(7)
    cells = [rng.uniform(0, 1) for _ in range(rows)]
    return rows / best_of(5, lambda: rag_many(cells, "86%", "5%", "Bigger is better"))


def main() -> None:
    scalar = bench_scalar()
    text = bench_rag_many_text()
    rag_rate, dot_rate = bench_numeric()
    many = bench_rag_many()
    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}")
    print("| measure | rows/s (median) | best | goal |")
    print("|---|---:|---:|---:|")
    print(f"| scalar rag() on varied raw text, every value read afresh | {scalar[0]:,.0f} | {scalar[1]:,.0f} "
          "| 150,000 |")
    print(f"| rag_many on 100,000 rows of raw text, 60 figures a definition | {text['repeated'][0]:,.0f} | "
          f"{text['repeated'][1]:,.0f} | 1,000,000 |")
    print(f"| rag_many on 100,000 rows of raw text, every figure new | {text['distinct'][0]:,.0f} | "
          f"{text['distinct'][1]:,.0f} | - |")
    print(f"| rag_from_limits, numeric columns | {rag_rate:,.0f} | | 1,000,000 |")
    print(f"| dot_from_numbers, numeric columns | {dot_rate:,.0f} | | 1,000,000 |")
    print(f"| rag_many on 10,000 Excel numbers (one definition) | {many:,.0f} | | - |")


if __name__ == "__main__":
    main()
