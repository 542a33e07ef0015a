"""The Excel functions' cells (pmf_excel/rules/cells.py): the edges the mutation run found no test pinning."""

from pmf_excel.rules import cells

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
