"""The corporate workbook's shared look: its cell formats, state colours, how a value is written, and how each
sheet prints."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from ...rules.models import Kind
from ...rules.policy import DEFAULT_POLICY, Policy
from ..page_layout import REPORT_TITLE, SMALL, set_up_printing
from ..styles import DOT_COLOURS, HEADER, LOCKED_TEXT, RAG_COLOURS, RESULT, TITLE, format_for



class Styles:
    """The corporate workbook's formats; ``units`` (measure line ref → its unit) gives each figure its format."""

    def __init__(self, workbook, policy: Policy = DEFAULT_POLICY, units: Mapping[str, tuple[Kind, str]] = {}):
        self.title = workbook.add_format(TITLE)
        self.header = workbook.add_format(HEADER)
        self.text = workbook.add_format({**LOCKED_TEXT, "font_size": SMALL})
        self.result = workbook.add_format({**RESULT, "font_size": SMALL})
        self.boolean = workbook.add_format({**RESULT, "font_size": SMALL, "num_format": '"TRUE";"TRUE";"FALSE"'})
        self.outcome = workbook.add_format({"bold": True, "font_size": 12, "font_color": "#FFFFFF",
                                            "bg_color": "#2F75B5"})
        self.duration = workbook.add_format({**LOCKED_TEXT, "font_size": SMALL, "num_format": "[m]:ss",
                                             "text_wrap": False})
        self.date = workbook.add_format({**LOCKED_TEXT, "font_size": SMALL, "num_format": "dd/mm/yyyy",
                                         "text_wrap": False})
        self.count = workbook.add_format({"border": 1, "border_color": "#D9D9D9", "align": "center"})
        self.bold = workbook.add_format({"bold": True})
        self.plain = workbook.add_format({"text_wrap": True, "valign": "top"})
        self.hidden = workbook.add_format({"locked": True, "font_color": "#808080"})
        self.colours = {said: workbook.add_format({"bg_color": fill, "font_color": font})
                        for state, (fill, font) in {**RAG_COLOURS, **DOT_COLOURS}.items()
                        for said in dict.fromkeys((policy.shown(state), state))}
        self.severity = {"Error": workbook.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"}),
                         "Warning": workbook.add_format({"bg_color": "#FFEB9C", "font_color": "#9C5700"})}
        self.units = dict(units)
        self._numbers: dict[str, object] = {}
        self._workbook = workbook

    def number(self, num_format: str = "General"):
        """A figure's cell format: its number format, on one line."""
        if num_format not in self._numbers:
            self._numbers[num_format] = self._workbook.add_format(
                {**LOCKED_TEXT, "font_size": SMALL, "num_format": num_format, "text_wrap": False})
        return self._numbers[num_format]

    def figure_format(self, ref: str, figures: Iterable[object]) -> str:
        """The number format of a measure line's figures, in the unit the catalogue gives its measure."""
        kind, unit = self.units.get(ref, (Kind.NUMBER, ""))
        return format_for(kind, figures, unit)


def colour_states(sheet, styles: Styles, first: int, last: int, col: int) -> None:
    for state, style in styles.colours.items():
        sheet.conditional_format(first, col, last, col, {"type": "cell", "criteria": "==",
                                                        "value": f'"{state}"', "format": style})


def write_value(sheet, row: int, col: int, value: object, styles: Styles, num_format: str = "General") -> None:
    """A cell as the workbook shows it: a number in ``num_format`` (its measure's unit, for a figure), a duration
    as Excel's time, a date as a date, anything else as text (a figure read from a text cell stays text)."""
    if isinstance(value, str) and value:  # most cells, so asked first
        sheet.write_string(row, col, value, styles.text)
    elif value is None or value == "":
        sheet.write_blank(row, col, None, styles.text)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value, styles.boolean)
    elif isinstance(value, (int, float)):
        sheet.write_number(row, col, value, styles.number(num_format))
    elif isinstance(value, dt.timedelta):  # a time-formatted cell of a return: write it back as Excel's time
        sheet.write_number(row, col, value.total_seconds() / 86_400, styles.duration)
    elif isinstance(value, dt.datetime):
        sheet.write_datetime(row, col, value, styles.date)
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time()), styles.date)
    else:
        sheet.write_string(row, col, str(value), styles.text)


def print_report_sheet(sheet, quarter: str, header_row: int | None, last_col: int | None = None,
                       last_row: int | None = None, landscape: bool = True, pages_high: int = 0) -> None:
    """A report sheet set up to print: A4, one page wide, its heading row on every page; ``last_col`` (with
    ``last_row``) keeps the hidden columns the verdicts read off the page."""
    area = (0, 0, last_row, last_col) if last_col is not None and last_row is not None else None
    set_up_printing(sheet, REPORT_TITLE, quarter, repeat=header_row, landscape=landscape, pages_high=pages_high,
                    area=area)

