"""Read targets and tolerances as written in a report: values, comparators, ranges and bands.

The forms come from seed 004: ``86%``, ``<70%``, ``900-1200``, ``Annual 80%``,
``201 (year-end 2023/24)``, ``£740k Annual Surplus`` for targets; ``5%``,
``5pp``, ``70.1%-75%``, ``45.1 to 55``, ``92% (tolerance score)`` and
``<>10% of the range`` for tolerances.
"""

from __future__ import annotations

import numbers
import re
from functools import lru_cache

from .errors import PMFValueError
from .models import Kind, Target, Tolerance, Value
from .text import clean
from .values import NUMBER, TOO_LARGE, check_figures, held_number, is_missing_text, profile_parts, read_value

EXPECTED_TARGET = (
    "Expected a target such as 86%, <70%, >80%, 900-1200, 3.86 days or £740k Annual Surplus, "
    "or No target / NA / TBC when there is none."
)
EXPECTED_TOLERANCE = (
    "Expected a tolerance such as 5% (of the target), 5pp (percentage points), a band such as "
    "70.1%-75%, a limit such as 92% (tolerance score), or NA when there is none."
)

_NO_TARGET = re.compile(r"^(?:no target|(?:na\s*-\s*)?establishing baseline)\b", re.IGNORECASE)
_COMPARATOR = re.compile(r"^(<=|>=|≤|≥|<|>)\s*")
_RANGE_SPLIT = re.compile(r"\s*(?:-|\bto\b)\s*", re.IGNORECASE)
_RANGE_SHARE = re.compile(rf"^<>\s*({NUMBER})\s*%\s*of\s+the\s+range$", re.IGNORECASE)
_POINTS = re.compile(
    rf"^({NUMBER})\s*(?:pp|ppt|ppts|percentage points?|% points?|percent points?)$", re.IGNORECASE
)
_SHARE = re.compile(rf"^({NUMBER})\s*%$")
_TOLERANCE_SCORE = re.compile(r"\(\s*tolerance score\s*\)\s*$", re.IGNORECASE)
_COMPARATORS = {"≤": "<=", "≥": ">="}
_MOST_SEPARATORS = 3  # -5 - -2


def read_target(raw: object) -> Target:
    """Read a target cell. Missing markers (blank, NA, TBC, No target, Establishing baseline) give a missing target."""
    if raw is None or isinstance(raw, numbers.Real) and not isinstance(raw, bool) and raw != raw:
        return Target(kind="missing", text="")
    if isinstance(raw, str):
        return _read_target_text(raw)
    try:
        value = read_value(raw)
    except PMFValueError:
        raise PMFValueError("a target", raw, EXPECTED_TARGET) from None
    return Target(kind="value", text=str(raw), value=value)


@lru_cache(maxsize=4096)
def _read_target_text(raw: str) -> Target:
    text = clean(raw)
    if is_missing_text(text) or _NO_TARGET.match(text):
        return Target(kind="missing", text=raw)
    check_figures(raw, text, "a target", EXPECTED_TARGET)
    comparator = None
    if match := _COMPARATOR.match(text):
        comparator = _COMPARATORS.get(match.group(1), match.group(1))
        text = text[match.end():]
    try:
        value = read_value(text)
    except PMFValueError:
        value = None
    if value is not None and not value.is_missing:
        return Target(kind="value", text=raw, value=value, comparator=comparator, **_profile(raw, value))
    pair = None if comparator else split_range(text)
    if pair is None:
        raise PMFValueError("a target", raw, EXPECTED_TARGET)
    return Target(kind="range", text=raw, low=pair[0], high=pair[1])


def _profile(raw: str, value: Value) -> dict[str, object]:
    """The quarter's profile a target cell writes beside its annual figure, in the annual figure's unit."""
    note = next((a for a in value.annotations if a.kind == "profile"), None)
    if note is None:
        return {}
    figure, quarter = profile_parts(note.text)
    if figure.kind is Kind.COUNT and not figure.unit:  # a bare figure is in the annual figure's unit
        scale = 100 if value.kind is Kind.PERCENTAGE else 1
        figure = figure.model_copy(update={"kind": value.kind, "unit": value.unit, "number": figure.number / scale})
    if figure.kind is not value.kind or figure.unit != value.unit:
        raise PMFValueError("a target", raw, f"Its profile ({note.text}) is not in the unit of the target "
                                             f"({value.show()}): write both in the same unit.")
    return {"profile": figure, "profile_quarter": quarter}


def split_range(text: str) -> tuple[Value, Value] | None:
    """Read ``900-1200``, ``9-12%`` or ``45.1 to 55`` as (low, high); None when it is not a range.

    A unit written on one side only belongs to both (``9-12%`` is 9% to 12%).
    A range has one separator and a minus sign on either side at most, so a
    text with more is none (and is never tried at every one of its dashes).
    """
    separators = list(_RANGE_SPLIT.finditer(text))
    if len(separators) > _MOST_SEPARATORS:
        return None
    for match in separators:
        left, right = text[: match.start()].strip(), text[match.end():].strip()
        if not left or not right:
            continue
        try:
            low, high = read_value(left), read_value(right)
        except PMFValueError:
            continue
        if low.is_missing or high.is_missing:
            continue
        low, high = _share_unit(low, high), _share_unit(high, low)
        if low.kind != high.kind:
            continue
        return (low, high) if low.number <= high.number else (high, low)
    return None


def _share_unit(bare: Value, other: Value) -> Value:
    if bare.kind is not Kind.COUNT or bare.unit:
        return bare
    if other.kind is Kind.PERCENTAGE:
        return bare.model_copy(update={"kind": Kind.PERCENTAGE, "number": bare.number / 100, "unit": "%"})
    if other.kind is Kind.DAYS:
        return bare.model_copy(update={"kind": Kind.DAYS, "unit": other.unit})
    return bare


def read_tolerance(raw: object) -> Tolerance:
    """Read a tolerance cell; blank, NA and TBC mean no Amber band.

    A bare number from a %-formatted cell (0.05) is a share of the target,
    exactly as the text ``5%`` is.
    """
    if raw is None:
        return Tolerance(kind="none", text="")
    if isinstance(raw, str):
        return _read_tolerance_text(raw)
    if isinstance(raw, numbers.Real) and not isinstance(raw, bool):
        share = held_number(raw)
        if share is None:
            raise PMFValueError("a tolerance", raw, f"{TOO_LARGE} {EXPECTED_TOLERANCE}")
        if share != share:
            return Tolerance(kind="none", text="")
        if share < 0:
            raise PMFValueError("a tolerance", raw, EXPECTED_TOLERANCE)
        return Tolerance(kind="relative", text=repr(raw), share=share)
    raise PMFValueError("a tolerance", raw, EXPECTED_TOLERANCE)


@lru_cache(maxsize=4096)
def _read_tolerance_text(raw: str) -> Tolerance:
    text = clean(raw)
    if is_missing_text(text):
        return Tolerance(kind="none", text=raw)
    check_figures(raw, text, "a tolerance", EXPECTED_TOLERANCE)
    if match := _RANGE_SHARE.match(text):
        return Tolerance(kind="range_share", text=raw, share=float(match.group(1).replace(",", "")) / 100)
    if match := _POINTS.match(text):
        return Tolerance(kind="points", text=raw, share=float(match.group(1).replace(",", "")) / 100)
    if match := _SHARE.match(text):
        return Tolerance(kind="relative", text=raw, share=float(match.group(1).replace(",", "")) / 100)
    if _TOLERANCE_SCORE.search(text):
        return Tolerance(kind="threshold", text=raw, limit=_limit(raw, _TOLERANCE_SCORE.sub("", text)))
    if pair := split_range(text):
        return Tolerance(kind="band", text=raw, low=pair[0], high=pair[1])
    return Tolerance(kind="threshold", text=raw, limit=_limit(raw, text))


def _limit(raw: str, text: str) -> Value:
    try:
        value = read_value(text)
    except PMFValueError:
        raise PMFValueError("a tolerance", raw, EXPECTED_TOLERANCE) from None
    if value.is_missing:
        raise PMFValueError("a tolerance", raw, EXPECTED_TOLERANCE)
    return value


def profiled_target(text: str, share: float) -> str:
    """A year-end target's share due by a quarter's end, written as a target: ``138`` at 50% is ``69``.

    A value or a range is scaled, keeping its comparator and unit; a target
    in words, or none, stays as it is: there is nothing to profile.
    """
    target = read_target(text)
    if target.kind == "value":
        return target.model_copy(update={"value": _scaled(target.value, share)}).show()
    if target.kind == "range":
        return target.model_copy(update={"low": _scaled(target.low, share), "high": _scaled(target.high, share)}).show()
    return text


def _scaled(value: Value, share: float) -> Value:
    return value.model_copy(update={"number": value.number * share})


def in_target_unit(figure: object, target: str) -> object:
    """A number as a report cell holds it, given its target's unit (0.71 against 86% is 71%); anything else, or a
    target without a unit, as it is. What the report compares with comparators and prints in the pack."""
    if not isinstance(figure, (int, float)) or isinstance(figure, bool):
        return figure
    try:
        held = read_target(target)
    except PMFValueError:
        return figure
    unit = held.value or held.low
    number = held_number(figure)
    if unit is None or number is None:
        return figure
    return unit.model_copy(update={"number": number, "text": str(figure), "annotations": ()})
