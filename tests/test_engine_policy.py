"""Policies (pmf_excel/rules/policy.py): the rules of a policy the mutation run found no test pinning."""

import tempfile
from pathlib import Path

import pytest
from pydantic import ValidationError

from pmf_excel.rules.policy import Policy, PolicyError, load_policy, policy_from_rows

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
