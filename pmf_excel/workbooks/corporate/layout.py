"""The corporate workbook's shared look: its cell formats, state colours, and how a value is written."""

from __future__ import annotations

import datetime as dt

from ...rules.policy import DEFAULT_POLICY, Policy
from ..styles import DOT_COLOURS, HEADER, LOCKED_TEXT, RAG_COLOURS, RESULT, TITLE


class Styles:
    def __init__(self, workbook, policy: Policy = DEFAULT_POLICY):
        self.title = workbook.add_format(TITLE)
        self.header = workbook.add_format(HEADER)
        self.text = workbook.add_format({**LOCKED_TEXT, "font_size": 9})
        self.result = workbook.add_format(RESULT)
        self.boolean = workbook.add_format({**RESULT, "num_format": '"TRUE";"TRUE";"FALSE"'})
        self.outcome = workbook.add_format({"bold": True, "font_size": 12, "font_color": "#FFFFFF",
                                            "bg_color": "#2F75B5"})
        self.number = workbook.add_format({**LOCKED_TEXT, "num_format": "General", "text_wrap": False})
        self.duration = workbook.add_format({**LOCKED_TEXT, "num_format": "[m]:ss", "text_wrap": False})
        self.date = workbook.add_format({**LOCKED_TEXT, "num_format": "dd/mm/yyyy", "text_wrap": False})
        self.count = workbook.add_format({"border": 1, "border_color": "#D9D9D9", "align": "center"})
        self.bold = workbook.add_format({"bold": True})
        self.hidden = workbook.add_format({"locked": True, "font_color": "#808080"})
        self.colours = {said: workbook.add_format({"bg_color": fill, "font_color": font})
                        for state, (fill, font) in {**RAG_COLOURS, **DOT_COLOURS}.items()
                        for said in dict.fromkeys((policy.shown(state), state))}
        self.severity = {"Error": workbook.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"}),
                         "Warning": workbook.add_format({"bg_color": "#FFEB9C", "font_color": "#9C5700"})}


def colour_states(sheet, styles: Styles, first: int, last: int, col: int) -> None:
    for state, style in styles.colours.items():
        sheet.conditional_format(first, col, last, col, {"type": "cell", "criteria": "==",
                                                        "value": f'"{state}"', "format": style})


def write_value(sheet, row: int, col: int, value: object, styles: Styles) -> None:
    if value is None or value == "":
        sheet.write_blank(row, col, None, styles.text)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value, styles.boolean)
    elif isinstance(value, (int, float)):
        sheet.write_number(row, col, value, styles.number)
    elif isinstance(value, dt.timedelta):  # a time-formatted cell of a return: write it back as Excel's time
        sheet.write_number(row, col, value.total_seconds() / 86_400, styles.duration)
    elif isinstance(value, dt.datetime):
        sheet.write_datetime(row, col, value, styles.date)
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time()), styles.date)
    else:
        sheet.write_string(row, col, str(value), styles.text)
