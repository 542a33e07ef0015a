"""The sheets the report keeps and the performance team maintains: Settings, the catalogue sheets,
and the tables of records (History, Comparators, Rules).

They are references, long and kept for Excel's filters: each is set up to
print, but only its heading row prints with the workbook (a print area), so
printing the whole workbook gives the report, not hundreds of pages of
History; a selection of rows prints with Print Selection.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from ...framework.catalogue import Catalogue
from ..catalogue_sheets import ACTION_COLUMNS, CATALOGUE_COLUMNS, action_rows, catalogue_rows
from ..page_layout import REFERENCE_NOTE, REPORT_TITLE, fitted_height, fitted_width, set_up_printing
from .layout import SMALL, Styles, print_report_sheet, write_value

#: (caption, VBA macro in macros/PMF.bas, cell) of each button on the Settings sheet.
BUTTONS = (("Consolidate", "Consolidate", "D3"), ("New quarter returns", "NewQuarterReturns", "D6"))
#: A reference sheet's widest column: longer text wraps.
WIDEST = 44
#: The number formats of a table's row, by column (a History row's figures, in its measure's unit).
RowFormats = Callable[[Sequence[object]], dict[int, str]]


def write_settings_sheet(sheet, styles: "Styles", values: dict[str, str], buttons: bool) -> None:
    """What the buttons need: the quarter and the returns folder, which the performance team may change."""
    widths = (22, max(60.0, fitted_width(values.values(), font_size=SMALL, maximum=120)))
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    sheet.write_string(0, 0, "Setting", styles.header)
    sheet.write_string(0, 1, "Value", styles.header)
    for row, (name, value) in enumerate(values.items(), start=1):
        sheet.write_string(row, 0, name, styles.bold)
        sheet.write_string(row, 1, value, styles.text)
        sheet.set_row(row, fitted_height([(value, widths[1])], font_size=SMALL))
    if buttons:
        for caption, macro, cell in BUTTONS:
            sheet.insert_button(cell, {"macro": macro, "caption": caption, "width": 160, "height": 32})
    print_report_sheet(sheet, values.get("Quarter", ""), header_row=None, landscape=False)


def write_table(sheet, styles: Styles, rows: list[list[object]], quarter: str,
                formats: RowFormats | None = None) -> None:
    """A sheet that is a table of records (:class:`~pmf_excel.tables.Table`): headings, then one row each; each
    column as wide as its longest line (wider text wraps, and its row is given the height to show it), and
    ``formats`` the number formats of a row's figures."""
    headings, records = rows[0], rows[1:]
    widths = [fitted_width([_as_shown(value) for value in column[1:]], minimum=6, maximum=WIDEST, font_size=SMALL)
              for column in zip(*rows)] if records else [12.0] * len(headings)
    widths = [max(width, fitted_width([heading], minimum=6, maximum=14, bold=True))
              for width, heading in zip(widths, headings)]
    for col, (heading, width) in enumerate(zip(headings, widths)):
        sheet.write_string(0, col, heading, styles.header)
        sheet.set_column(col, col, width)
    sheet.set_row(0, fitted_height(list(zip(headings, widths)), bold=True))
    for row, values in enumerate(records, start=1):
        shown = formats(values) if formats else {}
        for col, value in enumerate(values):
            write_value(sheet, row, col, value, styles, shown.get(col, "General"))
        sheet.set_row(row, fitted_height([(value, width) for value, width in zip(values, widths)
                                          if isinstance(value, str)], font_size=SMALL))
    sheet.autofilter(0, 0, max(len(rows) - 1, 1), len(headings) - 1)
    sheet.freeze_panes(1, 1)
    print_reference_sheet(sheet, quarter, len(headings) - 1)


def _as_shown(value: object) -> str:
    """A cell's value as wide as it shows, near enough to size its column: a date as dd/mm/yyyy, a number with its
    thousands and two places (its format shows no more)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return "00/00/0000"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:,.2f}"
    return "" if value is None else str(value)


def print_reference_sheet(sheet, quarter: str, last_col: int) -> None:
    """A reference sheet prints its heading row only with the workbook, and says so on the page."""
    set_up_printing(sheet, REPORT_TITLE, quarter, repeat=0, area=(0, 0, 0, last_col), note=REFERENCE_NOTE)


def write_catalogue_sheet(sheet, styles: Styles, catalogue: Catalogue, quarter: str) -> None:
    write_table(sheet, styles, [list(CATALOGUE_COLUMNS), *catalogue_rows(catalogue)], quarter)


def write_catalogue_actions_sheet(sheet, styles: Styles, catalogue: Catalogue, quarter: str) -> None:
    write_table(sheet, styles, [list(ACTION_COLUMNS), *action_rows(catalogue)], quarter)
