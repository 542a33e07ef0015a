"""The Improvement Plan's rules: statuses, the change log since the last review, and 002 §10.4's counts."""

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pmf_excel.framework.improvement_plan import (ActionType, ChangeKind, ChangeSummary, ImprovementAction,
                                                  ImprovementUpdate, KnownState, PlanLine, add_months, judge_plan,
                                                  months_moved, plan_check, read_change_summary,
                                                  read_report_change_summary, summarise_changes)

Q2 = "2023/24 Q2"
SEED_002 = Path("/work/shared/seeds/002_e176224be10727a0.txt")


def action(ref: str, type_: ActionType = ActionType.MAIN, workstream: str = "W1", **fields) -> ImprovementAction:
    return ImprovementAction(**{"ref": ref, "theme": "Corporate Oversight", "workstream": workstream, "type": type_,
                                "action": f"Action {ref}", "directorate": "Finance", "lead": "Director of Finance",
                                "due": dt.date(2023, 12, 31), **fields})


def test_a_theme_outside_the_six_is_refused_with_the_six_named():
    with pytest.raises(ValueError, match="not one of the plan's six themes: Organisational Culture"):
        action("X1", theme="Culture")


def test_no_change_when_the_return_repeats_what_was_agreed():
    results, changes = judge_plan([action("A1")], {"A1": ImprovementUpdate(ref="A1", status="on track",
                                                                           lead="director of FINANCE")}, Q2, {})
    assert changes == []
    assert (results[0].status, results[0].rag, results[0].lead) == ("On Track", "Green", "Director of Finance")


def test_each_kind_of_change_is_logged_with_its_size():
    actions = [action("A1"), action("A2"), action("A3", ActionType.SUB, parent="A1", added_in=Q2),
               action("A4", ActionType.ASSURANCE, parent="A1")]
    updates = {"A1": ImprovementUpdate(ref="A1", due=dt.date(2024, 4, 30), change_reason="supplier demos"),
               "A2": ImprovementUpdate(ref="A2", lead="Chief Executive", propose_close=True),
               "A4": ImprovementUpdate(ref="A4", due=dt.date(2024, 2, 29))}  # month ends: 2 months
    _, changes = judge_plan(actions, updates, Q2, {})
    found = {(c.kind, c.ref): c for c in changes}
    assert set(found) == {(ChangeKind.TIMESCALE, "A1"), (ChangeKind.TIMESCALE, "A4"), (ChangeKind.LEAD, "A2"),
                          (ChangeKind.CLOSE, "A2"), (ChangeKind.ADDED, "A3")}
    assert (found[ChangeKind.TIMESCALE, "A1"].months, found[ChangeKind.TIMESCALE, "A1"].flagged) == (4, True)
    assert (found[ChangeKind.TIMESCALE, "A4"].months, found[ChangeKind.TIMESCALE, "A4"].flagged) == (2, False)
    assert found[ChangeKind.TIMESCALE, "A1"].before == "31/12/2023"
    assert found[ChangeKind.LEAD, "A2"].after == "Chief Executive"
    assert not found[ChangeKind.CLOSE, "A2"].closes_workstream, "A1 keeps workstream W1 open"


def test_a_closure_closes_the_workstream_only_when_no_main_action_stays_open():
    actions = [action("A1"), action("A2"), action("B1", workstream="W2"),
               action("B1a", ActionType.SUB, workstream="W2", parent="B1")]
    close = {ref: ImprovementUpdate(ref=ref, propose_close=True) for ref in ("A1", "A2", "B1")}
    _, changes = judge_plan(actions, close, Q2, {})
    assert {c.ref: c.closes_workstream for c in changes} == {"A1": True, "A2": True, "B1": True}
    _, changes = judge_plan(actions, {"A1": close["A1"]}, Q2, {})
    assert [c.closes_workstream for c in changes] == [False]


def test_changes_are_counted_from_the_last_review_not_the_catalogue():
    """A due date moved last quarter and returned again is not a change this quarter; nor is a closure already
    proposed."""
    known = {"A1": KnownState(lead="Director of Finance", due=dt.date(2024, 4, 30), propose_close=True)}
    update = ImprovementUpdate(ref="A1", due=dt.date(2024, 4, 30), propose_close=True)
    results, changes = judge_plan([action("A1")], {"A1": update}, "2023/24 Q3", known)
    assert changes == [] and results[0].due == dt.date(2024, 4, 30)


def test_an_action_added_in_an_earlier_quarter_is_not_new_now():
    results, changes = judge_plan([action("A3", added_in=Q2)], {}, "2023/24 Q3", {})
    assert changes == [] and not results[0].added and results[0].rag == "No update"


@pytest.mark.parametrize(("before", "after", "months"), [
    ((2023, 7, 15), (2023, 11, 14), 3), ((2023, 7, 15), (2023, 11, 15), 4), ((2023, 1, 31), (2023, 2, 28), 1),
    ((2023, 11, 15), (2023, 7, 16), -3), ((2023, 11, 15), (2023, 7, 15), -4), ((2023, 5, 1), (2023, 5, 31), 0)])
def test_months_moved_counts_whole_calendar_months(before, after, months):
    assert months_moved(dt.date(*before), dt.date(*after)) == months


@given(st.dates(dt.date(2000, 1, 1), dt.date(2090, 1, 1)), st.integers(-60, 60))
def test_months_moved_inverts_add_months(day, months):
    assert months_moved(day, add_months(day, months)) == months or day.day > add_months(day, months).day


def test_the_seeds_summary_reads_as_002_prints_it():
    summary = read_report_change_summary(SEED_002)
    assert summary == ChangeSummary(timescale_changes=3, timescale_over_three_months=1, assurance_added=1,
                                    sub_actions_added=7, main_proposed_to_close=4, closures_closing_workstream=2,
                                    assurance_proposed_to_close=3, lead_changes=3)
    assert summary.lines() == [
        "3 changes made to action delivery timescales (with 1 being more than three months)",
        "1 assurance action has been added", "7 sub-actions have been added (marked in red within IP)",
        "4 main actions are proposed to be closed (2 actions closure will result in closure of workstream)",
        "3 Assurance actions are proposed to close", "3 changes to delivery lead"]


@given(st.builds(ChangeSummary, **{name: st.integers(0, 40) for name in ChangeSummary.model_fields}))
def test_the_summary_lines_read_back_as_the_counts(summary):
    assert read_change_summary("\n".join(summary.lines())) == summary.model_copy(update={
        "timescale_over_three_months": summary.timescale_over_three_months if summary.timescale_changes else 0,
        "closures_closing_workstream": summary.closures_closing_workstream if summary.main_proposed_to_close
        else 0})


def test_summarise_counts_each_kind_by_type():
    actions = [action("A1"), action("S1", ActionType.SUB, parent="A1", added_in=Q2),
               action("S2", ActionType.ASSURANCE, parent="A1", added_in=Q2)]
    updates = {"S2": ImprovementUpdate(ref="S2", propose_close=True, lead="Chief Executive")}
    _, changes = judge_plan(actions, updates, Q2, {})
    assert summarise_changes(changes) == ChangeSummary(sub_actions_added=1, assurance_added=1,
                                                       assurance_proposed_to_close=1, lead_changes=1)


@pytest.mark.parametrize(("update", "check"), [
    (dict(status=""), "Status required"),
    (dict(status="Medium Issue/Slippage"), "Exception reason required"),
    (dict(status="Significant issues/risks/slippage", exception="  "), "Exception reason required"),
    (dict(status="Medium Issue/Slippage", exception="supplier", due=dt.date(2024, 3, 1)),
     "Reason for change required"),
    (dict(status="On Track", lead="Chief Executive"), "Reason for change required"),
    (dict(status="On Track", lead="DIRECTOR OF FINANCE"), ""),
    (dict(status="Complete", propose_close=True), "Reason for change required"),
    (dict(status="Complete", propose_close=True, change_reason="delivered"), ""),
    (dict(status="No update available"), ""),
])
def test_the_check_column_says_what_is_still_to_fill(update, check):
    agreed = KnownState(lead="Director of Finance", due=dt.date(2023, 12, 31))
    line = PlanLine(action=action("A1"), agreed=agreed, update=ImprovementUpdate(ref="A1", **update))
    assert plan_check(line) == check
