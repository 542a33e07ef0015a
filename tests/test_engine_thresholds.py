"""The limits a measure is judged by (pmf_excel/rules/thresholds.py), one case per tolerance rule and refusal."""

import math

import pytest

from pmf_excel import PMFValueError, read_target, read_tolerance, read_value
from pmf_excel.rules.models import Kind, Thresholds
from pmf_excel.rules.polarity import read_polarity
from pmf_excel.rules.thresholds import as_points, comparable, compute_thresholds, widen

inf = math.inf

CASES = [
    ('0', '0.5%', 'Smaller is better', '£733.967m', None, ('PERCENTAGE', '', -inf, 0.0, -inf, 0.005)),
    ('0%-1%', '0.5%', 'Smaller is better', '£733.967m', None, ('PERCENTAGE', '%', -inf, 0.01, -inf, 0.015)),
    ('0%-1%', '0.5%', 'Bigger is better', '£733.967m', None, ('PERCENTAGE', '%', 0.0, inf, -0.005, inf)),
    ('900-1200', '5%', 'Bigger is better', None, '2%', ('COUNT', '', 882.0, inf, 855.0, inf)),
    ('900-1200', '5%', 'Smaller is better', None, '2%', ('COUNT', '', -inf, 1224.0, -inf, 1260.0)),
    ('900-1200', '5pp', 'Bigger is better', None, None,
     '"5pp" is not a tolerance the framework can read. Percentage points need a percentage target, and '
     "'900-1200' is not one."),
    ('900-1200', '5pp', 'Smaller is better', None, None,
     '"5pp" is not a tolerance the framework can read. Percentage points need a percentage target, and '
     "'900-1200' is not one."),
    ('100', '5%', 'Bigger is better', None, '2pp',
     '"2pp" is not a tolerance the framework can read. Percentage points need a percentage target, and '
     "'100' is not one."),
    ('86%', '5%', 'Bigger is better', None, None, ('PERCENTAGE', '%', 0.86, inf, 0.817, inf)),
    ('86%', '5pp', 'Bigger is better', None, None, ('PERCENTAGE', '%', 0.86, inf, 0.81, inf)),
    ('<70%', '70.1%-75%', 'Smaller is better', None, None, ('PERCENTAGE', '%', -inf, 0.7, -inf, 0.75)),
    ('95%', '92% (tolerance score)', 'Bigger is better', None, None, ('PERCENTAGE', '%', 0.95, inf, 0.92, inf)),
    ('86%', 'NA', 'Bigger is better', None, None, ('PERCENTAGE', '%', 0.86, inf, 0.86, inf)),
    ('-20', '10%', 'Bigger is better', None, None, ('COUNT', '', -20.0, inf, -22.0, inf)),
    ('100', '5%', 'Smaller is better', None, None, ('COUNT', '', -inf, 100.0, -inf, 105.0)),
    ('0%', '0.5%', 'Smaller is better', '£733.967m', None, ('PERCENTAGE', '%', -inf, 0.0, -inf, 0.005)),
    ('0%', '0.5pp', 'Smaller is better', '£100m', None, ('PERCENTAGE', '%', -inf, 0.0, -inf, 0.005)),
    ('900-1200', '<>10% of the range', 'NA - dependent', None, None, ('COUNT', '', 900.0, 1200.0, 870.0, 1230.0)),
    ('900-1200', '5%', 'NA - dependent', None, None, ('COUNT', '', 900.0, 1200.0, 855.0, 1260.0)),
    ('900-1200', '50', 'NA - dependent', None, None,
     '"50" is not a tolerance the framework can read. A range target takes a tolerance such as <>10% of '
     'the range, 5% or a wider band.'),
    ('10%-20%', '2pp', 'NA - dependent', None, None, ('PERCENTAGE', '%', 0.1, 0.2, 0.08, 0.22)),
    ('900-1200', '800-1300', 'NA - dependent', None, None, ('COUNT', '', 900.0, 1200.0, 800.0, 1300.0)),
    ('900-1200', 'NA', 'NA - dependent', None, None, ('COUNT', '', 900.0, 1200.0, 900.0, 1200.0)),
    ('900-1200', '5%', 'Bigger is better', None, None, ('COUNT', '', 900.0, inf, 855.0, inf)),
    ('900-1200', '5%', 'Smaller is better', None, None, ('COUNT', '', -inf, 1200.0, -inf, 1260.0)),
    ('-1200--900', '5%', 'NA - dependent', None, None, ('COUNT', '', -1200.0, -900.0, -1260.0, -855.0)),
    ('100', '5%', 'Bigger is better', None, '2%', ('COUNT', '', 98.0, inf, 95.0, inf)),
    ('100', '5%', 'Bigger is better', None, '10%', ('COUNT', '', 90.0, inf, 90.0, inf)),
    ('80%', '5pp', 'Smaller is better', None, '2pp', ('PERCENTAGE', '%', -inf, 0.82, -inf, 0.85)),
    ('900-1200', '<>10% of the range', 'NA - dependent', None, '5%', ('COUNT', '', 855.0, 1260.0, 855.0, 1260.0)),
    ('86%', '5%', 'NA', None, None, None),
    ('86%', '<>10% of the range', 'Bigger is better', None, None,
     '"<>10% of the range" is not a tolerance the framework can read. A share of the range needs a range '
     'target such as 900-1200.'),
    ('100', '5pp', 'Bigger is better', None, None,
     '"5pp" is not a tolerance the framework can read. Percentage points need a percentage target, and '
     "'100' is not one."),
    ('86', '70.1%-75%', 'Bigger is better', None, None,
     '"70.1%-75%" is not a tolerance the framework can read. Its unit (percentage) does not match the '
     "target's (count)."),
    ('86%', '5%', 'NA - dependent', None, None,
     '"86%" is not a range target the framework can read. The polarity NA - dependent needs a range target'
     ' such as 900-1200.'),
    ('900-1200', '92 (tolerance score)', 'NA - dependent', None, None,
     '"92 (tolerance score)" is not a tolerance the framework can read. A range target takes a tolerance '
     'such as <>10% of the range, 5% or a wider band.'),
    ('900-1200', '5%-10%', 'NA - dependent', None, None,
     '"5%-10%" is not a tolerance the framework can read. Its unit (percentage) does not match the '
     "target's (count)."),
    ('3.86 days', '4 days (tolerance score)', 'Smaller is better', None, None, ('DAYS', 'days', -inf, 3.86, -inf, 4.0)),
    ('3.86 days', '4 (tolerance score)', 'Smaller is better', None, None, ('DAYS', 'days', -inf, 3.86, -inf, 4.0)),
    ('4.5/5', '4.2/5 (tolerance score)', 'Bigger is better', None, None, ('RATING', '/5', 4.5, inf, 4.2, inf)),
    ('4.5/5', '4.2/10 (tolerance score)', 'Bigger is better', None, None,
     '"4.2/10 (tolerance score)" is not a tolerance the framework can read. Its unit (rating) does not '
     "match the target's (rating)."),
    ('No target', '5%', 'Bigger is better', None, None, None),
    ('80', '90 (tolerance score)', 'Bigger is better', None, None, ('COUNT', '', 80.0, inf, 80.0, inf)),
]


@pytest.mark.parametrize("target, tolerance, polarity, base, green, limits", CASES)
def test_each_tolerance_rule_gives_its_limits_or_says_why_it_cannot(target, tolerance, polarity, base, green, limits):
    def computed():
        thresholds = compute_thresholds(read_target(target), read_tolerance(tolerance), read_polarity(polarity),
                                        None if base is None else read_value(base),
                                        None if green is None else read_tolerance(green))
        return None if thresholds is None else (thresholds.kind.name, thresholds.unit, thresholds.green_low,
                                                thresholds.green_high, thresholds.amber_low, thresholds.amber_high)

    if isinstance(limits, str):
        with pytest.raises(PMFValueError) as raised:
            computed()
        assert str(raised.value) == limits
    else:
        assert computed() == limits


def test_limits_are_widened_by_a_part_in_a_billion_towards_the_better_colour_or_narrowed_when_exclusive():
    thresholds = Thresholds(kind=Kind.COUNT, green_low=100, green_high=inf, amber_low=0, amber_high=inf)
    assert widen(thresholds) == pytest.approx((100 - 1e-7 - 1e-12, inf, -1e-12, inf), abs=1e-13)
    assert widen(thresholds, inclusive=False) == pytest.approx((100 + 1e-7 + 1e-12, inf, 1e-12, inf), abs=1e-13)
    below = Thresholds(kind=Kind.COUNT, green_low=-inf, green_high=-100, amber_low=-inf, amber_high=50)
    assert widen(below) == pytest.approx((-inf, -100 + 1e-7 + 1e-12, -inf, 50 + 5e-8 + 1e-12), abs=1e-13)
    assert widen(below, inclusive=False) == pytest.approx(
        (-inf, -100 - 1e-7 - 1e-12, -inf, 50 - 5e-8 - 1e-12), abs=1e-13)


@pytest.mark.parametrize("a, b, result", [
    ("71%", 0.5, (True, False)), (0.5, "£5", (True, False)), ("71%", "86%", (True, False)),
    ("4.5/5", "4/5", (True, False)), ("4.5/5", "4/10", (False, False)), ("5.75", "3.86 days", (True, True)),
    ("£5", "7", (True, True)), ("9.3", "9.8%", (False, False)), ("£5", "9%", (False, False)),
    ("3 days", "£5", (False, False)), ("Category 2", "4/5", (False, False))])
def test_two_values_compare_when_their_scales_agree_and_a_count_against_another_scale_is_flagged(a, b, result):
    assert comparable(read_value(a), read_value(b)) == result


def test_a_share_tolerance_of_a_percentage_target_can_be_read_as_points():
    share = read_tolerance("5%")
    assert as_points(share, read_target("86%"), None).kind == "points"
    assert as_points(share, read_target("80%-90%"), None).kind == "points"
    assert as_points(share, read_target("86"), None).kind == "relative"
    assert as_points(share, read_target("86%"), read_value("£5m")).kind == "relative"
    assert as_points(read_tolerance("70.1%-75%"), read_target("86%"), None).kind == "band"


def test_the_target_itself_is_never_rounded():
    thresholds = compute_thresholds(read_target(0.1 + 0.2), read_tolerance("NA"), read_polarity("Bigger is better"))
    assert thresholds.green_low == 0.1 + 0.2
