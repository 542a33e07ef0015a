"""What a directorate return holds, line by line, before it is written to a workbook.

A multi-part measure (C14's litter, detritus, graffiti, fly-posting) becomes
one line per part, each with its own target, tolerance and polarity, because
each part has its own RAG and DOT. Every line carries the limits the engine
computed, so the workbook's native formulas judge it without the engine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict

from ..rules.errors import PMFValueError
from ..rules.models import Kind, Polarity, Value
from ..rules.parts import split_parts
from ..rules.policy import DEFAULT_POLICY, Policy
from ..rules.thresholds import comparable
from ..rules.trend import TrendFit, fit_trend
from ..rules.values import held_number, read_value
from ..rules.verdicts import average_figure, no_change_width, read_measure
from .catalogue import PART_SEPARATOR, MeasureDefinition
from .records import Record

#: Excel has no infinity: an unbounded limit is written as this, far beyond any council figure.
EXCEL_INFINITY = 1e300
#: The two directions of travel: short term and long term.
Term = Literal["short", "long"]


class JudgedBy(Record):
    """What the engine judges a line by, in the form a sheet's native formulas take it.

    The limits are on the scale Excel holds values in (None when there is no
    target); the better direction is 1, -1, or 0 when the polarity gives
    none; the figure is divided by the divisor first (a budget variance's
    base); the policy is the line's own (its measure's overrides applied).
    The bases are what the short- and long-term directions compare with, as
    numbers the engine read: the earlier figure in the line's unit, or the
    average of the last periods where the policy says so; None where there is
    nothing to compare with (``NA - New PI``, a figure in another unit).
    Where the policy's direction is the trend over the last periods, the
    parts of it the earlier figures fix and its no-change band; where it
    colours a missed target by the year-end forecast, the green limits of the
    year's target the forecast is judged against.
    """

    model_config = ConfigDict(frozen=True)

    limits: tuple[float, float, float, float] | None = None
    sign: int = 0
    divisor: float = 1.0
    policy: Policy = DEFAULT_POLICY
    short_basis: float | None = None
    long_basis: float | None = None
    trend: TrendFit | None = None
    trend_band: float = 0.0
    forecast_limits: tuple[float, float] | None = None


class ReturnLine(BaseModel):
    """One row of a return's Measures sheet."""

    model_config = ConfigDict(frozen=True)

    ref: str
    indicator: str
    outcome: str
    polarity: str
    target: str
    tolerance: str
    frequency: str
    kind: Kind
    #: The unit text of that kind (``/5`` for a rating out of 5), so a cell's number can be typed exactly.
    unit: str = ""
    last_quarter: float | str | None = None
    last_year: float | str | None = None
    performance: float | str | None = None
    commentary: str = ""
    #: green_low, green_high, amber_low, amber_high as Excel can hold them; None when there is no target.
    limits: tuple[float, float, float, float] | None = None
    sign: int = 0
    #: The performance is divided by this before it is judged: a budget variance's base, else 1.
    divisor: float = 1.0
    #: Whether a figure is due this quarter, and the quarter the figure is for (earlier, for a lagging measure).
    due: bool = True
    period: str = ""
    #: The quarters it reports in, as the return says them: ``Q1 and Q3``.
    reports_in: str = ""
    #: The policy it is judged under (the measure's own overrides applied): its formulas follow it.
    policy: Policy = DEFAULT_POLICY
    #: Where the policy compares with an average of the last periods: that average, as a cell holds it.
    short_average: float | None = None
    long_average: float | None = None
    #: Where the policy's direction is the trend over the last periods: the parts of it the earlier figures fix,
    #: and the no-change band for them (a native formula finishes the trend with this quarter's figure).
    trend: TrendFit | None = None
    trend_band: float = 0.0
    #: The year-end forecast typed, and the green limits of the year-end target it is judged against.
    forecast: float | str | None = None
    forecast_limits: tuple[float, float] | None = None
    #: The responsible officer's own rating, as typed.
    officer_rating: str = ""
    #: The amber band is given only in words: an officer's Amber or Red for a missed target agrees with the engine.
    amber_in_words: bool = False

    def with_window(self, window: list[object]) -> "ReturnLine":
        """The line with what its policy compares with over the last periods' figures (latest first): their
        average (none where it is not in the line's unit, a count against a percentage, as the engine compares),
        and the parts of their trend."""
        figures = window[:self.policy.average_periods]
        average = average_figure(figures)
        number = average.number if average is not None and in_unit(average, self.unit_value) else None
        held = [as_cell(figure, self.unit_value) for figure in figures]
        fit = fit_trend([float(figure) if isinstance(figure, (int, float)) else None for figure in held])
        return self.model_copy(update={"short_average": number, "long_average": number, "trend": fit,
                                       "trend_band": no_change_width(fit.reference, self.policy) if fit else 0.0})

    @property
    def unit_value(self) -> Value | None:
        """The line's unit as a value to compare figures with; None for a plain number, which takes any unit."""
        return Value(kind=self.kind, number=0.0, unit=self.unit, text="") if self.kind is not Kind.NUMBER else None

    @property
    def judged_by(self) -> JudgedBy:
        """What the line's formulas judge it by; its earlier figures are already in its unit (:func:`as_cell`)."""
        def basis(term: Term) -> float | None:
            kind = self.policy.short_term_basis if term == "short" else self.policy.long_term_basis
            if kind == "average of last periods":
                return self.short_average if term == "short" else self.long_average
            figure = self.last_year if kind == "same period last year" else self.last_quarter
            return float(figure) if isinstance(figure, (int, float)) else None

        return JudgedBy(limits=self.limits, sign=self.sign, divisor=self.divisor, policy=self.policy,
                        short_basis=basis("short"), long_basis=basis("long"), trend=self.trend,
                        trend_band=self.trend_band, forecast_limits=self.forecast_limits)

    def in_unit(self, raw: object) -> float | str | None:
        """A figure as a cell of this line holds it (:func:`as_cell`): a number in the line's unit, else text."""
        return as_cell(raw, self.unit_value)

    @property
    def measure_ref(self) -> str:
        return self.ref.split(PART_SEPARATOR)[0]


def lines_for(measure: MeasureDefinition, quarter: str, last_quarter: str | None = None,
              last_year: str | None = None, performance: object = None, commentary: str = "",
              policy: Policy = DEFAULT_POLICY) -> list[ReturnLine]:
    """The return lines of one measure in ``quarter``'s return: one, or one per part; each judged against the
    quarter's target (its share of a year-end target) under the measure's policy, and marked not due outside
    the measure's quarters."""
    target = measure.target_in(quarter)
    policy = measure.policy(policy)
    schedule = {"due": measure.due_in(quarter), "period": measure.period(quarter),
                "reports_in": " and ".join(", ".join(f"Q{q}" for q in measure.reports_in).rsplit(", ", 1)),
                "policy": policy}
    if not measure.parts:
        return [_line(measure.ref, measure, target, measure.tolerance, measure.polarity,
                      last_quarter, last_year, performance, commentary, policy).model_copy(update=schedule)]
    fields = {"target": target, "tolerance": measure.tolerance, "polarity": measure.polarity,
              "last_quarter": last_quarter, "last_year": last_year, "performance": performance}
    split = {name: split_parts(value, measure.parts) for name, value in fields.items()}
    lines = []
    for part in measure.parts:
        own = {name: (split[name].get(part.name, "") if split[name] is not None else value)
               for name, value in fields.items()}
        lines.append(_line(f"{measure.ref}{PART_SEPARATOR}{part.name}", measure, own["target"], own["tolerance"],
                           own["polarity"], own["last_quarter"], own["last_year"], own["performance"],
                           commentary, policy).model_copy(update=schedule))
    return lines


def _line(ref: str, measure: MeasureDefinition, target: str, tolerance: str, polarity: str,
          last_quarter: object, last_year: object, performance: object, commentary: str,
          policy: Policy) -> ReturnLine:
    read = read_measure(target, tolerance, polarity, measure.base, policy)
    held = read.target.value or read.target.low
    if read.base is not None:  # a budget variance: pounds typed, judged as a share of the base
        unit, divisor = read_value("£0"), read.base.number
    else:
        unit = held if held is not None else measure.unit_value or _first_readable(performance, last_quarter,
                                                                                   last_year)
        divisor = 1.0
    limits = forecast_limits = None
    if read.limits is not None:
        limits = tuple(_in_excel(x) for x in read.limits)
    if policy.amber_by_forecast:
        year_end = read.year_end
        if measure.year_end_target:  # the quarter's target is a profile: a forecast is for the year's
            year_end = read_measure(measure.target, tolerance, polarity, measure.base, policy).on_target
        forecast_limits = None if year_end is None else (_in_excel(year_end.green_low), _in_excel(year_end.green_high))
    return ReturnLine(
        ref=ref, indicator=measure.indicator, outcome=measure.outcome, polarity=polarity, target=target,
        tolerance=tolerance, frequency=measure.frequency, kind=unit.kind if unit else Kind.NUMBER,
        unit=unit.unit if unit else "",
        last_quarter=as_cell(last_quarter, unit), last_year=as_cell(last_year, unit),
        performance=as_cell(performance, unit), commentary=commentary, limits=limits, divisor=divisor,
        sign=read.polarity.sign if read.polarity in (Polarity.BIGGER, Polarity.SMALLER) else 0,
        forecast_limits=forecast_limits, amber_in_words=read.tolerance.kind == "words",
    )


def _in_excel(limit: float) -> float:
    return max(-EXCEL_INFINITY, min(EXCEL_INFINITY, limit))


def _first_readable(*texts: object) -> Value | None:
    """A measure with no target and no unit in the catalogue still needs a number format: take the unit its
    figures are written in."""
    for text in texts:
        try:
            value = read_value(text)
        except PMFValueError:
            continue
        if not value.is_missing:
            return value
    return None


def as_cell(raw: object, unit: Value | None) -> float | str | None:
    """What a co-ordinator's cell would hold: the number, where it reads in the measure's unit; else the text.

    A figure that cannot be compared with the measure (``NA - New PI``,
    ``9.3`` against a percentage) stays as text, so a native DOT formula
    sees no number and says Not comparable, as the engine does.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = read_value(raw)
    except PMFValueError:
        return str(raw)
    if value.is_missing:
        return str(raw)
    return value.number if in_unit(value, unit) else str(raw)


def in_unit(value: Value, unit: Value | None) -> bool:
    """Whether a figure can stand in a cell of ``unit`` as a number: the same unit, or a bare number."""
    return unit is None or comparable(value, unit) == (True, False)


def officer_differs(line: ReturnLine, shown_rag: str) -> bool:
    """Whether the officer's rating typed in the return differs from the live RAG it shows (``shown_rag``, in the
    policy's words): an Amber or Red for a missed target whose amber band is in words is the officer's to give."""
    typed = line.policy.read_state(line.officer_rating)
    if typed is None:
        return False
    engine = line.policy.read_state(shown_rag)
    return typed != engine and not (line.amber_in_words and {typed, engine} <= {"Amber", "Red"})


def typed_cell(raw: object, line: ReturnLine) -> object:
    """A number from a return's cell, typed in the line's unit; anything else as it is.

    A cell of a percentage measure holding 0.098 is 9.8%, not a bare number
    that could be compared with anything: so last year's ``9.3`` (a count)
    stays Not comparable, as the engine says of the printed report.
    """
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and line.kind is not Kind.NUMBER:
        number = held_number(raw)
        if number is not None and number == number:  # a number no spreadsheet holds is left for the engine to refuse
            return Value(kind=line.kind, number=number, unit=line.unit, text=repr(raw))
    return raw


class DeliverableLine(BaseModel):
    """One row of a return's Deliverables sheet: an action and the status its lead gives it."""

    model_config = ConfigDict(frozen=True)

    ref: str
    cp_ref: str
    commitment: str
    bp_ref: str
    action: str
    status: str = ""
    update: str = ""
    #: From the action's evidence: when it is due, and how complete its lead last said it was.
    due: dt.date | None = None
    percent_complete: float | None = None


def line_units(measures: Sequence[MeasureDefinition], quarter: str,
               policy: Policy = DEFAULT_POLICY) -> dict[str, tuple[Kind, str]]:
    """Each measure line's unit (its kind, and the unit text of a rating), by line ref: the unit its figures are
    typed in in a return and shown in in every sheet after it (under ``policy``, which may read a tolerance in
    words)."""
    return {line.ref: (line.kind, line.unit) for measure in measures
            for line in lines_for(measure, quarter, policy=policy)}
