"""History across quarters: every History sheet keeps one row per ref per quarter, whatever it records.

Measures, improvement actions and risks each have their own History sheet;
all of them follow the same two rules, kept here: re-running a quarter
replaces only that quarter's rows, and "the last review" of a ref is its
row in the latest earlier quarter.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

from pydantic import BaseModel

from .catalogue import EarlierFigure
from .improvement_plan import PlanHistoryRow
from .quarters import quarter_key
from .records import Record
from .results import ActionResult, MeasureResult
from .risks import RiskHistoryRow


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


class HistoryRow(Record):
    """One measure line in one quarter: what History keeps across quarters."""

    quarter: str
    ref: str
    directorate: str = ""
    outcome: str = ""
    performance: object = None
    rag: str = ""
    dot_short: str = ""
    dot_long: str = ""
    breach: object = None
    why: str = ""
    #: The quarter the figure is for, where it is not the quarter it was returned in.
    period: str = ""
    #: The rule policy and version that judged it: a past quarter is never silently re-judged.
    policy: str = ""
    #: The earlier figures its directions were judged against, so that it can be re-judged from History alone.
    last_quarter: object = None
    last_year: object = None


#: What History's Why column says of an action's row, which also tells actions from measures there.
ACTION_HISTORY = "Corporate Plan action: its status"


def history_rows(quarter: str, measures: Sequence[MeasureResult],
                 actions: Sequence[ActionResult] = ()) -> list[HistoryRow]:
    """This quarter's History: every measure line with its figure and verdicts, every action with its status."""
    return [HistoryRow(quarter=quarter, ref=line.ref, directorate=line.directorate, outcome=line.outcome,
                       performance=line.performance, rag=line.rag or "", dot_short=line.dot_short or "",
                       dot_long=line.dot_long or "", breach=line.breach, why=line.reason,
                       period=line.period if line.period != quarter else "", policy=line.policy,
                       last_quarter=line.last_quarter, last_year=line.last_year)
            for measure in measures for line in measure.lines] + [
        HistoryRow(quarter=quarter, ref=action.ref, directorate=action.directorate, outcome=action.outcome,
                   performance=action.status or None, rag=action.rag or "", why=ACTION_HISTORY)
        for action in actions]


#: What History's Why column says of a figure from before the framework judged anything.
IMPORTED_HISTORY = "From the council's own tracker, imported with its catalogue: a figure, not judged here."


def imported_rows(figures: Sequence[EarlierFigure], existing: Sequence[HistoryRow]) -> list[HistoryRow]:
    """The catalogue's earlier figures as History rows, for every quarter and line History does not hold yet: so
    that trends, sparklines and the next quarters' returns have the council's own past figures."""
    held = {(row.quarter, row.ref) for row in existing}
    return [HistoryRow(quarter=figure.quarter, ref=figure.ref, performance=figure.figure, why=IMPORTED_HISTORY)
            for figure in figures if (figure.quarter, figure.ref) not in held]


class Histories(BaseModel):
    """Every History of the corporate workbook: measures and actions, improvement actions, risks."""

    measures: list[HistoryRow] = []
    plan: list[PlanHistoryRow] = []
    risks: list[RiskHistoryRow] = []
