"""Live verdicts: RAG, direction of travel and breach as native Excel formulas over limits the engine computed,
and what each formula shows for given cells.

Every sheet that judges as its reader types (a return's Measures, the
corporate report's Indicators by outcome) builds its formulas here, so they
work with no add-in and no macros, in Excel, Excel on the web and
LibreOffice, and follow the policy the line is judged under: its names for
the grey states, a DOT-aware RAG, the no-change band, what each direction
compares with. What the engine judged a line by sits in hidden columns of the
same row (:data:`JUDGED_BY_COLUMNS`). Beside each formula is the Python that
says what it shows, which a writer caches in the cell and compares with the
engine's verdict.

A performance typed as text (``1 min 27 secs``, ``39%*``) shows "Checked
later" in every verdict that depends on it in a return, where Consolidate
will read it with the engine, and the engine's verdict in the report, where
it has. An earlier figure is the cell's number, or where the cell holds text,
the engine's reading of it (hidden), so ``NA - New PI`` is Not comparable
and a corrected figure is followed.
"""

from __future__ import annotations

from collections.abc import Iterable

from xlsxwriter.utility import xl_col_to_name

from ..framework.returns import JudgedBy, Term
from ..rules.policy import Policy
from ..rules.thresholds import Limits
from ..rules.verdicts import breach_of, compare_direction, judge

CHECKED_LATER = "Checked later"
#: A hidden basis with nothing to compare with.
NO_FIGURE = "No figure"
#: The hidden columns holding what the engine judged a line by, in order, with their widths.
JUDGED_BY_COLUMNS = [("Green from", 10), ("Green to", 10), ("Amber from", 10), ("Amber to", 10),
                     ("Better direction", 8), ("Divisor", 10), ("Short-term basis", 10), ("Long-term basis", 10)]
#: The visible column each direction compares with, by the policy's basis; an average of the last periods is in
#: the hidden basis column of its term.
BASIS_COLUMNS = {"previous period": "Last quarter", "same period last year": "Same quarter last year"}
#: The cells a row's verdicts read, besides the hidden ones: every sheet names its columns to these.
ROW_CELLS = ("Performance", "Last quarter", "Same quarter last year", "RAG", "DOT long term")


class RowCells:
    """The cells of one row by name (``ROW_CELLS`` and ``JUDGED_BY_COLUMNS``), from a sheet's 0-based column of
    each name and the row's 0-based index."""

    def __init__(self, columns: dict[str, int], row: int):
        missing = [name for name in (*ROW_CELLS, *(name for name, _ in JUDGED_BY_COLUMNS)) if name not in columns]
        if missing:
            raise ValueError(f"a sheet with live verdicts needs the columns {', '.join(missing)}")
        self.columns, self.row = columns, row

    def __getitem__(self, name: str) -> str:
        return f"{xl_col_to_name(self.columns[name])}{self.row + 1}"


def _basis(policy: Policy, term: Term) -> str:
    return policy.short_term_basis if term == "short" else policy.long_term_basis


def _compared(cells: RowCells, policy: Policy, term: Term) -> str:
    """What the direction of ``term`` compares with: the earlier figure's cell where it holds a number (so a
    corrected figure is followed), else the engine's reading of it; or the average of the last periods."""
    hidden = cells["Short-term basis" if term == "short" else "Long-term basis"]
    visible = BASIS_COLUMNS.get(_basis(policy, term))
    return hidden if visible is None else f"IF(ISNUMBER({cells[visible]}),{cells[visible]},{hidden})"


def _quoted(text: str) -> str:
    """Text as an Excel formula's string literal."""
    return '"' + text.replace('"', '""') + '"'


def rag_formula(cells: RowCells, policy: Policy, text: str = CHECKED_LATER) -> str:
    """The live RAG: the policy's grey names, Green within the green limits, Amber within the amber ones (under
    a DOT-aware policy, a missed target that improved on the long-term comparison), else Red; ``text`` for a
    figure typed as text."""
    p, gl, gh, al, ah, d = (cells[name] for name in
                            ("Performance", "Green from", "Green to", "Amber from", "Amber to", "Divisor"))
    value = f"{p}/{d}"
    missed = f'IF({cells["DOT long term"]}="Improving","Amber","Red")' if policy.dot_aware_rag \
        else f'IF(AND({value}>={al},{value}<={ah}),"Amber","Red")'
    return (f'=IF({gl}="",{_quoted(policy.shown("No target"))},IF({p}="",{_quoted(policy.shown("No data"))},'
            f'IF(NOT(ISNUMBER({p})),{_quoted(text)},IF(AND({value}>={gl},{value}<={gh}),"Green",{missed}))))')


def dot_formula(cells: RowCells, term: Term, policy: Policy, text: str = CHECKED_LATER) -> str:
    """The live direction of travel of ``term`` under the policy, a change within its no-change band being No
    change; ``text`` for a figure typed as text, as its RAG says."""
    p, q, s = cells["Performance"], _compared(cells, policy, term), cells["Better direction"]
    same = f"1E-9*MAX(ABS({p}),ABS({q}))+1E-12"
    if policy.no_change_band:
        band = f"{policy.no_change_band!r}*ABS({q})" if policy.no_change_kind == "relative" \
            else repr(policy.no_change_band)
        same = f"MAX({same},{band})"
    return (f'=IF(OR({s}=0,{p}=""),"Not comparable",IF(NOT(ISNUMBER({p})),{_quoted(text)},'
            f'IF(NOT(ISNUMBER({q})),"Not comparable",'
            f'IF(ABS({p}-{q})<={same},"No change",IF(({p}-{q})*{s}>0,"Improving","Worsening")))))')


def breach_formula(cells: RowCells) -> str:
    """The live breach: TRUE exactly when the RAG is Red, blank for the grey states."""
    rag = cells["RAG"]
    return f'=IF({rag}="Red",TRUE,IF(OR({rag}="Green",{rag}="Amber"),FALSE,""))'


def worst_formula(cells: str, states: Iterable[str]) -> str:
    """The worst of a range's verdicts (``states`` from worst to best), blank when none is one of them: a
    multi-part measure's verdict from its parts'."""
    formula = '""'
    for state in reversed(list(states)):
        formula = f"IF(COUNTIF({cells},{_quoted(state)})>0,{_quoted(state)},{formula})"
    return f"={formula}"


def shown_worst(verdicts: Iterable[str], states: Iterable[str]) -> str:
    """What :func:`worst_formula` shows for cells holding ``verdicts``."""
    held = {verdict.casefold() for verdict in verdicts}
    return next((state for state in states if state.casefold() in held), "")


def write_judged_by(sheet, row: int, columns: dict[str, int], by: JudgedBy, style) -> None:
    """What the engine judged a line by, into the row's hidden columns; no limits is no target."""
    if by.limits is not None:
        for name, limit in zip(("Green from", "Green to", "Amber from", "Amber to"), by.limits):
            sheet.write_number(row, columns[name], limit, style)
    sheet.write_number(row, columns["Better direction"], by.sign, style)
    sheet.write_number(row, columns["Divisor"], by.divisor, style)
    for name, basis in (("Short-term basis", by.short_basis), ("Long-term basis", by.long_basis)):
        if basis is None:  # words, not a blank: a formula's reference to a blank cell may read as 0
            sheet.write_string(row, columns[name], NO_FIGURE, style)
        else:
            sheet.write_number(row, columns[name], basis, style)


def _blank(cell: object) -> bool:
    return cell is None or cell == ""


def _number(cell: object) -> bool:
    return isinstance(cell, (int, float)) and not isinstance(cell, bool)


def shown_direction(by: JudgedBy, term: Term, performance: object, last_quarter: object, last_year: object,
                    text: str = CHECKED_LATER) -> str:
    """What :func:`dot_formula` shows for these cells."""
    if by.sign == 0 or _blank(performance):
        return "Not comparable"
    if not _number(performance):
        return text
    visible = {"previous period": last_quarter, "same period last year": last_year}.get(_basis(by.policy, term))
    previous = visible if _number(visible) else by.short_basis if term == "short" else by.long_basis
    if previous is None:
        return "Not comparable"
    return compare_direction(float(performance), float(previous), by.sign, by.policy)


def shown_rag(by: JudgedBy, performance: object, long_direction: str, text: str = CHECKED_LATER) -> str:
    """What :func:`rag_formula` shows for the cell ``performance``, the row's long-term direction being
    ``long_direction``."""
    if by.limits is None:
        return by.policy.shown("No target")
    if _blank(performance):
        return by.policy.shown("No data")
    if not _number(performance):
        return text
    result = judge(float(performance) / by.divisor, Limits(*by.limits))
    if by.policy.dot_aware_rag and result in ("Amber", "Red"):
        return "Amber" if long_direction == "Improving" else "Red"
    return result


def shown_breach(rag: str) -> bool | str:
    """What :func:`breach_formula` shows for the row's RAG."""
    breach = breach_of(rag) if rag in ("Green", "Amber", "Red") else None
    return "" if breach is None else breach
