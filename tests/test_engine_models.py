"""How the engine prints a held number in its reasons (pmf_excel/rules/models.py), pinned form by form."""

import pytest

from pmf_excel.rules.models import Kind, Thresholds, Value, show_number

DAY = 86_400
INF = float("inf")


@pytest.mark.parametrize("number, kind, unit, shown", [
    (None, Kind.COUNT, "", "blank"),
    (0.715, Kind.PERCENTAGE, "", "71.5%"),
    (-0.0000001, Kind.PERCENTAGE, "", "0%"),
    (-1_500_000, Kind.MONEY, "", "-£1.5m"),
    (1_000_000, Kind.MONEY, "", "£1m"),
    (999_000, Kind.MONEY, "", "£999k"),
    (1_234_567, Kind.MONEY, "", "£1.235m"),
    (10_000, Kind.MONEY, "", "£10k"),
    (9_999.5, Kind.MONEY, "", "£9999.5"),
    (12_345, Kind.MONEY, "", "£12.3k"),
    (-250.456, Kind.MONEY, "", "-£250.46"),
    (0, Kind.MONEY, "", "£0"),
    (5.75, Kind.DAYS, "", "5.75 days"),
    (4.54, Kind.RATING, "/5", "4.54/5"),
    (2, Kind.CATEGORY, "", "Category 2"),
    (10_000, Kind.COUNT, "", "10,000"),
    (9_999, Kind.COUNT, "", "9999"),
    (163_278.5, Kind.COUNT, "", "163,278.50"),
    (-12_000, Kind.COUNT, "", "-12,000"),
    (1.23456, Kind.COUNT, "", "1.2346"),
    (-0.00001, Kind.COUNT, "", "0"),
])
def test_a_held_number_is_printed_as_a_council_report_writes_it(number, kind, unit, shown):
    assert show_number(number, kind, unit) == shown


@pytest.mark.parametrize("seconds, shown", [
    (3723.456, "1 hr 2 mins 3.46 secs"), (3600, "1 hr"), (7261, "2 hrs 1 min 1 sec"), (60, "1 min"),
    (1, "1 sec"), (0, "0 secs"), (59.999, "1 min"), (61.5, "1 min 1.5 secs"), (0.005, "0.01 secs"),
    (7322.25, "2 hrs 2 mins 2.25 secs"), (3659.9951, "1 hr 1 min"),
])
def test_a_duration_is_printed_in_hours_minutes_and_seconds(seconds, shown):
    assert show_number(seconds / DAY, Kind.DURATION) == shown


def test_a_value_prints_with_its_unit():
    assert Value(kind=Kind.RATING, number=4.5, unit="/5", text="4.5 out of 5").show() == "4.5/5"


@pytest.mark.parametrize("limits, shown", [
    ((0.86, INF, 0.817, INF), "down to 0.817/5"),
    ((-INF, 0.7, -INF, 0.75), "up to 0.75/5"),
    ((0.86, INF, 0.86, INF), "no tolerance band"),
    ((900, 1200, 810, 1320), "810/5–1320/5"),
    ((900, 1200, 900, 1320), "900/5–1320/5"),
])
def test_the_amber_band_is_described_by_its_open_side(limits, shown):
    green_low, green_high, amber_low, amber_high = limits
    thresholds = Thresholds(kind=Kind.RATING, unit="/5", green_low=green_low, green_high=green_high,
                            amber_low=amber_low, amber_high=amber_high)
    assert thresholds.describe_amber() == shown


def test_a_rating_printed_without_its_scale_is_the_bare_figure():
    assert show_number(4.5, Kind.RATING) == "4.5"


def test_a_duration_of_a_million_million_seconds_or_more_is_printed_as_seconds_only():
    assert show_number(1e12 / DAY, Kind.DURATION) == "1e+12 secs"
    assert show_number(-1e12 / DAY, Kind.DURATION) == "-1e+12 secs"
    assert show_number(0.99e12 / DAY, Kind.DURATION) == "275000000 hrs"
