"""The look every generated workbook shares: RAG colours, number formats by kind of value, cell styles.

One place, so that a return, the corporate workbook and the examples sheet
show Green, a percentage or a duration the same way.
"""

from __future__ import annotations

import math

from ..rules.models import Kind

#: (fill, font) for each state a RAG cell can show; the light fills of Excel's own "Good/Neutral/Bad" styles.
RAG_COLOURS: dict[str, tuple[str, str]] = {
    "Green": ("#C6EFCE", "#006100"),
    "Amber": ("#FFEB9C", "#9C5700"),
    "Red": ("#FFC7CE", "#9C0006"),
    "No target": ("#D9D9D9", "#404040"),
    "No data": ("#D9D9D9", "#404040"),
    "Complete": ("#BDD7EE", "#1F4E78"),
    "No update": ("#D9D9D9", "#404040"),
    "Checked later": ("#EDEDED", "#404040"),
    "Not due": ("#EDEDED", "#808080"),
}
DOT_COLOURS: dict[str, tuple[str, str]] = {
    "Improving": ("#C6EFCE", "#006100"),
    "Worsening": ("#FFC7CE", "#9C0006"),
    "No change": ("#FFFFFF", "#404040"),
    "Not comparable": ("#FFFFFF", "#808080"),
}

#: Excel number formats by kind of value, so that a performance cell shows what the co-ordinator expects.
NUMBER_FORMATS: dict[Kind, str] = {
    Kind.PERCENTAGE: "0.00%",
    Kind.MONEY: '£#,##0;-£#,##0',
    Kind.COUNT: "#,##0.##",
    Kind.DURATION: "[m]:ss",
    Kind.DAYS: '0.00 "days"',
    Kind.RATING: '0.00 "/ 5"',
    Kind.CATEGORY: '"Category "0',
    Kind.NUMBER: "General",
    Kind.MISSING: "General",
}

#: What a co-ordinator is told to type, by kind of value.
TYPING_HINTS: dict[Kind, str] = {
    Kind.PERCENTAGE: "a percentage, e.g. 71%",
    Kind.MONEY: "an amount in pounds, e.g. -207000 for a £207k deficit",
    Kind.COUNT: "a number, e.g. 163278",
    Kind.DURATION: "a time as h:mm:ss, e.g. 0:01:27 for 1 min 27 secs (or type '1 min 27 secs')",
    Kind.DAYS: "a number of days, e.g. 5.75",
    Kind.RATING: "a rating out of 5, e.g. 4.54",
    Kind.CATEGORY: "the category number, e.g. 2",
    Kind.NUMBER: "a number",
    Kind.MISSING: "a figure",
}

HEADER = {"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E78", "text_wrap": True,
          "valign": "top", "border": 1, "border_color": "#BFBFBF"}
TITLE = {"bold": True, "font_size": 14, "font_color": "#1F4E78"}
LOCKED_TEXT = {"text_wrap": True, "valign": "top", "border": 1, "border_color": "#D9D9D9", "locked": True}
INPUT = {"bg_color": "#FFF2CC", "border": 1, "border_color": "#BF9000", "locked": False, "valign": "top"}
RESULT = {"align": "center", "valign": "top", "border": 1, "border_color": "#D9D9D9", "locked": True}


def format_for(kind: Kind) -> str:
    return NUMBER_FORMATS.get(kind, "General")


def fitted_height(cells: list[tuple[str, float]], minimum: float = 15, font_size: float = 11) -> float:
    """A row height (points) that shows every wrapped text in full: ``cells`` are (text, column width).

    Neither xlsxwriter nor Excel fits a row to its wrapped text when a file is
    opened, so a fixed height cuts long updates off; this estimates the lines
    each text wraps to (with a margin: a line holds fewer characters than it
    could) and sizes the row for the longest.
    Excel's limit is 409 points.
    """
    per_unit = 1.1 * 11 / font_size  # prose at 11 points fits about 1.2 characters in a width unit
    lines = max((math.ceil(len(text) / (max(width - 1, 1) * per_unit)) + text.count("\n")
                 for text, width in cells if text), default=1)
    return min(max(minimum, lines * font_size * 1.3 + 4), 409)
