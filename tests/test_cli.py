"""The pmf command as a user types it: answers with reasons, messages instead of tracebacks."""

import subprocess
import sys
from collections import Counter
from pathlib import Path

from python_calamine import CalamineWorkbook

from pmf_excel.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_rag_prints_the_result_and_the_reason(capsys):
    assert main(["rag", "77%", "<70%", "70.1%-75%", "Smaller is better"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Red", "Red: 77% is worse than the target <70% and outside the tolerance 70.1%–75%."]


def test_rag_prints_warnings(capsys):
    assert main(["rag", "168", "201 (year-end 2023/24)", "5%", "Bigger is better"]) == 0
    assert "Warning: The target '201 (year-end 2023/24)' is a year-end target" in capsys.readouterr().out


def test_rag_with_a_budget_base(capsys):
    assert main(["rag", "£1.222m overspend", "0%", "0.5%", "smaller in better", "--base", "£733.967m"]) == 0
    assert capsys.readouterr().out.startswith("Amber\n")


def test_dot_prints_the_result_and_the_reason(capsys):
    assert main(["dot", "1 min 27 secs", "1 min 9 secs", "Smaller is better"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Worsening", "Worsening: 1 min 27 secs is worse than 1 min 9 secs (smaller is better)."]


def test_status(capsys):
    assert main(["status", "Significant issues/risks/slippage"]) == 0
    assert capsys.readouterr().out == "Red\n"


def test_bad_input_is_a_message_and_a_non_zero_exit_never_a_traceback():
    for argv in (["rag", "17,6 %", "20%", "5%", "Bigger is better"], ["dot", "1", "2", "sideways"],
                 ["status", "Behind"], ["rag", "1", "2", "3", "Bigger is better", "--base", "£-5"]):
        done = subprocess.run([sys.executable, "-m", "pmf_excel", *argv], capture_output=True, text=True)
        assert done.returncode == 2, argv
        assert done.stderr.startswith("pmf: "), done.stderr
        assert "Traceback" not in done.stderr
        assert done.stdout == ""


def test_demo_builds_the_returns_and_consolidates_them(tmp_path, capsys):
    assert main(["demo", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "The Best Start in Life for Children and Young People: 22 measures — 10 Green, 8 Amber, 4 Red." in out
    assert "  - Red: B12b Early Help" in out and "(77% against <70%)" in out
    assert "A Connected and Accessible Sandwell: 1 measure — 1 Green." in out
    assert "No measures have been RAG rated red across this strategic outcome." in out
    assert out.index("The Best Start") < out.index("People Live Well") < out.index("One Council One Team")
    assert "Corporate Plan deliverables 2023/24 Q3" in out and "  - Red: PH9 School Nursing" in out
    assert "No actions have been RAG rated red across this strategic outcome." in out
    assert "Decision Making: 6 actions — 3 On Track, 3 Complete." in out
    assert "  - 4 main actions are proposed to be closed (2 actions closure will result in closure of workstream)" \
        in out and "  - PC1.1 Performance Management System: Options Appraisal (Medium Issue/Slippage)" in out
    assert "13 strategic risks: 2 Red, 9 Amber, 2 Green." in out and "  - Red: SRR03 Staff capacity" in out
    assert len(list((tmp_path / "returns" / "2023-24 Q2").glob("*.xlsx"))) == 9
    assert len(list((tmp_path / "returns" / "2023-24 Q3").glob("*.xlsx"))) == 9
    assert (tmp_path / "Corporate monitoring 2023-24.xlsx").exists()
    assert (tmp_path / "catalogue_cleaning_log.md").read_text(encoding="utf-8").startswith("# How the catalogue")
    # what is printed is what the workbook shows: Q2's indicators, Q3's deliverables, each said with its quarter
    assert "showing 2023/24 Q2's indicators and 2023/24 Q3's deliverables" in out
    assert "Corporate Performance Report 2023/24 Q2: indicators" in out and "pmf pack" in out
    rows = CalamineWorkbook.from_path(str(tmp_path / "Corporate monitoring 2023-24.xlsx")).get_sheet_by_name(
        "Data quality").to_python()[3:]
    severities = Counter(row[6] for row in rows)
    assert f"History holds both quarters; {severities['Error']} data-quality error(s), " \
           f"{severities['Warning']} warning(s))" in out
    assert severities["Warning"] > 0


def test_demo_help_says_what_the_demo_does(capsys):
    assert main(["demo", "--help"]) == 0
    words = " ".join(capsys.readouterr().out.split())
    for said in ("2023/24 Q2 return", "2023/24 Q3 return", "action statuses", "both quarters", "strategic risks"):
        assert said in words


def test_judge_rejudges_a_published_report_into_a_csv(tmp_path, capsys):
    out = tmp_path / "judged.csv"
    assert main(["judge", "--out", str(out)]) == 0
    assert "133 indicators" in capsys.readouterr().out
    assert out.read_text(encoding="utf-8-sig").startswith("line,ref,indicator")
    assert main(["judge", "--out", str(out)]) == 0  # a second run keeps the first CSV
    assert len(list((tmp_path / "previous versions").iterdir())) == 1


def earlier_figures(folder, directorate: str) -> dict[str, tuple[object, object]]:
    """Each line's Last quarter and Same quarter last year cells in a written return, by ref."""
    from pmf_excel.workbooks.directorate_return import COL, FIRST_ROW, MEASURES_SHEET

    [path] = folder.glob(f"{directorate} *.xlsx")
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(MEASURES_SHEET).to_python()[FIRST_ROW:]
    return {row[COL["Ref"]]: (row[COL["Last quarter"]], row[COL["Same quarter last year"]]) for row in rows if row[0]}


def test_returns_take_earlier_figures_from_the_sample_report_only_in_its_own_quarter(tmp_path, capsys):
    assert main(["returns", "--quarter", "2023/24 Q2", "--out", str(tmp_path / "q2")]) == 0
    assert earlier_figures(tmp_path / "q2", "Children and Education")["B12b"] == (0.76, 0.82)
    assert "left blank" not in capsys.readouterr().out
    assert main(["returns", "--quarter", "2025/26 Q1", "--out", str(tmp_path / "later")]) == 0
    out = capsys.readouterr().out
    assert "Last quarter's and last year's figures are left blank for the co-ordinators" in out
    later = earlier_figures(tmp_path / "later", "Children and Education")
    assert len(later) > 10 and set(later.values()) == {("", "")}


def test_returns_from_a_corporate_workbook_take_earlier_figures_from_its_history(tmp_path, capsys):
    from pmf_excel.workbooks.history_sheets import read_history

    workbook = ROOT / "samples" / "Corporate monitoring 2023-24.xlsx"
    q2 = {row.ref: row.performance for row in read_history(workbook).measures if row.quarter == "2023/24 Q2"}
    assert main(["returns", "--catalogue", str(workbook), "--quarter", "2023/24 Q3", "--out", str(tmp_path)]) == 0
    assert "left blank" not in capsys.readouterr().out
    figures = earlier_figures(tmp_path, "Children and Education")
    assert figures["B12b"] == (q2["B12b"], "") == (0.77, "")  # Q2's figure from History; no 2022/23 Q3 there
    assert all(last == ("" if q2.get(ref) is None else q2[ref]) for ref, (last, _) in figures.items())
    assert main(["returns", "--catalogue", str(workbook), "--quarter", "2025/26 Q1", "--out", str(tmp_path / "x")]) == 0
    assert "left blank" in capsys.readouterr().out


def test_returns_filled_are_only_the_sample_reports_own_quarter(capsys, tmp_path):
    assert main(["returns", "--quarter", "2023/24 Q3", "--out", str(tmp_path), "--filled"]) == 2
    assert "--filled fills the sample catalogue's returns" in capsys.readouterr().err
    assert not tmp_path.joinpath("Finance 2023-24 Q3.xlsx").exists()
