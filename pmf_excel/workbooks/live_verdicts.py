"""Live verdicts: RAG, direction of travel and breach as native Excel formulas over limits the engine computed,
and what each formula shows for given cells.

Every sheet that judges as its reader types (a return's Measures, the
corporate report's Indicators by outcome) builds its formulas here, so they
work with no add-in and no macros, in Excel, Excel on the web and
LibreOffice, and follow the policy the line is judged under: its words for
every state, a DOT-aware RAG (maintained counting where it says so), amber
by the year-end forecast, the no-change band, what each direction compares
with, the trend over the last periods. What the engine judged a line by sits in hidden columns of the
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
from ..rules.policy import DEFAULT_POLICY, Policy
from ..rules.thresholds import Limits
from ..rules.trend import TrendFit, compare_trend
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
#: The cells a row's verdicts read, besides the hidden ones: every sheet names its columns to these (and a
#: ``Forecast`` cell where its policy colours a missed target by the year-end forecast).
ROW_CELLS = ("Performance", "Last quarter", "Same quarter last year", "RAG", "DOT long term")
#: A trend's basis: the regression line over the last periods, finished with this period's figure.
TREND = "trend over last periods"
DOT_STATES = ("Improving", "Worsening", "No change", "Not comparable")


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


def rag_formula(cells: RowCells, policy: Policy, text: str = CHECKED_LATER,
                forecast_limits: tuple[float, float] | None = None) -> str:
    """The live RAG in the policy's words: its grey names, Green within the green limits, Amber within the amber
    ones, else Red; under a DOT-aware policy a missed target Amber when it improved on the long-term comparison
    (or held level, where maintained counts); under amber by forecast, when the ``Forecast`` cell meets
    ``forecast_limits`` (the year's target); ``text`` for a figure typed as text."""
    p, gl, gh, al, ah, d = (cells[name] for name in
                            ("Performance", "Green from", "Green to", "Amber from", "Amber to", "Divisor"))
    value = f"{p}/{d}"
    green, amber, red = (_quoted(policy.shown(state)) for state in ("Green", "Amber", "Red"))
    if policy.dot_aware_rag:
        counted = ("Improving", "No change") if policy.maintained_counts_as_improved else ("Improving",)
        improved = ",".join(f'{cells["DOT long term"]}={_quoted(policy.shown(state))}' for state in counted)
        missed = f"IF({'OR(' + improved + ')' if len(counted) > 1 else improved},{amber},{red})"
    elif policy.amber_by_forecast:
        f = cells["Forecast"]
        low, high = (repr(limit) for limit in (forecast_limits or (NEVER, -NEVER)))
        missed = (f'IF({f}="",{red},IF(NOT(ISNUMBER({f})),{_quoted(text)},'
                  f"IF(AND({f}/{d}>={low},{f}/{d}<={high}),{amber},{red})))")
    else:
        missed = f"IF(AND({value}>={al},{value}<={ah}),{amber},{red})"
    return (f'=IF({gl}="",{_quoted(policy.shown("No target"))},IF({p}="",{_quoted(policy.shown("No data"))},'
            f'IF(NOT(ISNUMBER({p})),{_quoted(text)},IF(AND({value}>={gl},{value}<={gh}),{green},{missed}))))')


#: A forecast with no year-end limits can never meet them.
NEVER = 1e300


def dot_formula(cells: RowCells, term: Term, policy: Policy, text: str = CHECKED_LATER,
                trend: TrendFit | None = None, trend_band: float = 0.0) -> str:
    """The live direction of travel of ``term`` under the policy, in its words, a change within its no-change band
    being No change; by trend, the regression line's change over the last periods finished with this period's
    figure (``trend``'s constant, weight and span, which the engine worked out from the earlier figures);
    ``text`` for a figure typed as text, as its RAG says."""
    word = {state: _quoted(policy.shown(state)) for state in DOT_STATES}
    p, s = cells["Performance"], cells["Better direction"]
    if _basis(policy, term) == TREND:
        if trend is None:
            return (f'=IF(OR({s}=0,{p}=""),{word["Not comparable"]},IF(NOT(ISNUMBER({p})),{_quoted(text)},'
                    f'{word["Not comparable"]}))')
        change = f"({trend.constant!r}+{trend.weight!r}*{p})*{trend.span!r}"
        same = f"MAX({1e-9 * abs(trend.reference) + 1e-12!r},{trend_band!r})"
        return (f'=IF(OR({s}=0,{p}=""),{word["Not comparable"]},IF(NOT(ISNUMBER({p})),{_quoted(text)},'
                f'IF(ABS({change})<={same},{word["No change"]},'
                f'IF({change}*{s}>0,{word["Improving"]},{word["Worsening"]}))))')
    q = _compared(cells, policy, term)
    same = f"1E-9*MAX(ABS({p}),ABS({q}))+1E-12"
    if policy.no_change_band:
        band = f"{policy.no_change_band!r}*ABS({q})" if policy.no_change_kind == "relative" \
            else repr(policy.no_change_band)
        same = f"MAX({same},{band})"
    return (f'=IF(OR({s}=0,{p}=""),{word["Not comparable"]},IF(NOT(ISNUMBER({p})),{_quoted(text)},'
            f'IF(NOT(ISNUMBER({q})),{word["Not comparable"]},'
            f'IF(ABS({p}-{q})<={same},{word["No change"]},IF(({p}-{q})*{s}>0,{word["Improving"]},'
            f'{word["Worsening"]})))))')


def breach_formula(cells: RowCells, policy: Policy = DEFAULT_POLICY) -> str:
    """The live breach: TRUE exactly when the RAG is Red, blank for the grey states."""
    rag = cells["RAG"]
    red, green, amber = (_quoted(policy.shown(state)) for state in ("Red", "Green", "Amber"))
    return f"=IF({rag}={red},TRUE,IF(OR({rag}={green},{rag}={amber}),FALSE,\"\"))"


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
    """What :func:`dot_formula` shows for these cells, in the policy's words."""
    if by.sign == 0 or _blank(performance):
        return by.policy.shown("Not comparable")
    if not _number(performance):
        return text
    if _basis(by.policy, term) == TREND:
        if by.trend is None:
            return by.policy.shown("Not comparable")
        return by.policy.shown(compare_trend(by.trend.change(float(performance)), by.trend, by.sign, by.trend_band))
    visible = {"previous period": last_quarter, "same period last year": last_year}.get(_basis(by.policy, term))
    previous = visible if _number(visible) else by.short_basis if term == "short" else by.long_basis
    if previous is None:
        return by.policy.shown("Not comparable")
    return by.policy.shown(compare_direction(float(performance), float(previous), by.sign, by.policy))


def shown_rag(by: JudgedBy, performance: object, long_direction: str, text: str = CHECKED_LATER,
              forecast: object = None) -> str:
    """What :func:`rag_formula` shows for the cell ``performance``, the row's long-term direction (in the policy's
    words) being ``long_direction`` and its forecast cell holding ``forecast``."""
    policy = by.policy
    if by.limits is None:
        return policy.shown("No target")
    if _blank(performance):
        return policy.shown("No data")
    if not _number(performance):
        return text
    result = judge(float(performance) / by.divisor, Limits(*by.limits))
    if result in ("Amber", "Red") and policy.dot_aware_rag:
        counted = ("Improving", "No change") if policy.maintained_counts_as_improved else ("Improving",)
        result = "Amber" if long_direction in {policy.shown(state) for state in counted} else "Red"
    elif result in ("Amber", "Red") and policy.amber_by_forecast:
        if not _blank(forecast) and not _number(forecast):
            return text
        low, high = by.forecast_limits or (NEVER, -NEVER)
        result = "Amber" if _number(forecast) and low <= float(forecast) / by.divisor <= high else "Red"
    return policy.shown(result)


def shown_breach(rag: str, policy: Policy = DEFAULT_POLICY) -> bool | str:
    """What :func:`breach_formula` shows for the row's RAG (in the policy's words)."""
    state = policy.read_state(rag)
    breach = breach_of(state) if state is not None else None
    return "" if breach is None else breach
