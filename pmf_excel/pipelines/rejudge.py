"""Re-judging a past quarter under another policy: an explicit step that reports what would change.

History keeps each quarter as it was judged, with the policy that judged
it, so changing the rules never silently re-judges the past. When the
performance team wants to know what a past quarter would look like under
new rules (before adopting them, or to explain a change to members), this
re-judges History's own figures for that quarter through the same path
Consolidate takes, and lists every RAG and direction of travel that differs.
Nothing is written.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from ..framework.catalogue import Catalogue
from ..framework.history import ACTION_HISTORY, Histories
from ..framework.quarters import check_quarter
from ..rules.errors import PMFValueError
from ..rules.policy import Policy
from ..workbooks.directorate_return import TEMPLATE_VERSION
from ..workbooks.return_reader import ReturnedLine, ReturnFile
from .consolidate.judging import judge_returns


class Rejudged(BaseModel):
    """One verdict of one line that a policy would change."""

    ref: str
    what: str
    recorded: str
    recorded_policy: str
    now: str
    policy: str


def rejudge(catalogue: Catalogue, history: Histories, quarter: str, policy: Policy) -> list[Rejudged]:
    """Every RAG and direction of ``quarter``'s History that ``policy`` would judge differently."""
    quarter = check_quarter(quarter)
    recorded = {row.ref: row for row in history.measures if row.quarter == quarter and row.why != ACTION_HISTORY}
    if not recorded:
        raise PMFValueError("a quarter History holds", quarter, "Consolidate that quarter first.")
    returns = {}
    for directorate, definitions in catalogue.by_directorate().items():
        refs = {definition.ref for definition in definitions}
        lines = [ReturnedLine(ref=row.ref, row=0, performance=row.performance, last_quarter=row.last_quarter,
                              last_year=row.last_year, performance_cell="", commentary_cell="",
                              last_quarter_cell="", last_year_cell="")
                 for row in recorded.values() if row.ref.split(" › ")[0] in refs]
        returns[directorate] = ReturnFile(path=Path(f"History {quarter}"), directorate=directorate, quarter=quarter,
                                          template_version=TEMPLATE_VERSION, lines=lines, actions=[])
    earlier = [row for row in history.measures if row.quarter != quarter]
    measures, _, _ = judge_returns(catalogue, quarter, returns, earlier, policy)
    changed = []
    for measure in measures:
        for line in measure.lines:
            row = recorded.get(line.ref)
            if row is None:
                continue
            for what, before, after in (("RAG", row.rag, line.rag or ""),
                                        ("DOT short term", row.dot_short, line.dot_short or ""),
                                        ("DOT long term", row.dot_long, line.dot_long or "")):
                if before != after:
                    changed.append(Rejudged(ref=line.ref, what=what, recorded=before,
                                            recorded_policy=row.policy or "(not recorded)", now=after,
                                            policy=policy.label))
    return changed
