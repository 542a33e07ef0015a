"""The website's pages, as what each one holds: made from the consolidated report, rendered by the templates.

Every page is a plain model of its headings, tables and charts, so that
what the site says can be tested without a browser and the templates hold
no logic beyond laying it out.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import groupby

from pydantic import BaseModel

from ...framework.improvement_plan import THEMES
from ...framework.results import ACTION_STATES, NOT_DUE, RAG_STATES, RISK_STATES
from ...workbooks.corporate.report_reader import Report, ReportRow
from .charts import BarChart, HeatMap, heat_map, stacked_bars
from .open_data import DataTable

NOT_JUDGED = "Not judged"
#: How a direction of travel is marked beside its word (the word is always there; the mark is a reading aid).
DOT_MARKS = {"Improving": "▲", "Worsening": "▼", "No change": "►", "Not comparable": ""}
#: Which exceptions come first: the breaches, then the slipping, then the missing.
EXCEPTION_ORDER = ("Red: tolerance breached", "Amber and worsening", "No data")


class Counts(BaseModel):
    """A table of counts by state, one row per named group, with the chart drawn from it."""

    id: str
    caption: str
    label: str
    states: list[str]
    shown: dict[str, str]
    rows: list[tuple[str, str, dict[str, int]]]  # (name, link or "", counts by state)
    chart: BarChart

    def total(self, counts: dict[str, int]) -> int:
        return sum(counts.get(state, 0) for state in self.states)

    def column_total(self, state: str) -> int:
        return sum(counts.get(state, 0) for _, _, counts in self.rows)

    def grand_total(self) -> int:
        return sum(self.total(counts) for _, _, counts in self.rows)


class Page(BaseModel):
    """One HTML file of the site: where it goes, its title in the navigation, its template and what it holds."""

    path: str
    title: str
    template: str
    content: dict[str, object] = {}


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def outcome_path(outcome: str) -> str:
    return f"outcome-{slug(outcome)}.html"


def counts_table(report: Report, table_id: str, caption: str, label: str, noun: str,
                 groups: list[tuple[str, str, Counter]], states: tuple[str, ...]) -> Counts:
    """Counts by state for each group; a Not judged column only when something was not judged."""
    columns = [*states, NOT_JUDGED] if any(counts[NOT_JUDGED] for _, _, counts in groups) else list(states)
    shown = {state: report.policy.shown(state) for state in columns}
    return Counts(id=table_id, caption=caption, label=label, states=columns, shown=shown,
                  rows=[(name, link, {state: counts[state] for state in columns}) for name, link, counts in groups],
                  chart=stacked_bars(f"{table_id}-chart", caption, noun,
                                     [(name, counts) for name, _, counts in groups], columns, shown))


def site_pages(report: Report, tables: list[DataTable]) -> list[Page]:
    """Every page of the site, in the order the navigation lists them."""
    outcomes = report.outcomes()
    measures = counts_table(report, "measures", f"Measures by RAG rating and strategic outcome, {report.quarter}",
                            "Strategic outcome", "measures",
                            [(o, outcome_path(o), report.measure_counts(o)) for o in outcomes], RAG_STATES)
    actions = counts_table(report, "actions", f"Corporate Plan actions by status and strategic outcome, "
                                              f"{report.actions_quarter or report.quarter}", "Strategic outcome",
                           "actions",
                           [(o, outcome_path(o), report.action_counts(o)) for o in outcomes], ACTION_STATES)
    not_due = [row.text("Ref") for o in outcomes for row in report.measures_of(o) if row.text("RAG") == NOT_DUE]
    risk_counts = Counter(row.text("RAG") or "Not scored" for row in report.risks)
    summary = Page(path="index.html", title="Summary", template="summary.html.j2", content={
        "measures": measures, "actions": actions, "not_due": not_due, "exceptions": len(report.exceptions),
        "plan": Counter(report.state(row.text("RAG")) or NOT_JUDGED for row in report.plan),
        "risks": [(state, risk_counts[state]) for state in RISK_STATES if risk_counts[state]],
        "outcomes": outcomes})
    pages = [summary]
    pages += [_outcome_page(report, outcome) for outcome in outcomes]
    pages.append(_exceptions_page(report))
    if report.plan:
        pages.append(_plan_page(report))
    if report.risks:
        pages.append(_risks_page(report))
    pages.append(Page(path="open-data.html", title="Open data", template="open_data.html.j2",
                      content={"tables": tables}))
    return pages


def _outcome_page(report: Report, outcome: str) -> Page:
    ours = report.measures_of(outcome)
    measure_ids = {row.text("Ref") for row in ours}
    indicators = [row for row in report.indicators if row.cells["Strategic outcome"] == outcome]
    actions = report.actions_of(outcome)
    by_state = {state: [row for row in actions if report.state(row.text("RAG")) == state] for state in ACTION_STATES}
    unrated = [row for row in actions if report.state(row.text("RAG")) not in ACTION_STATES]
    return Page(path=outcome_path(outcome), title=outcome, template="outcome.html.j2", content={
        "outcome": outcome,
        "measure_counts": report.measure_counts(outcome), "action_counts": report.action_counts(outcome),
        "counted": sum(1 for row in ours if row.text("RAG") != NOT_DUE),
        "not_due": [row.text("Ref") for row in ours if row.text("RAG") == NOT_DUE],
        "indicators": [_indicator_line(report, row, row.text("Ref") in measure_ids) for row in indicators],
        "action_groups": [(state, report.policy.shown(state), rows) for state, rows in by_state.items() if rows]
        + ([(NOT_JUDGED, NOT_JUDGED, unrated)] if unrated else []),
        "actions": len(actions)})


def _indicator_line(report: Report, row: ReportRow, is_measure: bool) -> dict[str, object]:
    """An indicator's row as the website shows it; a part of a multi-part measure names its part."""
    ref, _, part = row.text("Ref").partition(" › ")
    figure_for = row.text("Figure for")
    return {"ref": ref, "part": part, "is_measure": is_measure, "indicator": row.text("Indicator").strip(),
            "target": row.text("Target"), "tolerance": row.text("Tolerance"), "polarity": row.text("Polarity"),
            "performance": row.text("Performance"),
            "figure_for": figure_for if figure_for not in ("", report.quarter) else "",
            "rag": row.text("RAG"), "short": row.text("DOT short term"), "last_quarter": row.text("Last quarter"),
            "long": row.text("DOT long term"), "last_year": row.text("Same quarter last year"),
            "why": row.text("Why"), "commentary": row.text("Commentary"), "directorate": row.text("Directorate")}


def _exceptions_page(report: Report) -> Page:
    order = {kind: index for index, kind in enumerate(EXCEPTION_ORDER)}
    ranked = sorted(report.exceptions, key=lambda row: order.get(row.text("Exception"), len(order)))
    groups = [(kind, list(rows)) for kind, rows in groupby(ranked, key=lambda row: row.text("Exception"))]
    return Page(path="exceptions.html", title="Exceptions", template="exceptions.html.j2",
                content={"groups": groups, "total": len(report.exceptions)})


def _plan_page(report: Report) -> Page:
    themes = [theme for theme in THEMES if any(row.text("Theme") == theme for row in report.plan)]
    themes += sorted({row.text("Theme") for row in report.plan} - set(themes))
    counts = counts_table(report, "plan", f"Improvement Plan actions by status and theme, {report.quarter}",
                          "Theme", "actions",
                          [(theme, "", Counter(report.state(row.text("RAG")) or NOT_JUDGED for row in report.plan
                                               if row.text("Theme") == theme)) for theme in themes], ACTION_STATES)
    exceptions = [row for row in report.plan if row.text("Exception reason")]
    return Page(path="improvement-plan.html", title="Improvement Plan", template="improvement_plan.html.j2",
                content={"counts": counts, "exceptions": exceptions, "changes": report.plan_changes,
                         "total": len(report.plan)})


def _risks_page(report: Report) -> Page:
    grid: HeatMap = heat_map("heat-map", [(row.text("Ref"), _rating(row.cells.get("Likelihood")),
                                           _rating(row.cells.get("Impact"))) for row in report.risks])
    counts = Counter(row.text("RAG") or "Not scored" for row in report.risks)
    return Page(path="risks.html", title="Strategic risks", template="risks.html.j2",
                content={"heat_map": grid, "risks": report.risks,
                         "counts": [(state, counts[state]) for state in RISK_STATES if counts[state]]})


def _rating(cell: object) -> int | None:
    """A likelihood or impact as the register holds it (a whole number 1 to 5), or None when it is not scored."""
    if isinstance(cell, (int, float)) and not isinstance(cell, bool) and float(cell).is_integer():
        return int(cell)
    return None
