"""Two versions of the code consolidating the same returns, a run of each in turn: is a change faster, or slower?

On a shared machine whose speed swings within minutes, two series run one
after the other compare the machine's moods, not the code. Here a checkout
of the earlier code (``git worktree add /tmp/before REF``) and this one take
turns, each run a fresh process of ``bench_consolidate.py --child`` from its
own checkout on the same returns, each with its own floor measured right
after it; the medians and summed ratios of the two are then comparable. Run
``python bench/bench_interleaved.py --before /tmp/before --sizes 9 100 500``;
the numbers go into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
from pathlib import Path

from bench_consolidate import ROOT, one_run  # puts this checkout first on the path
from distinct_directorates import council_catalogue, write_bench_inputs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="a checkout of the earlier code")
    parser.add_argument("--sizes", type=int, nargs="*", default=(9, 100, 500))
    parser.add_argument("--pairs", type=int, default=3)
    arguments = parser.parse_args()
    council = council_catalogue()
    print(f"load average {os.getloadavg()[0]:.1f} at the start")
    print("| returns | before: ratio, each run | after: ratio, each run | before: median, summed | after: median, "
          "summed | peak RSS, before → after |")
    print("|---:|---|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as scratch:
        for size in arguments.sizes:
            returns, catalogue_json = write_bench_inputs(council, size, Path(scratch))
            runs: dict[str, list[dict[str, float]]] = {"before": [], "after": []}
            for _ in range(arguments.pairs):
                for name, checkout in (("before", arguments.before.resolve()), ("after", ROOT)):
                    runs[name].append(one_run(returns, catalogue_json, Path(scratch) / f"Corporate {name}.xlsx",
                                              checkout))
            cells = []
            for name in ("before", "after"):
                ratios = [run["consolidate"] / run["floor"] for run in runs[name]]
                cells.append(", ".join(f"{ratio:.2f}" for ratio in ratios))
            for name in ("before", "after"):
                ratios = [run["consolidate"] / run["floor"] for run in runs[name]]
                summed = sum(run["consolidate"] for run in runs[name]) / sum(run["floor"] for run in runs[name])
                cells.append(f"{statistics.median(ratios):.2f}×, {summed:.2f}×")
            peaks = [statistics.median(run["peak_mb"] for run in runs[name]) for name in ("before", "after")]
            print(f"| {size} ({arguments.pairs} pairs) | {' | '.join(cells)} | {peaks[0]:.0f} → {peaks[1]:.0f} MB |",
                  flush=True)
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
