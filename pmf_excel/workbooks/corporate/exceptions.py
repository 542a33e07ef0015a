"""Exceptions: what the performance team reports by exception."""

from __future__ import annotations

from collections.abc import Sequence

from ...framework.results import ActionResult, MeasureResult, exception_lines
from ...rules.policy import DEFAULT_POLICY, Policy
from .layout import Styles, colour_states, write_value


def write_exceptions_sheet(sheet, styles: Styles, quarter: str, measures: Sequence[MeasureResult],
                actions: Sequence[ActionResult] = (), policy: Policy = DEFAULT_POLICY) -> None:
    sheet.write(0, 0, f"Exceptions {quarter}: Red, Amber and worsening, breaches, no data", styles.title)
    headings = [("Exception", 22), ("Ref", 13), ("Indicator", 44), ("Directorate", 18), ("Performance", 13),
                ("Target", 13), ("RAG", 10), ("DOT short term", 12), ("Commentary", 60), ("Why", 50)]
    for col, (heading, width) in enumerate(headings):
        sheet.write_string(2, col, heading, styles.header)
        sheet.set_column(col, col, width)
    row = 3
    for kind, line in exception_lines(measures):
        why = line.officer_note or line.reason
        for col, value in enumerate([kind, line.ref, line.indicator, line.directorate, line.performance,
                                     line.target, policy.shown(line.rag) if line.rag else "Not judged",
                                     policy.shown(line.dot_short or ""), line.commentary, why]):
            write_value(sheet, row, col, value, styles)
        row += 1
    for action in (a for a in actions if a.evidence_warning):  # a rating its evidence does not bear out
        for col, value in enumerate(["Action rating not borne out by its evidence", action.bp_ref, action.action,
                                     action.directorate, action.status, f"Suggested: {action.suggested}",
                                     action.rag or "Not judged", "", action.update, "\n".join(action.evidence)]):
            write_value(sheet, row, col, value, styles)
        row += 1
    colour_states(sheet, styles, 3, max(row - 1, 3), 6)
    sheet.autofilter(2, 0, max(row - 1, 3), len(headings) - 1)
    sheet.freeze_panes(3, 0)
