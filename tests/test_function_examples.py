"""The worked examples workbook: its cached answers are the engine's, and the formulas package agrees."""

from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from pmf_excel.rules.text import clean
from pmf_excel.samples.seed_reports import read_indicator_report
from pmf_excel.workbooks.function_examples import write_function_examples
from pmf_excel.samples.sources import INDICATOR_REPORT
from tests.conftest import evaluate_pmf_cells
from tests.excel_reality import libreoffice_convert

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "workbook_templates" / "pmf_functions_examples.xlsx"
REPORT = INDICATOR_REPORT


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    report = {clean(r.ref): r for r in read_indicator_report(REPORT)}
    return write_function_examples(tmp_path_factory.mktemp("examples") / "examples.xlsx", report)


def cells_of(path: Path, data_only: bool) -> dict[str, object]:
    sheet = openpyxl.load_workbook(path, data_only=data_only)["Examples"]
    return {cell.coordinate: cell.value for row in sheet.iter_rows() for cell in row if cell.value is not None}


def test_committed_workbook_is_what_pmf_templates_generates(built):
    assert cells_of(COMMITTED, data_only=False) == cells_of(built, data_only=False)
    assert cells_of(COMMITTED, data_only=True) == cells_of(built, data_only=True)


def test_formulas_package_evaluates_every_cell_to_the_cached_engine_answer(built):
    checked = evaluate_pmf_cells(built, "Examples")
    assert checked == 6 * 12 + 5


def test_libreoffice_opens_it_and_a_second_reader_agrees(built, tmp_path, lo_profile):
    [pdf] = libreoffice_convert([built], tmp_path, "pdf", lo_profile)
    assert pdf.exists() and pdf.stat().st_size > 10_000
    rows = CalamineWorkbook.from_path(str(built)).get_sheet_by_name("Examples").to_python()
    by_ref = [row for row in rows if row and row[0] == "B12b"]
    assert by_ref[0][8] == "Red" and by_ref[0][11] is True
    unreadable = [row for row in rows if row and row[0] == "H12"][0]
    assert unreadable[13].startswith('"17,6 %" is not a value')
