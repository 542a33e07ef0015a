"""Exceptions: what the performance team reports by exception."""

from __future__ import annotations

from collections.abc import Sequence

from ...framework.results import ActionResult, MeasureResult, exception_lines
from ...rules.policy import DEFAULT_POLICY, Policy
from ..page_layout import fitted_height
from .layout import SMALL, Styles, colour_states, print_report_sheet, write_value


#: The Exception of an action whose rating its evidence does not bear out.
ACTION_EXCEPTION = "Action rating not borne out by its evidence"


def write_exceptions_sheet(sheet, styles: Styles, quarter: str, measures: Sequence[MeasureResult],
                actions: Sequence[ActionResult] = (), policy: Policy = DEFAULT_POLICY,
                actions_quarter: str = "") -> None:
    sheet.write(0, 0, f"Exceptions {quarter}: Red, Amber and worsening, breaches, no data", styles.title)
    headings = [("Exception", 22), ("Ref", 13), ("Indicator", 44), ("Directorate", 18), ("Performance", 13),
                ("Target", 13), ("RAG", 10), ("DOT short term", 12), ("Commentary", 80), ("Why", 60)]
    widths = [width for _, width in headings]
    for col, (heading, width) in enumerate(headings):
        sheet.write_string(2, col, heading, styles.header)
        sheet.set_column(col, col, width)
    sheet.set_row(2, fitted_height([(heading, width) for heading, width in headings], bold=True))
    row = 3
    for kind, line in exception_lines(measures):
        values = [kind, line.ref, line.indicator, line.directorate, line.performance, line.target,
                  policy.shown(line.rag) if line.rag else "Not judged", policy.shown(line.dot_short or ""),
                  line.commentary, line.officer_note or line.reason]
        figure = styles.figure_format(line.ref, [line.performance])
        for col, value in enumerate(values):
            write_value(sheet, row, col, value, styles, figure)
        _fit(sheet, row, values, widths)
        row += 1
    for action in (a for a in actions if a.evidence_warning):  # a rating its evidence does not bear out
        kind = ACTION_EXCEPTION + (f" ({actions_quarter})" if actions_quarter not in ("", quarter) else "")
        values = [kind, action.bp_ref, action.action, action.directorate, action.status,
                  f"Suggested: {action.suggested}", action.rag or "Not judged", "", action.update,
                  "\n".join(action.evidence)]
        for col, value in enumerate(values):
            write_value(sheet, row, col, value, styles)
        _fit(sheet, row, values, widths)
        row += 1
    colour_states(sheet, styles, 3, max(row - 1, 3), 6)
    sheet.autofilter(2, 0, max(row - 1, 3), len(headings) - 1)
    sheet.freeze_panes(3, 0)
    print_report_sheet(sheet, quarter, header_row=2)


def _fit(sheet, row: int, values: list[object], widths: list[float]) -> None:
    sheet.set_row(row, fitted_height([(value, width) for value, width in zip(values, widths)
                                      if isinstance(value, str)], font_size=SMALL))
