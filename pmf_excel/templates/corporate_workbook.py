"""The corporate monitoring workbook Consolidate writes: dashboard, indicators by outcome, exceptions,
data quality, history and the catalogue.

RAG, DOT and breach cells are ``=PMF_RAG``, ``=PMF_DOT`` and ``=PMF_BREACH``
formulas with the engine's answer cached, so the workbook reads correctly on
a machine without Python and recalculates where the functions are installed;
where a function over the written cells could not reach the consolidation's
verdict (a multi-part measure's summary, a budget variance needing its base,
a cell whose unit only the catalogue knows), the verdict is written as a value. Every text a co-ordinator
typed is written as text: a commentary starting with ``=`` stays words.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import xlsxwriter
from pydantic import BaseModel

from .. import cells
from ..benchmarks import (COMPARATORS_TABLE, Comparator, benchmark_line, comparator_rows, describe,
                          quartile)
from ..catalogue import (ACTION_COLUMNS, ACTIONS_SHEET, BENCHMARKS_TABLE, CATALOGUE_COLUMNS, CATALOGUE_SHEET,
                         EVIDENCE_TABLE, MILESTONES_TABLE, PLAN_TABLE, RISKS_TABLE, BenchmarkMetric, Catalogue,
                         action_rows, catalogue_rows, evidence_rows)
from ..improvement_plan import PLAN_HISTORY, THEMES, PlanReport
from ..risks import RISK_HISTORY, RiskReport
from ..errors import PMFValueError
from ..policy import DEFAULT_POLICY, Policy, policy_rows
from ..seed_reports import OUTCOMES
from ..tables import Table
from ..targets import in_target_unit, read_target
from ..vba import build_vba_project
from .improvement_plan_sheets import CHANGES_SHEET, EXCEPTIONS_SHEET, PLAN_SHEET, write_plan_report_sheets
from .risk_sheets import REGISTER_SHEET, write_register_sheet
from .styles import DOT_COLOURS, HEADER, LOCKED_TEXT, RAG_COLOURS, RESULT, TITLE, fitted_height, format_for
from .trend_sheets import (QUARTERS_SHOWN, TRENDS_SHEET, add_sparkline, trend_lines, write_trend_chart_sheet,
                           write_trends_sheet)

if TYPE_CHECKING:  # the consolidation's results are written here; the consolidation itself imports this writer
    from ..consolidate.judging import ActionResult, IndicatorResult, MeasureResult
    from ..consolidate.quality import Finding

RAG_STATES = ("Green", "Amber", "Red", "No target", "No data")
ACTION_STATES = ("Green", "Amber", "Red", "Complete", "No update")
RISK_STATES = ("Red", "Amber", "Green", "Not scored")
ARROWS = {"Improving": "▲", "Worsening": "▼", "No change": "►", "Not comparable": ""}
INDICATOR_COLUMNS = [
    ("Ref", 13), ("Indicator", 44), ("Polarity", 13), ("Target", 13), ("Tolerance", 13), ("Performance", 13),
    ("Last quarter", 12), ("DOT short term", 12), ("", 3), ("Same quarter last year", 12), ("DOT long term", 12),
    ("", 3), ("RAG", 10), ("Breach", 8), ("Commentary", 60), ("Directorate", 18), ("Why", 50), ("Figure for", 11),
    ("Benchmarks", 44), ("Quartile", 9), ("Last 8 quarters", 16),
]
SPARKLINE_COL = len(INDICATOR_COLUMNS) - 1
class HistoryRow(BaseModel):
    """One measure line in one quarter: what History keeps across quarters."""

    quarter: str
    ref: str
    directorate: str = ""
    outcome: str = ""
    performance: object = None
    rag: str = ""
    dot_short: str = ""
    dot_long: str = ""
    breach: object = None
    why: str = ""
    #: The quarter the figure is for, where it is not the quarter it was returned in.
    period: str = ""
    #: The rule policy and version that judged it: a past quarter is never silently re-judged.
    policy: str = ""
    #: The earlier figures its directions were judged against, so that it can be re-judged from History alone.
    last_quarter: object = None
    last_year: object = None


HISTORY_SHEET = "History"
HISTORY = Table(HISTORY_SHEET, HistoryRow, (
    ("Quarter", "quarter"), ("Ref", "ref"), ("Directorate", "directorate"), ("Outcome", "outcome"),
    ("Performance", "performance"), ("RAG", "rag"), ("DOT short term", "dot_short"), ("DOT long term", "dot_long"),
    ("Breach", "breach"), ("Why", "why"), ("Figure for", "period"), ("Policy", "policy"),
    ("Last quarter", "last_quarter"), ("Same quarter last year", "last_year")))


#: What History's Why column says of an action's row, which also tells actions from measures there.
ACTION_HISTORY = "Corporate Plan action: its status"


def history_rows(quarter: str, measures: Sequence[MeasureResult],
                 actions: Sequence[ActionResult] = ()) -> list[HistoryRow]:
    """This quarter's History: every measure line with its figure and verdicts, every action with its status."""
    return [HistoryRow(quarter=quarter, ref=line.ref, directorate=line.directorate, outcome=line.outcome,
                       performance=line.performance, rag=line.rag or "", dot_short=line.dot_short or "",
                       dot_long=line.dot_long or "", breach=line.breach, why=line.reason,
                       period=line.period if line.period != quarter else "", policy=line.policy,
                       last_quarter=line.last_quarter, last_year=line.last_year)
            for measure in measures for line in measure.lines] + [
        HistoryRow(quarter=quarter, ref=action.ref, directorate=action.directorate, outcome=action.outcome,
                   performance=action.status or None, rag=action.rag or "", why=ACTION_HISTORY)
        for action in actions]


SETTINGS_SHEET = "Settings"
#: The rule policy the performance team maintains: Consolidate judges by it, and records it in History.
RULES_SHEET = "Rules"
#: The sheets Consolidate writes, in the workbook's order; the button copies each into the open workbook.
OUTPUT_SHEETS = ("Dashboard", "Indicators by outcome", "Deliverables by outcome", PLAN_SHEET, EXCEPTIONS_SHEET,
                 CHANGES_SHEET, REGISTER_SHEET, "Exceptions", "Data quality", HISTORY_SHEET, PLAN_HISTORY.sheet,
                 RISK_HISTORY.sheet, TRENDS_SHEET)
MACROS = Path(__file__).resolve().parent.parent.parent / "macros"
#: (caption, VBA macro in macros/PMF.bas, cell) of each button on the Settings sheet.
BUTTONS = (("Consolidate", "Consolidate", "D3"), ("New quarter returns", "NewQuarterReturns", "D6"))


def write_corporate_workbook(path: Path, quarter: str, catalogue: Catalogue, measures: Sequence[MeasureResult],
                             findings: Sequence[Finding], history: Sequence[HistoryRow],
                             settings: dict[str, str] | None = None, actions: Sequence[ActionResult] = (),
                             plan: PlanReport | None = None, risks: RiskReport | None = None,
                             policy: Policy = DEFAULT_POLICY, comparators: Sequence[Comparator] = ()) -> Path:
    """Write the corporate workbook; as ``.xlsm`` it carries the buttons and their VBA, built from ``macros/``.

    ``plan`` and ``risks`` are the quarter's Improvement Plan and risk
    register; without them (a template before any consolidation) their
    sheets are written empty, ready for the first.
    """
    plan = plan or PlanReport(results=[], changes=[], history=[])
    risks = risks or RiskReport(results=[], changes=[], history=[])
    workbook = xlsxwriter.Workbook(str(path))
    workbook.set_properties({"title": f"Corporate performance report {quarter}",
                             "subject": "Performance Management Framework: corporate monitoring workbook"})
    styles = _Styles(workbook, policy)
    dashboard = workbook.add_worksheet(OUTPUT_SHEETS[0])
    indicators = workbook.add_worksheet(OUTPUT_SHEETS[1])
    placed = _indicators(indicators, styles, quarter, measures, policy, comparators)
    # the empty template has no quarter yet: its trend sheets are laid out, waiting for the first consolidation
    quarters, trends = trend_lines(history, quarter, [_trend_of(line) for line, _ in placed]) if quarter \
        else ([""] * QUARTERS_SHOWN, [])
    write_trend_chart_sheet(workbook, quarters, trends, selected=_first_with_figures(trends))
    _deliverables(workbook.add_worksheet(OUTPUT_SHEETS[2]), styles, quarter, actions)
    write_plan_report_sheets(workbook, quarter, plan)
    write_register_sheet(workbook, quarter, risks)
    _exceptions(workbook.add_worksheet("Exceptions"), styles, quarter, measures, actions)
    _data_quality(workbook.add_worksheet("Data quality"), styles, quarter, findings)
    for table, records in ((HISTORY, history), (PLAN_HISTORY, plan.history), (RISK_HISTORY, risks.history)):
        _table(workbook.add_worksheet(table.sheet), styles, table.rows(records))
    rows = write_trends_sheet(workbook, quarters, trends)
    for line, row in placed:
        add_sparkline(indicators, row, SPARKLINE_COL, rows[line.ref])
    _catalogue(workbook.add_worksheet(CATALOGUE_SHEET), styles, catalogue)
    _catalogue_actions(workbook.add_worksheet(ACTIONS_SHEET), styles, catalogue)
    _table(workbook.add_worksheet(COMPARATORS_TABLE.sheet), styles, COMPARATORS_TABLE.rows(
        comparator_rows(comparators)))
    evidence, milestones = evidence_rows(catalogue)
    benchmarks = [BenchmarkMetric(metric=metric, ref=ref) for metric, ref in catalogue.benchmark_map.items()]
    for table, records in ((PLAN_TABLE, catalogue.improvement_plan), (RISKS_TABLE, catalogue.risks),
                           (BENCHMARKS_TABLE, benchmarks), (EVIDENCE_TABLE, evidence),
                           (MILESTONES_TABLE, milestones)):
        _table(workbook.add_worksheet(table.sheet), styles, table.rows(records))
    _table(workbook.add_worksheet(RULES_SHEET), styles, policy_rows(policy))
    _settings(workbook.add_worksheet(SETTINGS_SHEET), styles, {"Quarter": quarter, **(settings or {})},
              buttons=path.suffix.lower() == ".xlsm")
    _dashboard(workbook, dashboard, styles, quarter, measures, findings, actions, plan, risks, policy)
    if path.suffix.lower() == ".xlsm":
        _vba(workbook)
    dashboard.activate()
    workbook.close()
    return path


def _settings(sheet, styles: "_Styles", values: dict[str, str], buttons: bool) -> None:
    """What the buttons need: the quarter and the returns folder, which the performance team may change."""
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 60)
    sheet.write_string(0, 0, "Setting", styles.header)
    sheet.write_string(0, 1, "Value", styles.header)
    for row, (name, value) in enumerate(values.items(), start=1):
        sheet.write_string(row, 0, name, styles.bold)
        sheet.write_string(row, 1, value, styles.text)
    if buttons:
        for caption, macro, cell in BUTTONS:
            sheet.insert_button(cell, {"macro": macro, "caption": caption, "width": 160, "height": 32})


def _vba(workbook) -> None:
    """The VBA project: exactly macros/*.bas plus the xlwings module the installed xlwings ships."""
    import xlwings

    modules = {path.stem: path.read_text(encoding="cp1252") for path in sorted(MACROS.glob("*.bas"))}
    modules["xlwings"] = (Path(xlwings.__file__).parent / "xlwings.bas").read_text(encoding="cp1252")
    workbook.set_vba_name("ThisWorkbook")
    names = []
    for index, sheet in enumerate(workbook.worksheets(), start=1):
        sheet.set_vba_name(f"Sheet{index}")
        names.append(f"Sheet{index}")
    workbook.add_vba_project(io.BytesIO(build_vba_project(modules, sheet_modules=tuple(names))), is_stream=True)


class _Styles:
    def __init__(self, workbook, policy: Policy = DEFAULT_POLICY):
        self.title = workbook.add_format(TITLE)
        self.header = workbook.add_format(HEADER)
        self.text = workbook.add_format({**LOCKED_TEXT, "font_size": 9})
        self.result = workbook.add_format(RESULT)
        self.boolean = workbook.add_format({**RESULT, "num_format": '"TRUE";"TRUE";"FALSE"'})
        self.outcome = workbook.add_format({"bold": True, "font_size": 12, "font_color": "#FFFFFF",
                                            "bg_color": "#2F75B5"})
        self.number = workbook.add_format({**LOCKED_TEXT, "num_format": "General", "text_wrap": False})
        self.duration = workbook.add_format({**LOCKED_TEXT, "num_format": "[m]:ss", "text_wrap": False})
        self.date = workbook.add_format({**LOCKED_TEXT, "num_format": "dd/mm/yyyy", "text_wrap": False})
        self.count = workbook.add_format({"border": 1, "border_color": "#D9D9D9", "align": "center"})
        self.bold = workbook.add_format({"bold": True})
        self.colours = {policy.shown(state): workbook.add_format({"bg_color": fill, "font_color": font})
                        for state, (fill, font) in {**RAG_COLOURS, **DOT_COLOURS}.items()}
        self.severity = {"Error": workbook.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"}),
                         "Warning": workbook.add_format({"bg_color": "#FFEB9C", "font_color": "#9C5700"})}


def _colour(sheet, styles: _Styles, first: int, last: int, col: int) -> None:
    for state, style in styles.colours.items():
        sheet.conditional_format(first, col, last, col, {"type": "cell", "criteria": "==",
                                                        "value": f'"{state}"', "format": style})


def _value(sheet, row: int, col: int, value: object, styles: _Styles) -> None:
    if value is None or value == "":
        sheet.write_blank(row, col, None, styles.text)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value, styles.boolean)
    elif isinstance(value, (int, float)):
        sheet.write_number(row, col, value, styles.number)
    elif isinstance(value, dt.timedelta):  # a time-formatted cell of a return: write it back as Excel's time
        sheet.write_number(row, col, value.total_seconds() / 86_400, styles.duration)
    elif isinstance(value, dt.datetime):
        sheet.write_datetime(row, col, value, styles.date)
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time()), styles.date)
    else:
        sheet.write_string(row, col, str(value), styles.text)


def _trend_of(line: IndicatorResult) -> tuple[str, str, float | None, str]:
    """What a trend needs of a report line: its ref, name, a single target figure to draw, its number format."""
    try:
        target = read_target(line.target)
    except PMFValueError:
        target = None
    held = target.value if target is not None and target.kind == "value" else None
    unit = format_for(held.kind) if held is not None else "General"
    return line.ref, line.indicator, held.number if held is not None else None, unit


def _first_with_figures(trends) -> str:
    """The trend the Indicator trend sheet opens on: the first with most quarters of figures."""
    return max(trends, key=lambda trend: sum(v is not None for v in trend.values), default=None).ref \
        if trends else ""


def _indicators(sheet, styles: _Styles, quarter: str, measures: Sequence[MeasureResult],
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
        _colour(sheet, styles, 3, last, [h for h, _ in INDICATOR_COLUMNS].index(column))
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


def _indicator_row(sheet, styles: _Styles, row: int, line: IndicatorResult, policy: Policy = DEFAULT_POLICY) -> None:
    n = row + 1
    cells = [line.ref, line.indicator if not line.part else f"  {line.part}", line.polarity, line.target,
             line.tolerance, line.performance, line.last_quarter]
    for col, value in enumerate(cells):
        _value(sheet, row, col, value, styles)
    _value(sheet, row, 9, line.last_year, styles)
    for col, value in ((14, line.commentary), (15, line.directorate), (16, line.reason), (17, line.period)):
        _value(sheet, row, col, value, styles)
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
        _value(sheet, row, 13, breach, styles)
    for col, source, value in ((8, "H", dot_short), (11, "K", dot_long)):
        sheet.write_formula(row, col, f'=IF({source}{n}="Improving","▲",IF({source}{n}="Worsening","▼",'
                                      f'IF({source}{n}="No change","►","")))', styles.result, ARROWS.get(value, ""))


def _benchmarks(sheet, styles: _Styles, row: int, line: IndicatorResult, comparators: list[Comparator]) -> None:
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


def _deliverables(sheet, styles: _Styles, quarter: str, actions: Sequence[ActionResult]) -> None:
    """003's layout: per strategic outcome, each commitment's actions with their status, RAG and update."""
    sheet.write(0, 0, f"Corporate Plan deliverables {quarter}: actions by strategic outcome", styles.title)
    headings = [("CP ref", 8), ("Corporate Plan commitment", 40), ("BP ref", 9), ("Action", 46), ("Status", 22),
                ("RAG", 11), ("Update", 70), ("Directorate", 18), ("Suggested by evidence", 20), ("Evidence", 50)]
    for col, (heading, width) in enumerate(headings):
        sheet.write_string(2, col, heading, styles.header)
        sheet.set_column(col, col, width)
    row = 3
    for outcome in [o for o in OUTCOMES if any(a.outcome == o for a in actions)]:
        sheet.merge_range(row, 0, row, len(headings) - 1, outcome, styles.outcome)
        row += 1
        for action in (a for a in actions if a.outcome == outcome):
            for col, value in enumerate([action.cp_ref, action.commitment, action.bp_ref, action.action,
                                         action.status, action.rag or "Not judged", action.update,
                                         action.directorate, action.suggested, "\n".join(action.evidence)]):
                _value(sheet, row, col, value, styles)
            sheet.set_row(row, fitted_height([(action.commitment, 40), (action.action, 46), (action.update, 70)],
                                             minimum=30, font_size=9))
            row += 1
    _colour(sheet, styles, 3, max(row - 1, 3), 5)
    sheet.freeze_panes(3, 1)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(2)


def _exceptions(sheet, styles: _Styles, quarter: str, measures: Sequence[MeasureResult],
                actions: Sequence[ActionResult] = ()) -> None:
    sheet.write(0, 0, f"Exceptions {quarter}: Red, Amber and worsening, breaches, no data", styles.title)
    headings = [("Exception", 22), ("Ref", 13), ("Indicator", 44), ("Directorate", 18), ("Performance", 13),
                ("Target", 13), ("RAG", 10), ("DOT short term", 12), ("Commentary", 60), ("Why", 50)]
    for col, (heading, width) in enumerate(headings):
        sheet.write_string(2, col, heading, styles.header)
        sheet.set_column(col, col, width)
    row = 3
    for kind, line in exception_lines(measures):
        for col, value in enumerate([kind, line.ref, line.indicator, line.directorate, line.performance,
                                     line.target, line.rag or "Not judged", line.dot_short or "", line.commentary,
                                     line.reason]):
            _value(sheet, row, col, value, styles)
        row += 1
    for action in (a for a in actions if a.evidence_warning):  # a rating its evidence does not bear out
        for col, value in enumerate(["Action rating not borne out by its evidence", action.bp_ref, action.action,
                                     action.directorate, action.status, f"Suggested: {action.suggested}",
                                     action.rag or "Not judged", "", action.update, "\n".join(action.evidence)]):
            _value(sheet, row, col, value, styles)
        row += 1
    _colour(sheet, styles, 3, max(row - 1, 3), 6)
    sheet.autofilter(2, 0, max(row - 1, 3), len(headings) - 1)
    sheet.freeze_panes(3, 0)


def exception_lines(measures: Sequence[MeasureResult]) -> list[tuple[str, IndicatorResult]]:
    """The lines the performance team reports by exception, each once, under its most serious heading."""
    found = []
    for measure in measures:
        for line in measure.lines:
            if line.rag == "Red":
                found.append(("Red: tolerance breached", line))
            elif line.rag == "Amber" and line.dot_short == "Worsening":
                found.append(("Amber and worsening", line))
            elif line.rag == "No data":
                found.append(("No data", line))
            elif line.rag is None:
                found.append(("Not judged: see Data quality", line))
    return found


def _data_quality(sheet, styles: _Styles, quarter: str, findings: Sequence[Finding]) -> None:
    sheet.write(0, 0, f"Data quality {quarter}: {len(findings)} finding(s)", styles.title)
    headings = [("File", 34), ("Sheet", 12), ("Cell", 7), ("Ref", 14), ("Text", 30), ("Message", 80),
                ("Severity", 11)]
    for col, (heading, width) in enumerate(headings):
        sheet.write_string(2, col, heading, styles.header)
        sheet.set_column(col, col, width)
    for row, finding in enumerate(findings, start=3):
        for col, value in enumerate([finding.file, finding.sheet, finding.cell, finding.ref, finding.text,
                                     finding.message, finding.severity]):
            sheet.write_string(row, col, value, styles.text)
    last = max(len(findings) + 2, 3)
    for severity, style in styles.severity.items():
        sheet.conditional_format(3, 6, last, 6, {"type": "cell", "criteria": "==", "value": f'"{severity}"',
                                                 "format": style})
    sheet.autofilter(2, 0, last, len(headings) - 1)
    sheet.freeze_panes(3, 0)


def _table(sheet, styles: _Styles, rows: list[list[object]]) -> None:
    """A sheet that is a table of records (:class:`~pmf_excel.tables.Table`): headings, then one row each."""
    for col, heading in enumerate(rows[0]):
        sheet.write_string(0, col, heading, styles.header)
        sheet.set_column(col, col, 40 if heading in ("Action", "Risk", "Controls", "Further actions", "Why",
                                                     "What it means") else 14)
    for row, values in enumerate(rows[1:], start=1):
        for col, value in enumerate(values):
            _value(sheet, row, col, value, styles)
    sheet.autofilter(0, 0, max(len(rows) - 1, 1), len(rows[0]) - 1)
    sheet.freeze_panes(1, 1)


def _catalogue(sheet, styles: _Styles, catalogue: Catalogue) -> None:
    for col, heading in enumerate(CATALOGUE_COLUMNS):
        sheet.write_string(0, col, heading, styles.header)
        sheet.set_column(col, col, 40 if heading == "Indicator" else 16)
    for row, values in enumerate(catalogue_rows(catalogue), start=1):
        for col, value in enumerate(values):
            sheet.write_string(row, col, value, styles.text)
    sheet.autofilter(0, 0, len(catalogue.measures), len(CATALOGUE_COLUMNS) - 1)
    sheet.freeze_panes(1, 1)


def _catalogue_actions(sheet, styles: _Styles, catalogue: Catalogue) -> None:
    for col, heading in enumerate(ACTION_COLUMNS):
        sheet.write_string(0, col, heading, styles.header)
        sheet.set_column(col, col, 40 if heading in ("Corporate Plan commitment", "Action") else 14)
    for row, values in enumerate(action_rows(catalogue), start=1):
        for col, value in enumerate(values):
            _value(sheet, row, col, value, styles)
    sheet.autofilter(0, 0, max(len(catalogue.actions), 1), len(ACTION_COLUMNS) - 1)
    sheet.freeze_panes(1, 1)


def outcome_order(measures: Sequence[MeasureResult]) -> list[str]:
    """The strategic outcomes present, in the Corporate Plan's order."""
    present = {m.outcome for m in measures}
    return [o for o in OUTCOMES if o in present] + sorted(present - set(OUTCOMES))


def rag_counts(measures: Sequence[MeasureResult], key: str) -> dict[str, Counter]:
    """Measures by RAG for each strategic outcome or directorate (``key``): what the reports narrate; measures
    not due this quarter are not counted."""
    counts: dict[str, Counter] = {}
    for measure in measures:
        if measure.rag != "Not due":  # a measure not due this quarter stays out of the counts
            counts.setdefault(getattr(measure, key), Counter())[measure.rag or "Not judged"] += 1
    return counts


def _dashboard(workbook, sheet, styles: _Styles, quarter: str, measures: Sequence[MeasureResult],
               findings: Sequence[Finding], actions: Sequence[ActionResult], plan: PlanReport,
               risks: RiskReport, policy: Policy = DEFAULT_POLICY) -> None:
    sheet.write(0, 0, f"Corporate Performance Report {quarter}", styles.title)
    sheet.write(1, 0, f"Consolidated {dt.datetime.now():%d %B %Y %H:%M} from the directorate returns; "
                      f"{sum(f.severity == 'Error' for f in findings)} data-quality error(s) and "
                      f"{sum(f.severity == 'Warning' for f in findings)} warning(s): see Data quality."
                      + _not_due_note(measures))
    sheet.set_column(0, 0, 46)
    sheet.set_column(1, 7, 11)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 1)
    action_counts: dict[str, Counter] = {}
    for action in actions:
        action_counts.setdefault(action.outcome, Counter())[action.rag or "Not judged"] += 1
    plan_counts: dict[str, Counter] = {}
    for result in plan.results:
        plan_counts.setdefault(result.action.theme, Counter())[result.rag or "Not judged"] += 1
    risk_counts: dict[str, Counter] = {}
    for risk in risks.results:
        risk_counts.setdefault(risk.risk.directorate, Counter())[risk.rag] += 1
    tables = [("Measures by strategic outcome", "Strategic outcome", rag_counts(measures, "outcome"),
               outcome_order(measures), RAG_STATES),
              ("Measures by directorate", "Directorate", rag_counts(measures, "directorate"),
               sorted(rag_counts(measures, "directorate")), RAG_STATES),
              ("Corporate Plan actions by strategic outcome", "Strategic outcome", action_counts,
               [o for o in OUTCOMES if o in action_counts], ACTION_STATES),
              ("Improvement Plan actions by theme", "Theme", plan_counts, [t for t in THEMES if t in plan_counts],
               ACTION_STATES),
              ("Strategic risks by directorate", "Directorate", risk_counts, sorted(risk_counts), RISK_STATES)]
    row = 3
    for index, (title, label, counts, names, states) in enumerate(tables):
        if not names:
            continue
        columns = [*states, "Not judged", "Total"]
        sheet.write(row, 0, title, styles.bold)
        sheet.write_string(row + 1, 0, label, styles.header)
        for col, heading in enumerate(columns, start=1):
            sheet.write_string(row + 1, col, policy.shown(heading), styles.header)
        first = row + 2
        for offset, name in enumerate(names):
            r = first + offset
            sheet.write_string(r, 0, name, styles.text)
            for col, state in enumerate(columns[:-1], start=1):
                sheet.write_number(r, col, counts[name][state], styles.count)
            sheet.write_formula(r, len(columns), f"=SUM(B{r + 1}:{chr(ord('A') + len(columns) - 1)}{r + 1})",
                                styles.count, sum(counts[name].values()))
        if index == 0:
            _chart(workbook, sheet, first, first + len(names) - 1)
        row = first + len(names) + 2


def _not_due_note(measures: Sequence[MeasureResult]) -> str:
    not_due = [m.ref for m in measures if m.rag == "Not due"]
    return f" Not due this quarter, so not counted: {', '.join(not_due)}." if not_due else ""


def _chart(workbook, sheet, first: int, last: int) -> None:
    chart = workbook.add_chart({"type": "bar", "subtype": "stacked"})
    for col, state in enumerate(RAG_STATES, start=1):
        chart.add_series({"name": ["Dashboard", first - 1, col], "categories": ["Dashboard", first, 0, last, 0],
                          "values": ["Dashboard", first, col, last, col],
                          "fill": {"color": RAG_COLOURS[state][0]}, "border": {"color": "#808080"}})
    chart.set_title({"name": "Measures by RAG and strategic outcome"})
    chart.set_y_axis({"reverse": True})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 760, "height": 360})
    sheet.insert_chart(first - 2, 9, chart)
