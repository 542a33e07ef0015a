"""Reading values (pmf_excel/rules/values.py): the forms and edges the mutation run found no test pinning."""

import datetime as dt

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


DAY = 86_400
NOT_A_VALUE = ("Expected a figure such as 71%, £207k, 163,278, 1 min 27 secs, 5.75 days, 4.5/5 or Category 2, or "
               "NA / TBC when there is no figure.")

FORMS = [
    ('-5%', ('PERCENTAGE', -0.05, '%', '-5%', [])),
    ('+5%', ('PERCENTAGE', 0.05, '%', '+5%', [])),
    ('- 5.5%', ('PERCENTAGE', -0.055, '%', '- 5.5%', [])),
    ('53.49%%', ('PERCENTAGE', 0.5349, '%', '53.49%%', [('typo', '%% read as %')])),
    ('-5 days', ('DAYS', -5.0, 'days', '-5 days', [])),
    ('-5', ('COUNT', -5.0, '', '-5', [])),
    ('+7', ('COUNT', 7.0, '', '+7', [])),
    ('12 tonnes', ('COUNT', 12.0, 'tonnes', '12 tonnes', [])),
    ('12 tonnes of waste', ('COUNT', 12.0, 'tonnes of waste', '12 tonnes of waste', [])),
    ('12 tonnes of waste collected', ('COUNT', 12.0, 'tonnes of waste collected', '12 tonnes of waste collected', [])),
    ('4.2 out of 5', ('RATING', 4.2, '/5', '4.2 out of 5', [])),
    ('4.2/10', ('RATING', 4.2, '/10', '4.2/10', [])),
    ('Category 3', ('CATEGORY', 3.0, 'Category', 'Category 3', [])),
    ('category 2', ('CATEGORY', 2.0, 'Category', 'category 2', [])),
    ('Annual 80%', ('PERCENTAGE', 0.8, '%', 'Annual 80%', [('annual', 'Annual')])),
    ('annual 80%', ('PERCENTAGE', 0.8, '%', 'annual 80%', [('annual', 'annual')])),
    ('80% *', ('PERCENTAGE', 0.8, '%', '80% *', [('note', '*')])),
    ('80%*', ('PERCENTAGE', 0.8, '%', '80%*', [('note', '*')])),
    ('80 *  ', ('COUNT', 80.0, '', '80 *  ', [('note', '*')])),
    ('£5k per quarter', ('MONEY', 5000.0, '£', '£5k per quarter', [('per_period', 'per quarter')])),
    ('5 (a) per quarter', ('COUNT', 5.0, '', '5 (a) per quarter', [('note', 'a'), ('per_period', 'per quarter')])),
    ('Annual £5k Surplus', ('MONEY', 5000.0, '£', 'Annual £5k Surplus', [('annual', 'Annual'), ('note', 'surplus')])),
    ('£5k Annual Surplus (revised)', ('MONEY', 5000.0, '£', '£5k Annual Surplus (revised)',
                                      [('revised', 'revised'), ('annual', 'Annual'), ('note', 'surplus')])),
    ('0.5 days', ('DAYS', 0.5, 'days', '0.5 days', [])),
    ("12 a b c d", ("COUNT", 12.0, "a b c d", "12 a b c d", [])),
]


@pytest.mark.parametrize("text, read", FORMS)
def test_each_form_is_read_with_its_sign_unit_and_notes(text, read):
    value = read_value(text)
    assert (value.kind.name, pytest.approx(value.number), value.unit, value.text,
            [(a.kind, a.text) for a in value.annotations]) == read


@pytest.mark.parametrize("text, seconds", [("1 hr 2 mins", 3720), ("2 hours", 7200), ("1 min 27 secs", 87),
                                           ("90 seconds", 90)])
def test_a_duration_is_held_as_a_fraction_of_a_day(text, seconds):
    value = read_value(text)
    assert (value.kind, value.unit, value.number) == (Kind.DURATION, "duration", pytest.approx(seconds / DAY))


def test_excel_numbers_and_times_are_held_as_excel_holds_them():
    assert [(v.kind.name, v.number, v.text) for v in map(read_value, (5, 0.71))] == [("NUMBER", 5.0, "5"),
                                                                                   ("NUMBER", 0.71, "0.71")]
    delta = read_value(dt.timedelta(minutes=1, seconds=27))
    assert (delta.kind, delta.number, delta.text) == (Kind.DURATION, pytest.approx(87 / DAY), "0:01:27")
    clock = read_value(dt.time(1, 2, 3, 500_000))
    assert (clock.kind, clock.number, clock.text) == (Kind.DURATION, 3723.5 / DAY,
                                                      "01:02:03.500000")
    assert read_value(None).is_missing and read_value(float("nan")).is_missing


@pytest.mark.parametrize("raw, hint", [
    ("17,6 %", "A comma is read as a thousands separator: type a decimal point instead (17.6, not 17,6). "),
    ("5 and 6", "It holds several figures: a multi-part measure needs each part on its own. "),
    ("1 min 27 secs, 5", "It holds several figures: a multi-part measure needs each part on its own. "),
    ("abc", ""), ("Target 80%", ""), ("(x) 5", ""), ("5 (x", ""), ("12 a b c d e", ""), (True, ""), ([1], "")])
def test_an_unreadable_value_says_what_was_given_and_the_likely_fix(raw, hint):
    with pytest.raises(PMFValueError) as raised:
        read_value(raw)
    assert str(raised.value) == f'"{raw}" is not a value the framework can read. {hint}{NOT_A_VALUE}'
    assert (raised.value.what, raised.value.text) == ("a value", raw)


@pytest.mark.parametrize("text, notes", [
    ("Category 2 (revised)", [("revised", "revised")]), ("5 days (revised)", [("revised", "revised")]),
    ("1 min (revised)", [("revised", "revised")]), ("4/5 (revised)", [("revised", "revised")]),
    ("Annual 53.49%%", [("annual", "Annual"), ("typo", "%% read as %")]),
    ("5* (a)", [("note", "*"), ("note", "a")]), ("5 per quarter (a)", [("per_period", "per quarter"), ("note", "a")]),
    ("Annual 5 (a)", [("annual", "Annual"), ("note", "a")]), ("Over £100K", [("qualifier", "Over")]),
    ("About 5", [("qualifier", "About")])])
def test_every_kind_of_figure_keeps_its_notes_in_the_order_written(text, notes):
    assert [(a.kind, a.text) for a in read_value(text).annotations] == notes


def test_a_figure_of_fifteen_significant_digits_is_read_and_one_of_sixteen_refused():
    assert read_value("Over 123456789012345").number == 123456789012345
    assert read_value("12345678901234.5").number == 12345678901234.5
    with pytest.raises(PMFValueError, match="more significant digits than a spreadsheet keeps"):
        read_value("1234567890123456")
    with pytest.raises(PMFValueError) as raised:
        read_value(1e309)
    assert (raised.value.what, raised.value.text) == ("a value", 1e309)
    assert raised.value.expected.startswith("It is beyond ±1E+308, the largest number a spreadsheet holds.")


def test_a_figure_that_is_a_formula_saved_without_its_result_says_so():
    """The reader recovers such a cell as the formula's text: the message says how to get its result."""
    with pytest.raises(PMFValueError) as raised:
        read_value("=SUM(B2:B4)")
    assert str(raised.value).startswith('"=SUM(B2:B4)" is not a value the framework can read. It is a formula saved '
                                        "without its result (by a program other than Excel): open the workbook")
    with pytest.raises(PMFValueError) as raised:
        read_value("17,6 %")
    assert "It is a formula" not in str(raised.value)
