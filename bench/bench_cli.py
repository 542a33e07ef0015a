"""How fast the ``pmf`` command answers at a terminal: a cold start of ``pmf rag``, ``dot`` and ``status``.

Goal (issue 16): <= 0.2 s from a cold process to the answer, which needs
the command to load the engine alone (no consolidation, numpy, xlsxwriter or
pandas). Each run is a new Python process, as a person typing the command
starts one; the bare interpreter's start-up is shown beside it. Beside the
wall-clock time, the CPU time the process used: on a machine busy with other
work the wall clock waits for a core, and the CPU time is what a quiet machine
would take. Run ``python bench/bench_cli.py``; the numbers go into
docs/benchmarks.md by hand.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time

RUNS = 20
COMMANDS = {
    "pmf rag": ["rag", "77%", "<70%", "70.1%-75%", "Smaller is better"],
    "pmf dot": ["dot", "1 min 27 secs", "1 min 9 secs", "Smaller is better"],
    "pmf status": ["status", "Medium Issue/Slippage"],
}
HEAVY = ("numpy", "pandas", "pyarrow", "xlsxwriter", "python_calamine", "openpyxl", "xlwings")


def seconds(argv: list[str]) -> tuple[float, float, float]:
    """The median and the best wall-clock time of a new process running ``argv``, and its median CPU time."""
    times, cpu = [], []
    for _ in range(RUNS):
        before = os.times()
        start = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
        after = os.times()  # a child's CPU time (0 on Windows, which does not count it)
        cpu.append(after.children_user + after.children_system - before.children_user - before.children_system)
    return statistics.median(times), min(times), statistics.median(cpu)


def loaded(args: list[str]) -> list[str]:
    """The heavy libraries a command imports (none, for the engine's commands)."""
    probe = ("import sys; from pmf_excel.cli import main; main(sys.argv[1:]); "
             f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))")
    done = subprocess.run([sys.executable, "-c", probe, *args], check=True, capture_output=True, text=True)
    return done.stdout.strip().splitlines()[-1]


def main() -> None:
    print(f"{platform.python_implementation()} {platform.python_version()} on {platform.machine()}, "
          f"median and best of {RUNS} cold starts")
    median, best, cpu = seconds([sys.executable, "-c", "pass"])
    print(f"{'python (nothing)':<18} {median * 1000:6.0f} ms  (best {best * 1000:.0f} ms, CPU {cpu * 1000:.0f} ms)")
    for name, args in COMMANDS.items():
        median, best, cpu = seconds([sys.executable, "-m", "pmf_excel", *args])
        print(f"{name:<18} {median * 1000:6.0f} ms  (best {best * 1000:.0f} ms, CPU {cpu * 1000:.0f} ms)  "
              f"heavy libraries: {loaded(args)}")


if __name__ == "__main__":
    main()
