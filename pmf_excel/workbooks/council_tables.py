"""A council's own spreadsheet read as it is: a workbook's sheet or a CSV file, its headings and its rows.

The tracker a council keeps and the table it publishes are laid out its way:
a title above the headings, notes below, a sheet among others. The headings
are found as the first row that holds the heading of the council's ref
column; every row below keeps its number as the council sees it, so that a
problem can be named by row and column.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from python_calamine import CalamineWorkbook

from ..framework.council_mapping import SheetRow
from ..rules.errors import PMFInputError
from ..rules.text import squash
from .sheet_extent import MeasuredWorkbook

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}


class TableError(PMFInputError):
    """A spreadsheet that cannot be read at all: the message names the file (and sheet) and says why."""


class CouncilTable:
    """The rows under the headings of one sheet (or CSV file)."""

    def __init__(self, source: str, sheet: str, headings: list[str], rows: list[SheetRow]):
        self.source, self.sheet, self.headings, self.rows = source, sheet, headings, rows


def read_council_table(path: Path, ref_headings: list[str], sheet: str = "") -> CouncilTable:
    """The sheet (``sheet``, else the first whose rows hold a heading of ``ref_headings``) or CSV file at ``path``,
    from its heading row down."""
    if not path.exists():
        raise TableError(f"{path} does not exist.")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _table(path.name, "", _csv_rows(path), ref_headings)
    if suffix not in WORKBOOK_SUFFIXES:
        raise TableError(f"{path.name} is neither a workbook (.xlsx, .xlsm, .xls, .ods) nor a CSV file.")
    try:
        book = MeasuredWorkbook(path, CalamineWorkbook.from_path(str(path)))
    except Exception as error:  # noqa: BLE001 - any file calamine cannot open is the same message
        raise TableError(f"{path.name} cannot be read as a workbook ({type(error).__name__}: {error}).") from None
    if sheet and sheet not in book.sheet_names:
        raise TableError(f"{path.name} has no sheet named {sheet!r} (its sheets are: {', '.join(book.sheet_names)}).")
    for name in [sheet] if sheet else book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        if _header_at(rows, ref_headings) is not None:
            return _table(path.name, name, rows, ref_headings)
    raise TableError(f"{path.name}: no sheet has a heading row with the ref column "
                     f"({', '.join(map(repr, ref_headings))}); the mapping's columns.ref names it.")


def _csv_rows(path: Path) -> list[list[object]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [list(row) for row in csv.reader(io.StringIO(text, newline=""), dialect)]


def _header_at(rows: list[list[object]], ref_headings: list[str]) -> int | None:
    keys = {squash(heading) for heading in ref_headings}
    return next((index for index, row in enumerate(rows)
                 if any(squash(str(cell)) in keys for cell in row if cell not in (None, ""))), None)


def _table(source: str, sheet: str, rows: list[list[object]], ref_headings: list[str]) -> CouncilTable:
    at = _header_at(rows, ref_headings)
    if at is None:
        raise TableError(f"{source}: no heading row with the ref column ({', '.join(map(repr, ref_headings))}) was "
                         "found; the mapping's columns.ref names it.")
    headings = [str(cell).strip() if cell not in (None, "") else "" for cell in rows[at]]
    found = [SheetRow(number=index + 1, cells={heading: _cell(row[col]) for col, heading in enumerate(headings)
                                               if heading and col < len(row)})
             for index, row in enumerate(rows[at + 1:], start=at + 1)]
    kept = [row for row in found if any(value is not None for value in row.cells.values())]
    return CouncilTable(source, sheet, headings, kept)


def _cell(value: object) -> object:
    """A cell as the engine reads it: blank is None, text is stripped, a number stays a number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return value.strip() if isinstance(value, str) else value
