"""Many rows at once (pmf_excel/rules/vectorised.py): the edges the mutation run found no test pinning."""

import pytest

from pmf_excel import PMFValueError, direction_of_travel
from pmf_excel.rules.policy import DEFAULT_POLICY
from pmf_excel.rules.vectorised import breach_many, dot_from_numbers, dot_many, rag_from_limits, rag_many

TEN_PERCENT_BAND = DEFAULT_POLICY.model_copy(update={"no_change_band": 0.1})


def test_a_change_exactly_on_the_no_change_bands_edge_is_no_change_row_by_row_and_at_once():
    current, previous = [110, 111, 90, 89], [100] * 4
    expected = ["No change", "Improving", "No change", "Worsening"]
    assert dot_many(current, previous, ["Bigger is better"] * 4, policy=TEN_PERCENT_BAND) == expected
    assert [direction_of_travel(c, p, "Bigger is better", policy=TEN_PERCENT_BAND)
            for c, p in zip(current, previous)] == expected


def test_numeric_directions_by_sign_with_nan_and_a_zero_sign_not_comparable():
    labels = dot_from_numbers([1, None, 5, 5, 5], [0, 1, 4, 6, 4], [1, 1, -1, -1, 0]).tolist()
    assert labels == ["Improving", "Not comparable", "Worsening", "Improving", "Not comparable"]


def test_a_change_within_float_noise_of_the_figures_is_no_change():
    labels = dot_from_numbers([0.1 + 0.2, 1e9 + 0.5, 1e9 + 2, 1e-13, 3e-12], [0.3, 1e9, 1e9, 0, 0], [1] * 5).tolist()
    assert labels == ["No change", "No change", "Improving", "No change", "Improving"]


def test_the_no_change_band_is_a_share_of_the_earlier_figure_or_an_absolute_width():
    relative = DEFAULT_POLICY.model_copy(update={"no_change_band": 0.1})
    absolute = DEFAULT_POLICY.model_copy(update={"no_change_band": 5, "no_change_kind": "absolute"})
    now, before, sign = [-110, -111, 210, 106, 105], [-100, -100, 200, 100, 100], [1] * 5
    assert dot_from_numbers(now, before, sign, relative).tolist() == [
        "No change", "Worsening", "No change", "No change", "No change"]
    assert dot_from_numbers(now, before, sign, absolute).tolist() == [
        "Worsening", "Worsening", "Improving", "Improving", "No change"]


def test_numeric_rags_by_limits_with_nan_performance_no_data_and_nan_limits_no_target():
    nan, inf = float("nan"), float("inf")
    labels = rag_from_limits([0.9, 0.84, 0.5, nan, 0.9, 0.86, 0.817],
                             [0.86, 0.86, 0.86, 0.86, nan, 0.86, 0.86], inf, [0.817] * 7, inf).tolist()
    assert labels == ["Green", "Amber", "Red", "No data", "No target", "Green", "Amber"]


def test_rows_with_a_missing_or_incomparable_figure_are_not_comparable():
    assert dot_many(["NA", 5, 5, "71%"], [5, "NA", "TBC", "5"], "Bigger is better") == ["Not comparable"] * 4
    assert dot_many([5, 5], [4, 4], ["NA", "Smaller is better"]) == ["Not comparable", "Worsening"]


def test_rag_many_under_a_dot_aware_or_forecast_policy_colours_each_missed_target_by_its_own_row():
    dot_aware = DEFAULT_POLICY.model_copy(update={"dot_aware_rag": True})
    forecast = DEFAULT_POLICY.model_copy(update={"amber_by_forecast": True})
    performance, target = [0.84, 0.84, 0.9, 0.5, "x"], "86%"
    assert rag_many(performance, target, "5%", "Bigger is better", policy=dot_aware,
                    last_year=[0.8, 0.9, 0.95, 0.4, 0.8])[:4] == ["Amber", "Red", "Green", "Amber"]
    assert rag_many(performance, target, "5%", "Bigger is better", policy=forecast,
                    forecast=[0.9, 0.8, 0.5, 0.86, 0.9])[:4] == ["Amber", "Red", "Green", "Amber"]
    assert isinstance(rag_many(performance, target, "5%", "Bigger is better", policy=forecast, forecast=0.9)[4],
                      PMFValueError)
    assert breach_many([0.84, 0.84], target, "5%", "Bigger is better", policy=forecast, forecast=[0.9, 0.8]) == [
        False, True]


def test_rag_many_judges_a_budget_row_against_its_base():
    assert rag_many(["£1m", "£3m"], "0%", "0.5%", "Smaller is better", base="£300m") == ["Amber", "Red"]
    assert rag_many([0.5], "86%", "5%", "NA") == ["No target"]
    assert rag_many([], "86%", "5%", "Bigger is better") == []


def test_columns_of_different_lengths_are_refused_naming_the_lengths():
    with pytest.raises(PMFValueError) as raised:
        rag_many([1, 2], [1, 2, 3], "5%", "Bigger is better")
    assert str(raised.value) == ('"[2, 3] rows" is not a column of the right length the framework can read. Every '
                                 "column must have the same number of rows, or be a single value.")


def test_an_infinite_figure_is_refused_and_a_bare_number_against_a_base_is_pounds():
    assert isinstance(rag_many([float("inf")], "86%", "5%", "Bigger is better")[0], PMFValueError)
    assert rag_many([1_000_000.0], "0%", "0.5%", "Smaller is better", base="£733.967m") == ["Amber"]
    assert breach_many([1_000_000.0, 5_000_000.0], "0%", "0.5%", "Smaller is better", base="£733.967m") == [
        False, True]


def test_a_figure_exactly_on_a_finite_upper_limit_takes_the_better_colour():
    assert rag_from_limits([1200, 1320, 1321, 900, 810], 900, 1200, 810, 1320).tolist() == [
        "Green", "Amber", "Red", "Green", "Amber"]


def test_last_years_column_is_not_read_unless_the_policy_colours_by_it():
    assert rag_many([0.9, 0.8], "86%", "5%", "Bigger is better", last_year=[1, 2, 3]) == ["Green", "Red"]


def test_a_dot_aware_policy_leaves_rows_without_a_target_and_names_an_unreadable_comparison():
    dot_aware = DEFAULT_POLICY.model_copy(update={"dot_aware_rag": True})
    assert rag_many([0.9, 0.5], ["86%", "NA"], "5%", "Bigger is better", policy=dot_aware, last_year=0.8) == [
        "Green", "No target"]
    (error,) = rag_many([0.84], "86%", "5%", "Bigger is better", policy=dot_aware, last_year="x")
    assert isinstance(error, PMFValueError) and error.text == "x"


def test_numeric_columns_that_are_not_numbers_or_of_different_lengths_are_refused_naming_them():
    inf = float("inf")
    with pytest.raises(PMFValueError) as raised:
        rag_from_limits(["x"], 1, 2, 0, 3)
    assert str(raised.value) == ('"list, int, int, int, int" is not a numeric column the framework can read. Every '
                                 "column must hold numbers (NaN for none).")
    with pytest.raises(PMFValueError) as raised:
        dot_from_numbers([1, 2], [1, 2, 3], 1)
    assert str(raised.value) == ('"(2,) and (3,)" is not a column of the right length the framework can read. Every '
                                 "column must have the same number of rows, or be a single value.")
    assert rag_from_limits([[[0.9]]], [0.8, 0.86, 0.95], inf, 0, inf).tolist() == ["Green", "Green", "Amber"]
    assert rag_from_limits([[0.9]], [0.8, 0.86, 0.95], inf, 0, inf).tolist() == ["Green", "Green", "Amber"]
    assert rag_from_limits(1, 1, 2, 0, 3).tolist() == "Green"
