"""Many rows at once: the path behind spilling Excel functions and Consolidate.

Two layers. :func:`rag_from_limits` and :func:`dot_from_numbers` work on
numeric columns that are already read (numpy, no Python per row) and are
what a 10,000-row return or a 1,000,000-row history is judged with.
:func:`rag_many` and :func:`dot_many` take raw cells as the scalar functions
do, read each distinct definition once, and give the same answers as
:func:`pmf_excel.rag` and :func:`pmf_excel.direction_of_travel`, with an
unreadable row giving its :class:`PMFValueError` in place of a result
instead of stopping the rest.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence

import numpy as np

from .errors import PMFValueError
from .models import Trend
from .polarity import read_polarity
from .policy import DEFAULT_POLICY, Policy
from .thresholds import comparable
from .values import read_value
from .verdicts import Measure, breach_of, direction_of_travel, missed_target, performance_number, read_measure

RAG_LABELS = np.array(["Green", "Amber", "Red", "No data", "No target"])
DOT_LABELS = np.array(["Improving", "Worsening", "No change", "Not comparable"])

Column = Sequence[object] | np.ndarray | object


def rag_from_limits(values, green_low, green_high, amber_low, amber_high) -> np.ndarray:
    """RAG labels for numeric columns; NaN performance is No data, NaN limits are No target.

    The limits are :class:`pmf_excel.rules.thresholds.Limits` (already widened), so
    a row judged here and by :func:`pmf_excel.rag` always agree.
    """
    v, gl, gh, al, ah = _numeric(values, green_low, green_high, amber_low, amber_high)
    code = np.full(v.shape, 2, dtype=np.int8)
    code[(v >= al) & (v <= ah)] = 1
    code[(v >= gl) & (v <= gh)] = 0
    code[np.isnan(v)] = 3
    code[np.isnan(gl)] = 4
    return RAG_LABELS[code]


def dot_from_numbers(current, previous, sign, policy: Policy = DEFAULT_POLICY) -> np.ndarray:
    """DOT labels for numeric columns; NaN on either side or a sign of 0 is Not comparable; a change within the
    policy's no-change band is No change."""
    now, before, s = _numeric(current, previous, sign)
    with np.errstate(all="ignore"):  # figures near ±1e308 overflow to inf, and inf - inf is NaN: Not comparable
        change = now - before
        band = policy.no_change_band * (np.abs(before) if policy.no_change_kind == "relative" else 1.0)
        same = np.abs(change) <= np.maximum(1e-9 * np.maximum(np.abs(now), np.abs(before)) + 1e-12, band)
        code = np.where(change * s > 0, 0, 1).astype(np.int8)
    code[same] = 2
    code[np.isnan(change) | (s == 0)] = 3
    return DOT_LABELS[code]


def _numeric(*columns: object) -> list[np.ndarray]:
    """Numeric columns of one length (a single value repeats), as floats; anything else is a
    :class:`PMFValueError` saying what was given, never numpy's own error."""
    try:
        arrays = [np.asarray(column, dtype=float) for column in columns]
    except (TypeError, ValueError, OverflowError):
        raise PMFValueError("a numeric column", ", ".join(type(column).__name__ for column in columns),
                            "Every column must hold numbers (NaN for none).") from None
    lengths = {array.shape for array in arrays if array.size != 1}
    if len(lengths) > 1:
        raise PMFValueError("a column of the right length", " and ".join(map(str, sorted(lengths))),
                            "Every column must have the same number of rows, or be a single value.")
    shape = lengths.pop() if lengths else max((array.shape for array in arrays), key=len)
    return [np.broadcast_to(array.reshape(()) if array.size == 1 else array, shape) for array in arrays]


def rag_many(performance: Column, target: Column, tolerance: Column, polarity: Column,
             base: Column = None, policy: Policy = DEFAULT_POLICY,
             last_year: Column = None, forecast: Column = None) -> list[str | PMFValueError]:
    """:func:`pmf_excel.rag` for every row; a single value in any argument applies to all rows.

    Under a DOT-aware policy a missed target takes its colour from the
    direction against ``last_year``; under amber by forecast, from the
    year-end ``forecast`` against the target.

    A column holds a few dozen definitions and, row after row, the same
    figures, so each distinct definition, and each distinct figure under it,
    is read once; the rows are then judged together with numpy.
    """
    missed_by_rule = policy.dot_aware_rag or policy.amber_by_forecast
    columns = _broadcast(performance, target, tolerance, polarity, base,
                         *((last_year, forecast) if missed_by_rule else ()))
    n = len(columns[0])
    definitions: list[Measure] = []
    definition_of = _remembered(lambda *raw: _numbered(definitions, read_measure(*raw, policy)))
    figure_of = _remembered(lambda raw, at: _performance(raw, definitions[at]))
    judged_by = [-1] * n  # each row's definition, by its place in ``definitions``; -1 for none to judge by
    numbers = [math.nan] * n
    errors: dict[int, PMFValueError] = {}
    for i, (perf, tgt, tol, pol, bse) in enumerate(zip(*columns[:5])):
        at = definition_of(tgt, tol, pol, bse)
        if isinstance(at, PMFValueError):
            errors[i] = at
        elif definitions[at].limits is not None:
            number = figure_of(perf, at)
            if isinstance(number, PMFValueError):
                errors[i] = number
            else:
                judged_by[i], numbers[i] = at, number
    limits = np.array([measure.limits or (math.nan,) * 4 for measure in definitions] + [(math.nan,) * 4],
                      dtype=float)[judged_by]  # -1 takes the last row: no limits
    labels = rag_from_limits(np.array(numbers, dtype=float), *limits.T).tolist() if n else []
    if missed_by_rule:  # a missed target coloured by its direction or its forecast, row by row
        for i, (perf, _, _, pol, _, long_term, expected) in enumerate(zip(*columns)):
            if labels[i] in ("Amber", "Red") and i not in errors:
                try:
                    labels[i] = missed_target(labels[i], definitions[judged_by[i]], perf, long_term, pol, policy,
                                              expected)[0]
                except PMFValueError as error:
                    errors[i] = error
    for i, error in errors.items():
        labels[i] = error
    return labels


def _remembered(read: Callable[..., object]) -> Callable[..., object]:
    """``read`` with what it gave for each distinct input remembered, for the rows of one call: an error is given
    back rather than raised, as what that input gives. Inputs are told apart by type as well as value (1, 1.0 and
    True are not one figure); one that cannot be remembered (a list) is read each time."""
    def reading(*raw: object) -> object:
        try:
            return read(*raw)
        except PMFValueError as error:
            return error

    once = functools.lru_cache(maxsize=None, typed=True)(reading)

    def remembered(*raw: object) -> object:
        try:
            return once(*raw)
        except TypeError:  # unhashable
            return reading(*raw)
    return remembered


def _numbered(found: list[Measure], measure: Measure) -> int:
    """A definition's place among those read so far, adding it."""
    found.append(measure)
    return len(found) - 1


def breach_many(performance: Column, target: Column, tolerance: Column, polarity: Column,
                base: Column = None, policy: Policy = DEFAULT_POLICY,
                last_year: Column = None, forecast: Column = None) -> list[bool | None | PMFValueError]:
    """:func:`pmf_excel.tolerance_breach` for every row."""
    return [r if isinstance(r, PMFValueError) else breach_of(r)
            for r in rag_many(performance, target, tolerance, polarity, base, policy, last_year, forecast)]


def dot_many(current: Column, previous: Column, polarity: Column,
             policy: Policy = DEFAULT_POLICY) -> list[str | PMFValueError]:
    """:func:`pmf_excel.direction_of_travel` for every row."""
    columns = _broadcast(current, previous, polarity)
    n = len(columns[0])
    now, before, sign = np.full(n, math.nan), np.full(n, math.nan), np.zeros(n)
    errors: dict[int, PMFValueError] = {}
    trends: dict[int, str] = {}
    for i, (cur, prev, pol) in enumerate(zip(*columns)):
        try:
            sign[i] = read_polarity(pol).sign
            if sign[i] == 0:
                continue
            if isinstance(prev, Trend):  # a trend over several periods is fitted row by row
                trends[i] = direction_of_travel(cur, prev, pol, policy)
                continue
            a, b = read_value(cur), read_value(prev)
            if a.is_missing or b.is_missing or not comparable(a, b)[0]:
                continue
            now[i], before[i] = a.number, b.number
        except PMFValueError as error:
            errors[i] = error
    labels = dot_from_numbers(now, before, sign, policy).tolist() if n else []
    labels = [trends.get(i, label) for i, label in enumerate(labels)]
    for i, error in errors.items():
        labels[i] = error
    return labels


def _performance(raw: object, measure: Measure) -> float:
    """The row's number on the measure's scale; NaN when there is no figure."""
    if isinstance(raw, float) and not math.isinf(raw) and measure.base is None:
        return raw  # an Excel number is held as it is; NaN stays No data
    value = read_value(raw)
    if value.is_missing:
        return math.nan
    return performance_number(value, measure)[0]


def _broadcast(*columns: Column) -> list[list[object]]:
    """Make every argument a list of the same length; a single value (or a one-row column) repeats."""
    as_lists = [_as_list(c) for c in columns]
    lengths = {len(c) for c in as_lists} - {1}
    if len(lengths) > 1:
        raise PMFValueError("a column of the right length", f"{sorted(lengths)} rows",
                            "Every column must have the same number of rows, or be a single value.")
    n = lengths.pop() if lengths else 1
    return [column if len(column) == n else column * n for column in as_lists]


def _as_list(column: Column) -> list[object]:
    """The column's cells; a single value (None, text, a number) is a column of one."""
    if isinstance(column, np.ndarray):
        return column.ravel().tolist()
    if isinstance(column, np.generic):  # a numpy scalar is a single value
        return [column.item()]
    if hasattr(column, "tolist"):  # pandas Series and Index
        return list(column.tolist())
    if isinstance(column, Sequence) and not isinstance(column, (str, bytes)):
        return list(column)
    return [column]
