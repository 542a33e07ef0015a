"""Turn a target, a tolerance and a polarity into the four limits a measure is judged by.

This is where domain.md's tolerance rules live: ``5%`` is 5% of the target
value, ``5pp`` is absolute points, a band's far edge is the limit (inclusive),
``92% (tolerance score)`` is the limit itself, ``<>10% of the range`` widens a
range target by a tenth of its width, and no tolerance means worse than
target is Red. A policy's green band ("within 5% of target") moves the green
limit by its own distance from the target; the amber limit is still measured
from the target, so "green within 5%, amber to 10%" is two bands from it.
Computing the limits once per measure is what lets a return's native Excel
formulas and the vectorised path judge rows without the engine.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from .errors import PMFValueError
from .models import Kind, Polarity, Target, Thresholds, Tolerance, Value

INF = math.inf

#: Kinds measured on the same scale as a bare count: comparable with a count, with a warning.
COUNT_LIKE = frozenset({Kind.COUNT, Kind.DAYS, Kind.RATING, Kind.CATEGORY, Kind.MONEY})


class Limits(NamedTuple):
    """The thresholds widened by one part in a billion, so that float noise never moves a boundary.

    ``0.08 * 1.05`` is ``0.08400000000000002`` in binary floating point: without
    the widening a performance of exactly 8.4% would fall outside its own
    inclusive limit. Every comparison (scalar, vectorised, Excel formulas) uses
    these same numbers.
    """

    green_low: float
    green_high: float
    amber_low: float
    amber_high: float


def widen(thresholds: Thresholds, inclusive: bool = True) -> Limits:
    """The limits a figure is compared with, ``<=`` on both sides: widened so that a figure on a limit takes the
    better colour, or narrowed so that it takes the worse (a policy whose boundaries are exclusive)."""
    if not inclusive:
        return Limits(_up(thresholds.green_low), _down(thresholds.green_high),
                      _up(thresholds.amber_low), _down(thresholds.amber_high))
    return Limits(
        _down(thresholds.green_low), _up(thresholds.green_high),
        _down(thresholds.amber_low), _up(thresholds.amber_high),
    )


def _slack(x: float) -> float:
    return 1e-9 * abs(x) + 1e-12


def _down(x: float) -> float:
    return x if math.isinf(x) else x - _slack(x)


def _up(x: float) -> float:
    return x if math.isinf(x) else x + _slack(x)


def as_points(tolerance: Tolerance, target: Target, base: Value | None) -> Tolerance:
    """A bare share tolerance (``5%``) of a percentage target read as percentage points, as a policy may say."""
    held = target.value or target.low
    if tolerance.kind == "relative" and base is None and held is not None and held.kind is Kind.PERCENTAGE:
        return tolerance.model_copy(update={"kind": "points"})
    return tolerance


def comparable(a: Value, b: Value) -> tuple[bool, bool]:
    """(can the two be compared, should a 'different units' warning be given).

    A bare Excel number takes the other side's unit. A count shares a scale
    with days, ratings, categories and money, so ``5.75`` against ``3.86 days``
    is judged but flagged; a count against a percentage (``9.3`` against
    ``9.8%``) or money against a percentage cannot be compared at all.
    """
    if a.kind is Kind.NUMBER or b.kind is Kind.NUMBER:
        return True, False
    if a.kind is b.kind:
        return (a.unit == b.unit) if a.kind is Kind.RATING else True, False
    if Kind.COUNT in (a.kind, b.kind) and a.kind in COUNT_LIKE and b.kind in COUNT_LIKE:
        return True, True
    return False, False


def compute_thresholds(
    target: Target, tolerance: Tolerance, polarity: Polarity, base: Value | None = None,
    green: Tolerance | None = None,
) -> Thresholds | None:
    """The limits for a measure, or None when it has no target that can be judged.

    ``base`` is the gross budget of a budget-variance measure (O11a): the
    performance, in money, is then a share of it, and a ``0.5%`` tolerance is
    0.5% of the base, not of a 0% target. ``green`` is a policy's green band:
    how far worse than the target is still Green (a share of the target or
    percentage points); an amber limit inside it leaves no Amber band.
    """
    if target.is_missing or target.kind == "words":
        return None
    if target.kind == "range":
        if polarity is Polarity.BIGGER:
            return _one_sided(target.low, target, tolerance, 1, base, green)
        if polarity is Polarity.SMALLER:
            return _one_sided(target.high, target, tolerance, -1, base, green)
        return _range(target, tolerance, green)
    if polarity is Polarity.RANGE:
        raise PMFValueError("a range target", target.text,
                            "The polarity NA - dependent needs a range target such as 900-1200.")
    if polarity is Polarity.NONE:
        return None
    return _one_sided(target.value, target, tolerance, polarity.sign, base, green)


def _one_sided(value: Value, target: Target, tolerance: Tolerance, sign: int, base: Value | None,
               green: Tolerance | None = None) -> Thresholds:
    t = value.number
    kind = Kind.PERCENTAGE if base is not None else value.kind
    green_width = _band_width(t, target, green, value, sign, base) if green else 0.0
    width = max(_band_width(t, target, tolerance, value, sign, base), green_width)
    edge = _round(t - sign * green_width) if green_width else t  # the target itself is never rounded
    limit = _round(t - sign * width)
    if sign > 0:
        return Thresholds(kind=kind, unit=value.unit, green_low=edge, green_high=INF, amber_low=limit, amber_high=INF)
    return Thresholds(kind=kind, unit=value.unit, green_low=-INF, green_high=edge, amber_low=-INF, amber_high=limit)


def _band_width(t: float, target: Target, tolerance: Tolerance, value: Value, sign: int, base: Value | None) -> float:
    """How far worse than the target is still Amber (or, for a green band, Green), as a non-negative distance."""
    kind = tolerance.kind
    if kind in ("none", "words"):
        return 0.0
    if kind == "relative":
        return tolerance.share if base is not None else _round(abs(t) * tolerance.share)
    if kind == "points":
        if value.kind not in (Kind.PERCENTAGE, Kind.NUMBER) and base is None:
            raise PMFValueError("a tolerance", tolerance.text,
                                f"Percentage points need a percentage target, and {target.text!r} is not one.")
        return tolerance.share
    if kind == "range_share":
        raise PMFValueError("a tolerance", tolerance.text,
                            "A share of the range needs a range target such as 900-1200.")
    edge = (tolerance.low if sign > 0 else tolerance.high) if kind == "band" else tolerance.limit
    _check_units(edge, value, tolerance)
    return max(0.0, sign * (t - edge.number))


def _range(target: Target, tolerance: Tolerance, green: Tolerance | None = None) -> Thresholds:
    low, high = _widened(target, green) if green else (target.low.number, target.high.number)
    amber_low, amber_high = _widened(target, tolerance)
    return Thresholds(kind=target.low.kind, unit=target.low.unit, green_low=low, green_high=high,
                      amber_low=min(amber_low, low), amber_high=max(amber_high, high))


def _widened(target: Target, tolerance: Tolerance) -> tuple[float, float]:
    """A range target's edges moved outwards by a tolerance: its Amber band (or a green band's edges)."""
    low, high = target.low.number, target.high.number
    kind = tolerance.kind
    if kind in ("none", "words"):
        amber_low, amber_high = low, high
    elif kind == "range_share":
        width = _round((high - low) * tolerance.share)
        amber_low, amber_high = low - width, high + width
    elif kind == "relative":
        amber_low, amber_high = _round(low - abs(low) * tolerance.share), _round(high + abs(high) * tolerance.share)
    elif kind == "points":
        amber_low, amber_high = low - tolerance.share, high + tolerance.share
    elif kind == "band":
        _check_units(tolerance.low, target.low, tolerance)
        amber_low, amber_high = min(low, tolerance.low.number), max(high, tolerance.high.number)
    else:
        raise PMFValueError("a tolerance", tolerance.text,
                            "A range target takes a tolerance such as <>10% of the range, 5% or a wider band.")
    return amber_low, amber_high


def _check_units(edge: Value, value: Value, tolerance: Tolerance) -> None:
    ok, _ = comparable(edge, value)
    if not ok:
        raise PMFValueError("a tolerance", tolerance.text,
                            f"Its unit ({edge.kind}) does not match the target's ({value.kind}).")


def _round(x: float) -> float:
    """Drop binary noise from a computed limit (0.08 * 0.05) so it prints as people expect."""
    return float(f"{x:.12g}")
