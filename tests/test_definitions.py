"""Targets, tolerances and polarity as seed 004 writes them."""

import pytest

from pmf_excel import Kind, PMFValueError, Polarity, read_polarity, read_target, read_tolerance


@pytest.mark.parametrize(
    "text, comparator, number",
    [
        ("86%", None, 0.86),
        ("<70%", "<", 0.70),
        (">80%", ">", 0.80),
        ("3.86 days", None, 3.86),
        ("4 per quarter", None, 4),
        ("£740k Annual Surplus", None, 740_000),
        ("Annual 80%", None, 0.80),
        ("201 (year-end 2023/24)", None, 201),
        ("-13.5 (2023)", None, -13.5),
        ("8.8% (national average 2022/23)", None, 0.088),
        ("170,625 (328,125 cumulative)", None, 170_625),
        ("30 seconds", None, 30 / 86_400),
        ("≤ 5%", "<=", 0.05),
        (0.86, None, 0.86),
    ],
)
def test_value_targets(text, comparator, number):
    target = read_target(text)
    assert target.kind == "value"
    assert target.comparator == comparator
    assert target.value.number == pytest.approx(number)


def test_year_end_target_is_flagged():
    assert read_target("201 (year-end 2023/24)").year_end
    assert not read_target("201").year_end


@pytest.mark.parametrize("text, low, high", [("900-1200", 900, 1200), ("900 to 1200", 900, 1200)])
def test_range_targets(text, low, high):
    target = read_target(text)
    assert (target.kind, target.low.number, target.high.number) == ("range", low, high)


@pytest.mark.parametrize(
    "text", ["", "NA", "TBC", "ТВС", "No target", "Establishing baseline", "NA - Establishing baseline", None]
)
def test_missing_targets(text):
    assert read_target(text).is_missing


def test_unreadable_target_names_the_text():
    with pytest.raises(PMFValueError, match='"litter - 2.50% detritus - 6.50%" is not a target'):
        read_target("litter - 2.50% detritus - 6.50%")


@pytest.mark.parametrize(
    "text, kind, share",
    [
        ("5%", "relative", 0.05),
        (0.05, "relative", 0.05),
        ("0.5%", "relative", 0.005),
        ("5pp", "points", 0.05),
        ("5 percentage points", "points", 0.05),
        ("<>10% of the range", "range_share", 0.10),
    ],
)
def test_share_tolerances(text, kind, share):
    tolerance = read_tolerance(text)
    assert tolerance.kind == kind
    assert tolerance.share == pytest.approx(share)


@pytest.mark.parametrize(
    "text, low, high, kind",
    [
        ("70.1%-75%", 0.701, 0.75, Kind.PERCENTAGE),
        ("45.1 to 55", 45.1, 55, Kind.COUNT),
        ("60-68%", 0.60, 0.68, Kind.PERCENTAGE),
        ("15% to 22%", 0.15, 0.22, Kind.PERCENTAGE),
        ("9-12%", 0.09, 0.12, Kind.PERCENTAGE),
        ("80-84.9%", 0.80, 0.849, Kind.PERCENTAGE),
    ],
)
def test_band_tolerances(text, low, high, kind):
    tolerance = read_tolerance(text)
    assert tolerance.kind == "band"
    assert tolerance.low.kind is kind and tolerance.high.kind is kind
    assert (tolerance.low.number, tolerance.high.number) == (pytest.approx(low), pytest.approx(high))


def test_tolerance_score_is_the_limit_itself():
    tolerance = read_tolerance("92% (tolerance score)")
    assert tolerance.kind == "threshold"
    assert tolerance.limit.number == pytest.approx(0.92)


@pytest.mark.parametrize("text", ["NA", "TBC", "ТВС", "", None, float("nan")])
def test_no_tolerance(text):
    assert read_tolerance(text).kind == "none"


@pytest.mark.parametrize("raw", ["five percent", -0.05, True, "5% of what"])
def test_unreadable_tolerance(raw):
    with pytest.raises(PMFValueError, match="tolerance"):
        read_tolerance(raw)


@pytest.mark.parametrize(
    "text, polarity",
    [
        ("Bigger is better", Polarity.BIGGER),
        ("bigger is better", Polarity.BIGGER),
        ("Higher is better", Polarity.BIGGER),
        ("Smaller is better", Polarity.SMALLER),
        ("smaller in better", Polarity.SMALLER),
        ("Lower is better", Polarity.SMALLER),
        ("SMALLER IS BETTER", Polarity.SMALLER),
        ("NA - dependent", Polarity.RANGE),
        ("NA", Polarity.NONE),
        ("NA - awaiting strategy", Polarity.NONE),
        ("ТВС", Polarity.NONE),
    ],
)
def test_polarity(text, polarity):
    assert read_polarity(text) is polarity


@pytest.mark.parametrize("raw", ["Sideways is better", "", None, 1, ["Bigger is better"]])
def test_unknown_polarity_names_the_text(raw):
    with pytest.raises(PMFValueError, match="is not a polarity the framework can read"):
        read_polarity(raw)
