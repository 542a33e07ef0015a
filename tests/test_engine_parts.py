"""Multi-part measures (pmf_excel/rules/parts.py): how a cell is split by its part labels and how the worst part is
shown, each edge pinned (the mutation run found them unpinned)."""

import pytest

from pmf_excel import PMFValueError
from pmf_excel.rules.parts import PartLabel, assess_parts, split_parts
from pmf_excel.rules.policy import DEFAULT_POLICY

AB = [PartLabel(name="Alpha"), PartLabel(name="Beta")]


def test_a_part_that_is_not_comparable_does_not_hide_another_parts_improvement():
    measure = assess_parts("A: 50% B: 60%", "55%", "5%", "Bigger is better", ["A", "B"], last_quarter="A: NA B: 50%")
    assert {label: part.dot_short for label, part in measure.parts.items()} == {"A": "Not comparable",
                                                                                  "B": "Improving"}
    assert measure.dot_short == "Improving"


@pytest.mark.parametrize("text", ["Alpha: 56; Beta: 67,", "Alpha -56 Beta –67", "56 (Alpha) 67 (Beta)",
                                  "alpha: 56 BETA: 67", "Alpha:56 Beta:67;"])
def test_each_part_takes_the_figure_beside_its_label_without_the_punctuation(text):
    assert split_parts(text, AB) == {"Alpha": "56", "Beta": "67"}


def test_a_cell_naming_no_part_applies_to_every_part():
    assert split_parts("56", AB) is None
    assert split_parts(56, AB) is None
    assert split_parts("Alphabet: 5", AB) is None and split_parts("xAlpha: 5", AB) is None


def test_labels_of_three_letters_or_fewer_count_only_before_a_colon():
    assert split_parts("Tel 5", [PartLabel(name="Tel")]) is None
    assert split_parts("Tel: 5", [PartLabel(name="Tel")]) == {"Tel": "5"}
    assert split_parts("Tele 5", [PartLabel(name="Tele")]) == {"Tele": "5"}
    assert split_parts("T: 5 MS: 6", [PartLabel(name="T"), PartLabel(name="MS")]) == {"T": "5", "MS": "6"}


def test_the_longest_spelling_of_a_label_is_matched_first_whatever_its_case():
    face = PartLabel(name="FACE TO FACE", aliases=("Face",))
    assert split_parts("Face to face: 5", [face]) == {"FACE TO FACE": "5"}
    assert split_parts("F2F: 5 Telephone - 6", [PartLabel(name="F-2-F", aliases=("F2F",)),
                                                 PartLabel(name="Telephone")]) == {"F-2-F": "5", "Telephone": "6"}


def test_the_worst_part_is_shown_with_every_parts_colour_and_its_warnings_named_by_part():
    measure = assess_parts("A: -5 B: 60", "A: 10 B: 50", "5%", "Smaller is better", ["A", "B"],
                           last_quarter="A: 1 B: 70", last_year="A: 2 B: 40")
    assert (measure.rag, measure.breach) == ("Red", True)
    assert measure.reason == "Red: the worst of 2 parts (A Green, B Red)."
    assert (measure.dot_short, measure.dot_long) == ("Improving", "Worsening")
    assert {k: (v.rag, v.dot_short, v.dot_long) for k, v in measure.parts.items()} == {
        "A": ("Green", "Improving", "Improving"), "B": ("Red", "Improving", "Worsening")}
    assert [(w.code, w.message[:40]) for w in measure.warnings] == [
        ("negative_smaller_is_better", "A: 'Smaller is better' meets a negative ")]


def test_a_shared_argument_applies_to_every_part_and_a_part_left_out_has_no_figure():
    measure = assess_parts("A: 50%", "55%", "5%", "Bigger is better", [PartLabel(name="A"), "B"])
    assert {k: v.rag for k, v in measure.parts.items()} == {"A": "Red", "B": "No data"}
    assert measure.rag == "Red" and measure.dot_short is None and measure.dot_long is None


def test_a_parts_long_term_figure_is_its_own_for_a_dot_aware_policy():
    dot_aware = DEFAULT_POLICY.model_copy(update={"dot_aware_rag": True})
    measure = assess_parts("A: 30 B: 30", "40", "5%", "Bigger is better", ["A", "B"], long_term="A: 20 B: 60",
                           policy=dot_aware)
    assert {k: v.rag for k, v in measure.parts.items()} == {"A": "Amber", "B": "Red"}


def test_the_base_and_the_policy_reach_every_part():
    measure = assess_parts("A: £1m B: £2m", "0%", "0.5%", "Smaller is better", ["A", "B"], base="£300m",
                           policy=DEFAULT_POLICY.model_copy(update={"no_target_name": "Unset"}))
    assert {k: v.rag for k, v in measure.parts.items()} == {"A": "Amber", "B": "Red"}


def test_no_parts_is_refused_and_a_parts_unreadable_figure_names_the_part():
    with pytest.raises(PMFValueError) as raised:
        assess_parts("1", "2", "5%", "Bigger is better", [])
    assert str(raised.value) == '"[]" is not a list of parts the framework can read. Give at least one part label.'
    with pytest.raises(PMFValueError) as raised:
        assess_parts("A: x B: 2", "2", "5%", "Bigger is better", ["A", "B"])
    assert (raised.value.what, raised.value.text, raised.value.location) == ("a value", "x", None)
    assert raised.value.expected.startswith("(part 'A') Expected a figure such as 71%")


def test_a_label_that_begins_another_does_not_take_the_longer_labels_place():
    labels = [PartLabel(name="Face to face"), PartLabel(name="Face")]
    assert split_parts("Face to face: 5 Face: 6", labels) == {"Face to face": "5", "Face": "6"}
    assert split_parts("Face: 6 Face to face: 5", labels) == {"Face": "6", "Face to face": "5"}


@pytest.mark.parametrize("text", ["56(Alpha) 67(Beta)", "56 (Alpha)67 (Beta)", "56 ( Alpha) 67 ( Beta)"])
def test_a_figure_before_its_label_in_brackets_is_the_parts_whatever_the_spacing(text):
    assert split_parts(text, AB) == {"Alpha": "56", "Beta": "67"}


def test_a_parts_own_text_keeps_every_letter_but_the_punctuation_around_it():
    assert split_parts("Alpha:XL5X; Beta:-BOX,", AB) == {"Alpha": "XL5X", "Beta": "BOX"}


def test_the_worst_colour_is_by_severity_not_by_name():
    measure = assess_parts("A: 84% B: 90%", "86%", "5%", "Bigger is better", ["A", "B"])
    assert ({k: v.rag for k, v in measure.parts.items()}, measure.rag) == ({"A": "Amber", "B": "Green"}, "Amber")


def test_a_part_left_out_of_last_quarters_cell_is_not_comparable():
    measure = assess_parts("A: 50% B: 60%", "55%", "5%", "Bigger is better", ["A", "B"], last_quarter="A: 40%")
    assert {k: v.dot_short for k, v in measure.parts.items()} == {"A": "Improving", "B": "Not comparable"}
