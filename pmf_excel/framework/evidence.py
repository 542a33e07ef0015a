"""Evidence behind a deliverable's self-rated status: its dates, milestones and % complete, and where they disagree.

Services rate their own actions (003), and members challenge those ratings:
an action can be "On Track" months after its due date. When a service gives
the evidence — a start and due date, milestones, a % complete — the tool
works out how far along the action should be by a date, suggests the status
the evidence supports, and flags a rating the evidence contradicts, so the
challenge is made on facts in Data quality and Exceptions. The rating itself
is only ever read: nothing here returns a status to replace it, because the
rating is the co-ordinator's to change, not the tool's.

The expected progress is linear from start to due, unless milestones say
otherwise (see :func:`expected_progress`). Dates in messages are written as
the council writes them, dd/mm/yyyy.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..rules.policy import DEFAULT_POLICY, Policy
from ..rules.verdicts import deliverable_rag, deliverable_status_name

#: How many percentage points behind its expected progress an action may be before the evidence suggests
#: "Significant issues/risks/slippage" (strictly more than this), and before an "On Track" rating is flagged.
#: A product decision: the seeds rate actions but give no rule for what counts as behind, so the bands are
#: set here in one place, a quarter of the whole action for Significant.
SIGNIFICANT_GAP = 25.0
#: Strictly more than this many points behind suggests "Medium Issue/Slippage": about five weeks of a year-long
#: action. Also a product decision; a gap at or below it is within what a quarterly return can show.
MEDIUM_GAP = 10.0

ON_TRACK, MEDIUM, SIGNIFICANT = "On Track", "Medium Issue/Slippage", "Significant issues/risks/slippage"
COMPLETE, NO_UPDATE = "Complete", "No update available"

Severity = Literal["Warning", "Information"]


class Milestone(BaseModel):
    """A dated step of an action. ``expected`` is the share of the whole action (0–1) that should be complete
    when this milestone is done; left out, it is spread evenly (:func:`milestone_shares`). It is checked with
    its action (:class:`Evidence`), so that a mistake is reported with the action's ref."""

    model_config = ConfigDict(frozen=True)

    name: str
    due: dt.date
    expected: float | None = None
    done: bool = False


class Evidence(BaseModel):
    """What a service gives to back its rating of an action: any of dates, % complete and milestones.

    Checked as a whole, so that a mistake is reported with the action's ref
    and the dates involved rather than as a bare field error.
    """

    model_config = ConfigDict(frozen=True)

    ref: str
    start: dt.date | None = None
    due: dt.date | None = None
    #: 0–100, as services write it.
    percent_complete: float | None = None
    #: In date order, each between the start and the due date (inclusive).
    milestones: list[Milestone] = Field(default_factory=list)
    #: Where this comes from: the words of 003 that give it, with the line, or ``illustrative``.
    source: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> "Evidence":
        problem = _problem(self)
        if problem:
            raise ValueError(f"{self.ref}: {problem}")
        return self


def _problem(evidence: Evidence) -> str:
    """The first thing wrong with the evidence, in words a service can fix; "" when nothing is."""
    start, due, percent = evidence.start, evidence.due, evidence.percent_complete
    if percent is not None and not 0 <= percent <= 100:
        return f"% complete is {percent:g}; give a number from 0 to 100."
    if start and due and due < start:
        return f"the due date {_day(due)} is before the start {_day(start)}."
    previous: Milestone | None = None
    for milestone in evidence.milestones:
        name = f"milestone {milestone.name!r} (due {_day(milestone.due)})"
        if start and milestone.due < start:
            return f"{name} is before the action starts on {_day(start)}."
        if due and milestone.due > due:
            return f"{name} is after the action is due on {_day(due)}."
        if previous and milestone.due < previous.due:
            return f"{name} comes before {previous.name!r} (due {_day(previous.due)}): list milestones in date order."
        if milestone.expected is not None and not 0 <= milestone.expected <= 1:
            return f"{name} expects a share of {milestone.expected:g}; give a share of the whole from 0 to 1."
        previous = milestone
    shares = [(m.name, m.expected) for m in evidence.milestones if m.expected is not None]
    for (before, low), (name, high) in zip(shares, shares[1:]):
        if high < low:
            return (f"milestone {name!r} expects {high:g}, less than the {low:g} of {before!r} before it: "
                    "the expected share cannot go down.")
    return ""


class EvidenceSet(BaseModel):
    """The evidence for a quarter's actions, as a file holds it: where it comes from and the date it is as of."""

    source: str
    as_of: dt.date
    items: list[Evidence]

    @model_validator(mode="after")
    def _one_item_per_action(self) -> "EvidenceSet":
        repeated = [ref for ref, n in Counter(item.ref for item in self.items).items() if n > 1]
        if repeated:
            raise ValueError(f"evidence is given more than once for: {', '.join(repeated)}")
        return self


class Disagreement(BaseModel):
    """A rating the evidence contradicts: a Warning when the rating looks better than the evidence, Information
    when it looks worse (a service being cautious is worth a word, not a challenge)."""

    model_config = ConfigDict(frozen=True)

    ref: str
    #: The rating as the council's list writes it; never changed by the tool.
    rated: str
    suggested: str
    message: str
    severity: Severity


class EvidenceResult(BaseModel):
    """An action's evidence assessed on a date, for the report: expected and actual progress (shares 0–1),
    the suggested status beside the rating, and the flags."""

    model_config = ConfigDict(frozen=True)

    ref: str
    expected: float | None
    progress: float | None
    suggested: str
    flags: list[Disagreement]


def milestone_shares(evidence: Evidence) -> list[float]:
    """Each milestone's expected share of the whole, in order, with the ones left out filled in.

    The rule: the profile starts at 0 (the start date) and ends at 1 (the due
    date); a milestone on the due date with no share is the action's
    completion, 1. Milestones without a share are spread evenly between the
    shares either side of them, by count: with none given, the i-th of n is
    i/(n+1), or i/n when the last milestone is on the due date.
    """
    milestones = evidence.milestones
    shares: list[float | None] = [m.expected for m in milestones]
    if milestones and shares[-1] is None and evidence.due is not None and milestones[-1].due == evidence.due:
        shares[-1] = 1.0
    anchored: list[float | None] = [0.0, *shares, 1.0]
    known = [i for i, share in enumerate(anchored) if share is not None]
    for low, high in zip(known, known[1:]):
        step = (anchored[high] - anchored[low]) / (high - low)
        for i in range(low + 1, high):
            anchored[i] = anchored[low] + step * (i - low)
    return [share for share in anchored[1:-1] if share is not None]


def profile(evidence: Evidence) -> list[tuple[dt.date, float]]:
    """The (date, expected share) points the expected progress runs through: (start, 0), each milestone, (due, 1).

    Empty without both a start and a due date: there is no profile to be behind.
    """
    if evidence.start is None or evidence.due is None:
        return []
    milestones = list(zip((m.due for m in evidence.milestones), milestone_shares(evidence)))
    return [(evidence.start, 0.0), *milestones, (evidence.due, 1.0)]


def expected_progress(evidence: Evidence, on: dt.date) -> float | None:
    """The share (0–1) of the action that should be complete by ``on``.

    None without both a start and a due date; 0 before the start; 1 on and
    after the due date. Between, it runs straight from (start, 0) to (due, 1),
    or through the milestones' (due, expected share) points when there are
    milestones. A milestone's share counts from its own date: what is due on
    ``on`` is expected by ``on``.
    """
    points = profile(evidence)
    if not points:
        return None
    if on < points[0][0]:
        return 0.0
    if on >= points[-1][0]:
        return 1.0
    before = [point for point in points if point[0] <= on][-1]
    after = next(point for point in points if point[0] > on)
    (since, low), (until, high) = before, after
    return low + (high - low) * (on - since).days / (until - since).days


def progress(evidence: Evidence) -> float | None:
    """The share (0–1) of the action done: the % complete when given, else the largest share of a milestone
    done (0 when none is); None when the evidence says nothing of progress."""
    if evidence.percent_complete is not None:
        return evidence.percent_complete / 100
    if evidence.milestones:
        return max((share for milestone, share in zip(evidence.milestones, milestone_shares(evidence))
                    if milestone.done), default=0.0)
    return None


def open_milestones(evidence: Evidence) -> list[Milestone]:
    return [milestone for milestone in evidence.milestones if not milestone.done]


def overdue_milestones(evidence: Evidence, on: dt.date) -> list[Milestone]:
    """Open milestones whose due date has passed: due on ``on`` is due today, not overdue."""
    return [milestone for milestone in open_milestones(evidence) if milestone.due < on]


def is_complete(evidence: Evidence) -> bool:
    """Done by the evidence: all of it (100%, or milestones done up to a share of 1) and no milestone open."""
    return progress(evidence) == 1 and not open_milestones(evidence)


def is_overdue(evidence: Evidence, on: dt.date) -> bool:
    """Past its due date (strictly) and not complete."""
    return evidence.due is not None and on > evidence.due and not is_complete(evidence)


def gap_points(evidence: Evidence, on: dt.date) -> float | None:
    """Percentage points behind the expected progress (negative when ahead); None without a profile or progress."""
    expected, done = expected_progress(evidence, on), progress(evidence)
    if expected is None or done is None:
        return None
    return round((expected - done) * 100, 6)  # 75.00000000000001 is 75: the thresholds are compared exactly


def suggested_status(evidence: Evidence, on: dt.date) -> str:
    """The status the evidence supports on ``on``: one of the five, checked in this order.

    No dates, % or milestones: "No update available". Done by
    :func:`is_complete` (100% with no milestone open): "Complete". Past due and not complete: Significant. More than
    :data:`SIGNIFICANT_GAP` points behind the profile: Significant; more than
    :data:`MEDIUM_GAP` behind, or a milestone overdue: Medium. Dates but no
    progress at all: "No update available" (nothing says how far it is).
    Otherwise, including a % without dates to judge it by: "On Track".
    """
    if (evidence.start is None and evidence.due is None and evidence.percent_complete is None
            and not evidence.milestones):
        return NO_UPDATE
    if is_complete(evidence):
        return COMPLETE
    if is_overdue(evidence, on):
        return SIGNIFICANT
    if progress(evidence) is None:
        return NO_UPDATE
    gap = gap_points(evidence, on)
    if gap is not None and gap > SIGNIFICANT_GAP:
        return SIGNIFICANT
    if gap is not None and gap > MEDIUM_GAP or overdue_milestones(evidence, on):
        return MEDIUM
    return ON_TRACK


def disagreements(rated_status: object, evidence: Evidence, on: dt.date,
                  policy: Policy = DEFAULT_POLICY) -> list[Disagreement]:
    """Where the evidence contradicts the rating; [] when it does not.

    The rating is read by its RAG, so a policy's own status names work too.
    Warnings: On Track (Green) while past the due date, or while more than
    :data:`SIGNIFICANT_GAP` points behind the profile (the overdue flag
    alone when both); Complete with milestones open, and Complete below
    100%. Information: Medium or Significant (Amber or Red) while the
    evidence says complete, or ahead of the profile with nothing overdue.
    A smaller gap (On Track but Medium by the evidence) is shown by the
    suggested status, not flagged: a quarter's return is not that precise.
    A status that is not one of the policy's raises :class:`PMFValueError`,
    as :func:`deliverable_rag` does.
    """
    rag = deliverable_rag(rated_status, policy)
    rated = deliverable_status_name(rated_status, policy)
    suggested = suggested_status(evidence, on)

    def flag(message: str, severity: Severity = "Warning") -> Disagreement:
        return Disagreement(ref=evidence.ref, rated=rated, suggested=suggested, message=f"{rated} but {message}",
                            severity=severity)

    gap, expected = gap_points(evidence, on), expected_progress(evidence, on)
    flags = []
    if rag == "Green":
        if is_overdue(evidence, on):
            flags.append(flag(f"due {_day(evidence.due)} and {_done(evidence)} on {_day(on)}"))
        elif gap is not None and gap > SIGNIFICANT_GAP:
            flags.append(flag(f"{gap:.0f} points behind its profile: {_done(evidence)}, {expected * 100:.0f}% "
                              f"expected by {_day(on)}"))
    elif rag == "Complete":
        still_open = open_milestones(evidence)
        if still_open:
            listed = ", ".join(f"{m.name} (due {_day(m.due)})" for m in still_open)
            flags.append(flag(f"a milestone is still open: {listed}" if len(still_open) == 1
                              else f"{len(still_open)} milestones are still open: {listed}"))
        if evidence.percent_complete is not None and evidence.percent_complete < 100:
            flags.append(flag(f"{_done(evidence)} on {_day(on)}"))
    elif rag in ("Amber", "Red"):
        if is_complete(evidence):
            flags.append(flag(f"complete by its evidence: {_done(evidence)} with no milestone open on {_day(on)}",
                              "Information"))
        elif (gap is not None and gap < 0 and not is_overdue(evidence, on)
              and not overdue_milestones(evidence, on)):
            flags.append(flag(f"{_done(evidence)}, ahead of the {expected * 100:.0f}% expected by {_day(on)}",
                              "Information"))
    return flags


def assess_evidence(rated_status: object, evidence: Evidence, on: dt.date,
                    policy: Policy = DEFAULT_POLICY) -> EvidenceResult:
    """One action's evidence on ``on`` for the report: what was expected and done, what it suggests, the flags."""
    return EvidenceResult(ref=evidence.ref, expected=expected_progress(evidence, on), progress=progress(evidence),
                          suggested=suggested_status(evidence, on),
                          flags=disagreements(rated_status, evidence, on, policy))


def assess_evidence_set(evidence: EvidenceSet, ratings: Mapping[str, object],
                        policy: Policy = DEFAULT_POLICY) -> list[EvidenceResult]:
    """Every item of the set on its ``as_of`` date against the ratings by ref; an action not rated is blank."""
    return [assess_evidence(ratings.get(item.ref), item, evidence.as_of, policy) for item in evidence.items]


def _day(day: dt.date | None) -> str:
    return "" if day is None else f"{day:%d/%m/%Y}"


def _done(evidence: Evidence) -> str:
    """Progress as a message says it: "60% complete", "50% complete by its milestones", "no % complete given"."""
    if evidence.percent_complete is not None:
        return f"{evidence.percent_complete:g}% complete"
    done = progress(evidence)
    return "no % complete given" if done is None else f"{done * 100:.0f}% complete by its milestones"
