"""A new quarter's returns, pre-filled from History, so co-ordinators type only this quarter's figures."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .catalogue import Catalogue
from .returns import check_quarter, previous_quarter, same_quarter_last_year
from .templates.corporate_workbook import HistoryRow
from .templates.directorate_return import write_returns


def previous_figures(history: Sequence[HistoryRow], quarter: str) -> dict[str, tuple[object, object]]:
    """Each line's performance last quarter and in the same quarter last year, as History holds them."""
    before, year_ago = previous_quarter(quarter), same_quarter_last_year(quarter)
    last = {row.ref: row.performance for row in history if row.quarter == before}
    ago = {row.ref: row.performance for row in history if row.quarter == year_ago}
    return {ref: (last.get(ref), ago.get(ref)) for ref in set(last) | set(ago)}


def roll_over(catalogue: Catalogue, history: Sequence[HistoryRow], quarter: str, out: Path) -> list[Path]:
    """Write every directorate's return for ``quarter`` into ``out``, previous figures from History."""
    quarter = check_quarter(quarter)
    return write_returns(catalogue, quarter, out, history=previous_figures(history, quarter))
