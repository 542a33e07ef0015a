"""Consolidate end to end: 9 directorate returns (one council), and 500 returns, against merely reading them.

Goals (issue 5): 9 returns <= 2 s end to end, 500 returns <= 60 s, with the
ratio to reading the same files with python-calamine alone. Run
``python bench/bench_consolidate.py``; numbers go into docs/benchmarks.md.
The 500 are the council's 9 returns copied under other names: each copy is
read, checked and reported as a second return for its directorate, so the
figure covers reading and checking every file and writing the workbook.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from python_calamine import CalamineWorkbook

from pmf_excel.framework.catalogue import Catalogue
from pmf_excel.pipelines.consolidate import consolidate
from pmf_excel.samples.seed_reports import read_indicator_report
from pmf_excel.workbooks.directorate_return import write_returns
from pmf_excel.samples.sources import INDICATOR_REPORT

ROOT = Path(__file__).resolve().parent.parent
QUARTER = "2023/24 Q2"


def read_only(folder: Path) -> None:
    for path in folder.glob("*.xlsx"):
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    catalogue = Catalogue.model_validate_json((ROOT / "samples" / "catalogue_2023-24.json").read_text(encoding="utf-8"))
    figures = {row.ref: row for row in read_indicator_report(
        INDICATOR_REPORT)}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "returns"
        originals = write_returns(catalogue, QUARTER, folder, figures=figures, filled=True)
        nine = min(timed(lambda: consolidate(folder, Path(scratch) / "Corporate.xlsx", catalogue, QUARTER))
                   for _ in range(3))
        nine_read = min(timed(lambda: read_only(folder)) for _ in range(3))
        many = Path(scratch) / "many"
        many.mkdir()
        for copy in range(500):
            source = originals[copy % len(originals)]
            shutil.copy(source, many / f"{source.stem} ({copy}).xlsx")
        five_hundred = timed(lambda: consolidate(many, Path(scratch) / "Corporate500.xlsx", catalogue, QUARTER))
        five_hundred_read = timed(lambda: read_only(many))
    print("| run | consolidate | read only (python-calamine) | ratio | goal |")
    print("|---|---:|---:|---:|---:|")
    print(f"| 9 returns, {len(catalogue.measures)} measures | {nine:.2f} s | {nine_read:.2f} s | "
          f"{nine / nine_read:.1f}x | 2 s |")
    print(f"| 500 returns | {five_hundred:.1f} s | {five_hundred_read:.1f} s | "
          f"{five_hundred / five_hundred_read:.1f}x | 60 s |")


if __name__ == "__main__":
    main()
