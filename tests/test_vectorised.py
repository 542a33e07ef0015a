"""The many-rows path gives exactly the scalar functions' answers."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmf_excel import PMFValueError, direction_of_travel, rag, read_measure, tolerance_breach
from pmf_excel.rules.policy import named_policy
from pmf_excel.rules.vectorised import breach_many, dot_from_numbers, dot_many, rag_from_limits, rag_many

performance = st.one_of(
    st.integers(0, 2000).map(lambda i: i / 1000), st.integers(0, 200).map(lambda i: f"{i / 2}%"),
    st.sampled_from(["NA", "", "TBC", None, "1 min 27 secs", "£207k Annual Deficit", "nonsense", "17,6 %",
                     "163,278 (321,009 cumulative)", "5.75 days", float("nan")]),
    st.sampled_from([1, 1.0, True, 0, 0.0, False]),  # equal as Python values, not as figures (a boolean is none)
)
target = st.sampled_from(["86%", "<70%", ">80%", 0.5, "TBC", "No target", "30 seconds", "900-1200", "3.86 days",
                          "£740k Annual Surplus", "170,625", "July completion", "what"])
tolerance = st.sampled_from(["5%", 0.05, "70.1%-75%", "NA", "92% (tolerance score)", "<>10% of the range", "5pp"])
polarity = st.sampled_from(["Bigger is better", "Smaller is better", "NA - dependent", "NA", "sideways"])


def scalar(function, *args, **options):
    try:
        return function(*args, **options)
    except PMFValueError as error:
        return type(error), str(error)


def flatten(results):
    return [(type(r), str(r)) if isinstance(r, PMFValueError) else r for r in results]


@settings(max_examples=300)
@given(rows=st.lists(st.tuples(performance, target, tolerance, polarity), min_size=1, max_size=60))
def test_rag_many_equals_rag_row_by_row(rows):
    columns = list(zip(*rows))
    assert flatten(rag_many(*columns)) == [scalar(rag, *row) for row in rows]
    assert flatten(breach_many(*columns)) == [scalar(tolerance_breach, *row) for row in rows]


def test_a_cell_that_cannot_be_remembered_is_read_as_it_is():
    """A figure or definition Python cannot hash (a list, from a caller's nested data) is read row by row."""
    rows = [(["77%"], "86%", "5%", "Bigger is better"), ("77%", ["86%"], "5%", "Bigger is better"),
            ("77%", "86%", "5%", "Bigger is better"), (["77%"], "86%", "5%", "Bigger is better")]
    assert flatten(rag_many(*zip(*rows))) == [scalar(rag, *row) for row in rows]


def test_a_figure_repeated_down_a_column_is_read_as_each_row_holds_it():
    """Each distinct figure is read once a call, told apart by type: 1 and 1.0 are a figure, True is none."""
    rows = [(figure, target, "5%", "Bigger is better") for figure in (1, True, 1.0, "1", 1, True, 0, False, 0.0)
            for target in ("86%", 0.5, "86%")]
    assert flatten(rag_many(*zip(*rows))) == [scalar(rag, *row) for row in rows]
    assert flatten(rag_many(*zip(*rows), policy=named_policy("DOT-aware"), last_year=0.4)) == \
        [scalar(rag, *row, policy=named_policy("DOT-aware"), last_year=0.4) for row in rows]


@settings(max_examples=200)
@given(rows=st.lists(st.tuples(performance, performance, polarity), min_size=1, max_size=30))
def test_dot_many_equals_direction_of_travel_row_by_row(rows):
    columns = list(zip(*rows))
    assert flatten(dot_many(*columns)) == [scalar(direction_of_travel, *row) for row in rows]


def test_single_values_apply_to_every_row_and_columns_may_be_pandas_or_numpy():
    perf = pd.Series(["77%", "74%", "69%", "NA"])
    assert rag_many(perf, "<70%", "70.1%-75%", "Smaller is better") == ["Red", "Amber", "Green", "No data"]
    assert rag_many(np.array([0.77, 0.74]), np.array(["<70%", "<70%"]), "70.1%-75%",
                    "Smaller is better") == ["Red", "Amber"]
    with pytest.raises(PMFValueError, match="Every column must have the same number of rows"):
        rag_many(["1", "2", "3"], ["1", "2"], "5%", "Bigger is better")
    assert rag_many([], [], [], []) == []


def test_numeric_path_agrees_with_scalar_limits():
    measure = read_measure("8%", "5%", "Smaller is better")
    values = np.array([0.08, 0.084, 0.0841, np.nan, 0.01])
    labels = rag_from_limits(values, *[np.full(5, limit) for limit in measure.limits])
    assert labels.tolist() == ["Green", "Amber", "Red", "No data", "Green"]
    assert labels.tolist()[:3] == [rag(v, "8%", "5%", "Smaller is better") for v in values[:3]]
    no_target = rag_from_limits(np.array([0.5]), np.nan, np.nan, np.nan, np.nan)
    assert no_target.tolist() == ["No target"]


def test_numeric_direction():
    labels = dot_from_numbers(np.array([1.0, 2.0, 2.0, np.nan, 3.0]), np.array([2.0, 1.0, 2.0, 1.0, 1.0]),
                              np.array([1, 1, 1, 1, 0]))
    assert labels.tolist() == ["Worsening", "Improving", "No change", "Not comparable", "Not comparable"]
