"""Rule policies as data: the default is domain.md exactly; two further policies change exactly what they say."""

from pathlib import Path

import pytest

from pmf_excel import direction_of_travel, rag
from pmf_excel.rules.policy import (DEFAULT_POLICY, Policy, PolicyError, builtin_policies, load_policy,
                                    policy_from_rows, policy_rows)
from pmf_excel.rules.text import clean
from pmf_excel.rules.verdicts import average_figure, read_measure
from pmf_excel.samples.judged_report import MeasureNotes, judge_report
from pmf_excel.samples.seed_reports import read_indicator_report
from pmf_excel.samples.sources import INDICATOR_REPORT, MEASURE_NOTES

NOTES = MeasureNotes.load(MEASURE_NOTES)
ROWS = {clean(row.ref): row for row in read_indicator_report(INDICATOR_REPORT)}
DOT_AWARE = builtin_policies()["dot-aware"]
TEN_PERCENT = builtin_policies()["ten percent, average trend"]


@pytest.fixture(scope="module")
def default():
    return {row.ref: row for row in judge_report(INDICATOR_REPORT, NOTES)}


def judged(policy: Policy) -> dict:
    return {row.ref: row for row in judge_report(INDICATOR_REPORT, NOTES, policy)}


def changes(default: dict, other: dict, field: str) -> dict[tuple[object, object], set[str]]:
    found: dict[tuple[object, object], set[str]] = {}
    for ref, row in default.items():
        before, after = getattr(row, field), getattr(other[ref], field)
        if before != after:
            found.setdefault((before, after), set()).add(ref)
    return found


def test_the_default_policy_is_domain_md(default):
    assert judged(DEFAULT_POLICY) == default
    assert {row.rag for row in default.values()} <= {"Green", "Amber", "Red", "No target", "No data"}


def test_dot_aware_changes_only_missed_targets_and_exactly_by_their_long_term_direction(default):
    other = judged(DOT_AWARE)
    assert changes(default, other, "rag") == {
        ("Red", "Amber"): {"B8c", "B12b", "H12 / HC2", "E7a", "O8f", "O8g", "O8h", "O8I", "O8n"},
        ("Amber", "Red"): {"B3d", "B6a", "B9e", "B12c", "B6b", "B9d", "L18a/2D (formerly 2B)", "C7a", "C7c/L2",
                           "H14 / BS01", "O11c", "O11d"}}
    for ref, row in default.items():
        if row.rag in ("Amber", "Red"):  # why: a missed target is Amber exactly when it improved on last year
            want = "Amber" if row.dot_long == "Improving" else "Red"
            assert other[ref].rag == want, ref
            assert other[ref].breach == (want == "Red"), ref
        else:
            assert other[ref].rag == row.rag, ref
    assert changes(default, other, "dot_short") == changes(default, other, "dot_long") == {}
    assert "improved on the long-term comparison" in other["B8c"].reason


def test_ten_percent_changes_rags_exactly_where_ten_percent_and_the_own_tolerance_disagree(default):
    other = judged(TEN_PERCENT)
    assert changes(default, other, "rag") == {
        ("Amber", "Red"): {"B6a", "B6b"},
        ("Red", "Amber"): {"B12b", "L17b/ASCOF 4B", "C5a", "H14 / RM3", "H14 / BS03", "CP78b/SLM054", "O8f"}}
    for ref in ("B6a", "B12b", "O8f"):  # why: judged against a 10% tolerance instead of the measure's own
        row = ROWS[ref]
        assert rag(row.performance, row.target, "10%", row.polarity) == other[ref].rag
        assert rag(row.performance, row.target, row.tolerance, row.polarity) == default[ref].rag


def test_ten_percent_short_term_changes_are_the_no_change_band_only(default):
    other = judged(TEN_PERCENT)
    short = changes(default, other, "dot_short")
    assert set(short) == {("Improving", "No change"), ("Worsening", "No change")}
    for ref in short[("Improving", "No change")] | short[("Worsening", "No change")]:
        row = ROWS[ref]
        now, before = read_number(row.performance), read_number(row.last_quarter)
        assert abs(now - before) <= 0.02 * abs(before) + 1e-12, ref  # within 2% of last quarter


def test_ten_percent_long_term_compares_with_the_average_of_the_earlier_figures(default):
    other = judged(TEN_PERCENT)
    checked = 0
    for ref, row in ROWS.items():
        if ref not in other or ref in ("B12a", "C14/ NI195a,b,c,d", "O8a", "O8b", "O8j", "O5d"):
            continue  # multi-part measures have no average of a report's text; O5d has no figure
        average = average_figure([row.last_quarter, row.last_year])
        want = "Not comparable" if average is None else direction_of_travel(row.performance, average, row.polarity,
                                                                             TEN_PERCENT)
        assert other[ref].dot_long == want, ref
        checked += 1
    assert checked > 100
    # "NA - New PI" last year: the default cannot compare; the average of the figures there are can
    assert (default["C7a"].dot_long, other["C7a"].dot_long) == ("Not comparable", "Improving")


def read_number(text: str) -> float:
    from pmf_excel import read_value

    return read_value(text).number


def test_boundaries_and_tolerance_meaning():
    exclusive = DEFAULT_POLICY.model_copy(update={"boundaries_inclusive": False})
    assert rag("75%", "75%", "5%", "Bigger is better") == "Green"
    assert rag("75%", "75%", "5%", "Bigger is better", policy=exclusive) == "Amber"  # on target is not enough
    assert rag("71.25%", "75%", "5%", "Bigger is better") == "Amber"  # 5% of 75% is 3.75 points
    assert rag("71.25%", "75%", "5%", "Bigger is better", policy=exclusive) == "Red"
    points = DEFAULT_POLICY.model_copy(update={"tolerance_meaning": "percentage points"})
    assert rag("70.5%", "75%", "5%", "Bigger is better") == "Red"
    assert rag("70.5%", "75%", "5%", "Bigger is better", policy=points) == "Amber"  # 5 points: Amber to 70%
    assert rag("95", "100", "5%", "Bigger is better", policy=points) == "Amber"  # a count: still a share
    assert read_measure("75%", "5%", "Bigger is better", policy=points).tolerance.kind == "points"


def test_no_change_band_absolute_and_relative():
    relative = DEFAULT_POLICY.model_copy(update={"no_change_band": 0.05})
    absolute = DEFAULT_POLICY.model_copy(update={"no_change_band": 2, "no_change_kind": "absolute"})
    assert direction_of_travel("103", "100", "Bigger is better") == "Improving"
    assert direction_of_travel("103", "100", "Bigger is better", relative) == "No change"
    assert direction_of_travel("106", "100", "Bigger is better", relative) == "Improving"
    assert direction_of_travel("102", "100", "Bigger is better", absolute) == "No change"
    assert direction_of_travel("97", "100", "Bigger is better", absolute) == "Worsening"


def test_a_policy_reads_back_from_its_rules_sheet_and_its_file():
    for policy in builtin_policies().values():
        assert policy_from_rows(policy_rows(policy), "Rules") == policy
    assert load_policy(Path(__file__).resolve().parent.parent / "pmf_excel" / "rules" / "policies" / "dot_aware.toml") \
        == DOT_AWARE


def test_every_bad_setting_is_named_at_once():
    rows = policy_rows(DEFAULT_POLICY)
    rows[[r[0] for r in rows].index("tolerance_meaning")][1] = "half"
    rows[[r[0] for r in rows].index("version")][1] = "0"
    rows.append(["colour scheme", "blue", ""])
    rows.append(["status: Paused", "Purple", ""])
    with pytest.raises(PolicyError) as error:
        policy_from_rows(rows, "Corporate.xlsm › Rules")
    message = str(error.value)
    assert message.startswith("The policy in Corporate.xlsm › Rules has 4 problem(s):")
    assert "'colour scheme' is not a setting" in message and "version" in message
    assert "tolerance_meaning" in message and "'half'" in message
    assert "'Paused' gives 'Purple'" in message


def test_grey_names_and_a_status_vocabulary_of_its_own():
    from pmf_excel.rules.verdicts import deliverable_rag

    renamed = DEFAULT_POLICY.model_copy(update={"no_target_name": "Not set", "no_data_name": "Awaiting data"})
    assert renamed.shown("No target") == "Not set" and renamed.shown("Red") == "Red"
    three = DEFAULT_POLICY.model_copy(update={"statuses": (("Good", "Green"), ("Some concern", "Amber"),
                                                           ("Serious concern", "Red"), ("Done", "Complete"))})
    assert deliverable_rag("some  concern", three) == "Amber"
    with pytest.raises(ValueError, match="Expected one of the statuses: Good, Some concern"):
        deliverable_rag("On Track", three)
    with pytest.raises(ValueError, match="need their own names"):
        Policy(name="x", version=1, no_target_name="Red")
