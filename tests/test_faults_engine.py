"""Every public function of the engine, fuzzed: whatever it is given, only PMFValueError ever leaves it.

Functions that take what a cell or a person gives (text, numbers, ranges)
are fuzzed over anything: text as typed and adversarial, floats with inf and
NaN, integers far beyond float range, numpy scalars and arrays, dates,
bytes, containers. Functions typed over the engine's own models (a Value, a
Measure, limits) are fuzzed over everything those models can hold, built
from fuzzed text. The Excel functions give ``#VALUE!`` for what the engine
refuses, never an error of their own. Functions that read a policy report
every problem in one :class:`PolicyError` (the exception they document).
A test below checks that no public function of the engine is left out.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import math
import pkgutil
from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pmf_excel.rules as engine
from pmf_excel import PMFValueError
from pmf_excel.rules import (cells, collector, errors, models, parts, polarity, policy, targets, text, thresholds,
                              trend, values)
from pmf_excel.rules import vectorised, verdicts
from pmf_excel.rules.policy import PolicyError, builtin_policies
from tests.faults import DEEP
from udfs import pmf_functions

#: Examples per function; docs/faults-and-limits.md gives the counts of a run and of a deep one (PMF_DEEP=1).
EXAMPLES = 700 if DEEP else 100
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))

ADVERSARIAL = ["9", "0", "1,", "(", "a(b)", "1 ", ".", "1.", "%", "£", "1m", "1 min ", "1-", "1 to ", "<", "(1)",
               "1%-", "-", "=", "@", "\t", "\r", "#DIV/0!", "ТВС", "\u200b", "e", "1e3", "NaN", "inf"]
typed = st.text(alphabet="0123456789.,%£-+<>/: ()kmbnNATBCaeiostrnyhdpq*\n\t", max_size=40)
long_text = st.tuples(st.sampled_from(ADVERSARIAL), st.integers(1, 1000), typed).map(lambda t: t[0] * t[1] + t[2])
huge = st.one_of(st.sampled_from([309, -400, 5000, -6000]).map(lambda n: (-1 if n < 0 else 1) * 10**abs(n)),
                st.sampled_from([2.0**1023 * 1.5, -math.inf, math.nan, 1.7976931348623157e308, 1e308]))
numpy_scalar = st.one_of(st.floats().map(np.float64), st.integers(-2**63, 2**63 - 1).map(np.int64),
                         st.floats(width=32).map(np.float32), st.booleans().map(np.bool_), typed.map(np.str_))
scalar = st.one_of(
    st.text(max_size=40), typed, long_text, st.floats(allow_nan=True, allow_infinity=True), st.integers(), huge,
    numpy_scalar, st.none(), st.booleans(), st.dates(), st.datetimes(), st.times(),
    st.timedeltas(min_value=dt.timedelta(days=-3), max_value=dt.timedelta(days=3)), st.binary(max_size=4),
    st.decimals(allow_nan=True), st.fractions(), st.complex_numbers(max_magnitude=10))
anything = st.one_of(scalar, st.lists(scalar, max_size=3), st.dictionaries(st.text(max_size=2), scalar, max_size=1),
                     st.sets(st.integers(), max_size=2), st.tuples(scalar))
#: Columns as the vectorised functions and the Excel functions receive them: lists, arrays, Series, ranges.
column = st.one_of(
    scalar, st.lists(scalar, max_size=4), st.lists(st.floats(), max_size=4).map(np.array),
    st.lists(typed, max_size=4).map(lambda x: np.array(x, dtype=object)), st.lists(scalar, max_size=4).map(pd.Series),
    st.lists(st.lists(scalar, min_size=1, max_size=2), min_size=1, max_size=3),
    st.lists(st.one_of(scalar, st.just({"type": "Error", "basicValue": "#N/A"}), st.just(-2146826281)), max_size=3))
numbers = st.one_of(st.floats(), st.integers(), huge, numpy_scalar, st.lists(st.floats(), max_size=4),
                    st.lists(st.floats(), max_size=4).map(np.array), st.lists(scalar, max_size=3), scalar)
policies = st.sampled_from(sorted(builtin_policies().values(), key=lambda p: p.name))
labels = st.lists(st.one_of(st.text(max_size=8), st.sampled_from(["litter", "Graffiti", "(A)"])), min_size=1,
                  max_size=3).map(lambda names: [parts.PartLabel(name=name or "x") for name in names])
kinds = st.sampled_from(list(models.Kind))


def _or(build: Callable[[], object], fallback: object) -> object:
    """An engine model built from fuzzed input, or a plain one when the engine refuses the input (as it may)."""
    try:
        return build()
    except PMFValueError:
        return fallback


#: What the typed functions are given: models the engine built from figures and texts of every kind, huge ones too.
figure = st.one_of(st.floats(), st.sampled_from([1e308, -1e308, 5e-324]), typed, typed.map(lambda t: t + "%"),
                   st.tuples(st.floats(-1e9, 1e9), st.floats(-1e9, 1e9)).map(lambda ab: f"{ab[0]:.3f} to {ab[1]:.3f}"),
                   st.floats(-1e300, 1e300).map(lambda x: f"<{x:.6g}"))
values_ = figure.map(lambda raw: _or(lambda: values.read_value(raw), values.read_value(1)))
targets_ = figure.map(lambda raw: _or(lambda: targets.read_target(raw), targets.read_target("86%")))
tolerances_ = figure.map(lambda raw: _or(lambda: targets.read_tolerance(raw), targets.read_tolerance("5%")))
polarities = st.sampled_from(list(models.Polarity))
PLAIN_MEASURE = verdicts.read_measure("86%", "5%", "Bigger is better")
measures = st.builds(lambda t, tol, pol, pick: _or(lambda: verdicts.read_measure(t, tol, pol, policy=pick),
                                                   PLAIN_MEASURE), figure, figure, polarities, policies)
limits_ = measures.map(lambda m: m.limits or PLAIN_MEASURE.limits)
assessments = st.builds(lambda p, t, tol, pol: _or(lambda: verdicts.assess(p, t, tol, pol),
                                                   verdicts.assess("77%", "<70%", "5%", "Smaller is better")),
                        figure, figure, figure, polarities)
fits = st.lists(st.floats(-1e6, 1e6), min_size=3, max_size=12).map(trend.fit_trend).map(
    lambda fit: fit or trend.fit_trend([1.0, 2.0, 4.0]))
floats = st.one_of(st.floats(), st.sampled_from([1e308, -1e308, 5e-324]))

#: The Excel functions: every function of the module the add-in loads, which are all named PMF_...
UDFS = sorted(name for name, item in vars(pmf_functions).items() if callable(item) and name.startswith("pmf_"))

#: Each public function, called with fuzzed arguments drawn through ``d``.
CALLS: dict[str, Callable[[Callable], object]] = {
    # the public surface (pmf_excel.__all__): what a cell or a person gives
    "verdicts.rag": lambda d: verdicts.rag(d(anything), d(anything), d(anything), d(anything), base=d(anything),
                                           policy=d(policies), last_year=d(anything), forecast=d(anything)),
    "verdicts.tolerance_breach": lambda d: verdicts.tolerance_breach(d(anything), d(anything), d(anything),
                                                                     d(anything), base=d(anything), policy=d(policies),
                                                                     last_year=d(anything), forecast=d(anything)),
    "verdicts.assess": lambda d: verdicts.assess(d(anything), d(anything), d(anything), d(anything),
                                                 last_quarter=d(anything), last_year=d(anything), base=d(anything),
                                                 policy=d(policies), long_term=d(anything), forecast=d(anything),
                                                 year_end_target=d(anything)),
    "verdicts.check_officer_rating": lambda d: verdicts.check_officer_rating(d(anything), d(assessments), d(policies)),
    "verdicts.missed_target": lambda d: verdicts.missed_target(
        d(st.sampled_from(["Green", "Amber", "Red", "No target", "No data"])), d(measures), d(anything), d(anything),
        d(st.one_of(polarities, anything)), d(policies), d(anything)),
    "verdicts.direction_of_travel": lambda d: verdicts.direction_of_travel(d(anything), d(anything), d(anything),
                                                                           d(policies)),
    "verdicts.explain_direction": lambda d: verdicts.explain_direction(d(anything), d(anything), d(anything),
                                                                       d(policies)),
    "verdicts.deliverable_rag": lambda d: verdicts.deliverable_rag(d(anything), d(policies)),
    "verdicts.deliverable_status_name": lambda d: verdicts.deliverable_status_name(d(anything), d(policies)),
    "verdicts.read_measure": lambda d: verdicts.read_measure(d(anything), d(anything), d(anything), d(anything),
                                                             d(policies)),
    "verdicts.average_figure": lambda d: verdicts.average_figure(d(st.lists(anything, max_size=5))),
    "verdicts.comparison_figures": lambda d: verdicts.comparison_figures(d(policies), d(anything), d(anything),
                                                                         d(st.lists(anything, max_size=12))),
    "parts.assess_parts": lambda d: parts.assess_parts(d(anything), d(anything), d(anything), d(anything),
                                                       d(st.one_of(labels, st.lists(st.text(max_size=6), max_size=3))),
                                                       last_quarter=d(anything), last_year=d(anything),
                                                       base=d(anything), policy=d(policies), long_term=d(anything)),
    "parts.split_parts": lambda d: parts.split_parts(d(anything), d(labels)),
    "polarity.read_polarity": lambda d: polarity.read_polarity(d(anything)),
    "targets.read_target": lambda d: targets.read_target(d(anything)),
    "targets.read_tolerance": lambda d: targets.read_tolerance(d(anything)),
    "targets.in_target_unit": lambda d: targets.in_target_unit(d(anything), d(st.one_of(typed, long_text))),
    "targets.profiled_target": lambda d: targets.profiled_target(d(st.one_of(typed, long_text)), d(floats)),
    "targets.split_range": lambda d: targets.split_range(d(st.one_of(typed, long_text, st.text()))),
    "values.read_value": lambda d: values.read_value(d(anything)),
    "values.held_number": lambda d: values.held_number(d(st.one_of(st.floats(), st.integers(), huge, numpy_scalar))),
    "values.check_figures": lambda d: values.check_figures(*[d(st.one_of(typed, long_text))] * 2),
    "values.is_missing_text": lambda d: values.is_missing_text(d(st.one_of(st.text(), long_text))),
    "values.split_annotations": lambda d: values.split_annotations(d(st.one_of(st.text(), typed, long_text))),
    "values.profile_parts": lambda d: values.profile_parts(d(st.one_of(st.text(), typed, long_text))),
    "trend.fit_trend": lambda d: trend.fit_trend(d(st.lists(st.one_of(st.none(), floats), max_size=14))),
    "trend.compare_trend": lambda d: trend.compare_trend(d(floats), d(fits), d(st.sampled_from([-1, 0, 1])),
                                                         d(st.floats(0, 1e9))),
    "text.clean": lambda d: text.clean(d(st.one_of(st.text(), long_text))),
    "text.squash": lambda d: text.squash(d(st.one_of(st.text(), long_text))),
    "text.is_formula": lambda d: text.is_formula(d(anything)),
    "errors.quote": lambda d: errors.quote(d(anything), d(st.integers(2, 200))),
    "errors.as_text": lambda d: errors.as_text(d(anything)),
    # many rows at once
    "vectorised.rag_many": lambda d: vectorised.rag_many(d(column), d(column), d(column), d(column), d(column),
                                                         d(policies), d(column), d(column)),
    "vectorised.breach_many": lambda d: vectorised.breach_many(d(column), d(column), d(column), d(column),
                                                               d(column), d(policies), d(column), d(column)),
    "vectorised.dot_many": lambda d: vectorised.dot_many(d(column), d(column), d(column), d(policies)),
    "vectorised.rag_from_limits": lambda d: vectorised.rag_from_limits(*(d(numbers) for _ in range(5))),
    "vectorised.dot_from_numbers": lambda d: vectorised.dot_from_numbers(d(numbers), d(numbers), d(numbers),
                                                                         d(policies)),
    # the Excel functions' layer: ranges in, ranges out, #VALUE! for what the engine refuses
    "cells.rag_cells": lambda d: cells.rag_cells(*(d(column) for _ in range(8))),
    "cells.breach_cells": lambda d: cells.breach_cells(*(d(column) for _ in range(8))),
    "cells.trend_cells": lambda d: cells.trend_cells(*(d(column) for _ in range(3))),
    "cells.dot_cells": lambda d: cells.dot_cells(*(d(column) for _ in range(4))),
    "cells.status_cells": lambda d: cells.status_cells(d(column), d(column)),
    "cells.value_cells": lambda d: cells.value_cells(d(column)),
    "cells.explain_cells": lambda d: cells.explain_cells(*(d(column) for _ in range(8))),
    "cells.policy_of": lambda d: cells.policy_of(d(column)),
    "cells.as_grid": lambda d: cells.as_grid(d(column)),
    "collector.collector_paused": lambda d: collector.collector_paused()(values.read_value)(d(anything)),
    "cells.plain": lambda d: cells.plain(d(anything)),
    # typed over the engine's own models, built from fuzzed input
    "models.show_number": lambda d: models.show_number(d(st.one_of(st.none(), floats)), d(kinds),
                                                       d(st.text(max_size=6))),
    "thresholds.compute_thresholds": lambda d: thresholds.compute_thresholds(d(targets_), d(tolerances_),
                                                                             d(polarities), d(st.none() | values_)),
    "thresholds.as_points": lambda d: thresholds.as_points(d(tolerances_), d(targets_), d(st.none() | values_)),
    "thresholds.comparable": lambda d: thresholds.comparable(d(values_), d(values_)),
    "thresholds.widen": lambda d: thresholds.widen(d(measures.map(lambda m: m.thresholds or
                                                                   PLAIN_MEASURE.thresholds)), d(st.booleans())),
    "verdicts.judge": lambda d: verdicts.judge(d(floats), d(limits_)),
    "verdicts.performance_number": lambda d: verdicts.performance_number(
        d(values_.map(lambda v: values.read_value(1) if v.is_missing else v)),
        d(measures.map(lambda m: m if m.limits else PLAIN_MEASURE))),  # a measure with a target, as it is called
    "verdicts.breach_of": lambda d: verdicts.breach_of(d(st.sampled_from(["Green", "Amber", "Red", "No target",
                                                                          "No data", "Not due"]))),
    "verdicts.compare_direction": lambda d: verdicts.compare_direction(d(floats), d(floats),
                                                                       d(st.sampled_from([-1, 0, 1])), d(policies)),
    "verdicts.no_change_width": lambda d: verdicts.no_change_width(d(floats), d(policies)),
    # policies: every problem with one is a PolicyError naming the setting
    "policy.named_policy": lambda d: policy.named_policy(d(st.one_of(st.text(max_size=20), st.sampled_from(
        ["DOT-aware", "ten percent", "Average trend", "nowhere.toml"])))),
    "policy.policy_from_rows": lambda d: policy.policy_from_rows(d(st.lists(st.lists(scalar, max_size=3),
                                                                            max_size=6)), "fuzz"),
    "policy.policy_rows": lambda d: policy.policy_rows(d(policies)),
    "policy.builtin_policies": lambda d: policy.builtin_policies(),
    "policy.load_policy": lambda d: _load_policy(d(st.binary(max_size=200)), d(st.sampled_from([".toml", ".json"]))),
}
for name in UDFS:
    function = getattr(pmf_functions, name)
    arity = len(inspect.signature(function).parameters)
    CALLS[f"udfs.{name}"] = lambda d, function=function, arity=arity: function(*(d(column) for _ in range(arity)))

#: Functions that read a policy document the one exception they raise for a policy they cannot use.
RAISES_POLICY_ERROR = {"policy.named_policy", "policy.policy_from_rows", "policy.load_policy"}


def _load_policy(content: bytes, suffix: str):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzzed{suffix}"
        path.write_bytes(content)
        return policy.load_policy(path)


def public_functions() -> set[str]:
    """Every public function defined in the engine's modules and every Excel function."""
    found = set()
    for module_info in pkgutil.iter_modules(engine.__path__):
        module = importlib.import_module(f"pmf_excel.rules.{module_info.name}")
        found |= {f"{module_info.name}.{name}" for name, item in vars(module).items()
                  if inspect.isfunction(item) and item.__module__ == module.__name__ and not name.startswith("_")}
    found |= {f"udfs.{name}" for name in UDFS}
    return found


def test_every_public_function_of_the_engine_is_fuzzed():
    assert public_functions() - set(CALLS) == set(), "public functions not fuzzed here"
    assert set(CALLS) - public_functions() == set(), "fuzzed functions that are no longer public"


@pytest.mark.parametrize("name", sorted(CALLS))
def test_only_pmf_value_error_ever_leaves(name):
    allowed = (PMFValueError, PolicyError) if name in RAISES_POLICY_ERROR else PMFValueError

    @FUZZ
    @given(data=st.data())
    def run(data):
        try:
            result = CALLS[name](data.draw)
        except allowed as error:
            assert str(error)  # a message to show, never an empty one
            return
        if name.startswith(("cells.", "udfs.")) and name not in ("cells.policy_of", "cells.plain", "cells.as_grid"):
            shown = [cell for row in result for cell in row]
            assert not any(isinstance(cell, Exception) for cell in shown)
            assert not any(isinstance(cell, float) and math.isinf(cell) for cell in shown), "inf cannot go to Excel"

    run()


# What the fuzzing found, and the numbers the issue names, as examples.

@pytest.mark.parametrize("reader, what", [(values.read_value, "a value"), (targets.read_target, "a target"),
                                          (targets.read_tolerance, "a tolerance")])
def test_a_figure_with_more_digits_than_a_spreadsheet_keeps_is_refused_by_name(reader, what):
    for typed_text in ("9" * 40_000, "1234567890123456", "1" + "0" * 400, "£1,234,567,890,123,456",
                       "12345678901234567%"):
        with pytest.raises(PMFValueError, match=f"is not {what} the framework can read. It has more significant "
                                                r"digits than a spreadsheet keeps \(15\)") as refused:
            reader(typed_text)
        assert errors.quote(typed_text) in str(refused.value)  # the text, cut short, is named
    for typed_text in ("123456789012345", "0.000000000000000012", "0.123456789012345", "163,278 (321,009 cumulative)"):
        reader(typed_text)  # 15 significant digits, and leading zeros, are what a spreadsheet keeps


def test_a_40000_digit_figure_is_not_judged_green():
    with pytest.raises(PMFValueError, match="more significant digits"):
        verdicts.rag("9" * 40_000, "80%", "5%", "Bigger is better")


@pytest.mark.parametrize("number", [10**400, -(10**309), 1e308 * 10, -math.inf, 10**5000, np.float64(math.inf)],
                         ids=["10**400", "-10**309", "1e309", "-inf", "10**5000", "numpy inf"])
def test_a_number_beyond_1e308_is_refused_not_an_overflow(number):
    for call in (lambda: verdicts.rag(number, 1, "5%", "Bigger is better"),
                 lambda: verdicts.direction_of_travel(number, 1, "Bigger is better"),
                 lambda: targets.read_tolerance(number), lambda: targets.read_target(number)):
        with pytest.raises(PMFValueError, match=r"beyond ±1E\+308|is not a target"):
            call()
    assert verdicts.rag(1e308, 1e308, "5%", "Bigger is better") == "Green"  # Excel's own largest is held


def test_pmf_value_gives_value_error_for_what_no_spreadsheet_holds():
    assert pmf_functions.pmf_value([["1" + "0" * 400], [10**400], [1e309], ["71%"]]) == [
        ["#VALUE!"], ["#VALUE!"], ["#VALUE!"], [0.71]]
    assert "more significant digits" in cells.explain_cells("9" * 20, "80%", "5%", "Bigger is better")[0][0]


def test_the_vectorised_functions_take_numpy_scalars():
    assert vectorised.rag_many(np.float64(0.5), "60%", "5%", "Bigger is better") == ["Red"]
    assert vectorised.breach_many(np.float32(0.7), np.str_("60%"), "5%", "Bigger is better") == [False]
    assert vectorised.dot_many(np.int64(3), np.int64(2), "Bigger is better") == ["Improving"]
    assert str(vectorised.rag_from_limits(np.float64(0.5), 0.4, 1, 0.3, 1)) == "Green"
    assert vectorised.dot_from_numbers(np.float64(3), [2, 4], np.int8(1)).tolist() == ["Improving", "Worsening"]


@pytest.mark.parametrize("call", [
    lambda: vectorised.rag_from_limits([0.5, 0.6, 0.7], [0.4, 0.4], 1, 0.3, 1),
    lambda: vectorised.dot_from_numbers([1, 2, 3], [1, 2], 1),
    lambda: vectorised.dot_from_numbers(np.ones(4), np.ones(3), np.ones(4)),
    lambda: vectorised.rag_many(["1", "2", "3"], ["1", "2"], "5%", "Bigger is better"),
])
def test_columns_of_unequal_length_are_refused_with_pmf_value_error(call):
    with pytest.raises(PMFValueError, match="Every column must have the same number of rows, or be a single value"):
        call()


def test_columns_that_are_not_numbers_are_refused_with_pmf_value_error():
    with pytest.raises(PMFValueError, match="Every column must hold numbers"):
        vectorised.dot_from_numbers(["71%"], [1], [1])
