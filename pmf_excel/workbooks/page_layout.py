"""How every generated sheet fits on screen and on paper: text measured as Calibri draws it, rows and columns
sized to their text, and the print set-up every visible sheet shares.

Neither Excel nor LibreOffice grows a row written by xlsxwriter to fit its
wrapped text when the file is opened, and a column is as wide as it was
written: a long update is cut off, a long ref shows half. So every height
and width is computed here from the text itself, in the metrics of
Calibri (Excel's default font; Carlito, which LibreOffice uses in its place,
has the same widths), wrapping words as Excel does.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from itertools import repeat

#: Advance widths of the characters space (32) to tilde (126) in Calibri, regular then bold, in font units
#: (2,048 to the em), from Carlito's metrics, which are Calibri's.
_REGULAR = (
    463, 667, 821, 1020, 1038, 1464, 1397, 452, 621, 621, 1020, 1020, 511, 627, 517, 791, 1038, 1038, 1038, 1038,
    1038, 1038, 1038, 1038, 1038, 1038, 548, 548, 1020, 1020, 1020, 949, 1831, 1185, 1114, 1092, 1260, 1000, 941,
    1292, 1276, 516, 653, 1064, 861, 1751, 1322, 1356, 1058, 1378, 1112, 941, 998, 1314, 1162, 1822, 1063, 998,
    959, 628, 791, 628, 1020, 1020, 596, 981, 1076, 866, 1076, 1019, 625, 964, 1076, 470, 490, 931, 470, 1636,
    1076, 1080, 1076, 1076, 714, 801, 686, 1076, 925, 1464, 887, 927, 809, 644, 943, 644, 1020)
_BOLD = (
    463, 667, 898, 1020, 1038, 1493, 1443, 478, 638, 638, 1020, 1020, 528, 627, 547, 880, 1038, 1038, 1038, 1038,
    1038, 1038, 1038, 1038, 1038, 1038, 565, 565, 1020, 1020, 1020, 949, 1840, 1241, 1148, 1084, 1291, 999, 940,
    1305, 1292, 546, 678, 1120, 866, 1790, 1349, 1385, 1090, 1405, 1153, 968, 1014, 1337, 1211, 1856, 1128, 1064,
    979, 665, 880, 665, 1020, 1020, 615, 1011, 1099, 857, 1099, 1031, 648, 971, 1099, 503, 523, 983, 503, 1666,
    1099, 1101, 1099, 1099, 728, 817, 710, 1099, 969, 1526, 941, 970, 814, 704, 973, 704, 1020)
#: Characters the council's text uses beyond ASCII (regular, bold); any other is taken as wide as an em dash.
_OTHER = {"£": (1038, 1038), "›": (694, 705), "–": (1020, 1020), "—": (1854, 1854), "’": (511, 528),
          "‘": (511, 528), "“": (857, 891), "”": (857, 891), "é": (1019, 1031), "•": (1020, 1020),
          "×": (1020, 1020), "…": (1414, 1457)}
_UNITS_PER_EM = 2048
_WIDEST = 1854
#: Excel's column width unit is the width of a digit of the default font (7 pixels at 96 dpi, Calibri 11),
#: plus 5 pixels of padding per column; a cell's text stands clear of its borders by about 4 pixels in all.
_DIGIT_PX, _PADDING_PX, _MARGIN_PX = 7, 5, 4
#: A line of wrapped text takes about 1.37 times its font size (Excel's 15 points for Calibri 11), and a row
#: wants a little more beside its lines.
_LINE = 1.37
_ROW_PADDING = 2.5
#: Excel's tallest row, in points.
MAX_ROW_HEIGHT = 409


#: Each character's advance width, regular and bold, in font units.
_WIDTHS = [{chr(32 + index): width for index, width in enumerate(widths)} | {char: pair[style]
           for char, pair in _OTHER.items()} for style, widths in enumerate((_REGULAR, _BOLD))]


@functools.lru_cache(maxsize=65_536)  # wrapping measures word by word, and words repeat from text to text
def text_width(text: str, font_size: float = 11, bold: bool = False) -> float:
    """The width in pixels (96 dpi) Calibri takes to draw ``text`` on one line."""
    widths = _WIDTHS[1 if bold else 0]
    return sum(map(widths.get, text, repeat(_WIDEST))) / _UNITS_PER_EM * font_size * 96 / 72


def room(width: float) -> float:
    """The pixels a column ``width`` (Excel's units) leaves for its text."""
    return max(width * _DIGIT_PX + _PADDING_PX - _MARGIN_PX, 1.0)


@functools.lru_cache(maxsize=65_536)  # a sheet repeats its texts (a file's name, a message) row after row
def wrapped_lines(text: str, width: float, font_size: float = 11, bold: bool = False) -> int:
    """How many lines ``text`` takes in a column ``width`` wide that wraps it: words wrapped as Excel wraps
    them, a word wider than the column broken where it reaches the edge, a line break kept."""
    available, space = room(width), text_width(" ", font_size, bold)
    lines = 0
    for paragraph in str(text).split("\n"):
        lines += 1
        used = 0.0
        for word in paragraph.split(" "):
            size = text_width(word, font_size, bold)
            if used and used + space + size > available:
                lines, used = lines + 1, 0.0
            elif used:
                used += space
            while size > available:  # a word longer than the line runs on to the next
                lines, size = lines + 1, size - available
            used += size
    return lines


def line_height(font_size: float = 11) -> float:
    """The points one line of wrapped text takes."""
    return font_size * _LINE


def fitted_height(cells: Iterable[tuple[str, float]], minimum: float = 15, font_size: float = 11,
                  bold: bool = False) -> float:
    """A row height (points) that shows every wrapped text of the row in full: ``cells`` are (text, the width
    of its column, or of its merged columns), all in one font."""
    lines = max((wrapped_lines(text, width, font_size, bold) for text, width in cells if text), default=1)
    return min(max(minimum, lines * line_height(font_size) + _ROW_PADDING), MAX_ROW_HEIGHT)


def fitted_width(texts: Iterable[object], minimum: float = 6, maximum: float = 60, font_size: float = 11,
                 bold: bool = False) -> float:
    """A column width (Excel's units) that shows the longest line of ``texts`` whole, between ``minimum`` and
    ``maximum``; a text wider than ``maximum`` then wraps, and its row is given the height to show it."""
    shown = dict.fromkeys(str(text) for text in texts if text not in (None, ""))  # a column repeats its words
    widest = max((text_width(line, font_size, bold) for text in shown for line in text.split("\n")), default=0.0)
    needed = (widest + _MARGIN_PX - _PADDING_PX) / _DIGIT_PX + 0.5
    return round(min(max(needed, minimum), maximum), 1)


def merged_width(widths: Iterable[float]) -> float:
    """The width (Excel's units) of columns merged into one cell: their pixels, padding included."""
    pixels = sum(width * _DIGIT_PX + _PADDING_PX for width in widths)
    return (pixels - _PADDING_PX) / _DIGIT_PX


#: The paper every sheet prints on (xlsxwriter's 9 is A4).
A4 = 9
#: What the page header of every sheet of the corporate workbook says, beside the quarter.
REPORT_TITLE = "Corporate Performance Report"
#: What a reference sheet's printed page says of itself: long tables kept for Excel's filters print their headings
#: only with the workbook, so that printing it gives the report.
REFERENCE_NOTE = "Reference sheet: its headings only print with the workbook; select rows and Print Selection"
#: The size of the report sheets' text and figures: small enough for a wide table to print one page wide.
SMALL = 9


def return_title(directorate: str) -> str:
    """What the page header of every sheet of a directorate's return says, beside the quarter."""
    return f"{directorate} performance return"


def set_up_printing(sheet, title: str, quarter: str, *, repeat: int | tuple[int, int] | None = None,
                    landscape: bool = True, pages_high: int = 0, area: tuple[int, int, int, int] | None = None,
                    note: str = "") -> None:
    """A4, one page wide (``pages_high`` pages tall, 0 for as many as it needs), the heading rows ``repeat`` on
    every page, and every page headed with ``title`` and the quarter and footed with the sheet's name and
    "Page n of N". ``area`` (first row, first column, last row, last column) limits what prints: the hidden
    columns a sheet's formulas read are left out of it. ``note`` is said in the middle of the page header."""
    sheet.set_paper(A4)
    if landscape:
        sheet.set_landscape()
    else:
        sheet.set_portrait()
    sheet.fit_to_pages(1, pages_high)
    sheet.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.6)
    middle = f"&C&8{_escaped(note)}" if note else ""
    sheet.set_header(f"&L&8{_escaped(title)}{middle}&R&8{_escaped(quarter)}", {"margin": 0.3})
    sheet.set_footer("&L&8&A&R&8Page &P of &N", {"margin": 0.3})
    if repeat is not None:
        sheet.repeat_rows(*(repeat if isinstance(repeat, tuple) else (repeat,)))
    if area is not None:
        sheet.print_area(*area)


def _escaped(text: str) -> str:
    """Text for a page header, after a font size code: an ampersand is a header code, so it is doubled, and a
    leading digit would be read as part of the size (``&8`` then ``2023/24 Q2``), so a space goes first."""
    text = text.replace("&", "&&")
    return f" {text}" if text[:1].isdigit() else text

