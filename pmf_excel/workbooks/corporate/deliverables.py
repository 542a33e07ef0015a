"""Deliverables by outcome: 003's layout of Corporate Plan actions."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ...framework.outcomes import OUTCOMES
from ...framework.results import ActionResult
from ..page_layout import fitted_height
from .layout import SMALL, Styles, colour_states, print_report_sheet, write_value


#: The sheet's title, which says the quarter its actions are for (report_reader reads it back).
TITLE = "Corporate Plan deliverables {quarter}: actions by strategic outcome"


def deliverables_quarter(title: object) -> str:
    """The quarter a Deliverables by outcome sheet's title says its actions are for; blank when it says none."""
    found = re.fullmatch(re.escape(TITLE).replace(re.escape("{quarter}"), "(.+)"), str(title or ""))
    return found.group(1) if found else ""


def write_deliverables_sheet(sheet, styles: Styles, quarter: str, actions: Sequence[ActionResult],
                             actions_quarter: str = "") -> None:
    """003's layout: per strategic outcome, each commitment's actions with their status, RAG and update, as
    returned for ``actions_quarter`` (the report's ``quarter`` unless the council reports them on their own
    cycle)."""
    sheet.write(0, 0, TITLE.format(quarter=actions_quarter or quarter), styles.title)
    headings = [("CP ref", 8), ("Corporate Plan commitment", 56), ("BP ref", 9), ("Action", 46), ("Status", 22),
                ("RAG", 11), ("Update", 90), ("Directorate", 18), ("Suggested by evidence", 20), ("Evidence", 50)]
    for col, (heading, width) in enumerate(headings):
        sheet.write_string(2, col, heading, styles.header)
        sheet.set_column(col, col, width)
    sheet.set_row(2, fitted_height([(heading, width) for heading, width in headings], bold=True))
    row = 3
    for outcome in [o for o in OUTCOMES if any(a.outcome == o for a in actions)]:
        sheet.merge_range(row, 0, row, len(headings) - 1, outcome, styles.outcome)
        row += 1
        for action in (a for a in actions if a.outcome == outcome):
            values = [action.cp_ref, action.commitment, action.bp_ref, action.action, action.status,
                      action.rag or "Not judged", action.update, action.directorate, action.suggested,
                      "\n".join(action.evidence)]
            for col, value in enumerate(values):
                write_value(sheet, row, col, value, styles)
            sheet.set_row(row, fitted_height([(value, width) for value, (_, width) in zip(values, headings)
                                              if isinstance(value, str)], font_size=SMALL))
            row += 1
    colour_states(sheet, styles, 3, max(row - 1, 3), 5)
    sheet.freeze_panes(3, 1)
    print_report_sheet(sheet, actions_quarter or quarter, header_row=2)
