"""The Improvement Plan (002): its actions, their statuses, the exception report and the change log.

The plan is a live document changed under change control (002 §10.2): each
quarter the lead of an action may move its due date, hand it to a new lead
or propose to close it, and the performance team adds actions. Members see
every such change in the change log and the quarter's counts (002 §10.4),
so the changes are worked out here by comparing what a directorate returned
with what was known at the last review — History's previous quarter, or the
catalogue before there is one — never typed by hand.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from enum import Enum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..rules.errors import PMFValueError
from ..rules.policy import DEFAULT_POLICY, Policy
from ..rules.text import squash
from ..rules.verdicts import deliverable_rag, deliverable_status_name
from .records import Record

#: The six themes of the plan, in 002's order (§4.3–4.8).
THEMES = ("Organisational Culture", "Corporate Oversight", "Strategic Direction", "Decision Making",
          "Procurement and Commercial", "Partnerships and Relationships")
#: A due date moved by more than this many months is flagged to members (002 §10.4).
FLAGGED_MONTHS = 3


class ActionType(str, Enum):
    """The three kinds of action 002 counts apart."""

    MAIN = "Main action"
    SUB = "Sub-action"
    ASSURANCE = "Assurance action"


class ImprovementAction(Record):
    """An action of the plan as the catalogue holds it: what was agreed at the last change control."""

    model_config = ConfigDict(frozen=True)

    ref: str
    theme: str
    workstream: str
    type: ActionType
    #: The main action a sub-action or assurance action belongs to.
    parent: str = ""
    action: str
    directorate: str
    lead: str
    due: dt.date
    #: The quarter change control added it in: the monitoring tool shows it in red font that quarter.
    added_in: str = ""
    #: Where the seeds say this (``002 §4.3.2``), or ``illustrative`` where they give no detail.
    source: str = ""

    @field_validator("theme")
    @classmethod
    def _one_of_the_six(cls, theme: str) -> str:
        if theme not in THEMES:
            raise ValueError(f"{theme!r} is not one of the plan's six themes: {', '.join(THEMES)}")
        return theme


class ImprovementUpdate(BaseModel):
    """What an action's lead returned for the quarter: the status, and any change they propose."""

    model_config = ConfigDict(frozen=True)

    ref: str
    status: str = ""
    update: str = ""
    #: Why the action is not on track: the exception report's reason (002 §4.3.2: "The reason for the
    #: exception report is …").
    exception: str = ""
    #: The delivery lead and due date as returned; a difference from the last review is a change.
    lead: str = ""
    due: dt.date | None = None
    propose_close: bool = False
    #: Why the due date or lead changed, or why the action should close.
    change_reason: str = ""


class ImprovementResult(BaseModel):
    """One action of the plan after consolidation: its definition, what was returned and its RAG."""

    action: ImprovementAction
    status: str = ""
    rag: str | None = None
    update: str = ""
    exception: str = ""
    lead: str
    due: dt.date
    propose_close: bool = False
    #: Added by change control this quarter: red font in the monitoring tool.
    added: bool = False

    @property
    def on_track(self) -> bool:
        return self.rag in ("Green", "Complete")


class ChangeKind(str, Enum):
    TIMESCALE = "Timescale change"
    ADDED = "Action added"
    CLOSE = "Proposed to close"
    LEAD = "Delivery lead change"


class PlanChange(BaseModel):
    """One line of the change log (002 Appendix 5)."""

    model_config = ConfigDict(frozen=True)

    kind: ChangeKind
    ref: str
    type: ActionType
    theme: str
    action: str
    before: str = ""
    after: str = ""
    #: A timescale change's size in whole calendar months (negative when brought forward).
    months: int | None = None
    #: A due date moved more than three months later.
    flagged: bool = False
    #: A main action whose closure leaves its workstream with nothing open.
    closes_workstream: bool = False
    reason: str = ""


class KnownState(BaseModel):
    """What the last review knew of an action: its lead, due date and whether it was proposed to close."""

    lead: str
    due: dt.date
    propose_close: bool = False


class PlanLine(BaseModel):
    """A row of a directorate return's Improvement Plan sheet: the action, what was agreed at the last review
    (which the return compares with), and what is pre-filled for its lead to change."""

    model_config = ConfigDict(frozen=True)

    action: ImprovementAction
    agreed: KnownState
    update: ImprovementUpdate

    @property
    def lead(self) -> str:
        return self.update.lead or self.agreed.lead

    @property
    def due(self) -> dt.date:
        return self.update.due or self.agreed.due


def plan_check(line: PlanLine) -> str:
    """What a return's Check column says of a row: what its lead still has to fill in.

    Mirrors the sheet's native formula: text compared as Excel compares it,
    without regard to case or surrounding spaces; a status that is not one of
    the five is not Amber or Red (the RAG column says "Check status").
    """
    update = line.update
    if not squash(update.status):
        return "Status required"
    try:
        rag = deliverable_rag(update.status)
    except PMFValueError:
        rag = "Check status"
    if rag in ("Amber", "Red") and not update.exception.strip():
        return "Exception reason required"
    lead = update.lead.strip()
    changed = (bool(lead) and lead.casefold() != line.agreed.lead.casefold()
               or update.due is not None and update.due != line.agreed.due or update.propose_close)
    return "Reason for change required" if changed and not update.change_reason.strip() else ""


def judge_plan(actions: Sequence[ImprovementAction], updates: dict[str, ImprovementUpdate], quarter: str,
               known: dict[str, KnownState],
               policy: Policy = DEFAULT_POLICY) -> tuple[list[ImprovementResult], list[PlanChange]]:
    """Every action's status and RAG for ``quarter``, and the changes since the last review.

    ``known`` is what the previous quarter's History holds of each action;
    an action it does not hold is compared with its catalogue definition.
    Status names are read as domain.md reads deliverable statuses.
    """
    results, changes = [], []
    for action in actions:
        update = updates.get(action.ref, ImprovementUpdate(ref=action.ref))
        before = known.get(action.ref, KnownState(lead=action.lead, due=action.due))
        lead = update.lead.strip() or before.lead
        if lead.casefold() == before.lead.casefold():  # Excel compares text without case; so does the change log
            lead = before.lead
        due = update.due or before.due
        status = deliverable_status_name(update.status, policy) if update.status else ""
        results.append(ImprovementResult(
            action=action, status=status, rag=deliverable_rag(update.status, policy), update=update.update,
            exception=update.exception, lead=lead, due=due, propose_close=update.propose_close,
            added=action.added_in == quarter))
        changes += _changes(action, update, before, lead, due, quarter)
    return results, _mark_workstream_closures(changes, results)


def _changes(action: ImprovementAction, update: ImprovementUpdate, before: KnownState, lead: str, due: dt.date,
             quarter: str) -> list[PlanChange]:
    common = dict(ref=action.ref, type=action.type, theme=action.theme, action=action.action,
                  reason=update.change_reason)
    found = []
    if action.added_in == quarter:
        found.append(PlanChange(kind=ChangeKind.ADDED, after=f"Due {due:%d/%m/%Y}, lead {lead}", **common))
    if due != before.due:
        months = months_moved(before.due, due)
        found.append(PlanChange(kind=ChangeKind.TIMESCALE, before=f"{before.due:%d/%m/%Y}", after=f"{due:%d/%m/%Y}",
                                months=months, flagged=due > add_months(before.due, FLAGGED_MONTHS), **common))
    if lead != before.lead:
        found.append(PlanChange(kind=ChangeKind.LEAD, before=before.lead, after=lead, **common))
    if update.propose_close and not before.propose_close:
        found.append(PlanChange(kind=ChangeKind.CLOSE, **common))
    return found


def _mark_workstream_closures(changes: list[PlanChange], results: Sequence[ImprovementResult]) -> list[PlanChange]:
    """A main action proposed to close closes its workstream when every main action of it is proposed to close."""
    open_main = Counter(r.action.workstream for r in results
                        if r.action.type is ActionType.MAIN and not r.propose_close)
    return [change.model_copy(update={"closes_workstream": True})
            if change.kind is ChangeKind.CLOSE and change.type is ActionType.MAIN
            and not open_main[_workstream(results, change.ref)] else change
            for change in changes]


def _workstream(results: Sequence[ImprovementResult], ref: str) -> str:
    return next(r.action.workstream for r in results if r.action.ref == ref)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later, or the month's last day where it has fewer days."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    following = dt.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    return dt.date(year, month + 1, min(day.day, (following - dt.timedelta(days=1)).day))


def months_moved(before: dt.date, after: dt.date) -> int:
    """Whole calendar months from one due date to the other: 15/07 to 14/11 is 3, to 15/11 is 4."""
    months = (after.year - before.year) * 12 + after.month - before.month
    if months > 0 and after < add_months(before, months):
        months -= 1
    elif months < 0 and after > add_months(before, months):
        months += 1
    return months


class ChangeSummary(BaseModel):
    """The quarter's changes counted as 002 §10.4 counts them."""

    model_config = ConfigDict(frozen=True)

    timescale_changes: int = 0
    timescale_over_three_months: int = 0
    assurance_added: int = 0
    sub_actions_added: int = 0
    main_added: int = 0
    main_proposed_to_close: int = 0
    closures_closing_workstream: int = 0
    assurance_proposed_to_close: int = 0
    sub_actions_proposed_to_close: int = 0
    lead_changes: int = 0

    def lines(self) -> list[str]:
        """The summary in 002 §10.4's words; a count of nothing is left out, as the council leaves it out."""
        lines = [f"{self.timescale_changes} {_plural(self.timescale_changes, 'change')} made to action delivery "
                 f"timescales (with {self.timescale_over_three_months} being more than three months)"
                 if self.timescale_changes else ""]
        for count, noun, verb in ((self.main_added, "main action", "added"),
                                  (self.assurance_added, "assurance action", "added"),
                                  (self.sub_actions_added, "sub-action", "added (marked in red within IP)")):
            has = "has" if count == 1 else "have"
            lines.append(f"{count} {_plural(count, noun)} {has} been {verb}" if count else "")
        if self.main_proposed_to_close:
            lines.append(f"{self.main_proposed_to_close} main {_plural(self.main_proposed_to_close, 'action')} "
                         f"{'is' if self.main_proposed_to_close == 1 else 'are'} proposed to be closed "
                         f"({self.closures_closing_workstream} actions closure will result in closure of workstream)")
        for count, noun in ((self.assurance_proposed_to_close, "Assurance action"),
                            (self.sub_actions_proposed_to_close, "Sub-action")):
            lines.append(f"{count} {_plural(count, noun)} {'is' if count == 1 else 'are'} proposed to close"
                         if count else "")
        lines.append(f"{self.lead_changes} {_plural(self.lead_changes, 'change')} to delivery lead"
                     if self.lead_changes else "")
        return [line for line in lines if line]


def _plural(count: int, noun: str) -> str:
    return noun if count == 1 else f"{noun}s"


def summarise_changes(changes: Sequence[PlanChange]) -> ChangeSummary:
    def count(kind: ChangeKind, type_: ActionType | None = None, **flags: bool) -> int:
        return sum(c.kind is kind and (type_ is None or c.type is type_)
                   and all(getattr(c, name) == value for name, value in flags.items()) for c in changes)

    return ChangeSummary(
        timescale_changes=count(ChangeKind.TIMESCALE),
        timescale_over_three_months=count(ChangeKind.TIMESCALE, flagged=True),
        main_added=count(ChangeKind.ADDED, ActionType.MAIN),
        assurance_added=count(ChangeKind.ADDED, ActionType.ASSURANCE),
        sub_actions_added=count(ChangeKind.ADDED, ActionType.SUB),
        main_proposed_to_close=count(ChangeKind.CLOSE, ActionType.MAIN),
        closures_closing_workstream=count(ChangeKind.CLOSE, ActionType.MAIN, closes_workstream=True),
        assurance_proposed_to_close=count(ChangeKind.CLOSE, ActionType.ASSURANCE),
        sub_actions_proposed_to_close=count(ChangeKind.CLOSE, ActionType.SUB),
        lead_changes=count(ChangeKind.LEAD))


_NUMBER = r"(\d+)"
_SUMMARY_PATTERNS = {
    "timescale_changes": rf"{_NUMBER} changes? made to action delivery timescales",
    "timescale_over_three_months": rf"with {_NUMBER} being more than three months",
    "assurance_added": rf"{_NUMBER} assurance actions? (?:has|have) been added",
    "sub_actions_added": rf"{_NUMBER} sub-actions? (?:has|have) been added",
    "main_added": rf"{_NUMBER} main actions? (?:has|have) been added",
    "main_proposed_to_close": rf"{_NUMBER} main actions? (?:is|are) proposed to be closed",
    "closures_closing_workstream": rf"\({_NUMBER} actions? closure will result in closure of workstream",
    "assurance_proposed_to_close": rf"{_NUMBER} assurance actions? (?:is|are) proposed to close",
    "sub_actions_proposed_to_close": rf"{_NUMBER} sub-actions? (?:is|are) proposed to close",
    "lead_changes": rf"{_NUMBER} changes? to delivery lead",
}


def read_change_summary(text: str) -> ChangeSummary:
    """The counts of a §10.4-style summary, from the report's text (002) or from :meth:`ChangeSummary.lines`."""
    found = {name: int(match.group(1)) for name, pattern in _SUMMARY_PATTERNS.items()
             if (match := re.search(pattern, text, re.IGNORECASE))}
    return ChangeSummary(**found)


def read_report_change_summary(path: Path) -> ChangeSummary:
    """002 §10.4's counts as the council printed them: the lines between "10.4" and section 11."""
    text = Path(path).read_text(encoding="utf-8")
    start = text.index("10.4 The changes made are summarised below")
    end = text.index("11 Reporting Framework", start)
    return read_change_summary(text[start:end])


class ImprovementPlanData(BaseModel):
    """The plan as the samples hold it: the agreed actions and, per quarter, what their leads returned."""

    source: str
    actions: list[ImprovementAction]
    returns: dict[str, list[ImprovementUpdate]] = Field(default_factory=dict)


class PlanHistoryRow(Record):
    """One action of the plan in one quarter: what the Improvement Plan history sheet keeps."""

    quarter: str
    ref: str
    theme: str
    workstream: str
    type: str
    directorate: str
    lead: str
    due: dt.date
    status: str = ""
    rag: str = ""
    propose_close: bool = False
    exception: str = ""

    def known(self) -> KnownState:
        return KnownState(lead=self.lead, due=self.due, propose_close=self.propose_close)


def plan_history_rows(quarter: str, results: Sequence[ImprovementResult]) -> list[PlanHistoryRow]:
    return [PlanHistoryRow(quarter=quarter, ref=r.action.ref, theme=r.action.theme, workstream=r.action.workstream,
                           type=r.action.type.value, directorate=r.action.directorate, lead=r.lead, due=r.due,
                           status=r.status, rag=r.rag or "", propose_close=r.propose_close,
                           exception=r.exception)
            for r in results]


class PlanReport(BaseModel):
    """The quarter's Improvement Plan as Consolidate writes it: every action, the changes, and History."""

    results: list[ImprovementResult]
    changes: list[PlanChange]
    history: list[PlanHistoryRow]

    @property
    def summary(self) -> ChangeSummary:
        return summarise_changes(self.changes)
