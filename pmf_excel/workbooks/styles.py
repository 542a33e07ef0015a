"""The look every generated workbook shares: RAG colours, number formats by kind of value, cell styles.

One place, so that a return, the corporate workbook and the examples sheet
show Green, a percentage or a duration the same way.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

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

#: How many decimal places each kind of figure shows, at least and at most (a percentage in points, money in
#: its own scale): enough for every figure a measure has, so that 53.49% is not shown as 53.5%.
_PLACES: dict[Kind, tuple[int, int]] = {Kind.PERCENTAGE: (1, 2), Kind.COUNT: (0, 2), Kind.NUMBER: (0, 2),
                                        Kind.DAYS: (1, 2), Kind.RATING: (1, 2)}
#: Money is shown in pounds, thousands or millions, by the size of the measure's largest figure (as the engine
#: prints it: £207k, £1.222m), with the places that scale needs.
#: Each scale: (the largest figure from which it is used, what it divides by, its format's ending, most places).
_MONEY_SCALES = ((1_000_000, 1_000_000, ',,"m"', 3), (10_000, 1_000, ',"k"', 1), (0, 1, "", 2))
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


def format_for(kind: Kind, figures: Iterable[object] = (), unit: str = "") -> str:
    """The Excel number format of a measure's figures: its unit (``kind``, and ``unit`` for a rating out of 5),
    with as many places as its ``figures`` need. The one mapping from a measure's unit to a cell's format, so a
    figure looks the same in the return it was typed in, the corporate report and every sheet after them."""
    numbers = [float(n) for n in figures
               if isinstance(n, (int, float)) and not isinstance(n, bool) and math.isfinite(n)]
    if kind is Kind.PERCENTAGE:
        return f"0{_decimals(numbers, 100, kind)}%"
    if kind is Kind.MONEY:
        largest = max((abs(n) for n in numbers), default=0.0)
        divisor, suffix, most = next(scale[1:] for scale in _MONEY_SCALES if largest >= scale[0])
        shown = f"£#,##0{_places(numbers, 1 / divisor, 0, most)}{suffix}"
        return f"{shown};-{shown}"
    if kind is Kind.DURATION:
        return "[m]:ss"
    if kind is Kind.DAYS:
        return f'0{_decimals(numbers, 1, kind)} "days"'
    if kind is Kind.RATING:
        return f'0{_decimals(numbers, 1, kind)}"{unit or "/5"}"'
    if kind is Kind.CATEGORY:
        return '"Category "0'
    if kind in (Kind.COUNT, Kind.NUMBER):
        return f"#,##0{_decimals(numbers, 1, kind)}"
    return "General"


def _decimals(numbers: list[float], times: float, kind: Kind) -> str:
    least, most = _PLACES[kind]
    return _places(numbers, times, least, most)


def _places(numbers: list[float], times: float, least: int, most: int) -> str:
    """The decimal part of a format showing every number (multiplied by ``times``) to at most ``most`` places."""
    places = least
    for number in numbers:
        shown = round(number * times, most)
        while places < most and abs(round(shown, places) - shown) > 1e-9 * max(1.0, abs(shown)):
            places += 1
    return "." + "0" * places if places else ""
