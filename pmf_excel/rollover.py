"""A new quarter's returns, pre-filled from History, so co-ordinators type only this quarter's figures."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .catalogue import Catalogue
from .returns import check_quarter, previous_quarter, same_quarter_last_year
from .templates.corporate_workbook import ACTION_HISTORY, HistoryRow
from .templates.directorate_return import write_returns


def previous_figures(history: Sequence[HistoryRow], quarter: str) -> dict[str, tuple[object, object]]:
    """Each measure line's performance last quarter and in the same quarter last year, as History holds them."""
    before, year_ago = previous_quarter(quarter), same_quarter_last_year(quarter)
    measures = [row for row in history if row.why != ACTION_HISTORY]
    last = {row.ref: row.performance for row in measures if row.quarter == before}
    ago = {row.ref: row.performance for row in measures if row.quarter == year_ago}
    return {ref: (last.get(ref), ago.get(ref)) for ref in set(last) | set(ago)}


def last_statuses(history: Sequence[HistoryRow], quarter: str) -> dict[str, str]:
    """Each action's status in the quarter before, so its lead changes only what has changed."""
    before = previous_quarter(quarter)
    return {row.ref: str(row.performance) for row in history
            if row.why == ACTION_HISTORY and row.quarter == before and row.performance and row.rag}


def roll_over(catalogue: Catalogue, history: Sequence[HistoryRow], quarter: str, out: Path) -> list[Path]:
    """Write every directorate's return for ``quarter`` into ``out``: previous figures and each action's last
    status from History."""
    quarter = check_quarter(quarter)
    return write_returns(catalogue, quarter, out, history=previous_figures(history, quarter),
                         statuses=last_statuses(history, quarter))
