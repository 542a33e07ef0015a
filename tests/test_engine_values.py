"""Reading values (pmf_excel/rules/values.py): the forms and edges the mutation run found no test pinning."""

import pytest

from pmf_excel import Kind, PMFValueError, read_value


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
