"""The directorate return: its native formulas, recalculated by LibreOffice, give the engine's answers."""

import functools
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from xlsxwriter.utility import xl_col_to_name

from pmf_excel import PMFValueError, direction_of_travel, rag, read_measure, read_polarity, read_value
from pmf_excel.framework.catalogue import Catalogue
from pmf_excel.framework.quarters import check_quarter
from pmf_excel.framework.returns import PART_SEPARATOR, as_cell
from pmf_excel.rules.parts import split_parts
from pmf_excel.samples.seed_reports import read_indicator_report
from pmf_excel.samples.sources import DELIVERABLES_REPORT, INDICATOR_REPORT
from pmf_excel.workbooks.directorate_return import (COL, FIRST_ROW, HIDDEN_FROM, MEASURES_SHEET, TEMPLATE_VERSION,
                                                    write_returns)
from tests.conftest import workbook_content
from tests.excel_reality import libreoffice_convert

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
REPORT = INDICATOR_REPORT
#: Typed as text, as a co-ordinator might, instead of a time or a number: kept, and read at consolidation.
TYPED_AS_TEXT = {"O8e": "1 min 27 secs"}


@pytest.fixture(scope="module")
def catalogue():
    return Catalogue.model_validate_json((SAMPLES / "catalogue_2023-24.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def report_rows():
    return {row.ref: row for row in read_indicator_report(REPORT)}


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory, catalogue, report_rows, lo_profile):
    """Blank returns, filled in with openpyxl from 004's figures, then recalculated by LibreOffice."""
    folder = tmp_path_factory.mktemp("returns")
    written = write_returns(catalogue, "2023/24 Q2", folder / "blank", figures=report_rows)
    measures = {m.ref: m for m in catalogue.measures}
    filled_paths, typed = [], {}
    for path in written:
        book = openpyxl.load_workbook(path)
        sheet = book[MEASURES_SHEET]
        for row in range(FIRST_ROW + 1, sheet.max_row + 1):
            ref = sheet.cell(row, COL["Ref"] + 1).value
            measure_ref, _, part = ref.partition(PART_SEPARATOR)
            measure = measures[measure_ref]
            printed = report_rows[measure.printed_ref].performance
            if part:
                printed = (split_parts(printed, measure.parts) or {}).get(part, printed)
            value = TYPED_AS_TEXT.get(ref) or as_cell(printed, _unit(sheet, row))
            sheet.cell(row, COL["Performance this quarter"] + 1).value = value
            typed[ref] = (printed if not TYPED_AS_TEXT.get(ref) else TYPED_AS_TEXT[ref], value)
        filled = folder / "filled" / path.name
        filled.parent.mkdir(exist_ok=True)
        book.save(filled)
        filled_paths.append(filled)
    outputs = libreoffice_convert(filled_paths, folder / "recalculated", "xlsx", lo_profile)
    missing = [p.name for p in outputs if not p.exists()]
    assert not missing, f"LibreOffice could not open: {missing}"
    return written, outputs, typed


def _unit(sheet, row):
    """The unit a co-ordinator types this line in: the target's, or pounds for a budget variance."""
    if sheet.cell(row, COL["Divisor"] + 1).value != 1:
        return read_value("£0")
    measure = read_measure(*(sheet.cell(row, COL[name] + 1).value for name in ("Target", "Tolerance", "Polarity")))
    return measure.target.value or measure.target.low


def engine(function, *args):
    try:
        return function(*args)
    except PMFValueError:
        return "unreadable"


def test_every_directorate_has_a_return_and_every_measure_a_line(recalculated, catalogue):
    written, outputs, typed = recalculated
    assert len(written) == len(catalogue.by_directorate()) == 9
    expected_lines = sum(max(1, len(m.parts)) for m in catalogue.measures)
    assert len(typed) == expected_lines


def test_native_formulas_recalculated_by_libreoffice_equal_the_engine(recalculated, catalogue, report_rows):
    _, outputs, typed = recalculated
    measures = {m.ref: m for m in catalogue.measures}
    checked = 0
    for output in outputs:
        rows = CalamineWorkbook.from_path(str(output)).get_sheet_by_name(MEASURES_SHEET).to_python()
        for cells in rows[FIRST_ROW:]:
            ref = cells[COL["Ref"]]
            if not ref:
                continue
            measure = measures[ref.split(PART_SEPARATOR)[0]]
            if not measure.due_in("2023/24 Q2"):
                assert (cells[COL["RAG"]], cells[COL["Check"]]) == ("Not due", "Reports in Q1 and Q3"), ref
                continue
            polarity, target, tolerance = cells[COL["Polarity"]], cells[COL["Target"]], cells[COL["Tolerance"]]
            performance = cells[COL["Performance this quarter"]]
            performance = None if performance == "" else performance
            expected = engine(functools.partial(rag, base=measure.base), performance, target, tolerance, polarity)
            if isinstance(performance, str) and expected not in ("No target",):
                expected = "Checked later"
            assert cells[COL["RAG"]] == expected, f"{output.name} {ref}: {performance!r}"
            breach = {"Red": True, "Amber": False, "Green": False}.get(expected, "")
            assert cells[COL["Tolerance breach"]] == breach, ref
            for column, previous in (("DOT short term", "Last quarter"), ("DOT long term", "Same quarter last year")):
                before = cells[COL[previous]]
                want = engine(direction_of_travel, performance, None if before == "" else before, polarity)
                if isinstance(performance, str) and read_polarity(polarity).sign:
                    want = "Checked later"  # Consolidate reads a typed text, as the RAG says
                elif isinstance(performance, str) or isinstance(before, str) or want == "unreadable":
                    want = "Not comparable"  # an earlier figure the engine could not compare stays so
                assert cells[COL[column]] == want, f"{output.name} {ref} {column}: {performance!r} vs {before!r}"
            checked += 1
    assert checked >= 130


def test_a_typed_duration_is_kept_and_checked_later(recalculated):
    _, outputs, _ = recalculated
    ace = next(p for p in outputs if p.name.startswith("Adult Social Care"))
    rows = CalamineWorkbook.from_path(str(ace)).get_sheet_by_name(MEASURES_SHEET).to_python()
    o8e = next(r for r in rows if r[COL["Ref"]] == "O8e")
    assert o8e[COL["Performance this quarter"]] == "1 min 27 secs"
    assert o8e[COL["RAG"]] == o8e[COL["DOT short term"]] == o8e[COL["DOT long term"]] == "Checked later"
    assert o8e[COL["Tolerance breach"]] == o8e[COL["Check"]] == ""


def test_figures_typed_as_text_agree_with_what_consolidate_reads(tmp_path, catalogue, report_rows, lo_profile):
    """39%* typed as this quarter's figure is Checked later in RAG and both directions alike; typed over last
    year's figure, the direction is the one Consolidate reads."""
    from pmf_excel.framework.history import Histories
    from pmf_excel.pipelines.consolidate.run import consolidate_returns

    [path] = write_returns(catalogue.of_directorate("Law and Governance"), "2023/24 Q2", tmp_path / "returns",
                           figures=report_rows)
    book = openpyxl.load_workbook(path)
    rows = {book[MEASURES_SHEET].cell(row, COL["Ref"] + 1).value: row for row in range(FIRST_ROW + 1, 60)}
    for ref, column, value in (("O8l", "Same quarter last year", "39%*"), ("O8l", "Performance this quarter", 0.5),
                               ("O8n", "Performance this quarter", "39%*")):
        book[MEASURES_SHEET].cell(rows[ref], COL[column] + 1).value = value
    book.save(path)
    [recalculated] = libreoffice_convert([path], tmp_path / "recalculated", "xlsx", lo_profile)
    shown = {row[COL["Ref"]]: row for row in CalamineWorkbook.from_path(str(recalculated))
             .get_sheet_by_name(MEASURES_SHEET).to_python()[FIRST_ROW:]}
    assert [shown["O8n"][COL[name]] for name in ("RAG", "DOT short term", "DOT long term")] == ["Checked later"] * 3
    judged = {line.ref: line for measure in consolidate_returns(tmp_path / "returns", catalogue, "2023/24 Q2",
                                                                Histories()).measures for line in measure.lines}
    assert shown["O8l"][COL["DOT long term"]] == judged["O8l"].dot_long == "Improving"  # 50% against 39%
    assert shown["O8l"][COL["RAG"]] == judged["O8l"].rag == "Red"


def test_commentary_is_required_for_amber_and_red(recalculated):
    _, outputs, _ = recalculated
    flagged = 0
    for output in outputs:
        for cells in CalamineWorkbook.from_path(str(output)).get_sheet_by_name(MEASURES_SHEET).to_python()[FIRST_ROW:]:
            needs = cells[COL["RAG"]] in ("Amber", "Red") and not str(cells[COL["Commentary"]]).strip()
            assert (cells[COL["Check"]] == "Commentary required") == needs
            flagged += needs
    assert flagged > 10  # the blank returns have no commentary yet


def test_cached_values_read_correctly_before_any_recalculation(tmp_path, catalogue, report_rows):
    written = write_returns(catalogue, "2023/24 Q2", tmp_path, figures=report_rows, filled=True)
    children = next(p for p in written if p.name.startswith("Children"))
    rows = CalamineWorkbook.from_path(str(children)).get_sheet_by_name(MEASURES_SHEET).to_python()
    by_ref = {r[COL["Ref"]]: r for r in rows[FIRST_ROW:]}
    assert by_ref["B12b"][COL["RAG"]] == "Red"
    assert by_ref["B12b"][COL["DOT long term"]] == "Improving"
    assert by_ref["B3c"][COL["RAG"]] == "Amber"
    assert by_ref["B12a › Other Partners"][COL["RAG"]] == "Green"


def test_definitions_are_locked_and_inputs_are_not(tmp_path, catalogue, report_rows):
    path = write_returns(catalogue, "2023/24 Q2", tmp_path, figures=report_rows)[0]
    book = openpyxl.load_workbook(path)
    sheet = book[MEASURES_SHEET]
    assert sheet.protection.sheet and book["Cover"].protection.sheet
    row = FIRST_ROW + 1
    assert sheet.cell(row, COL["Target"] + 1).protection.locked
    assert not sheet.cell(row, COL["Performance this quarter"] + 1).protection.locked
    assert not sheet.cell(row, COL["Commentary"] + 1).protection.locked
    assert book["Cover"]["B7"].value == TEMPLATE_VERSION
    assert sheet.column_dimensions[xl_col_to_name(HIDDEN_FROM)].hidden


def test_password_protects_when_asked(tmp_path, catalogue):
    path = write_returns(catalogue, "2023/24 Q2", tmp_path, password="s3cret")[0]
    assert openpyxl.load_workbook(path)[MEASURES_SHEET].protection.password


def test_rewriting_keeps_the_previous_version(tmp_path, catalogue):
    first = write_returns(catalogue, "2023/24 Q2", tmp_path)
    write_returns(catalogue, "2023/24 Q2", tmp_path)
    kept = list((tmp_path / "previous versions").glob("*.xlsx"))
    assert len(kept) == len(first)


@pytest.mark.parametrize("quarter", ["2023/24 Q5", "2023/25 Q1", "Q2 2023", ""])
def test_a_bad_quarter_is_refused(tmp_path, catalogue, quarter):
    with pytest.raises(PMFValueError, match="quarter"):
        write_returns(catalogue, quarter, tmp_path)
    assert check_quarter("2023/24 Q2") == "2023/24 Q2"


def test_committed_return_template_is_what_pmf_templates_generates(tmp_path, catalogue, report_rows):
    [built] = write_returns(catalogue.of_directorate("Housing"), "2023/24 Q2", tmp_path, figures=report_rows)
    committed = Path(__file__).resolve().parent.parent / "workbook_templates" / built.name
    assert workbook_content(committed) == workbook_content(built)


def test_deliverables_sheet_has_the_five_statuses_and_a_live_rag(tmp_path, lo_profile):
    from pmf_excel import deliverable_rag
    from pmf_excel.samples.seed_reports import read_deliverables_report
    from pmf_excel.workbooks.catalogue_sheets import load_catalogue
    from pmf_excel.workbooks.directorate_return import DCOL, DELIVERABLES_SHEET, STATUSES

    samples = Path(__file__).resolve().parent.parent / "samples"
    catalogue = load_catalogue(samples / "catalogue_2023-24.json")
    updates = {row.line: row for row in read_deliverables_report(DELIVERABLES_REPORT)}
    written = write_returns(catalogue, "2023/24 Q3", tmp_path / "q3", updates=updates)
    path = next(p for p in written if p.name.startswith("Adult Social Care"))
    book = openpyxl.load_workbook(path)
    sheet = book[DELIVERABLES_SHEET]
    [validation] = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
    assert validation.formula1 == '"' + ",".join(STATUSES) + '"'
    typed = ["Complete", "", "Medium Issue/Slippage", "significant issues/risks/slippage", "On Track",
             "No update available", "Behind"]
    for offset, status in enumerate(typed):
        sheet.cell(FIRST_ROW + 1 + offset, DCOL["Status"] + 1).value = status or None
    book.save(path)
    [recalculated] = libreoffice_convert([path], tmp_path / "recalculated", "xlsx", lo_profile)
    rows = CalamineWorkbook.from_path(str(recalculated)).get_sheet_by_name(DELIVERABLES_SHEET).to_python()
    shown = [rows[FIRST_ROW + offset][DCOL["RAG"]] for offset in range(len(typed))]
    assert shown[:-1] == [deliverable_rag(status) for status in typed[:-1]]
    assert shown[-1] == "Check status"  # not one of the five: Consolidate names it in Data quality
