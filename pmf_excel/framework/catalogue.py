"""The basket of measures and actions: each definition as the performance team maintains it.

The catalogue is what returns are generated from and what Consolidate judges
against, so it must be right to the letter and its provenance readable: each
change made to the council's printed text when it was built is a
:class:`CleaningNote` saying what was printed, what is kept and why.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..rules.errors import PMFValueError
from ..rules.models import Kind, Value
from ..rules.parts import PartLabel, assess_parts
from ..rules.policy import DEFAULT_POLICY, Policy, ToleranceMeaning
from ..rules.targets import profiled_target
from ..rules.values import read_value
from ..rules.verdicts import read_measure
from .evidence import Evidence
from .improvement_plan import ImprovementAction
from .quarters import previous_quarter
from .records import Record
from .risks import Risk

Frequency = Literal["quarterly", "annual", "biannual", "termly", "three times a year"]


class CleaningNote(BaseModel):
    """One decision taken over the council's printed text."""

    model_config = ConfigDict(frozen=True)

    ref: str
    field: str
    printed: str
    kept: str
    why: str


#: The quarters a measure reports in when the catalogue does not say: an annual measure at the year end, a
#: biannual one at the half year and the year end, a termly one after each school term (summer term in Q2,
#: autumn in Q3, spring in Q4).
DEFAULT_REPORTS_IN: dict[str, tuple[int, ...]] = {
    "quarterly": (1, 2, 3, 4), "annual": (4,), "biannual": (2, 4), "termly": (2, 3, 4),
    "three times a year": (2, 3, 4)}
#: How a line of a multi-part measure is named: ``C14 › litter``.
PART_SEPARATOR = " › "
#: An even profile: a quarter of a year-end target by the end of each quarter.
EVEN_PROFILE = (0.25, 0.5, 0.75, 1.0)
#: The units a measure's figures can be in, as the catalogue names them, each with a figure in that unit as the
#: engine reads it; a rating is named by its scale (``/5``).
UNITS = {"%": "0%", "£": "£0", "count": "0", "days": "0 days", "duration": "0 mins", "category": "Category 0"}
_UNIT_NAMES = {Kind.PERCENTAGE: "%", Kind.MONEY: "£", Kind.COUNT: "count", Kind.DAYS: "days",
               Kind.DURATION: "duration", Kind.CATEGORY: "category"}


def unit_name(value: Value) -> str:
    """The catalogue's name of a figure's unit (``%``, ``£``, ``/5``); blank for a bare number or no figure."""
    return value.unit if value.kind is Kind.RATING else _UNIT_NAMES.get(value.kind, "")


class MeasureDefinition(Record):
    """An indicator of the basket, as the performance team maintains it."""

    ref: str
    printed_ref: str
    indicator: str
    outcome: str
    directorate: str
    polarity: str
    target: str
    tolerance: str
    frequency: Frequency = "quarterly"
    cumulative: bool = False
    base: str | None = None
    parts: list[PartLabel] = Field(default_factory=list)
    #: The quarters (1–4) it reports in; empty means the frequency's usual quarters (:data:`DEFAULT_REPORTS_IN`).
    reports_in: list[int] = Field(default_factory=list)
    #: How many quarters behind the figure is: 2 when a Q2 return carries the figure for Q4 of the year before.
    lag: int = Field(default=0, ge=0, le=8)
    #: The target is for the year end and each quarter is judged against its share of it (``profile``).
    year_end_target: bool = False
    #: The share of a year-end target due by the end of Q1, Q2, Q3 and Q4.
    profile: tuple[float, float, float, float] = EVEN_PROFILE
    #: This measure's own reading of its tolerance and its own no-change band, over the policy's.
    tolerance_meaning: ToleranceMeaning | None = None
    no_change_band: float | None = Field(default=None, ge=0)
    #: Who set the tolerance and why: members ask.
    tolerance_owner: str = ""
    tolerance_rationale: str = ""
    #: The class of measure it is (a council's "Vital sign"), whose settings the policy may give of their own.
    measure_class: str = ""
    #: The unit its figures are in (:data:`UNITS`, or a rating's scale such as ``/5``), for a measure whose target
    #: does not say (NA, TBC, No target): so that a figure typed as a bare number (0.647 in a %-formatted cell)
    #: is read, judged and shown in it. A target's own unit comes first.
    unit: str = ""

    @model_validator(mode="after")
    def _reporting_is_consistent(self) -> "MeasureDefinition":
        """Reporting quarters that match the frequency, and a profile that rises to the whole target at the year
        end: anything else would judge a quarter against the wrong figure."""
        quarters = self.reports_in or list(DEFAULT_REPORTS_IN[self.frequency])
        if len(set(quarters)) != len(quarters) or not set(quarters) <= {1, 2, 3, 4}:
            raise ValueError(f"{self.ref}: reports in {quarters}: each quarter 1 to 4, once")
        if len(quarters) != len(DEFAULT_REPORTS_IN[self.frequency]):
            article = "an" if self.frequency[0] in "aeiou" else "a"
            raise ValueError(f"{self.ref}: {article} {self.frequency} measure reports in "
                             f"{len(DEFAULT_REPORTS_IN[self.frequency])} quarter(s), not {len(quarters)}")
        self.reports_in = sorted(quarters)
        if any(b < a for a, b in zip(self.profile, self.profile[1:])) or not 0 <= self.profile[0] \
                or self.profile[-1] != 1:
            raise ValueError(f"{self.ref}: a profile rises from Q1 to the whole target (100%) at Q4, "
                             f"not {', '.join(f'{share:.0%}' for share in self.profile)}")
        return self

    def line_refs(self) -> list[str]:
        """The refs of its return lines: its own, or one per part (``C14 › litter``)."""
        return [f"{self.ref}{PART_SEPARATOR}{part.name}" for part in self.parts] or [self.ref]

    def due_in(self, quarter: str) -> bool:
        """Whether a figure is due in the return for ``quarter``."""
        return int(quarter[-1]) in self.reports_in

    def period(self, quarter: str) -> str:
        """The quarter the figure returned in ``quarter`` is for (``lag`` quarters before)."""
        for _ in range(self.lag):
            quarter = previous_quarter(quarter)
        return quarter

    def policy(self, policy: Policy) -> Policy:
        """The policy this measure is judged under: ``policy`` with its class's settings and the measure's own
        overrides."""
        return policy.for_measure(self.tolerance_meaning, self.no_change_band, self.measure_class or None)

    @property
    def unit_value(self) -> Value | None:
        """The unit as a figure the engine reads, to compare figures with; None when the catalogue gives none."""
        return read_value(UNITS.get(self.unit, f"0{self.unit}")) if self.unit else None

    def target_in(self, quarter: str) -> str:
        """The target a figure for ``quarter`` is judged against: the target, or its share of a year-end target."""
        if not self.year_end_target:
            return self.target
        return profiled_target(self.target, self.profile[int(self.period(quarter)[-1]) - 1])

    @model_validator(mode="after")
    def _definition_is_readable(self) -> "MeasureDefinition":
        """A catalogue entry the engine cannot read would fail every return: refuse it here, naming the ref."""
        if self.unit and self.unit not in UNITS and not re.fullmatch(r"/\d+(\.\d+)?", self.unit):
            raise ValueError(f"{self.ref}: the unit {self.unit!r} is not one of {', '.join(UNITS)} or a rating's "
                             "scale such as /5")
        try:
            if self.parts:
                assess_parts(None, self.target, self.tolerance, self.polarity, self.parts, base=self.base,
                             policy=READING_POLICY)
            else:
                read_measure(self.target, self.tolerance, self.polarity, self.base, READING_POLICY)
        except PMFValueError as error:
            raise ValueError(f"{self.ref}: {error}") from None
        return self


#: What a catalogue entry is read under to check it can be judged at all: the default rules, with an amber band
#: given only in words allowed (a policy that asks officers for their rating judges such a measure; under any
#: other, Consolidate reports it).
READING_POLICY = DEFAULT_POLICY.model_copy(update={"officer_rating": "beside the engine"})


class EarlierFigure(BaseModel):
    """A figure a measure had before the framework kept History: from the council's own tracker, imported with its
    catalogue, so that the first returns and the first consolidation have last quarter's, last year's and a
    trend's figures."""

    model_config = ConfigDict(frozen=True)

    ref: str
    quarter: str
    figure: float | str


class ActionDefinition(Record):
    """A directorate action (a deliverable) of the Corporate Plan, as 003 prints it."""

    ref: str
    cp_ref: str
    commitment: str
    bp_ref: str
    action: str
    outcome: str
    directorate: str
    printed_line: int


class Exclusion(BaseModel):
    ref: str
    line: int
    why: str


class Catalogue(BaseModel):
    """The basket of measures with the log of how it was made from the printed report."""

    source: str
    measures: list[MeasureDefinition]
    actions: list[ActionDefinition] = Field(default_factory=list)
    improvement_plan: list[ImprovementAction] = Field(default_factory=list)
    risks: list[Risk] = Field(default_factory=list)
    #: Which comparator metric (an LG Inform metric's name or id) is which of our measures.
    benchmark_map: dict[str, str] = Field(default_factory=dict)
    #: What backs an action's self-rated status: its dates, milestones and % complete.
    evidence: list[Evidence] = Field(default_factory=list)
    #: Figures from before History, by measure line and quarter (History's own win wherever it has one).
    earlier_figures: list[EarlierFigure] = Field(default_factory=list)
    excluded: list[Exclusion] = Field(default_factory=list)
    cleaning: list[CleaningNote] = Field(default_factory=list)

    @model_validator(mode="after")
    def _refs_are_unique(self) -> "Catalogue":
        refs = [m.ref for m in self.measures] + [a.ref for a in self.actions] + \
            [a.ref for a in self.improvement_plan] + [r.ref for r in self.risks]
        repeated = [ref for ref, n in Counter(refs).items() if n > 1]
        if repeated:
            raise ValueError(f"refs appear more than once in the catalogue: {', '.join(repeated)}")
        strangers = sorted({e.ref for e in self.evidence} - {a.ref for a in self.actions}) + sorted(
            {ref for ref in self.benchmark_map.values()} - {m.ref for m in self.measures}) + sorted(
            {f.ref.split(PART_SEPARATOR)[0] for f in self.earlier_figures} - {m.ref for m in self.measures})
        if strangers:
            raise ValueError(f"evidence, benchmark metrics or earlier figures for refs the catalogue does not hold: "
                             f"{', '.join(strangers)}")
        return self

    def figures_before(self) -> dict[tuple[str, str], float | str]:
        """The earlier figures by (quarter, line ref), as History keys its own."""
        return {(figure.quarter, figure.ref): figure.figure for figure in self.earlier_figures}

    def windows_before(self, quarter: str, periods: int = 12) -> dict[str, list[float | str | None]]:
        """Each line's earlier figures for the ``periods`` quarters before ``quarter``, latest first (None where
        there is none): last quarter's first, the same quarter last year's fourth."""
        quarters = [previous_quarter(quarter)]
        while len(quarters) < periods:
            quarters.append(previous_quarter(quarters[-1]))
        held = self.figures_before()
        return {ref: [held.get((when, ref)) for when in quarters]
                for ref in dict.fromkeys(figure.ref for figure in self.earlier_figures)}

    def directorates(self) -> list[str]:
        """Every directorate with something to return: measures, actions, improvement actions or risks."""
        named = [item.directorate for items in (self.measures, self.actions, self.improvement_plan, self.risks)
                 for item in items]
        return list(dict.fromkeys(named))

    def of_directorate(self, directorate: str) -> "Catalogue":
        """The part of the catalogue one directorate returns."""
        return self.model_copy(update={name: [item for item in getattr(self, name) if item.directorate == directorate]
                                       for name in ("measures", "actions", "improvement_plan", "risks")})

    def actions_by_directorate(self) -> dict[str, list[ActionDefinition]]:
        return _grouped(self.actions)

    def by_directorate(self) -> dict[str, list[MeasureDefinition]]:
        return _grouped(self.measures)

    def plan_by_directorate(self) -> dict[str, list[ImprovementAction]]:
        return _grouped(self.improvement_plan)

    def risks_by_directorate(self) -> dict[str, list[Risk]]:
        return _grouped(self.risks)


def _grouped(items: list) -> dict[str, list]:
    grouped: dict[str, list] = {}
    for item in items:
        grouped.setdefault(item.directorate, []).append(item)
    return grouped
