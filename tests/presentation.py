"""How a generated workbook reads and prints, checked from the file: figures in their units, every visible sheet
set up to print, no text cut off by its cell.

Text is measured in Calibri's metrics (:mod:`pmf_excel.workbooks.page_layout`,
which LibreOffice shares through Carlito): a wrapped text must fit the lines
its row's height gives it; an unwrapped one its column, unless it is text
running on into empty cells to its right; a number the width of what its
format shows (Excel shows ``###`` otherwise).
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

from pmf_excel.workbooks.page_layout import line_height, room, text_width, wrapped_lines

#: xlsxwriter writes a column's width with Excel's padding added (13 is stored as 13.71): the width set is this less.
_PADDING = 0.7109375
DEFAULT_WIDTH, DEFAULT_HEIGHT = 8.43, 15.0
#: How far a row may fall short of its text before a line is cut: a little leeway for rounding.
_LEEWAY = 1.5


@dataclass(frozen=True)
class Problem:
    sheet: str
    cell: str
    what: str

    def __str__(self) -> str:
        return f"{self.sheet}!{self.cell}: {self.what}"


def shown(value: object, number_format: str) -> str:
    """What a cell shows: a number as its format shows it (near enough to measure), a text as it is."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (dt.timedelta, dt.time)):  # openpyxl reads a time-formatted number as one
        seconds = value.total_seconds() if isinstance(value, dt.timedelta) else \
            value.hour * 3600 + value.minute * 60 + value.second
        value = seconds / 86_400
    if isinstance(value, (dt.datetime, dt.date)):
        return "00/00/0000"
    if not isinstance(value, (int, float)):
        return str(value)
    if number_format in ("General", "", None):
        return f"{value:.10g}"
    if number_format.startswith('"TRUE"'):
        return "FALSE"
    section = number_format.split(";")[0] if value >= 0 or ";" not in number_format else number_format.split(";")[1]
    literals = re.findall(r'"([^"]*)"', section)
    code = re.sub(r'"[^"]*"', "", section)
    if "[m]" in code:
        seconds = round(abs(value) * 86_400)
        return f"{seconds // 60}:{seconds % 60:02d}"
    number = abs(value) * (100 if "%" in code else 1)
    digits = re.search(r"[0#,]+(\.[0#]*)?,*", code)
    scale = len(digits.group(0)) - len(digits.group(0).rstrip(",")) if digits else 0
    number /= 1000 ** scale
    places = len(digits.group(1)) - 1 if digits and digits.group(1) else 0
    body = f"{number:,.{places}f}" if "," in (digits.group(0).rstrip(",") if digits else "") else f"{number:.{places}f}"
    prefix = code[:code.find(digits.group(0))] if digits else ""
    sign = "-" if value < 0 and ";" not in number_format else ""
    return sign + prefix.replace("\\", "") + body + "".join(literals) + ("%" if "%" in code else "")


def _widths(sheet) -> dict[int, float]:
    widths: dict[int, float] = {}
    for dimension in sheet.column_dimensions.values():
        if dimension.width is None or not dimension.min:
            continue
        for col in range(dimension.min, dimension.max + 1):
            widths[col] = 0.0 if dimension.hidden else max(dimension.width - _PADDING, 0.0)
    return widths


def visible_sheets(path: Path) -> Iterator:
    with warnings.catch_warnings():  # openpyxl drops the sparklines it cannot read
        warnings.simplefilter("ignore", UserWarning)
        book = openpyxl.load_workbook(path, data_only=True)
    yield from (sheet for sheet in book.worksheets if sheet.sheet_state == "visible")


def problems(path: Path) -> list[Problem]:
    """Every way ``path`` fails to read or print as a council report, over its visible sheets."""
    found: list[Problem] = []
    for sheet in visible_sheets(path):
        found += page_set_up(sheet) + figures_in_general(sheet) + clipped(sheet)
    return found


def page_set_up(sheet) -> list[Problem]:
    """A visible sheet prints on A4, one page wide, oriented, its name and "Page n of N" on every page."""
    setup, missing = sheet.page_setup, []
    if str(setup.paperSize) != "9":
        missing.append("A4 paper")
    if setup.orientation not in ("landscape", "portrait"):
        missing.append("an orientation")
    if not (sheet.sheet_properties.pageSetUpPr and sheet.sheet_properties.pageSetUpPr.fitToPage) \
            or setup.fitToWidth not in (1, "1", None):
        missing.append("fit to one page wide")
    header = "".join(part.text or "" for part in (sheet.oddHeader.left, sheet.oddHeader.center,
                                                  sheet.oddHeader.right))
    footer = "".join(part.text or "" for part in (sheet.oddFooter.left, sheet.oddFooter.center,
                                                  sheet.oddFooter.right))
    if "&P" not in footer or "&N" not in footer:
        missing.append('"Page &P of &N" in the footer')
    if "&A" not in header + footer:
        missing.append("the sheet's name in the header or footer")
    return [Problem(sheet.title, "-", f"no {what}") for what in missing]


def figures_in_general(sheet) -> list[Problem]:
    """A fractional number (a percentage held as 0.71) in General format shows raw: 0.71, -207000.5."""
    hidden = {col for col, width in _widths(sheet).items() if width == 0}
    return [Problem(sheet.title, cell.coordinate, f"{cell.value!r} in General format")
            for row in sheet.iter_rows() for cell in row
            if isinstance(cell.value, float) and not cell.value.is_integer()
            and cell.number_format == "General" and cell.column not in hidden]


def clipped(sheet) -> list[Problem]:
    """Every cell whose text its cell cuts off: more wrapped lines than its row's height shows, or wider than
    its column (a text with empty cells to its right runs on into them; a number shows ###)."""
    widths = _widths(sheet)
    merged = {}
    for cells in sheet.merged_cells.ranges:
        merged[(cells.min_row, cells.min_col)] = cells
    covered = {(r, c) for cells in sheet.merged_cells.ranges for r in range(cells.min_row, cells.max_row + 1)
               for c in range(cells.min_col, cells.max_col + 1)}

    def width(col: int) -> float:
        return widths.get(col, DEFAULT_WIDTH)

    def height(row: int) -> float:
        found = sheet.row_dimensions[row].height if row in sheet.row_dimensions else None
        return DEFAULT_HEIGHT if found is None else found

    found = []
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value in (None, "") or width(cell.column) == 0:
                continue
            span = merged.get((cell.row, cell.column))
            if span is None and (cell.row, cell.column) in covered:
                continue
            columns = range(cell.column, (span.max_col if span else cell.column) + 1)
            rows = range(cell.row, (span.max_row if span else cell.row) + 1)
            across = sum(width(col) * 7 + 5 for col in columns if width(col)) / 7 - 5 / 7
            tall = sum(height(r) for r in rows)
            text = shown(cell.value, cell.number_format)
            size, bold = float(cell.font.sz or 11), bool(cell.font.b)
            wraps = bool(cell.alignment.wrap_text)
            if wraps and isinstance(cell.value, str):
                lines = wrapped_lines(text, across, size, bold)
                if lines * line_height(size) > tall + _LEEWAY:
                    found.append(Problem(sheet.title, cell.coordinate,
                                         f"{text[:40]!r} needs {lines} line(s) ({lines * line_height(size):.0f} "
                                         f"points), its row shows {tall:.0f}"))
                continue
            needed = text_width(text, size, bold)
            if needed <= room(across):
                continue
            if isinstance(cell.value, str) and span is None and cell.alignment.horizontal in (None, "general", "left"):
                reach, col = room(across), cell.column + 1
                while reach < needed and sheet.cell(cell.row, col).value in (None, "") \
                        and (cell.row, col) not in covered and col <= cell.column + 30:
                    reach += width(col) * 7 + 5
                    col += 1
                if reach >= needed:
                    continue
            found.append(Problem(sheet.title, cell.coordinate,
                                 f"{text[:40]!r} is {needed:.0f} pixels wide, its cell "
                                 f"{get_column_letter(cell.column)} shows {room(across):.0f}"))
    return found
