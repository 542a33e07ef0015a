"""The finance officer's worked examples of =PMF_RAG and friends, on real rows of the Q2 2023/24 report.

Every formula is written with the engine's answer cached, but Excel
recalculates every formula when it opens the file: on a machine without the
functions (the xlwings add-in with them imported, or xlwings Lite) the cells
show ``#NAME?``, which the sheet says. The function names are written plainly (``PMF_RAG(...)``):
that is how Excel stores a function an add-in provides, and how xlwings'
desktop add-in, xlwings Lite and xlwings Server register these ones.
"""

from __future__ import annotations

from pathlib import Path

import xlsxwriter

from ..framework.published import IndicatorRow
from ..rules import cells
from ..rules.models import Kind
from ..rules.text import clean
from .files import keep_previous
from .styles import HEADER, LOCKED_TEXT, RAG_COLOURS, RESULT, TITLE, format_for

#: (ref, what the row shows) from seed 004, in the order they are explained.
EXAMPLES = [
    ("B3e", "a percentage against a 5% tolerance (5% of the target)"),
    ("B12b", "a comparator target with a tolerance band: the band's far edge is the limit"),
    ("B6a", "a rate per 10,000 with a band tolerance"),
    ("B12d", "a range target (NA - dependent) with <>10% of the range"),
    ("B8c", "money: a deficit is negative, a surplus positive"),
    ("O8e", "a duration typed as text"),
    ("O11c", "a typo (53.49%%) still read as a percentage"),
    ("L1e", "a target 'TBC' written in Cyrillic letters: No target"),
    ("L3", "no figure yet: No data"),
]
STATUSES = ["On Track", "Medium Issue/Slippage", "Significant issues/risks/slippage", "Complete",
            "No update available"]
HEADINGS = [("Ref", 9), ("Example", 34), ("Polarity", 16), ("Target", 14), ("Tolerance", 16), ("Performance", 18),
            ("Last quarter", 14), ("Same quarter last year", 14), ("=PMF_RAG", 11), ("=PMF_DOT short", 13),
            ("=PMF_DOT long", 13), ("=PMF_BREACH", 11), ("=PMF_VALUE", 13), ("=PMF_EXPLAIN", 70)]
FIRST_ROW = 4  # 0-based row of the first example, under the header


def example_rows(report: dict[str, IndicatorRow]) -> list[dict]:
    """The examples as cell contents: 004's rows as printed, plus the same figures as Excel cells hold them."""
    rows = []
    for ref, shows in EXAMPLES:
        printed = report[ref]
        rows.append(dict(ref=ref, shows=shows, polarity=printed.polarity, target=printed.target,
                         tolerance=printed.tolerance, performance=printed.performance,
                         last_quarter=printed.last_quarter, last_year=printed.last_year, kind=None))
    b3e, o8e = report["B3e"], report["O8e"]
    rows.insert(1, dict(ref="B3e", shows="the same row as %-formatted cells: 0.71 and 71% agree",
                        polarity=b3e.polarity, target=0.86, tolerance=0.05, performance=0.71,
                        last_quarter=0.86, last_year=1.0, kind=Kind.PERCENTAGE))
    rows.insert(7, dict(ref="O8e", shows="the same durations as Excel times (m:ss)", polarity=o8e.polarity,
                        target=o8e.target, tolerance=o8e.tolerance, performance=87 / 86_400,
                        last_quarter=69 / 86_400, last_year=60 / 86_400, kind=Kind.DURATION))
    h12 = report["H12 / HC2"]
    rows.append(dict(ref="H12", shows="an unreadable figure: #VALUE!, and PMF_EXPLAIN says why",
                     polarity=h12.polarity, target=h12.target, tolerance=h12.tolerance, performance="17,6 %",
                     last_quarter=h12.last_quarter, last_year=h12.last_year, kind=None))
    return rows


def write_function_examples(path: Path, report: dict[str, IndicatorRow]) -> Path:
    keep_previous(path)
    workbook = xlsxwriter.Workbook(str(path))
    workbook.set_properties({"title": "pmf-excel: worked examples of the PMF functions"})
    sheet = workbook.add_worksheet("Examples")
    title, header = workbook.add_format(TITLE), workbook.add_format(HEADER)
    text, result = workbook.add_format(LOCKED_TEXT), workbook.add_format(RESULT)
    wrap = workbook.add_format({**LOCKED_TEXT, "font_size": 9})
    sheet.write(0, 0, "PMF functions: worked examples on the council's Q2 2023/24 report", title)
    sheet.write(1, 0, "Each coloured column is a formula (shown in its heading) over the cells to its left: "
                      "=PMF_RAG(F5,D5,E5,C5), =PMF_DOT(F5,G5,C5), =PMF_DOT(F5,H5,C5), =PMF_BREACH(F5,D5,E5,C5), "
                      "=PMF_VALUE(F5), =PMF_EXPLAIN(F5,D5,E5,C5). Give a whole column instead of one cell "
                      "(=PMF_RAG(F5:F16,D5:D16,E5:E16,C5:C16)) and the answers spill down. These cells need the "
                      "PMF functions (the xlwings add-in with them imported, or xlwings Lite): without them Excel "
                      "shows #NAME? in each. See docs/excel-functions.md.")
    for col, (heading, width) in enumerate(HEADINGS):
        sheet.write_string(FIRST_ROW - 1, col, heading, header)  # "=PMF_RAG" is a heading, not a formula
        sheet.set_column(col, col, width)
    for offset, row in enumerate(example_rows(report)):
        _example(workbook, sheet, FIRST_ROW + offset, row, text, result, wrap)
    status_row = FIRST_ROW + len(example_rows(report)) + 2
    sheet.write(status_row - 1, 0, "Deliverable status", header)
    sheet.write(status_row - 1, 1, "As written in the Q3 update (003)", header)
    sheet.write_string(status_row - 1, 2, "=PMF_STATUS", header)
    for offset, status in enumerate(STATUSES):
        r = status_row + offset
        sheet.write_string(r, 1, status, text)
        sheet.write_formula(r, 2, f"=PMF_STATUS(B{r + 1})", result, cells.status_cells(status)[0][0])
    last = status_row + len(STATUSES)
    for state, (fill, font) in RAG_COLOURS.items():
        sheet.conditional_format(FIRST_ROW, 8, last, 8, {
            "type": "cell", "criteria": "==", "value": f'"{state}"',
            "format": workbook.add_format({"bg_color": fill, "font_color": font})})
        sheet.conditional_format(status_row, 2, last, 2, {
            "type": "cell", "criteria": "==", "value": f'"{state}"',
            "format": workbook.add_format({"bg_color": fill, "font_color": font})})
    sheet.freeze_panes(FIRST_ROW, 2)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    workbook.close()
    return path


def _example(workbook, sheet, r: int, row: dict, text, result, wrap) -> None:
    n = r + 1
    number = workbook.add_format({**LOCKED_TEXT, "num_format": format_for(row["kind"])}) if row["kind"] else text
    sheet.write_string(r, 0, row["ref"], text)
    sheet.write_string(r, 1, row["shows"], wrap)
    for col, key in ((2, "polarity"), (3, "target"), (4, "tolerance"), (5, "performance"), (6, "last_quarter"),
                     (7, "last_year")):
        value = row[key]
        if isinstance(value, str):
            sheet.write_string(r, col, clean(value) if key != "target" else value, text)
        else:
            sheet.write_number(r, col, value, number if key != "tolerance" else
                               workbook.add_format({**LOCKED_TEXT, "num_format": "0%"}))
    args = [row["performance"], row["target"], row["tolerance"], row["polarity"]]
    formulas = [
        (8, f"=PMF_RAG(F{n},D{n},E{n},C{n})", cells.rag_cells(*args)),
        (9, f"=PMF_DOT(F{n},G{n},C{n})", cells.dot_cells(row["performance"], row["last_quarter"], row["polarity"])),
        (10, f"=PMF_DOT(F{n},H{n},C{n})", cells.dot_cells(row["performance"], row["last_year"], row["polarity"])),
        (11, f"=PMF_BREACH(F{n},D{n},E{n},C{n})", cells.breach_cells(*args)),
        (12, f"=PMF_VALUE(F{n})", cells.value_cells(row["performance"])),
        (13, f"=PMF_EXPLAIN(F{n},D{n},E{n},C{n})", cells.explain_cells(*args)),
    ]
    for col, formula, grid in formulas:
        sheet.write_formula(r, col, formula, wrap if col == 13 else result, grid[0][0])
    sheet.set_row(r, 42)
