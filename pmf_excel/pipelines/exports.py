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
from ..workbooks.csv_files import write_csv
from ..workbooks.files import keep_previous
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


def export_history(workbook: Path, out: Path) -> tuple[Path, Path]:
    """Write History as ``history.csv`` and ``history.parquet``; earlier exports are kept, not overwritten. Text a
    spreadsheet would run as a formula is written to the CSV as text (:mod:`pmf_excel.workbooks.csv_files`); the
    Parquet file, which no spreadsheet runs, keeps it as typed."""
    table = history_table(workbook)
    out.mkdir(parents=True, exist_ok=True)
    csv, parquet = out / "history.csv", out / "history.parquet"
    for path in (csv, parquet):
        keep_previous(path)
    write_csv(table, csv, date_format="%Y-%m-%d")
    table.to_parquet(parquet, index=False)
    return csv, parquet


def _quarter(quarter: str) -> tuple[int, int]:
    key = quarter_key(quarter)
    if key == (0, 0):
        raise ValueError(f"History holds a quarter written {quarter!r}; expected e.g. 2023/24 Q2.")
    return key

