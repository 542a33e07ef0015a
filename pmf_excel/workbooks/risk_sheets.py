"""The Strategic Risk Register in workbooks: the Risks sheet each directorate returns, and the register with
its 5×5 heat map in the corporate workbook.

In a return, each risk its directorate owns: the owner rates likelihood and
impact 1–5 and updates controls and further actions; score, RAG and the
direction since the last review are native formulas over the bands of
:mod:`pmf_excel.framework.risks`, so they show as the owner types. In the corporate
workbook the heat map counts the register's own cells with ``COUNTIFS``, so
it recalculates with the register wherever the workbook is opened.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from ..framework.risks import (INCREASED, NEW, REDUCED, SCALE, SCORE_BANDS, UNCHANGED, KnownRisk, Risk, RiskReport,
                               RiskUpdate, direction, heat_map, score_rag)
from .page_layout import REPORT_TITLE, SMALL, fitted_height, merged_width, return_title, set_up_printing
from .styles import DOT_COLOURS, HEADER, INPUT, LOCKED_TEXT, RAG_COLOURS, RESULT, TITLE

RISKS_SHEET = "Risks"
REGISTER_SHEET = "Strategic risks"
RETURN_COLUMNS = [
    ("Ref", 10), ("Risk", 40), ("Owner", 20), ("Last likelihood", 10), ("Last impact", 10), ("Last score", 9),
    ("Likelihood", 10), ("Impact", 10), ("Score", 8), ("RAG", 10), ("Direction", 11), ("Target score", 9),
    ("Controls", 40), ("Further actions", 40),
]
RCOL = {name: index for index, (name, _) in enumerate(RETURN_COLUMNS)}
FIRST_ROW = 4
#: How a direction is coloured: a smaller risk as an improvement, a larger one as a worsening.
DIRECTION_COLOURS = {REDUCED: DOT_COLOURS["Improving"], INCREASED: DOT_COLOURS["Worsening"],
                     UNCHANGED: DOT_COLOURS["No change"], NEW: ("#DDEBF7", "#1F4E78"),
                     "Not scored": RAG_COLOURS["No data"]}


class RiskLine(BaseModel):
    """A row of a directorate return's Risks sheet: the risk, the last review's ratings, what is pre-filled."""

    model_config = ConfigDict(frozen=True)

    risk: Risk
    known: KnownRisk
    update: RiskUpdate


def _cell(name: str, row: int) -> str:
    return f"{xl_col_to_name(RCOL[name])}{row}"


def _rating(cell: str) -> str:
    """The rating in ``cell`` as a number, text such as " 4 " included, as
    :func:`~pmf_excel.framework.risks.read_rating` reads it (an error where it is no number)."""
    return f"(--TRIM({cell}))"


def _on_scale(cell: str) -> str:
    """Whether ``cell`` holds a whole number 1–5: what :func:`~pmf_excel.framework.risks.read_rating` accepts."""
    rating = _rating(cell)
    return f"IFERROR(AND({rating}=INT({rating}),{rating}>={min(SCALE)},{rating}<={max(SCALE)}),FALSE)"


def score_formula(likelihood: str, impact: str) -> str:
    """Likelihood × impact where both are on the scale; blank, as the engine leaves it Not scored, otherwise."""
    return f'=IF(AND({_on_scale(likelihood)},{_on_scale(impact)}),{_rating(likelihood)}*{_rating(impact)},"")'


def rag_formula(score: str) -> str:
    """The RAG of the score in ``score`` by :data:`~pmf_excel.framework.risks.SCORE_BANDS`."""
    formula = '"Green"'
    for lowest, rag in reversed(SCORE_BANDS[:-1]):
        formula = f'IF({score}>={lowest},"{rag}",{formula})'
    return f'=IF({score}="","Not scored",{formula})'


def direction_formula(score: str, previous: str) -> str:
    return (f'=IF({score}="","",IF({previous}="","{NEW}",IF({score}<{previous},"{REDUCED}",'
            f'IF({score}>{previous},"{INCREASED}","{UNCHANGED}"))))')


def _prefilled(raw: object) -> int | None:
    return raw if isinstance(raw, int) and raw in SCALE else None


def write_risk_return_sheet(workbook, directorate: str, quarter: str, lines: Sequence[RiskLine],
                            password: str) -> None:
    """The Risks sheet of a directorate's return."""
    sheet = workbook.add_worksheet(RISKS_SHEET)
    text = workbook.add_format(LOCKED_TEXT)
    typed = workbook.add_format({**INPUT, "text_wrap": True})
    number = workbook.add_format({**INPUT, "align": "center"})
    locked_number = workbook.add_format({**LOCKED_TEXT, "align": "center"})
    result = workbook.add_format(RESULT)
    header = workbook.add_format(HEADER)
    sheet.write(0, 0, f"{directorate}: strategic risks for {quarter}", workbook.add_format(TITLE))
    guidance = ("Rate each risk's likelihood and impact from 1 (lowest) to 5 (highest) as it stands now, and update "
                "its controls and further actions. Score, RAG and direction show as you type.")
    sheet.merge_range(1, 0, 1, len(RETURN_COLUMNS) - 1, guidance,
                      workbook.add_format({"text_wrap": True, "valign": "top"}))
    sheet.set_row(1, fitted_height([(guidance, merged_width(width for _, width in RETURN_COLUMNS))]))
    for index, (heading, width) in enumerate(RETURN_COLUMNS):
        sheet.write_string(FIRST_ROW - 1, index, heading, header)
        sheet.set_column(index, index, width)
    sheet.set_row(FIRST_ROW - 1, fitted_height(RETURN_COLUMNS, bold=True))
    for offset, line in enumerate(lines):
        row, n = FIRST_ROW + offset, FIRST_ROW + offset + 1
        risk, known, update = line.risk, line.known, line.update
        sheet.write_string(row, RCOL["Ref"], risk.ref, text)
        sheet.write_string(row, RCOL["Risk"], risk.title, text)
        sheet.write_string(row, RCOL["Owner"], update.owner or known.owner, typed)
        for name, value in (("Last likelihood", known.likelihood), ("Last impact", known.impact),
                            ("Last score", known.score)):
            _number_or_blank(sheet, row, RCOL[name], value, locked_number)
        likelihood, impact = _prefilled(update.likelihood), _prefilled(update.impact)
        _number_or_blank(sheet, row, RCOL["Likelihood"], likelihood, number)
        _number_or_blank(sheet, row, RCOL["Impact"], impact, number)
        score = likelihood * impact if likelihood and impact else None
        sheet.write_formula(row, RCOL["Score"], score_formula(_cell("Likelihood", n), _cell("Impact", n)), result,
                            "" if score is None else score)
        sheet.write_formula(row, RCOL["RAG"], rag_formula(_cell("Score", n)), result, score_rag(score))
        sheet.write_formula(row, RCOL["Direction"], direction_formula(_cell("Score", n), _cell("Last score", n)),
                            result, direction(score, known.score))
        sheet.write_number(row, RCOL["Target score"], risk.target_likelihood * risk.target_impact, locked_number)
        sheet.write_string(row, RCOL["Controls"], update.controls or risk.controls, typed)
        sheet.write_string(row, RCOL["Further actions"], update.further_actions or risk.further_actions, typed)
        sheet.set_row(row, fitted_height([(text, RETURN_COLUMNS[RCOL[name]][1]) for name, text in (
            ("Ref", risk.ref), ("Risk", risk.title), ("Owner", update.owner or known.owner),
            ("Controls", update.controls or risk.controls),
            ("Further actions", update.further_actions or risk.further_actions))], minimum=30))
    if not lines:
        sheet.write_string(FIRST_ROW, 1, f"No strategic risks are owned by {directorate}.", text)
        sheet.set_row(FIRST_ROW, fitted_height([(f"No strategic risks are owned by {directorate}.",
                                                 RETURN_COLUMNS[RCOL["Risk"]][1])]))
    last = FIRST_ROW + max(len(lines), 1) - 1
    for name in ("Likelihood", "Impact"):
        sheet.data_validation(FIRST_ROW, RCOL[name], last, RCOL[name], {
            "validate": "integer", "criteria": "between", "minimum": 1, "maximum": 5, "input_title": name,
            "input_message": "A whole number from 1 (lowest) to 5 (highest).",
            "error_message": "Type a whole number from 1 to 5."})
    _colours(workbook, sheet, FIRST_ROW, last, RCOL["RAG"], RAG_COLOURS)
    _colours(workbook, sheet, FIRST_ROW, last, RCOL["Direction"], DIRECTION_COLOURS)
    sheet.freeze_panes(FIRST_ROW, 2)
    set_up_printing(sheet, return_title(directorate), quarter, repeat=FIRST_ROW - 1)
    sheet.protect(password, {"format_columns": True, "format_rows": True})


def _number_or_blank(sheet, row: int, col: int, value: int | None, style) -> None:
    if value is None:
        sheet.write_blank(row, col, None, style)
    else:
        sheet.write_number(row, col, value, style)


def _colours(workbook, sheet, first: int, last: int, col: int, colours: dict[str, tuple[str, str]]) -> None:
    for state, (fill, font) in colours.items():
        sheet.conditional_format(first, col, last, col, {
            "type": "cell", "criteria": "==", "value": f'"{state}"',
            "format": workbook.add_format({"bg_color": fill, "font_color": font})})


REGISTER_COLUMNS = [
    ("Ref", 10), ("Risk", 40), ("Owner", 22), ("Directorate", 18), ("Likelihood", 10), ("Impact", 9),
    ("Score", 8), ("RAG", 10), ("Previous score", 9), ("Direction", 11), ("Target score", 9), ("Controls", 44),
    ("Further actions", 44),
]
_MAP_ROW = 3  # the heat map's title row; its grid follows
_MAP_COL = 3  # its likelihood labels: under Directorate, with the ratings' narrow columns to the right


def write_register_sheet(workbook, quarter: str, report: RiskReport) -> None:
    """The register of the corporate workbook: heat map, every risk, and the changes since the last review."""
    sheet = workbook.add_worksheet(REGISTER_SHEET)
    title = workbook.add_format(TITLE)
    header = workbook.add_format(HEADER)
    text = workbook.add_format({**LOCKED_TEXT, "font_size": SMALL})
    centred = workbook.add_format({**LOCKED_TEXT, "font_size": SMALL, "align": "center"})
    bold = workbook.add_format({"bold": True})
    for col, (_, width) in enumerate(REGISTER_COLUMNS):
        sheet.set_column(col, col, width)
    sheet.write(0, 0, f"Strategic Risk Register {quarter}", title)
    counts = {rag: sum(r.rag == rag for r in report.results) for rag in ("Red", "Amber", "Green", "Not scored")}
    scores = {likelihood * impact for likelihood in SCALE for impact in SCALE}
    banded = {rag: [score for score in scores if score_rag(score) == rag] for _, rag in SCORE_BANDS}
    bands = ", ".join(f"{rag} {min(found)}–{max(found)}" for rag, found in banded.items())
    sheet.write(1, 0, f"{len(report.results)} risks: " + ", ".join(f"{n} {rag}" for rag, n in counts.items() if n)
                + f". Score = likelihood × impact; bands {bands}.")
    register_first = _MAP_ROW + 9  # below the heat map
    register_last = register_first + max(len(report.results), 1) - 1
    _heat_map(workbook, sheet, report, register_first, register_last, bold, header)
    widths = [width for _, width in REGISTER_COLUMNS]
    for col, (heading, _) in enumerate(REGISTER_COLUMNS):
        sheet.write_string(register_first - 1, col, heading, header)
    sheet.set_row(register_first - 1, fitted_height(REGISTER_COLUMNS, bold=True))
    for row, result in enumerate(report.results, start=register_first):
        risk = result.risk
        texts = {0: risk.ref, 1: risk.title, 2: result.owner, 3: risk.directorate, 11: result.controls,
                 12: result.further_actions}
        for col, value in texts.items():
            sheet.write_string(row, col, value, text)
        n = row + 1
        _number_or_blank(sheet, row, 4, result.likelihood, centred)
        _number_or_blank(sheet, row, 5, result.impact, centred)
        sheet.write_formula(row, 6, score_formula(f"E{n}", f"F{n}"), centred,
                            "" if result.score is None else result.score)
        sheet.write_formula(row, 7, rag_formula(f"G{n}"), centred, result.rag)
        _number_or_blank(sheet, row, 8, result.previous_score, centred)
        sheet.write_formula(row, 9, direction_formula(f"G{n}", f"I{n}"), centred, result.direction)
        sheet.write_number(row, 10, result.target_score, centred)
        sheet.set_row(row, fitted_height([(value, widths[col]) for col, value in texts.items()], font_size=SMALL))
    _colours(workbook, sheet, register_first, register_last, 7, RAG_COLOURS | {"Not scored": RAG_COLOURS["No data"]})
    _colours(workbook, sheet, register_first, register_last, 9, DIRECTION_COLOURS)
    row = register_last + 2
    sheet.write(row, 0, "Changes since the last review", bold)
    # under the register's columns: Ref, Risk, then each of Change, Before and After over two of its columns
    spans = ((0, 0), (1, 1), (2, 3), (4, 6), (7, 9))
    span_widths = [merged_width(widths[first:last + 1]) for first, last in spans]
    for (first, last), heading in zip(spans, ("Ref", "Risk", "Change", "Before", "After")):
        _cell_over(sheet, row + 1, first, last, heading, header)
    for offset, change in enumerate(report.changes or [], start=row + 2):
        values = (change.ref, change.title, change.change, change.before, change.after)
        for (first, last), value in zip(spans, values):
            _cell_over(sheet, offset, first, last, value, text)
        sheet.set_row(offset, fitted_height(list(zip(values, span_widths)), font_size=SMALL))
    if not report.changes:
        _cell_over(sheet, row + 2, 0, spans[-1][1], "No changes since the last review.", text)
    set_up_printing(sheet, REPORT_TITLE, quarter, repeat=register_first - 1, area=(0, 0, max(
        row + 1 + max(len(report.changes), 1), register_last), len(REGISTER_COLUMNS) - 1))


def _cell_over(sheet, row: int, first: int, last: int, value: str, style) -> None:
    """A text over the columns ``first`` to ``last``, merged where there are more than one."""
    if first == last:
        sheet.write_string(row, first, value, style)
    else:
        sheet.merge_range(row, first, row, last, value, style)


def _heat_map(workbook, sheet, report: RiskReport, first: int, last: int, bold, header) -> None:
    """Likelihood 5 (top) to 1 down, impact 1 to 5 across; each cell counts the register's risks there."""
    sheet.write(_MAP_ROW, _MAP_COL, "Heat map: number of risks by likelihood and impact", bold)
    band_formats = {rag: workbook.add_format({"bg_color": RAG_COLOURS[rag][0], "font_color": RAG_COLOURS[rag][1],
                                              "align": "center", "valign": "vcenter", "bold": True, "border": 1,
                                              "border_color": "#FFFFFF", "font_size": 12})
                    for rag in ("Red", "Amber", "Green")}
    likelihoods = f"$E${first + 1}:$E${last + 1}"
    impacts = f"$F${first + 1}:$F${last + 1}"
    cells = heat_map(report.results)
    axis = workbook.add_format({**HEADER, "align": "center", "valign": "vcenter"})
    sheet.write_string(_MAP_ROW + 1, _MAP_COL, "Likelihood ↓ Impact →", axis)
    sheet.set_row(_MAP_ROW + 1, 30)
    for impact in SCALE:
        sheet.write_number(_MAP_ROW + 1, _MAP_COL + impact, impact, axis)
    for offset, likelihood in enumerate(reversed(SCALE)):
        row = _MAP_ROW + 2 + offset
        sheet.write_number(row, _MAP_COL, likelihood, axis)
        for impact in SCALE:
            sheet.write_formula(row, _MAP_COL + impact, f"=COUNTIFS({likelihoods},{likelihood},{impacts},{impact})",
                                band_formats[score_rag(likelihood * impact)], len(cells[(likelihood, impact)]))
        sheet.set_row(row, 24)


def heat_map_cell(likelihood: int, impact: int) -> str:
    """The cell of the corporate register's heat map that counts risks of this likelihood and impact."""
    return xl_rowcol_to_cell(_MAP_ROW + 2 + (max(SCALE) - likelihood), _MAP_COL + impact)
