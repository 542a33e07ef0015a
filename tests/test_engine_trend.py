"""The direction of travel by trend (pmf_excel/rules/trend.py): the fit and its No change edges, pinned."""

import pytest

from pmf_excel.rules.trend import TrendFit, compare_trend, fit_trend


def test_the_fit_is_over_this_period_and_the_earlier_ones_latest_first_a_gap_keeping_its_place():
    assert fit_trend([0.54, 0.52, 0.50]) == pytest.approx(TrendFit(-0.148, 0.3, 3.0, 0.52, 4))
    assert fit_trend([None, 2, None, 4]) == pytest.approx(TrendFit(-1.0, 0.25, 4.0, 3.0, 3))
    assert fit_trend([2]) is None and fit_trend([None, 2]) is None


def test_a_small_rise_is_improving_or_worsening_by_the_polarity():
    fit = fit_trend([0.54, 0.52, 0.50])
    assert fit.change(0.56) == pytest.approx(0.06)
    assert (compare_trend(fit.change(0.56), fit, 1, 0), compare_trend(fit.change(0.56), fit, -1, 0)) == (
        "Improving", "Worsening")


def test_a_movement_within_rounding_of_the_figures_is_no_change_and_the_band_widens_it():
    large = fit_trend([1e6, 1e6, 1e6])
    assert compare_trend(large.change(1e6 + 1e-4), large, 1, 0) == "No change"
    assert compare_trend(large.change(1e6 + 1), large, 1, 0) == "Improving"
    near_zero = fit_trend([-0.4, 0.5, -0.1])
    assert abs(near_zero.change(0.2)) < 1e-12
    assert compare_trend(near_zero.change(0.2), near_zero, 1, 0) == "No change"
    fit = fit_trend([0.54, 0.52, 0.50])
    assert compare_trend(0.06, fit, 1, 0.06) == "No change"
    assert compare_trend(0.0601, fit, 1, 0.06) == "Improving"
