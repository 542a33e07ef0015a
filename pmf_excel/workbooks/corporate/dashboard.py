"""The Dashboard: counts by strategic outcome, directorate, theme and risk owner, and the chart."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from ...framework.findings import Finding
from ...framework.improvement_plan import THEMES, PlanReport
from ...framework.outcomes import OUTCOMES
from ...framework.results import (ACTION_STATES, RAG_STATES, RISK_STATES, ActionResult, MeasureResult, outcome_order,
                                  rag_counts)
from ...framework.risks import RiskReport
from ...rules.policy import DEFAULT_POLICY, Policy
from ..page_layout import fitted_height, merged_width
from ..styles import RAG_COLOURS
from .layout import SMALL, Styles, print_report_sheet

#: The widths of the Dashboard's name column and of each count's.
NAME_WIDTH, COUNT_WIDTH = 46, 11


def write_dashboard_sheet(workbook, sheet, styles: Styles, quarter: str, measures: Sequence[MeasureResult],
               findings: Sequence[Finding], actions: Sequence[ActionResult], plan: PlanReport,
               risks: RiskReport, policy: Policy = DEFAULT_POLICY, actions_quarter: str = "",
               made: dt.datetime | None = None) -> None:
    """The counts, each table of the report's ``quarter`` but the Corporate Plan actions' when they are another's
    (``actions_quarter``), which their title then says; ``made`` is when the consolidation ran (None: a
    template not consolidated yet)."""
    sheet.write(0, 0, f"Corporate Performance Report {quarter}", styles.title)
    summary = (f"Consolidated {made:%d %B %Y %H:%M} from the directorate returns; "
               f"{sum(f.severity == 'Error' for f in findings)} data-quality error(s) and "
               f"{sum(f.severity == 'Warning' for f in findings)} warning(s): see Data quality."
               + _not_due_note(measures)) if made else \
        "Not consolidated yet: fill in Quarter and Returns folder on the Settings sheet, then click Consolidate."
    sheet.merge_range(1, 0, 1, 7, summary, styles.plain)
    sheet.set_row(1, fitted_height([(summary, merged_width([NAME_WIDTH] + [COUNT_WIDTH] * 7))]))
    sheet.set_column(0, 0, NAME_WIDTH)
    sheet.set_column(1, 7, COUNT_WIDTH)
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
              ("Corporate Plan actions by strategic outcome"
               + (f", {actions_quarter}" if actions_quarter not in ("", quarter) else ""), "Strategic outcome",
               action_counts,
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
        sheet.set_row(row + 1, fitted_height([(policy.shown(heading), COUNT_WIDTH) for heading in columns],
                                             bold=True))
        first = row + 2
        for offset, name in enumerate(names):
            r = first + offset
            sheet.write_string(r, 0, name, styles.text)
            sheet.set_row(r, fitted_height([(name, NAME_WIDTH)], font_size=SMALL))
            for col, state in enumerate(columns[:-1], start=1):
                sheet.write_number(r, col, counts[name][state], styles.count)
            sheet.write_formula(r, len(columns), f"=SUM(B{r + 1}:{chr(ord('A') + len(columns) - 1)}{r + 1})",
                                styles.count, sum(counts[name].values()))
        if index == 0:
            _chart(workbook, sheet, first, first + len(names) - 1)
        row = first + len(names) + 2
    print_report_sheet(sheet, quarter, header_row=None, pages_high=1)


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
