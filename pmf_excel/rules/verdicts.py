"""The framework's rules: RAG, direction of travel, tolerance breach and deliverable status.

Pure functions over the typed readers. Arguments are what a report or a cell
holds (text exactly as written, or numbers as Excel holds them); the only
exception that ever leaves is :class:`PMFValueError`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from .errors import PMFValueError
from .models import (Assessment, DeliverableResult, DotResult, Finding, Kind, Polarity, RagResult, Target, Thresholds,
                     Tolerance, Value, show_number)
from .polarity import read_polarity
from .policy import DEFAULT_POLICY, Policy
from .targets import read_target, read_tolerance
from .text import squash
from .thresholds import Limits, as_points, comparable, compute_thresholds, widen
from .values import read_value

EXPECTED_STATUS = (
    "Expected one of: On Track, Medium Issue/Slippage, Significant issues/risks/slippage, "
    "Complete, No update available (or blank)."
)
DELIVERABLE_STATUSES: dict[str, DeliverableResult] = {
    "On Track": "Green",
    "Medium Issue/Slippage": "Amber",
    "Significant issues/risks/slippage": "Red",
    "Complete": "Complete",
    "No update available": "No update",
}
_STATUS_KEYS = {squash(status): result for status, result in DELIVERABLE_STATUSES.items()}
_STATUS_KEYS["completed"] = "Complete"
_STATUS_NAMES = {squash(status): status for status in DELIVERABLE_STATUSES} | {"completed": "Complete"}


class Measure(NamedTuple):
    """A measure's definition read once: the inputs and the limits they give."""

    polarity: Polarity
    target: Target
    tolerance: Tolerance
    base: Value | None
    thresholds: Thresholds | None
    limits: Limits | None


def read_measure(target: object, tolerance: object, polarity: object, base: object = None,
                 policy: Policy = DEFAULT_POLICY) -> Measure:
    """Read a measure's target, tolerance, polarity (and budget base) into its limits, under ``policy``.

    Cached on the raw inputs: a column of 10,000 rows usually holds a few
    dozen distinct definitions, so each is read once.
    """
    tolerance = policy.uniform_tolerance or tolerance
    points, inclusive = policy.tolerance_meaning == "percentage points", policy.boundaries_inclusive
    try:
        return _read_measure_cached(target, tolerance, polarity, base, points, inclusive)
    except TypeError:  # unhashable input (a list, a dict): read it uncached
        return _read_measure(target, tolerance, polarity, base, points, inclusive)


def _read_measure(target: object, tolerance: object, polarity: object, base: object, points: bool = False,
                  inclusive: bool = True) -> Measure:
    read_polarity_ = read_polarity(polarity)
    try:
        target_ = read_target(target)
    except PMFValueError:
        if read_polarity_ is not Polarity.NONE:
            raise
        target_ = Target(kind="words", text=str(target))
    tolerance_ = read_tolerance(tolerance)
    base_ = _read_base(base)
    if points:
        tolerance_ = as_points(tolerance_, target_, base_)
    thresholds = compute_thresholds(target_, tolerance_, read_polarity_, base_)
    limits = widen(thresholds, inclusive) if thresholds else None
    return Measure(read_polarity_, target_, tolerance_, base_, thresholds, limits)


_read_measure_cached = lru_cache(maxsize=8192)(_read_measure)


def _read_base(base: object) -> Value | None:
    if base is None or base == "":
        return None
    value = read_value(base)
    if value.kind not in (Kind.MONEY, Kind.NUMBER, Kind.COUNT) or not value.number or value.number <= 0:
        raise PMFValueError("a budget base", base, "Expected a positive amount such as £733.967m.")
    return value


def performance_number(performance: Value, measure: Measure) -> tuple[float, Kind, bool]:
    """The performance on the thresholds' scale: (number, kind, units differ but comparable).

    A budget variance in money becomes a share of its base (a bare number
    is pounds there, as the return's money-formatted cell holds it); any
    other bare Excel number is taken as it is held.
    """
    held = measure.target.value or measure.target.low
    if measure.base is not None and performance.kind in (Kind.MONEY, Kind.NUMBER):
        return performance.number / measure.base.number, Kind.PERCENTAGE, False
    ok, differ = comparable(performance, held)
    if not ok:
        raise PMFValueError(
            "a performance comparable with the target", performance.text,
            f"The target {measure.target.text!r} is {_a(held.kind)} but this is {_a(performance.kind)}: "
            f"type the performance in the target's unit"
            + (" or give the measure its budget base." if performance.kind is Kind.MONEY else "."),
        )
    kind = held.kind if held.kind is not Kind.NUMBER else performance.kind
    return performance.number, kind, differ


def _a(kind: Kind) -> str:
    return f"an {kind}" if kind.value[0] in "aeiou" else f"a {kind}"


def judge(number: float, limits: Limits) -> RagResult:
    """Green, Amber or Red for a number already on the thresholds' scale."""
    if limits.green_low <= number <= limits.green_high:
        return "Green"
    if limits.amber_low <= number <= limits.amber_high:
        return "Amber"
    return "Red"


def rag(performance: object, target: object, tolerance: object, polarity: object, *, base: object = None,
        policy: Policy = DEFAULT_POLICY, last_year: object = None) -> RagResult:
    """``Green``, ``Amber``, ``Red``, ``No target`` or ``No data`` for one measure (domain.md, 004's legend).

    Under a DOT-aware policy a missed target is Amber when it improved on
    ``last_year`` (the long-term comparison) and Red otherwise.
    """
    measure = read_measure(target, tolerance, polarity, base, policy)
    if measure.limits is None:
        return "No target"
    value = read_value(performance)
    if value.is_missing:
        return "No data"
    number, _, _ = performance_number(value, measure)
    return _dot_aware(judge(number, measure.limits), performance, last_year, polarity, policy)


def _dot_aware(result: RagResult, performance: object, last_year: object, polarity: object,
               policy: Policy) -> RagResult:
    if not policy.dot_aware_rag or result not in ("Amber", "Red"):
        return result
    improved = last_year is not None and direction_of_travel(performance, last_year, polarity,
                                                             policy) == "Improving"
    return "Amber" if improved else "Red"


def tolerance_breach(performance: object, target: object, tolerance: object, polarity: object,
                     *, base: object = None, policy: Policy = DEFAULT_POLICY, last_year: object = None) -> bool | None:
    """True exactly when the RAG is Red; None (a blank cell) for No target and No data."""
    return breach_of(rag(performance, target, tolerance, polarity, base=base, policy=policy, last_year=last_year))


def breach_of(result: str) -> bool | None:
    return {"Red": True, "Amber": False, "Green": False}.get(result)


def direction_of_travel(current: object, previous: object, polarity: object,
                        policy: Policy = DEFAULT_POLICY) -> DotResult:
    """``Improving``, ``Worsening``, ``No change`` or ``Not comparable``, in the polarity's sense.

    Not comparable when either value is missing, the polarity has no
    direction, or the units do not match (``9.8%`` against ``9.3``). A change
    within the policy's no-change band is No change.
    """
    return explain_direction(current, previous, polarity, policy)[0]


def explain_direction(current: object, previous: object, polarity: object,
                      policy: Policy = DEFAULT_POLICY) -> tuple[DotResult, str]:
    """The direction of travel and the sentence that says why."""
    direction = read_polarity(polarity)
    if direction.sign == 0:  # nothing to compare in, so the values are not needed
        return "Not comparable", f"Not comparable: the polarity {polarity!r} gives no direction."
    now, before = read_value(current), read_value(previous)
    if now.is_missing or before.is_missing:
        side, missing = ("current", now) if now.is_missing else ("previous", before)
        return "Not comparable", f"Not comparable: the {side} value is {missing.text.strip() or 'blank'!r}."
    if not comparable(now, before)[0]:
        return "Not comparable", (f"Not comparable: {now.text!r} is {_a(now.kind)} and "
                                  f"{before.text!r} {_a(before.kind)}.")
    result = compare_direction(now.number, before.number, direction.sign, policy)
    kind = now.kind if now.kind is not Kind.NUMBER else before.kind
    shown_now, shown_before = show_number(now.number, kind, now.unit), show_number(before.number, kind, before.unit)
    if result == "No change":
        if now.number == before.number or policy.no_change_band == 0:
            return result, f"No change: {shown_now} both times."
        return result, (f"No change: {shown_now} against {shown_before} is within the no-change band of "
                        f"{no_change_width(before.number, policy):.4g}.")
    word = "better" if result == "Improving" else "worse"
    return result, f"{result}: {shown_now} is {word} than {shown_before} ({direction.value.lower()})."


def compare_direction(now: float, before: float, sign: int, policy: Policy = DEFAULT_POLICY) -> DotResult:
    if abs(now - before) <= max(1e-9 * max(abs(now), abs(before)) + 1e-12, no_change_width(before, policy)):
        return "No change"
    return "Improving" if (now - before) * sign > 0 else "Worsening"


def no_change_width(before: float, policy: Policy) -> float:
    """How far a figure may move from ``before`` and still be No change under ``policy``."""
    if policy.no_change_kind == "absolute":
        return policy.no_change_band
    return policy.no_change_band * abs(before)


def deliverable_rag(status: object, policy: Policy = DEFAULT_POLICY) -> DeliverableResult:
    """The RAG of a deliverable's self-rated status (003); case, spaces and line breaks do not matter."""
    if status is None:
        return "No update"
    keys, _, expected = _vocabulary(policy)
    if not isinstance(status, str):
        raise PMFValueError("a deliverable status", status, expected)
    key = squash(status)
    if not key:
        return "No update"
    try:
        return keys[key]
    except KeyError:
        raise PMFValueError("a deliverable status", status, expected) from None


def deliverable_status_name(status: object, policy: Policy = DEFAULT_POLICY) -> str:
    """The status as the council's list writes it ("on track" is "On Track"); blank stays blank."""
    deliverable_rag(status, policy)  # refuses what is not a status, with the usual message
    return _vocabulary(policy)[1].get(squash(status or ""), "")


@lru_cache(maxsize=64)
def _vocabulary(policy: Policy) -> tuple[dict[str, str], dict[str, str], str]:
    """A policy's statuses as the engine looks them up: squashed key → RAG, squashed key → the status as written,
    and the sentence that lists them for an error message."""
    if policy.statuses == DEFAULT_POLICY.statuses:
        return _STATUS_KEYS, _STATUS_NAMES, EXPECTED_STATUS
    keys = {squash(status): rag for status, rag in policy.statuses}
    names = {squash(status): status for status, _ in policy.statuses}
    listed = ", ".join(status for status, _ in policy.statuses)
    return keys, names, f"Expected one of the statuses: {listed}, or blank for no update."


def assess(performance: object, target: object, tolerance: object, polarity: object, *,
           last_quarter: object = None, last_year: object = None, base: object = None,
           policy: Policy = DEFAULT_POLICY, long_term: object = None) -> Assessment:
    """The RAG with the reason a co-ordinator can read, the limits used, DOT and data-quality warnings, under
    ``policy`` (which the assessment records).

    ``long_term`` is the figure a DOT-aware policy judges a missed target
    against (``last_year`` when not given): the policy's long-term basis.
    """
    long_term = last_year if long_term is None else long_term
    measure = read_measure(target, tolerance, polarity, base, policy)
    warnings = list(_definition_warnings(measure))
    dots = {
        "dot_short": None if last_quarter is None else direction_of_travel(performance, last_quarter, polarity,
                                                                           policy),
        "dot_long": None if last_year is None else direction_of_travel(performance, last_year, polarity, policy),
    }
    common = dict(polarity=measure.polarity, target=measure.target, tolerance=measure.tolerance,
                  thresholds=measure.thresholds, policy=policy.label, **dots)
    if measure.limits is None:  # No target wins: the performance is not needed, so not read
        return Assessment(rag="No target", reason=_no_target_reason(measure), breach=None,
                          warnings=tuple(warnings), **common)
    value = read_value(performance)
    common["performance"] = value
    if value.is_missing:
        shown = value.text.strip() or "blank"
        return Assessment(rag="No data", reason=f"No data: the performance is {shown!r}.", breach=None,
                          warnings=tuple(warnings), **common)
    number, kind, differ = performance_number(value, measure)
    result = judge(number, measure.limits)
    shown = show_number(number, kind, measure.thresholds.unit)
    if measure.base is not None and value.kind is Kind.MONEY:
        shown = f"{value.show()} ({shown} of the base {measure.base.show()})"
    if differ:
        warnings.append(Finding(code="different_units", message=(
            f"The performance {value.text!r} is {_a(value.kind)} and the target {measure.target.text!r} "
            f"{_a((measure.target.value or measure.target.low).kind)}: compared as plain numbers.")))
    warnings.extend(_value_warnings(value, number, measure))
    reason = _reason(result, shown, measure)
    softened = _dot_aware(result, performance, long_term, polarity, policy)
    if softened != result:
        reason = (f"{softened}: {shown} is worse than the target {measure.target.show()}, and "
                  f"{'improved on' if softened == 'Amber' else 'did not improve on'} the long-term comparison "
                  f"(the policy {policy.label} judges a missed target by its direction of travel).")
    elif policy.dot_aware_rag and result in ("Amber", "Red"):
        reason += f" Under {policy.label} a missed target is judged by its direction of travel."
    return Assessment(rag=softened, reason=reason, breach=breach_of(softened), warnings=tuple(warnings), **common)


def _no_target_reason(measure: Measure) -> str:
    if measure.target.is_missing:
        shown = measure.target.text.strip() or "blank"
        return f"No target: the target is {shown!r}."
    return (f"No target: the polarity {measure.polarity.value!r} gives no direction, "
            f"so only a range target can be judged and {measure.target.text!r} is not one.")


def _reason(result: RagResult, shown: str, measure: Measure) -> str:
    target, tolerance, thresholds = measure.target, measure.tolerance, measure.thresholds
    if target.kind == "range" and measure.polarity not in (Polarity.BIGGER, Polarity.SMALLER):
        where = {"Green": "inside", "Amber": "outside", "Red": "outside"}[result]
        sentence = f"{result}: {shown} is {where} the target range {target.show()}"
    else:
        comparison = "on or better than" if result == "Green" else "worse than"
        sentence = f"{result}: {shown} is {comparison} the target {target.show()}"
    if result == "Green":
        return sentence + "."
    band = _describe_tolerance(tolerance, thresholds, measure.base)
    if result == "Amber":
        return f"{sentence} but within the tolerance {band}."
    if tolerance.kind == "none" or band == "no tolerance band":
        return f"{sentence} and there is no tolerance band."
    return f"{sentence} and outside the tolerance {band}."


def _describe_tolerance(tolerance: Tolerance, thresholds: Thresholds, base: Value | None) -> str:
    amber = thresholds.describe_amber()
    if tolerance.kind == "band":
        return f"{show_number(tolerance.low.number, tolerance.low.kind, tolerance.low.unit)}–" \
               f"{show_number(tolerance.high.number, tolerance.high.kind, tolerance.high.unit)}"
    if tolerance.kind == "threshold":
        return f"{tolerance.limit.show()} (the limit itself)"
    if tolerance.kind == "relative":
        return f"{_percent(tolerance.share)} of the {'base' if base else 'target'} ({amber})"
    if tolerance.kind == "points":
        return f"{_percent(tolerance.share).rstrip('%')} percentage points ({amber})"
    if tolerance.kind == "range_share":
        return f"{_percent(tolerance.share)} of the range ({amber})"
    return amber


def _percent(share: float) -> str:
    return show_number(share, Kind.PERCENTAGE)


def _definition_warnings(measure: Measure) -> list[Finding]:
    found = []
    target, polarity, tolerance = measure.target, measure.polarity, measure.tolerance
    if target.year_end:
        found.append(Finding(code="year_end_target", message=(
            f"The target {target.text!r} is a year-end target used for a quarter: "
            "the quarter needs a profiled target.")))
    if target.comparator and polarity.sign and ((target.comparator[0] == "<") != (polarity.sign < 0)):
        found.append(Finding(code="comparator_against_polarity", message=(
            f"The target {target.text!r} points the other way from {polarity.value!r}: judged by the polarity.")))
    thresholds = measure.thresholds
    if thresholds and tolerance.kind in ("band", "threshold") and thresholds.amber_low == thresholds.green_low \
            and thresholds.amber_high == thresholds.green_high:
        found.append(Finding(code="tolerance_on_better_side", message=(
            f"The tolerance {tolerance.text!r} lies on the better side of the target {target.text!r}, "
            "so it gives no Amber band.")))
    if tolerance.kind == "relative" and tolerance.share is not None and tolerance.share > 0.5:
        found.append(Finding(code="wide_tolerance", message=(
            f"A tolerance of {_percent(tolerance.share)} of the target is unusually wide: "
            f"if it is a limit, write it as '{_percent(tolerance.share)} (tolerance score)'.")))
    return found


def _value_warnings(value: Value, number: float, measure: Measure) -> list[Finding]:
    found = []
    held = measure.target.value or measure.target.low
    if measure.polarity is Polarity.SMALLER and (number < 0 or (held.number or 0) < 0):
        found.append(Finding(code="negative_smaller_is_better", message=(
            f"'Smaller is better' meets a negative value ({value.text!r} against {measure.target.text!r}): "
            "a more negative number is judged better; check that is what the measure means "
            "(a widening gap is often written as a more negative number).")))
    if value.has("typo"):
        found.append(Finding(code="typo", message=f"{value.text!r} has a doubled % sign; read as a percentage."))
    if value.revised:
        found.append(Finding(code="revised", message=f"{value.text!r} is a revised figure."))
    if value.provisional:
        found.append(Finding(code="provisional", message=f"{value.text!r} is provisional."))
    return found


def average_figure(figures: list[object]) -> Value | None:
    """The mean of the earlier figures that can be read and compared with the first of them: what a policy
    whose trend compares with "the average of the last periods" compares with; None when none can be read."""
    read = []
    for figure in figures:
        try:
            value = read_value(figure)
        except PMFValueError:
            continue
        if not value.is_missing and (not read or comparable(value, read[0])[0]):
            read.append(value)
    if not read:
        return None
    mean = sum(value.number for value in read) / len(read)
    kind = next((value.kind for value in read if value.kind is not Kind.NUMBER), Kind.NUMBER)
    unit = next((value.unit for value in read if value.kind is kind), read[0].unit)
    return Value(kind=kind, number=mean, unit=unit, text=f"average of {len(read)}: {show_number(mean, kind, unit)}")


def comparison_figures(policy: Policy, previous: object, same_period_last_year: object,
                       window: list[object]) -> tuple[object, object]:
    """The figures the short- and long-term directions compare with under ``policy``: the previous period's,
    the same period last year's, or the average of ``window`` (the last periods' figures, latest first)."""
    def pick(basis: str) -> object:
        if basis == "previous period":
            return previous
        if basis == "same period last year":
            return same_period_last_year
        return average_figure(window[:policy.average_periods])

    return pick(policy.short_term_basis), pick(policy.long_term_basis)
