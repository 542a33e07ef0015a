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


from ..framework.published import IndicatorRow
from ..rules import cells
from ..rules.errors import PMFValueError
from ..rules.models import Kind
from ..rules.text import clean
from ..rules.values import read_value
from .files import document_time, keep_previous
from .page_layout import fitted_height, fitted_width, merged_width, set_up_printing
from .styles import HEADER, LOCKED_TEXT, RAG_COLOURS, RESULT, TITLE, format_for
from .xlsx_writer import Workbook

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
    workbook = Workbook(str(path))
    workbook.set_properties({"title": "pmf-excel: worked examples of the PMF functions", "created": document_time()})
    sheet = workbook.add_worksheet("Examples")
    title, header = workbook.add_format(TITLE), workbook.add_format(HEADER)
    text, result = workbook.add_format(LOCKED_TEXT), workbook.add_format(RESULT)
    wrap = workbook.add_format({**LOCKED_TEXT, "font_size": 9})
    sheet.write(0, 0, "PMF functions: worked examples on the council's Q2 2023/24 report", title)
    widths = [max(width, fitted_width([heading], bold=True)) for heading, width in HEADINGS]
    about = ("Each coloured column is a formula (shown in its heading) over the cells to its left: "
             "=PMF_RAG(F5,D5,E5,C5), =PMF_DOT(F5,G5,C5), =PMF_DOT(F5,H5,C5), =PMF_BREACH(F5,D5,E5,C5), "
             "=PMF_VALUE(F5), =PMF_EXPLAIN(F5,D5,E5,C5). Give a whole column instead of one cell "
             "(=PMF_RAG(F5:F16,D5:D16,E5:E16,C5:C16)) and the answers spill down. These cells need the "
             "PMF functions (the xlwings add-in with them imported, or xlwings Lite): without them Excel "
             "shows #NAME? in each. See docs/excel-functions.md.")
    sheet.merge_range(1, 0, 1, len(HEADINGS) - 1, about, workbook.add_format({"text_wrap": True, "valign": "top"}))
    sheet.set_row(1, fitted_height([(about, merged_width(widths))]))
    for col, (heading, _) in enumerate(HEADINGS):
        sheet.write_string(FIRST_ROW - 1, col, heading, header)  # "=PMF_RAG" is a heading, not a formula
        sheet.set_column(col, col, widths[col])
    sheet.set_row(FIRST_ROW - 1, fitted_height(list(zip((heading for heading, _ in HEADINGS), widths)), bold=True))
    for offset, row in enumerate(example_rows(report)):
        _example(workbook, sheet, FIRST_ROW + offset, row, text, result, wrap, widths)
    status_row = FIRST_ROW + len(example_rows(report)) + 2
    sheet.write(status_row - 1, 0, "Deliverable status", header)
    sheet.write(status_row - 1, 1, "As written in the Q3 update (003)", header)
    sheet.write_string(status_row - 1, 2, "=PMF_STATUS", header)
    sheet.set_row(status_row - 1, fitted_height([("Deliverable status", widths[0]),
                                                 ("As written in the Q3 update (003)", widths[1])], bold=True))
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
    set_up_printing(sheet, "PMF functions: worked examples", "2023/24 Q2", repeat=FIRST_ROW - 1)
    workbook.close()
    return path


def _example(workbook, sheet, r: int, row: dict, text, result, wrap, widths: list[float]) -> None:
    n = r + 1
    figures = [row["performance"], row["last_quarter"], row["last_year"]]
    number = workbook.add_format({**LOCKED_TEXT, "num_format": format_for(row["kind"], figures)}) \
        if row["kind"] else text
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
    value = workbook.add_format({**RESULT, "num_format": _value_format(row)})
    for col, formula, grid in formulas:
        sheet.write_formula(r, col, formula, wrap if col == 13 else value if col == 12 else result, grid[0][0])
    texts = [(row[key], widths[col]) for col, key in ((0, "ref"), (2, "polarity"), (3, "target"), (4, "tolerance"),
                                                        (5, "performance"), (6, "last_quarter"), (7, "last_year"))
             if isinstance(row[key], str)]
    sheet.set_row(r, max(fitted_height(texts, minimum=30),
                         fitted_height([(row["shows"], widths[1]), (str(formulas[-1][2][0][0]), widths[13])],
                                       font_size=9)))


def _value_format(row: dict) -> str:
    """=PMF_VALUE's answer in the unit of the figure it reads (the cell's, where the figure is a number)."""
    if row["kind"]:
        return format_for(row["kind"], [row["performance"]])
    try:
        value = read_value(row["performance"])
    except PMFValueError:
        return "General"
    return format_for(value.kind, [value.number], value.unit)
