"""Policies (pmf_excel/rules/policy.py): the rules of a policy the mutation run found no test pinning."""

import tempfile
from pathlib import Path

import pytest
from pydantic import ValidationError

from pmf_excel.rules.policy import (DEFAULT_POLICY, DOT_WORDS, ClassRules, Policy, PolicyError, builtin_policies,
                                    load_policy, named_policy, policy_from_rows, policy_rows)

#: What mutmut makes of a blank string: a word, state or class named so must never match a blank cell.
MUTATED_BLANK = "X" * 4

HEAD = [["Setting", "Value"], ["name", "Ours"], ["version", "1"]]


def load_policy_text(text, name="ours.toml"):
    """A policy file as the command line's --policy reads it."""
    folder = Path(tempfile.mkdtemp())
    (folder / name).write_text(text, encoding="utf-8")
    return load_policy(folder / name)


BOOLEANS = ("boundaries_inclusive", "dot_aware_rag", "maintained_counts_as_improved", "amber_by_forecast")


@pytest.mark.parametrize("name", ["Green", "Amber", "Red"])
@pytest.mark.parametrize("grey", ["no_target_name", "no_data_name"])
def test_a_grey_state_cannot_take_a_rag_colours_name(grey, name):
    with pytest.raises(ValidationError, match="the two grey states need their own names"):
        Policy(name="Ours", version=1, **{grey: name})


def test_a_grey_state_cannot_take_the_councils_word_for_a_colour_or_the_other_grey_states_name():
    with pytest.raises(ValidationError, match="the two grey states need their own names"):
        Policy(name="Ours", version=1, words=(("Amber", ("Yellow",)),), no_data_name="Yellow")
    with pytest.raises(ValidationError, match="the two grey states need their own names"):
        Policy(name="Ours", version=1, no_target_name="Grey", no_data_name="Grey")
    assert Policy(name="Ours", version=1, no_target_name="Not set", no_data_name="Awaited").shown("No data") == \
        "Awaited"


@pytest.mark.parametrize("said, meant", [("Yes", True), ("yes", True), ("TRUE", True), ("No", False),
                                         ("no", False), ("False", False)])
@pytest.mark.parametrize("setting", BOOLEANS[:3])
def test_a_yes_or_no_setting_reads_yes_and_true_as_on_and_no_and_false_as_off(setting, said, meant):
    assert getattr(policy_from_rows([*HEAD, [setting, said]], "the Rules sheet"), setting) is meant


@pytest.mark.parametrize("setting", BOOLEANS)
def test_a_yes_or_no_setting_refuses_any_other_word_naming_the_setting(setting):
    with pytest.raises(PolicyError, match=f"{setting}: Input should be a valid boolean.*given 'maybe'"):
        policy_from_rows([*HEAD, [setting, "maybe"]], "the Rules sheet")


def test_a_problem_in_a_class_names_that_class_when_a_class_before_it_is_not_a_table():
    with pytest.raises(PolicyError) as raised:
        load_policy_text("name = 'X'\nversion = 1\nclasses = {V = '5%', W = {tolerance = 'x'}}\n")
    assert [problem.split(":")[0] for problem in raised.value.problems] == ["classes.V", "classes.W.tolerance"]


OURS = Policy(name="Ours", version=2, words=(("Amber", ("Yellow", "Amberish")),),
              classes=(ClassRules(name="Vital sign", tolerance="5%", dot_aware_rag=True), ClassRules(name="Plain")),
              statuses=(("Fine", "Green"), ("Late", "Red")))


def test_a_policys_rules_sheet_holds_every_setting_its_words_classes_and_statuses_and_reads_back():
    rows = policy_rows(OURS)
    assert rows[:2] == [["Setting", "Value", "What it means"], ["name", "Ours", "The policy's name."]]
    assert rows[-7:] == [
        ["no_data_name", "No data", "What a measure without a figure shows."],
        ["words: Amber", "Yellow; Amberish", "The council's words for it, the first one shown."],
        ["class: Vital sign: tolerance", "5%", "For this class: the tolerance every measure of it takes."],
        ["class: Vital sign: dot_aware_rag", "Yes", "For this class: Yes: a missed target is Amber if it improved "
                                                    "on the long-term comparison, Red otherwise."],
        ["class: Plain", "", "A class with the policy's own settings."],
        ["status: Fine", "Green", "A deliverable status and the RAG it gives."],
        ["status: Late", "Red", "A deliverable status and the RAG it gives."]]
    assert [row[1] for row in rows if row[0] in ("boundaries_inclusive", "dot_aware_rag", "version")] == [
        "2", "Yes", "No"]
    assert policy_from_rows(rows, "the Rules sheet") == OURS


def test_a_rules_sheet_names_every_problem_by_its_row_at_once():
    rows = [["Setting", "Value"], ["name", "X"], ["version", 1.0], ["bogus", "1"], ["class: V: bogus", "x"],
            ["class: : tolerance", "5%"], ["words: Amber", "Yellow"], ["class: Empty", ""], [None, "x"],
            ["tolerance_meaning", "nope"]]
    with pytest.raises(PolicyError) as raised:
        policy_from_rows(rows, "the Rules sheet")
    class_setting = ("is not a class setting (write 'class: NAME: SETTING', the setting one of tolerance, "
                     "green_within, tolerance_meaning, boundaries_inclusive, dot_aware_rag, "
                     "maintained_counts_as_improved, amber_by_forecast, officer_rating)")
    assert raised.value.problems == [
        "row 4: 'bogus' is not a setting (name, version, format, description, tolerance_meaning, uniform_tolerance, "
        "boundaries_inclusive, no_change_band, no_change_kind, short_term_basis, long_term_basis, average_periods, "
        "green_within, dot_aware_rag, maintained_counts_as_improved, amber_by_forecast, officer_rating, "
        "target_profile, no_target_name, no_data_name, or 'status: …', 'words: …', 'class: …')",
        f"row 5: 'class: V: bogus' {class_setting}", f"row 6: 'class: : tolerance' {class_setting}",
        "tolerance_meaning: Input should be 'share of target' or 'percentage points' (given 'nope')"]
    assert str(raised.value).startswith("The policy in the Rules sheet has 4 problem(s):\n- row 4: 'bogus' ")
    assert str(raised.value).count("\n- ") == 4


def test_a_text_setting_keeps_yes_or_no_as_words_and_a_whole_number_cell_reads_as_its_digits():
    policy = policy_from_rows([*HEAD, ["description", "No"], ["no_target_name", 7.0], ["average_periods", 6.0]],
                              "the Rules sheet")
    assert (policy.description, policy.no_target_name, policy.average_periods) == ("No", "7", 6)


def test_a_policy_file_may_give_a_single_word_and_statuses_as_a_table():
    policy = load_policy_text("name = 'X'\nversion = 1\n[words]\nAmber = 'Yellow'\n[statuses]\nFine = 'Green'\n")
    assert (policy.words, policy.statuses) == ((("Amber", ("Yellow",)),), (("Fine", "Green"),))
    as_json = load_policy_text('{"name": "J", "version": 3, "statuses": {"Done": "Complete"}}', "ours.JSON")
    assert (as_json.name, as_json.version, as_json.statuses) == ("J", 3, (("Done", "Complete"),))
    assert load_policy_text("name = 'T'\nversion = 1\n", "ours.TOML").name == "T"


def test_a_policy_file_that_cannot_be_read_or_names_wrong_things_says_each_problem():
    with pytest.raises(PolicyError) as raised:
        load_policy_text("name = ")
    assert raised.value.problems[0].startswith("it cannot be read: ")
    assert str(raised.value).startswith("The policy in ours.toml has 1 problem(s):\n- it cannot be read: ")
    with pytest.raises(PolicyError) as raised:
        load_policy_text("name = 'X'\nversion = 1\nclasses = {V = '5%'}\n[words]\nAmber = 'Yellow'\nBogus = ['Z']\n")
    assert raised.value.problems == [
        "classes.V: a class is a table of settings (tolerance, green_within, tolerance_meaning, boundaries_inclusive, "
        "dot_aware_rag, maintained_counts_as_improved, amber_by_forecast, officer_rating)",
        "words: 'Bogus' is not a state words can be given to (Green, Amber, Red, Improving, Worsening, No change, Not "
        "comparable; the grey states are no_target_name and no_data_name) (given {'Amber': ('Yellow',), 'Bogus': "
        "('Z',)})"]
    with pytest.raises(PolicyError) as raised:
        load_policy_text("version = 1\nstatuses = {A = 'Purple'}\n")
    assert raised.value.problems == [
        "name: Field required (given {'version': 1, 'statuses': (('A', 'Purple'),)})",
        "statuses: 'A' gives 'Purple': a status gives one of Green, Amber, Red, Complete, No update (given {'A': "
        "'Purple'})"]


def test_a_policy_is_named_by_its_name_in_any_case_or_by_its_file():
    assert named_policy(" dot-AWARE ") == builtin_policies()["dot-aware"]
    folder = Path(tempfile.mkdtemp())
    (folder / "mine.json").write_text('{"name": "Mine", "version": 1}', encoding="utf-8")
    assert named_policy(str(folder / "mine.json")).name == "Mine"
    (folder / "mine.txt").write_text('{"name": "Mine", "version": 1}', encoding="utf-8")
    with pytest.raises(PolicyError) as raised:
        named_policy(str(folder / "mine.txt"))
    assert raised.value.problems == [
        "there is no policy of that name (PMF default, Yellow and getting better, Direction-aware outside tolerance, "
        "DOT-aware, Amber by year-end forecast, Within 5% green, 5-10% amber, Officer judges amber, Judged against "
        "the quarter's profile, Ten percent, average trend, Direction by trend over five quarters, Vital signs 5%, "
        "the rest 10%) and no .toml or .json file there"]
    assert str(raised.value).startswith(f"The policy in {folder / 'mine.txt'} has 1 problem(s):\n- there is no")


def test_a_policy_for_one_measure_takes_its_class_then_its_own_meaning_and_band():
    assert DEFAULT_POLICY.for_measure() is DEFAULT_POLICY
    own = DEFAULT_POLICY.for_measure(tolerance_meaning="percentage points", no_change_band=0.1)
    assert (own.tolerance_meaning, own.no_change_band) == ("percentage points", 0.1)
    vital = builtin_policies()["vital signs 5%, the rest 10%"]
    chosen = vital.for_measure(measure_class="VITAL SIGN", no_change_band=0.2)
    assert (chosen.uniform_tolerance, chosen.classes, chosen.no_change_band) == ("5%", (), 0.2)
    assert vital.for_measure(measure_class="Other") is vital
    assert vital.class_rules(None) is None and vital.class_rules("") is None
    assert vital.class_rules("vital-sign").name == "Vital sign"
    assert ClassRules(name="X", tolerance="5%", dot_aware_rag=False, officer_rating="decides").overrides() == {
        "dot_aware_rag": False, "officer_rating": "decides", "uniform_tolerance": "5%"}


def test_a_printed_word_reads_as_the_state_it_means_in_the_policys_words_or_the_frameworks():
    words = builtin_policies()["yellow and getting better"]
    assert [words.read_state(text) for text in ("", None, "yellow", "amber", "Getting better", " R-E-D ")] == [
        None, None, "Amber", "Amber", None, "Red"]
    assert words.read_state("Getting better", DOT_WORDS) == "Improving"
    grey = Policy(name="x", version=1, no_target_name="Unset", no_data_name="Awaited")
    assert [grey.shown(state) for state in ("No target", "No data", "Amber")] == ["Unset", "Awaited", "Amber"]
    assert [words.shown(state) for state in ("Amber", "Improving", "No data")] == ["Yellow", "Getting better",
                                                                                  "No data"]


def test_a_green_band_is_a_share_of_the_target_or_points_and_nothing_else():
    for band in ("5%", "2pp"):
        assert Policy(name="x", version=1, green_within=band).green_within == band
    for band in ("70%-75%", "92% (tolerance score)", "banana"):
        with pytest.raises(ValidationError, match="a green band is a share of the target such as 5%, or percentage "
                                                  "points such as 2pp"):
            Policy(name="x", version=1, green_within=band)


def test_a_policy_file_with_no_settings_or_statuses_not_a_table_says_so():
    with pytest.raises(PolicyError) as raised:
        load_policy_text("[1, 2]", "ours.json")
    assert str(raised.value) == ("The policy in ours.json has 1 problem(s):\n- it holds no settings: expected a table "
                                 "of setting = value")
    with pytest.raises(PolicyError) as raised:
        load_policy_text("name = 'X'\nversion = 1\nstatuses = ['Fine']\n")
    assert str(raised.value) == ("The policy in ours.toml has 1 problem(s):\n- statuses: a table of status = RAG, "
                                 "one line each")


def test_a_problem_is_named_by_where_the_file_writes_it():
    with pytest.raises(PolicyError) as raised:
        load_policy_text("name = 'X'\nversion = 1\n[[classes]]\nname = 'V'\ntolerance = 'x'\n")
    assert [p.split(":")[0] for p in raised.value.problems] == ["classes.0.tolerance"]
    with pytest.raises(PolicyError) as raised:
        load_policy_text("name = 'X'\nversion = 1\n[classes.V]\ntolerance = '5%'\n[classes.v]\ntolerance = '6%'\n")
    assert raised.value.problems == [
        "classes: each class is named once (given ({'name': 'V', 'tolerance': '5%'}, {'name': 'v', 'tolerance': "
        "'6%'}))"]
    with pytest.raises(PolicyError) as raised:
        load_policy_text("name = 'X'\nversion = 1\nwords = [1]\n")
    assert [p.split(":")[0] for p in raised.value.problems] == ["words"]
    with pytest.raises(PolicyError) as raised:
        policy_from_rows([*HEAD, ["no_data_name", "Amber"]], "the Rules sheet")
    assert raised.value.problems == [
        "policy: the two grey states need their own names, not each other's or a RAG colour's (given {'name': 'Ours', "
        "'version': '1', 'no_data_name': 'Amber'})"]


def test_a_rules_row_with_a_key_only_is_blank_and_a_class_name_may_hold_a_colon():
    policy = policy_from_rows([*HEAD, ["description"], ["class: Tier: 1: tolerance", "5%"]], "the Rules sheet")
    assert (policy.description, policy.classes[0].name, policy.classes[0].tolerance) == ("", "Tier: 1", "5%")


def test_a_policy_named_by_its_toml_file_is_read():
    folder = Path(tempfile.mkdtemp())
    (folder / "mine.toml").write_text("name = 'Mine'\nversion = 1\n", encoding="utf-8")
    assert named_policy(str(folder / "mine.toml")).name == "Mine"


def test_a_blank_is_no_state_and_no_class_whatever_the_council_calls_things():
    council = Policy(name="x", version=1, words=(("No change", ("None", MUTATED_BLANK)),),
                     classes=(ClassRules(name="-"), ClassRules(name=MUTATED_BLANK)))
    assert [council.read_state(text, DOT_WORDS) for text in (None, "", "none")] == [None, None, "No change"]
    assert [council.class_rules(text) for text in (None, "")] == [None, None]


@pytest.mark.parametrize("settings, message", [
    ({"words": (("Amber", ()),)}, "'Amber' needs at least one word, and no blank one"),
    ({"words": (("Amber", ("Yellow", " ")),)}, "'Amber' needs at least one word, and no blank one"),
    ({"words": (("Amber", ("Yellow",)), ("Green", ("yellow",)))}, "'yellow' cannot mean both Amber and Green"),
    ({"statuses": (("A", "Green"), ("a", "Red"))}, "each status is named once"),
    ({"format": 3}, "format 3 is newer than this pmf-excel reads (2): upgrade pmf-excel to use this policy"),
    ({"dot_aware_rag": True, "amber_by_forecast": True},
     "dot_aware_rag and amber_by_forecast both colour a missed target; choose one"),
    ({"amber_by_forecast": True, "classes": (ClassRules(name="V", dot_aware_rag=True),)},
     "the class 'V': dot_aware_rag and amber_by_forecast both colour a missed target; choose one"),
])
def test_a_policy_refuses_what_it_cannot_apply_saying_why(settings, message):
    with pytest.raises(ValidationError) as raised:
        Policy(name="Ours", version=1, **settings)
    assert [error["msg"] for error in raised.value.errors()] == [f"Value error, {message}"]


def test_a_return_asks_for_the_officers_rating_and_the_forecast_where_the_policy_or_a_class_uses_them():
    plain = Policy(name="Ours", version=1)
    assert (plain.officer_asked, plain.forecast_asked, plain.label) == (False, False, "Ours v1")
    assert Policy(name="Ours", version=1, officer_rating="beside the engine").officer_asked is True
    classed = Policy(name="Ours", version=1, classes=(ClassRules(name="V", officer_rating="decides",
                                                                 amber_by_forecast=True),))
    assert (classed.officer_asked, classed.forecast_asked) == (True, True)
