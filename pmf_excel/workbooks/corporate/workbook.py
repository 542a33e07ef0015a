"""The corporate monitoring workbook Consolidate writes: dashboard, indicators by outcome, exceptions,
data quality, history and the catalogue.

RAG, DOT and breach on Indicators by outcome are native Excel formulas over
limits the engine computed (hidden columns), with the consolidation's
verdicts cached, so the report reads right in Excel with no add-in, Excel on
the web and LibreOffice, after any recalculation, and a corrected figure's
verdicts follow it; a multi-part measure's row is the worst of its parts'.
Where no formula over the cells as written reaches the consolidation's
verdict (a figure typed as text, an earlier figure only the catalogue's unit
makes comparable), the verdict is written as a value. No cell calls the
``=PMF_`` functions. Every text a co-ordinator typed is written as text: a
commentary starting with ``=`` stays words.
"""


from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path


from ...framework.benchmarks import Comparator
from ...framework.catalogue import Catalogue
from ...framework.findings import Finding
from ...framework.history import HistoryRow
from ...framework.improvement_plan import PlanReport
from ...framework.results import ActionResult, MeasureResult
from ...framework.returns import line_units
from ...framework.risks import RiskReport
from ...rules.policy import DEFAULT_POLICY, Policy, policy_rows
from ..catalogue_sheets import (ACTIONS_SHEET, BENCHMARKS_TABLE, CATALOGUE_SHEET, EVIDENCE_TABLE, MILESTONES_TABLE,
                                PLAN_TABLE, RISKS_TABLE, BenchmarkMetric, evidence_rows)
from ..comparators_sheet import COMPARATORS_TABLE, comparator_rows
from ..files import document_time, parts_beside
from ..history_sheets import HISTORY, HISTORY_SHEET, PLAN_HISTORY, RISK_HISTORY
from ..improvement_plan_sheets import CHANGES_SHEET, EXCEPTIONS_SHEET, PLAN_SHEET, write_plan_report_sheets
from ..risk_sheets import REGISTER_SHEET, write_register_sheet
from ..rules_sheet import RULES_SHEET
from ..tables import Table
from ..trend_sheets import (QUARTERS_SHOWN, TRENDS_SHEET, add_sparklines, trend_lines, write_trend_chart_sheet,
                            write_trends_sheet)
from ..vba import cached_vba_project, xlwings_vba
from .dashboard import write_dashboard_sheet
from .data_quality import write_data_quality_sheet
from .deliverables import write_deliverables_sheet
from .exceptions import write_exceptions_sheet
from .indicators import SPARKLINE_COL, first_with_figures, trend_of, write_indicators_sheet
from .layout import Styles
from .reference_sheets import (RowFormats, write_catalogue_actions_sheet, write_catalogue_sheet, write_settings_sheet,
                               write_table)

from ..xlsx_writer import Workbook
SETTINGS_SHEET = "Settings"
#: The sheets Consolidate writes, in the workbook's order; the button copies each into the open workbook.
OUTPUT_SHEETS = ("Dashboard", "Indicators by outcome", "Deliverables by outcome", PLAN_SHEET, EXCEPTIONS_SHEET,
                 CHANGES_SHEET, REGISTER_SHEET, "Exceptions", "Data quality", HISTORY_SHEET, PLAN_HISTORY.sheet,
                 RISK_HISTORY.sheet, TRENDS_SHEET)
#: The package holding the buttons' VBA (macros/*.bas), shipped in the wheel beside pmf_excel.
MACROS = "macros"


def write_corporate_workbook(path: Path, quarter: str, catalogue: Catalogue, measures: Sequence[MeasureResult],
                             findings: Sequence[Finding], history: Sequence[HistoryRow],
                             settings: dict[str, str] | None = None, actions: Sequence[ActionResult] = (),
                             plan: PlanReport | None = None, risks: RiskReport | None = None,
                             policy: Policy = DEFAULT_POLICY, comparators: Sequence[Comparator] = (),
                             findings_log: str = "", actions_quarter: str = "",
                             made: dt.datetime | None = None) -> Path:
    """Write the corporate workbook; as ``.xlsm`` it carries the buttons and their VBA, built from ``macros/``.

    ``plan`` and ``risks`` are the quarter's Improvement Plan and risk
    register; without them (a template before any consolidation) their
    sheets are written empty, ready for the first. ``findings_log`` names
    the CSV beside the workbook that holds every finding when there are more
    than the Data quality sheet's rows. ``actions`` are the Corporate Plan
    actions as returned for ``actions_quarter``, this quarter unless said
    otherwise (the council reports its deliverables on their own cycle), and
    every sheet that shows them says which quarter they are for.
    ``made`` is when the consolidation ran; a template has none, and
    records the quarter's date.
    """
    plan = plan or PlanReport(results=[], changes=[], history=[])
    risks = risks or RiskReport(results=[], changes=[], history=[])
    xlwings = xlwings_vba() if path.suffix.lower() == ".xlsm" else None  # refuses, before anything is written
    # parts are spooled into a folder beside the file, not the system's temporary folder, so a failed or killed
    # write leaves nothing behind there (the file itself is written beside the workbook and swapped in by the
    # caller); a figure no spreadsheet holds (inf, from a crafted return) is written as Excel's error value
    with parts_beside(path) as parts:
        workbook = Workbook(str(path), {"nan_inf_to_errors": True}, parts=parts, code_names=xlwings is not None)
        workbook.set_properties({"title": f"Corporate performance report {quarter}",
                                 "created": made.astimezone(dt.timezone.utc) if made else document_time(quarter),
                                 "subject": "Performance Management Framework: corporate monitoring workbook"})
        _write_sheets(workbook, quarter, catalogue, measures, findings, history, settings, actions, plan, risks,
                      policy, comparators, findings_log, actions_quarter, made, buttons=xlwings is not None)
        if xlwings is not None:
            _vba(workbook, *xlwings)
        workbook.close()
    return path


def _write_sheets(workbook: Workbook, quarter: str, catalogue: Catalogue, measures: Sequence[MeasureResult],
                  findings: Sequence[Finding], history: Sequence[HistoryRow], settings: dict[str, str] | None,
                  actions: Sequence[ActionResult], plan: PlanReport, risks: RiskReport, policy: Policy,
                  comparators: Sequence[Comparator], findings_log: str, actions_quarter: str,
                  made: dt.datetime | None, buttons: bool) -> None:
    """Every sheet, in the workbook's order but the Dashboard's, written last over the others' counts. The
    largest (a row a measure, an action, a measure's quarter or a catalogue entry) are written out as soon
    as they are complete, so that their cells are not all held until the file is closed."""
    styles = Styles(workbook, policy, line_units(catalogue.measures, quarter, policy) if quarter else {})
    dashboard = workbook.add_worksheet(OUTPUT_SHEETS[0])
    indicators = workbook.add_worksheet(OUTPUT_SHEETS[1])
    placed = write_indicators_sheet(indicators, styles, quarter, measures, policy, comparators)
    # the empty template has no quarter yet: its trend sheets are laid out, waiting for the first consolidation
    quarters, trends = trend_lines(history, quarter, [trend_of(line) for line, _ in placed]) if quarter \
        else ([""] * QUARTERS_SHOWN, [])
    trends = [trend.model_copy(update={"number_format": styles.figure_format(trend.ref, [trend.target,
                                                                                          *trend.values])})
              for trend in trends]
    write_trend_chart_sheet(workbook, quarters, trends, selected=first_with_figures(trends), quarter=quarter)
    deliverables = workbook.add_worksheet(OUTPUT_SHEETS[2])
    write_deliverables_sheet(deliverables, styles, quarter, actions, actions_quarter)
    workbook.write_out(deliverables)
    write_plan_report_sheets(workbook, quarter, plan)
    write_register_sheet(workbook, quarter, risks)
    write_exceptions_sheet(workbook.add_worksheet("Exceptions"), styles, quarter, measures, actions, policy,
                           actions_quarter)
    write_data_quality_sheet(workbook.add_worksheet("Data quality"), styles, quarter, findings, findings_log)
    history_sheet = workbook.add_worksheet(HISTORY.sheet)
    write_table(history_sheet, styles, HISTORY.rows(history), quarter, formats=_history_figures(styles))
    workbook.write_out(history_sheet)
    for table, records in ((PLAN_HISTORY, plan.history), (RISK_HISTORY, risks.history)):
        write_table(workbook.add_worksheet(table.sheet), styles, table.rows(records), quarter)
    rows = write_trends_sheet(workbook, quarters, trends, quarter=quarter)  # the trend chart's figures
    add_sparklines(indicators, SPARKLINE_COL, {row: rows[line.ref] for line, row in placed})
    workbook.write_out(indicators)
    for write, name in ((write_catalogue_sheet, CATALOGUE_SHEET), (write_catalogue_actions_sheet, ACTIONS_SHEET)):
        sheet = workbook.add_worksheet(name)
        write(sheet, styles, catalogue, quarter)
        workbook.write_out(sheet)
    write_table(workbook.add_worksheet(COMPARATORS_TABLE.sheet), styles, COMPARATORS_TABLE.rows(
        comparator_rows(comparators)), quarter)
    evidence, milestones = evidence_rows(catalogue)
    benchmarks = [BenchmarkMetric(metric=metric, ref=ref) for metric, ref in catalogue.benchmark_map.items()]
    for table, records, formats in ((PLAN_TABLE, catalogue.improvement_plan, None),
                                    (RISKS_TABLE, catalogue.risks, None), (BENCHMARKS_TABLE, benchmarks, None),
                                    (EVIDENCE_TABLE, evidence, _in_column(EVIDENCE_TABLE, "% complete", '0.0"%"')),
                                    (MILESTONES_TABLE, milestones, _in_column(MILESTONES_TABLE, "Expected share",
                                                                              "0%"))):
        write_table(workbook.add_worksheet(table.sheet), styles, table.rows(records), quarter, formats)
    write_table(workbook.add_worksheet(RULES_SHEET), styles, policy_rows(policy), quarter)
    write_settings_sheet(workbook.add_worksheet(SETTINGS_SHEET), styles, {"Quarter": quarter, **(settings or {})},
                         buttons=buttons)
    write_dashboard_sheet(workbook, dashboard, styles, quarter, measures, findings, actions, plan, risks, policy,
                          actions_quarter, made)
    dashboard.activate()


def _history_figures(styles: Styles) -> RowFormats:
    """A History row's figures (this quarter's, last quarter's, last year's) in its measure's unit."""
    columns = [HISTORY.headings.index(name) for name in ("Performance", "Last quarter", "Same quarter last year")]
    ref = HISTORY.headings.index("Ref")

    def formats(row: Sequence[object]) -> dict[int, str]:
        shown = styles.figure_format(str(row[ref]), [row[col] for col in columns])
        return dict.fromkeys(columns, shown)
    return formats


def _in_column(table: Table, heading: str, num_format: str) -> RowFormats:
    """Every row's number in one column of a table in ``num_format``."""
    return lambda row: {table.headings.index(heading): num_format}


def _vba(workbook, xlwings_modules: dict[str, str], classes: dict[str, str]) -> None:
    """The VBA project: exactly macros/*.bas (package data of the installed macros package) plus the pinned
    xlwings' module and class, built once for those sources and kept in the user's cache (vba/cache.py)."""
    bas = sorted((path for path in files(MACROS).iterdir() if path.name.endswith(".bas")), key=lambda p: p.name)
    modules = {path.name.removesuffix(".bas"): path.read_text(encoding="cp1252") for path in bas}
    modules.update(xlwings_modules)
    workbook.set_vba_name("ThisWorkbook")
    names = tuple(sheet.vba_codename for sheet in workbook.worksheets())  # Sheet1…, given as each was added
    workbook.add_vba_project(io.BytesIO(cached_vba_project(modules, classes=classes, sheet_modules=names)),
                             is_stream=True)
