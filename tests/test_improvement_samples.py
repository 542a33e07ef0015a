"""The Improvement Plan and Strategic Risk Register samples: where each line comes from, and the council's counts.

The samples are built from the council's reports: the plan's progress report
(seed 002), the framework report (seed 000) and the deliverables update (seed
003). Every action and risk names the section it comes from, or says it is
illustrative; the tests here check those sections exist and say what the
sample says, and that the 2023/24 Q2 returns, judged by the tool, give the
change counts 002 §10.4 printed.
"""

import re
from collections import Counter
from pathlib import Path

import pytest

from pmf_excel.framework.improvement_plan import (THEMES, ActionType, ChangeKind, ChangeSummary, ImprovementPlanData,
                                                  judge_plan, read_report_change_summary, summarise_changes)
from pmf_excel.framework.risks import RiskRegisterData, judge_risks, score_rag
from pmf_excel.rules.text import clean
from pmf_excel.rules.verdicts import DELIVERABLE_STATUSES
from pmf_excel.samples.catalogue_from_report import DIRECTORATES
from pmf_excel.samples.sources import PLAN, RISKS

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
PLAN = PLAN
RISKS = RISKS
RETURNS = SAMPLES / "returns" / "2023-24 Q2"
SEEDS = ROOT.parent / "shared" / "seeds"
SEED_FILES = {"000": "000_9b859a9d94e0b871.txt", "002": "002_e176224be10727a0.txt", "003": "003_d5ed9f58c1909d3e.txt"}
QUARTER = "2023/24 Q2"
ILLUSTRATIVE = "illustrative"
THEME_INITIALS = {"Organisational Culture": "OC", "Corporate Oversight": "CO", "Strategic Direction": "SD",
                  "Decision Making": "DM", "Procurement and Commercial": "PC", "Partnerships and Relationships": "PR"}

#: "002 §4.3.2" (a numbered section) or "003 CH1" (a deliverable's row in 003's table).
SOURCE = re.compile(r"^(?P<seed>\d{3}) (?:§(?P<section>\d+(?:\.\d+)*)|(?P<row>[A-Z]+\d+))$")
_BULLETS = r"^[-\s•*]*"
#: A numbered heading at the start of a line: "4.3.2 …", "- 5.3 **…", or a top-level "12 Implications".
HEADING = re.compile(_BULLETS + r"(?:\d+(?:\.\d+)+\.?\s|\d+\s+[A-Z])", re.MULTILINE)

#: 002 §10.4 as printed, pinned so the sample is checked even where the seeds are not beside this checkout.
PRINTED_SUMMARY = ChangeSummary(
    timescale_changes=3, timescale_over_three_months=1, assurance_added=1, sub_actions_added=7, main_added=0,
    main_proposed_to_close=4, closures_closing_workstream=2, assurance_proposed_to_close=3,
    sub_actions_proposed_to_close=0, lead_changes=3)
#: The actions 002 §4.3.2 calls Amber ("Amber rating reflects …"), found by their wording.
NAMED_AMBER = ("Broader scenario-based learning", "Delivery of Directorships and Trusteeships Training")
#: The exception reports of 002 §4.4.2, §4.5.2 and §4.7.2, found by their wording.
NAMED_EXCEPTIONS = ("Directorate level restructuring and review of Spans and Layers", "Customer Journey Strategy",
                    "Performance Management System: Options Appraisal")
#: Risks whose RAG a seed states, with the words that state it in the cited section.
SEEDED_RAGS = {
    "59a 02/22": ("Amber", "currently rated as an overall Amber risk"),
    "SRR01": ("Amber", "improvements to the highway network (amber risk)"),
    "SRR02": ("Red", "is itself a red risk"),
    "SRR03": ("Red", "is now a red risk"),
}


def plan() -> ImprovementPlanData:
    return ImprovementPlanData.model_validate_json(PLAN.read_text(encoding="utf-8"))


def register() -> RiskRegisterData:
    return RiskRegisterData.model_validate_json(RISKS.read_text(encoding="utf-8"))


def words(text: str) -> str:
    """Lower-case words and numbers separated by single spaces: bullets, asterisks, £ and line breaks drop out."""
    return " ".join(re.findall(r"[0-9a-z]+", clean(text).lower()))


def contains(haystack: str, needle: str) -> bool:
    """Whether ``needle`` occurs in ``haystack`` as whole words, compared by :func:`words`."""
    return f" {words(needle)} " in f" {words(haystack)} "


def seed_text(seed: str) -> str:
    path = SEEDS / SEED_FILES[seed]
    if not path.exists():
        pytest.skip("shared/seeds is not beside this checkout")
    return path.read_text(encoding="utf-8")


def cited_text(source: str) -> str:
    """The text of the section or table row ``source`` names; fails when the seed has no such heading or row."""
    match = SOURCE.match(source)
    assert match, f"{source!r} is neither 'illustrative' nor like '002 §4.3.2' or '003 CH1'"
    text = seed_text(match["seed"])
    if match["row"]:
        rows = re.findall(rf"^.*(?:^|\t){re.escape(match['row'])}(?:\t|$).*$", text, re.MULTILINE)
        assert rows, f"{source}: no row of seed {match['seed']} has the ref {match['row']}"
        return "\n".join(rows)
    start = re.search(_BULLETS + re.escape(match["section"]) + r"(?![.\d])", text, re.MULTILINE)
    assert start, f"{source}: seed {match['seed']} has no heading {match['section']}"
    following = HEADING.search(text, start.end())
    return text[start.start():following.start() if following else len(text)]


def distinctive(text: str) -> str:
    """The first four words, as the seed would print them; a name shorter than three words is not distinctive."""
    found = words(text).split()
    assert len(found) >= 3, f"{text!r} is too short to trace to a seed"
    return " ".join(found[:4])


def judged():
    data = plan()
    updates = {update.ref: update for update in data.returns[QUARTER]}
    return judge_plan(data.actions, updates, QUARTER, known={})


def returned_directorates() -> set[str]:
    return {name for name in DIRECTORATES if (RETURNS / f"{name} 2023-24 Q2.xlsx").exists()}


# ---------------------------------------------------------------- the Improvement Plan


def test_plan_loads_with_every_theme_and_a_plausible_size():
    data = plan()
    assert 40 <= len(data.actions) <= 55
    assert {action.theme for action in data.actions} == set(THEMES)
    assert "002" in data.source and ILLUSTRATIVE in data.source
    assert list(data.returns) == [QUARTER]


def test_refs_are_unique_and_spell_theme_workstream_and_type():
    data = plan()
    refs = [action.ref for action in data.actions]
    assert len(refs) == len(set(refs))
    workstreams: dict[str, set[str]] = {}
    for action in data.actions:
        match = re.fullmatch(r"(?P<ws>(?P<theme>[A-Z]{2})\d+)\.(?:(?P<main>\d+)(?P<sub>[a-z])?|A\d+)", action.ref)
        assert match, action.ref
        assert match["theme"] == THEME_INITIALS[action.theme], action.ref
        expected = (ActionType.ASSURANCE if not match["main"] else ActionType.SUB if match["sub"]
                    else ActionType.MAIN)
        assert action.type is expected, action.ref
        workstreams.setdefault(match["ws"], set()).add(action.workstream)
    assert all(len(names) == 1 for names in workstreams.values()), workstreams


def test_every_parent_is_a_main_action_of_the_same_workstream():
    actions = {action.ref: action for action in plan().actions}
    for action in actions.values():
        if action.type is ActionType.MAIN:
            assert action.parent == "", action.ref
            continue
        parent = actions.get(action.parent)
        assert parent is not None, f"{action.ref}: no action {action.parent!r}"
        assert parent.type is ActionType.MAIN, action.ref
        assert parent.workstream == action.workstream, action.ref
        if action.type is ActionType.SUB:
            assert action.ref.startswith(action.parent), action.ref


def test_directorates_have_returns_and_leads_and_dates_are_filled():
    directorates = returned_directorates() or set(DIRECTORATES) - {"Business Strategy and Change"}
    for action in plan().actions:
        assert action.directorate in directorates, action.ref
        assert action.lead.strip(), action.ref
        assert 2023 <= action.due.year <= 2024, action.ref


def test_every_action_source_is_illustrative_or_a_seed_section_saying_it():
    sourced = [action for action in plan().actions if action.source != ILLUSTRATIVE]
    assert len(sourced) >= 0.8 * len(plan().actions)
    for action in sourced:
        section = cited_text(action.source)
        assert contains(section, distinctive(action.action)), f"{action.ref}: {action.action!r} not in {action.source}"


def test_exception_reasons_quote_the_cited_section():
    actions = {action.ref: action for action in plan().actions}
    quoted = 0
    for update in plan().returns[QUARTER]:
        action = actions[update.ref]
        if not update.exception or action.source == ILLUSTRATIVE:
            continue
        section = cited_text(action.source)
        for sentence in re.split(r"(?<=\.)\s+", update.exception.strip()):
            assert contains(section, sentence), f"{update.ref}: {sentence!r} is not in {action.source}"
        quoted += 1
    assert quoted >= 5


def test_q2_returns_cover_every_action_with_the_councils_statuses():
    data = plan()
    returned = [update.ref for update in data.returns[QUARTER]]
    assert sorted(returned) == sorted(action.ref for action in data.actions)
    assert len(returned) == len(set(returned))
    assert {update.status for update in data.returns[QUARTER]} <= set(DELIVERABLE_STATUSES)


def test_added_in_q2_are_seven_sub_actions_and_one_assurance_action():
    added = Counter(action.type for action in plan().actions if action.added_in == QUARTER)
    assert added == {ActionType.SUB: 7, ActionType.ASSURANCE: 1}
    assert {action.added_in for action in plan().actions} == {"", QUARTER}


def test_judged_changes_reproduce_the_printed_summary():
    _, changes = judged()
    summary = summarise_changes(changes)
    assert summary == PRINTED_SUMMARY
    assert summary.timescale_changes == 3
    assert summary.timescale_over_three_months == 1
    assert summary.assurance_added == 1
    assert summary.sub_actions_added == 7
    assert summary.main_added == 0
    assert summary.main_proposed_to_close == 4
    assert summary.closures_closing_workstream == 2
    assert summary.assurance_proposed_to_close == 3
    assert summary.sub_actions_proposed_to_close == 0
    assert summary.lead_changes == 3


def test_printed_summary_is_what_002_prints():
    seed_text("002")
    assert read_report_change_summary(SEEDS / SEED_FILES["002"]) == PRINTED_SUMMARY
    assert summarise_changes(judged()[1]) == read_report_change_summary(SEEDS / SEED_FILES["002"])


def test_every_change_has_a_reason_and_only_changes_carry_a_lead_or_due():
    data = plan()
    _, changes = judged()
    assert all(change.reason.strip() for change in changes), [c.ref for c in changes if not c.reason.strip()]
    changed = {change.ref for change in changes if change.kind in (ChangeKind.TIMESCALE, ChangeKind.LEAD)}
    carrying = {update.ref for update in data.returns[QUARTER] if update.lead or update.due}
    assert carrying == changed


def test_closures_close_two_workstreams_that_have_nothing_else_open():
    results, changes = judged()
    closing = {change.ref for change in changes if change.closes_workstream}
    assert len(closing) == 2
    by_ref = {result.action.ref: result for result in results}
    for ref in closing:
        workstream = by_ref[ref].action.workstream
        members = [result for result in results if result.action.workstream == workstream]
        assert all(result.propose_close for result in members), workstream
        assert all(result.status == "Complete" for result in members), workstream
    proposed = [result for result in results if result.propose_close]
    assert all(result.status == "Complete" for result in proposed)


def test_the_actions_002_calls_amber_are_amber():
    results, _ = judged()
    for start in NAMED_AMBER:
        found = [result for result in results if result.action.action.startswith(start)]
        assert len(found) == 1, start
        assert found[0].rag == "Amber", start
        assert found[0].exception, start


def test_the_exception_reports_of_002_are_not_on_track():
    results, _ = judged()
    for start in NAMED_EXCEPTIONS:
        found = [result for result in results if result.action.action.startswith(start)]
        assert len(found) == 1, start
        assert found[0].rag in ("Amber", "Red"), start
        assert found[0].exception, start


def test_every_action_not_on_track_says_why():
    results, _ = judged()
    assert all(result.rag in DELIVERABLE_STATUSES.values() for result in results)
    for result in results:
        if not result.on_track:
            assert result.exception.strip(), result.action.ref


def test_decision_making_has_no_issues_as_002_says():
    results, _ = judged()
    decision_making = [result for result in results if result.action.theme == "Decision Making"]
    assert decision_making and all(result.on_track for result in decision_making)


# ---------------------------------------------------------------- the Strategic Risk Register


def test_register_loads_with_a_plausible_size_and_unique_refs():
    data = register()
    assert 10 <= len(data.risks) <= 14
    refs = [risk.ref for risk in data.risks]
    assert len(refs) == len(set(refs))
    assert list(data.returns) == [QUARTER]
    assert sorted(update.ref for update in data.returns[QUARTER]) == sorted(refs)
    assert "59a 02/22" in refs


def test_risk_owners_directorates_and_targets():
    data = register()
    updates = {update.ref: update for update in data.returns[QUARTER]}
    directorates = returned_directorates() or set(DIRECTORATES) - {"Business Strategy and Change"}
    for risk in data.risks:
        assert risk.directorate in directorates, risk.ref
        assert risk.owner.strip() and risk.controls.strip() and risk.further_actions.strip(), risk.ref
        for likelihood, impact in ((risk.likelihood, risk.impact), (updates[risk.ref].likelihood,
                                                                     updates[risk.ref].impact)):
            assert type(likelihood) is int and type(impact) is int, risk.ref
            assert risk.target_likelihood <= likelihood and risk.target_impact <= impact, risk.ref


def test_every_risk_source_is_illustrative_or_a_seed_section_saying_it():
    data = register()
    sourced = [risk for risk in data.risks if risk.source != ILLUSTRATIVE]
    assert {"002 §9.1", "002 §9.2", "000 §8.11.5", "000 §8.11.6", "000 §6.3.2", "003 CH1"} <= {
        risk.source for risk in sourced}
    assert sum(risk.source == "002 §9.2" for risk in sourced) == 4
    for risk in sourced:
        assert contains(cited_text(risk.source), distinctive(risk.title)), f"{risk.ref}: {risk.title!r}"


def test_seed_stated_rags_hold_at_baseline_and_in_q2():
    data = register()
    risks = {risk.ref: risk for risk in data.risks}
    results = {result.risk.ref: result
               for result in judge_risks(data.risks, {u.ref: u for u in data.returns[QUARTER]}, known={})}
    for ref, (rag, _) in SEEDED_RAGS.items():
        assert score_rag(risks[ref].likelihood * risks[ref].impact) == rag, ref
        assert results[ref].rag == rag, ref
        assert not results[ref].problem, ref


def test_seed_stated_rags_are_in_the_cited_sections():
    risks = {risk.ref: risk for risk in register().risks}
    for ref, (rag, phrase) in SEEDED_RAGS.items():
        assert rag.lower() in phrase.lower()
        assert contains(cited_text(risks[ref].source), phrase), ref


def test_q2_moves_a_few_scores_and_one_owner():
    data = register()
    results = judge_risks(data.risks, {u.ref: u for u in data.returns[QUARTER]}, known={})
    directions = Counter(result.direction for result in results)
    assert directions["Increased"] == 1
    assert directions["Reduced"] >= 2
    assert 3 <= directions["Increased"] + directions["Reduced"] <= 4
    assert sum(result.owner != result.risk.owner for result in results) == 1
    assert {result.rag for result in results} <= {"Red", "Amber", "Green"}
