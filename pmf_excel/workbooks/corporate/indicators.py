"""Indicators by outcome: every indicator line with its figures, verdicts, reasons, benchmarks and sparkline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ...framework.benchmarks import Comparator, benchmark_line, describe, quartile
from ...framework.results import IndicatorResult, MeasureResult, outcome_order
from ...rules import cells
from ...rules.errors import PMFValueError
from ...rules.policy import DEFAULT_POLICY, Policy, policy_rows
from ...rules.targets import in_target_unit, read_target
from ..rules_sheet import RULES_SHEET
from ..styles import fitted_height, format_for
from .layout import Styles, colour_states, write_value

ARROWS = {"Improving": "▲", "Worsening": "▼", "No change": "►", "Not comparable": ""}
INDICATOR_COLUMNS = [
    ("Ref", 13), ("Indicator", 44), ("Polarity", 13), ("Target", 13), ("Tolerance", 13), ("Performance", 13),
    ("Last quarter", 12), ("DOT short term", 12), ("", 3), ("Same quarter last year", 12), ("DOT long term", 12),
    ("", 3), ("RAG", 10), ("Breach", 8), ("Commentary", 60), ("Directorate", 18), ("Why", 50), ("Figure for", 11),
    ("Benchmarks", 44), ("Quartile", 9), ("Last 8 quarters", 16),
]
SPARKLINE_COL = len(INDICATOR_COLUMNS) - 1


def trend_of(line: IndicatorResult) -> tuple[str, str, float | None, str]:
    """What a trend needs of a report line: its ref, name, a single target figure to draw, its number format."""
    try:
        target = read_target(line.target)
    except PMFValueError:
        target = None
    held = target.value if target is not None and target.kind == "value" else None
    unit = format_for(held.kind) if held is not None else "General"
    return line.ref, line.indicator, held.number if held is not None else None, unit


def first_with_figures(trends) -> str:
    """The trend the Indicator trend sheet opens on: the first with most quarters of figures."""
    return max(trends, key=lambda trend: sum(v is not None for v in trend.values), default=None).ref \
        if trends else ""


def write_indicators_sheet(sheet, styles: Styles, quarter: str, measures: Sequence[MeasureResult],
                policy: Policy = DEFAULT_POLICY, comparators: Sequence[Comparator] = ()
                ) -> list[tuple[IndicatorResult, int]]:
    """Indicators by outcome; returns each figure line written and its row, for the sparklines."""
    sheet.write(0, 0, f"Corporate Performance Report {quarter}: indicators by strategic outcome", styles.title)
    for col, (heading, width) in enumerate(INDICATOR_COLUMNS):
        sheet.write_string(2, col, heading, styles.header)
        sheet.set_column(col, col, width)
    row, placed = 3, []
    for outcome in outcome_order(measures):
        sheet.merge_range(row, 0, row, len(INDICATOR_COLUMNS) - 1, outcome, styles.outcome)
        row += 1
        for measure in (m for m in measures if m.outcome == outcome):
            for line in _display_lines(measure):
                _indicator_row(sheet, styles, row, line, policy)
                _benchmarks(sheet, styles, row, line, [c for c in comparators if c.ref == line.ref])
                if not (line.ref == measure.ref and len(measure.lines) > 1):  # a summary row has no figure
                    placed.append((line, row))
                sheet.set_row(row, fitted_height([(line.indicator, 44), (line.commentary, 60), (line.reason, 50)],
                                                 minimum=30, font_size=9))
                row += 1
    last = max(row - 1, 3)
    for column in ("DOT short term", "DOT long term", "RAG"):
        colour_states(sheet, styles, 3, last, [h for h, _ in INDICATOR_COLUMNS].index(column))
    sheet.freeze_panes(3, 2)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(2)
    sheet.set_footer(f"&LCorporate Performance Report {quarter}&RPage &P of &N")
    return placed


def _display_lines(measure: MeasureResult) -> list[IndicatorResult]:
    """A single-figure measure is one row; a multi-part measure a row showing its worst part, then its parts."""
    if len(measure.lines) == 1:
        return measure.lines
    first = measure.lines[0]
    summary = first.model_copy(update=dict(
        ref=measure.ref, part="", performance=None, last_quarter=None, last_year=None, target="", tolerance="",
        rag=measure.rag, dot_short=measure.dot_short, dot_long=measure.dot_long, breach=measure.breach,
        reason=f"The worst of its {len(measure.lines)} parts: "
               + ", ".join(f"{line.part} {line.rag or 'not judged'}" for line in measure.lines) + "."))
    return [summary, *measure.lines]


#: The Rules sheet's settings as the functions take them, when the policy is not the default.
RULES_RANGE = f"{RULES_SHEET}!$A$2:$B$60"


def _indicator_row(sheet, styles: Styles, row: int, line: IndicatorResult, policy: Policy = DEFAULT_POLICY) -> None:
    n = row + 1
    cells = [line.ref, line.indicator if not line.part else f"  {line.part}", line.polarity, line.target,
             line.tolerance, line.performance, line.last_quarter]
    for col, value in enumerate(cells):
        write_value(sheet, row, col, value, styles)
    write_value(sheet, row, 9, line.last_year, styles)
    for col, value in ((14, line.commentary), (15, line.directorate), (16, line.reason), (17, line.period)):
        write_value(sheet, row, col, value, styles)
    dot_short, dot_long = line.dot_short or "", line.dot_long or ""
    rag, breach = policy.shown(line.rag or ""), "" if line.breach is None else line.breach
    # the default rules need no policy argument; any other policy's are the Rules sheet, and a DOT-aware one
    # also takes last year's figure
    rules = "" if policy == DEFAULT_POLICY else f",{RULES_RANGE}"
    last_year = f",J{n}" if policy.dot_aware_rag else ""
    if line.rag is not None and _functions_agree(line, dot_short, dot_long, rag, breach, policy):
        sheet.write_formula(row, 7, f"=PMF_DOT(F{n},G{n},C{n}{rules})", styles.result, dot_short)
        sheet.write_formula(row, 10, f"=PMF_DOT(F{n},J{n},C{n}{rules})", styles.result, dot_long)
        sheet.write_formula(row, 12, f"=PMF_RAG(F{n},D{n},E{n},C{n}{rules}{last_year})", styles.result, rag)
        sheet.write_formula(row, 13, f"=PMF_BREACH(F{n},D{n},E{n},C{n}{rules}{last_year})", styles.boolean,
                            breach)
    else:
        sheet.write_string(row, 7, dot_short, styles.result)
        sheet.write_string(row, 10, dot_long, styles.result)
        sheet.write_string(row, 12, rag, styles.result)
        write_value(sheet, row, 13, breach, styles)
    for col, source, value in ((8, "H", dot_short), (11, "K", dot_long)):
        sheet.write_formula(row, col, f'=IF({source}{n}="Improving","▲",IF({source}{n}="Worsening","▼",'
                                      f'IF({source}{n}="No change","►","")))', styles.result, ARROWS.get(value, ""))


def _benchmarks(sheet, styles: Styles, row: int, line: IndicatorResult, comparators: list[Comparator]) -> None:
    """The line's comparators, each flagged Better or Worse in the measure's polarity, and its quartile among the
    statistical neighbours where the set is full."""
    if not comparators:
        return
    performance = in_target_unit(line.performance, line.target)
    headings = [heading for heading, _ in INDICATOR_COLUMNS]
    sheet.write_string(row, headings.index("Benchmarks"),
                       describe(benchmark_line(performance, comparators, line.polarity)), styles.text)
    position = quartile(performance, comparators, line.polarity)
    if position is not None:
        sheet.write_string(row, headings.index("Quartile"), f"Q{position} of 4", styles.result)


def _as_written(value: object) -> object:
    """What a cell holds once written, as a function in it will be handed it."""
    return value.total_seconds() / 86_400 if isinstance(value, dt.timedelta) else value


def _functions_agree(line: IndicatorResult, dot_short: str, dot_long: str, rag: str, breach: object,
                     policy: Policy = DEFAULT_POLICY) -> bool:
    """Whether =PMF_ functions over the cells as written give the consolidation's verdicts.

    They may not: the consolidation knows each cell's unit from the catalogue,
    a function sees only a number (a 9.8% cell against last year's "9.3" is
    Not comparable to the consolidation, a plain 0.098 against 9.3 to a
    function). Such a row is written as values, so the report never changes
    its verdict on recalculation.
    """
    performance, args = _as_written(line.performance), (line.target, line.tolerance, line.polarity)
    rules = None if policy == DEFAULT_POLICY else [row[:2] for row in policy_rows(policy)[1:]]
    last_year = _as_written(line.last_year) if policy.dot_aware_rag else None
    if policy.short_term_basis != "previous period" or policy.long_term_basis != "same period last year" \
            or line.policy not in ("", policy.label):
        return False  # an average of History's figures, or a measure's own overrides: no function sees those
    return (cells.dot_cells(performance, _as_written(line.last_quarter), line.polarity, rules)[0][0] == dot_short
            and cells.dot_cells(performance, _as_written(line.last_year), line.polarity, rules)[0][0] == dot_long
            and cells.rag_cells(performance, *args, rules, last_year)[0][0] == rag
            and cells.breach_cells(performance, *args, rules, last_year)[0][0] == breach)
