"""Every value form domain.md lists, read as Excel holds it."""

import datetime as dt

import pytest

from pmf_excel import Kind, PMFValueError, read_value

SECONDS = 1 / 86_400


@pytest.mark.parametrize(
    "text, kind, number",
    [
        ("71%", Kind.PERCENTAGE, 0.71),
        ("27.40%", Kind.PERCENTAGE, 0.274),
        ("53.49%%", Kind.PERCENTAGE, 0.5349),
        ("163,278", Kind.COUNT, 163_278),
        ("£207k", Kind.MONEY, 207_000),
        ("£1.222m", Kind.MONEY, 1_222_000),
        ("£38,851,914", Kind.MONEY, 38_851_914),
        ("£ 1,978,000", Kind.MONEY, 1_978_000),
        ("£740k Annual Surplus", Kind.MONEY, 740_000),
        ("£207k Annual Deficit", Kind.MONEY, -207_000),
        ("£1.222m overspend", Kind.MONEY, 1_222_000),
        ("£472k underspend", Kind.MONEY, -472_000),
        ("Over £100K", Kind.MONEY, 100_000),
        ("30 seconds", Kind.DURATION, 30 * SECONDS),
        ("1 min 27 secs", Kind.DURATION, 87 * SECONDS),
        ("3 mins, 39 secs", Kind.DURATION, 219 * SECONDS),
        ("3 minutes 30 seconds", Kind.DURATION, 210 * SECONDS),
        ("1 min", Kind.DURATION, 60 * SECONDS),
        ("14 mins 52 secs", Kind.DURATION, 892 * SECONDS),
        ("5.75 days", Kind.DAYS, 5.75),
        ("3.86 days", Kind.DAYS, 3.86),
        ("4.54/5", Kind.RATING, 4.54),
        ("4.5 / 5", Kind.RATING, 4.5),
        ("4.58 out of 5 (67,834 ratings)", Kind.RATING, 4.58),
        ("Category 2", Kind.CATEGORY, 2),
        ("-14.9 (2023 provisional)", Kind.COUNT, -14.9),
        ("4 per quarter", Kind.COUNT, 4),
        ("Annual 80%", Kind.PERCENTAGE, 0.8),
        ("4 fault cases", Kind.COUNT, 4),
    ],
)
def test_reads_each_form_as_excel_holds_it(text, kind, number):
    value = read_value(text)
    assert value.kind is kind
    assert value.number == pytest.approx(number, rel=1e-12)
    assert value.text == text


@pytest.mark.parametrize(
    "text, number, annotation",
    [
        ("71% (30th Sep 2023)", 0.71, "date"),
        ("163,278 (321,009 cumulative)", 163_278, "cumulative"),
        ("64% (68% excluding ASC)", 0.64, "note"),
        ("9 (6 in Q2)", 9, "note"),
        ("39%*", 0.39, "note"),
        ("15.32% (revised)", 0.1532, "revised"),
        ("£209k Annual deficit (revised from £224k)", -209_000, "revised"),
        ("55% (2023 provisional)", 0.55, "provisional"),
        ("201 (year-end 2023/24)", 201, "year_end"),
        ("66% (Q1)", 0.66, "date"),
        ("64.7% (Apr 22 - Mar 23)", 0.647, "date"),
        ("1,026 (Stage 1: 984, Stage 2: 42) (revised)", 1026, "revised"),
    ],
)
def test_annotations_are_context_not_value(text, number, annotation):
    value = read_value(text)
    assert value.number == pytest.approx(number)
    assert value.has(annotation)


def test_cumulative_figure_is_kept_as_a_secondary_value():
    value = read_value("163,278 (321,009 cumulative)")
    assert value.cumulative == 321_009


def test_revision_and_provisional_flags():
    assert read_value("15.32% (revised)").revised
    assert read_value("-14.9 (2023 provisional)").provisional
    assert not read_value("15.32%").revised


def test_doubled_percent_sign_is_read_and_noted():
    assert read_value("53.49%%").has("typo")


@pytest.mark.parametrize(
    "text",
    ["NA", "N/A", "NA - New PI", "NA - C", "NA - was annual", "NA- new", "TBC", "ТВС", "New KPI",
     "Not available", "Figures not available in Q2", "", "   ", "Na", "N/A - New PI", "NA - No checks"],
)
def test_missing_markers(text):
    assert read_value(text).is_missing


def test_cyrillic_look_alikes_read_as_latin():
    assert read_value("ТВС").is_missing  # Cyrillic Te, Ve, Es
    assert read_value("5 mіns").number == pytest.approx(300 * SECONDS)  # Cyrillic i


def test_excel_numbers_and_typed_text_agree():
    assert read_value(0.71).number == read_value("71%").number
    assert read_value(dt.time(0, 1, 27)).number == pytest.approx(read_value("1 min 27 secs").number)
    assert read_value(dt.timedelta(seconds=87)).number == pytest.approx(read_value("1 min 27 secs").number)
    assert read_value(float("nan")).is_missing
    assert read_value(None).is_missing


@pytest.mark.parametrize(
    "raw, says",
    [
        ("17,6 %", "decimal point"),
        ("Completed", "Expected a figure"),
        ("HO: 4 fault cases, LGO: 6 fault cases", "several figures"),
        ("170 complaints looked into to see what lessons had been learnt", "Expected a figure"),
        ("£5k bananas", "Expected a figure"),
        (True, "Expected a figure"),
        (float("inf"), "Expected a figure"),
        (dt.date(2023, 9, 30), "Expected a figure"),
        ([1, 2], "Expected a figure"),
    ],
)
def test_unreadable_values_name_the_text(raw, says):
    with pytest.raises(PMFValueError) as caught:
        read_value(raw)
    message = str(caught.value)
    assert says in message
    assert str(raw)[:20] in message


def test_error_can_point_at_a_cell():
    with pytest.raises(PMFValueError) as caught:
        read_value("17,6 %")
    located = caught.value.at("Housing_2023-24_Q2.xlsx › Measures › F14")
    assert str(located).startswith('Housing_2023-24_Q2.xlsx › Measures › F14: "17,6 %" is not a value')
    assert isinstance(located, ValueError)


def test_show_prints_values_as_reports_do():
    assert read_value("71%").show() == "71%"
    assert read_value("£207k Annual Deficit").show() == "-£207k"
    assert read_value("1 min 27 secs").show() == "1 min 27 secs"
    assert read_value("163,278").show() == "163,278"
    assert read_value("5.75 days").show() == "5.75 days"
