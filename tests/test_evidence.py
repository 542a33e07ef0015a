"""Evidence behind deliverable ratings: expected progress, the suggested status, and the ratings it contradicts."""

import datetime as dt
from pathlib import Path

import pytest
from pydantic import ValidationError

from pmf_excel.framework.evidence import (MEDIUM_GAP, SIGNIFICANT_GAP, Disagreement, Evidence, EvidenceSet, Milestone,
                                          assess_evidence, assess_evidence_set, disagreements, expected_progress,
                                          milestone_shares, progress, suggested_status)
from pmf_excel.framework.published import StatusCell
from pmf_excel.rules.errors import PMFValueError
from pmf_excel.rules.verdicts import DELIVERABLE_STATUSES
from pmf_excel.samples.seed_reports import read_deliverables_report
from pmf_excel.workbooks.catalogue_sheets import load_catalogue
from pmf_excel.samples.sources import DELIVERABLES_REPORT, EVIDENCE

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
END_Q3 = dt.date(2023, 12, 31)
ON_TRACK, MEDIUM, SIGNIFICANT = "On Track", "Medium Issue/Slippage", "Significant issues/risks/slippage"
COMPLETE, NO_UPDATE = "Complete", "No update available"


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def evidence(ref: str = "X1", start: str | None = "2023-04-01", due: str | None = "2024-04-01",
             percent: float | None = None, milestones: tuple[Milestone, ...] = ()) -> Evidence:
    """An action of 366 days by default (2024 is a leap year), so that a day is easy to turn into a share."""
    return Evidence(ref=ref, start=start and day(start), due=due and day(due), percent_complete=percent,
                    milestones=list(milestones))


def milestone(name: str, due: str, expected: float | None = None, done: bool = False) -> Milestone:
    return Milestone(name=name, due=day(due), expected=expected, done=done)


# --- expected progress ---------------------------------------------------------------------------------------


def test_expected_progress_is_linear_from_start_to_due():
    action = evidence(start="2023-01-01", due="2023-01-11")
    assert [expected_progress(action, dt.date(2023, 1, d)) for d in (1, 2, 6, 10)] == pytest.approx(
        [0, 0.1, 0.5, 0.9])
    assert expected_progress(evidence(), END_Q3) == pytest.approx(274 / 366)


def test_before_the_start_nothing_is_expected_and_on_or_after_the_due_date_everything_is():
    action = evidence(start="2023-04-01", due="2024-03-31")
    assert expected_progress(action, day("2023-03-31")) == 0
    assert expected_progress(action, day("2023-04-01")) == 0
    assert expected_progress(action, day("2024-03-30")) < 1
    assert expected_progress(action, day("2024-03-31")) == 1
    assert expected_progress(action, day("2025-01-01")) == 1


def test_an_action_that_starts_and_ends_on_one_day_is_all_expected_that_day():
    action = evidence(start="2023-06-01", due="2023-06-01")
    assert (expected_progress(action, day("2023-05-31")), expected_progress(action, day("2023-06-01"))) == (0, 1)


def test_without_both_dates_there_is_no_profile():
    assert expected_progress(evidence(start=None), END_Q3) is None
    assert expected_progress(evidence(due=None), END_Q3) is None
    assert expected_progress(evidence(start=None, due=None, percent=50), END_Q3) is None


def test_milestones_make_the_profile_piecewise_linear_through_their_shares():
    action = evidence(start="2023-01-01", due="2023-01-31", milestones=(milestone("Design", "2023-01-11", 0.6),))
    assert expected_progress(action, day("2023-01-06")) == pytest.approx(0.3)  # halfway to (11th, 0.6)
    assert expected_progress(action, day("2023-01-11")) == pytest.approx(0.6)  # due on the day is expected by it
    assert expected_progress(action, day("2023-01-21")) == pytest.approx(0.8)  # halfway from 0.6 to (31st, 1)
    linear = evidence(start="2023-01-01", due="2023-01-31")
    assert expected_progress(linear, day("2023-01-11")) == pytest.approx(1 / 3), "the milestone said otherwise"


def test_milestones_without_shares_are_spread_evenly():
    two = (milestone("A", "2023-06-01"), milestone("B", "2023-09-01"))
    assert milestone_shares(evidence(milestones=two)) == pytest.approx([1 / 3, 2 / 3])
    last_on_due = (*two, milestone("C", "2024-04-01"))
    assert milestone_shares(evidence(milestones=last_on_due)) == pytest.approx([1 / 3, 2 / 3, 1])
    between_given = (milestone("A", "2023-05-01", 0.2), milestone("B", "2023-06-01"), milestone("C", "2023-07-01"),
                     milestone("D", "2023-08-01", 0.8))
    assert milestone_shares(evidence(milestones=between_given)) == pytest.approx([0.2, 0.4, 0.6, 0.8])
    action = evidence(start="2023-01-01", due="2023-01-31", milestones=(milestone("Half", "2023-01-21"),))
    assert expected_progress(action, day("2023-01-21")) == pytest.approx(0.5)


def test_progress_is_the_percent_or_else_the_milestones_done():
    assert progress(evidence(percent=45)) == pytest.approx(0.45)
    steps = (milestone("A", "2023-05-01", 0.25, done=True), milestone("B", "2023-09-01", 0.5))
    assert progress(evidence(milestones=steps)) == 0.25
    assert progress(evidence(milestones=(milestone("A", "2023-05-01"),))) == 0
    assert progress(evidence()) is None


@pytest.mark.parametrize(("fields", "message"), [
    (dict(start=day("2024-01-01"), due=day("2023-12-01")),
     "CH11: the due date 01/12/2023 is before the start 01/01/2024."),
    (dict(percent_complete=120), "CH11: % complete is 120; give a number from 0 to 100."),
    (dict(percent_complete=-5), "CH11: % complete is -5; give a number from 0 to 100."),
    (dict(start=day("2023-04-01"), milestones=[Milestone(name="Kick-off", due=day("2023-03-01"))]),
     "CH11: milestone 'Kick-off' (due 01/03/2023) is before the action starts on 01/04/2023."),
    (dict(due=day("2024-03-31"), milestones=[Milestone(name="Go-live", due=day("2024-04-30"))]),
     "CH11: milestone 'Go-live' (due 30/04/2024) is after the action is due on 31/03/2024."),
    (dict(milestones=[Milestone(name="B", due=day("2023-09-01")), Milestone(name="A", due=day("2023-06-01"))]),
     "CH11: milestone 'A' (due 01/06/2023) comes before 'B' (due 01/09/2023): list milestones in date order."),
    (dict(milestones=[Milestone(name="A", due=day("2023-06-01"), expected=60)]),
     "CH11: milestone 'A' (due 01/06/2023) expects a share of 60; give a share of the whole from 0 to 1."),
    (dict(milestones=[Milestone(name="A", due=day("2023-06-01"), expected=0.6),
                      Milestone(name="B", due=day("2023-09-01"), expected=0.4)]),
     "CH11: milestone 'B' expects 0.4, less than the 0.6 of 'A' before it: the expected share cannot go down."),
])
def test_evidence_that_cannot_be_right_is_refused_naming_the_ref(fields, message):
    with pytest.raises(ValidationError) as error:
        Evidence(ref="CH11", **fields)
    assert error.value.errors()[0]["msg"] == f"Value error, {message}"


def test_milestones_on_the_start_and_due_dates_are_within_the_span():
    action = evidence(start="2023-04-01", due="2024-03-31",
                      milestones=(milestone("Kick-off", "2023-04-01"), milestone("Go-live", "2024-03-31")))
    assert [m.name for m in action.milestones] == ["Kick-off", "Go-live"]


def test_a_set_gives_each_action_once():
    with pytest.raises(ValidationError, match="evidence is given more than once for: R1"):
        EvidenceSet(source="test", as_of=END_Q3, items=[evidence("R1"), evidence("R2"), evidence("R1")])


# --- suggested status ----------------------------------------------------------------------------------------

YEAR = dict(start="2023-04-01", due="2024-03-31")  # 75.07% expected on 31/12/2023


@pytest.mark.parametrize(("action", "suggested"), [
    (evidence(start=None, due=None), NO_UPDATE),
    (evidence(**YEAR), NO_UPDATE),  # dates but nothing of progress
    (evidence(**YEAR, percent=100), COMPLETE),
    (evidence(**YEAR, milestones=(milestone("Only", "2024-03-31", done=True),)), COMPLETE),
    (evidence(**YEAR, percent=100, milestones=(milestone("Sign-off", "2024-03-01"),)), ON_TRACK),
    (evidence(start="2023-04-01", due="2023-10-31", percent=95), SIGNIFICANT),  # past due
    (evidence(start="2023-04-01", due="2023-10-31"), SIGNIFICANT),  # past due with nothing to show it done
    (evidence(**YEAR, percent=49), SIGNIFICANT),  # 26 points behind
    (evidence(**YEAR, percent=50.07), MEDIUM),  # 25 points behind: not more than SIGNIFICANT_GAP
    (evidence(**YEAR, percent=64), MEDIUM),  # 11 points behind
    (evidence(**YEAR, percent=65.07), ON_TRACK),  # 10 points behind: not more than MEDIUM_GAP
    (evidence(**YEAR, percent=90, milestones=(milestone("Tender", "2023-12-30", 0.5),)), MEDIUM),  # overdue step
    (evidence(**YEAR, percent=90, milestones=(milestone("Tender", "2023-12-31", 0.5),)), ON_TRACK),  # due today
    (evidence(**YEAR, percent=80), ON_TRACK),
    (evidence(start=None, due=None, percent=40), ON_TRACK),  # a % with no dates to judge it by
])
def test_suggested_status_for_each_branch(action, suggested):
    assert suggested_status(action, END_Q3) == suggested
    assert suggested in DELIVERABLE_STATUSES


def test_the_gaps_are_percentage_points_with_medium_below_significant():
    assert (MEDIUM_GAP, SIGNIFICANT_GAP) == (10, 25)


def test_on_the_due_date_an_unfinished_action_is_behind_not_yet_overdue():
    action = evidence(start="2023-04-01", due="2023-12-31", percent=60)
    assert suggested_status(action, END_Q3) == SIGNIFICANT
    assert [f.message for f in disagreements("On Track", action, END_Q3)] == [
        "On Track but 40 points behind its profile: 60% complete, 100% expected by 31/12/2023"]


# --- disagreements -------------------------------------------------------------------------------------------


def messages(rated: str, action: Evidence, on: dt.date = END_Q3) -> list[tuple[str, str]]:
    return [(flag.severity, flag.message) for flag in disagreements(rated, action, on)]


def test_on_track_but_past_its_due_date_is_flagged():
    overdue = evidence("R1", start="2023-04-01", due="2023-10-31", percent=60)
    assert messages("On Track", overdue) == [
        ("Warning", "On Track but due 31/10/2023 and 60% complete on 31/12/2023")]
    assert messages("on  track", overdue) == messages("On Track", overdue), "read as 003's ratings are read"
    [flag] = disagreements("On Track", overdue, END_Q3)
    assert flag == Disagreement(ref="R1", rated="On Track", suggested=SIGNIFICANT, severity="Warning",
                                message="On Track but due 31/10/2023 and 60% complete on 31/12/2023")


def test_on_track_past_due_with_no_progress_given_says_so():
    assert messages("On Track", evidence(start="2023-04-01", due="2023-10-31")) == [
        ("Warning", "On Track but due 31/10/2023 and no % complete given on 31/12/2023")]
    by_steps = evidence(start="2023-04-01", due="2023-10-31", milestones=(milestone("A", "2023-06-01", done=True),
                                                                           milestone("B", "2023-09-01")))
    assert messages("On Track", by_steps) == [
        ("Warning", "On Track but due 31/10/2023 and 33% complete by its milestones on 31/12/2023")]


def test_on_track_but_far_behind_its_profile_is_flagged():
    assert messages("On Track", evidence("H14", **YEAR, percent=40)) == [
        ("Warning", "On Track but 35 points behind its profile: 40% complete, 75% expected by 31/12/2023")]


def test_a_correct_on_track_is_not_flagged():
    assert messages("On Track", evidence(**YEAR, percent=70)) == []
    assert messages("On Track", evidence(**YEAR, percent=60)) == [], "Medium by the evidence is not challenged"
    assert messages("On Track", evidence(start="2023-04-01", due="2023-10-31", percent=100)) == [], "finished"
    assert messages("On Track", evidence(start=None, due=None)) == [], "no evidence, nothing to challenge"


def test_complete_with_open_milestones_is_flagged_naming_them():
    one = evidence("ASC7", percent=100, milestones=(milestone("Appraisal", "2023-10-31", done=True),
                                                    milestone("Delivery project", "2024-04-01")))
    assert messages("Complete", one) == [
        ("Warning", "Complete but a milestone is still open: Delivery project (due 01/04/2024)")]
    two = evidence("F9", percent=90,
                   milestones=(milestone("Cabinet", "2024-02-07"), milestone("Council", "2024-02-20")))
    assert messages("Complete", two) == [
        ("Warning", "Complete but 2 milestones are still open: Cabinet (due 07/02/2024), Council (due 20/02/2024)"),
        ("Warning", "Complete but 90% complete on 31/12/2023")]


def test_complete_below_one_hundred_percent_is_flagged_and_a_true_complete_is_not():
    assert messages("Complete", evidence(percent=80)) == [("Warning", "Complete but 80% complete on 31/12/2023")]
    assert messages("Complete", evidence(percent=100, milestones=(milestone("Done", "2023-12-06", done=True),))) == []
    assert messages("Completed", evidence(percent=100)) == []


def test_a_cautious_medium_or_significant_is_information_not_a_warning():
    ahead = evidence("R3", **YEAR, percent=80)
    assert messages("Medium Issue/Slippage", ahead) == [
        ("Information", "Medium Issue/Slippage but 80% complete, ahead of the 75% expected by 31/12/2023")]
    done = evidence(**YEAR, percent=100)
    assert messages("Significant issues/risks/slippage", done) == [
        ("Information", "Significant issues/risks/slippage but complete by its evidence: 100% complete with no "
                        "milestone open on 31/12/2023")]
    behind = evidence(**YEAR, percent=70)
    assert messages("Medium Issue/Slippage", behind) == []
    late_step = evidence(**YEAR, percent=80, milestones=(milestone("Tender", "2023-11-30", 0.5),))
    assert messages("Medium Issue/Slippage", late_step) == [], "ahead overall, but a milestone is overdue"


def test_no_update_is_never_challenged():
    assert messages("No update available", evidence(start="2023-04-01", due="2023-10-31", percent=10)) == []
    assert messages("", evidence(**YEAR, percent=100)) == []


def test_a_rating_that_is_not_a_status_is_refused_as_everywhere_else():
    with pytest.raises(PMFValueError, match="is not a deliverable status"):
        disagreements("Nearly there", evidence(**YEAR, percent=40), END_Q3)


def test_the_rating_is_read_and_never_replaced():
    overdue = evidence("R1", start="2023-04-01", due="2023-10-31", percent=60)
    before = overdue.model_dump()
    for rated in ("On Track", "on track", "Complete", "Medium Issue/Slippage"):
        result = assess_evidence(rated, overdue, END_Q3)
        assert all(flag.rated in (rated, "On Track") for flag in result.flags)
        assert not {"status", "rating", "rag"} & set(result.model_dump()), "nothing to write over the rating"
        assert result.suggested == SIGNIFICANT  # shown beside the rating, not instead of it
    assert overdue.model_dump() == before
    with pytest.raises(ValidationError):
        overdue.percent_complete = 100  # frozen: the evidence is not edited to agree either


# --- the sample evidence against 003's Q3 ratings ------------------------------------------------------------

FLAGGED = {
    "R1": [("Warning", "On Track but due 31/10/2023 and 60% complete on 31/12/2023")],
    "ASC17a": [("Warning", "On Track but due 30/09/2023 and 80% complete on 31/12/2023")],
    "ASC29": [("Warning", "On Track but due 30/11/2023 and 50% complete on 31/12/2023")],
    "H14": [("Warning", "On Track but 35 points behind its profile: 40% complete, 75% expected by 31/12/2023")],
    "R13": [("Warning", "On Track but 34 points behind its profile: 30% complete, 64% expected by 31/12/2023")],
    "ASC7": [("Warning", "Complete but a milestone is still open: Project to deliver the appraisal (due 31/05/2024)")],
    "F9": [("Warning", "Complete but 2 milestones are still open: Presented to Cabinet (due 07/02/2024), "
                       "Approved by Council (due 20/02/2024)"),
           ("Warning", "Complete but 90% complete on 31/12/2023")],
    "R3": [("Information", "Medium Issue/Slippage but 45% complete, ahead of the 34% expected by 31/12/2023")],
}
NOT_FLAGGED = {"ACE19", "BE29", "ASC4", "CH13", "LG10", "BE3", "BE38", "PH5", "CH14"}


@pytest.fixture(scope="module")
def sample() -> tuple[EvidenceSet, dict[str, str]]:
    """The sample evidence and each of its actions' Q3 rating as 003 printed it, joined through the catalogue."""
    evidence_set = EvidenceSet.model_validate_json(
        EVIDENCE.read_text(encoding="utf-8"))
    actions = {a.ref: a for a in load_catalogue(SAMPLES / "catalogue_2023-24.json").actions}
    rows = {row.line: row for row in read_deliverables_report(DELIVERABLES_REPORT)}
    ratings = {item.ref: StatusCell(line=0, column=0, text=rows[actions[item.ref].printed_line].rating).rating
               for item in evidence_set.items}
    return evidence_set, ratings


def test_the_sample_is_of_catalogue_actions_as_of_the_end_of_q3_and_says_where_each_figure_comes_from(sample):
    evidence_set, ratings = sample
    assert evidence_set.as_of == END_Q3
    assert "illustrative" in evidence_set.source.lower()
    assert 12 <= len(evidence_set.items) <= 20
    for item in evidence_set.items:
        assert item.source == "illustrative" or "illustrative" in item.source or "003 line" in item.source, item.ref
        assert item.start and item.due, item.ref
    assert set(ratings) == set(FLAGGED) | NOT_FLAGGED


def test_the_sample_flags_exactly_the_ratings_its_evidence_contradicts(sample):
    evidence_set, ratings = sample
    results = {r.ref: r for r in assess_evidence_set(evidence_set, ratings)}
    flagged = {ref: [(f.severity, f.message) for f in result.flags] for ref, result in results.items() if result.flags}
    assert flagged == FLAGGED
    assert NOT_FLAGGED.isdisjoint(flagged)


def test_in_the_sample_on_track_is_challenged_only_when_overdue_or_far_behind(sample):
    evidence_set, ratings = sample
    results = {r.ref: r for r in assess_evidence_set(evidence_set, ratings)}
    on_track = {ref for ref, rating in ratings.items() if rating == "On Track"}
    assert {ref for ref in on_track if results[ref].flags} == {"R1", "ASC17a", "ASC29", "H14", "R13"}
    assert {ref for ref in on_track if results[ref].suggested == ON_TRACK} == {"BE29", "ASC4", "CH13", "LG10", "BE3"}
    assert results["ACE19"].suggested == MEDIUM, "13 points behind: shown, not challenged"
    assert (ratings["PH5"], results["PH5"].suggested, results["PH5"].flags) == (MEDIUM, SIGNIFICANT, [])
    assert (ratings["CH14"], results["CH14"].suggested) == (MEDIUM, MEDIUM)  # its pilot missed 01/12/2023
    assert (ratings["BE38"], results["BE38"].suggested) == (COMPLETE, COMPLETE)


def test_the_sample_ratings_are_003s_own_and_stay_so(sample):
    evidence_set, ratings = sample
    printed = dict(ratings)
    results = assess_evidence_set(evidence_set, ratings)
    assert ratings == printed
    for result in results:
        assert all(flag.rated == ratings[result.ref] for flag in result.flags)
