"""Consolidating N distinct directorates' filled returns, against the physical floor of the same work.

Goals (issue 18): for N = 9, 100 and 500 returns, consolidation within 2.0x
the floor measured in the same run; 500 returns in <= 6 s and <= 250 MB peak
RSS; the button workbook (.xlsm) within 1.2x the .xlsx. Run
``python bench/bench_consolidate.py`` (``--sizes 9 100`` for fewer); the
numbers go into docs/benchmarks.md.

The returns are the council's catalogue copied under renamed directorates
and refs (bench/distinct_directorates.py), so every return is accepted and
every measure judged: the run checks that the measures judged are the
catalogue's and that no return is refused. The floor is what no
consolidation can do without: reading the same files with python-calamine,
plus writing the report's cells (every sheet's values, as the consolidation
wrote them) with xlsxwriter in constant-memory mode, values only, no format.

Each consolidation runs in a fresh process (its peak RSS is its own, the
interpreter and libraries included), several times; the figures are medians,
the floor measured in the same process right after. The machine is shared,
so the load average is printed beside the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import xlsxwriter
from python_calamine import CalamineWorkbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from distinct_directorates import QUARTER, council_catalogue, write_bench_inputs  # noqa: E402

from pmf_excel.framework.catalogue import Catalogue  # noqa: E402

SIZES = (9, 50, 100, 250, 500)
#: Returns consolidated also into the button workbook, for the .xlsm against the .xlsx.
XLSM_SIZES = (9, 100)


def read_returns(folder: Path) -> None:
    """The floor's reading: every sheet of every return, as python-calamine gives it."""
    for path in sorted(folder.iterdir()):
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()


def write_values(cells: dict[str, list[list[object]]], path: Path) -> None:
    """The floor's writing: the report's cells, values only, with xlsxwriter in constant-memory mode."""
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "nan_inf_to_errors": True})
    for name, rows in cells.items():
        sheet = workbook.add_worksheet(name)
        for row, values in enumerate(rows):
            for col, value in enumerate(values):
                if value != "":
                    sheet.write(row, col, value)
    workbook.close()


def child(folder: Path, catalogue_json: Path, workbook: Path) -> dict[str, float]:
    """One consolidation in this fresh process, then the floor of the same work."""
    import filelock  # noqa: F401 - loaded on a consolidation's first use; loaded before the clock starts, as every
    # other library a consolidation uses is by importing it (and python-calamine and xlsxwriter are for the floor)

    from pmf_excel.pipelines.consolidate import consolidate

    catalogue = Catalogue.model_validate_json(catalogue_json.read_text(encoding="utf-8"))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start, cpu = time.perf_counter(), time.process_time()
    summary = consolidate(folder, workbook, catalogue, QUARTER)
    took, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    returns = len(list(folder.iterdir()))
    if summary.files_read != returns or summary.measures != len(catalogue.measures) or summary.errors:
        raise SystemExit(f"not every return judged: {summary.files_read} of {returns} files read, "
                         f"{summary.measures} of {len(catalogue.measures)} measures, {summary.errors} errors")
    report = CalamineWorkbook.from_path(str(workbook))
    cells = {name: report.get_sheet_by_name(name).to_python() for name in report.sheet_names}
    start, floor_cpu = time.perf_counter(), time.process_time()
    read_returns(folder)
    read = time.perf_counter() - start
    start = time.perf_counter()
    write_values(cells, workbook.with_name("floor.xlsx"))
    write = time.perf_counter() - start
    return {"consolidate": took, "cpu": cpu, "peak_mb": peak, "baseline_mb": before, "read": read,
            "write": write, "floor": read + write, "floor_cpu": time.process_time() - floor_cpu,
            "measures": summary.measures,
            "cells": sum(1 for rows in cells.values() for values in rows for value in values if value != "")}


def one_run(folder: Path, catalogue_json: Path, workbook: Path, checkout: Path = ROOT) -> dict[str, float]:
    """One consolidation into a new workbook (no History to read first) in a fresh process, by the code of
    ``checkout`` (this one, or an earlier one: its own package first on the path, whatever is installed),
    with its floor."""
    workbook.unlink(missing_ok=True)
    done = subprocess.run([sys.executable, str(checkout / "bench" / Path(__file__).name), "--child", str(folder),
                           str(catalogue_json), str(workbook)], capture_output=True, text=True, cwd=checkout,
                          check=False)
    if done.returncode:
        raise SystemExit(f"{checkout}: {done.stderr or done.stdout}")
    return json.loads(done.stdout.splitlines()[-1])


def run(folder: Path, catalogue_json: Path, workbook: Path, repeats: int) -> dict[str, float]:
    """Medians of ``repeats`` fresh processes."""
    runs = [one_run(folder, catalogue_json, workbook) for _ in range(repeats)]
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=SIZES)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--child", nargs=3, type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        print(json.dumps(child(*arguments.child)))
        return
    council = council_catalogue()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.python_implementation()} "
          f"{platform.python_version()}; load average {os.getloadavg()[0]:.1f} at the start")
    print("| returns | measures judged | report cells | consolidate | floor (read + write) | ratio | CPU: consolidate, "
          "floor, ratio | peak RSS |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    xlsm_lines = []
    with tempfile.TemporaryDirectory() as scratch:
        for size in arguments.sizes:
            folder, catalogue_json = write_bench_inputs(council, size, Path(scratch))
            figures = run(folder, catalogue_json, Path(scratch) / f"Corporate {size}.xlsx", arguments.repeats)
            print(f"| {size} | {figures['measures']:,.0f} | {figures['cells']:,.0f} | {figures['consolidate']:.2f} s | "
                  f"{figures['floor']:.2f} s ({figures['read']:.2f} + {figures['write']:.2f}) | "
                  f"{figures['consolidate'] / figures['floor']:.2f}x | {figures['cpu']:.2f} s, "
                  f"{figures['floor_cpu']:.2f} s, {figures['cpu'] / figures['floor_cpu']:.2f}x | "
                  f"{figures['peak_mb']:.0f} MB |", flush=True)
            if size in XLSM_SIZES:
                xlsm = run(folder, catalogue_json, Path(scratch) / f"Corporate {size}.xlsm", arguments.repeats)
                xlsm_lines.append(f"| {size} | {figures['consolidate']:.2f} s | {xlsm['consolidate']:.2f} s | "
                                  f"{xlsm['consolidate'] / figures['consolidate']:.2f}x |")
    if xlsm_lines:
        print("\n| returns | .xlsx | .xlsm | ratio |\n|---:|---:|---:|---:|")
        print("\n".join(xlsm_lines))
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
