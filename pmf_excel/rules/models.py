"""Typed models of what a council report holds: values, targets, tolerances, polarity, results.

Numbers are held the way Excel holds them (71% is 0.71, a duration is a
fraction of a day) so that a formatted cell and the text a co-ordinator typed
are the same value once read.
"""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict

SECONDS_PER_DAY = 86_400.0


class Kind(StrEnum):
    """What a number measures; decides how it is compared, shown and formatted in Excel."""

    PERCENTAGE = "percentage"
    MONEY = "money"
    COUNT = "count"
    DURATION = "duration"
    DAYS = "days"
    RATING = "rating"
    CATEGORY = "category"
    #: A bare number from an Excel cell: no unit of its own, so it takes the unit
    #: of whatever it is compared with (a %-formatted 0.71 is 71%).
    NUMBER = "number"
    MISSING = "missing"


class Annotation(BaseModel):
    """Context written beside a value: never part of the value, always kept."""

    model_config = ConfigDict(frozen=True)

    kind: Literal[
        "cumulative", "revised", "provisional", "date", "note", "year_end", "annual",
        "per_period", "qualifier", "typo", "tolerance_score", "profile",
    ]
    text: str
    number: float | None = None


class Value(BaseModel):
    """One value as read: its kind, the number Excel should hold, the unit and the text it came from."""

    model_config = ConfigDict(frozen=True)

    kind: Kind
    number: float | None
    unit: str = ""
    text: str
    annotations: tuple[Annotation, ...] = ()

    @property
    def is_missing(self) -> bool:
        return self.kind is Kind.MISSING

    @property
    def cumulative(self) -> float | None:
        """The cumulative figure written beside a period value, e.g. 321,009 in ``163,278 (321,009 cumulative)``."""
        return next((a.number for a in self.annotations if a.kind == "cumulative"), None)

    @property
    def revised(self) -> bool:
        return any(a.kind == "revised" for a in self.annotations)

    @property
    def provisional(self) -> bool:
        return any(a.kind == "provisional" for a in self.annotations)

    def has(self, kind: str) -> bool:
        return any(a.kind == kind for a in self.annotations)

    def show(self) -> str:
        """The value as a report would print it: ``71%``, ``£207k``, ``1 min 27 secs``."""
        return show_number(self.number, self.kind, self.unit)


class Polarity(StrEnum):
    """Which way is better. RANGE is ``NA - dependent``: inside a range target is best."""

    BIGGER = "Bigger is better"
    SMALLER = "Smaller is better"
    RANGE = "Range (NA - dependent)"
    NONE = "No direction"

    @property
    def sign(self) -> int:
        return {Polarity.BIGGER: 1, Polarity.SMALLER: -1}.get(self, 0)


class Target(BaseModel):
    """A target as written: a value (maybe with a comparator), a range, or none."""

    model_config = ConfigDict(frozen=True)

    #: ``words``: a target written in words (``July completion``), which only a
    #: measure with no direction may have; it is never compared with a figure.
    kind: Literal["value", "range", "words", "missing"]
    text: str
    value: Value | None = None
    comparator: Literal["<", ">", "<=", ">="] | None = None
    low: Value | None = None
    high: Value | None = None
    #: The quarter's profile written inside the cell (``1,200 tonnes (300 tonnes – Q1 profile)``) and its quarter.
    profile: Value | None = None
    profile_quarter: int | None = None
    #: Set when a policy judges against the profile: the annual figure the cell also gives (``value`` is then the
    #: profile figure).
    annual: Value | None = None

    @property
    def is_missing(self) -> bool:
        return self.kind == "missing"

    @property
    def year_end(self) -> bool:
        return self.value is not None and self.value.has("year_end")

    def show(self) -> str:
        if self.kind == "range":
            return f"{self.low.show()}–{self.high.show()}"
        if self.kind == "value":
            shown = f"{self.comparator or ''}{self.value.show()}"
            if self.annual is not None:
                shown += f" (the Q{self.profile_quarter} profile of {self.annual.show()})"
            return shown
        return self.text

    def judged_by_profile(self) -> "Target":
        """This target judged against the profile figure its cell writes, the annual figure kept beside it."""
        if self.profile is None:
            return self
        return self.model_copy(update={"value": self.profile, "annual": self.value, "profile": None})


class Tolerance(BaseModel):
    """How far worse than target is still Amber.

    ``relative``: a share of the target value (``5%``); ``points``: absolute
    percentage points (``5pp``); ``band``: the band's far edge is the limit;
    ``threshold``: the limit itself (``92% (tolerance score)``);
    ``range_share``: a share of a range target's width (``<>10% of the range``);
    ``none``: no Amber band, so worse than target is Red;
    ``words``: an amber band given only in words (``close to target``), which
    the engine does not turn into a number: the officer's rating places a
    missed target (read only under a policy that asks for officer ratings).
    """

    model_config = ConfigDict(frozen=True)

    kind: Literal["relative", "points", "band", "threshold", "range_share", "none", "words"]
    text: str
    share: float | None = None
    low: Value | None = None
    high: Value | None = None
    limit: Value | None = None


class Thresholds(BaseModel):
    """The limits a measure is judged against, on the scale Excel holds its values in.

    Green when ``green_low <= performance <= green_high``, else Amber when
    ``amber_low <= performance <= amber_high``, else Red. Unbounded sides are
    infinite. Four numbers per measure are all the live RAG formulas in a
    return and the vectorised path need.
    """

    model_config = ConfigDict(frozen=True)

    kind: Kind
    unit: str = ""
    green_low: float
    green_high: float
    amber_low: float
    amber_high: float

    def describe_amber(self) -> str:
        """The Amber band in words, for explanations: ``70.1%–75%`` style limits."""
        low, high = self.amber_low, self.amber_high
        if low == self.green_low and high == self.green_high:
            return "no tolerance band"
        if math.isinf(high) and math.isinf(self.green_high):
            return f"down to {show_number(low, self.kind, self.unit)}"
        if math.isinf(low) and math.isinf(self.green_low):
            return f"up to {show_number(high, self.kind, self.unit)}"
        return f"{show_number(low, self.kind, self.unit)}–{show_number(high, self.kind, self.unit)}"


class Trend(BaseModel):
    """What a direction of travel by trend compares with: the earlier periods' figures, latest first (a blank keeps
    its period's place), over which, with the current figure, a regression line is fitted."""

    model_config = ConfigDict(frozen=True)

    figures: tuple[object, ...]


class Finding(BaseModel):
    """A data-quality warning: a stable code for filtering and a sentence for people."""

    model_config = ConfigDict(frozen=True)

    code: str
    message: str


RagResult = Literal["Green", "Amber", "Red", "No target", "No data"]
DotResult = Literal["Improving", "Worsening", "No change", "Not comparable"]
DeliverableResult = Literal["Green", "Amber", "Red", "Complete", "No update"]


class Assessment(BaseModel):
    """Everything the engine concluded about one measure, and why."""

    model_config = ConfigDict(frozen=True)

    rag: RagResult
    reason: str
    breach: bool | None
    polarity: Polarity
    target: Target
    tolerance: Tolerance
    performance: Value | None = None
    thresholds: Thresholds | None = None
    dot_short: DotResult | None = None
    dot_long: DotResult | None = None
    warnings: tuple[Finding, ...] = ()
    #: The rule policy and version that produced it (``PMF default v1``).
    policy: str = "PMF default v1"


class MultiPartAssessment(BaseModel):
    """A measure of several parts (B12a, C14, O8a/O8b): each part judged on its own, the measure shows its worst."""

    model_config = ConfigDict(frozen=True)

    rag: RagResult
    reason: str
    breach: bool | None
    dot_short: DotResult | None = None
    dot_long: DotResult | None = None
    parts: dict[str, Assessment]
    warnings: tuple[Finding, ...] = ()


def show_number(number: float | None, kind: Kind, unit: str = "") -> str:
    """Print a held number the way a council report writes it."""
    if number is None:
        return "blank"
    if kind is Kind.PERCENTAGE:
        return f"{_trim(number * 100)}%"
    if kind is Kind.MONEY:
        sign = "-" if number < 0 else ""
        size = abs(number)
        if size >= 1_000_000:
            return f"{sign}£{_trim(size / 1_000_000, 3)}m"
        if size >= 10_000:
            return f"{sign}£{_trim(size / 1_000, 1)}k"
        return f"{sign}£{_trim(size, 2)}"
    if kind is Kind.DURATION:
        return _show_duration(number * SECONDS_PER_DAY)
    if kind is Kind.DAYS:
        return f"{_trim(number)} days"
    if kind is Kind.RATING:
        return f"{_trim(number)}{unit}"
    if kind is Kind.CATEGORY:
        return f"Category {_trim(number)}"
    if kind is Kind.COUNT and abs(number) >= 10_000:
        return f"{number:,.{_decimals(number)}f}"
    return _trim(number)


_LONGEST_SHOWN = 1e12  # seconds: some 30,000 years


def _trim(number: float, places: int = 4) -> str:
    text = f"{number:.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _decimals(number: float) -> int:
    return 0 if float(number).is_integer() else 2


def _show_duration(seconds: float) -> str:
    if not abs(seconds) < _LONGEST_SHOWN:  # no real duration, and hours of it could not be counted
        return f"{seconds:,.4g} secs"
    seconds = round(seconds, 2)
    hours, rest = divmod(int(seconds), 3600)
    minutes = rest // 60
    secs = round(seconds - hours * 3600 - minutes * 60, 2)
    parts = []
    if hours:
        parts.append(f"{hours} hr{'s' if hours != 1 else ''}")
    if minutes:
        parts.append(f"{minutes} min{'s' if minutes != 1 else ''}")
    if secs or not parts:
        parts.append(f"{_trim(secs, 2)} sec{'s' if secs != 1 else ''}")
    return " ".join(parts)
