"""Other councils' conventions as policy settings: for each, the rule in words, the policy that expresses it, and
rows on each side of every boundary, judged by the engine, its many-rows path and the Excel functions alike.

The shipped example policies are the policies under test (``pmf_excel/rules/policies/``): what a council would
take and adapt. The default policy is untouched by every one of them (tests/test_policies.py pins it to 004).
"""

from pathlib import Path

import numpy as np
import pytest

from pmf_excel import assess, direction_of_travel, rag, read_target
from pmf_excel.rules import cells
from pmf_excel.rules.errors import PMFValueError
from pmf_excel.rules.models import Trend
from pmf_excel.rules.policy import (DEFAULT_POLICY, POLICIES, Policy, PolicyError, builtin_policies, load_policy,
                                    policy_from_rows, policy_rows)
from pmf_excel.rules.vectorised import dot_many, rag_many
from pmf_excel.rules.verdicts import check_officer_rating, comparison_figures, explain_direction

POLICY = builtin_policies()


def shipped(file: str) -> Policy:
    """A shipped example policy, read from its file as a council would give it to --policy."""
    return load_policy(POLICIES / file)


def judged_alike(rows: list[tuple], policy: Policy, **columns) -> list[str]:
    """Each row's RAG by the scalar engine, checked against the many-rows path and the Excel function."""
    one = [rag(*row, policy=policy, **{k: v[i] for k, v in columns.items()}) for i, row in enumerate(rows)]
    many = rag_many(*map(list, zip(*rows)), policy=policy, **columns)
    spilled = cells.rag_cells(*[[[cell] for cell in column] for column in zip(*rows)], policy_rows(policy)[1:],
                              *[[[cell] for cell in columns[name]] if name in columns else None
                                for name in ("last_year", "forecast")])
    assert many == one
    assert [row[0] for row in spilled] == [policy.shown(result) for result in one]
    return one


# 1. A green band below the target ---------------------------------------------------------------------------------

GREEN_BAND = "Green: on, above or within 5% of target."


def test_a_green_band_below_target():
    policy = shipped("green_within_5.toml")
    assert policy.green_within == "5%" and GREEN_BAND
    rows = [("95", "100", "", "Bigger is better"), ("94.99", "100", "", "Bigger is better"),
            ("105", "100", "", "Smaller is better"), ("105.01", "100", "", "Smaller is better"),
            ("76%", "80%", "", "Bigger is better"), ("75.99%", "80%", "", "Bigger is better"),
            ("100", "100", "", "Bigger is better")]
    assert judged_alike(rows, policy) == ["Green", "Amber", "Green", "Amber", "Green", "Amber", "Green"]
    assert judged_alike(rows, DEFAULT_POLICY.model_copy(update={"uniform_tolerance": "10%"}))[:2] == ["Amber", "Amber"]
    reason = assess("96", "100", "", "Bigger is better", policy=policy).reason
    assert reason == ("Green: 96 is worse than the target 100 but within its green band (within 5% of the target: "
                      "down to 95).")
    points = policy.model_copy(update={"green_within": "2pp"})
    assert [rag(p, "80%", "", "Bigger is better", policy=points) for p in ("78%", "77.9%")] == ["Green", "Amber"]


def test_a_green_band_on_a_range_target_widens_both_edges():
    policy = DEFAULT_POLICY.model_copy(update={"green_within": "5%"})
    assert [rag(p, "900-1200", "", "NA - dependent", policy=policy) for p in ("855", "854", "1260", "1261")] == [
        "Green", "Red", "Green", "Red"]


# 2. Two bands measured from the target ----------------------------------------------------------------------------

TWO_BANDS = "Amber: between 5% and 10% below target; Red: more than 10% below."


def test_two_bands_are_both_measured_from_the_target():
    policy = shipped("green_within_5.toml")
    assert (policy.green_within, policy.uniform_tolerance) == ("5%", "10%") and TWO_BANDS
    rows = [("90", "100", "", "Bigger is better"), ("89.99", "100", "", "Bigger is better"),
            ("110", "100", "", "Smaller is better"), ("110.01", "100", "", "Smaller is better"),
            ("72%", "80%", "", "Bigger is better"), ("71.99%", "80%", "", "Bigger is better")]
    # 10% of the target, not 10% of the green edge (95 × 0.9 = 85.5)
    assert judged_alike(rows, policy) == ["Amber", "Red", "Amber", "Red", "Amber", "Red"]
    assert assess("92", "100", "", "Bigger is better", policy=policy).reason == (
        "Amber: 92 is worse than the target 100 and outside its green band (within 5% of the target: down to 95) "
        "but within the tolerance 10% of the target (down to 90).")


def test_a_tolerance_inside_the_green_band_leaves_no_amber_and_says_so():
    policy = DEFAULT_POLICY.model_copy(update={"green_within": "5%"})
    assert [rag(p, "100", "3%", "Bigger is better", policy=policy) for p in ("95", "94.99")] == ["Green", "Red"]
    found = assess("94", "100", "3%", "Bigger is better", policy=policy).warnings
    assert [w.code for w in found] == ["tolerance_inside_green_band"]


# 3. An amber band in words, placed by the officer -----------------------------------------------------------------

OFFICER = "Amber: close to target, in the judgement of the responsible officer."


def test_an_amber_band_in_words_is_left_to_the_officer():
    policy = shipped("officer_judgement.toml")
    assert policy.officer_rating == "decides" and OFFICER
    with pytest.raises(PMFValueError, match="close to target"):
        rag("80%", "100%", "close to target", "Bigger is better")  # the default never guesses a number
    missed = assess("80%", "100%", "close to target", "Bigger is better", policy=policy)
    assert (missed.rag, missed.tolerance.kind) == ("Red", "words")
    assert "given only in words ('close to target')" in missed.reason and "the officer's rating places it" \
        in missed.reason
    on_target = assess("100%", "100%", "close to target", "Bigger is better", policy=policy)
    checks = {rating: check_officer_rating(rating, missed, policy) for rating in ("Amber", "red", "Green")}
    assert {rating: check.agrees for rating, check in checks.items()} == {"Amber": True, "red": True, "Green": False}
    assert checks["Amber"].rating == "Amber" and "places the missed target Amber" in checks["Amber"].message
    assert check_officer_rating("Amber", on_target, policy).agrees is False
    assert check_officer_rating("", missed, policy) is None
    with pytest.raises(PMFValueError, match="officer's rating"):
        check_officer_rating("Purple", missed, policy)
    numeric = assess("97%", "100%", "5%", "Bigger is better", policy=policy)  # a figure given: no placing to do
    assert (numeric.rag, check_officer_rating("Red", numeric, policy).agrees) == ("Amber", False)


# 4. Direction-aware RAG outside the tolerance, maintained counting ------------------------------------------------

DIRECTION_AWARE = ("Green within 10% of target; beyond that, Amber if improved or maintained on last year, Red if "
                   "not.")


def test_direction_aware_outside_the_green_band_and_maintained_counts():
    policy = shipped("direction_aware_outside_tolerance.toml")
    assert (policy.green_within, policy.dot_aware_rag, policy.maintained_counts_as_improved) == (
        "10%", True, True) and DIRECTION_AWARE
    rows = [("90", "100", "5%", "Bigger is better"), ("89.9", "100", "5%", "Bigger is better"),
            ("89.9", "100", "5%", "Bigger is better"), ("89.9", "100", "5%", "Bigger is better"),
            ("110", "100", "", "Smaller is better"), ("110.1", "100", "", "Smaller is better")]
    last_year = ["95", "85", "89.9", "95", "120", "110.1"]
    assert judged_alike(rows, policy, last_year=last_year) == ["Green", "Amber", "Amber", "Red", "Green", "Amber"]
    strict = POLICY["dot-aware"]  # today's DOT-aware: the tolerance unused, maintained is not improved
    assert rag("89.9", "100", "5%", "Bigger is better", policy=strict, last_year="89.9") == "Red"
    assert rag("99", "100", "5%", "Bigger is better", policy=strict, last_year="95") == "Amber"
    reason = assess("89.9", "100", "5%", "Bigger is better", last_year="89.9", policy=policy).reason
    assert "held level with the long-term comparison" in reason and "maintained counting as improved" in reason


# 5. A quarterly profile written inside the target cell ------------------------------------------------------------

PROFILE = "A target printed as 1,200 tonnes (300 tonnes - Q1 profile) is judged against 300 for the quarter."


def test_a_profile_in_the_target_cell_is_read_and_judged_against_when_the_policy_says():
    target = "1,200 tonnes (300 tonnes – Q1 profile)"
    read = read_target(target)
    assert (read.value.number, read.profile.number, read.profile_quarter) == (1200, 300, 1)
    default = assess("300 tonnes", target, "5%", "Bigger is better")
    assert default.rag == "Red" and [w.code for w in default.warnings] == ["profile_in_target"]
    assert "judged against the annual figure" in default.warnings[0].message
    policy = shipped("quarterly_profile.toml")
    assert policy.target_profile == "profile figure" and PROFILE
    rows = [(p, target, "5%", "Bigger is better") for p in ("300", "299", "285", "284.9")]
    assert judged_alike(rows, policy) == ["Green", "Amber", "Amber", "Red"]
    judged = assess("290", target, "5%", "Bigger is better", policy=policy)
    assert judged.warnings == () and "the target 300 (the Q1 profile of 1200)" in judged.reason
    assert rag("41%", "80% (Q2 profile: 40%)", "", "Bigger is better", policy=policy) == "Green"
    assert rag("39%", "80% (Q2 profile: 40)", "", "Bigger is better", policy=policy) == "Red"  # a bare 40 is 40%
    with pytest.raises(PMFValueError, match="not in the unit of the target"):
        read_target("80% (Q2 profile: £40k)")


# 6. The council's own words for colours and trends ----------------------------------------------------------------

WORDS = "The report prints Yellow for amber and its trend as Getting better, Getting worse or Same."


def test_the_councils_words_are_shown_and_read():
    policy = shipped("council_words.toml")
    assert WORDS and policy.shown("Amber") == "Yellow" and policy.shown("Red") == "Red"
    assert cells.rag_cells(["95", "80", "100"], "100", "10%", "Bigger is better", "Yellow and getting better") == [
        ["Yellow", "Red", "Green"]]
    assert cells.dot_cells([["96"], ["94"], ["95"]], "95", "Bigger is better", "Yellow and getting better") == [
        ["Getting better"], ["Getting worse"], ["Same"]]
    assert [policy.read_state(word) for word in ("yellow", "AMBER", "Green ", "purple")] == [
        "Amber", "Amber", "Green", None]
    assert [policy.read_state(word, ("Improving", "Worsening", "No change")) for word in (
        "Better", "getting worse", "same", "No change")] == ["Improving", "Worsening", "No change", "No change"]


@pytest.mark.parametrize("words, problem", [
    ({"Purple": ["Violet"]}, "'Purple' is not a state"),
    ({"Amber": ["Yellow"], "Red": ["yellow"]}, "'yellow' cannot mean both Amber and Red"),
    ({"Amber": ["Red"]}, "'Red' cannot mean both Red and Amber"),
    ({"No target": ["Not set"]}, "no_target_name"),
])
def test_words_that_cannot_be_read_back_are_refused_naming_the_setting(tmp_path, words, problem):
    lines = ['name = "x"', "version = 1", "[words]"] + [f'"{k}" = {v!r}'.replace("'", '"') for k, v in words.items()]
    (tmp_path / "x.toml").write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(PolicyError, match="words") as error:
        load_policy(tmp_path / "x.toml")
    assert problem in str(error.value)


# 7. A tolerance for a class of measures ---------------------------------------------------------------------------

CLASSES = "Vital signs have a tolerance of 5%; every other measure 10%."


def test_a_class_of_measures_has_its_own_tolerance():
    policy = shipped("vital_signs.toml")
    assert CLASSES and [rules.name for rules in policy.classes] == ["Vital sign"]
    vital = policy.for_measure(measure_class="vital SIGN")  # the class is found in any case
    assert (vital.uniform_tolerance, policy.for_measure(measure_class="Other").uniform_tolerance) == ("5%", "10%")
    rows = [("95", "100", "20%", "Bigger is better"), ("94.99", "100", "20%", "Bigger is better")]
    assert judged_alike(rows, vital) == ["Amber", "Red"]
    assert judged_alike([("90", "100", "", "Bigger is better"), ("89.99", "100", "", "Bigger is better")],
                        policy) == ["Amber", "Red"]
    spilled = cells.rag_cells(["95", "95", "90", "89.99"], "100", "", "Bigger is better",
                              "Vital signs 5%, the rest 10%", None, None, ["Vital sign", "", "Other", "Vital sign"])
    assert spilled == [["Amber", "Amber", "Amber", "Red"]]


def test_classes_round_trip_through_the_rules_sheet_and_bad_ones_are_named(tmp_path):
    policy = shipped("vital_signs.toml")
    assert policy_from_rows(policy_rows(policy), "Rules") == policy
    rows = policy_rows(policy) + [["class: Vital sign: colour", "blue", ""], ["class: Project: tolerance", "lots", ""]]
    with pytest.raises(PolicyError) as error:
        policy_from_rows(rows, "Corporate.xlsx › Rules")
    assert "'class: Vital sign: colour' is not a class setting" in str(error.value)
    assert "classes.Project.tolerance" in str(error.value) and "'lots'" in str(error.value)
    (tmp_path / "bad.toml").write_text('name = "x"\nversion = 1\n[classes."Vital sign"]\ngreen_within = "five"\n',
                                       encoding="utf-8")
    with pytest.raises(PolicyError, match=r"classes\.Vital sign\.green_within: a green band is a share"):
        load_policy(tmp_path / "bad.toml")


# 8. Direction by trend, and amber by forecast ---------------------------------------------------------------------

TREND = "The trend is the line of best fit through the last five quarters; under 2% of their average is No change."


def test_the_direction_by_trend_is_the_regression_slope():
    policy = shipped("trend_direction.toml")
    assert (policy.long_term_basis, policy.average_periods, policy.no_change_band) == (
        "trend over last periods", 4, 0.02) and TREND
    earlier = [100, 100, 100, 100]  # latest first: a line through them and 102.6 rises by 0.8 × 2.6 over 4 periods
    for current, want in ((102.5, "No change"), (102.6, "Improving"), (97.5, "No change"), (97.4, "Worsening")):
        assert direction_of_travel(current, Trend(figures=tuple(earlier)), "Bigger is better", policy) == want
    series = [71, 74, 76, 77, 76]  # oldest first, as a numpy fit takes it
    slope = np.polyfit(range(5), series, 1)[0]
    assert slope == pytest.approx(1.3)
    result, reason = explain_direction(76, Trend(figures=(77, 76, 74, 71)), "Bigger is better", policy)
    assert result == "Improving" and "the trend over 5 periods" in reason and "rises by 5.2" in reason
    assert direction_of_travel(76, Trend(figures=(77, 76, 74, 71)), "Smaller is better", policy) == "Worsening"
    # a blank keeps its period's place; fewer than two earlier figures is no trend
    assert direction_of_travel(6, Trend(figures=(None, 4, None, 2)), "Bigger is better", policy) == "Improving"
    assert direction_of_travel(6, Trend(figures=(None, 4, "NA", None)), "Bigger is better", policy) == \
        "Not comparable"
    short, long = comparison_figures(policy, 77, 71, [77, 76, 74, 71, 70, 69])
    assert (short, long) == (77, Trend(figures=(77, 76, 74, 71)))
    assert dot_many([76, 70, 60], [long] * 3, "Bigger is better", policy) == ["Improving", "No change", "Worsening"]
    assert cells.trend_cells([[71, 74, 76, 77, 76], [71, None, None, None, 76], [None] * 5], "Bigger is better",
                             "Direction by trend over five quarters") == [["Improving"], ["Not comparable"], [""]]


FORECAST = "Amber: off target but forecast to meet the year-end target; Red: not forecast to meet it."


def test_amber_by_the_year_end_forecast():
    policy = shipped("forecast_amber.toml")
    assert policy.amber_by_forecast and FORECAST
    rows = [("99", "100", "5%", "Bigger is better")] * 3 + [("100", "100", "5%", "Bigger is better"),
                                                            ("101", "100", "", "Smaller is better")]
    forecast = ["100", "99.99", None, None, "100"]
    assert judged_alike(rows, policy, forecast=forecast) == ["Amber", "Red", "Red", "Green", "Amber"]
    assert "the year-end forecast 100 meets the target of 100" in assess(
        "99", "100", "5%", "Bigger is better", policy=policy, forecast="100").reason
    assert "no year-end forecast was given" in assess("99", "100", "5%", "Bigger is better", policy=policy).reason
    # a quarter judged against its profile: the forecast is judged against the year's target
    profiled = shipped("quarterly_profile.toml").model_copy(update={"amber_by_forecast": True})
    target = "1,200 trees (300 trees - Q2 profile)"
    assert [rag("280", target, "", "Bigger is better", policy=profiled, forecast=f) for f in ("1,200", "1,199")] == [
        "Amber", "Red"]
    assert [assess("50", "75", "", "Bigger is better", policy=policy, forecast=forecast, year_end_target="300").rag
            for forecast in ("300", "290")] == ["Amber", "Red"]  # the catalogue's year-end target, profiled for Q3


# The format ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("setting, problem", [
    ("format = 3", "format: format 3 is newer than this pmf-excel reads (2)"),
    ('green_within = "five percent"', "green_within: a green band is a share of the target"),
    ('green_within = "70%-75%"', "green_within: a green band is a share of the target"),
    ('uniform_tolerance = "lots"', "uniform_tolerance: Expected a tolerance"),
    ("dot_aware_rag = true\namber_by_forecast = true", "both colour a missed target"),
    ('officer_rating = "sometimes"', "officer_rating"),
    ('long_term_basis = "gut feeling"', "long_term_basis"),
])
def test_every_new_setting_is_validated_naming_it(tmp_path, setting, problem):
    (tmp_path / "council.toml").write_text(f'name = "Council"\nversion = 2\n{setting}\n', encoding="utf-8")
    with pytest.raises(PolicyError) as error:
        load_policy(tmp_path / "council.toml")
    assert str(error.value).startswith("The policy in council.toml has") and problem in str(error.value)


def test_every_shipped_policy_reads_back_from_its_rules_sheet_and_leaves_the_default_alone():
    for name, policy in POLICY.items():
        assert policy_from_rows(policy_rows(policy), "Rules") == policy, name
    assert len(list(Path(POLICIES).glob("*.toml"))) == 10
    assert DEFAULT_POLICY.format == 2 and DEFAULT_POLICY.words == () and DEFAULT_POLICY.classes == ()


def test_consolidation_names_what_a_policy_cannot_apply_and_goes_on(tmp_path):
    """A profile for another quarter, a class the policy does not name, and an amber band in words under a policy
    that asks no officer: each a Data quality row naming the measure; every other measure is judged."""
    import openpyxl

    from pmf_excel.framework.catalogue import Catalogue, MeasureDefinition
    from pmf_excel.pipelines.consolidate.judging import accept_returns, judge_returns
    from pmf_excel.workbooks.directorate_return import COL, FIRST_ROW, MEASURES_SHEET, write_returns
    from pmf_excel.workbooks.return_reader import read_return

    def measure(ref, target, tolerance="5%", measure_class=""):
        return MeasureDefinition(ref=ref, printed_ref=ref, indicator=ref, outcome="Outcome", directorate="Place",
                                 polarity="Bigger is better", target=target, tolerance=tolerance,
                                 measure_class=measure_class)

    catalogue = Catalogue(source="test", measures=[
        measure("P1", "1,200 tonnes (300 tonnes - Q1 profile)"), measure("C1", "100", measure_class="Vital sin"),
        measure("W1", "100", tolerance="close to target"), measure("OK", "100")])
    policy = shipped("quarterly_profile.toml").model_copy(update={"classes": shipped("vital_signs.toml").classes})
    with pytest.raises(PMFValueError, match="close to target"):  # no return can be written for W1 under it
        write_returns(catalogue, "2024/25 Q2", tmp_path / "all", policy=policy)
    writable = catalogue.model_copy(update={"measures": [m for m in catalogue.measures if m.ref != "W1"]})
    [path] = write_returns(writable, "2024/25 Q2", tmp_path, policy=policy)
    book = openpyxl.load_workbook(path)
    sheet = book[MEASURES_SHEET]
    for row in range(FIRST_ROW + 1, sheet.max_row + 1):
        sheet.cell(row, COL["Performance this quarter"] + 1).value = 290
    book.save(path)
    returned, _ = read_return(path)
    accepted, _ = accept_returns(catalogue, "2024/25 Q2", [returned])
    measures, _, findings = judge_returns(catalogue, "2024/25 Q2", accepted, policy=policy)
    messages: dict[str, str] = {}
    for finding in findings:
        messages[finding.ref] = messages.get(finding.ref, "") + finding.message + "\n"
    assert ("The target's profile is for Q1, but the figure is for 2024/25 Q2: give the quarter's own profile in the "
            "catalogue's target.") in messages["P1"]
    assert "The class 'Vital sin' is not one the policy" in messages["C1"] and "(Vital sign)" in messages["C1"]
    assert messages["W1"].startswith("Under Judged against the quarter's profile v1 this measure cannot be judged")
    assert {m.ref: m.rag for m in measures} == {"P1": "Amber", "C1": "Green", "W1": None, "OK": "Green"}
