"""domain.md's rules, one example each, boundaries included."""

import pytest

from pmf_excel import PMFValueError, assess, deliverable_rag, direction_of_travel, rag, read_measure, tolerance_breach

BIGGER, SMALLER = "Bigger is better", "Smaller is better"


@pytest.mark.parametrize(
    "performance, target, tolerance, polarity, expected",
    [
        # 5% of the target value: 8% smaller-is-better is Amber up to 8.4%, Red above (domain.md).
        ("8%", "8%", "5%", SMALLER, "Green"),
        ("8.4%", "8%", "5%", SMALLER, "Amber"),
        ("8.41%", "8%", "5%", SMALLER, "Red"),
        ("7.9%", "8%", "5%", SMALLER, "Green"),
        # percentage points are absolute.
        ("3.1%", "8%", "5pp", BIGGER, "Amber"),
        ("2.9%", "8%", "5pp", BIGGER, "Red"),
        # a comparator's boundary is on target.
        ("70%", "<70%", "70.1%-75%", SMALLER, "Green"),
        ("80%", ">80%", "75%-79.9%", BIGGER, "Green"),
        # a band's far edge is the limit, inclusive.
        ("75%", "<70%", "70.1%-75%", SMALLER, "Amber"),
        ("75.01%", "<70%", "70.1%-75%", SMALLER, "Red"),
        ("79.95%", ">80%", "75%-79.9%", BIGGER, "Amber"),
        ("74.9%", ">80%", "75%-79.9%", BIGGER, "Red"),
        # a threshold is the limit itself, inclusive.
        ("92%", "95%", "92% (tolerance score)", BIGGER, "Amber"),
        ("91.9%", "95%", "92% (tolerance score)", BIGGER, "Red"),
        # a range target: inside is Green, within 10% of its width outside is Amber.
        ("900", "900-1200", "<>10% of the range", "NA - dependent", "Green"),
        ("1200", "900-1200", "<>10% of the range", "NA - dependent", "Green"),
        ("870", "900-1200", "<>10% of the range", "NA - dependent", "Amber"),
        ("1230", "900-1200", "<>10% of the range", "NA - dependent", "Amber"),
        ("869", "900-1200", "<>10% of the range", "NA - dependent", "Red"),
        ("1231", "900-1200", "<>10% of the range", "NA - dependent", "Red"),
        ("1000", "900-1200", "NA", "NA - awaiting strategy", "Green"),
        ("1300", "900-1200", "NA", "NA", "Red"),
        # no tolerance: worse than target is Red.
        ("85.9%", "86%", "NA", BIGGER, "Red"),
        ("85.9%", "86%", "TBC", BIGGER, "Red"),
        ("85.9%", "86%", "", BIGGER, "Red"),
        # grey states; No target wins over missing data.
        ("71%", "TBC", "5%", BIGGER, "No target"),
        ("71%", "No target", "5%", BIGGER, "No target"),
        ("71%", "Establishing baseline", "5%", BIGGER, "No target"),
        ("NA", "NA", "5%", BIGGER, "No target"),
        ("NA", "86%", "5%", BIGGER, "No data"),
        ("", "86%", "5%", BIGGER, "No data"),
        ("Figures not available in Q2", "Annual 80%", "5%", BIGGER, "No data"),
        ("Not available", "86%", "5%", BIGGER, "No data"),
        # no direction and a single-value target: nothing can be judged.
        ("Completed", "July completion", "NA", "NA", "No target"),
        ("50%", "60%", "5%", "NA - awaiting strategy", "No target"),
        # signed money: surplus positive, deficit negative; overspend positive.
        ("£703k Annual Surplus", "£740k Annual Surplus", "5%", BIGGER, "Amber"),
        ("£207k Annual Deficit", "£740k Annual Surplus", "5%", BIGGER, "Red"),
        ("£472k underspend", "£0", "5%", SMALLER, "Green"),
        # durations compare in seconds.
        ("1 min 27 secs", "30 seconds", "5%", SMALLER, "Red"),
        ("31 secs", "30 seconds", "5%", SMALLER, "Amber"),
        ("3 mins, 39 secs", "3 minutes 30 seconds", "5%", SMALLER, "Amber"),
    ],
)
def test_rag(performance, target, tolerance, polarity, expected):
    assert rag(performance, target, tolerance, polarity) == expected


def test_excel_cells_and_typed_text_give_the_same_answer():
    assert rag(0.71, 0.86, 0.05, BIGGER) == rag("71%", "86%", "5%", BIGGER) == "Red"
    assert rag(0.84, "86%", 0.05, BIGGER) == rag("84%", "86%", "5%", BIGGER) == "Amber"
    excel_time = (1 * 60 + 27) / 86_400
    assert rag(excel_time, "30 seconds", "5%", SMALLER) == rag("1 min 27 secs", "30 seconds", "5%", SMALLER)
    assert rag(31 / 86_400, "30 seconds", 0.05, SMALLER) == "Amber"


def test_budget_variance_is_a_share_of_its_base():
    # O11a: £1.222m overspend on a £733.967m gross budget is 0.17%, within the 0.5% tolerance.
    assert rag("£1.222m overspend", "0%", "0.5%", "smaller is better", base="£733.967m") == "Amber"
    assert rag("£1.222m underspend", "0%", "0.5%", "smaller is better", base="£733.967m") == "Green"
    assert rag("£4m overspend", "0%", "0.5%", "smaller is better", base="£733.967m") == "Red"
    # the return's money-formatted cell holds pounds: a bare number is money for such a measure
    assert rag(1_222_000, "0%", "0.5%", "smaller is better", base="£733.967m") == "Amber"
    with pytest.raises(PMFValueError, match="budget base"):
        rag("£1.222m overspend", "0%", "0.5%", "smaller is better")


@pytest.mark.parametrize(
    "performance, target, tolerance, polarity, expected",
    [("77%", "<70%", "70.1%-75%", SMALLER, True), ("74%", "<70%", "70.1%-75%", SMALLER, False),
     ("69%", "<70%", "70.1%-75%", SMALLER, False), ("NA", "<70%", "70.1%-75%", SMALLER, None),
     ("77%", "TBC", "70.1%-75%", SMALLER, None)],
)
def test_breach_exactly_when_red(performance, target, tolerance, polarity, expected):
    assert tolerance_breach(performance, target, tolerance, polarity) is expected


@pytest.mark.parametrize(
    "current, previous, polarity, expected",
    [
        ("77%", "76%", SMALLER, "Worsening"),
        ("77%", "82%", SMALLER, "Improving"),
        ("95%", "95%", BIGGER, "No change"),
        ("95%", 0.95, BIGGER, "No change"),
        ("1 min 27 secs", "1 min 9 secs", SMALLER, "Worsening"),
        ("3 mins, 39 secs", "5 mins 41 secs (revised)", SMALLER, "Improving"),
        ("£207k Annual Deficit", "£209k Annual deficit (revised from £224k)", BIGGER, "Improving"),
        ("71% (30th Sep 2023)", "86% (30th June 2023)", BIGGER, "Worsening"),
        ("4.54/5", "4.08 / 5", BIGGER, "Improving"),
        ("9 (6 in Q2)", "3", BIGGER, "Improving"),
        ("77%", "NA - New PI", SMALLER, "Not comparable"),
        ("NA", "77%", SMALLER, "Not comparable"),
        ("1023", "1138", "NA - dependent", "Not comparable"),
        ("38%", "39%", "NA - awaiting strategy", "Not comparable"),
        ("9.8% (2022/23)", "9.3 (2021/22)", SMALLER, "Not comparable"),
        ("£1m", "10%", SMALLER, "Not comparable"),
    ],
)
def test_direction_of_travel(current, previous, polarity, expected):
    assert direction_of_travel(current, previous, polarity) == expected


def test_direction_of_travel_refuses_unreadable_text():
    with pytest.raises(PMFValueError, match='"g Families Other"'):
        direction_of_travel("52%", "g Families Other", BIGGER)
    with pytest.raises(PMFValueError, match="polarity"):
        direction_of_travel("52%", "50%", "upwards")


@pytest.mark.parametrize(
    "status, expected",
    [
        ("On Track", "Green"), ("on track", "Green"), ("ON TRACK ", "Green"), ("On\nTrack", "Green"),
        ("Medium Issue/Slippage", "Amber"), ("medium issue / slippage", "Amber"),
        ("Significant issues/risks/slippage", "Red"), ("Significant issues/ risks/\nslippage", "Red"),
        ("Complete", "Complete"), ("complete", "Complete"),
        ("No update available", "No update"), ("No update available.", "No update"),
        ("", "No update"), (None, "No update"), ("   ", "No update"),
    ],
)
def test_deliverable_rag(status, expected):
    assert deliverable_rag(status) == expected


@pytest.mark.parametrize("status", ["Green", "Behind", 3, "On Track maybe"])
def test_unknown_status_names_the_text(status):
    with pytest.raises(PMFValueError, match="deliverable status"):
        deliverable_rag(status)


def test_assess_explains_with_the_thresholds_used():
    result = assess("77%", "<70%", "70.1%-75%", SMALLER, last_quarter="76%", last_year="82%")
    assert result.rag == "Red" and result.breach is True
    assert result.reason == "Red: 77% is worse than the target <70% and outside the tolerance 70.1%–75%."
    assert (result.thresholds.green_high, result.thresholds.amber_high) == (0.70, 0.75)
    assert (result.dot_short, result.dot_long) == ("Worsening", "Improving")
    assert result.warnings == ()


@pytest.mark.parametrize(
    "args, reason",
    [
        (("87%", "89%", "5%", BIGGER),
         "Amber: 87% is worse than the target 89% but within the tolerance 5% of the target (down to 84.55%)."),
        (("96.70%", "85%", "80-84.9%", BIGGER), "Green: 96.7% is on or better than the target 85%."),
        (("1023", "900-1200", "<>10% of the range", "NA - dependent"),
         "Green: 1023 is inside the target range 900–1200."),
        (("1 min 27 secs", "30 seconds", "5%", SMALLER),
         "Red: 1 min 27 secs is worse than the target 30 secs and outside the tolerance 5% of the target "
         "(up to 31.5 secs)."),
        (("85%", "86%", "NA", BIGGER), "Red: 85% is worse than the target 86% and there is no tolerance band."),
        (("71%", "ТВС", "5%", BIGGER), "No target: the target is 'ТВС'."),
        (("NA", "90%", "5%", BIGGER), "No data: the performance is 'NA'."),
    ],
)
def test_reasons_read_as_sentences(args, reason):
    assert assess(*args).reason == reason


@pytest.mark.parametrize(
    "args, code",
    [
        (("-14.9 (2023 provisional)", "-13.5 (2023)", "5%", SMALLER), "negative_smaller_is_better"),
        (("168", "201 (year-end 2023/24)", "5%", BIGGER), "year_end_target"),
        (("5.75", "3.86 days", "5%", SMALLER), "different_units"),
        (("4.4", "4.5 / 5", "5%", BIGGER), "different_units"),
        (("53.49%%", "56.16%%", "5%", BIGGER), "typo"),
        (("80%", "<70%", "5%", BIGGER), "comparator_against_polarity"),
        (("80%", "70%", "92%", BIGGER), "wide_tolerance"),
        (("80%", "70%", "75%-80%", BIGGER), "tolerance_on_better_side"),
    ],
)
def test_data_quality_warnings(args, code):
    assert code in {w.code for w in assess(*args).warnings}


@pytest.mark.parametrize(
    "args, says",
    [
        (("9.3", "8.8%", "5%", SMALLER), "is a percentage but this is a count"),
        (("£1m", "10%", "5%", SMALLER), "budget base"),
        (("50%", "60%", "5%", "NA - dependent"), "needs a range target"),
        (("50%", "60%", "<>10% of the range", BIGGER), "range target"),
        (("50%", "60%", "5pp", BIGGER), None),
        (("50", "60", "5pp", BIGGER), "Percentage points need a percentage target"),
        (("50%", "60%", "10-20 days", BIGGER), "does not match"),
    ],
)
def test_impossible_comparisons_are_errors(args, says):
    if says is None:
        assert rag(*args) == "Red"
        return
    with pytest.raises(PMFValueError, match=says):
        rag(*args)


def test_limits_are_exposed_for_native_formulas():
    measure = read_measure("8%", "5%", SMALLER)
    assert measure.thresholds.green_high == pytest.approx(0.08)
    assert measure.thresholds.amber_high == pytest.approx(0.084)
    assert measure.limits.amber_high >= 0.084
