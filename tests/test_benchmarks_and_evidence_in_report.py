"""Benchmarks beside each indicator and the evidence behind action statuses, in the consolidated report."""

import shutil
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from pmf_excel.cli import main
from pmf_excel.framework.benchmarks import import_comparators
from pmf_excel.pipelines.consolidate import consolidate
from pmf_excel.samples.build import sample_catalogue
from pmf_excel.workbooks.comparators_sheet import read_comparators
from pmf_excel.workbooks.directorate_return import DCOL, DELIVERABLES_SHEET, FIRST_ROW
from pmf_excel.samples.sources import COMPARATORS

ROOT = Path(__file__).resolve().parent.parent
Q2, Q3 = "2023/24 Q2", "2023/24 Q3"


@pytest.fixture(scope="module")
def catalogue():
    return sample_catalogue()


def sheet(workbook: Path, name: str) -> list[list]:
    return CalamineWorkbook.from_path(str(workbook)).get_sheet_by_name(name).to_python()


def by_ref(rows: list[list]) -> dict[str, dict]:
    header = rows[2]
    return {row[0]: dict(zip(header, row)) for row in rows[3:] if row and row[0]}


def quality(workbook: Path) -> list[dict]:
    rows = sheet(workbook, "Data quality")
    return [dict(zip(rows[2], row)) for row in rows[3:]]


@pytest.fixture(scope="module")
def q2_with_comparators(tmp_path_factory, catalogue):
    folder = tmp_path_factory.mktemp("benchmarks")
    shutil.copytree(ROOT / "samples" / "returns" / "2023-24 Q2", folder / "returns")
    workbook = folder / "Corporate.xlsx"
    imported = import_comparators(COMPARATORS, catalogue.benchmark_map, "Sandwell")
    consolidate(folder / "returns", workbook, catalogue, Q2, comparators=imported)
    return folder, workbook, imported


def test_comparators_from_004s_commentary_show_beside_performance_with_their_flags(q2_with_comparators):
    _, workbook, _ = q2_with_comparators
    rows = by_ref(sheet(workbook, "Indicators by outcome"))
    assert rows["B3e"]["Benchmarks"] == "England 89% (2023/24 Q2): Worse; West Midlands 80% (2023/24 Q2): Worse"
    assert rows["B6d"]["Benchmarks"].count("Better") == 3  # 1.5% NEET, smaller is better, below all three
    assert "Worse" not in rows["B6d"]["Benchmarks"]
    assert rows["B6a"]["Quartile"] == "Q3 of 4"  # among the illustrative full set of ten neighbours
    assert rows["B3e"]["Quartile"] == ""  # England and the region only: no full comparator set
    assert rows["C7a"]["Benchmarks"] == ""


def test_every_export_row_that_gave_no_comparator_is_a_data_quality_row(q2_with_comparators):
    _, workbook, imported = q2_with_comparators
    rows = [r for r in quality(workbook) if r["File"] == COMPARATORS.name]
    assert len(rows) == len(imported.unmatched) == 6
    assert sum("our own area (Sandwell)" in r["Message"] for r in rows) == 3
    assert sum("no measure is mapped to this metric" in r["Message"] for r in rows) == 3
    assert {r["Severity"] for r in rows if "our own area" in r["Message"]} == {"Information"}


def test_comparators_are_kept_in_the_workbook_for_the_next_consolidation(q2_with_comparators, catalogue):
    folder, workbook, imported = q2_with_comparators
    assert read_comparators(workbook) == imported.comparators
    consolidate(folder / "returns", workbook, catalogue, Q2)
    assert by_ref(sheet(workbook, "Indicators by outcome"))["B3e"]["Benchmarks"].startswith("England 89%")


def test_the_command_line_imports_an_export(tmp_path):
    shutil.copytree(ROOT / "samples" / "returns" / "2023-24 Q2", tmp_path / "returns")
    workbook = tmp_path / "Corporate.xlsx"
    assert main(["consolidate", str(tmp_path / "returns"), "--workbook", str(workbook), "--quarter", Q2,
                 "--catalogue", str(ROOT / "samples" / "catalogue_2023-24.json"),
                 "--comparators", str(COMPARATORS)]) == 0
    assert by_ref(sheet(workbook, "Indicators by outcome"))["B9d"]["Benchmarks"].count("Worse") == 4


@pytest.fixture(scope="module")
def q3(tmp_path_factory, catalogue):
    folder = tmp_path_factory.mktemp("evidence")
    shutil.copytree(ROOT / "samples" / "returns" / "2023-24 Q3", folder / "returns")
    workbook = folder / "Corporate.xlsx"
    consolidate(folder / "returns", workbook, catalogue, Q3)
    return folder, workbook


FLAGGED = {"R1", "ASC17a", "ASC29", "H14", "R13", "ASC7", "F9"}  # overdue or far behind On Track; open Complete


def test_ratings_the_evidence_does_not_bear_out_go_to_data_quality_and_exceptions(q3, catalogue):
    _, workbook = q3
    bp = {action.ref: action.bp_ref for action in catalogue.actions}
    warned = {r["Ref"] for r in quality(workbook) if r["Sheet"] == DELIVERABLES_SHEET and r["Severity"] == "Warning"
              and r["Message"].startswith("The evidence suggests")}
    assert {bp[ref] for ref in warned} == FLAGGED
    info = [r for r in quality(workbook) if r["Message"].startswith("The evidence suggests")
            and r["Severity"] == "Information"]
    assert [bp[r["Ref"]] for r in info] == ["R3"]  # rated Medium but ahead of its profile
    exceptions = [row for row in sheet(workbook, "Exceptions")[3:]
                  if row[0] == "Action rating not borne out by its evidence"]
    assert {row[1] for row in exceptions} == FLAGGED
    r1 = next(row for row in exceptions if row[1] == "R1")
    assert "On Track but due 31/10/2023 and 60% complete on 31/12/2023" in r1[9]


def test_the_rating_is_never_overwritten(q3):
    _, workbook = q3
    rows = sheet(workbook, "Deliverables by outcome")
    header = rows[2]
    r1 = next(dict(zip(header, row)) for row in rows if len(row) > 2 and row[2] == "R1")
    assert (r1["Status"], r1["RAG"]) == ("On Track", "Green")
    assert r1["Suggested by evidence"] == "Significant issues/risks/slippage"
    assert "overdue" in r1["Evidence"] or "due 31/10/2023" in r1["Evidence"]


def test_the_percent_complete_a_lead_returns_is_what_is_checked(q3, catalogue, tmp_path):
    folder, _ = q3
    returns = tmp_path / "returns"
    shutil.copytree(folder / "returns", returns)
    path = returns / "Regeneration and Growth 2023-24 Q3.xlsx"
    book = openpyxl.load_workbook(path)
    deliverables = book[DELIVERABLES_SHEET]
    r13 = catalogue.actions[[a.bp_ref for a in catalogue.actions].index("R13")].ref
    row = next(r for r in range(FIRST_ROW + 1, deliverables.max_row + 1) if deliverables.cell(r, 1).value == r13)
    deliverables.cell(row, DCOL["% complete"] + 1).value = 0.95  # caught up: no longer far behind
    book.save(path)
    workbook = tmp_path / "Corporate.xlsx"
    consolidate(returns, workbook, catalogue, Q3)
    assert r13 not in {r["Ref"] for r in quality(workbook) if r["Message"].startswith("The evidence suggests")}


def test_a_comparators_sheet_that_cannot_be_read_stops_the_consolidation_with_where(q2_with_comparators,
                                                                                    catalogue, tmp_path):
    from pmf_excel.pipelines.consolidate import ConsolidationBlocked

    folder, original, _ = q2_with_comparators
    workbook = tmp_path / "Corporate.xlsx"
    shutil.copy(original, workbook)
    book = openpyxl.load_workbook(workbook)
    book["Comparators"]["D2"] = "eighty-nine"
    book.save(workbook)
    before = workbook.read_bytes()
    with pytest.raises(ConsolidationBlocked, match=r"Comparators sheet .*\"eighty-nine\".*B3e England.*Nothing"):
        consolidate(folder / "returns", workbook, catalogue, Q2)
    assert workbook.read_bytes() == before
    imported = import_comparators(COMPARATORS, catalogue.benchmark_map, "Sandwell")
    consolidate(folder / "returns", workbook, catalogue, Q2, comparators=imported)  # a new import replaces it
    assert read_comparators(workbook) == imported.comparators


def test_an_export_the_import_cannot_read_is_a_message_not_a_traceback(tmp_path, capsys):
    export = tmp_path / "export.csv"
    export.write_text("area,metric,period\nEngland,Something,2023/24 Q2\n", encoding="utf-8")
    shutil.copytree(ROOT / "samples" / "returns" / "2023-24 Q2", tmp_path / "returns")
    assert main(["consolidate", str(tmp_path / "returns"), "--workbook", str(tmp_path / "Corporate.xlsx"),
                 "--quarter", Q2, "--catalogue", str(ROOT / "samples" / "catalogue_2023-24.json"),
                 "--comparators", str(export)]) == 2
    error = capsys.readouterr().err
    assert error.startswith("pmf: export.csv is not an LG Inform export") and "value" in error
    assert "Traceback" not in error and not (tmp_path / "Corporate.xlsx").exists()
