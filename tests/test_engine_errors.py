"""The engine's one exception (pmf_excel/rules/errors.py) and the text module's cleaning, pinned exactly."""

from pmf_excel import PMFValueError
from pmf_excel.rules.errors import as_text, quote
from pmf_excel.rules.polarity import read_polarity
from pmf_excel.rules.text import clean, squash


def test_an_error_says_what_was_given_and_expected_and_where_when_placed():
    error = PMFValueError("a value", "17,6 %", "Type a point.")
    assert str(error) == '"17,6 %" is not a value the framework can read. Type a point.'
    placed = error.at("Housing.xlsx › Measures › F14")
    assert (placed.what, placed.text, placed.expected, placed.location) == (
        "a value", "17,6 %", "Type a point.", "Housing.xlsx › Measures › F14")
    assert str(placed) == ('Housing.xlsx › Measures › F14: "17,6 %" is not a value the framework can read. '
                           "Type a point.")


def test_a_long_input_is_quoted_cut_to_eighty_characters():
    assert quote("x" * 80) == '"' + "x" * 80 + '"'
    assert quote("x" * 81) == '"' + "x" * 79 + '…"'
    assert quote("abcdef", limit=4) == '"abc…"'
    assert quote(None) == '"None"'


def test_cleaning_reads_look_alike_letters_and_odd_spaces_as_plain_ones():
    assert clean("  ТВС \u00a0 ") == "TBC"
    assert clean("В3с\nline") == "B3c line"
    assert clean("ＡＢ１") == "AB1"
    assert squash("Strengthenin g-Families!") == "strengtheningfamilies"
    assert squash("  ") == ""


def test_every_spelling_of_a_polarity_reads_and_anything_else_is_refused():
    readings = {text: read_polarity(text).name for text in [
        "Bigger is better", "higher = better", "Larger is better.", "greater is better", "smaller in better",
        "Lower is better", "less is better", "NA - dependent", "N/A-dependent", "NA", "TBC", "None",
        "No direction", "NA - awaiting strategy"]}
    assert readings == {
        "Bigger is better": "BIGGER", "higher = better": "BIGGER", "Larger is better.": "BIGGER",
        "greater is better": "BIGGER", "smaller in better": "SMALLER", "Lower is better": "SMALLER",
        "less is better": "SMALLER", "NA - dependent": "RANGE", "N/A-dependent": "RANGE", "NA": "NONE",
        "TBC": "NONE", "None": "NONE", "No direction": "NONE", "NA - awaiting strategy": "NONE"}
    assert read_polarity(read_polarity("Bigger is better")).name == "BIGGER"
    for wrong in ("sideways", 1, None, "bigger better"):
        try:
            read_polarity(wrong)
        except PMFValueError as error:
            assert str(error) == (f'"{wrong}" is not a polarity the framework can read. Expected Bigger is better, '
                                  "Smaller is better (or Higher/Lower is better), NA - dependent for a range target, "
                                  "or NA when the measure has no direction.")
        else:
            raise AssertionError(f"{wrong!r} was read as a polarity")


def test_an_input_python_will_not_write_out_is_described_instead():
    class Unwritable:
        def __str__(self):
            raise RuntimeError("no")

    assert as_text(10**5000) == "a whole number of about 5,000 digits"
    assert as_text(Unwritable()) == "a Unwritable that cannot be written out"
    assert as_text(7) == "7"
