"""The Strategic Risk Register's rules: score bands, direction since the last review, changes, heat map."""

import pytest

from pmf_excel.framework.risks import (SCALE, KnownRisk, Risk, RiskUpdate, changes_since_last_review, direction,
                                       heat_map, judge_risks, read_rating, score_rag)
from pmf_excel.rules.errors import PMFValueError


def risk(ref: str, likelihood: int = 3, impact: int = 4, **fields) -> Risk:
    return Risk(**{"ref": ref, "title": f"Risk {ref}", "owner": "Director of Finance", "directorate": "Finance",
                   "target_likelihood": 2, "target_impact": 3, "likelihood": likelihood, "impact": impact, **fields})


def test_every_cell_of_the_matrix_has_one_band_and_no_score_falls_between_bands():
    scores = {likelihood * impact for likelihood in SCALE for impact in SCALE}
    assert sorted(s for s in scores if score_rag(s) == "Red") == [15, 16, 20, 25]
    assert sorted(s for s in scores if score_rag(s) == "Amber") == [8, 9, 10, 12]
    assert sorted(s for s in scores if score_rag(s) == "Green") == [1, 2, 3, 4, 5, 6]
    assert score_rag(None) == "Not scored"


@pytest.mark.parametrize(("score", "previous", "said"), [
    (12, 16, "Reduced"), (20, 16, "Increased"), (12, 12, "Unchanged"), (12, None, "New"), (None, 12, "")])
def test_direction_compares_with_the_last_review(score, previous, said):
    assert direction(score, previous) == said


@pytest.mark.parametrize("typed", [4, 4.0, " 4 ", "4"])
def test_a_rating_reads_as_a_whole_number(typed):
    assert read_rating(typed, "a likelihood") == 4


@pytest.mark.parametrize("typed", [0, 6, 3.5, "high", "", None, True])
def test_a_rating_off_the_scale_is_refused_with_the_text_and_the_fix(typed):
    with pytest.raises(PMFValueError, match="is not a likelihood the framework can read. Type a whole number"):
        read_rating(typed, "a likelihood")


def test_a_rating_that_is_a_formula_saved_without_its_result_says_so():
    with pytest.raises(PMFValueError, match=r'"=2\+2" is not a likelihood .* It is a formula saved without its '
                                            "result .* Type a whole number"):
        read_rating("=2+2", "a likelihood")


def test_a_risk_is_scored_against_its_last_review_or_the_catalogue_before_there_is_one():
    risks = [risk("R1"), risk("R2", likelihood=4, impact=4)]
    updates = {"R1": RiskUpdate(ref="R1", likelihood=2, impact=4), "R2": RiskUpdate(ref="R2", likelihood="x",
                                                                                     impact=4)}
    first, second = judge_risks(risks, updates, {})
    assert (first.score, first.rag, first.previous_score, first.direction) == (8, "Amber", 12, "Reduced")
    assert (second.score, second.rag, second.direction) == (None, "Not scored", "")
    assert '"x" is not a likelihood' in second.problem
    [again] = judge_risks([risks[0]], updates, {"R1": KnownRisk(owner="Chief Executive", likelihood=2, impact=4)})
    assert (again.previous_score, again.direction, again.owner) == (8, "Unchanged", "Chief Executive")


def test_controls_and_owner_not_returned_keep_what_was_known():
    [result] = judge_risks([risk("R1", controls="Monthly monitoring")], {}, {})
    assert (result.owner, result.controls, result.score) == ("Director of Finance", "Monthly monitoring", None)


def test_changes_since_the_last_review():
    risks = [risk("R1"), risk("R2"), risk("R3")]
    known = {"R1": KnownRisk(owner="Director of Finance", likelihood=3, impact=4),
             "R2": KnownRisk(owner="Chief Executive", likelihood=3, impact=4)}
    updates = {"R1": RiskUpdate(ref="R1", likelihood=4, impact=4),
               "R2": RiskUpdate(ref="R2", likelihood=3, impact=4, owner="Director of Finance"),
               "R3": RiskUpdate(ref="R3", likelihood=1, impact=1)}
    results = judge_risks(risks, updates, known)
    changes = [(c.ref, c.change, c.before, c.after)
               for c in changes_since_last_review(results, known, previous_refs={"R1", "R2", "R9"})]
    assert changes == [("R1", "Score increased", "12 (Amber)", "16 (Red)"),
                       ("R2", "Owner changed", "Chief Executive", "Director of Finance"),
                       ("R3", "Added to the register", "", "1 (Green)"),
                       ("R9", "No longer on the register", "", "")]


def test_the_heat_map_places_each_scored_risk_once():
    results = judge_risks([risk("R1"), risk("R2"), risk("R3")],
                          {"R1": RiskUpdate(ref="R1", likelihood=5, impact=1),
                           "R2": RiskUpdate(ref="R2", likelihood=5, impact=1)}, {})
    cells = heat_map(results)
    assert len(cells) == 25 and cells[(5, 1)] == ["R1", "R2"] and sum(map(len, cells.values())) == 2
