"""History across quarters: every History sheet keeps one row per ref per quarter, whatever it records.

Measures, improvement actions and risks each have their own History sheet;
all of them follow the same two rules, kept here: re-running a quarter
replaces only that quarter's rows, and "the last review" of a ref is its
row in the latest earlier quarter.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

from ..quarters import quarter_key


class Quarterly(Protocol):
    quarter: str
    ref: str


Row = TypeVar("Row", bound=Quarterly)


def merge_quarters(existing: Sequence[Row], new: Sequence[Row], quarter: str) -> list[Row]:
    """Every earlier quarter's rows kept as they were; this quarter's replaced. Ordered by quarter, then ref."""
    kept = [row for row in existing if row.quarter != quarter]
    return sorted([*kept, *new], key=lambda row: (quarter_key(row.quarter), row.ref))


def latest_before(history: Sequence[Row], quarter: str) -> dict[str, Row]:
    """Each ref's row in the latest quarter before ``quarter`` that holds it: its last review."""
    limit = quarter_key(quarter)
    latest: dict[str, Row] = {}
    for row in history:
        key = quarter_key(row.quarter)
        if key < limit and (row.ref not in latest or key > quarter_key(latest[row.ref].quarter)):
            latest[row.ref] = row
    return latest


def last_review_refs(history: Sequence[Row], quarter: str) -> set[str]:
    """The refs of the latest quarter before ``quarter``: what the last review held."""
    earlier = [row for row in history if quarter_key(row.quarter) < quarter_key(quarter)]
    if not earlier:
        return set()
    last = max(quarter_key(row.quarter) for row in earlier)
    return {row.ref for row in earlier if quarter_key(row.quarter) == last}
