"""The framework's rules: RAG, direction of travel, tolerance breach and deliverable status.

Pure functions over the typed readers. Arguments are what a report or a cell
holds (text exactly as written, or numbers as Excel holds them); the only
exception that ever leaves is :class:`PMFValueError`.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import NamedTuple

from .errors import PMFValueError, as_text
from .models import (Assessment, DeliverableResult, DotResult, Finding, Kind, Polarity, RagResult, Target, Thresholds,
                     Tolerance, Trend, Value, show_number)
from .polarity import read_polarity
from .policy import DEFAULT_POLICY, RAG_WORDS, Policy
from .targets import read_target, read_tolerance
from .text import FORMULA_WITHOUT_RESULT, is_formula, squash
from .thresholds import Limits, as_points, comparable, compute_thresholds, widen
from .trend import compare_trend, fit_trend
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
    #: The policy's green band, where it has one ("within 5% of target").
    green: Tolerance | None = None
    #: The limits of the target itself (no green band): what "short of target" and a met forecast mean.
    on_target: Limits | None = None
    #: The limits a year-end forecast is judged by: the annual figure's, where the cell also writes a profile.
    year_end: Limits | None = None
    #: The year's target those limits come from, where the quarter's target is a profile of the catalogue's.
    year_end_target: Target | None = None


def read_measure(target: object, tolerance: object, polarity: object, base: object = None,
                 policy: Policy = DEFAULT_POLICY) -> Measure:
    """Read a measure's target, tolerance, polarity (and budget base) into its limits, under ``policy``.

    Cached on the raw inputs: a column of 10,000 rows usually holds a few
    dozen distinct definitions, so each is read once.
    """
    tolerance = policy.uniform_tolerance or tolerance
    choices = (policy.tolerance_meaning, policy.boundaries_inclusive, policy.green_within, policy.target_profile,
               policy.officer_rating)
    try:
        return _read_measure_cached(target, tolerance, polarity, base, choices)
    except TypeError:  # unhashable input (a list, a dict): read it uncached
        return _read_measure(target, tolerance, polarity, base, choices)


def _read_measure(target: object, tolerance: object, polarity: object, base: object,
                  choices: tuple[str, bool, str, str, str] = ("share of target", True, "", "annual figure",
                                                              "not used")) -> Measure:
    """The definition under what of a policy changes how it is read (its tolerance meaning, inclusive limits, green
    band, target profile and officer rating), given as the settings themselves so that the cache keys on them."""
    meaning, inclusive, green, profile, officer = choices
    points, by_profile, words = meaning == "percentage points", profile == "profile figure", officer != "not used"
    read_polarity_ = read_polarity(polarity)
    try:
        target_ = read_target(target)
    except PMFValueError:
        if read_polarity_ is not Polarity.NONE:
            raise
        target_ = Target(kind="words", text=as_text(target))
    tolerance_ = _read_tolerance(tolerance, words)
    base_ = _read_base(base)
    green_ = read_tolerance(green) if green else None
    if points:
        tolerance_ = as_points(tolerance_, target_, base_)
        green_ = green_ and as_points(green_, target_, base_)
    annual = target_
    if by_profile:
        target_ = target_.judged_by_profile()
    thresholds = compute_thresholds(target_, tolerance_, read_polarity_, base_, green_)
    limits = widen(thresholds, inclusive) if thresholds else None
    on_target = _limits(target_, read_polarity_, base_, inclusive) if green_ else limits
    year_end = _limits(annual, read_polarity_, base_, inclusive) if annual is not target_ else on_target
    return Measure(read_polarity_, target_, tolerance_, base_, thresholds, limits, green_, on_target, year_end)


def _limits(target: Target, polarity: Polarity, base: Value | None, inclusive: bool) -> Limits | None:
    """The limits of the target alone: on or better than it."""
    thresholds = compute_thresholds(target, Tolerance(kind="none", text=""), polarity, base)
    return widen(thresholds, inclusive) if thresholds else None


def _read_tolerance(raw: object, words: bool) -> Tolerance:
    """A tolerance cell; under a policy that asks for officers' ratings, an amber band written only in words
    (``close to target``, no figure in it) is kept as words for the officer to apply."""
    try:
        return read_tolerance(raw)
    except PMFValueError:
        if words and isinstance(raw, str) and raw.strip() and not any(ch.isdigit() for ch in raw):
            return Tolerance(kind="words", text=raw)
        raise


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
        policy: Policy = DEFAULT_POLICY, last_year: object = None, forecast: object = None) -> RagResult:
    """``Green``, ``Amber``, ``Red``, ``No target`` or ``No data`` for one measure (domain.md, 004's legend).

    Under a DOT-aware policy a missed target is Amber when it improved on
    ``last_year`` (the long-term comparison) and Red otherwise; under a policy
    of amber by forecast, Amber when the year-end ``forecast`` meets the target.
    """
    measure = read_measure(target, tolerance, polarity, base, policy)
    if measure.limits is None:
        return "No target"
    value = read_value(performance)
    if value.is_missing:
        return "No data"
    number, _, _ = performance_number(value, measure)
    return missed_target(judge(number, measure.limits), measure, performance, last_year, polarity, policy,
                         forecast)[0]


def missed_target(result: RagResult, measure: Measure, performance: object, long_term: object, polarity: object,
                  policy: Policy, forecast: object = None) -> tuple[RagResult, str]:
    """A missed target's colour under a policy that does not take it from the tolerance, and why: by the
    long-term direction of travel (``maintained`` counting as improved where the policy says so), or by the
    year-end forecast against the target. Any other result, or policy, is kept as it is with no reason."""
    if result not in ("Amber", "Red") or not (policy.dot_aware_rag or policy.amber_by_forecast):
        return result, ""
    if policy.dot_aware_rag:
        direction = "Not comparable" if long_term is None else direction_of_travel(performance, long_term, polarity,
                                                                                   policy)
        counted = ("Improving", "No change") if policy.maintained_counts_as_improved else ("Improving",)
        improved = direction in counted
        said = {"Improving": "improved on", "No change": "held level with", "Worsening": "fell back from",
                "Not comparable": "cannot be compared with"}[direction]
        return ("Amber" if improved else "Red"), (
            f"{said} the long-term comparison (the policy {policy.label} colours a missed target by its direction "
            f"of travel{', maintained counting as improved' if policy.maintained_counts_as_improved else ''})")
    if measure.year_end is None or (measure.target.value or measure.target.low) is None:
        return result, ""  # a measure with no target has none to miss, so no forecast to colour it by
    value = read_value(forecast)
    if value.is_missing:
        return "Red", f"no year-end forecast was given (the policy {policy.label} colours a missed target by it)"
    number, kind, _ = performance_number(value, measure)
    met = judge(number, measure.year_end) == "Green"
    target = measure.year_end_target or measure.target
    profiled = measure.year_end_target is not None or target.annual is not None  # the year's target, not the quarter's
    annual = target.annual or target.value or target.low  # never None: a target without a figure has no year_end
    return ("Amber" if met else "Red"), (
        f"the year-end forecast {show_number(number, kind, value.unit)} {'meets' if met else 'does not meet'} the "
        f"{'year-end ' if profiled else ''}target of {annual.show()} (the policy {policy.label} colours a missed "
        "target by its forecast)")


def tolerance_breach(performance: object, target: object, tolerance: object, polarity: object,
                     *, base: object = None, policy: Policy = DEFAULT_POLICY, last_year: object = None,
                     forecast: object = None) -> bool | None:
    """True exactly when the RAG is Red; None (a blank cell) for No target and No data."""
    return breach_of(rag(performance, target, tolerance, polarity, base=base, policy=policy, last_year=last_year,
                         forecast=forecast))


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
    if isinstance(previous, Trend):
        return _explain_trend(current, previous, direction, policy)
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


def _explain_trend(current: object, trend: Trend, direction: Polarity, policy: Policy) -> tuple[DotResult, str]:
    """The direction of the least-squares line over the current figure and the earlier periods' (those that can be
    read in the current figure's unit; a blank or unreadable one leaves its period out)."""
    now = read_value(current)
    if now.is_missing:
        return "Not comparable", f"Not comparable: the current value is {now.text.strip() or 'blank'!r}."
    numbers: list[float | None] = []
    for figure in trend.figures:
        try:
            value = read_value(figure)
        except PMFValueError:
            value = None
        numbers.append(value.number if value is not None and not value.is_missing
                       and comparable(now, value)[0] else None)
    fit = fit_trend(numbers)
    if fit is None:
        held = sum(n is not None for n in numbers)
        return "Not comparable", (f"Not comparable: a trend needs at least two earlier figures and "
                                  f"{'only one' if held == 1 else 'none'} of the last {len(numbers)} periods "
                                  f"{'has' if held == 1 else 'have'} one.")
    change = fit.change(now.number)
    result = compare_trend(change, fit, direction.sign, no_change_width(fit.reference, policy))
    kind = now.kind
    moved = show_number(abs(change), kind, now.unit)
    over = f"the trend over {fit.periods} periods (this one and {fit.periods - 1} earlier)"
    if result == "No change":
        return result, f"No change: {over} moves by {moved}, within the no-change band."
    way = "rises" if change > 0 else "falls"
    word = "better" if result == "Improving" else "worse"
    return result, f"{result}: {over} {way} by {moved}, which is {word} ({direction.value.lower()})."


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
    if is_formula(status):
        raise PMFValueError("a deliverable status", status, FORMULA_WITHOUT_RESULT + expected)
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
           policy: Policy = DEFAULT_POLICY, long_term: object = None, forecast: object = None,
           year_end_target: object = None) -> Assessment:
    """The RAG with the reason a co-ordinator can read, the limits used, DOT and data-quality warnings, under
    ``policy`` (which the assessment records).

    ``long_term`` is the figure a DOT-aware policy judges a missed target
    against (``last_year`` when not given): the policy's long-term basis.
    ``forecast`` is the year-end forecast a policy of amber by forecast
    judges it by, against ``year_end_target`` where the quarter's target is a
    profile of a year-end one (the catalogue's), else the target itself.
    """
    long_term = last_year if long_term is None else long_term
    measure = read_measure(target, tolerance, polarity, base, policy)
    if year_end_target is not None and policy.amber_by_forecast:
        year_end = read_measure(year_end_target, tolerance, polarity, base, policy)
        measure = measure._replace(year_end=year_end.on_target, year_end_target=year_end.target)
    warnings = list(_definition_warnings(measure, policy))
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
    final, why = missed_target(result, measure, performance, long_term, polarity, policy, forecast)
    if why:
        reason = f"{final}: {_missed(shown, measure)}, and {why}."
    else:
        reason = _reason(result, shown, measure, number)
    return Assessment(rag=final, reason=reason, breach=breach_of(final), warnings=tuple(warnings), **common)


def _missed(shown: str, measure: Measure) -> str:
    """What a missed target is short of: the target, or the green band a policy gives below it."""
    said = f"{shown} is worse than the target {measure.target.show()}"
    if measure.green is not None:
        said += f" and outside its green band ({_describe_green(measure)})"
    return said


def _describe_green(measure: Measure) -> str:
    green, thresholds = measure.green, measure.thresholds
    edge = thresholds.green_low if math.isinf(thresholds.green_high) else thresholds.green_high
    if not math.isinf(thresholds.green_low) and not math.isinf(thresholds.green_high):
        edges = (f"{show_number(thresholds.green_low, thresholds.kind, thresholds.unit)}–"
                 f"{show_number(thresholds.green_high, thresholds.kind, thresholds.unit)}")
    else:
        edges = f"{'down' if math.isinf(thresholds.green_high) else 'up'} to " \
                f"{show_number(edge, thresholds.kind, thresholds.unit)}"
    size = f"{_percent(green.share).rstrip('%')} percentage points" if green.kind == "points" \
        else f"{_percent(green.share)} of the {'base' if measure.base else 'target'}"
    return f"within {size}: {edges}"


def _no_target_reason(measure: Measure) -> str:
    if measure.target.is_missing:
        shown = measure.target.text.strip() or "blank"
        return f"No target: the target is {shown!r}."
    return (f"No target: the polarity {measure.polarity.value!r} gives no direction, "
            f"so only a range target can be judged and {measure.target.text!r} is not one.")


def _reason(result: RagResult, shown: str, measure: Measure, number: float) -> str:
    target, tolerance, thresholds = measure.target, measure.tolerance, measure.thresholds
    short = result != "Green" or judge(number, measure.on_target) != "Green"
    if target.kind == "range" and measure.polarity not in (Polarity.BIGGER, Polarity.SMALLER):
        where = "outside" if short else "inside"
        sentence = f"{result}: {shown} is {where} the target range {target.show()}"
    else:
        comparison = "worse than" if short else "on or better than"
        sentence = f"{result}: {shown} is {comparison} the target {target.show()}"
    if result == "Green":
        return sentence + (f" but within its green band ({_describe_green(measure)})." if short else ".")
    if measure.green is not None:
        sentence += f" and outside its green band ({_describe_green(measure)})"
    if tolerance.kind == "words":
        return (f"{sentence}; its amber band is given only in words ({tolerance.text!r}), which the engine does not "
                "turn into a number: the officer's rating places it, Amber or Red.")
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


def _definition_warnings(measure: Measure, policy: Policy = DEFAULT_POLICY) -> list[Finding]:
    found = []
    target, polarity, tolerance = measure.target, measure.polarity, measure.tolerance
    if target.profile is not None:
        found.append(Finding(code="profile_in_target", message=(
            f"The target {target.text!r} also writes a quarterly profile ({target.profile.show()}"
            f"{f' for Q{target.profile_quarter}' if target.profile_quarter else ''}): judged against the annual "
            f"figure {target.value.show()}. A policy with target_profile = 'profile figure' judges it against "
            "the profile.")))
    if measure.green is not None and measure.thresholds is not None and tolerance.kind not in ("none", "words") \
            and (measure.thresholds.amber_low, measure.thresholds.amber_high) == (measure.thresholds.green_low,
                                                                                 measure.thresholds.green_high):
        found.append(Finding(code="tolerance_inside_green_band", message=(
            f"The tolerance {tolerance.text!r} lies inside the green band of {policy.green_within}: "
            "there is no Amber band.")))
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
    the same period last year's, the average of ``window`` (the last periods' figures, latest first), or the
    :class:`Trend` over them."""
    def pick(basis: str) -> object:
        if basis == "previous period":
            return previous
        if basis == "same period last year":
            return same_period_last_year
        if basis == "trend over last periods":
            return Trend(figures=tuple(window[:policy.average_periods]))
        return average_figure(window[:policy.average_periods])

    return pick(policy.short_term_basis), pick(policy.long_term_basis)


class OfficerCheck(NamedTuple):
    """The responsible officer's rating read beside the engine's, and whether the two agree."""

    rating: RagResult
    agrees: bool
    message: str


def check_officer_rating(officer: object, assessment: Assessment, policy: Policy = DEFAULT_POLICY
                         ) -> OfficerCheck | None:
    """The officer's own rating (in the policy's words: ``Yellow`` may be Amber) beside the engine's; None when
    there is none. They agree when they are the same, or when the amber band is given only in words and both
    say the target was missed: the officer placing it Amber or Red is what such a rule asks for."""
    if officer is None or (isinstance(officer, str) and not officer.strip()):
        return None
    rating = policy.read_state(officer, RAG_WORDS)
    if rating is None:
        words = ", ".join(policy.shown(state) for state in RAG_WORDS)
        raise PMFValueError("an officer's rating", officer, f"Expected {words}, or blank for none.")
    engine = assessment.rag
    placed = assessment.tolerance.kind == "words" and {rating, engine} <= {"Amber", "Red"}
    agrees = rating == engine or placed
    shown, suggested = policy.shown(rating), policy.shown(engine)
    if rating == engine:
        message = f"The officer's rating {shown} is the engine's."
    elif placed:
        message = (f"The officer places the missed target {shown} within the amber band given in words "
                   f"({assessment.tolerance.text!r}); the engine does not place it.")
    else:
        message = f"The officer rates it {shown}; the engine suggests {suggested}: {assessment.reason}"
    return OfficerCheck(rating=rating, agrees=agrees, message=message)
