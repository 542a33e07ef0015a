"""The Excel functions' cells (pmf_excel/rules/cells.py): the edges the mutation run found no test pinning."""

import datetime as dt

import pytest

from pmf_excel.rules import cells
from pmf_excel.rules.errors import PMFValueError
from pmf_excel.rules.policy import DEFAULT_POLICY

RULES = [["name", "Ten percent"], ["version", "2"], ["uniform_tolerance", "10%"]]


def test_ranges_of_different_widths_answer_na_beyond_the_narrower_ones_edge():
    answers = cells.rag_cells([[0.7, 0.9], [0.9, 0.5]], [["86%", "86%", "86%"]] * 2, "5%", "Bigger is better")
    assert answers == [["Red", "Green", "#N/A"], ["Green", "Red", "#N/A"]]
    assert cells.dot_cells([[0.7, 0.9], [0.5, 0.5]], [[0.6, 0.6, 0.6]] * 2, "Bigger is better") == [
        ["Improving", "Improving", "#N/A"], ["Worsening", "Worsening", "#N/A"]]


def test_a_rules_range_reads_the_same_with_or_without_its_header_row():
    plain, headed = cells.policy_of(RULES), cells.policy_of([["Setting", "Value"], *RULES])
    assert plain == headed
    assert (plain.name, plain.version, plain.uniform_tolerance) == ("Ten percent", 2, "10%")


def test_every_desktop_excel_error_code_is_read_as_its_error_text():
    codes = {-2146826281: "#DIV/0!", -2146826246: "#N/A", -2146826259: "#NAME?", -2146826288: "#NULL!",
             -2146826252: "#NUM!", -2146826265: "#REF!", -2146826273: "#VALUE!"}
    assert {code: cells.plain(code) for code in codes} == codes

WORDS = "Yellow and getting better"
OURS = [["name", "Ours"], ["version", "1"], ["no_data_name", "Awaited"], ["no_target_name", "Unset"]]
NO_POLICY = ('"Nope" is not a policy the framework can read. Expected one of PMF default, Yellow and getting better, '
             "Direction-aware outside tolerance, DOT-aware, Amber by year-end forecast, Within 5% green, 5-10% "
             "amber, Officer judges amber, Judged against the quarter's profile, Ten percent, average trend, "
             "Direction by trend over five quarters, Vital signs 5%, the rest 10%, or a Rules range.")


def test_rag_cells_name_each_state_as_the_policy_does_and_leave_errors_as_they_are():
    assert cells.rag_cells([[0.84], [0.7], ["x"]], "86%", "5%", "Bigger is better", WORDS) == [
        ["Yellow"], ["Red"], ["#VALUE!"]]
    assert cells.rag_cells([["", 0.9, 0.5]], ["86%", "NA", "86%"], "5%", "Bigger is better", OURS) == [
        ["Awaited", "Unset", "Red"]]


def test_a_dot_aware_policy_colours_a_missed_target_by_last_years_figure_in_every_function():
    last_year = [[0.8], [0.9]]
    args = ([[0.84], [0.84]], "86%", "5%", "Bigger is better", "DOT-aware")
    assert cells.rag_cells(*args, last_year=last_year) == [["Amber"], ["Red"]]
    assert cells.breach_cells(*args, last_year=last_year) == [[False], [True]]
    assert cells.explain_cells(*args, last_year=last_year)[0][0].startswith(
        "Amber: 84% is worse than the target 86%, and improved on the long-term comparison")


def test_a_forecast_policy_colours_a_missed_target_by_the_forecast_in_every_function():
    forecast = [[0.9], [0.8]]
    args = ([[0.84], [0.84]], "86%", "5%", "Bigger is better", "Amber by year-end forecast")
    assert cells.rag_cells(*args, forecast=forecast) == [["Amber"], ["Red"]]
    assert cells.breach_cells(*args, forecast=forecast) == [[False], [True]]
    assert cells.explain_cells(*args, forecast=forecast)[0][0].startswith(
        "Amber: 84% is worse than the target 86%, and the year-end forecast 90% meets the target")


def test_the_default_policy_ignores_last_year_and_forecast_for_the_rag():
    args = ([[0.84]], "86%", "5%", "Bigger is better")
    assert cells.rag_cells(*args, last_year=[[0.8]], forecast=[[0.9]]) == [["Amber"]]
    assert cells.breach_cells([[0.8]], "86%", "5%", "Bigger is better", last_year=[[0.7]], forecast=[[0.9]]) == [
        [True]]


def test_each_row_takes_its_measure_classs_settings_in_every_function():
    args = ([[0.93], [0.93], [0.93]], "100%", "", "Bigger is better", "Vital signs 5%, the rest 10%")
    classes = [["Vital sign"], ["Other"], [None]]
    assert cells.rag_cells(*args, measure_class=classes) == [["Red"], ["Amber"], ["Amber"]]
    assert cells.breach_cells(*args, measure_class=classes) == [[True], [False], [False]]
    assert cells.explain_cells(*args, measure_class=classes) == [
        ["Red: 93% is worse than the target 100% and outside the tolerance 5% of the target (down to 95%)."],
        ["Amber: 93% is worse than the target 100% but within the tolerance 10% of the target (down to 90%)."],
        ["Amber: 93% is worse than the target 100% but within the tolerance 10% of the target (down to 90%)."]]


def test_rows_all_of_one_class_take_that_classs_settings():
    args = ([[0.93], [0.93]], "100%", "", "Bigger is better", "Vital signs 5%, the rest 10%")
    assert cells.rag_cells(*args, measure_class=[["Vital sign"], ["Vital sign"]]) == [["Red"], ["Red"]]
    assert cells.rag_cells(*args, measure_class="Vital sign") == [["Red"], ["Red"]]
    assert cells.breach_cells(*args, measure_class="Vital sign") == [[True], [True]]


def test_a_measure_class_given_as_a_number_is_its_name_as_text():
    policy = [["name", "Ours"], ["version", "1"], ["uniform_tolerance", "10%"], ["class: 1: tolerance", "5%"]]
    assert cells.rag_cells([[0.93], [0.93]], "100%", "", "Bigger is better", policy, measure_class=[[1], [2]]) == [
        ["Red"], ["Amber"]]


def test_an_unknown_policy_is_value_in_every_cell_of_the_answer_and_its_reason_for_explain():
    for answer in (cells.rag_cells([[0.8], [1]], "86%", "5%", "Bigger is better", "Nope"),
                   cells.breach_cells([[0.8], [1]], "86%", "5%", "Bigger is better", "Nope"),
                   cells.dot_cells([[1], [2]], 1, "Bigger is better", "Nope"),
                   cells.status_cells([["On Track"], ["x"]], "Nope"),
                   cells.trend_cells([[1, 2], [3, 4]], "Bigger is better", "Nope")):
        assert answer == [["#VALUE!"], ["#VALUE!"]]
    assert cells.explain_cells([[0.8, 1]], "86%", "5%", "Bigger is better", "Nope") == [[NO_POLICY, NO_POLICY]]
    with pytest.raises(PMFValueError) as raised:
        cells.policy_of("Nope")
    assert (raised.value.what, raised.value.text) == ("a policy", "Nope")


def test_a_blank_policy_argument_is_the_default_policy():
    for blank in (None, "", [[None]]):
        assert cells.policy_of(blank) is DEFAULT_POLICY


def test_a_one_row_or_one_column_rules_range_is_read_as_rules_not_as_a_name():
    with pytest.raises(PMFValueError, match="the policy range"):
        cells.policy_of([["Setting", "Value"]])
    assert cells.policy_of([["name", "Ours"], ["version", "1"], ["description", None]]).description == ""


def test_statuses_take_the_policys_own_status_list():
    policy = [["name", "Ours"], ["version", "1"], ["status: Fine", "Green"], ["status: Late", "Red"]]
    assert cells.status_cells([["Fine"], ["Late"], ["On Track"]], policy) == [["Green"], ["Red"], ["#VALUE!"]]


def test_trend_cells_fit_each_row_oldest_first_in_the_policys_words():
    assert cells.trend_cells([[1, 2, 3, 4], [4, 3, 2, 1], [None] * 4, [1, 2, 3, "x"]],
                             [["Bigger is better"]] * 4) == [["Improving"], ["Worsening"], [""], ["#VALUE!"]]
    assert cells.trend_cells([[1, 2, 3, 4], [4, 3, 2, 1]], "Smaller is better", WORDS) == [
        ["Getting worse"], ["Getting better"]]


def test_trend_cells_take_each_rows_own_polarity_and_na_beyond_the_polarities():
    assert cells.trend_cells([[1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4]],
                             [["Bigger is better"], ["Smaller is better"]]) == [["Improving"], ["Worsening"], ["#N/A"]]


def test_trend_cells_fit_every_earlier_figure_and_take_the_last_as_this_periods():
    assert cells.trend_cells([[1, 9, 5, 1]], "Bigger is better") == [["Worsening"]]


def test_office_js_cells_are_read_as_their_values_and_error_cells_as_their_error_text():
    assert cells.plain({"type": "Error", "basicValue": "#REF!"}) == "#REF!"
    assert cells.plain({"type": "Error", "errorType": "Div0"}) == "#Div0!"
    assert cells.plain({"type": "Error"}) == "#VALUE!"
    assert cells.plain({"type": "Double", "basicValue": 3.5}) == 3.5
    assert cells.plain({"type": "Double", "basicValue": "#REF!"}) == "#REF!"
    assert cells.plain("") is None and cells.plain("x") == "x" and cells.plain(7) == 7


def test_blank_rows_stay_blank_and_a_missing_figure_holds_a_blank():
    assert cells.rag_cells([[None], [0.9]], [[None], ["86%"]], [[None], ["5%"]], [[None], ["Bigger is better"]]) \
        == [[""], ["Green"]]
    assert cells.value_cells([["71%", "NA", None, "x"]]) == [[0.71, "", "", "#VALUE!"]]
    assert cells.status_cells([["On Track"], [None], ["  "]]) == [["Green"], [""], [""]]
    assert cells.status_cells([["On Track", "x"]], [[None]]) == [["Green", "#VALUE!"]]


def test_a_ragged_range_answers_na_where_a_row_is_short():
    assert cells.rag_cells([[0.9, 0.9], [0.9]], "86%", "5%", "Bigger is better") == [["Green", "Green"],
                                                                                     ["Green", "#N/A"]]
    assert cells.explain_cells([[0.9], [0.9]], [["86%"], ["86%"], ["86%"]], "5%", "Bigger is better")[2] == ["#N/A"]


def test_a_breach_takes_the_tolerance_of_its_row():
    assert cells.breach_cells([[0.84], [0.8]], "86%", [["5%"], ["5%"]], "Bigger is better") == [[False], [True]]
    assert cells.breach_cells([[0.84]], "86%", "NA", "Bigger is better") == [[True]]


def test_trend_cells_answer_na_for_every_row_beyond_the_polarities():
    rows = [[1, 2, 3, 4]] * 4
    assert cells.trend_cells(rows, [["Bigger is better"], ["Smaller is better"]]) == [
        ["Improving"], ["Worsening"], ["#N/A"], ["#N/A"]]


def test_trend_cells_apply_the_policys_no_change_band():
    rows = [[100, 100.5, 101, 101.5]]
    assert cells.trend_cells(rows, "Bigger is better") == [["Improving"]]
    assert cells.trend_cells(rows, "Bigger is better", "Direction by trend over five quarters") == [["No change"]]


def test_a_rules_ranges_numbers_dates_and_odd_cells_read_as_their_text():
    policy = cells.policy_of([["name", "X"], ["version", 2.0], ["description", dt.date(2024, 1, 2)]])
    assert (policy.version, policy.description) == (2, "2024-01-02")
    assert cells.policy_of([["name", "X"], ["version", 1], ["description", ["a"]]]).description == "['a']"


def test_a_blank_class_takes_the_policys_own_settings_even_beside_a_class_called_none():
    policy = [["name", "X"], ["version", "1"], ["uniform_tolerance", "10%"], ["class: None: tolerance", "5%"]]
    args = ([[0.93], [0.93]], "100%", "", "Bigger is better", policy)
    assert cells.rag_cells(*args, measure_class=[[None], ["None"]]) == [["Amber"], ["Red"]]
    assert cells.explain_cells(*args, measure_class=[[None], ["None"]])[0][0].startswith("Amber: ")


def test_a_whole_number_in_a_rules_range_reads_as_its_digits():
    assert cells.policy_of([["name", "X"], ["version", 1], ["no_target_name", 7.0]]).no_target_name == "7"
