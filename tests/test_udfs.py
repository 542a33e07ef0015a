"""The Excel functions called through xlwings' server protocol, with the payloads Excel sends."""

import asyncio

import pytest
import xlwings
from hypothesis import given, settings
from hypothesis import strategies as st
from xlwings import server

import udfs.pmf_functions as functions
from pmf_excel import assess, rag

VALUE_ERROR = {"type": "Error", "errorType": "Value"}
NA_ERROR = {"type": "Error", "errorType": "NotAvailable"}
FUNCTIONS = {"PMF_RAG": 8, "PMF_DOT": 4, "PMF_TREND": 3, "PMF_BREACH": 8, "PMF_STATUS": 2, "PMF_VALUE": 1,
             "PMF_EXPLAIN": 8}


def grid(value):
    """A cell or range as Office.js sends it: always rows of cells, blanks as None."""
    if isinstance(value, list):
        return value if value and isinstance(value[0], list) else [[v] for v in value]
    return [[value]]


def call(name, *args, runtime="1.4"):
    data = {"func_name": name.lower(), "args": [grid(a) for a in args], "caller_address": "Sheet1!H5",
            "version": xlwings.__version__, "client": "Office.js", "runtime": runtime,
            "culture_info_name": "en-GB", "date_format": "dd/mm/yyyy"}
    return asyncio.run(server.custom_functions_call(data, functions))


def test_meta_names_describes_every_function_and_argument():
    meta = server.custom_functions_meta(functions)
    by_name = {f["name"]: f for f in meta["functions"]}
    assert set(by_name) == set(FUNCTIONS)
    for name, arity in FUNCTIONS.items():
        described = by_name[name]
        assert described["description"] and not described["description"].startswith("Positional")
        assert len(described["parameters"]) == arity
        for parameter in described["parameters"]:
            assert len(parameter["description"]) > 20, (name, parameter)
            assert parameter["dimensionality"] == "matrix"
    assert [p["name"] for p in by_name["PMF_RAG"]["parameters"]] == ["performance", "target", "tolerance", "polarity",
                                                                     "policy", "last_year", "forecast",
                                                                     "measure_class"]
    assert [p["name"] for p in by_name["PMF_DOT"]["parameters"]] == ["current", "previous", "polarity", "policy"]
    assert [p.get("optional") for p in by_name["PMF_RAG"]["parameters"]] == [None] * 4 + [True] * 4
    assert meta["allowErrorForDataTypeAny"]


def test_single_cells():
    assert call("PMF_RAG", "77%", "<70%", "70.1%-75%", "Smaller is better") == [["Red"]]
    assert call("PMF_DOT", "1 min 27 secs", "1 min 9 secs", "Smaller is better") == [["Worsening"]]
    assert call("PMF_BREACH", "77%", "<70%", "70.1%-75%", "Smaller is better") == [[True]]
    assert call("PMF_STATUS", "Medium Issue/Slippage") == [["Amber"]]
    assert call("PMF_VALUE", "71%") == [[0.71]]
    assert call("PMF_EXPLAIN", "77%", "<70%", "70.1%-75%", "Smaller is better") == [[
        "Red: 77% is worse than the target <70% and outside the tolerance 70.1%–75%."]]


def test_a_column_with_blanks_numbers_text_and_error_values_spills_in_shape():
    performance = [0.71, "71%", None, "NA", "17,6 %", VALUE_ERROR | {"basicValue": "#VALUE!"}, 0.9, None]
    target = ["86%", 0.86, "86%", "86%", "86%", "86%", "86%", None]
    result = call("PMF_RAG", performance, target, "5%", "Bigger is better")
    assert result == [["Red"], ["Red"], ["No data"], ["No data"], [VALUE_ERROR], [VALUE_ERROR], ["Green"],
                      ["No target"]]
    breach = call("PMF_BREACH", performance, target, "5%", "Bigger is better")
    assert breach == [[True], [True], [""], [""], [VALUE_ERROR], [VALUE_ERROR], [False], [""]]


def test_blank_in_gives_blank_out():
    assert call("PMF_RAG", [None, "77%"], [None, "<70%"], [None, "5%"], [None, "Smaller is better"]) == [
        [""], ["Red"]]
    assert call("PMF_VALUE", [[None, "NA"], ["71%", None]]) == [["", ""], [0.71, ""]]
    assert call("PMF_STATUS", [None, "On Track"]) == [[""], ["Green"]]


def test_two_dimensional_ranges_keep_their_shape():
    current = [["77%", "76%"], ["82%", None]]
    previous = [["76%", "76%"], ["77%", "77%"]]
    assert call("PMF_DOT", current, previous, "Smaller is better") == [
        ["Worsening", "No change"], ["Worsening", "Not comparable"]]


def test_ranges_of_different_sizes_behave_like_excel_arrays():
    assert call("PMF_RAG", ["77%", "69%", "74%"], ["<70%", "<70%"], "70.1%-75%", "Smaller is better") == [
        ["Red"], ["Green"], [NA_ERROR]]


def test_percent_cells_and_typed_text_agree_and_values_are_what_excel_holds():
    assert call("PMF_RAG", [0.71, "71%"], "86%", [0.05, "5%"], "Bigger is better") == [["Red"], ["Red"]]
    values = call("PMF_VALUE", ["71%", "1 min 27 secs", "£207k Annual Deficit", "163,278 (321,009 cumulative)",
                                "TBC", "Completed"])
    assert values[0] == [0.71]
    assert values[1][0] == pytest.approx(87 / 86_400)
    assert values[2:] == [[-207_000.0], [163_278.0], [""], [VALUE_ERROR]]
    excel_time = 87 / 86_400
    assert call("PMF_RAG", excel_time, "30 seconds", "5%", "Smaller is better") == [["Red"]]


def test_explain_says_why_a_cell_is_an_error():
    [[reason]] = call("PMF_EXPLAIN", "17,6 %", "20%", "5%", "Bigger is better")
    assert reason.startswith('"17,6 %" is not a value the framework can read.')
    [[reason]] = call("PMF_EXPLAIN", VALUE_ERROR | {"basicValue": "#DIV/0!"}, "20%", "5%", "Bigger is better")
    assert '"#DIV/0!"' in reason


def test_older_runtimes_get_the_error_as_text():
    assert call("PMF_RAG", "xx", "86%", "5%", "Bigger is better", runtime="1.3") == [["#VALUE!"]]


def test_functions_agree_with_the_engine_on_real_rows():
    rows = [("71% (30th Sep 2023)", "86%", "5%", "Bigger is better"),
            ("54.4", "45", "45.1 to 55", "Smaller is better"),
            ("1023", "900-1200", "<>10% of the range", "NA - dependent"),
            ("1167", "ТВС", "5%", "Bigger is better"),
            ("£207k Annual Deficit", "£740k Annual Surplus", "5%", "Bigger is better")]
    columns = [list(c) for c in zip(*rows)]
    assert call("PMF_RAG", *columns) == [[rag(*row)] for row in rows]
    assert call("PMF_EXPLAIN", *columns) == [[assess(*row).reason] for row in rows]


cell = st.one_of(st.none(), st.text(max_size=12), st.floats(allow_nan=False, allow_infinity=False),
                 st.sampled_from(["71%", "<70%", "5%", "Bigger is better", "NA", VALUE_ERROR | {"basicValue": "#N/A"}]))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(cell, min_size=1, max_size=3), min_size=1, max_size=3), cell, cell, cell)
def test_no_input_ever_puts_a_traceback_in_a_cell(performance, target, tolerance, polarity):
    width = len(performance[0])
    performance = [(row + [None] * width)[:width] for row in performance]
    for name in FUNCTIONS:
        args = [performance, target, tolerance, polarity][:FUNCTIONS[name]]
        result = call(name, *args)
        answers = 1 if name == "PMF_TREND" else width  # a trend is one answer per row of figures
        assert len(result) == len(performance) and all(len(row) == answers for row in result)
        for row in result:
            for value in row:
                assert value in ("", True, False) or isinstance(value, (str, float, dict))
                if isinstance(value, str) and name != "PMF_EXPLAIN":
                    assert "Traceback" not in value and "Error" not in value


def test_a_one_row_range_spills_as_a_row():
    assert call("PMF_RAG", [["77%", "69%", None]], "<70%", "70.1%-75%", "Smaller is better") == [
        ["Red", "Green", "No data"]]


def test_cells_from_every_runtime_are_made_plain():
    from pmf_excel.rules.cells import as_grid

    class JsNull:  # Pyodide's null, as xlwings Lite passes an empty cell
        pass

    com_value_error = -2146826273  # desktop Excel's #VALUE! through COM
    assert as_grid(((0.71, ""), (com_value_error, JsNull()))) == [[0.71, None], ["#VALUE!", None]]
    assert as_grid({"type": "Error", "basicValue": "#N/A"}) == [["#N/A"]]


def test_the_functions_take_a_policy_by_name_or_as_a_rules_range():
    from pmf_excel.rules.policy import DEFAULT_POLICY, policy_rows

    # B8c: Red by its tolerance; it improved on last year, so a DOT-aware council makes it Amber
    args = ("70%", "80%", "5%", "Bigger is better")
    assert call("PMF_RAG", *args) == [["Red"]]
    assert call("PMF_RAG", *args, "DOT-aware", "60%") == [["Amber"]]
    assert call("PMF_BREACH", *args, "DOT-aware", "75%") == [[True]]
    rules = [row[:2] for row in policy_rows(DEFAULT_POLICY.model_copy(update={"no_target_name": "Not set",
                                                                              "no_change_band": 0.05}))]
    assert call("PMF_RAG", "70%", "TBC", "5%", "Bigger is better", rules) == [["Not set"]]
    assert call("PMF_DOT", "103", "100", "Bigger is better", rules) == [["No change"]]
    assert call("PMF_DOT", "103", "100", "Bigger is better") == [["Improving"]]
    assert call("PMF_RAG", *args, "Strictest") == [[{"type": "Error", "errorType": "Value"}]]
    explained = call("PMF_EXPLAIN", *args, "Strictest")[0][0]  # every shipped policy is named, the default first
    assert "Expected one of PMF default, " in explained and "DOT-aware" in explained
