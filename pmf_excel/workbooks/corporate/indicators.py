"""Indicators by outcome: every indicator line with its figures, verdicts, reasons, benchmarks and sparkline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ...framework.benchmarks import Comparator, benchmark_line, describe, quartile
from xlsxwriter.utility import xl_col_to_name

from ...framework.results import NOT_DUE, IndicatorResult, MeasureResult, outcome_order
from ...rules.errors import PMFValueError
from ...rules.parts import DOT_SEVERITY, RAG_SEVERITY
from ...rules.policy import DEFAULT_POLICY, Policy
from ...rules.targets import in_target_unit, read_target
from ..live_verdicts import (JUDGED_BY_COLUMNS, RowCells, breach_formula, dot_formula, rag_formula, shown_breach,
                             shown_direction, shown_rag, shown_worst, worst_formula, write_judged_by)
from ..page_layout import fitted_height, fitted_width
from .layout import SMALL, Styles, colour_states, print_report_sheet, write_value

ARROWS = {"Improving": "▲", "Worsening": "▼", "No change": "►", "Not comparable": ""}
#: Every column, in order; the last are what the engine judged each line by, hidden, for the native formulas.
INDICATOR_COLUMNS = [
    ("Ref", 13), ("Indicator", 44), ("Polarity", 13), ("Target", 13), ("Tolerance", 13), ("Performance", 13),
    ("Last quarter", 12), ("DOT short term", 12), ("", 3), ("Same quarter last year", 12), ("DOT long term", 12),
    ("", 3), ("RAG", 10), ("Breach", 8), ("Commentary", 80), ("Directorate", 18), ("Why", 70), ("Figure for", 11),
    ("Benchmarks", 60), ("Quartile", 9), ("Last 8 quarters", 16), *JUDGED_BY_COLUMNS,
]
COL = {name: index for index, (name, _) in enumerate(INDICATOR_COLUMNS) if name}
HIDDEN_FROM = COL["Green from"]
#: The columns that print: the council's printed report's (004), Ref to Directorate; the engine's reason, the
#: benchmarks and the sparkline are for the screen, so that the printed table is large enough to read.
PRINTED_TO = COL["Directorate"]
SPARKLINE_COL = COL["Last 8 quarters"]
#: Columns a policy adds after the hidden ones: the year-end forecast a policy of amber by forecast colours a
#: missed target by, and the officer's own rating beside the engine's.
FORECAST_COLUMNS = [("Year-end forecast", 12)]
OFFICER_COLUMNS = [("Officer's rating", 11), ("Engine's RAG", 11)]


def policy_columns(policy: Policy) -> dict[str, int]:
    """The columns the policy adds, by name, after every fixed one."""
    added = FORECAST_COLUMNS * policy.forecast_asked + OFFICER_COLUMNS * policy.officer_asked
    return {name: len(INDICATOR_COLUMNS) + offset for offset, (name, _) in enumerate(added)}


def trend_of(line: IndicatorResult) -> tuple[str, str, float | None]:
    """What a trend needs of a report line: its ref, name and a single target figure to draw."""
    try:
        target = read_target(line.target)
    except PMFValueError:
        target = None
    held = target.value if target is not None and target.kind == "value" else None
    return line.ref, line.indicator, held.number if held is not None else None


def first_with_figures(trends) -> str:
    """The trend the Indicator trend sheet opens on: the first with most quarters of figures."""
    return max(trends, key=lambda trend: sum(v is not None for v in trend.values), default=None).ref \
        if trends else ""


def write_indicators_sheet(sheet, styles: Styles, quarter: str, measures: Sequence[MeasureResult],
                policy: Policy = DEFAULT_POLICY, comparators: Sequence[Comparator] = ()
                ) -> list[tuple[IndicatorResult, int]]:
    """Indicators by outcome; returns each figure line written and its row, for the sparklines."""
    sheet.write(0, 0, f"Corporate Performance Report {quarter}: indicators by strategic outcome", styles.title)
    added = policy_columns(policy)
    extra = dict(FORECAST_COLUMNS + OFFICER_COLUMNS)
    columns = INDICATOR_COLUMNS + [(name, extra[name]) for name in added]
    lines = [line for measure in measures for line in _display_lines(measure)]
    widths = [width for _, width in columns]
    widths[COL["Ref"]] = fitted_width([line.ref for line in lines], minimum=8, maximum=16, font_size=SMALL)
    hidden = range(HIDDEN_FROM, len(INDICATOR_COLUMNS))
    for col, (heading, _) in enumerate(columns):
        sheet.write_string(2, col, heading, styles.header)
        sheet.set_column(col, col, widths[col], None, {"hidden": col in hidden})
    sheet.set_row(2, fitted_height([(heading, widths[col]) for col, (heading, _) in enumerate(columns)
                                    if col not in hidden], bold=True))
    row, placed = 3, []
    for outcome in outcome_order(measures):
        sheet.merge_range(row, 0, row, PRINTED_TO, outcome, styles.outcome)  # the band ends where the print does
        sheet.merge_range(row, PRINTED_TO + 1, row, HIDDEN_FROM - 1, "", styles.outcome)
        row += 1
        for measure in (m for m in measures if m.outcome == outcome):
            lines = _display_lines(measure)
            for line in lines:
                if line is lines[0] and len(lines) > 1:  # a summary row has no figure: the worst of its parts
                    _summary_row(sheet, styles, row, line, (row + 1, row + len(lines) - 1), lines[1:], policy)
                else:
                    _indicator_row(sheet, styles, row, line, policy)
                    placed.append((line, row))
                _arrows(sheet, styles, row, line, policy)
                benchmarks = _benchmarks(sheet, styles, row, line, [c for c in comparators if c.ref == line.ref])
                texts = {"Ref": line.ref, "Indicator": _indicator(line), "Polarity": line.polarity,
                         "Target": line.target, "Tolerance": line.tolerance, "Commentary": line.commentary,
                         "Directorate": line.directorate, "Why": line.reason, "Benchmarks": benchmarks,
                         **{name: value for name, value in (("Performance", line.performance),
                                                            ("Last quarter", line.last_quarter),
                                                            ("Same quarter last year", line.last_year))
                            if isinstance(value, str)}}
                sheet.set_row(row, fitted_height([(str(text), widths[COL[name]]) for name, text in texts.items()],
                                                 font_size=SMALL))
                row += 1
    last = max(row - 1, 3)
    for column in ("DOT short term", "DOT long term", "RAG"):
        colour_states(sheet, styles, 3, last, [h for h, _ in INDICATOR_COLUMNS].index(column))
    for column in ("Officer's rating", "Engine's RAG"):
        if column in added:
            colour_states(sheet, styles, 3, last, added[column])
    sheet.freeze_panes(3, 2)
    print_report_sheet(sheet, quarter, header_row=2, last_col=PRINTED_TO, last_row=last)
    return placed


def _indicator(line: IndicatorResult) -> str:
    """The Indicator cell: a part's name, indented, under its measure's row."""
    return line.indicator if not line.part else f"  {line.part}"


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


def _indicator_row(sheet, styles: Styles, row: int, line: IndicatorResult, policy: Policy) -> None:
    """A line's figures and its verdicts: native formulas over what the engine judged it by, where they show
    the consolidation's verdicts for the cells as written, else the verdicts as values."""
    for col, value in enumerate([line.ref, _indicator(line), line.polarity, line.target, line.tolerance]):
        write_value(sheet, row, col, value, styles)
    figures = (line.performance, line.last_quarter, line.last_year)
    in_unit = styles.figure_format(line.ref, [_as_written(figure) for figure in figures])
    for name, value in zip(("Performance", "Last quarter", "Same quarter last year"), figures):
        write_value(sheet, row, COL[name], value, styles, in_unit)
    for name, value in (("Commentary", line.commentary), ("Directorate", line.directorate), ("Why", line.reason),
                        ("Figure for", line.period)):
        write_value(sheet, row, COL[name], value, styles)
    added = policy_columns(policy)
    for name, value in (("Year-end forecast", line.forecast), ("Officer's rating", policy.shown(line.officer_rating)),
                        ("Engine's RAG", policy.shown(line.engine_rag or ""))):
        if name in added:
            write_value(sheet, row, added[name], value, styles)
    verdicts = _verdicts(line, policy)
    by = line.judged_by
    if by is not None and line.rag not in (None, NOT_DUE) and _shown(line, verdicts) == verdicts:
        where = RowCells({**COL, **({"Forecast": added["Year-end forecast"]} if "Year-end forecast" in added
                                    else {})}, row)
        rag, short, long, _ = verdicts  # what a figure typed as text was read as: a formula cannot read it
        formulas = (rag_formula(where, by.policy, rag, by.forecast_limits),
                    dot_formula(where, "short", by.policy, short, by.trend, by.trend_band),
                    dot_formula(where, "long", by.policy, long, by.trend, by.trend_band),
                    breach_formula(where, by.policy))
        _write_verdicts(sheet, styles, row, verdicts, formulas)
        write_judged_by(sheet, row, COL, by, styles.hidden)
    else:
        _write_verdicts(sheet, styles, row, verdicts)


def _summary_row(sheet, styles: Styles, row: int, summary: IndicatorResult, parts: tuple[int, int],
                 lines: Sequence[IndicatorResult], policy: Policy) -> None:
    """A multi-part measure's row: the worst of its parts' verdicts, as formulas over the parts' rows below."""
    write_value(sheet, row, COL["Ref"], summary.ref, styles)
    write_value(sheet, row, COL["Indicator"], summary.indicator, styles)
    write_value(sheet, row, COL["Polarity"], summary.polarity, styles)
    for name, value in (("Commentary", summary.commentary), ("Directorate", summary.directorate),
                        ("Why", summary.reason), ("Figure for", summary.period)):
        write_value(sheet, row, COL[name], value, styles)
    verdicts = _verdicts(summary, policy)
    rags = [policy.shown(state) for state in sorted(RAG_SEVERITY, key=RAG_SEVERITY.get, reverse=True)]
    dots = [policy.shown(state) for state in sorted(DOT_SEVERITY, key=DOT_SEVERITY.get, reverse=True)]
    parts_shown = [_verdicts(line, policy) for line in lines]
    rag = shown_worst([shown[0] for shown in parts_shown], rags)
    shown = (rag, shown_worst([s[1] for s in parts_shown], dots), shown_worst([s[2] for s in parts_shown], dots),
             shown_breach(rag, policy))
    if summary.rag not in (None, NOT_DUE) and shown == verdicts:
        first, last = parts
        span = {name: f"{xl_col_to_name(COL[name])}{first + 1}:{xl_col_to_name(COL[name])}{last + 1}"
                for name in ("RAG", "DOT short term", "DOT long term")}
        formulas = (worst_formula(span["RAG"], rags), worst_formula(span["DOT short term"], dots),
                    worst_formula(span["DOT long term"], dots), breach_formula(RowCells(COL, row), policy))
        _write_verdicts(sheet, styles, row, verdicts, formulas)
    else:
        _write_verdicts(sheet, styles, row, verdicts)


def _verdicts(line: IndicatorResult, policy: Policy) -> tuple[str, str, str, bool | str]:
    """The consolidation's RAG, directions and breach of a line, as the report shows them (in the policy's words)."""
    return (policy.shown(line.rag or ""), policy.shown(line.dot_short or ""), policy.shown(line.dot_long or ""),
            "" if line.breach is None else line.breach)


def _shown(line: IndicatorResult, verdicts: tuple) -> tuple[str, str, str, bool | str]:
    """What the native formulas show for a line's cells as written, a figure typed as text showing the
    consolidation's ``verdicts``."""
    by = line.judged_by
    figures = [_as_written(value) for value in (line.performance, line.last_quarter, line.last_year)]
    short, long = (shown_direction(by, term, *figures, text=text)
                   for term, text in (("short", verdicts[1]), ("long", verdicts[2])))
    rag = shown_rag(by, figures[0], long, text=verdicts[0], forecast=_as_written(line.forecast))
    return rag, short, long, shown_breach(rag, by.policy)


def _write_verdicts(sheet, styles: Styles, row: int, verdicts: tuple, formulas: tuple | None = None) -> None:
    """RAG, the two directions and breach, as ``formulas`` with the verdicts cached, or as values."""
    for (name, style), value, formula in zip(
            (("RAG", styles.result), ("DOT short term", styles.result), ("DOT long term", styles.result),
             ("Breach", styles.boolean)), verdicts, formulas or (None,) * 4):
        if formula is not None:
            sheet.write_formula(row, COL[name], formula, style, value)
        elif isinstance(value, bool):
            sheet.write_boolean(row, COL[name], value, styles.boolean)
        elif value == "":
            sheet.write_blank(row, COL[name], None, style)
        else:
            sheet.write_string(row, COL[name], value, style)


def _arrows(sheet, styles: Styles, row: int, line: IndicatorResult, policy: Policy) -> None:
    """The arrow beside each direction of travel, following its cell (in the policy's words)."""
    better, worse, same = (policy.shown(state) for state in ("Improving", "Worsening", "No change"))
    for name, value in (("DOT short term", line.dot_short), ("DOT long term", line.dot_long)):
        source = f"{xl_col_to_name(COL[name])}{row + 1}"
        sheet.write_formula(row, COL[name] + 1, f'=IF({source}="{better}","▲",IF({source}="{worse}","▼",'
                                                f'IF({source}="{same}","►","")))', styles.result,
                            ARROWS.get(value or "", ""))


def _benchmarks(sheet, styles: Styles, row: int, line: IndicatorResult, comparators: list[Comparator]) -> str:
    """The line's comparators, each flagged Better or Worse in the measure's polarity, and its quartile among the
    statistical neighbours where the set is full; returns what the Benchmarks cell says."""
    if not comparators:
        return ""
    performance = in_target_unit(line.performance, line.target)
    described = describe(benchmark_line(performance, comparators, line.polarity))
    sheet.write_string(row, COL["Benchmarks"], described, styles.text)
    position = quartile(performance, comparators, line.polarity)
    if position is not None:
        sheet.write_string(row, COL["Quartile"], f"Q{position} of 4", styles.result)
    return described


def _as_written(value: object) -> object:
    """What a cell holds once written, as a formula reads it."""
    return value.total_seconds() / 86_400 if isinstance(value, dt.timedelta) else value
