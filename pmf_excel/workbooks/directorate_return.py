"""The directorate quarterly return: the workbook a co-ordinator fills, with live RAG that needs no install.

RAG, DOT and breach are native Excel formulas over limits the engine
computed for each line (hidden columns), so they recalculate as the
co-ordinator types, in desktop Excel, Excel on the web or LibreOffice, with
no add-in and no macros. Each formula is written with the engine's answer
cached, so the file reads correctly before any recalculation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from xlsxwriter.utility import xl_col_to_name

from ..framework.catalogue import ActionDefinition, Catalogue
from ..framework.evidence import Evidence
from ..framework.improvement_plan import ImprovementUpdate, KnownState, PlanLine
from ..framework.published import ActionRow, IndicatorRow, StatusCell
from ..framework.quarters import check_quarter
from ..framework.returns import DeliverableLine, ReturnLine, lines_for, officer_differs
from ..framework.risks import KnownRisk, RiskUpdate
from ..rules.policy import DEFAULT_POLICY, Policy
from ..rules.text import clean
from ..rules.verdicts import DELIVERABLE_STATUSES, deliverable_rag, deliverable_status_name
from .files import document_time, keep_previous, safe_file_name
from .improvement_plan_sheets import write_plan_return_sheet
from .live_verdicts import (JUDGED_BY_COLUMNS, RowCells, breach_formula, dot_formula, rag_formula, shown_breach,
                            shown_direction, shown_rag, write_judged_by)
from .risk_sheets import RiskLine, write_risk_return_sheet
from .statuses import status_list, status_rag_formula
from .page_layout import fitted_height, fitted_width, merged_width, return_title, set_up_printing
from .styles import DOT_COLOURS, HEADER, INPUT, LOCKED_TEXT, RAG_COLOURS, RESULT, TITLE, TYPING_HINTS, format_for
from .xlsx_writer import Workbook

TEMPLATE_VERSION = "pmf-return/1"
MEASURES_SHEET = "Measures"
FIRST_ROW = 4  # 0-based index of the first line under the header row

#: (heading, width) of every Measures column, in order; the last are what the engine judged each line by, hidden.
COLUMNS = [
    ("Ref", 12), ("Indicator", 46), ("Strategic outcome", 22), ("Polarity", 14), ("Target", 14),
    ("Tolerance", 14), ("Frequency", 11), ("Figure for", 10), ("Last quarter", 12), ("Same quarter last year", 12),
    ("Performance this quarter", 14), ("Commentary", 60), ("RAG", 11), ("DOT short term", 13),
    ("DOT long term", 13), ("Tolerance breach", 10), ("Check", 18), *JUDGED_BY_COLUMNS,
]
COL = {name: index for index, (name, _) in enumerate(COLUMNS)}
HIDDEN_FROM = COL["Green from"]
#: Columns a policy adds for the co-ordinator to type, after the hidden ones (so every other column keeps its
#: place): the year-end forecast a policy of amber by forecast needs, and the officer's own rating.
FORECAST, OFFICER = "Year-end forecast", "Officer's rating"
OFFICER_DIFFERS = "Officer's rating differs"


class Layout:
    """Where each Measures column is under a policy: the fixed ones, then the inputs the policy asks for."""

    def __init__(self, policy: Policy = DEFAULT_POLICY):
        extra = [(FORECAST, 13)] * policy.forecast_asked + [(OFFICER, 13)] * policy.officer_asked
        self.columns = COLUMNS + extra
        self.col = {name: index for index, (name, _) in enumerate(self.columns)}
        self.last_visible = len(self.columns) - 1 if extra else HIDDEN_FROM - 1
        #: The columns the live verdicts read, by the names they give them.
        self.verdict_columns = {**COL, "Performance": COL["Performance this quarter"],
                                **({"Forecast": self.col[FORECAST]} if FORECAST in self.col else {})}

    def letter(self, name: str) -> str:
        return xl_col_to_name(self.col[name])

    def visible(self, index: int) -> bool:
        return index < HIDDEN_FROM or index >= len(COLUMNS)


DEFAULT_LAYOUT = Layout()


def _letter(name: str) -> str:
    return xl_col_to_name(COL[name])


def check_formula(row: int, policy: Policy = DEFAULT_POLICY, layout: Layout = DEFAULT_LAYOUT,
                  amber_in_words: bool = False) -> str:
    """"Commentary required" for an Amber or Red without one; where the policy asks for the officer's rating,
    "Officer's rating differs" when it is not the live RAG (an Amber or Red for a missed target whose amber band is
    in words being the officer's to give)."""
    rag, note = f"{_letter('RAG')}{row}", f"{_letter('Commentary')}{row}"
    amber, red = policy.shown("Amber"), policy.shown("Red")
    otherwise = '""'
    if OFFICER in layout.col:
        officer = f"{layout.letter(OFFICER)}{row}"
        differs = f"AND(LEN(TRIM({officer}))>0,{officer}<>{rag}"
        if amber_in_words:
            differs += f',NOT(AND(OR({officer}="{amber}",{officer}="{red}"),OR({rag}="{amber}",{rag}="{red}")))'
        otherwise = f'IF({differs}),"{OFFICER_DIFFERS}","")'
    return (f'=IF(AND(OR({rag}="{amber}",{rag}="{red}"),LEN(TRIM({note}))=0),"Commentary required",'
            f"{otherwise})")


def write_returns(catalogue: Catalogue, quarter: str, out: Path, *, figures: dict[str, IndicatorRow] | None = None,
                  filled: bool = False, updates: dict[int, ActionRow] | None = None,
                  history: dict[str, tuple[object, object]] | None = None,
                  statuses: dict[str, str] | None = None, plan: dict[str, ImprovementUpdate] | None = None,
                  plan_known: dict[str, KnownState] | None = None, risks: dict[str, RiskUpdate] | None = None,
                  risks_known: dict[str, KnownRisk] | None = None, policy: Policy = DEFAULT_POLICY,
                  windows: dict[str, list[object]] | None = None, password: str = "") -> list[Path]:
    """One return per directorate of the catalogue, named ``<Directorate> <quarter>.xlsx``.

    ``figures`` (printed ref → report row) supplies last quarter's and last
    year's values; with ``filled`` it also supplies this quarter's figures
    and commentary, as a co-ordinator would have typed them. ``updates``
    (the deliverables report's rows by line) fills each action's status and
    update. ``history`` (line ref → last quarter's and last year's values,
    from the corporate workbook's History) fills the previous figures where
    the report does not, and ``statuses`` (action ref → last quarter's
    status) each action's status. ``plan`` and ``risks`` (ref → update)
    pre-fill the Improvement Plan and Risks sheets; ``plan_known`` and
    ``risks_known`` are what the last review agreed, which the sheets compare
    with (the catalogue's definitions where they are not given). Every
    native formula follows ``policy``; where it compares with an average of
    the last periods, ``windows`` (line ref → the last periods' figures,
    latest first, from History) gives the figures, else last quarter's and
    last year's. A file already in ``out`` is kept in ``previous versions/``
    before it is replaced.
    """
    quarter = check_quarter(quarter)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    actions, measures_of = catalogue.actions_by_directorate(), catalogue.by_directorate()
    plan_of, risks_of = catalogue.plan_by_directorate(), catalogue.risks_by_directorate()
    for directorate in catalogue.directorates():
        lines: list[ReturnLine] = []
        for measure in measures_of.get(directorate, []):
            row = (figures or {}).get(measure.printed_ref)
            lines += lines_for(measure, quarter, policy=policy,
                               last_quarter=row.last_quarter if row else None,
                               last_year=row.last_year if row else None,
                               performance=row.performance if row and filled else None,
                               commentary=clean(row.commentary) if row and filled else "")
        if history:
            lines = [_from_history(line, history.get(line.ref)) for line in lines]
        if {"average of last periods", "trend over last periods"} & {policy.short_term_basis,
                                                                      policy.long_term_basis}:
            lines = [line.with_window((windows or {}).get(line.ref) or [line.last_quarter, None, None, line.last_year])
                     for line in lines]
        evidence = {item.ref: item for item in catalogue.evidence}
        deliverables = [_deliverable(action, (updates or {}).get(action.printed_line), (statuses or {}).get(action.ref),
                                     evidence.get(action.ref))
                        for action in actions.get(directorate, [])]
        plan_lines = [PlanLine(action=action, agreed=(plan_known or {}).get(action.ref)
                               or KnownState(lead=action.lead, due=action.due),
                               update=(plan or {}).get(action.ref) or ImprovementUpdate(ref=action.ref))
                      for action in plan_of.get(directorate, [])]
        risk_lines = [RiskLine(risk=risk, known=(risks_known or {}).get(risk.ref) or KnownRisk.agreed(risk),
                               update=(risks or {}).get(risk.ref) or RiskUpdate(ref=risk.ref))
                      for risk in risks_of.get(directorate, [])]
        path = out / f"{safe_file_name(directorate)} {safe_file_name(quarter)}.xlsx"
        keep_previous(path)
        written.append(write_return(path, directorate, quarter, lines, deliverables, plan_lines, risk_lines,
                                    password=password, policy=policy,
                                    coordinator="(sample) as published" if filled or updates else ""))
    return written


def _from_history(line: ReturnLine, previous: tuple[object, object] | None) -> ReturnLine:
    """Last quarter's and last year's figures as History holds them, in the line's own unit."""
    if previous is None:
        return line
    last_quarter, last_year = (line.in_unit(value) for value in previous)
    return line.model_copy(update={"last_quarter": last_quarter, "last_year": last_year})


def _deliverable(action: ActionDefinition, update: ActionRow | None, last_status: str | None,
                 evidence: Evidence | None) -> DeliverableLine:
    printed = StatusCell(line=0, column=0, text=update.rating).rating if update else last_status
    status = deliverable_status_name(printed) if printed else ""
    return DeliverableLine(ref=action.ref, cp_ref=action.cp_ref, commitment=action.commitment, bp_ref=action.bp_ref,
                           action=action.action, status=status, update=clean(update.update) if update else "",
                           due=evidence.due if evidence else None,
                           percent_complete=evidence.percent_complete if evidence else None)


def write_return(path: Path, directorate: str, quarter: str, lines: Sequence[ReturnLine],
                 deliverables: Sequence[DeliverableLine] = (), plan: Sequence[PlanLine] = (),
                 risks: Sequence[RiskLine] = (), *, coordinator: str = "",
                 submitted: dt.date | None = None, password: str = "", policy: Policy = DEFAULT_POLICY) -> Path:
    """Write one directorate's return. ``password`` protects the definitions (none by default)."""
    workbook = Workbook(str(path))
    workbook.set_properties({"title": f"{directorate} performance return {quarter}",
                             "subject": "Performance Management Framework quarterly return",
                             "comments": TEMPLATE_VERSION, "created": document_time(quarter)})
    styles = _Styles(workbook, policy)
    _cover(workbook, styles, directorate, quarter, coordinator, submitted, password)
    _measures(workbook, styles, directorate, quarter, lines, password, policy)
    _deliverables(workbook, styles, directorate, quarter, deliverables, password, policy)
    write_plan_return_sheet(workbook, directorate, quarter, plan, password, policy)
    write_risk_return_sheet(workbook, directorate, quarter, risks, password)
    _instructions(workbook, styles, directorate, quarter, policy)
    workbook.close()
    return path


class _Styles:
    def __init__(self, workbook: Workbook, policy: Policy = DEFAULT_POLICY):
        self.header = workbook.add_format(HEADER)
        self.title = workbook.add_format(TITLE)
        self.text = workbook.add_format(LOCKED_TEXT)
        self.input_text = workbook.add_format({**INPUT, "text_wrap": True})
        self.result = workbook.add_format(RESULT)
        # Excel shows a boolean as TRUE/FALSE whatever the format; LibreOffice needs the format to say so.
        self.boolean = workbook.add_format({**RESULT, "num_format": '"TRUE";"TRUE";"FALSE"'})
        self.hidden = workbook.add_format({"locked": True, "font_color": "#808080"})
        self.label = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        self.date = workbook.add_format({**INPUT, "num_format": "dd/mm/yyyy"})
        self.locked_date = workbook.add_format({**LOCKED_TEXT, "num_format": "dd/mm/yyyy"})
        self.percent = workbook.add_format({**INPUT, "num_format": "0%"})
        self.plain = workbook.add_format({"text_wrap": True, "valign": "top"})
        self.colours = {said: workbook.add_format({"bg_color": fill, "font_color": font})
                        for name, (fill, font) in {**RAG_COLOURS, **DOT_COLOURS}.items()
                        for said in dict.fromkeys((policy.shown(name), name))}
        self.required = workbook.add_format({"bg_color": "#FFC7CE", "border": 2, "border_color": "#C00000"})
        self.not_due = workbook.add_format({**LOCKED_TEXT, "bg_color": "#EDEDED"})
        self._numbers: dict[tuple[str, bool], object] = {}
        self._workbook = workbook

    def number(self, num_format: str, is_input: bool):
        key = (num_format, is_input)
        if key not in self._numbers:
            base = INPUT if is_input else LOCKED_TEXT
            # a figure typed as text (NA - was annual) wraps within its cell, as a commentary does
            self._numbers[key] = self._workbook.add_format({**base, "num_format": num_format, "text_wrap": True})
        return self._numbers[key]


def _cover(workbook, styles: _Styles, directorate: str, quarter: str, coordinator: str,
           submitted: dt.date | None, password: str) -> None:
    sheet = workbook.add_worksheet("Cover")
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 40)
    sheet.write(0, 0, "Quarterly performance return", styles.title)
    fields = [("Directorate", directorate, styles.text), ("Quarter", quarter, styles.text),
              ("Co-ordinator", coordinator, styles.input_text)]
    for offset, (label, value, style) in enumerate(fields):
        sheet.write(2 + offset, 0, label, styles.label)
        sheet.write_string(2 + offset, 1, value, style)
    sheet.write(5, 0, "Date submitted", styles.label)
    if submitted:
        sheet.write_datetime(5, 1, dt.datetime.combine(submitted, dt.time()), styles.date)
    else:
        sheet.write_blank(5, 1, None, styles.date)
    sheet.data_validation(5, 1, 5, 1, {"validate": "date", "criteria": ">=", "value": dt.date(2000, 1, 1),
                                       "input_title": "Date submitted",
                                       "input_message": "The date you send this return.",
                                       "error_message": "Type a date, e.g. 13/10/2023."})
    sheet.write(6, 0, "Template version", styles.label)
    sheet.write_string(6, 1, TEMPLATE_VERSION, styles.text)
    sheet.merge_range(8, 0, 8, 1, "Fill in the yellow cells on the Measures sheet. See Instructions.", styles.plain)
    for name, cell in (("PMF_Directorate", "$B$3"), ("PMF_Quarter", "$B$4"), ("PMF_Coordinator", "$B$5"),
                       ("PMF_Submitted", "$B$6"), ("PMF_TemplateVersion", "$B$7")):
        workbook.define_name(name, f"=Cover!{cell}")
    set_up_printing(sheet, return_title(directorate), quarter, landscape=False)
    sheet.protect(password)


def _measures(workbook, styles: _Styles, directorate: str, quarter: str, lines: Sequence[ReturnLine],
              password: str, policy: Policy = DEFAULT_POLICY) -> None:
    sheet = workbook.add_worksheet(MEASURES_SHEET)
    layout = Layout(policy)
    sheet.write(0, 0, f"{directorate}: measures for {quarter}", styles.title)
    widths = [width for _, width in layout.columns]
    widths[COL["Ref"]] = fitted_width([line.ref for line in lines], minimum=widths[COL["Ref"]], maximum=20)
    for name, shown in (("RAG", list(styles.colours)), ("DOT short term", list(styles.colours)),
                        ("DOT long term", list(styles.colours)),
                        ("Check", ["Commentary required", *([OFFICER_DIFFERS] if OFFICER in layout.col else []),
                                   *(f"Reports in {line.reports_in}" for line in lines)])):
        widths[COL[name]] = fitted_width(shown, minimum=widths[COL[name]], maximum=24)
    guidance = ("Type this quarter's figure and commentary in the yellow cells. RAG, direction of travel and breach "
                f"update as you type. {policy.shown('Amber')} or {policy.shown('Red')} needs a commentary.")
    sheet.merge_range(1, 0, 1, HIDDEN_FROM - 1, guidance, styles.plain)
    sheet.set_row(1, fitted_height([(guidance, merged_width(widths[:HIDDEN_FROM]))]))
    header_row = FIRST_ROW - 1
    for index, (heading, _) in enumerate(layout.columns):
        sheet.write(header_row, index, heading, styles.header)
        sheet.set_column(index, index, widths[index], None, {"hidden": not layout.visible(index)})
    sheet.set_row(header_row, fitted_height([(heading, widths[col]) for col, (heading, _) in enumerate(layout.columns)
                                             if layout.visible(col)], bold=True))
    for offset, line in enumerate(lines):
        _line(sheet, styles, FIRST_ROW + offset, line, quarter, widths, layout)
    last = FIRST_ROW + max(len(lines), 1) - 1
    _conditional_formats(sheet, styles, last, policy)
    if OFFICER in layout.col:
        sheet.data_validation(FIRST_ROW, layout.col[OFFICER], last, layout.col[OFFICER], {
            "validate": "list", "source": [policy.shown(state) for state in ("Green", "Amber", "Red")],
            "input_title": OFFICER, "input_message": "Your own rating of the measure, where the council's rules "
                                                     "leave it to you; it is shown beside the engine's, never "
                                                     "changed.",
            "error_message": "Choose a rating from the list, or leave it blank."})
    sheet.freeze_panes(FIRST_ROW, 2)
    sheet.autofilter(header_row, 0, last, layout.last_visible)
    # the hidden columns between the fixed ones and a policy's own never print: Excel prints no hidden column
    set_up_printing(sheet, return_title(directorate), quarter, repeat=header_row,
                    area=(0, 0, last, layout.last_visible))
    sheet.protect(password, {"autofilter": True, "format_columns": True, "format_rows": True})
    sheet.activate()


def _line(sheet, styles: _Styles, row: int, line: ReturnLine, quarter: str, widths: list[float],
          layout: Layout = DEFAULT_LAYOUT) -> None:
    excel_row = row + 1
    texts = {"Ref": line.ref, "Indicator": line.indicator, "Strategic outcome": line.outcome,
             "Polarity": line.polarity, "Target": line.target, "Tolerance": line.tolerance,
             "Frequency": line.frequency, "Figure for": line.period or quarter}
    for name, value in texts.items():
        sheet.write_string(row, COL[name], value, styles.text)
    figures = {"Last quarter": line.last_quarter, "Same quarter last year": line.last_year}
    texts |= {name: value for name, value in figures.items() if isinstance(value, str)}
    in_unit = format_for(line.kind, [line.last_quarter, line.last_year, line.performance, line.forecast], line.unit)
    if not line.due:
        _not_due(sheet, styles, row, line, in_unit, layout)
        sheet.set_row(row, fitted_height([(text, widths[COL[name]]) for name, text in texts.items()], minimum=30))
        return
    locked_number = styles.number(in_unit, is_input=False)
    for name, value in figures.items():
        _write_value(sheet, row, COL[name], value, locked_number)
    _write_value(sheet, row, COL["Performance this quarter"], line.performance, styles.number(in_unit, is_input=True))
    sheet.data_validation(row, COL["Performance this quarter"], row, COL["Performance this quarter"], {
        "validate": "any", "input_title": f"{line.ref[:20]} {quarter}",
        "input_message": (f"Type {TYPING_HINTS[line.kind]}. Leave blank if there is no figure yet; "
                          f"NA or TBC is fine too.")[:255]})
    sheet.write_string(row, COL["Commentary"], line.commentary, styles.input_text)
    if FORECAST in layout.col:
        _write_value(sheet, row, layout.col[FORECAST], line.forecast, styles.number(in_unit, True))
    if OFFICER in layout.col:
        sheet.write_string(row, layout.col[OFFICER], line.officer_rating, styles.input_text)
    by, cells = line.judged_by, RowCells(layout.verdict_columns, row)
    policy = by.policy
    short, long = (shown_direction(by, term, line.performance, line.last_quarter, line.last_year)
                   for term in ("short", "long"))
    rag = shown_rag(by, line.performance, long, forecast=line.forecast)
    sheet.write_formula(row, COL["RAG"], rag_formula(cells, policy, forecast_limits=by.forecast_limits),
                        styles.result, rag)
    for name, term, shown in (("DOT short term", "short", short), ("DOT long term", "long", long)):
        sheet.write_formula(row, COL[name], dot_formula(cells, term, policy, trend=by.trend,
                                                        trend_band=by.trend_band), styles.result, shown)
    sheet.write_formula(row, COL["Tolerance breach"], breach_formula(cells, policy), styles.boolean,
                        shown_breach(rag, policy))
    write_judged_by(sheet, row, COL, by, styles.hidden)
    missed = policy.read_state(rag) in ("Amber", "Red")
    needed = "Commentary required" if missed and not line.commentary.strip() else \
        OFFICER_DIFFERS if OFFICER in layout.col and officer_differs(line, rag) else ""
    sheet.write_formula(row, COL["Check"], check_formula(excel_row, policy, layout, line.amber_in_words),
                        styles.result, needed)
    texts |= {"Commentary": line.commentary, "Check": "Commentary required",
              **({"Performance this quarter": line.performance} if isinstance(line.performance, str) else {})}
    sheet.set_row(row, fitted_height([(text, widths[COL[name]]) for name, text in texts.items()], minimum=30))


def _not_due(sheet, styles: _Styles, row: int, line: ReturnLine, in_unit: str,
             layout: Layout = DEFAULT_LAYOUT) -> None:
    """A measure that does not report this quarter: nothing to type, and it shows Not due."""
    locked_number = styles.number(in_unit, is_input=False)
    for name, value in (("Last quarter", line.last_quarter), ("Same quarter last year", line.last_year)):
        _write_value(sheet, row, COL[name], value, locked_number)
    for index in (COL["Performance this quarter"], COL["Commentary"], *(layout.col[name] for name in (FORECAST, OFFICER)
                                                                         if name in layout.col)):
        sheet.write_blank(row, index, None, styles.not_due)
    sheet.write_string(row, COL["RAG"], "Not due", styles.result)
    for name in ("DOT short term", "DOT long term", "Tolerance breach"):
        sheet.write_blank(row, COL[name], None, styles.result)
    sheet.write_string(row, COL["Check"], f"Reports in {line.reports_in}", styles.result)


def _write_value(sheet, row: int, col: int, value: float | str | None, number_style) -> None:
    if value is None:
        sheet.write_blank(row, col, None, number_style)
    elif isinstance(value, str):
        sheet.write_string(row, col, value, number_style)
    else:
        sheet.write_number(row, col, value, number_style)


def _conditional_formats(sheet, styles: _Styles, last: int, policy: Policy = DEFAULT_POLICY) -> None:
    for column in ("RAG", "DOT short term", "DOT long term"):
        col = COL[column]
        for state, style in styles.colours.items():
            sheet.conditional_format(FIRST_ROW, col, last, col, {
                "type": "cell", "criteria": "==", "value": f'"{state}"', "format": style})
    commentary, rag = _letter("Commentary"), _letter("RAG")
    first = FIRST_ROW + 1
    amber, red = policy.shown("Amber"), policy.shown("Red")
    sheet.conditional_format(FIRST_ROW, COL["Commentary"], last, COL["Commentary"], {
        "type": "formula", "format": styles.required,
        "criteria": f'=AND(OR(${rag}{first}="{amber}",${rag}{first}="{red}"),LEN(TRIM(${commentary}{first}))=0)'})


DELIVERABLES_SHEET = "Deliverables"
STATUSES = tuple(DELIVERABLE_STATUSES)
DELIVERABLE_COLUMNS = [("Ref", 14), ("CP ref", 8), ("Corporate Plan commitment", 40), ("BP ref", 8),
                       ("Action", 46), ("Status", 24), ("Update", 60), ("RAG", 11), ("Due", 11), ("% complete", 10)]
DCOL = {name: index for index, (name, _) in enumerate(DELIVERABLE_COLUMNS)}


def status_formula(row: int, policy: Policy = DEFAULT_POLICY) -> str:
    """The live RAG of a Deliverables row's status (1-based row)."""
    return status_rag_formula(f"{xl_col_to_name(DCOL['Status'])}{row}", policy)


def _deliverables(workbook, styles: _Styles, directorate: str, quarter: str,
                  deliverables: Sequence[DeliverableLine], password: str, policy: Policy = DEFAULT_POLICY) -> None:
    sheet = workbook.add_worksheet(DELIVERABLES_SHEET)
    sheet.write(0, 0, f"{directorate}: Corporate Plan actions for {quarter}", styles.title)
    sheet.merge_range(1, 0, 1, len(DELIVERABLE_COLUMNS) - 1,
                      "Choose each action's status from the list and say what has happened in the update.",
                      styles.plain)
    for index, (heading, width) in enumerate(DELIVERABLE_COLUMNS):
        sheet.write_string(FIRST_ROW - 1, index, heading, styles.header)
        sheet.set_column(index, index, width)
    sheet.set_row(FIRST_ROW - 1, fitted_height(DELIVERABLE_COLUMNS, bold=True))
    for offset, line in enumerate(deliverables):
        row = FIRST_ROW + offset
        for name, value in (("Ref", line.ref), ("CP ref", line.cp_ref), ("Corporate Plan commitment", line.commitment),
                            ("BP ref", line.bp_ref), ("Action", line.action)):
            sheet.write_string(row, DCOL[name], value, styles.text)
        sheet.write_string(row, DCOL["Status"], line.status, styles.input_text)
        sheet.write_string(row, DCOL["Update"], line.update, styles.input_text)
        sheet.write_formula(row, DCOL["RAG"], status_formula(row + 1, policy), styles.result,
                            deliverable_rag(line.status, policy))
        if line.due is not None:
            sheet.write_datetime(row, DCOL["Due"], dt.datetime.combine(line.due, dt.time()), styles.locked_date)
        else:
            sheet.write_blank(row, DCOL["Due"], None, styles.text)
        if line.percent_complete is None:
            sheet.write_blank(row, DCOL["% complete"], None, styles.percent)
        else:
            sheet.write_number(row, DCOL["% complete"], line.percent_complete / 100, styles.percent)
        sheet.set_row(row, fitted_height([(text, DELIVERABLE_COLUMNS[DCOL[name]][1]) for name, text in (
            ("Ref", line.ref), ("CP ref", line.cp_ref), ("Corporate Plan commitment", line.commitment),
            ("BP ref", line.bp_ref), ("Action", line.action), ("Status", line.status), ("Update", line.update))],
            minimum=30))
    last = FIRST_ROW + max(len(deliverables), 1) - 1
    sheet.data_validation(FIRST_ROW, DCOL["Status"], last, DCOL["Status"], status_list(policy))
    sheet.data_validation(FIRST_ROW, DCOL["% complete"], last, DCOL["% complete"], {
        "validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 1, "input_title": "% complete",
        "input_message": "How much of the action is done, e.g. 60%. It is checked against the action's due date "
                         "and milestones; your status is never changed.",
        "error_message": "Type a percentage from 0% to 100%."})
    col = DCOL["RAG"]
    for state, style in styles.colours.items():
        sheet.conditional_format(FIRST_ROW, col, last, col, {"type": "cell", "criteria": "==",
                                                            "value": f'"{state}"', "format": style})
    sheet.freeze_panes(FIRST_ROW, 1)
    set_up_printing(sheet, return_title(directorate), quarter, repeat=FIRST_ROW - 1)
    sheet.protect(password, {"autofilter": True, "format_columns": True, "format_rows": True})


INSTRUCTIONS = [
    ("What this is", "Your directorate's return for {quarter}. The performance team consolidates every "
                     "directorate's return into the corporate report for Leadership Team, Cabinet and Scrutiny."),
    ("What to fill in", "On the Measures sheet, the yellow cells only: this quarter's figure under Performance "
                        "this quarter, and a commentary. Everything else is set by the performance team and locked."),
    ("Typing figures", "Type figures as you would anywhere in Excel: 71% for a percentage, 0:01:27 for a time of "
                       "1 min 27 secs, 5.75 for days. If a figure is not available, leave it blank or type NA or "
                       "TBC and say why in the commentary. Text such as '1 min 27 secs' is kept and read at "
                       "consolidation; the sheet shows 'Checked later' until then."),
    ("RAG", "Green: on or better than target. Amber: worse than target but within the target tolerance. Red: worse "
            "than target and outside the tolerance. Grey: no target, or no data yet."),
    ("Direction of travel", "Short term compares with last quarter, long term with the same quarter last year: "
                            "Improving, Worsening, No change, or Not comparable when a figure is missing."),
    ("Commentary", "Every Amber or Red measure needs a commentary: what is behind the figure and what is being "
                   "done. The Check column says when one is missing. If your commentary says 'on target' while the "
                   "RAG is Red, Consolidate will ask."),
    ("Improvement Plan", "On the Improvement Plan sheet, each improvement action your directorate leads: choose "
                         "its status and give an update. If it is not on track, say why in Exception reason. To "
                         "move its due date, hand it to a new lead or propose to close it, type over the yellow "
                         "cells and give the reason for the change: the change log is made from them."),
    ("Risks", "On the Risks sheet, each strategic risk your directorate owns: rate its likelihood and impact now, "
              "from 1 to 5, and update the controls and further actions. The score (likelihood × impact), its RAG "
              "and its direction since the last review show as you type."),
    ("Sending it", "Fill in your name and the date on the Cover sheet, save, and send the file to the performance "
                   "team. Please do not rename sheets or move columns."),
]


#: What a co-ordinator is told about the inputs a policy adds.
POLICY_INSTRUCTIONS = {
    FORECAST: "Where a measure is off target, the council's rules colour it by your forecast for the year end: type "
              "the figure you expect at the year end in the measure's unit. Amber when it meets the year's target, "
              "Red when it does not or is left blank.",
    OFFICER: "Your own rating of each measure, from the list. Where the rules leave the amber band to your "
             "judgement ('close to target'), it places a missed target; otherwise it is shown beside the engine's "
             "and the Check column says when the two differ. Your rating is never changed.",
}


def _instructions(workbook, styles: _Styles, directorate: str, quarter: str, policy: Policy = DEFAULT_POLICY) -> None:
    sheet = workbook.add_worksheet("Instructions")
    widths = (22, 90)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    sheet.write(0, 0, "How to fill in this return", styles.title)
    rows = list(INSTRUCTIONS)
    if policy != DEFAULT_POLICY:
        rows.insert(4, ("Your council's rules", f"This return judges by {policy.label}: {policy.description}"))
        rows[5:5] = [(name, text) for name, text in POLICY_INSTRUCTIONS.items() if name in Layout(policy).col]
    for offset, (heading, text) in enumerate(rows):
        sheet.write(2 + offset, 0, heading, styles.label)
        sheet.write(2 + offset, 1, text.format(quarter=quarter), styles.plain)
        sheet.set_row(2 + offset, fitted_height([(heading, widths[0]), (text.format(quarter=quarter), widths[1])]))
    set_up_printing(sheet, return_title(directorate), quarter, landscape=False)
    sheet.protect()
