"""The workbook every file is written with takes over two of xlsxwriter's private methods to skip work.

Private methods can change with any xlsxwriter release: these tests hold the shortcuts to what xlsxwriter itself
does, for the installed version, so that an upgrade which adds a function to prefix or changes the escaping fails
here rather than writing a formula Excel cannot read; a sheet whose cells of the same text and format share
one tuple is the sheet xlsxwriter writes; and a file whose parts are spooled to disk is the file in-memory mode
writes, byte for byte.
"""

from __future__ import annotations

import errno
import inspect
import re

import pytest
import xlsxwriter
from xlsxwriter.exceptions import FileCreateError
from xlsxwriter.worksheet import Worksheet

from pmf_excel.workbooks import xlsx_writer
from pmf_excel.workbooks.files import parts_beside
from pmf_excel.workbooks.xlsx_writer import Workbook

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


def _a_workbook_of_every_kind_of_part(path):
    """A small workbook with text beyond Latin-1, numbers, formulas, a chart and a comment (each its own part)."""
    workbook = Workbook(str(path), {"in_memory": True})
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
    spooled = _a_workbook_of_every_kind_of_part(tmp_path / "spooled.xlsx")
    with parts_beside(tmp_path / "spooled.xlsx") as parts:
        spooled.close_spooling_into(parts)
        assert len(list(parts.iterdir())) > 10  # every part went through a file
    assert (tmp_path / "spooled.xlsx").read_bytes() == (tmp_path / "memory.xlsx").read_bytes()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["memory.xlsx", "spooled.xlsx"]  # parts removed


def test_the_parts_folder_is_removed_when_the_write_fails(tmp_path, monkeypatch):
    def full(spool):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(xlsx_writer._Spool, "getvalue", full)
    workbook = _a_workbook_of_every_kind_of_part(tmp_path / "book.xlsx")
    with pytest.raises(FileCreateError, match="No space left"), parts_beside(tmp_path / "book.xlsx") as parts:
        workbook.close_spooling_into(parts)
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
