"""Policies in the corporate workbook: the Rules sheet judges the quarter being consolidated, History keeps
which policy judged each quarter, and re-judging a past quarter is explicit."""

import shutil
from pathlib import Path

import openpyxl
import pytest
from xlsxwriter.utility import xl_col_to_name

from pmf_excel.cli import main
from pmf_excel.pipelines.consolidate import ConsolidationBlocked, consolidate
from pmf_excel.rules.policy import DEFAULT_POLICY, builtin_policies
from pmf_excel.samples.build import sample_catalogue
from pmf_excel.samples.judged_report import MeasureNotes, judge_report
from pmf_excel.samples.seed_reports import read_indicator_report
from pmf_excel.workbooks.directorate_return import write_returns
from pmf_excel.workbooks.history_sheets import read_history
from pmf_excel.workbooks.rules_sheet import RULES_SHEET, read_rules
from pmf_excel.samples.sources import INDICATOR_REPORT, MEASURE_NOTES

Q1, Q2 = "2023/24 Q1", "2023/24 Q2"
DOT_AWARE = builtin_policies()["dot-aware"]


@pytest.fixture(scope="module")
def two_quarters(tmp_path_factory):
    folder = tmp_path_factory.mktemp("policy")
    catalogue = sample_catalogue()
    published = {row.ref: row for row in read_indicator_report(INDICATOR_REPORT)}
    as_q1 = {ref: row.model_copy(update={"performance": row.last_quarter, "last_quarter": "", "last_year": ""})
             for ref, row in published.items()}
    write_returns(catalogue, Q1, folder / "q1", figures=as_q1, filled=True)
    write_returns(catalogue, Q2, folder / "q2", figures=published, filled=True)
    workbook = folder / "Corporate.xlsx"
    consolidate(folder / "q1", workbook, catalogue, Q1)
    consolidate(folder / "q2", workbook, catalogue, Q2)
    return folder, workbook, catalogue


def _set_rules(workbook: Path, **settings: object) -> None:
    book = openpyxl.load_workbook(workbook)
    sheet = book[RULES_SHEET]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value in settings:
            row[1].value = settings[row[0].value]
    book.save(workbook)


def test_the_workbook_carries_the_rules_it_was_judged_by(two_quarters):
    _, workbook, _ = two_quarters
    assert read_rules(workbook) == DEFAULT_POLICY
    assert {row.policy for row in read_history(workbook).measures if row.why != "Corporate Plan action: its status"} \
        == {"PMF default v1"}


def test_changing_the_rules_sheet_rejudges_the_current_quarter_only(two_quarters, tmp_path):
    folder, original, catalogue = two_quarters
    workbook = tmp_path / "Corporate.xlsx"
    shutil.copy(original, workbook)
    before = read_history(workbook).measures
    _set_rules(workbook, name="DOT-aware", dot_aware_rag="Yes", version=1)
    consolidate(folder / "q2", workbook, catalogue, Q2)
    after = read_history(workbook).measures
    assert [row for row in after if row.quarter == Q1] == [row for row in before if row.quarter == Q1]
    measures = {row.ref: row for row in after if row.quarter == Q2 and row.why != "Corporate Plan action: its status"}
    assert {row.policy for row in measures.values()} == {"DOT-aware v1"}
    assert {row.policy for row in after if row.quarter == Q1 and row.policy} == {"PMF default v1"}
    # the same rows change as when the published report is re-judged under the same policy (test_policies.py)
    printed = {row.ref: row for row in judge_report(INDICATOR_REPORT, MeasureNotes.load(
        MEASURE_NOTES), DOT_AWARE)}
    by_printed = {m.printed_ref.strip(): m.ref for m in catalogue.measures}
    for ref in ("B8c", "B12b", "E7a", "O8f", "B3d", "B6a", "O11c"):
        assert measures[by_printed.get(ref, ref)].rag == printed[ref].rag, ref
    old = {row.ref: row.rag for row in before if row.quarter == Q2}
    assert old["B8c"] == "Red" and measures["B8c"].rag == "Amber"  # improved on last year: softened


def test_rejudging_a_past_quarter_reports_and_writes_nothing(two_quarters, capsys):
    _, workbook, _ = two_quarters
    before = workbook.read_bytes()
    assert main(["rejudge", "--workbook", str(workbook), "--quarter", Q2, "--policy", "DOT-aware"]) == 0
    out = capsys.readouterr().out
    # the 21 measures test_policies.py finds in the printed report, and C14's detritus line, which changes while
    # the measure as a whole (its worst part) stays Red
    assert out.startswith(f"{Q2} re-judged under DOT-aware v1: 22 verdict(s) would change.")
    assert "C14/ NI195a,b,c,d › detritus  RAG: Red (PMF default v1) -> Amber" in out
    assert "  B8c  RAG: Red (PMF default v1) -> Amber" in out and "  B3d  RAG: Amber (PMF default v1) -> Red" in out
    assert workbook.read_bytes() == before
    assert main(["rejudge", "--workbook", str(workbook), "--quarter", Q2]) == 0
    assert "0 verdict(s) would change" in capsys.readouterr().out  # its own rules reproduce History


def test_a_policy_given_on_the_command_line_is_written_to_the_rules_sheet(two_quarters, tmp_path):
    folder, original, catalogue = two_quarters
    workbook = tmp_path / "Corporate.xlsx"
    shutil.copy(original, workbook)
    assert main(["consolidate", str(folder / "q2"), "--workbook", str(workbook), "--quarter", Q2,
                 "--policy", "Ten percent, average trend"]) == 0
    assert read_rules(workbook) == builtin_policies()["ten percent, average trend"]
    assert main(["consolidate", str(folder / "q2"), "--workbook", str(workbook), "--quarter", Q2,
                 "--policy", "strictest"]) == 2


def test_rules_that_cannot_be_read_stop_the_consolidation_before_anything_is_written(two_quarters, tmp_path):
    folder, original, catalogue = two_quarters
    workbook = tmp_path / "Corporate.xlsx"
    shutil.copy(original, workbook)
    _set_rules(workbook, tolerance_meaning="half of it")
    before = workbook.read_bytes()
    with pytest.raises(ConsolidationBlocked, match="tolerance_meaning.*'half of it'.*Nothing was changed"):
        consolidate(folder / "q2", workbook, catalogue, Q2)
    assert workbook.read_bytes() == before


@pytest.mark.parametrize("name", ["DOT-aware", "Ten percent, average trend"])
def test_the_report_formulas_follow_the_policy(two_quarters, tmp_path, name):
    """Under another policy the report's native formulas follow it, so recalculating them gives the
    consolidation's verdicts: a DOT-aware RAG reads the long-term direction; an average trend compares with the
    average of History's figures (a hidden column), a change within the no-change band being No change."""
    from pmf_excel.workbooks.corporate.indicators import COL
    from tests.conftest import evaluate_pmf_cells

    folder, original, catalogue = two_quarters
    workbook = tmp_path / "Corporate.xlsx"
    shutil.copy(original, workbook)
    consolidate(folder / "q2", workbook, catalogue, Q2, policy=builtin_policies()[name.casefold()])
    sheet = openpyxl.load_workbook(workbook)["Indicators by outcome"]
    formulas = {name: [cell for (cell,) in sheet.iter_rows(min_row=4, min_col=COL[name] + 1, max_col=COL[name] + 1,
                                                          values_only=True)
                       if str(cell).startswith("=IF(") and "COUNTIF" not in cell]  # a part's; not the worst of parts
                for name in ("RAG", "DOT long term")}
    assert evaluate_pmf_cells(workbook, "Indicators by outcome", "=IF(") > 400
    if name == "DOT-aware":
        assert len(formulas["RAG"]) > 100 and all('="Improving","Amber","Red")' in f for f in formulas["RAG"])
    else:
        basis = xl_col_to_name(COL["Long-term basis"])
        assert len(formulas["DOT long term"]) > 100
        assert all(basis in f and "0.02*ABS(" in f for f in formulas["DOT long term"])


def test_renamed_grey_states_show_in_the_report(two_quarters, tmp_path):
    from python_calamine import CalamineWorkbook

    folder, original, catalogue = two_quarters
    workbook = tmp_path / "Corporate.xlsx"
    shutil.copy(original, workbook)
    renamed = DEFAULT_POLICY.model_copy(update={"name": "Plain words", "no_target_name": "Not set",
                                                "no_data_name": "Awaiting data"})
    consolidate(folder / "q2", workbook, catalogue, Q2, policy=renamed)
    book = CalamineWorkbook.from_path(str(workbook))
    dashboard = book.get_sheet_by_name("Dashboard").to_python()
    assert ["Strategic outcome", "Green", "Amber", "Red", "Not set", "Awaiting data"] == dashboard[4][:6]
    rags = {row[12] for row in book.get_sheet_by_name("Indicators by outcome").to_python()[3:] if row[0]}
    assert {"Not set", "Awaiting data"} <= rags and not {"No target", "No data"} & rags
