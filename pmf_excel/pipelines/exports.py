"""History out of Excel, for Power BI: tidy long tables, one row per measure line per quarter.

Power BI reads CSV and Parquet directly; a tidy table (one observation per
row, typed columns, the quarter as a date) is what its visuals and
relationships expect, and what the council's planned publication needs
(000 §8.1.2).
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from ..framework.quarters import quarter_key, quarter_start
from ..rules.errors import PMFInputError
from ..workbooks.csv_files import write_csv
from ..workbooks.files import PREVIOUS_FOLDER, keep_previous
from ..workbooks.history_sheets import read_history

COLUMNS = ["quarter", "quarter_start", "financial_year", "quarter_number", "ref", "directorate", "outcome",
           "performance_value", "performance_text", "figure_for", "rag", "dot_short", "dot_long", "breach", "why"]


def history_table(workbook: Path) -> pd.DataFrame:
    """The History sheet of a corporate workbook as a typed, tidy table."""
    records = []
    for row in read_history(workbook).measures:
        year, number = _quarter(row.quarter)
        value = row.performance if isinstance(row.performance, (int, float)) and not isinstance(
            row.performance, bool) else math.nan
        records.append({
            "quarter": row.quarter, "quarter_start": quarter_start(row.quarter),
            "financial_year": f"{year}/{(year + 1) % 100:02d}",
            "quarter_number": number, "ref": row.ref, "directorate": row.directorate, "outcome": row.outcome,
            "performance_value": value,
            "performance_text": str(row.performance) if isinstance(row.performance, str) else "",
            "figure_for": row.period or row.quarter,
            "rag": row.rag, "dot_short": row.dot_short, "dot_long": row.dot_long,
            "breach": None if row.breach in ("", None) else bool(row.breach), "why": row.why,
        })
    table = pd.DataFrame.from_records(records, columns=COLUMNS)
    table["quarter_start"] = pd.to_datetime(table["quarter_start"])
    table["quarter_number"] = table["quarter_number"].astype("Int64")
    table["performance_value"] = table["performance_value"].astype("float64")
    table["breach"] = table["breach"].astype("boolean")
    return table


def export_history(workbook: Path, out: Path, force: bool = False) -> tuple[Path, Path]:
    """Write History as ``history.csv`` and ``history.parquet`` into the folder ``out``. Text a spreadsheet would
    run as a formula is written to the CSV as text (:mod:`pmf_excel.workbooks.csv_files`); the Parquet file, which
    no spreadsheet runs, keeps it as typed.

    An earlier export there is replaced only with ``force``, and is then kept
    in ``previous versions/``. A workbook with no History (a directorate
    return, a template never consolidated) is refused rather than exported as
    an empty table that a dashboard would show as no data.
    """
    if out.exists() and not out.is_dir():
        raise PMFInputError(f"{out} is a file: --out names the folder for history.csv and history.parquet.")
    if not workbook.exists():
        raise PMFInputError(f"{workbook} does not exist.")
    table = history_table(workbook)
    if table.empty:
        raise PMFInputError(f"{workbook.name} has no History to export: it is not a consolidated corporate "
                            "workbook (a directorate return?), or it has not been consolidated yet.")
    csv, parquet = out / "history.csv", out / "history.parquet"
    existing = [path for path in (csv, parquet) if path.exists()]
    if existing and not force:
        raise PMFInputError(f"{existing[0]} already exists: give another --out folder, or --force to replace it "
                            f"(the old one is then kept in '{PREVIOUS_FOLDER}').")
    out.mkdir(parents=True, exist_ok=True)
    for path in existing:
        keep_previous(path)
    write_csv(table, csv, date_format="%Y-%m-%d")
    table.to_parquet(parquet, index=False)
    return csv, parquet


def _quarter(quarter: str) -> tuple[int, int]:
    key = quarter_key(quarter)
    if key == (0, 0):
        raise PMFInputError(f"History holds a quarter written {quarter!r}; expected e.g. 2023/24 Q2.")
    return key

