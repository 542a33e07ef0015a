"""Trends in the corporate workbook: each indicator's last eight quarters from History, a sparkline per
indicator, and an Indicator trend sheet charting one picked indicator against its target.

The Trends sheet holds the figures once; the sparklines and the Indicator
trend sheet read its cells, so they agree with it wherever the workbook is
opened. The Indicator trend sheet looks the picked ref up with native
``INDEX``/``MATCH`` formulas, the engine's answers cached for the ref picked
when it was written, so the chart follows whichever ref a reader picks.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence

from pydantic import ConfigDict
from xlsxwriter.utility import quote_sheetname, xl_col_to_name, xl_rowcol_to_cell

from ..framework.history import ACTION_HISTORY, HistoryRow
from ..framework.quarters import previous_quarter
from ..framework.records import Record
from .page_layout import REFERENCE_NOTE, REPORT_TITLE, fitted_height, fitted_width, set_up_printing
from .styles import HEADER, INPUT, LOCKED_TEXT, RAG_COLOURS, TITLE

TRENDS_SHEET = "Trends"
TREND_SHEET = "Indicator trend"
QUARTERS_SHOWN = 8
TRENDS_COLUMNS = [("Ref", 10), ("Indicator", 50), ("Target", 11)]
FIRST_QUARTER_COL = len(TRENDS_COLUMNS)
FIRST_ROW = 3  # the Trends sheet's first indicator; its header is the row above
#: The Indicator trend sheet's cells: the picked ref, the indicator and target it looks up, the quarters' table.
PICK_ROW, NAME_ROW, TARGET_ROW, TABLE_ROW = 2, 3, 4, 6
#: The sparklines' colours: the highest and lowest quarters are marked, not judged, as either can be the good one.
LINE_COLOUR, HIGH_LOW_COLOUR, LAST_COLOUR = HEADER["bg_color"], "#C55A11", "#70AD47"
NO_PICK = "Pick a ref from the list"


class TrendLine(Record):
    """One measure line's numeric performance over the last eight quarters, oldest first; None where History
    holds no number."""

    model_config = ConfigDict(frozen=True)

    ref: str
    indicator: str
    target: float | None
    values: list[float | None]
    #: How its figures are shown: the measure's unit (``0.00%``, ``[m]:ss``), so a trend reads as the report does.
    number_format: str = "General"


def trend_lines(history: Sequence[HistoryRow], quarter: str,
                lines: Sequence[tuple[str, str, float | None] | tuple[str, str, float | None, str]]
                ) -> tuple[list[str], list[TrendLine]]:
    """The eight quarters ending with ``quarter``, and a trend per (ref, indicator, target[, number format]) of
    ``lines``.

    Actions share History with measures but hold a status, not a figure, so
    their rows are left out even where an action's ref matches a measure's.
    """
    quarters = [quarter]
    while len(quarters) < QUARTERS_SHOWN:
        quarters.insert(0, previous_quarter(quarters[0]))
    figures = {(row.quarter, row.ref): _number(row.performance) for row in history if row.why != ACTION_HISTORY}
    return quarters, [TrendLine(ref=line[0], indicator=line[1], target=line[2],
                                values=[figures.get((q, line[0])) for q in quarters], **(
                                    {"number_format": line[3]} if len(line) > 3 else {}))
                      for line in lines]


def _number(performance: object) -> float | None:
    """The number Excel holds for a figure: a duration as its fraction of a day, so that durations plot; a text
    such as "NA" is no figure."""
    if isinstance(performance, dt.timedelta):
        return performance.total_seconds() / 86400
    if isinstance(performance, int | float) and not isinstance(performance, bool) and math.isfinite(performance):
        return float(performance)
    return None


#: How many indicators the Indicator trend sheet's lookups reach: past any basket, so that the sheet keeps
#: working when the Consolidate button rewrites only the Trends sheet's values in the open workbook.
LOOKUP_ROWS = 2000


def _last_row(trend_lines: Sequence[TrendLine]) -> int:
    return FIRST_ROW + max(len(trend_lines), LOOKUP_ROWS) - 1


def _trends_column(col: int, trend_lines: Sequence[TrendLine]) -> str:
    """A column of the Trends sheet's indicators, as an absolute range other sheets' formulas can use."""
    letter = xl_col_to_name(col)
    return f"{TRENDS_SHEET}!${letter}${FIRST_ROW + 1}:${letter}${_last_row(trend_lines) + 1}"


def write_trends_sheet(workbook, quarters: Sequence[str], trend_lines: Sequence[TrendLine],
                       quarter: str = "") -> dict[str, int]:
    """The Trends sheet: a row per indicator, a column per quarter. Returns each ref's row (0-based), which
    :func:`add_sparklines` takes."""
    sheet = workbook.add_worksheet(TRENDS_SHEET)
    header = workbook.add_format(HEADER)
    text = workbook.add_format({**LOCKED_TEXT, "font_size": 9})
    numbers = {fmt: workbook.add_format({**LOCKED_TEXT, "font_size": 9, "num_format": fmt, "text_wrap": False})
               for fmt in {line.number_format for line in trend_lines}}
    fill, font = RAG_COLOURS["No data"]
    no_figure = workbook.add_format({**LOCKED_TEXT, "bg_color": fill, "font_color": font})
    sheet.write(0, 0, f"Performance over the last {QUARTERS_SHOWN} quarters, oldest first", workbook.add_format(TITLE))
    sheet.write(1, 0, "Each indicator's figure as History holds it; a grey cell is a quarter without a number. "
                      "The sparklines and the Indicator trend sheet read these cells.")
    widths = [fitted_width([line.ref for line in trend_lines], minimum=8, maximum=16, font_size=9),
              *(width for _, width in TRENDS_COLUMNS[1:]), *[11] * len(quarters)]
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    for col, heading in enumerate([heading for heading, _ in TRENDS_COLUMNS] + list(quarters)):
        sheet.write_string(FIRST_ROW - 1, col, heading, header)
    rows = {}
    for row, line in enumerate(trend_lines, start=FIRST_ROW):
        rows[line.ref] = row
        sheet.write_string(row, 0, line.ref, text)
        sheet.write_string(row, 1, line.indicator, text)
        for col, value in enumerate([line.target, *line.values], start=FIRST_QUARTER_COL - 1):
            if value is None:
                sheet.write_blank(row, col, None, text if col < FIRST_QUARTER_COL else no_figure)
            else:
                sheet.write_number(row, col, value, numbers[line.number_format])
        sheet.set_row(row, fitted_height([(line.ref, widths[0]), (line.indicator, widths[1])], font_size=9))
    sheet.freeze_panes(FIRST_ROW, FIRST_QUARTER_COL)
    # the figures behind the sparklines and the chart, for reference: its headings only print with the workbook
    set_up_printing(sheet, REPORT_TITLE, quarter, repeat=FIRST_ROW - 1, note=REFERENCE_NOTE,
                    area=(0, 0, FIRST_ROW - 1, FIRST_QUARTER_COL + len(quarters) - 1))
    return rows


def add_sparklines(sheet, col: int, trends_rows: Mapping[int, int]) -> None:
    """A column sparkline in column ``col`` of each of ``sheet``'s rows (row of ``sheet`` → the Trends sheet's
    row it reads) over that row's quarters: a column a quarter, the highest and lowest marked, this quarter in
    green. One group holds them all, each scaled to its own figures, as Excel groups sparklines made together
    (xlsxwriter builds its table of sparkline styles at every call: once a sheet, not once a row).

    Columns rather than a line: LibreOffice (7.4) draws a line sparkline
    hairline-thin and out of its cell when it prints, columns as Excel does;
    a missing quarter is simply no column."""
    if not trends_rows:
        return
    ranges = []
    for trends_row in trends_rows.values():
        first = xl_rowcol_to_cell(trends_row, FIRST_QUARTER_COL)
        last = xl_rowcol_to_cell(trends_row, FIRST_QUARTER_COL + QUARTERS_SHOWN - 1)
        ranges.append(f"{quote_sheetname(TRENDS_SHEET)}!{first}:{last}")
    row = next(iter(trends_rows))
    sheet.add_sparkline(row, col, {
        "location": [xl_rowcol_to_cell(row, col) for row in trends_rows], "range": ranges, "type": "column",
        "high_point": True, "low_point": True, "last_point": True, "series_color": LINE_COLOUR,
        "high_color": HIGH_LOW_COLOUR, "low_color": HIGH_LOW_COLOUR, "last_color": LAST_COLOUR})


def write_trend_chart_sheet(workbook, quarters: Sequence[str], trend_lines: Sequence[TrendLine],
                            selected: str, quarter: str = "") -> None:
    """The Indicator trend sheet: pick a ref, read its indicator, target and quarters, see them charted.

    A quarter without a figure (or a ref without a target) is ``#N/A``, not
    a blank: a chart plots a text from a formula, "" included, as zero, but
    leaves ``#N/A`` out. Those cells are written white so that they read
    as empty.
    """
    sheet = workbook.add_worksheet(TREND_SHEET)
    header = workbook.add_format(HEADER)
    label = workbook.add_format({**LOCKED_TEXT, "bold": True})
    text = workbook.add_format(LOCKED_TEXT)
    picked = next((line for line in trend_lines if line.ref == selected), None)
    number = workbook.add_format({**LOCKED_TEXT, "align": "center",
                                  "num_format": picked.number_format if picked else "General"})
    refs = _trends_column(0, trend_lines)
    match = f"MATCH($B${PICK_ROW + 1},{refs},0)"
    sheet.set_column(0, 2, 14)
    sheet.write(0, 0, "Indicator trend", workbook.add_format(TITLE))
    sheet.write(1, 0, f"Pick an indicator's ref in B{PICK_ROW + 1} to chart its last {QUARTERS_SHOWN} quarters "
                      "against its target. A quarter without a figure has no point on the line.")
    sheet.write_string(PICK_ROW, 0, "Ref", label)
    sheet.write_string(PICK_ROW, 1, selected, workbook.add_format(INPUT))
    sheet.data_validation(PICK_ROW, 1, PICK_ROW, 1, {
        "validate": "list", "source": f"={refs}", "input_title": "Indicator",
        "input_message": "Pick the ref of the indicator to chart.",
        "error_message": "Pick a ref from the list: the refs of the Trends sheet."})
    sheet.write_string(NAME_ROW, 0, "Indicator", label)
    sheet.merge_range(NAME_ROW, 1, NAME_ROW, 12, "", text)  # to the chart's right edge: a long name shows whole
    sheet.write_formula(NAME_ROW, 1, f'=IFERROR(INDEX({_trends_column(1, trend_lines)},{match}),"{NO_PICK}")', text,
                        picked.indicator if picked else NO_PICK)
    sheet.write_string(TARGET_ROW, 0, "Target", label)
    target = f"INDEX({_trends_column(2, trend_lines)},{match})"
    sheet.write_formula(TARGET_ROW, 1, f'=IF(ISNUMBER({target}),{target},"No target")', number,
                        _cached(picked.target if picked else None, "No target"))
    target_cell = f"$B${TARGET_ROW + 1}"
    for col, heading in enumerate(("Quarter", "Performance", "Target")):
        sheet.write_string(TABLE_ROW, col, heading, header)
    first, last = TABLE_ROW + 1, TABLE_ROW + len(quarters)
    for offset, quarter in enumerate(quarters):
        row = first + offset
        value = f"INDEX({_trends_column(FIRST_QUARTER_COL + offset, trend_lines)},{match})"
        heading = xl_rowcol_to_cell(FIRST_ROW - 1, FIRST_QUARTER_COL + offset, row_abs=True, col_abs=True)
        # the Trends sheet's quarters; T() keeps a blank heading blank, where a bare reference would show 0
        sheet.write_formula(row, 0, f"=T({TRENDS_SHEET}!{heading})", text, quarter)
        sheet.write_formula(row, 1, f"=IF(ISNUMBER({value}),{value},NA())", number,
                            _cached(picked.values[offset] if picked else None, "#N/A"))
        sheet.write_formula(row, 2, f"=IF(ISNUMBER({target_cell}),{target_cell},NA())", number,
                            _cached(picked.target if picked else None, "#N/A"))
    sheet.conditional_format(first, 1, last, 2, {"type": "errors",
                                                 "format": workbook.add_format({"font_color": "#FFFFFF"})})
    sheet.insert_chart(PICK_ROW + 3, 4, _chart(workbook, first, last, picked.number_format if picked else "General"),
                       {"x_scale": 1.45, "y_scale": 1.2})
    set_up_printing(sheet, REPORT_TITLE, quarter, pages_high=1)


def _cached(value: float | None, otherwise: str) -> float | str:
    return otherwise if value is None else value


def _chart(workbook, first: int, last: int, number_format: str):
    """Performance with markers and the target as a flat dashed line, by quarter.

    A quarter without a figure (``#N/A``) gets no marker and the line joins
    the quarters either side of it: Excel 2016+ shows ``#N/A`` as an empty
    cell, which "span" joins, and earlier Excel joins ``#N/A`` anyway.
    LibreOffice 7.4 joins it only under "span": under "gap" it drops the line
    to zero there.
    """
    chart = workbook.add_chart({"type": "line"})
    categories = [TREND_SHEET, first, 0, last, 0]
    chart.add_series({"name": [TREND_SHEET, TABLE_ROW, 1], "categories": categories,
                      "values": [TREND_SHEET, first, 1, last, 1],
                      "line": {"color": LINE_COLOUR, "width": 2.25},
                      "marker": {"type": "circle", "size": 7, "border": {"color": LINE_COLOUR},
                                 "fill": {"color": LINE_COLOUR}}})
    chart.add_series({"name": [TREND_SHEET, TABLE_ROW, 2], "categories": categories,
                      "values": [TREND_SHEET, first, 2, last, 2],
                      "line": {"color": RAG_COLOURS["Red"][1], "width": 1.5, "dash_type": "dash"},
                      "marker": {"type": "none"}})
    chart.set_title({"name": [TREND_SHEET, NAME_ROW, 1], "name_font": {"size": 12}})
    chart.set_legend({"position": "bottom"})
    chart.set_y_axis({"num_format": number_format})
    chart.show_blanks_as("span")
    chart.show_na_as_empty_cell()
    return chart
