"""Reading values (pmf_excel/rules/values.py): the forms and edges the mutation run found no test pinning."""

import pytest

from pmf_excel import Kind, PMFValueError, read_value
from pmf_excel.rules.values import profile_parts


@pytest.mark.parametrize("text, number", [("£5 thousand", 5_000), ("£5k", 5_000), ("£1.5 million", 1_500_000),
                                          ("£3m", 3_000_000), ("£2bn", 2_000_000_000), ("£5 THOUSAND", 5_000)])
def test_money_scale_words_multiply_by_what_they_say(text, number):
    assert read_value(text).number == number


def test_a_year_in_brackets_right_after_a_figure_is_a_date_note():
    value = read_value("5(2023)")
    assert (value.kind, value.number) == (Kind.COUNT, 5)
    assert [(a.kind, a.text) for a in value.annotations] == [("date", "2023")]


@pytest.mark.parametrize("text, note", [("£200k per quarter", "per quarter"), ("12 a month", "a month"),
                                        ("300 per annum", "per annum"), ("4 per week", "per week"),
                                        ("9 a year", "a year")])
def test_a_per_period_note_is_peeled_off_whatever_the_period(text, note):
    value = read_value(text)
    assert [(a.kind, a.text) for a in value.annotations] == [("per_period", note)]
    assert value.number == float(text.split()[0].lstrip("£").rstrip("k")) * (1000 if "k " in text else 1)


def _read(text):
    value = read_value(text)
    return value.kind, value.number, value.unit, value.text, [(a.kind, a.text, a.number) for a in value.annotations]


@pytest.mark.parametrize("text, number, notes", [
    ("-£5k", -5_000, []), ("- £5k", -5_000, []),
    ("£207k Annual Deficit", -207_000, [("annual", "Annual", None), ("note", "deficit", None)]),
    ("£2m annual surplus", 2_000_000, [("annual", "Annual", None), ("note", "surplus", None)]),
    ("£1.2m over spend", 1_200_000, [("note", "overspend", None)]),
    ("£5k Surplus", 5_000, [("note", "surplus", None)]),
    ("£472k underspend", -472_000, [("note", "underspend", None)]),
    ("£12", 12, []),
])
def test_money_keeps_its_sign_word_as_a_note_and_a_deficit_or_underspend_is_negative(text, number, notes):
    assert _read(text) == (Kind.MONEY, number, "£", text, notes)


def test_money_followed_by_any_other_word_is_refused():
    with pytest.raises(PMFValueError):
        read_value("£5k profit")


@pytest.mark.parametrize("text, notes", [
    ("163,278 (321,009 cumulative)", [("cumulative", "321,009 cumulative", 321_009)]),
    ("163,278 (cumulative)", [("cumulative", "cumulative", None)]),
    ("12 (year end)", [("year_end", "year end", None)]),
    ("12 (Year-End 2023/24)", [("year_end", "Year-End 2023/24", None)]),
    ("92% (tolerance score)", [("tolerance_score", "tolerance score", None)]),
    ("92% (Tolerance Score)", [("tolerance_score", "Tolerance Score", None)]),
    ("1,200 (300 – Q1 profile)", [("profile", "300 - Q1 profile", 300)]),
    ("1,200 (profile)", [("note", "profile", None)]),
    ("5 (30th Sep 2023)", [("date", "30th Sep 2023", None)]),
    ("5 (Sep 2023 figure 4)", [("note", "Sep 2023 figure 4", None)]),
    ("5 (Sep 2023 at 4%)", [("note", "Sep 2023 at 4%", None)]),
    ("5 (note (inner))", [("note", "note (inner)", None)]),
    ("5 (a) (b)", [("note", "a", None), ("note", "b", None)]),
    ("5 (revised)", [("revised", "revised", None)]),
    ("5 (Provisional)", [("provisional", "Provisional", None)]),
    ("5*", [("note", "*", None)]),
])
def test_each_bracketed_note_is_classified_and_keeps_its_figure(text, notes):
    assert _read(text)[4] == notes
    assert read_value(text).number == float(text.split()[0].rstrip("%*").replace(",", "")) / (
        100 if "%" in text.split()[0] else 1)


@pytest.mark.parametrize("text", ["(5)", "5 ((x)", "5 )(", "5 (x))"])
def test_brackets_that_do_not_close_a_note_after_a_figure_are_refused(text):
    with pytest.raises(PMFValueError):
        read_value(text)


@pytest.mark.parametrize("note, figure, quarter", [
    ("300 tonnes – Q1 profile", (Kind.COUNT, 300, "tonnes"), 1), ("profile 5", (Kind.COUNT, 5, ""), None),
    ("Q2 profile", None, None), ("x profile", None, None), ("NA profile", None, None), ("", None, None)])
def test_a_profile_note_gives_its_figure_and_quarter_or_nothing(note, figure, quarter):
    found, number = profile_parts(note)
    assert (None if found is None else (found.kind, found.number, found.unit), number) == (figure, quarter)
