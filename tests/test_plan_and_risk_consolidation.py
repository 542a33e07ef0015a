"""Consolidating the Improvement Plan and the risk register: 002 §10.4 reproduced, quarters kept, bad cells named."""

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from pmf_excel.framework.improvement_plan import read_change_summary, read_report_change_summary
from pmf_excel.pipelines.consolidate import consolidate
from pmf_excel.pipelines.rollover import roll_over
from pmf_excel.samples.build import sample_catalogue, sample_plan, sample_register
from pmf_excel.workbooks.history_sheets import read_history
from pmf_excel.workbooks.improvement_plan_sheets import CHANGES_SHEET, EXCEPTIONS_SHEET, PLAN_SHEET, RCOL
from pmf_excel.workbooks.risk_sheets import RCOL as RISK_COL
from pmf_excel.workbooks.risk_sheets import REGISTER_SHEET, RISKS_SHEET

ROOT = Path(__file__).resolve().parent.parent
SEED_002 = Path("/work/shared/seeds/002_e176224be10727a0.txt")
Q2, Q3 = "2023/24 Q2", "2023/24 Q3"
PLAN_AND_RISK_SHEETS = (PLAN_SHEET, EXCEPTIONS_SHEET, CHANGES_SHEET, REGISTER_SHEET, "Improvement Plan history",
                        "Risk history")


@pytest.fixture(scope="module")
def catalogue():
    return sample_catalogue()


@pytest.fixture()
def returns(tmp_path):
    folder = tmp_path / "returns"
    shutil.copytree(ROOT / "samples" / "returns" / "2023-24 Q2", folder)
    return folder


def sheets(workbook: Path, names=PLAN_AND_RISK_SHEETS) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_path(str(workbook))
    return {name: book.get_sheet_by_name(name).to_python() for name in names}


def quality(workbook: Path) -> list[dict]:
    rows = CalamineWorkbook.from_path(str(workbook)).get_sheet_by_name("Data quality").to_python()
    return [dict(zip(rows[2], row)) for row in rows[3:]]


def test_the_quarters_changes_are_002s_summary(tmp_path, returns, catalogue):
    workbook = tmp_path / "Corporate.xlsx"
    consolidate(returns, workbook, catalogue, Q2)
    changes = sheets(workbook)[CHANGES_SHEET]
    summary_lines = [row[0].removeprefix("• ") for row in changes if str(row[0]).startswith("• ")]
    assert read_change_summary("\n".join(summary_lines)) == read_report_change_summary(SEED_002)
    header = next(i for i, row in enumerate(changes) if row[0] == "Change")
    logged = [row for row in changes[header + 1:] if row[0]]
    assert sum(row[0] == "Timescale change" for row in logged) == 3
    assert [row[1] for row in logged if row[8] == "Yes"] == ["SD1.1"]  # the one moved more than three months
    assert sum(row[0] == "Action added" for row in logged) == 8


def test_the_monitoring_tool_shows_every_action_by_theme_and_marks_the_added_ones(tmp_path, returns, catalogue):
    workbook = tmp_path / "Corporate.xlsx"
    consolidate(returns, workbook, catalogue, Q2)
    tool = sheets(workbook)[PLAN_SHEET]
    header = next(i for i, row in enumerate(tool) if row[:2] == ["Ref", "Workstream"])
    rows = [row for row in tool[header + 1:] if row[0] and not str(row[0]).endswith(" theme")]
    assert sorted(row[0] for row in rows) == sorted(a.ref for a in sample_plan().actions)
    assert sorted(row[0] for row in rows if row[10] == "New this quarter") == sorted(
        a.ref for a in sample_plan().actions if a.added_in == Q2)
    exceptions = sheets(workbook)[EXCEPTIONS_SHEET]
    not_on_track = {u.ref for u in sample_plan().returns[Q2]
                    if u.status not in ("On Track", "Complete")}
    assert {row[0] for row in exceptions[3:] if row[0]} == not_on_track
    assert all(row[7] and not row[7].startswith("No reason given") for row in exceptions[3:] if row[0])


def test_a_second_consolidation_of_the_quarter_changes_nothing(tmp_path, returns, catalogue):
    workbook = tmp_path / "Corporate.xlsx"
    consolidate(returns, workbook, catalogue, Q2)
    first = sheets(workbook)
    consolidate(returns, workbook, catalogue, Q2)
    assert sheets(workbook) == first


def test_the_next_quarter_keeps_the_earlier_one_and_starts_from_its_review(tmp_path, returns, catalogue):
    workbook = tmp_path / "Corporate.xlsx"
    consolidate(returns, workbook, catalogue, Q2)
    q2 = read_history(workbook)
    q3_returns = tmp_path / "q3"
    roll_over(catalogue, q2, Q3, q3_returns)
    consolidate(q3_returns, workbook, catalogue, Q3)
    history = read_history(workbook)
    assert [row for row in history.plan if row.quarter == Q2] == q2.plan
    assert [row for row in history.risks if row.quarter == Q2] == q2.risks
    assert {row.quarter for row in history.plan} == {row.quarter for row in history.risks} == {Q2, Q3}
    # rolled over: the leads, due dates and ratings the Q2 review left, so nothing changed in Q3
    q3_plan = {row.ref: row for row in history.plan if row.quarter == Q3}
    assert all((q3_plan[row.ref].lead, q3_plan[row.ref].due, q3_plan[row.ref].status)
               == (row.lead, row.due, row.status) for row in q2.plan)
    changes = sheets(workbook)[CHANGES_SHEET]
    assert changes[2][0] == "• No changes to the plan this quarter."
    q3_risks = {row.ref: row for row in history.risks if row.quarter == Q3}
    assert all(q3_risks[row.ref].direction == "Unchanged" for row in q2.risks)
    register = sheets(workbook)[REGISTER_SHEET]
    assert ["No changes since the last review."] == [row[0] for row in register if
                                                    row[0] == "No changes since the last review."]


def test_q2_risks_are_scored_against_the_catalogues_last_review(tmp_path, returns, catalogue):
    workbook = tmp_path / "Corporate.xlsx"
    consolidate(returns, workbook, catalogue, Q2)
    rows = {row.ref: row for row in read_history(workbook).risks}
    for risk, update in zip(sample_register().risks, sample_register().returns[Q2]):
        assert rows[risk.ref].score == update.likelihood * update.impact
        before, after = risk.likelihood * risk.impact, rows[risk.ref].score
        assert rows[risk.ref].direction == ("Reduced" if after < before else "Increased" if after > before
                                            else "Unchanged")


def _edit(path: Path, sheet: str, edits: dict[str, object]) -> None:
    book = openpyxl.load_workbook(path)
    for cell, value in edits.items():
        book[sheet][cell] = value
    book.save(path)


def _cell(columns: dict[str, int], heading: str, row: int) -> str:
    return f"{openpyxl.utils.get_column_letter(columns[heading] + 1)}{row}"


def test_bad_cells_are_named_and_the_rest_is_consolidated(tmp_path, returns, catalogue):
    ace = returns / "Assistant Chief Executive 2023-24 Q2.xlsx"
    finance = returns / "Finance 2023-24 Q2.xlsx"
    plan_rows = openpyxl.load_workbook(ace)[PLAN_SHEET]
    ref_at = {row: plan_rows[f"A{row}"].value for row in (5, 6, 7)}
    _edit(ace, PLAN_SHEET, {_cell(RCOL, "Status", 5): "Fine", _cell(RCOL, "Due date", 6): "soon",
                            _cell(RCOL, "Propose to close", 7): "maybe", "A40": "ZZ9", "A41": ref_at[6]})
    _edit(ace, RISKS_SHEET, {_cell(RISK_COL, "Likelihood", 5): "high", _cell(RISK_COL, "Impact", 6): 7,
                             _cell(RISK_COL, "Likelihood", 7): None})
    _edit(finance, RISKS_SHEET, {"A30": "59a 02/22"})
    workbook = tmp_path / "Corporate.xlsx"
    summary = consolidate(returns, workbook, catalogue, Q2)
    found = {(row["File"], row["Sheet"], row["Cell"]): row for row in quality(workbook)}
    expected = {
        (ace.name, PLAN_SHEET, _cell(RCOL, "Status", 5)): ("Fine", "is not a deliverable status"),
        (ace.name, PLAN_SHEET, _cell(RCOL, "Due date", 6)): ("soon", "is not a date the framework can read"),
        (ace.name, PLAN_SHEET, _cell(RCOL, "Propose to close", 7)): ("maybe", "Propose to close is Yes or No"),
        (ace.name, PLAN_SHEET, "A40"): ("ZZ9", "No improvement action with this ref is in the catalogue"),
        (ace.name, PLAN_SHEET, "A41"): (ref_at[6], "appears more than once"),
        (ace.name, RISKS_SHEET, _cell(RISK_COL, "Likelihood", 5)): ("high", "is not a likelihood"),
        (ace.name, RISKS_SHEET, _cell(RISK_COL, "Impact", 6)): ("7", "is not an impact"),
        (ace.name, RISKS_SHEET, _cell(RISK_COL, "Likelihood", 7)): ("", "No likelihood given at this review"),
        (finance.name, RISKS_SHEET, "A30"): ("59a 02/22", "is led by Assistant Chief Executive, not Finance"),
    }
    for where, (text, message) in expected.items():
        assert where in found, where
        assert found[where]["Text"] == text and message in found[where]["Message"], found[where]
    history = read_history(workbook)
    plan = {row.ref: row for row in history.plan}
    assert plan[ref_at[5]].status == "" and plan[ref_at[5]].rag == "No update"
    assert len(plan) == len(sample_plan().actions) and summary.measures == 132
    risks = {row.ref: row for row in history.risks}
    assert sum(row.rag == "Not scored" for row in risks.values()) == 3


def test_a_return_without_the_sheets_is_a_warning_and_its_items_show_not_returned(tmp_path, returns, catalogue):
    path = returns / "Law and Governance 2023-24 Q2.xlsx"
    book = openpyxl.load_workbook(path)
    del book[PLAN_SHEET]
    book.save(path)
    workbook = tmp_path / "Corporate.xlsx"
    consolidate(returns, workbook, catalogue, Q2)
    messages = [row for row in quality(workbook) if row["Sheet"] == PLAN_SHEET]
    assert any(row["File"] == path.name and "has no Improvement Plan sheet" in row["Message"] for row in messages)
    led = {a.ref for a in catalogue.improvement_plan if a.directorate == "Law and Governance"}
    assert {row["Ref"] for row in messages if row["File"] == "(none)"} == led
    plan = {row.ref: row for row in read_history(workbook).plan}
    assert all(plan[ref].rag == "No update" for ref in led)


def test_a_due_date_typed_as_text_in_a_return_is_read(tmp_path, returns, catalogue):
    ace = returns / "Assistant Chief Executive 2023-24 Q2.xlsx"
    sheet = openpyxl.load_workbook(ace)[PLAN_SHEET]
    ref = sheet["A5"].value
    _edit(ace, PLAN_SHEET, {_cell(RCOL, "Due date", 5): "30 June 2025",
                            _cell(RCOL, "Reason for change", 5): "re-planned"})
    workbook = tmp_path / "Corporate.xlsx"
    consolidate(returns, workbook, catalogue, Q2)
    plan = {row.ref: row for row in read_history(workbook).plan}
    assert plan[ref].due == dt.date(2025, 6, 30)


def test_a_quarter_that_left_a_risk_unscored_is_not_its_last_review(tmp_path, returns, catalogue):
    """Q1 returned no ratings (say the returns went out before the risk sheet was added): Q2 is still compared
    with the catalogue's last review, not called New."""
    from pmf_excel.samples.sources import INDICATOR_REPORT
    from pmf_excel.samples.seed_reports import read_indicator_report
    from pmf_excel.workbooks.directorate_return import write_returns

    figures = {row.ref: row for row in read_indicator_report(INDICATOR_REPORT)}
    write_returns(catalogue, "2023/24 Q1", tmp_path / "q1", figures=figures)
    workbook = tmp_path / "Corporate.xlsx"
    consolidate(tmp_path / "q1", workbook, catalogue, "2023/24 Q1")
    consolidate(returns, workbook, catalogue, Q2)
    q2 = {row.ref: row for row in read_history(workbook).risks if row.quarter == Q2}
    assert "New" not in {row.direction for row in q2.values()}
    assert q2["SRR02"].direction == "Increased"  # 16 at the catalogue's review, 20 now
