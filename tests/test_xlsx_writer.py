"""The workbook every file is written with takes over two of xlsxwriter's private methods to skip work.

Private methods can change with any xlsxwriter release: these tests hold the shortcuts to what xlsxwriter itself
does, for the installed version, so that an upgrade which adds a function to prefix or changes the escaping fails
here rather than writing a formula Excel cannot read; a sheet whose cells of the same text and format share
one tuple is the sheet xlsxwriter writes; and a file whose parts are spooled to disk is the file in-memory mode
writes, byte for byte; and a sheet written out before the workbook is closed is the sheet the close writes.
"""

from __future__ import annotations

import errno
import inspect
import io
import re
import zipfile

import pytest
import xlsxwriter
from xlsxwriter.exceptions import FileCreateError
from xlsxwriter.worksheet import Worksheet

from pmf_excel.workbooks import xlsx_writer
from pmf_excel.workbooks.files import parts_beside
from pmf_excel.workbooks.xlsx_writer import Workbook
from tests.workbook_meaning import differences, meaning

_SOURCE = inspect.getsource(Worksheet._prepare_formula)
_NAMES = re.compile(r'r"\\[bS]?([A-Z][A-Z0-9.]*)\\\(')
#: The function names xlsxwriter's own _prepare_formula prefixes in every formula, read from its source: those
#: before the test of ``use_future_functions``, after which come the ones prefixed only when it is set.
ALWAYS_PREFIXED = sorted(set(_NAMES.findall(_SOURCE.split("use_future_functions")[0])))
#: And every name it prefixes when asked to.
PREFIXED_BY_XLSXWRITER = sorted(set(_NAMES.findall(_SOURCE)))

FORMULAS = [
    "=A1+B1",
    '=IF(C5="","",IF(C5>=D5,"Green","Red"))',
    "=SUM(A1:A9)",
    '"Red"',
    "Red",
    "{=SUM(A1:A3*B1:B3)}",
    "=COUNTIFS(Indicators!$E:$E,\"Green\",Indicators!$B:$B,$A5)",
    "=INDEX(Trends!$C$2:$H$90,MATCH($B$2,Trends!$A$2:$A$90,0),COLUMN()-1)",
    "=_xlfn.XLOOKUP(A1,B:B,C:C)",
    "=MYSORT(A1:A3)",          # a name that ends like SORT but is not it: \b keeps it unprefixed
    "=ISINGLE(A1)",            # xlsxwriter's SINGLE pattern has no \b: matched after any character
    "=sort(A1:A3)",            # lower case is not prefixed by xlsxwriter either
] + [f"=IF(A1>0,{name}(B1:B3),0)" for name in PREFIXED_BY_XLSXWRITER]


@pytest.fixture
def sheets(tmp_path):
    """Ours and xlsxwriter's worksheet, in workbooks that are never closed (nothing is written)."""
    ours = Workbook(str(tmp_path / "ours.xlsx")).add_worksheet()
    theirs = Worksheet()
    yield ours, theirs


def test_the_source_still_lists_the_functions_it_prefixes():
    """If xlsxwriter's source stops reading as expected, the comparison below would test nothing."""
    assert len(ALWAYS_PREFIXED) >= 29
    assert {"XLOOKUP", "FILTER", "SORT", "LAMBDA"} <= set(ALWAYS_PREFIXED)
    assert {"TEXTJOIN", "XMATCH", "CONCAT"} <= set(PREFIXED_BY_XLSXWRITER) - set(ALWAYS_PREFIXED)


@pytest.mark.parametrize("name", ALWAYS_PREFIXED)
def test_every_function_xlsxwriter_prefixes_is_one_the_shortcut_looks_for(name):
    assert xlsx_writer._PREFIXED.search(f"{name}(A1)"), f"xlsxwriter prefixes {name}, the shortcut does not look for it"


@pytest.mark.parametrize("future", [False, True])
@pytest.mark.parametrize("expand", [False, True])
@pytest.mark.parametrize("formula", FORMULAS)
def test_a_formula_is_prepared_as_xlsxwriter_prepares_it(sheets, formula, future, expand):
    ours, theirs = sheets
    ours.use_future_functions = theirs.use_future_functions = future
    assert ours._prepare_formula(formula, expand) == theirs._prepare_formula(formula, expand)


@pytest.mark.parametrize("attribute", [
    0, 7, 3.5, None, "", "A1", "$A$1:$B$9", "Green", 'say "no"', "R&D", "<70%", "> 5", "two\nlines", "£740k – 5%",
])
def test_an_attribute_is_escaped_as_xlsxwriter_escapes_it(sheets, attribute):
    ours, theirs = sheets
    assert ours._escape_attributes(attribute) == theirs._escape_attributes(attribute)


def _a_workbook_of_every_kind_of_part(path, parts=None):
    """A small workbook with text beyond Latin-1, numbers, formulas, a chart and a comment (each its own part)."""
    workbook = Workbook(str(path), {"in_memory": True}, parts=parts)
    sheet = workbook.add_worksheet("Indicators — Q2")
    sheet.write_row(0, 0, ["Ref", "Figure", "Note"])
    for row in range(1, 40):
        sheet.write_row(row, 0, [f"H{row}", row * 1.5, "ТВС › £740k – 5%\r\nnext line"])
        sheet.write_formula(row, 3, f"=IF(B{row + 1}>20,\"Green\",\"Red\")", None, "Red")
    sheet.write_comment(1, 0, "a comment")
    chart = workbook.add_chart({"type": "line"})
    chart.add_series({"values": "='Indicators — Q2'!$B$2:$B$40"})
    sheet.insert_chart("F2", chart)
    return workbook


def test_a_workbook_spooled_to_disk_is_the_one_written_in_memory_byte_for_byte(tmp_path):
    _a_workbook_of_every_kind_of_part(tmp_path / "memory.xlsx").close()
    with parts_beside(tmp_path / "spooled.xlsx") as parts:
        _a_workbook_of_every_kind_of_part(tmp_path / "spooled.xlsx", parts).close()
        assert len(list(parts.iterdir())) > 10  # every part went through a file
    assert (tmp_path / "spooled.xlsx").read_bytes() == (tmp_path / "memory.xlsx").read_bytes()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["memory.xlsx", "spooled.xlsx"]  # parts removed


def test_the_parts_folder_is_removed_when_the_write_fails(tmp_path, monkeypatch):
    def full(spool):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(xlsx_writer._Spool, "getvalue", full)
    with pytest.raises(FileCreateError, match="No space left"), parts_beside(tmp_path / "book.xlsx") as parts:
        _a_workbook_of_every_kind_of_part(tmp_path / "book.xlsx", parts).close()
    assert not parts.exists()
    assert [path.name for path in tmp_path.iterdir()] == ["book.xlsx"]  # the caller's to remove, as before


def _repeated_cells(workbook) -> None:
    """Text and blanks repeated in a few formats, a text too long for a cell, and writes outside the sheet."""
    formats = [None, workbook.add_format({"bold": True}), workbook.add_format({"bg_color": "#C6EFCE"})]
    sheet = workbook.add_worksheet()
    for row in range(60):
        for col, text in enumerate(["Red", "Green", f"H{row % 7}", "", "Red"]):
            sheet.write(row, col, text, formats[(row + col) % 3])
        sheet.write_blank(row, 6, None, formats[row % 3])
        sheet.write_string(row, 7, "Red", formats[row % 2])
    assert sheet.write_string(61, 0, "x" * 40_000) == -2  # cut to what a cell holds, and stored
    assert sheet.write_string(1_048_576, 0, "Red") == -1 and sheet.write_blank(0, 16_384, None, formats[1]) == -1
    workbook.close()


def test_cells_sharing_their_tuples_are_written_as_xlsxwriter_writes_them(tmp_path):
    _repeated_cells(xlsxwriter.Workbook(str(tmp_path / "theirs.xlsx"), {"in_memory": True}))
    ours = Workbook(str(tmp_path / "ours.xlsx"), {"in_memory": True})
    _repeated_cells(ours)
    assert (tmp_path / "ours.xlsx").read_bytes() == (tmp_path / "theirs.xlsx").read_bytes()
    cells = [cell for row in ours.worksheets()[0].table.values() for cell in row.values()]
    assert len({id(cell) for cell in cells}) == len(set(cells)) < len(cells)  # one tuple per text and format


def _sheets_of_every_kind(path, parts, write_out: bool):
    """A dashboard, three sheets of cells with formats, formulas, validation, conditional formats, merged and
    linked cells, panes, print set-up and sparklines, and a sheet with a chart over the second of them: the first
    and third written out as soon as each is complete when ``write_out`` says so, the chart's sheet, the one it
    reads and the dashboard, activated last, not."""
    workbook = Workbook(str(path), {"nan_inf_to_errors": True}, parts=parts)
    dashboard = workbook.add_worksheet("Dashboard")
    bold, money, red = (workbook.add_format(properties) for properties in (
        {"bold": True, "bottom": 1}, {"num_format": "£#,##0"}, {"bg_color": "#FFC7CE", "font_color": "#9C0006"}))
    written = []
    for name in ("Indicators — Q2", "Trends", "History"):
        sheet = workbook.add_worksheet(name)
        sheet.write_row(0, 0, ["Ref", "Figure", "Target", "RAG", "Note"], bold)
        for row in range(1, 30):
            sheet.write_row(row, 0, [f"H{row}", row * 1.5, 20], money if row % 3 else None)
            sheet.write_formula(row, 3, f'=IF(B{row + 1}>=C{row + 1},"Green","Red")', None,
                                "Green" if row * 1.5 >= 20 else "Red")
            sheet.write_string(row, 4, "ТВС › £740k – 5%" if row % 2 else "=not a formula")
        sheet.set_row(3, 40)
        sheet.set_column(0, 0, 12)
        sheet.set_column(4, 4, 50, None, {"hidden": row % 2})
        sheet.merge_range(31, 0, 31, 4, "Merged note", bold)
        sheet.write_url(32, 0, "https://www.example.gov.uk/pmf", string="Framework")
        sheet.data_validation(1, 2, 29, 2, {"validate": "decimal", "criteria": ">=", "value": 0})
        sheet.conditional_format(1, 3, 29, 3, {"type": "cell", "criteria": "==", "value": '"Red"', "format": red})
        sheet.add_sparkline(1, 5, {"range": f"'{name}'!B2:B29"})
        sheet.freeze_panes(1, 1)
        sheet.set_landscape()
        sheet.repeat_rows(0)
        sheet.autofilter(0, 0, 29, 4)
        if write_out and name != "Trends":
            workbook.write_out(sheet)
            written.append(name)
    chart_sheet = workbook.add_worksheet("Chart")
    chart = workbook.add_chart({"type": "line"})
    chart.add_series({"values": "=Trends!$B$2:$B$29"})
    chart_sheet.insert_chart("B2", chart)
    dashboard.write(0, 0, "Corporate performance")
    dashboard.activate()
    return workbook, written


def test_sheets_written_out_early_mean_what_they_meant_written_at_the_close(tmp_path):
    with parts_beside(tmp_path / "at close.xlsx") as parts:
        _sheets_of_every_kind(tmp_path / "at close.xlsx", parts, write_out=False)[0].close()
    with parts_beside(tmp_path / "early.xlsx") as parts:
        workbook, written = _sheets_of_every_kind(tmp_path / "early.xlsx", parts, write_out=True)
        assert written == ["Indicators — Q2", "History"]
        assert sorted(path.name for path in parts.iterdir()) == ["sheet1.xml", "sheet3.xml"]  # before the close
        workbook.close()
    assert differences(meaning(tmp_path / "at close.xlsx"), meaning(tmp_path / "early.xlsx")) == []
    assert sorted(path.name for path in tmp_path.iterdir()) == ["at close.xlsx", "early.xlsx"]  # parts removed


def test_a_sheet_written_out_refuses_cells_and_settings_rather_than_losing_them(tmp_path):
    with parts_beside(tmp_path / "book.xlsx") as parts:
        workbook = Workbook(str(tmp_path / "book.xlsx"), parts=parts)
        sheet = workbook.add_worksheet("History")
        sheet.write(0, 0, "Ref")
        workbook.write_out(sheet)
        for afterwards in (lambda: sheet.write(1, 0, "H1"), lambda: sheet.write_number(0, 0, 1),
                           lambda: sheet.set_row(0, 30), lambda: sheet.set_column(0, 0, 20),
                           lambda: sheet.conditional_format(0, 0, 9, 0, {"type": "blanks", "format": None}),
                           lambda: sheet.data_validation(0, 0, 9, 0, {"validate": "any"}),
                           lambda: sheet.add_sparkline(0, 5, {"range": "History!A1:A3"}),
                           lambda: sheet.merge_range(5, 0, 5, 3, "note"), lambda: sheet.freeze_panes(1, 0),
                           sheet.set_landscape, lambda: sheet.fit_to_pages(1, 0), sheet.activate, sheet.hide):
            with pytest.raises(RuntimeError, match="'History' was already written out"):
                afterwards()


def test_a_chart_over_a_sheet_written_out_is_refused_at_the_close(tmp_path):
    with parts_beside(tmp_path / "book.xlsx") as parts:
        workbook = Workbook(str(tmp_path / "book.xlsx"), parts=parts)
        chart_sheet = workbook.add_worksheet("Chart")
        figures = workbook.add_worksheet("Trends")
        figures.write_column(0, 0, [1, 2, 3])
        workbook.write_out(figures)
        chart = workbook.add_chart({"type": "line"})
        chart.add_series({"values": "=Trends!$A$1:$A$3"})
        chart_sheet.insert_chart("B2", chart)
        with pytest.raises(RuntimeError, match="'Trends' was already written out"):
            workbook.close()


def test_only_a_spooling_workbook_writes_out_and_only_a_sheet_nothing_is_drawn_on(tmp_path):
    in_memory = Workbook(str(tmp_path / "memory.xlsx"), {"in_memory": True})
    with pytest.raises(ValueError, match="only a workbook spooling its parts"):
        in_memory.write_out(in_memory.add_worksheet())
    with parts_beside(tmp_path / "book.xlsx") as parts:
        workbook = Workbook(str(tmp_path / "book.xlsx"), parts=parts)
        commented, charted = workbook.add_worksheet("Notes"), workbook.add_worksheet("Chart")
        commented.write_comment(0, 0, "a comment")
        chart = workbook.add_chart({"type": "line"})
        chart.add_series({"values": "=Notes!$A$1:$A$3"})
        charted.insert_chart("B2", chart)
        for sheet in (commented, charted):
            with pytest.raises(ValueError, match=f"'{sheet.name}' has something drawn on it"):
                workbook.write_out(sheet)


@pytest.mark.parametrize("activated", [None, "Indicators", "History"])
def test_the_sheet_the_workbook_opens_at_written_out_is_refused_at_the_close(tmp_path, activated):
    """Closing marks the sheet the workbook opens at: the first, unless another was activated."""
    with parts_beside(tmp_path / "book.xlsx") as parts:
        workbook = Workbook(str(tmp_path / "book.xlsx"), parts=parts)
        first, other = workbook.add_worksheet("Indicators"), workbook.add_worksheet("History")
        if activated:
            workbook.get_worksheet_by_name(activated).activate()
        opens_at = activated or "Indicators"
        workbook.write_out(first if opens_at == "Indicators" else other)
        with pytest.raises(ValueError, match=f"'{opens_at}' is the one the workbook opens at"):
            workbook.close()


@pytest.mark.parametrize("code_names", [True, False])
def test_a_sheet_written_out_carries_its_vba_code_name_or_the_close_refuses(tmp_path, code_names):
    path = tmp_path / "book.xlsm"
    with parts_beside(path) as parts:
        workbook = Workbook(str(path), parts=parts, code_names=code_names)
        workbook.add_worksheet("Dashboard")
        sheet = workbook.add_worksheet("History")
        sheet.write(0, 0, "Ref")
        workbook.write_out(sheet)
        workbook.set_vba_name("ThisWorkbook")
        workbook.add_vba_project(io.BytesIO(b"the project's bytes"), is_stream=True)
        if not code_names:
            with pytest.raises(ValueError, match="'History' was written out before it had its VBA code name"):
                workbook.close()
            return
        workbook.close()
    with zipfile.ZipFile(path) as written:
        assert '<sheetPr codeName="Sheet2"' in written.read("xl/worksheets/sheet2.xml").decode()
