"""A new quarter's returns, pre-filled from History, so co-ordinators type only this quarter's figures."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..framework.catalogue import Catalogue
from ..framework.history import ACTION_HISTORY, Histories, HistoryRow, latest_before
from ..framework.improvement_plan import ImprovementUpdate
from ..framework.quarters import check_quarter, previous_quarter, same_quarter_last_year
from ..framework.risks import RiskUpdate
from ..rules.policy import DEFAULT_POLICY, Policy
from ..workbooks.directorate_return import write_returns

#: How many earlier quarters a return's averages and trends may look back over (a policy takes up to 12).
MOST_PERIODS = 12


def previous_figures(history: Sequence[HistoryRow], quarter: str) -> dict[str, tuple[object, object]]:
    """Each measure line's performance last quarter and in the same quarter last year, as History holds them."""
    before, year_ago = previous_quarter(quarter), same_quarter_last_year(quarter)
    measures = [row for row in history if row.why != ACTION_HISTORY]
    last = {row.ref: row.performance for row in measures if row.quarter == before}
    ago = {row.ref: row.performance for row in measures if row.quarter == year_ago}
    return {ref: (last.get(ref), ago.get(ref)) for ref in set(last) | set(ago)}


def last_statuses(history: Sequence[HistoryRow], quarter: str) -> dict[str, str]:
    """Each action's status in the quarter before, so its lead changes only what has changed."""
    before = previous_quarter(quarter)
    return {row.ref: str(row.performance) for row in history
            if row.why == ACTION_HISTORY and row.quarter == before and row.performance and row.rag}


def windows(history: Sequence[HistoryRow], quarter: str) -> dict[str, list[object]]:
    """Each measure line's figures for the quarters before ``quarter``, latest first (None where History has
    none): what a policy's average or trend is worked out over."""
    quarters = [previous_quarter(quarter)]
    while len(quarters) < MOST_PERIODS:
        quarters.append(previous_quarter(quarters[-1]))
    held = {(row.quarter, row.ref): row.performance for row in history if row.why != ACTION_HISTORY}
    return {ref: [held.get((when, ref)) for when in quarters] for ref in dict.fromkeys(ref for _, ref in held)}


def roll_over(catalogue: Catalogue, history: Histories, quarter: str, out: Path,
              policy: Policy = DEFAULT_POLICY) -> list[Path]:
    """Write every directorate's return for ``quarter`` into ``out`` under ``policy`` (the workbook's Rules):
    previous figures and each action's last status from History, the figures a policy's average or trend needs,
    and the Improvement Plan and risks as the last review left them."""
    quarter = check_quarter(quarter)
    return write_returns(catalogue, quarter, out, history=previous_figures(history.measures, quarter),
                         statuses=last_statuses(history.measures, quarter), policy=policy,
                         windows=windows(history.measures, quarter), **plan_and_risks_carried(history, quarter))


def plan_and_risks_carried(history: Histories, quarter: str) -> dict[str, dict]:
    """What a return's Improvement Plan and Risks sheets carry forward from the last review: each action's
    lead, due date, status and reason for the exception, each risk's ratings, owner, controls and further
    actions, so that leads change only what has changed (as
    :func:`~pmf_excel.workbooks.directorate_return.write_returns` takes them)."""
    plan, risks = latest_before(history.plan, quarter), latest_before(history.risks, quarter)
    return dict(
        plan={ref: ImprovementUpdate(ref=ref, status=row.status, exception=row.exception)
              for ref, row in plan.items()},
        plan_known={ref: row.known() for ref, row in plan.items()},
        risks={ref: RiskUpdate(ref=ref, likelihood=row.likelihood, impact=row.impact, owner=row.owner,
                               controls=row.controls, further_actions=row.further_actions)
               for ref, row in risks.items()},
        risks_known={ref: row.known() for ref, row in risks.items()})
