"""Judge the Improvement Plan and Risks sheets of the returns against the catalogue and the last review.

As for measures, only what leads typed is taken from a return; the last
review is History's latest earlier quarter for each action and risk (the
catalogue before there is one), so re-running a quarter gives the same
change log, and a skipped quarter compares with the one before it. Every
cell that cannot be read is a Data quality row; the rest of the row, the
file and the consolidation carry on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ...framework.catalogue import Catalogue
from ...framework.findings import Finding, shown
from ...framework.history import last_review_refs, latest_before, merge_quarters
from ...framework.improvement_plan import ImprovementUpdate, PlanHistoryRow, PlanReport, judge_plan, plan_history_rows
from ...framework.risks import (RiskHistoryRow, RiskReport, RiskUpdate, changes_since_last_review, judge_risks,
                                read_rating, risk_history_rows)
from ...rules.errors import PMFValueError
from ...rules.policy import DEFAULT_POLICY, Policy
from ...rules.verdicts import deliverable_status_name
from ...workbooks.improvement_plan_sheets import PLAN_SHEET
from ...workbooks.return_reader import ReturnedRow, ReturnFile
from ...workbooks.risk_sheets import RISKS_SHEET

_DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%d-%m-%Y", "%d.%m.%Y")


def judge_plan_returns(catalogue: Catalogue, quarter: str, returns: Sequence[ReturnFile],
                       history: Sequence[PlanHistoryRow],
                       policy: Policy = DEFAULT_POLICY) -> tuple[PlanReport, list[Finding]]:
    """Every improvement action judged for ``quarter``, its changes since the last review, and History."""
    findings: list[Finding] = []
    rows = _rows_by_ref(returns, "plan", PLAN_SHEET, {a.ref: a.directorate for a in catalogue.improvement_plan},
                        "improvement action", findings)
    updates = {ref: _plan_update(ref, row, name, findings, policy) for ref, (row, name) in rows.items()}
    known = {ref: row.known() for ref, row in latest_before(history, quarter).items()}
    results, changes = judge_plan(catalogue.improvement_plan, updates, quarter, known, policy)
    for result in results:
        returned = rows.get(result.action.ref)
        if returned is None:
            continue
        row, name = returned
        if result.rag in ("Amber", "Red") and not result.exception.strip():
            findings.append(Finding(file=name, sheet=PLAN_SHEET, cell=row.cells.get("Exception reason", ""),
                                    ref=result.action.ref, severity="Warning",
                                    message=f"{result.status} without a reason for the exception: the exception "
                                            "report needs one."))
    for change in changes:
        if change.reason.strip() or change.ref not in rows or change.kind.value == "Action added":
            continue
        row, name = rows[change.ref]
        findings.append(Finding(file=name, sheet=PLAN_SHEET, cell=row.cells.get("Reason for change", ""),
                                ref=change.ref, severity="Warning",
                                message=f"{change.kind.value} without a reason for the change."))
    merged = merge_quarters(history, plan_history_rows(quarter, results), quarter)
    return PlanReport(results=results, changes=changes, history=merged), findings


def _plan_update(ref: str, row: ReturnedRow, name: str, findings: list[Finding],
                 policy: Policy) -> ImprovementUpdate:
    def where(heading: str) -> dict[str, str]:
        return dict(file=name, sheet=PLAN_SHEET, cell=row.cells.get(heading, ""), ref=ref)

    values = row.values
    status = values.get("Status")
    try:
        status = deliverable_status_name(status if status is None or isinstance(status, str) else str(status),
                                         policy)
    except PMFValueError as error:
        findings.append(Finding(**where("Status"), text=shown(status), message=str(error)))
        status = ""
    due = None
    if values.get("Due date") is not None:
        try:
            due = read_date(values["Due date"])
        except PMFValueError as error:
            findings.append(Finding(**where("Due date"), text=shown(values["Due date"]),
                                    message=f"{error} The due date is left as agreed."))
    close = str(values.get("Propose to close") or "").strip().casefold()
    if close not in ("", "yes", "no", "y", "n"):
        findings.append(Finding(**where("Propose to close"), text=shown(values["Propose to close"]),
                                severity="Warning", message="Propose to close is Yes or No: read as No."))
    return ImprovementUpdate(ref=ref, status=status or "", update=_text(values.get("Progress update")),
                             exception=_text(values.get("Exception reason")), lead=_text(values.get("Delivery lead")),
                             due=due, propose_close=close in ("yes", "y"),
                             change_reason=_text(values.get("Reason for change")))


def read_date(raw: object) -> dt.date:
    """A due date as a cell holds it: a date, an Excel serial number, or text such as 31/03/2024."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and 1 <= raw < 2_958_466:
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(raw))
    text = " ".join(str(raw).split())
    for pattern in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise PMFValueError("a date", raw, "Type a date such as 31/03/2024.")


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def judge_risk_returns(catalogue: Catalogue, quarter: str, returns: Sequence[ReturnFile],
                       history: Sequence[RiskHistoryRow]) -> tuple[RiskReport, list[Finding]]:
    """Every strategic risk scored for ``quarter``, the changes since the last review, and History."""
    findings: list[Finding] = []
    rows = _rows_by_ref(returns, "risks", RISKS_SHEET, {r.ref: r.directorate for r in catalogue.risks}, "risk",
                        findings)
    updates = {}
    for ref, (row, name) in rows.items():
        values = row.values
        for heading in ("Likelihood", "Impact"):
            where = dict(file=name, sheet=RISKS_SHEET, cell=row.cells.get(heading, ""), ref=ref)
            if values.get(heading) is None:
                findings.append(Finding(**where, severity="Warning",
                                        message=f"No {heading.lower()} given at this review: the risk is shown "
                                                "Not scored."))
                continue
            try:
                read_rating(values.get(heading), f"a {heading.lower()}" if heading[0] != "I" else "an impact")
            except PMFValueError as error:
                findings.append(Finding(**where, text=shown(error.text),
                                        message=f"{error} The risk is shown Not scored."))
        updates[ref] = RiskUpdate(ref=ref, likelihood=values.get("Likelihood"), impact=values.get("Impact"),
                                  owner=_text(values.get("Owner")), controls=_text(values.get("Controls")),
                                  further_actions=_text(values.get("Further actions")))
    # the last review is the latest quarter that scored the risk: a quarter it went unscored is no review
    last_review = latest_before([row for row in history if row.score is not None], quarter)
    known = {ref: row.known() for ref, row in last_review.items()}
    previous_refs = last_review_refs(history, quarter)
    results = judge_risks(catalogue.risks, updates, known)
    changes = changes_since_last_review(results, known, previous_refs)
    merged = merge_quarters(history, risk_history_rows(quarter, results), quarter)
    return RiskReport(results=results, changes=changes, history=merged), findings


def _rows_by_ref(returns: Sequence[ReturnFile], field: str, sheet: str, defined: dict[str, str], noun: str,
                 findings: list[Finding]) -> dict[str, tuple[ReturnedRow, str]]:
    """Each defined ref's row and the file it came from; unknown refs, refs returned by a directorate that does
    not lead them, repeated refs and missing rows are findings."""
    found: dict[str, tuple[ReturnedRow, str]] = {}
    for returned in returns:
        name, rows = returned.path.name, getattr(returned, field)
        if rows is None:
            if any(directorate == returned.directorate for directorate in defined.values()):
                findings.append(Finding(file=name, sheet=sheet, severity="Warning",
                                        message=f"The return has no {sheet} sheet: its {noun}s show as not "
                                                "returned. Use the return as it was sent out."))
            continue
        for row in rows:
            cell = f"A{row.row}"
            if row.ref not in defined:
                findings.append(Finding(file=name, sheet=sheet, cell=cell, ref=row.ref, text=shown(row.ref),
                                        message=f"No {noun} with this ref is in the catalogue: the row is left out."))
            elif defined[row.ref] != returned.directorate:
                findings.append(Finding(file=name, sheet=sheet, cell=cell, ref=row.ref, text=shown(row.ref),
                                        message=f"This {noun} is led by {defined[row.ref]}, not "
                                                f"{returned.directorate}: the row is left out."))
            elif row.ref in found:
                findings.append(Finding(file=name, sheet=sheet, cell=cell, ref=row.ref, text=shown(row.ref),
                                        message=f"This {noun} appears more than once; the first row "
                                                f"({found[row.ref][1]} row {found[row.ref][0].row}) is used."))
            else:
                found[row.ref] = (row, name)
    for ref in sorted(set(defined) - set(found)):
        findings.append(Finding(file="(none)", sheet=sheet, ref=ref, text=ref, severity="Warning",
                                message=f"No return carries this {noun} ({defined[ref]}): it shows as not returned."))
    return found

