"""Mutation testing of the rules engine: how many of mutmut's mutants of ``pmf_excel/rules/`` the engine's own tests
kill, per module.

Run from the project's folder (docs/mutation-testing.md says what it measures, how long it takes and the scores):

    python -m pip install -e ".[workbooks,dev,mutation]"
    python bench/mutation.py                      # mutate, test, and print the table
    python bench/mutation.py --retest "pmf_excel.rules.values*"   # after new tests: test these mutants again
    python bench/mutation.py --retest                              # after new tests: every mutant not killed
    python bench/mutation.py --report             # the table from the last run, with every surviving mutant

mutmut keeps its mutants and their results in ``mutants/`` (ignored by git) and, run again, tests only the mutants
of functions that changed; ``--retest`` names mutants to test again whatever their last result (new tests can kill a
survivor of an unchanged function). Its settings are ``[tool.mutmut]`` in pyproject.toml.

A mutant that no test can tell apart from the engine (it behaves the same for every input) is listed, with the
reason, in ``bench/mutation_equivalents.toml``: by its function and the line as the mutant writes it, so the list
still holds when other lines of the module move. Those do not count; a listed mutant that a test kills is reported,
as the list is then wrong.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENTS = ROOT / "bench" / "mutation_equivalents.toml"
GOAL = 0.95
KILLED = {"killed", "timeout", "segfault", "caught by type check"}


@dataclass(frozen=True)
class Mutant:
    key: str  # mutmut's name: pmf_excel.rules.values.x__classify__mutmut_12
    status: str
    diff: str

    @property
    def module(self) -> str:
        return self.key.split(".")[2]

    @property
    def function(self) -> str:
        """The function as written: ``_classify``, ``Value.cumulative`` (mutmut's ``x_`` and ``xǁClassǁ`` undone)."""
        mangled = self.key.split(".")[3].rpartition("__mutmut_")[0]
        if mangled.startswith("xǁ"):
            return ".".join(mangled[2:].split("ǁ"))
        return mangled.removeprefix("x_")

    @property
    def line(self) -> str:
        """The mutated line(s) as the mutant writes them, stripped, one per line."""
        added = [line[1:].strip() for line in self.diff.splitlines() if line.startswith("+") and not
                 line.startswith("+++")]
        return "\n".join(added)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--report", action="store_true", help="only print the table of the last run")
    parser.add_argument("--retest", nargs="*", metavar="PATTERN",
                        help="test these mutants again (mutmut names, *); with no name, every one not killed last run")
    parser.add_argument("--max-children", type=int, default=2, help="mutants tested at once (default 2)")
    parser.add_argument("--survivors", action="store_true", help="print every surviving mutant's diff")
    arguments = parser.parse_args()
    os.chdir(ROOT)
    if not arguments.report:
        retest = arguments.retest
        if retest == []:
            retest = [mutant.key for mutant in read_results() if mutant.status not in KILLED]
        command = ["mutmut", "run", "--max-children", str(arguments.max_children), *(retest or [])]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL if retest else None)
    mutants = read_results()
    equivalents = read_equivalents()
    print(table(mutants, equivalents))
    return report_survivors(mutants, equivalents, show=arguments.survivors or arguments.report)


def read_results() -> list[Mutant]:
    """Every mutant of the last run, with its status and diff, through mutmut's own reading of ``mutants/``."""
    from mutmut.__main__ import walk_mutatable_files
    from mutmut.mutation.data import SourceFileMutationData
    from mutmut.mutation.diff_apply import get_diff_for_mutant
    from mutmut.stats import status_by_exit_code

    mutants = []
    for path in walk_mutatable_files():
        data = SourceFileMutationData(path=path)
        data.load()
        for key, exit_code in sorted(data.exit_code_by_key.items()):
            status = status_by_exit_code[exit_code]
            mutants.append(Mutant(key=key, status=status, diff=get_diff_for_mutant(key, path=path)))
    return mutants


def read_equivalents() -> dict[tuple[str, str, str], str]:
    """(module, function, mutated line) → why no input tells the mutant from the engine."""
    listed = tomllib.loads(EQUIVALENTS.read_text(encoding="utf-8")).get("equivalent", [])
    return {(entry["module"], entry["function"], entry["mutant"].strip()): entry["reason"] for entry in listed}


def is_equivalent(mutant: Mutant, equivalents: dict[tuple[str, str, str], str]) -> bool:
    return (mutant.module, mutant.function, mutant.line) in equivalents


def table(mutants: list[Mutant], equivalents: dict[tuple[str, str, str], str]) -> str:
    """Per module: mutants, equivalent, killed, surviving, and the score (killed of the non-equivalent)."""
    rows = ["| module | mutants | equivalent | killed | survived | no test reaches it | score |",
            "|---|---:|---:|---:|---:|---:|---:|"]
    totals: Counter[str] = Counter()
    for module in sorted({mutant.module for mutant in mutants}):
        counts: Counter[str] = Counter()
        for mutant in (m for m in mutants if m.module == module):
            counts["mutants"] += 1
            if mutant.status not in KILLED and is_equivalent(mutant, equivalents):
                counts["equivalent"] += 1
            elif mutant.status in KILLED:
                counts["killed"] += 1
            elif mutant.status == "no tests":
                counts["no tests"] += 1
            else:
                counts["survived"] += 1
        totals.update(counts)
        rows.append(_row(module, counts))
    rows.append(_row("**engine**", totals))
    return "\n".join(rows)


def _row(name: str, counts: Counter[str]) -> str:
    counted = counts["mutants"] - counts["equivalent"]
    score = f"{counts['killed'] / counted:.2%}" if counted else "–"
    return (f"| {name} | {counts['mutants']} | {counts['equivalent']} | {counts['killed']} | {counts['survived']} | "
            f"{counts['no tests']} | {score} |")


def report_survivors(mutants: list[Mutant], equivalents: dict[tuple[str, str, str], str], show: bool) -> int:
    """Name what keeps a module under the goal; 1 when any module is under it or the equivalents list is wrong."""
    alive = [m for m in mutants if m.status not in KILLED and not is_equivalent(m, equivalents)]
    listed_but_killed = [m for m in mutants if m.status in KILLED and (m.module, m.function, m.line) in equivalents]
    if show:
        for mutant in alive:
            print(f"\n# {mutant.key}: {mutant.status}\n{mutant.diff}")
    for mutant in listed_but_killed:
        print(f"{mutant.key} is listed as equivalent in {EQUIVALENTS.name}, but a test kills it", file=sys.stderr)
    by_module = Counter(m.module for m in mutants if not is_equivalent(m, equivalents))
    under = sorted(module for module, count in Counter(m.module for m in alive).items()
                   if 1 - count / by_module[module] < GOAL)
    if under:
        print(f"\nUnder the goal of {GOAL:.0%}: {', '.join(under)} ({len(alive)} surviving mutants; "
              f"--survivors shows them)", file=sys.stderr)
    return 1 if under or listed_but_killed else 0


if __name__ == "__main__":
    sys.exit(main())
