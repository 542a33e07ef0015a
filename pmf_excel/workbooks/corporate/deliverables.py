"""Deliverables by outcome: 003's layout of Corporate Plan actions."""

from __future__ import annotations

from collections.abc import Sequence

from ...framework.outcomes import OUTCOMES
from ...framework.results import ActionResult
from ..styles import fitted_height
from .layout import Styles, colour_states, write_value


def write_deliverables_sheet(sheet, styles: Styles, quarter: str, actions: Sequence[ActionResult]) -> None:
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
                write_value(sheet, row, col, value, styles)
            sheet.set_row(row, fitted_height([(action.commitment, 40), (action.action, 46), (action.update, 70)],
                                             minimum=30, font_size=9))
            row += 1
    colour_states(sheet, styles, 3, max(row - 1, 3), 5)
    sheet.freeze_panes(3, 1)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(2)
