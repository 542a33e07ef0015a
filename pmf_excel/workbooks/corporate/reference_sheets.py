"""The sheets the report keeps and the performance team maintains: Settings, the catalogue sheets,
and the tables of records (History, Comparators, Rules)."""

from __future__ import annotations

from ...framework.catalogue import Catalogue
from ..catalogue_sheets import ACTION_COLUMNS, CATALOGUE_COLUMNS, action_rows, catalogue_rows
from .layout import Styles, write_value

#: (caption, VBA macro in macros/PMF.bas, cell) of each button on the Settings sheet.
BUTTONS = (("Consolidate", "Consolidate", "D3"), ("New quarter returns", "NewQuarterReturns", "D6"))


def write_settings_sheet(sheet, styles: "Styles", values: dict[str, str], buttons: bool) -> None:
    """What the buttons need: the quarter and the returns folder, which the performance team may change."""
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 60)
    sheet.write_string(0, 0, "Setting", styles.header)
    sheet.write_string(0, 1, "Value", styles.header)
    for row, (name, value) in enumerate(values.items(), start=1):
        sheet.write_string(row, 0, name, styles.bold)
        sheet.write_string(row, 1, value, styles.text)
    if buttons:
        for caption, macro, cell in BUTTONS:
            sheet.insert_button(cell, {"macro": macro, "caption": caption, "width": 160, "height": 32})


def write_table(sheet, styles: Styles, rows: list[list[object]]) -> None:
    """A sheet that is a table of records (:class:`~pmf_excel.tables.Table`): headings, then one row each."""
    for col, heading in enumerate(rows[0]):
        sheet.write_string(0, col, heading, styles.header)
        sheet.set_column(col, col, 40 if heading in ("Action", "Risk", "Controls", "Further actions", "Why",
                                                     "What it means") else 14)
    for row, values in enumerate(rows[1:], start=1):
        for col, value in enumerate(values):
            write_value(sheet, row, col, value, styles)
    sheet.autofilter(0, 0, max(len(rows) - 1, 1), len(rows[0]) - 1)
    sheet.freeze_panes(1, 1)


def write_catalogue_sheet(sheet, styles: Styles, catalogue: Catalogue) -> None:
    for col, heading in enumerate(CATALOGUE_COLUMNS):
        sheet.write_string(0, col, heading, styles.header)
        sheet.set_column(col, col, 40 if heading == "Indicator" else 16)
    for row, values in enumerate(catalogue_rows(catalogue), start=1):
        for col, value in enumerate(values):
            sheet.write_string(row, col, value, styles.text)
    sheet.autofilter(0, 0, len(catalogue.measures), len(CATALOGUE_COLUMNS) - 1)
    sheet.freeze_panes(1, 1)


def write_catalogue_actions_sheet(sheet, styles: Styles, catalogue: Catalogue) -> None:
    for col, heading in enumerate(ACTION_COLUMNS):
        sheet.write_string(0, col, heading, styles.header)
        sheet.set_column(col, col, 40 if heading in ("Corporate Plan commitment", "Action") else 14)
    for row, values in enumerate(action_rows(catalogue), start=1):
        for col, value in enumerate(values):
            write_value(sheet, row, col, value, styles)
    sheet.autofilter(0, 0, max(len(catalogue.actions), 1), len(ACTION_COLUMNS) - 1)
    sheet.freeze_panes(1, 1)
