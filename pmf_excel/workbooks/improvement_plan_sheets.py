"""The Improvement Plan in workbooks: the sheet each directorate returns, and the monitoring tool of 002.

In a return, each action its directorate leads: the lead picks a status,
writes the update and, where it is not on track, the reason for the
exception; a new due date, a new delivery lead or a proposal to close is
typed over the pre-filled cells with the reason for the change. Native
formulas show the RAG and what is still missing, as on the Measures sheet.

In the corporate workbook: the monitoring tool (status counts by theme, then
every action by theme, the ones added this quarter in red font as the
council shows them, 002 §10.3), the exception report, and the change log
with the quarter's summary in the words of 002 §10.4.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from xlsxwriter.utility import xl_col_to_name

from ..framework.improvement_plan import THEMES, ChangeKind, PlanLine, PlanReport, plan_check
from ..rules.policy import DEFAULT_POLICY, Policy
from ..rules.verdicts import DELIVERABLE_STATUSES, deliverable_rag
from .statuses import status_key, status_list, status_rag_formula
from .page_layout import REPORT_TITLE, SMALL, fitted_height, merged_width, return_title, set_up_printing
from .styles import HEADER, INPUT, LOCKED_TEXT, RAG_COLOURS, RESULT, TITLE

PLAN_SHEET = "Improvement Plan"
EXCEPTIONS_SHEET = "Improvement Plan exceptions"
CHANGES_SHEET = "Improvement Plan changes"
RETURN_COLUMNS = [
    ("Ref", 10), ("Theme", 16), ("Workstream", 20), ("Type", 12), ("Action", 44), ("Delivery lead", 20),
    ("Due date", 12), ("Status", 22), ("RAG", 11), ("Progress update", 44), ("Exception reason", 34),
    ("Propose to close", 10), ("Reason for change", 30), ("Check", 22), ("Agreed lead", 12),
    ("Agreed due date", 12),
]
RCOL = {name: index for index, (name, _) in enumerate(RETURN_COLUMNS)}
_HIDDEN_FROM = RCOL["Agreed lead"]
FIRST_ROW = 4
STATES = ("Green", "Amber", "Red", "Complete", "No update")
#: Each RAG state under the status that gives it, as the monitoring tool's headings say it.
STATE_NAMES = {rag: status for status, rag in DELIVERABLE_STATUSES.items()}


def _cell(name: str, row: int) -> str:
    return f"{xl_col_to_name(RCOL[name])}{row}"


def check_formula(row: int) -> str:
    """The live Check of a return row (1-based): :func:`~pmf_excel.framework.improvement_plan.plan_check` in Excel."""
    status, rag, exception = _cell("Status", row), _cell("RAG", row), _cell("Exception reason", row)
    lead, due, agreed_lead, agreed_due = (_cell(name, row) for name in
                                          ("Delivery lead", "Due date", "Agreed lead", "Agreed due date"))
    close, reason = _cell("Propose to close", row), _cell("Reason for change", row)
    return (f'=IF({status_key(status)}="","Status required",IF(AND(OR({rag}="Amber",{rag}="Red"),'
            f'LEN(TRIM({exception}))=0),"Exception reason required",IF(AND(OR(AND(TRIM({lead})<>"",'
            f'TRIM({lead})<>{agreed_lead}),AND({due}<>"",{due}<>{agreed_due}),TRIM({close})="Yes",'
            f'TRIM({close})="Y"),LEN(TRIM({reason}))=0),"Reason for change required","")))')


def write_plan_return_sheet(workbook, directorate: str, quarter: str, lines: Sequence[PlanLine],
                            password: str, policy: Policy = DEFAULT_POLICY) -> None:
    """The Improvement Plan sheet of a directorate's return."""
    sheet = workbook.add_worksheet(PLAN_SHEET)
    text = workbook.add_format(LOCKED_TEXT)
    typed = workbook.add_format({**INPUT, "text_wrap": True})
    date = workbook.add_format({**INPUT, "num_format": "dd/mm/yyyy"})
    hidden = workbook.add_format({"locked": True, "font_color": "#808080", "num_format": "dd/mm/yyyy"})
    result = workbook.add_format(RESULT)
    header = workbook.add_format(HEADER)
    sheet.write(0, 0, f"{directorate}: Improvement Plan actions for {quarter}", workbook.add_format(TITLE))
    guidance = ("Choose each action's status and give an update. Not on track: say why in Exception reason. To move "
                "the due date, change the lead or propose to close, type over the yellow cells and give the reason "
                "for the change.")
    sheet.merge_range(1, 0, 1, _HIDDEN_FROM - 1, guidance, workbook.add_format({"text_wrap": True, "valign": "top"}))
    sheet.set_row(1, fitted_height([(guidance, merged_width(width for _, width in RETURN_COLUMNS[:_HIDDEN_FROM]))]))
    for index, (heading, width) in enumerate(RETURN_COLUMNS):
        sheet.write_string(FIRST_ROW - 1, index, heading, header)
        sheet.set_column(index, index, width, None, {"hidden": index >= _HIDDEN_FROM})
    sheet.set_row(FIRST_ROW - 1, fitted_height(RETURN_COLUMNS[:_HIDDEN_FROM], bold=True))
    for offset, line in enumerate(lines):
        row, n = FIRST_ROW + offset, FIRST_ROW + offset + 1
        action, update = line.action, line.update
        for name, value in (("Ref", action.ref), ("Theme", action.theme), ("Workstream", action.workstream),
                            ("Type", action.type.value), ("Action", action.action)):
            sheet.write_string(row, RCOL[name], value, text)
        sheet.write_string(row, RCOL["Delivery lead"], line.lead, typed)
        sheet.write_datetime(row, RCOL["Due date"], _midnight(line.due), date)
        sheet.write_string(row, RCOL["Status"], update.status, typed)
        sheet.write_formula(row, RCOL["RAG"], status_rag_formula(_cell("Status", n), policy), result,
                            deliverable_rag(update.status, policy))
        for name, value in (("Progress update", update.update), ("Exception reason", update.exception),
                            ("Propose to close", "Yes" if update.propose_close else ""),
                            ("Reason for change", update.change_reason)):
            sheet.write_string(row, RCOL[name], value, typed)
        sheet.write_formula(row, RCOL["Check"], check_formula(n), result, plan_check(line))
        sheet.write_string(row, RCOL["Agreed lead"], line.agreed.lead, hidden)
        sheet.write_datetime(row, RCOL["Agreed due date"], _midnight(line.agreed.due), hidden)
        sheet.set_row(row, fitted_height([(text, RETURN_COLUMNS[RCOL[name]][1]) for name, text in (
            ("Ref", action.ref), ("Theme", action.theme), ("Workstream", action.workstream),
            ("Type", action.type.value), ("Action", action.action), ("Delivery lead", line.lead),
            ("Status", update.status), ("Progress update", update.update), ("Exception reason", update.exception),
            ("Reason for change", update.change_reason), ("Check", plan_check(line)))], minimum=30))
    if not lines:
        sheet.write_string(FIRST_ROW, 1, f"No Improvement Plan actions are led by {directorate}.", text)
        sheet.set_row(FIRST_ROW, fitted_height([(f"No Improvement Plan actions are led by {directorate}.",
                                                 RETURN_COLUMNS[RCOL["Theme"]][1])]))
    last = FIRST_ROW + max(len(lines), 1) - 1
    sheet.data_validation(FIRST_ROW, RCOL["Status"], last, RCOL["Status"], status_list(policy))
    sheet.data_validation(FIRST_ROW, RCOL["Due date"], last, RCOL["Due date"], {
        "validate": "date", "criteria": ">=", "value": dt.date(2020, 1, 1), "input_title": "Due date",
        "input_message": "Type a new date to move it, e.g. 31/03/2024, and say why in Reason for change.",
        "error_message": "Type a date, e.g. 31/03/2024."})
    sheet.data_validation(FIRST_ROW, RCOL["Propose to close"], last, RCOL["Propose to close"], {
        "validate": "list", "source": ["Yes", "No"], "input_title": "Propose to close",
        "input_message": "Yes to propose closing this action at the next change control."})
    for state, (fill, font) in RAG_COLOURS.items():
        sheet.conditional_format(FIRST_ROW, RCOL["RAG"], last, RCOL["RAG"], {
            "type": "cell", "criteria": "==", "value": f'"{state}"',
            "format": workbook.add_format({"bg_color": fill, "font_color": font})})
    sheet.conditional_format(FIRST_ROW, RCOL["Check"], last, RCOL["Check"], {
        "type": "cell", "criteria": "!=", "value": '""',
        "format": workbook.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"})})
    sheet.freeze_panes(FIRST_ROW, 1)
    sheet.autofilter(FIRST_ROW - 1, 0, last, _HIDDEN_FROM - 1)
    set_up_printing(sheet, return_title(directorate), quarter, repeat=FIRST_ROW - 1,
                    area=(0, 0, last, _HIDDEN_FROM - 1))
    sheet.protect(password, {"autofilter": True, "format_columns": True, "format_rows": True})


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())


class _Formats:
    def __init__(self, workbook):
        self.title = workbook.add_format(TITLE)
        self.header = workbook.add_format(HEADER)
        self.text = workbook.add_format({**LOCKED_TEXT, "font_size": SMALL})
        self.red_font = workbook.add_format({"font_color": "#C00000"})
        self.date = workbook.add_format({**LOCKED_TEXT, "font_size": SMALL, "num_format": "dd/mm/yyyy"})
        self.count = workbook.add_format({"border": 1, "border_color": "#D9D9D9", "align": "center"})
        self.months = workbook.add_format({**LOCKED_TEXT, "font_size": SMALL, "align": "center", "num_format": "0.0"})
        self.theme = workbook.add_format({"bold": True, "font_size": 12, "font_color": "#FFFFFF",
                                          "bg_color": "#2F75B5"})
        self.bold = workbook.add_format({"bold": True})
        self.plain = workbook.add_format({"text_wrap": True, "valign": "top"})
        self.flag = workbook.add_format({**LOCKED_TEXT, "font_size": SMALL, "bold": True, "font_color": "#9C0006"})
        self.colours = {state: workbook.add_format({"bg_color": fill, "font_color": font})
                        for state, (fill, font) in RAG_COLOURS.items()}


#: How far down the colouring rules reach: past any plan, so that the Consolidate button, which writes values
#: into the sheets of the open workbook, finds them in place.
_RULE_ROWS = 1000
ADDED = "New this quarter"


def _colour(sheet, formats: _Formats, first: int, col: int) -> None:
    for state, style in formats.colours.items():
        sheet.conditional_format(first, col, first + _RULE_ROWS, col, {
            "type": "cell", "criteria": "==", "value": f'"{state}"', "format": style})


def _red_when(sheet, formats: _Formats, first: int, last_col: int, flag_col: int, flag: str) -> None:
    """Red font on every row whose ``flag_col`` says ``flag``: how the council marks actions added (002 §10.3)."""
    sheet.conditional_format(first, 0, first + _RULE_ROWS, last_col, {
        "type": "formula", "criteria": f'=${xl_col_to_name(flag_col)}{first + 1}="{flag}"',
        "format": formats.red_font})


def write_plan_report_sheets(workbook, quarter: str, report: PlanReport) -> None:
    """The monitoring tool, the exception report and the change log of the corporate workbook."""
    formats = _Formats(workbook)
    _monitoring_tool(workbook.add_worksheet(PLAN_SHEET), formats, quarter, report)
    _exception_report(workbook.add_worksheet(EXCEPTIONS_SHEET), formats, quarter, report)
    _change_log(workbook.add_worksheet(CHANGES_SHEET), formats, quarter, report)


MONITORING_COLUMNS = [("Ref", 9), ("Workstream", 18), ("Type", 12), ("Action", 40), ("Delivery lead", 18),
                      ("Due date", 10), ("Status", 18), ("RAG", 10), ("Progress update", 64), ("Directorate", 14),
                      ("Added", 10)]


def _monitoring_tool(sheet, formats: _Formats, quarter: str, report: PlanReport) -> None:
    sheet.write(0, 0, f"Improvement Plan monitoring tool {quarter}", formats.title)
    last_col = len(MONITORING_COLUMNS) - 1
    widths = [width for _, width in MONITORING_COLUMNS]
    sheet.merge_range(1, 0, 1, last_col, "Actions in red font were added to the plan this quarter (002 §10.3). "
                                         "Status counts by theme, then every action by theme.", formats.plain)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    counts = {theme: Counter() for theme in THEMES}
    for result in report.results:
        counts[result.action.theme][result.rag or "No update"] += 1
    sheet.merge_range(3, 0, 3, 1, "Theme", formats.header)
    for col, state in enumerate([*STATES, "Total"], start=2):
        sheet.write_string(3, col, STATE_NAMES.get(state, state), formats.header)
    sheet.set_row(3, fitted_height([(STATE_NAMES.get(state, state), widths[col])
                                    for col, state in enumerate([*STATES, "Total"], start=2)], bold=True))
    row = 4
    for theme in THEMES:
        sheet.merge_range(row, 0, row, 1, theme, formats.text)
        sheet.set_row(row, fitted_height([(theme, merged_width(widths[:2]))], font_size=SMALL))
        for col, state in enumerate(STATES, start=2):
            sheet.write_number(row, col, counts[theme][state], formats.count)
        total_col = len(STATES) + 2
        sheet.write_formula(row, total_col, f"=SUM(C{row + 1}:{xl_col_to_name(total_col - 1)}{row + 1})",
                            formats.count, sum(counts[theme].values()))
        row += 1
    row += 1
    header_row = row
    for col, (heading, _) in enumerate(MONITORING_COLUMNS):
        sheet.write_string(row, col, heading, formats.header)
    sheet.set_row(row, fitted_height(MONITORING_COLUMNS, bold=True))
    row += 1
    for theme in THEMES:
        results = [r for r in report.results if r.action.theme == theme]
        sheet.merge_range(row, 0, row, last_col, f"{theme} theme", formats.theme)
        row += 1
        if not results:
            sheet.merge_range(row, 0, row, 3, "No actions in this theme.", formats.text)
            row += 1
        for result in results:
            action = result.action
            texts = {0: action.ref, 1: action.workstream, 2: action.type.value, 3: action.action, 4: result.lead,
                     6: result.status, 7: result.rag or "No update", 8: result.update, 9: action.directorate,
                     10: ADDED if result.added else ""}
            for col, value in texts.items():
                sheet.write_string(row, col, value, formats.text)
            sheet.write_datetime(row, 5, _midnight(result.due), formats.date)
            sheet.set_row(row, fitted_height([(text, widths[col]) for col, text in texts.items()],
                                             font_size=SMALL))
            row += 1
    _colour(sheet, formats, header_row + 1, 7)  # before the red font: LibreOffice applies the first rule only
    _red_when(sheet, formats, header_row + 1, last_col, 10, ADDED)
    sheet.freeze_panes(header_row + 1, 1)
    set_up_printing(sheet, REPORT_TITLE, quarter, repeat=header_row)


def _exception_report(sheet, formats: _Formats, quarter: str, report: PlanReport) -> None:
    """Every action not on track, with the reason its lead gave (002 §4.3.2: "The reason for the exception
    report is …")."""
    exceptions = [r for r in report.results if not r.on_track]
    sheet.write(0, 0, f"Improvement Plan exception report {quarter}: {len(exceptions)} action(s) not on track",
                formats.title)
    headings = [("Ref", 10), ("Theme", 18), ("Action", 46), ("Delivery lead", 22), ("Due date", 11),
                ("Status", 22), ("RAG", 11), ("Reason for the exception", 50), ("Progress update", 50)]
    for col, (heading, width) in enumerate(headings):
        sheet.write_string(2, col, heading, formats.header)
        sheet.set_column(col, col, width)
    sheet.set_row(2, fitted_height(headings, bold=True))
    for row, result in enumerate(exceptions, start=3):
        reason = result.exception or "No reason given: see Data quality."
        texts = {0: result.action.ref, 1: result.action.theme, 2: result.action.action, 3: result.lead,
                 5: result.status, 6: result.rag or "No update", 7: reason, 8: result.update}
        for col, value in texts.items():
            sheet.write_string(row, col, value, formats.text)
        sheet.write_datetime(row, 4, _midnight(result.due), formats.date)
        sheet.set_row(row, fitted_height([(text, headings[col][1]) for col, text in texts.items()],
                                         font_size=SMALL))
    _colour(sheet, formats, 3, 6)
    sheet.freeze_panes(3, 1)
    set_up_printing(sheet, REPORT_TITLE, quarter, repeat=2)


def _change_log(sheet, formats: _Formats, quarter: str, report: PlanReport) -> None:
    """The quarter's summary in 002 §10.4's words, then every change (002 Appendix 5)."""
    sheet.write(0, 0, f"Changes to the Improvement Plan {quarter}", formats.title)
    lines = report.summary.lines() or ["No changes to the plan this quarter."]
    headings = [("Change", 18), ("Ref", 9), ("Type", 13), ("Theme", 16), ("Action", 40), ("Before", 16),
                ("After", 20), ("Months", 8), ("More than three months", 11), ("Closes workstream", 11),
                ("Reason", 46)]
    across = merged_width(width for _, width in headings)
    for offset, line in enumerate(lines, start=2):
        sheet.merge_range(offset, 0, offset, len(headings) - 1, f"• {line}", formats.plain)
        sheet.set_row(offset, fitted_height([(f"• {line}", across)]))
    row = len(lines) + 3
    for col, (heading, width) in enumerate(headings):
        sheet.write_string(row, col, heading, formats.header)
        sheet.set_column(col, col, width)
    sheet.set_row(row, fitted_height(headings, bold=True))
    header_row = row
    order = list(ChangeKind)
    for change in sorted(report.changes, key=lambda c: (order.index(c.kind), c.ref)):
        row += 1
        texts = [change.kind.value, change.ref, change.type.value, change.theme, change.action, change.before,
                 change.after]
        for col, value in enumerate(texts):
            sheet.write_string(row, col, value, formats.text)
        if change.months is not None:
            sheet.write_number(row, 7, change.months, formats.months)
        sheet.write_string(row, 8, "Yes" if change.flagged else "", formats.flag)
        sheet.write_string(row, 9, "Yes" if change.closes_workstream else "", formats.text)
        sheet.write_string(row, 10, change.reason, formats.text)
        sheet.set_row(row, fitted_height([(text, width) for text, (_, width) in zip([*texts, "", "", "", change.reason],
                                                                                    headings)], font_size=SMALL))
    _red_when(sheet, formats, header_row + 1, len(headings) - 1, 0, ChangeKind.ADDED.value)
    sheet.freeze_panes(header_row + 1, 0)
    set_up_printing(sheet, REPORT_TITLE, quarter, repeat=header_row)
