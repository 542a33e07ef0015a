"""Reading targets and tolerances (pmf_excel/rules/targets.py): ranges, profiles, units and refusals, pinned."""

import pytest

from pmf_excel import Kind, PMFValueError, read_target, read_tolerance
from pmf_excel.rules.targets import in_target_unit, profiled_target, split_range

EXPECTED_TOLERANCE = ("Expected a tolerance such as 5% (of the target), 5pp (percentage points), a band such as "
                      "70.1%-75%, a limit such as 92% (tolerance score), or NA when there is none.")


def test_a_figure_takes_its_percentage_targets_unit():
    held = in_target_unit(0.71, "86%")
    assert (held.kind, held.number, held.unit, held.text, held.annotations) == (Kind.PERCENTAGE, 0.71, "%", "0.71",
                                                                                  ())


@pytest.mark.parametrize("figure, target, held", [
    (3, "3.86 days", (Kind.DAYS, 3.0, "days", "3")), (5, "900-1200", (Kind.COUNT, 5.0, "", "5")),
    (0.02, "5-10%", (Kind.PERCENTAGE, 0.02, "%", "0.02")), (2, "£740k Annual Surplus", (Kind.MONEY, 2.0, "£", "2"))])
def test_a_figure_takes_the_unit_of_its_targets_value_or_range(figure, target, held):
    shown = in_target_unit(figure, target)
    assert (shown.kind, shown.number, shown.unit, shown.text) == held and shown.annotations == ()


@pytest.mark.parametrize("figure, target", [("x", "86%"), (True, "86%"), (5, "nonsense?"), (5, "No target")])
def test_anything_but_a_number_against_a_readable_target_stays_as_it_is(figure, target):
    assert in_target_unit(figure, target) is figure


@pytest.mark.parametrize("text, low, high", [
    ("9-12%", (Kind.PERCENTAGE, 0.09, "%"), (Kind.PERCENTAGE, 0.12, "%")),
    ("9%-12", (Kind.PERCENTAGE, 0.09, "%"), (Kind.PERCENTAGE, 0.12, "%")),
    ("3-4.5 days", (Kind.DAYS, 3.0, "days"), (Kind.DAYS, 4.5, "days")),
    ("3 days-4", (Kind.DAYS, 3.0, "days"), (Kind.DAYS, 4.0, "days")),
    ("1200-900", (Kind.COUNT, 900.0, ""), (Kind.COUNT, 1200.0, "")),
    ("5 to 10", (Kind.COUNT, 5.0, ""), (Kind.COUNT, 10.0, "")),
    ("£5-£10", (Kind.MONEY, 5.0, "£"), (Kind.MONEY, 10.0, "£")),
    ("-5 - 5", (Kind.COUNT, -5.0, ""), (Kind.COUNT, 5.0, "")),
])
def test_a_range_is_low_to_high_and_a_unit_on_one_side_belongs_to_both(text, low, high):
    pair = split_range(text)
    assert [(v.kind, pytest.approx(v.number), v.unit) for v in pair] == [low, high]


def test_a_range_with_sides_of_different_kinds_is_no_range():
    assert split_range("5-10%x") is None
    assert split_range("£5-10%") is None


@pytest.mark.parametrize("target, share, profiled", [
    ("138", 0.5, "69"), ("900-1200", 0.25, "225–300"), ("<70%", 0.5, "<35%"), ("No target", 0.5, "No target"),
    ("£740k Annual Surplus", 0.5, "£370k")])
def test_a_year_end_target_is_profiled_by_scaling_its_value_or_range(target, share, profiled):
    assert profiled_target(target, share) == profiled


@pytest.mark.parametrize("text", ["abc (tolerance score)", "<abc", "<NA", "x-y"])
def test_an_unreadable_tolerance_limit_is_refused_quoting_the_whole_cell(text):
    with pytest.raises(PMFValueError) as raised:
        read_tolerance(text)
    assert (raised.value.what, raised.value.text, raised.value.expected) == ("a tolerance", text, EXPECTED_TOLERANCE)
    assert str(raised.value) == f'"{text}" is not a tolerance the framework can read. {EXPECTED_TOLERANCE}'


def test_a_count_with_its_own_unit_does_not_take_the_other_sides_percentage():
    assert split_range("5 tonnes-10%") is None
    assert [(v.kind, v.number, v.unit) for v in split_range("5 tonnes-10 tonnes")] == [
        (Kind.COUNT, 5, "tonnes"), (Kind.COUNT, 10, "tonnes")]


def test_a_tolerance_score_with_no_figure_is_refused_quoting_the_cell():
    with pytest.raises(PMFValueError) as raised:
        read_tolerance("(tolerance score)")
    assert str(raised.value) == f'"(tolerance score)" is not a tolerance the framework can read. {EXPECTED_TOLERANCE}'


def test_a_range_after_a_note_with_a_hyphen_is_still_a_range():
    assert [(v.number, v.text) for v in split_range("5 (2023-24) - 10")] == [(5, "5 (2023-24)"), (10, "10")]
    assert [v.number for v in split_range("5 (year-end) to 10")] == [5, 10]


def test_a_range_of_one_figure_keeps_the_order_it_was_written_in():
    assert [v.text for v in split_range("5 - 5.0")] == ["5", "5.0"]


TOO_LARGE = "It is beyond ±1E+308, the largest number a spreadsheet holds."


@pytest.mark.parametrize("raw, kind, text, share", [
    (None, "none", "", None), (float("nan"), "none", "", None), (0.05, "relative", "0.05", 0.05),
    (0, "relative", "0", 0.0)])
def test_a_tolerance_cell_holding_a_number_is_a_share_and_an_empty_one_none(raw, kind, text, share):
    tolerance = read_tolerance(raw)
    assert (tolerance.kind, tolerance.text, tolerance.share) == (kind, text, share)


@pytest.mark.parametrize("raw, hint", [(-0.05, ""), (True, ""), ([1], ""), (1e309, f"{TOO_LARGE} ")])
def test_a_negative_huge_or_non_number_tolerance_cell_is_refused(raw, hint):
    with pytest.raises(PMFValueError) as raised:
        read_tolerance(raw)
    assert (raised.value.what, raised.value.text) == ("a tolerance", raw)
    assert raised.value.expected == f"{hint}{EXPECTED_TOLERANCE}"


def test_a_target_cell_holding_a_number_is_its_value_and_an_empty_one_no_target():
    held = read_target(0.86)
    assert (held.kind, held.text, held.value.number) == ("value", "0.86", 0.86)
    assert [(read_target(raw).kind, read_target(raw).text) for raw in (None, float("nan"))] == [("missing", "")] * 2
    for wrong in (True, 1e309):
        with pytest.raises(PMFValueError) as raised:
            read_target(wrong)
        assert (raised.value.what, raised.value.text) == ("a target", wrong)
        assert raised.value.expected.startswith("Expected a target such as 86%")


@pytest.mark.parametrize("target, profile", [
    ("86% (80 - Q1 profile)", (Kind.PERCENTAGE, 0.8, "%", 1)), ("£740k (300 - Q1 profile)", (Kind.MONEY, 300, "£", 1)),
    ("1,200 tonnes (300 tonnes - Q2 profile)", (Kind.COUNT, 300, "tonnes", 2))])
def test_a_bare_profile_figure_is_in_its_targets_unit(target, profile):
    held = read_target(target)
    assert (held.profile.kind, pytest.approx(held.profile.number), held.profile.unit, held.profile_quarter) == profile


@pytest.mark.parametrize("target, note", [("86% (80 tonnes - Q1 profile)", "80 tonnes - Q1 profile"),
                                          ("4/5 (3/10 - Q1 profile)", "3/10 - Q1 profile")])
def test_a_profile_in_another_unit_than_its_target_is_refused(target, note):
    with pytest.raises(PMFValueError) as raised:
        read_target(target)
    assert (raised.value.what, raised.value.text) == ("a target", target)
    assert raised.value.expected.startswith(f"Its profile ({note}) is not in the unit of the target (")
