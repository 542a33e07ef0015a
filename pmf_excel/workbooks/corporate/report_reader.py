"""The consolidated report read back from the corporate workbook: what the committee pack prints and the website
publishes.

Both are made from the workbook as Consolidate wrote it (its report sheets
for the quarter it was consolidated to, its History sheets for the
Improvement Plan and the risk register), never by judging anything again:
what is published is exactly what the performance team checked in Excel.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from pydantic import BaseModel
from python_calamine import CalamineWorkbook

from ...framework.outcomes import in_plan_order
from ...framework.results import ACTION_STATES, NOT_DUE, RAG_STATES
from ...rules.errors import PMFInputError
from ...rules.models import Value
from ...rules.policy import DEFAULT_POLICY, Policy, policy_from_rows
from ...rules.targets import in_target_unit
from ..catalogue_sheets import PLAN_TABLE
from ..history_sheets import PLAN_HISTORY, RISK_HISTORY
from ..improvement_plan_sheets import CHANGES_SHEET
from ..sheet_extent import MeasuredWorkbook
from ..tables import Table
from .deliverables import deliverables_quarter
from .exceptions import ACTION_EXCEPTION

#: The language the council publishes in: the website's pages and the committee pack's PDF say so.
LANGUAGE = "en-GB"

#: The report sheets every consolidated corporate workbook has.
REPORT_SHEETS = ("Indicators by outcome", "Deliverables by outcome", "Exceptions", "Settings")

#: The columns whose numbers are figures in the measure's own unit (0.71 against a target of 86% is 71%).
FIGURES = ("Performance", "Last quarter", "Same quarter last year")


class NotAReport(PMFInputError):
    """The workbook is not a consolidated corporate workbook; the message names the file and what is missing."""


class ReportRow(BaseModel):
    """A row of one of the report's tables, by heading."""

    cells: dict[str, object]

    def text(self, heading: str) -> str:
        value = self.cells.get(heading)
        if value is None:
            return ""
        if heading in FIGURES and isinstance(value, (int, float)) and not isinstance(value, bool):
            figure = in_target_unit(value, self.text("Target"))
            return figure.show() if isinstance(figure, Value) else f"{value:g}"
        if isinstance(value, float):
            return f"{value:g}"
        return str(value)


class Report(BaseModel):
    """The quarter's report as the corporate workbook holds it."""

    quarter: str
    indicators: list[ReportRow]
    deliverables: list[ReportRow]
    exceptions: list[ReportRow]
    outcome_of: dict[str, str]
    #: The quarter's Improvement Plan actions and strategic risks, from their History sheets.
    plan: list[ReportRow] = []
    risks: list[ReportRow] = []
    #: The quarter's changes to the Improvement Plan, in 002 §10.4's words.
    plan_changes: list[str] = []
    #: The rules the workbook was judged by, whose names its cells use.
    policy: Policy = DEFAULT_POLICY
    #: The quarter the Corporate Plan actions are for: ``quarter``, unless the workbook shows another's.
    actions_quarter: str = ""

    @property
    def quarters(self) -> list[str]:
        """The quarters the report shows: its own, then its actions' where they are another's."""
        return list(dict.fromkeys([self.quarter, self.actions_quarter or self.quarter]))

    def of_quarter(self, quarter: str, source: str = "The workbook") -> "Report":
        """The parts of the report that are for ``quarter``: the indicators, their exceptions, the Improvement
        Plan and the risks are the report's quarter's; the Corporate Plan actions (and the exceptions about their
        evidence) are their own quarter's. A quarter it does not show is a :class:`NotAReport` naming those it
        does (``source`` names the workbook)."""
        if quarter not in self.quarters:
            raise NotAReport(f"{source} shows {' and '.join(self.quarters)}, not {quarter}: give the workbook "
                             f"consolidated to {quarter} (Consolidate keeps earlier versions in 'previous versions').")
        if len(self.quarters) == 1:
            return self
        if quarter == self.quarter:
            return self.model_copy(update={"deliverables": [], "actions_quarter": quarter, "exceptions": [
                row for row in self.exceptions if not row.text("Exception").startswith(ACTION_EXCEPTION)]})
        return self.model_copy(update={"quarter": quarter, "indicators": [], "plan": [], "risks": [],
                                       "plan_changes": [], "exceptions": [
                                           row for row in self.exceptions
                                           if row.text("Exception").startswith(ACTION_EXCEPTION)]})

    def outcomes(self) -> list[str]:
        """The strategic outcomes the report holds, in the Corporate Plan's order."""
        return in_plan_order(set(self.outcome_of.values()))

    def measures_of(self, outcome: str) -> list[ReportRow]:
        """An outcome's measures (not their parts), as the Dashboard counts them; those not due included."""
        return [row for row in self.indicators
                if row.cells["Strategic outcome"] == outcome and "›" not in row.text("Ref")]

    def actions_of(self, outcome: str) -> list[ReportRow]:
        return [row for row in self.deliverables if row.cells["Strategic outcome"] == outcome]

    def measure_counts(self, outcome: str) -> Counter:
        """An outcome's measures by RAG state (the policy's own names turned back into the framework's), as the
        Dashboard counts them: those not due this quarter are left out, those without a verdict are Not judged."""
        return self._counts(row for row in self.measures_of(outcome) if row.text("RAG") != NOT_DUE)

    def action_counts(self, outcome: str) -> Counter:
        return self._counts(self.actions_of(outcome))

    def state(self, shown: str) -> str:
        """The framework's name of a state the workbook shows under its policy's name (``Not set`` is No target)."""
        return {self.policy.shown(state): state for state in (*RAG_STATES, *ACTION_STATES)}.get(shown, shown)

    def _counts(self, rows) -> Counter:
        return Counter(self.state(row.text("RAG")) or "Not judged" for row in rows)


def read_report(workbook: Path) -> Report:
    """The consolidated report's tables from the corporate workbook (values as cached, formulas not needed)."""
    try:
        book = MeasuredWorkbook(workbook, CalamineWorkbook.from_path(str(workbook)))
    except Exception as error:  # noqa: BLE001 - any unreadable file is the same message
        raise NotAReport(f"{workbook.name} cannot be read ({type(error).__name__}: {error}).") from None
    missing = [name for name in REPORT_SHEETS if name not in book.sheet_names]
    if missing:
        raise NotAReport(f"{workbook.name} is not a consolidated corporate workbook: it has no "
                         f"{', '.join(missing)} sheet. Run Consolidate first.")
    settings = {str(row[0]): row[1] for row in book.get_sheet_by_name("Settings").to_python() if row}
    quarter = str(settings.get("Quarter") or "").strip()
    if not quarter:
        raise NotAReport(f"{workbook.name} has not been consolidated yet: Settings has no Quarter.")
    indicators, outcome_of = _grouped(book.get_sheet_by_name("Indicators by outcome").to_python())
    deliverables, _ = _grouped(book.get_sheet_by_name("Deliverables by outcome").to_python())
    exceptions = _table(book.get_sheet_by_name("Exceptions").to_python())
    return Report(quarter=quarter, indicators=indicators, deliverables=deliverables, exceptions=exceptions,
                  actions_quarter=deliverables_quarter(_title(book, "Deliverables by outcome")) or quarter,
                  outcome_of=outcome_of, plan=_of_quarter(book, PLAN_HISTORY, quarter, PLAN_TABLE, "action"),
                  risks=_of_quarter(book, RISK_HISTORY, quarter), plan_changes=_plan_changes(book),
                  policy=policy_from_rows(book.get_sheet_by_name("Rules").to_python(), workbook.name)
                  if "Rules" in book.sheet_names else DEFAULT_POLICY)


def _title(book, sheet: str) -> object:
    rows = book.get_sheet_by_name(sheet).to_python()
    return rows[0][0] if rows and rows[0] else ""


def _of_quarter(book, history: Table, quarter: str, definitions: Table | None = None,
                named: str = "") -> list[ReportRow]:
    """This quarter's rows of a History sheet, each with its definition's ``named`` field where one is kept."""
    if history.sheet not in book.sheet_names:
        return []
    rows, _ = history.read(book.get_sheet_by_name(history.sheet).to_python(), "")
    names = {}
    if definitions is not None and definitions.sheet in book.sheet_names:
        defined, _ = definitions.read(book.get_sheet_by_name(definitions.sheet).to_python(), "")
        names = {record.ref: getattr(record, named) for record in defined}
    return [ReportRow(cells={**{heading: _cell(getattr(row, field)) for heading, field in history.columns},
                             "Action": names.get(row.ref, "")})
            for row in rows if row.quarter == quarter]


def _plan_changes(book) -> list[str]:
    """The summary lines above the change log, each written as a bullet."""
    if CHANGES_SHEET not in book.sheet_names:
        return []
    return [str(row[0])[2:] for row in book.get_sheet_by_name(CHANGES_SHEET).to_python()
            if row and str(row[0]).startswith("• ")]


def _cell(value: object) -> object:
    if isinstance(value, bool):
        return "Yes" if value else ""
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return value


def _table(rows: list[list]) -> list[ReportRow]:
    """A sheet's table under its header row (the third row, as Consolidate writes every report sheet)."""
    if len(rows) < 3:
        return []
    header = [str(cell) for cell in rows[2]]
    return [ReportRow(cells=dict(zip(header, map(_as_excel_holds, row)))) for row in rows[3:]
            if any(cell not in ("", None) for cell in row)]


def _as_excel_holds(value: object) -> object:
    """A cell's value as Excel holds it: python-calamine reads a duration's cell (formatted ``[m]:ss``) as a
    timedelta, which would print as 0:01:27; as the fraction of a day it is, the figure's unit shows it as the
    council writes it (1 min 27 secs) and the open data gives its number."""
    return value / dt.timedelta(days=1) if isinstance(value, dt.timedelta) else value


def _grouped(rows: list[list]) -> tuple[list[ReportRow], dict[str, str]]:
    """A by-outcome table's rows, each with the strategic outcome whose band it sits under."""
    found, outcome_of, outcome = [], {}, ""
    for row in _table(rows):
        values = [cell for cell in row.cells.values() if cell not in ("", None)]
        if len(values) == 1 and values[0] == next(iter(row.cells.values()), None):
            # an outcome's band: its name alone, in the first column (any council's outcomes, not only the seeds')
            outcome = str(values[0])
            continue
        row.cells["Strategic outcome"] = outcome
        found.append(row)
        ref = row.text("Ref") or row.text("BP ref")
        if ref:
            outcome_of[ref] = outcome
    return found, outcome_of
