"""The History sheets of the corporate workbook: every quarter of measures and actions, of the Improvement
Plan and of the risk register, one row per ref per quarter.

History is what the next quarter's directions of travel are judged from, so a
row that cannot be read stops the consolidation before anything is written:
it would otherwise be lost at the next write.
"""

from __future__ import annotations

from pathlib import Path

from ..framework.history import Histories, HistoryRow
from ..framework.improvement_plan import PlanHistoryRow
from ..framework.risks import RiskHistoryRow
from ..rules.errors import PMFInputError
from .files import open_workbook
from .tables import Table

HISTORY_SHEET = "History"
HISTORY = Table(HISTORY_SHEET, HistoryRow, (
    ("Quarter", "quarter"), ("Ref", "ref"), ("Directorate", "directorate"), ("Outcome", "outcome"),
    ("Performance", "performance"), ("RAG", "rag"), ("DOT short term", "dot_short"), ("DOT long term", "dot_long"),
    ("Breach", "breach"), ("Why", "why"), ("Figure for", "period"), ("Policy", "policy"),
    ("Last quarter", "last_quarter"), ("Same quarter last year", "last_year")))


PLAN_HISTORY = Table("Improvement Plan history", PlanHistoryRow, (
    ("Quarter", "quarter"), ("Ref", "ref"), ("Theme", "theme"), ("Workstream", "workstream"), ("Type", "type"),
    ("Directorate", "directorate"), ("Delivery lead", "lead"), ("Due", "due"), ("Status", "status"),
    ("RAG", "rag"), ("Proposed to close", "propose_close"), ("Exception reason", "exception")))


RISK_HISTORY = Table("Risk history", RiskHistoryRow, (
    ("Quarter", "quarter"), ("Ref", "ref"), ("Risk", "title"), ("Owner", "owner"), ("Directorate", "directorate"),
    ("Likelihood", "likelihood"), ("Impact", "impact"), ("Score", "score"), ("RAG", "rag"),
    ("Target score", "target_score"), ("Direction", "direction"), ("Controls", "controls"),
    ("Further actions", "further_actions")))


def read_history(workbook: Path) -> Histories:
    """The History sheets of an existing corporate workbook file; empty when there is none yet."""
    if not workbook.exists():
        return Histories()
    book = open_workbook(workbook)
    return histories_from_sheets({name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
                                  for name in HISTORY_SHEETS if name in book.sheet_names}, workbook.name)


#: The History sheets, each read back by :func:`histories_from_sheets`.
HISTORY_SHEETS = (HISTORY.sheet, PLAN_HISTORY.sheet, RISK_HISTORY.sheet)


def histories_from_sheets(sheets: dict[str, list[list]], source: str) -> Histories:
    """Every History from its sheet's values (header first), from a file or from the open workbook.

    A History row that cannot be read would be lost at the next write, so
    it stops the consolidation with the rows named, before anything is written.
    """
    read = {table.sheet: table.read(sheets.get(table.sheet, []), source)
            for table in (HISTORY, PLAN_HISTORY, RISK_HISTORY)}
    problems = [problem for _, found in read.values() for problem in found]
    if problems:
        raise PMFInputError("; ".join(problems))
    return Histories(measures=read[HISTORY.sheet][0], plan=read[PLAN_HISTORY.sheet][0],
                     risks=read[RISK_HISTORY.sheet][0])
