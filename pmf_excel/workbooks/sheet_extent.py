"""How far a sheet's cells reach, measured from its XML before python-calamine reads it.

python-calamine lays out every cell from A1 to the last one a sheet holds or declares, so a single value typed
in ``XFD1048576`` asks it for 17 billion cells (512 GB) and aborts the process, with no exception to catch and
no message. So every workbook a person gives is measured first: a return against a return's limits (in
:mod:`.return_reader`), any other workbook's sheet, as it is read, against a number of cells
(:class:`MeasuredWorkbook`).
"""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

from xlsxwriter.utility import xl_rowcol_to_cell

from ..rules.errors import PMFInputError

#: The cells a sheet other than a return's may span (its last row × its last column): a History of 280,000
#: rows at 35 columns, some 200 directorates reporting for ten years; laid out by python-calamine, some 300 MB.
CELLS = 10_000_000

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*\bref="([^"]*)"')
_ROW_OR_CELL = re.compile(rb'<(?:\w+:)?(row|c)\b([^>]*?)(/?)>')
_ROWS_AND_CELLS = re.compile(rb'<(?:\w+:)?(?:row|c)\b[^>]*>')  # the same matches, only counted: quicker
_R = re.compile(rb'\br="\$?([A-Za-z]*)\$?([0-9]*)"')
#: A row's or cell's address where it gives one (the row's number, or the cell's column letters and row): each
#: match is also one of ``_ROWS_AND_CELLS``, so as many matches as that has means every row and cell gives one.
_ADDRESSED = re.compile(rb'<(?:\w+:)?(?:row|c)\b[^>]*?\br="\$?([A-Za-z]*)\$?([0-9]+)"[^>]*>')
_ADDRESS = re.compile(rb"\$?([A-Za-z]*)\$?([0-9]*)")


class SheetTooLarge(PMFInputError):
    """A sheet reaches further than can be read; the message names the workbook, the sheet and the cell."""


def beyond(xml: bytes, rows: int, columns: int, cells: int | None = None) -> str | None:
    """How a sheet reaches past ``rows``, ``columns`` or ``cells`` (its last row × its last column), or None: the
    extent it declares, and the extent of its cells that hold something (as far as python-calamine would have to
    reach). A sheet whose every row and cell gives its address, none of them past the limits, is within them
    (every sheet Excel saves); any other is read in one pass that stops at the first cell past the limits, a row
    or cell without its address following the one before, as Excel reads it."""
    def past(column: int, row: int) -> bool:
        return row > rows or column > columns or cells is not None and row * column > cells

    if declared := _DIMENSION.search(xml[:4096]):
        last = declared.group(1).split(b":")[-1]
        address = _ADDRESS.fullmatch(last)
        letters, digits = address.groups() if address else (b"", b"")
        if past(_column(letters), int(digits or 0)):
            return f"it declares cells as far as {last.decode('ascii', 'replace')}"
    addresses = _ADDRESSED.findall(xml)
    if len(addresses) == len(_ROWS_AND_CELLS.findall(xml)) and not past(
            max(map(_column, {letters for letters, _ in addresses}), default=0),
            max(map(int, {digits for _, digits in addresses}), default=0)):
        return None
    row = column = last_row = last_column = 0
    for kind, attributes, empty in _ROW_OR_CELL.findall(xml):
        at = _R.search(attributes)
        if kind == b"row":
            row, column = (int(at.group(2)) if at and at.group(2) else row + 1), 0
            continue
        column = _column(at.group(1)) if at and at.group(1) else column + 1
        row = int(at.group(2)) if at and at.group(2) else row
        if not empty:
            last_row, last_column = max(last_row, row), max(last_column, column)
            if past(last_column, last_row):
                return f"it has a cell as far as {xl_rowcol_to_cell(row - 1, column - 1)}"
    return None


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def sheet_part(parts: dict[str, bytes], names: set[str], sheet: str) -> str | None:
    """The part holding a sheet, found through the workbook's relationships (``parts``: the workbook's and its
    relationships' XML by part name; ``names``: every part's) as Excel finds it."""
    workbook = parts.get("xl/workbook.xml", b"").decode("utf-8", "replace")
    rels = parts.get("xl/_rels/workbook.xml.rels", b"").decode("utf-8", "replace")
    rid = re.search(rf'<sheet [^>]*name="{re.escape(html.escape(sheet, quote=False))}"[^>]*r:id="([^"]+)"',
                    workbook)
    target = rid and (re.search(rf'<Relationship [^>]*Id="{rid.group(1)}"[^>]*Target="([^"]+)"', rels)
                      or re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid.group(1)}"', rels))
    if not target:
        return None
    part = target.group(1).lstrip("/")
    part = part if part.startswith("xl/") else f"xl/{part}"
    return part if part in names else None


def check_sheet(path: Path, sheet: str, cells: int = CELLS) -> None:
    """Refuse, naming the workbook, the sheet and the cell, a sheet of an Excel workbook that reaches past
    ``cells``. A workbook that is not a zip of sheets' XML (.xls, .ods) is left to its reader."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            parts = {name: archive.read(name) for name in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")
                     if name in names}
            part = sheet_part(parts, names, sheet)
            xml = archive.read(part) if part else b""
    except (OSError, zipfile.BadZipFile):
        return
    if xml and (why := beyond(xml, 1 << 62, 1 << 62, cells)) is not None:
        raise SheetTooLarge(
            f"{path.name} › {sheet}: not read, as {why.replace('it ', 'the sheet ', 1)}, so that reading it "
            f"would lay out more than {cells:,} cells. Delete whatever was typed or pasted past the sheet's "
            "table (select the rows and columns past it and delete them), save the workbook in Excel and run "
            "again.")


class MeasuredWorkbook:
    """A python-calamine workbook whose every sheet is measured (:func:`check_sheet`) when it is asked for,
    before python-calamine lays it out."""

    def __init__(self, path: Path, book) -> None:
        self.path, self.book = path, book

    @property
    def sheet_names(self) -> list[str]:
        return self.book.sheet_names

    def get_sheet_by_name(self, name: str):
        check_sheet(self.path, name)
        return self.book.get_sheet_by_name(name)
