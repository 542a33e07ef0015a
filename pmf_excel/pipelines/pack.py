"""The committee pack: the corporate report as a PDF for a Cabinet or Scrutiny agenda, in one command.

Reports reach Cabinet late and long. The pack is what a committee clerk
attaches: a page per strategic outcome (its counts and its Red items), the
exceptions with their commentary (what is behind the figure and what is
being done, as the return asks), then the full tables as appendices; A4
landscape, page numbers and the quarter in every footer. The short version
for members is the summaries and the exceptions only.

It is read from the corporate workbook as Consolidate wrote it, laid out as
a workbook of print-ready sheets, and printed to PDF by LibreOffice, the
same renderer the tests look at.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

import xlsxwriter
from pydantic import BaseModel
from python_calamine import CalamineWorkbook

from ..framework.outcomes import OUTCOMES
from ..rules.models import Value
from ..rules.policy import DEFAULT_POLICY, Policy, policy_from_rows
from ..rules.targets import in_target_unit
from ..workbooks.catalogue_sheets import PLAN_TABLE
from ..workbooks.files import keep_previous, safe_file_name
from ..workbooks.history_sheets import PLAN_HISTORY, RISK_HISTORY
from ..workbooks.styles import HEADER, LOCKED_TEXT, RAG_COLOURS, TITLE, fitted_height
from ..workbooks.tables import Table

RAG_ORDER = ("Green", "Amber", "Red", "No target", "No data")
ACTION_ORDER = ("Green", "Amber", "Red", "Complete", "No update")


class PackError(RuntimeError):
    """The pack cannot be made: the workbook is not a consolidated corporate workbook, or LibreOffice is missing."""


class ReportRow(BaseModel):
    """A row of one of the report's tables, by heading."""

    cells: dict[str, object]

    def text(self, heading: str) -> str:
        value = self.cells.get(heading)
        if value is None:
            return ""
        if heading == "Performance" and isinstance(value, (int, float)) and not isinstance(value, bool):
            figure = in_target_unit(value, self.text("Target"))
            return figure.show() if isinstance(figure, Value) else f"{value:g}"
        if isinstance(value, float):
            return f"{value:g}"
        return str(value)


class Report(BaseModel):
    """What the pack prints, as the corporate workbook holds it."""

    quarter: str
    indicators: list[ReportRow]
    deliverables: list[ReportRow]
    exceptions: list[ReportRow]
    outcome_of: dict[str, str]
    #: The quarter's Improvement Plan actions and strategic risks, from their History sheets.
    plan: list[ReportRow] = []
    risks: list[ReportRow] = []
    #: The rules the workbook was judged by, whose names its cells use.
    policy: Policy = DEFAULT_POLICY


def read_report(workbook: Path) -> Report:
    """The consolidated report's tables from the corporate workbook (values as cached, formulas not needed)."""
    try:
        book = CalamineWorkbook.from_path(str(workbook))
    except Exception as error:  # noqa: BLE001 - any unreadable file is the same message
        raise PackError(f"{workbook.name} cannot be read ({type(error).__name__}: {error}).") from None
    needed = ("Indicators by outcome", "Deliverables by outcome", "Exceptions", "Settings")
    missing = [name for name in needed if name not in book.sheet_names]
    if missing:
        raise PackError(f"{workbook.name} is not a consolidated corporate workbook: it has no "
                        f"{', '.join(missing)} sheet. Run Consolidate first.")
    settings = {str(row[0]): row[1] for row in book.get_sheet_by_name("Settings").to_python() if row}
    quarter = str(settings.get("Quarter") or "").strip()
    if not quarter:
        raise PackError(f"{workbook.name} has not been consolidated yet: Settings has no Quarter.")
    indicators, outcome_of = _grouped(book.get_sheet_by_name("Indicators by outcome").to_python())
    deliverables, _ = _grouped(book.get_sheet_by_name("Deliverables by outcome").to_python())
    exceptions = _table(book.get_sheet_by_name("Exceptions").to_python())
    return Report(quarter=quarter, indicators=indicators, deliverables=deliverables, exceptions=exceptions,
                  outcome_of=outcome_of, plan=_of_quarter(book, PLAN_HISTORY, quarter, PLAN_TABLE, "action"),
                  risks=_of_quarter(book, RISK_HISTORY, quarter),
                  policy=policy_from_rows(book.get_sheet_by_name("Rules").to_python(), workbook.name)
                  if "Rules" in book.sheet_names else DEFAULT_POLICY)


def _of_quarter(book, history: Table, quarter: str, definitions: Table | None = None,
                named: str = "") -> list[ReportRow]:
    """This quarter's rows of a History sheet, each with its definition's ``named`` field where one is kept."""
    if history.sheet not in book.sheet_names:
        return []
    rows, _ = history.read(book.get_sheet_by_name(history.sheet).to_python(), "")
    names = {}
    if definitions is not None and definitions.sheet in book.sheet_names:
        defined, _ = definitions.read(book.get_sheet_by_name(definitions.sheet).to_python(), "")
        names = {record.ref: getattr(record, named) for record in defined}
    return [ReportRow(cells={**{heading: _cell(getattr(row, field)) for heading, field in history.columns},
                             "Action": names.get(row.ref, "")})
            for row in rows if row.quarter == quarter]


def _cell(value: object) -> object:
    if isinstance(value, bool):
        return "Yes" if value else ""
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return value


def _table(rows: list[list]) -> list[ReportRow]:
    """A sheet's table under its header row (the third row, as Consolidate writes every report sheet)."""
    if len(rows) < 3:
        return []
    header = [str(cell) for cell in rows[2]]
    return [ReportRow(cells=dict(zip(header, row))) for row in rows[3:] if any(cell not in ("", None) for cell in row)]


def _grouped(rows: list[list]) -> tuple[list[ReportRow], dict[str, str]]:
    """A by-outcome table's rows, each with the strategic outcome whose band it sits under."""
    found, outcome_of, outcome = [], {}, ""
    for row in _table(rows):
        values = [cell for cell in row.cells.values() if cell not in ("", None)]
        if len(values) == 1 and str(values[0]) in OUTCOMES:
            outcome = str(values[0])
            continue
        row.cells["Strategic outcome"] = outcome
        found.append(row)
        ref = row.text("Ref") or row.text("BP ref")
        if ref:
            outcome_of[ref] = outcome
    return found, outcome_of


def write_pack(workbook: Path, out: Path, short: bool = False) -> Path:
    """Write the pack (or the members' short version) as a PDF into ``out``; an earlier one is kept."""
    report = read_report(workbook)
    out.mkdir(parents=True, exist_ok=True)
    kind = "exceptions" if short else "committee pack"
    pdf = out / f"{safe_file_name(f'Corporate performance {report.quarter} {kind}')}.pdf"
    with tempfile.TemporaryDirectory() as scratch:
        laid_out = Path(scratch) / f"{pdf.stem}.xlsx"
        lay_out(report, laid_out, short)
        rendered = render_pdf(laid_out, Path(scratch))
        keep_previous(pdf)
        shutil.move(str(rendered), pdf)
    return pdf


def lay_out(report: Report, path: Path, short: bool = False) -> Path:
    """The pack as a workbook of print-ready sheets, in the order they print."""
    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"title": f"Corporate Performance Report {report.quarter}"})
    styles = _Styles(book)
    for outcome in [o for o in OUTCOMES if o in set(report.outcome_of.values())]:
        _outcome_page(book, styles, report, outcome)
    _exceptions(book, styles, report)
    if not short:
        _appendix(book, styles, report, "Appendix A Indicators", report.indicators,
                  [("Ref", 11), ("Indicator", 40), ("Target", 12), ("Performance", 12), ("RAG", 9),
                   ("DOT short term", 12), ("DOT long term", 12), ("Benchmarks", 30), ("Directorate", 16),
                   ("Commentary", 56)])
        _appendix(book, styles, report, "Appendix B Deliverables", report.deliverables,
                  [("CP ref", 7), ("BP ref", 8), ("Action", 50), ("Status", 20), ("RAG", 9), ("Directorate", 16),
                   ("Update", 70)])
        if report.plan:
            _appendix(book, styles, report, "Appendix C Improvement Plan", report.plan,
                      [("Ref", 9), ("Theme", 20), ("Action", 56), ("Delivery lead", 24), ("Due", 11),
                       ("Status", 22), ("RAG", 10), ("Exception reason", 56)])
        if report.risks:
            _appendix(book, styles, report, "Appendix D Strategic risks", report.risks,
                      [("Ref", 10), ("Risk", 56), ("Owner", 24), ("Likelihood", 10), ("Impact", 9), ("Score", 8),
                       ("RAG", 10), ("Direction", 11), ("Target score", 9), ("Further actions", 56)])
    book.close()
    return path


class _Styles:
    def __init__(self, book):
        self.title = book.add_format({**TITLE, "font_size": 16})
        self.subtitle = book.add_format({"bold": True, "font_size": 12, "font_color": "#1F4E78"})
        self.header = book.add_format(HEADER)
        self.text = book.add_format({**LOCKED_TEXT, "font_size": 9})
        self.count = book.add_format({"border": 1, "border_color": "#D9D9D9", "align": "center", "font_size": 11})
        self.plain = book.add_format({"text_wrap": True, "valign": "top", "font_size": 10})
        self.line = book.add_format({"font_size": 10})  # one line, running across the empty cells beside it
        self.colours = {state: book.add_format({"bg_color": fill, "font_color": font, "border": 1, "valign": "top",
                                                "border_color": "#D9D9D9", "align": "center", "bold": True})
                        for state, (fill, font) in RAG_COLOURS.items()}


def _page(sheet, quarter: str, title: str) -> None:
    """A4 landscape, one page wide, the quarter and the page number in the footer."""
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
    sheet.set_footer(f"&L&8Corporate Performance Report {quarter}&C&8{title}&R&8Page &P of &N")


def _outcome_page(book, styles: _Styles, report: Report, outcome: str) -> None:
    """One page: the outcome's measures and actions by RAG, then its Red items by name."""
    sheet = book.add_worksheet(_sheet_name(outcome))
    _page(sheet, report.quarter, outcome)
    sheet.fit_to_pages(1, 1)
    sheet.set_column(0, 0, 14)
    sheet.set_column(1, 7, 17)
    last = 7
    sheet.write(0, 0, outcome, styles.title)
    sheet.write(1, 0, f"Corporate Performance Report {report.quarter}: summary", styles.line)
    ours = [r for r in report.indicators if r.cells["Strategic outcome"] == outcome and "›" not in r.text("Ref")]
    indicators = [r for r in ours if r.text("RAG") != "Not due"]  # not due this quarter: not counted
    if len(indicators) < len(ours):
        sheet.write(2, 0, "Not due this quarter, so not counted: "
                          + ", ".join(r.text("Ref") for r in ours if r.text("RAG") == "Not due") + ".", styles.line)
    actions = [r for r in report.deliverables if r.cells["Strategic outcome"] == outcome]
    row = 3
    for label, rows, states in (("Measures", indicators, RAG_ORDER), ("Corporate Plan actions", actions,
                                                                       ACTION_ORDER)):
        counts = Counter(r.text("RAG") for r in rows)
        sheet.write(row, 0, label, styles.subtitle)
        for col, state in enumerate(states, start=1):
            shown = report.policy.shown(state)  # the report's cells name the grey states as its policy does
            sheet.write_string(row + 1, col, shown, styles.colours.get(state, styles.header))
            sheet.write_number(row + 2, col, counts.get(shown, 0), styles.count)
        sheet.write_string(row + 1, len(states) + 1, "Total", styles.header)
        sheet.write_number(row + 2, len(states) + 1, len(rows), styles.count)
        row += 4
    for label, reds, ref, name, noun in (
            ("Red measures", [r for r in indicators if r.text("RAG") == "Red"], "Ref", _measure_named, "measures"),
            ("Red actions", [r for r in actions if r.text("RAG") == "Red"], "BP ref", _action_named, "actions")):
        sheet.write(row, 0, f"{label} ({len(reds)})", styles.subtitle)
        row += 1
        if not reds:
            sheet.write(row, 0, f"No {noun} have been RAG rated red across this strategic outcome.", styles.line)
            row += 1
        for red in reds:
            sheet.write_string(row, 0, red.text(ref), styles.text)
            sheet.merge_range(row, 1, row, last, name(red), styles.text)
            sheet.set_row(row, fitted_height([(name(red), 17 * last)], font_size=9))
            row += 1
        row += 1


def _measure_named(row: ReportRow) -> str:
    return f"{row.text('Indicator')}: {row.text('Performance')} against {row.text('Target')}"


def _action_named(row: ReportRow) -> str:
    return row.text("Action")


def _exceptions(book, styles: _Styles, report: Report) -> None:
    """The exceptions, each with its commentary: what is behind the figure and what is being done."""
    sheet = book.add_worksheet("Exceptions")
    _page(sheet, report.quarter, "Exceptions")
    sheet.fit_to_pages(1, 0)
    headings = [("Exception", 18), ("Ref", 11), ("Indicator", 40), ("Performance", 12), ("Target", 12),
                ("RAG", 9), ("Directorate", 16), ("Commentary and corrective action", 80)]
    sheet.write(0, 0, f"Exceptions {report.quarter}: Red, Amber and worsening, no data", styles.title)
    for col, (heading, width) in enumerate(headings):
        sheet.write_string(2, col, heading, styles.header)
        sheet.set_column(col, col, width)
    sheet.repeat_rows(2)
    for row, exception in enumerate(report.exceptions, start=3):
        values = [exception.text("Exception"), exception.text("Ref"), exception.text("Indicator"),
                  exception.text("Performance"), exception.text("Target"), exception.text("RAG"),
                  exception.text("Directorate"), exception.text("Commentary") or "No commentary was returned."]
        for col, value in enumerate(values):
            sheet.write_string(row, col, value, styles.colours.get(value, styles.text) if col == 5 else styles.text)
        sheet.set_row(row, fitted_height([(values[2], 40), (values[7], 80)], font_size=9))


def _appendix(book, styles: _Styles, report: Report, title: str, rows: list[ReportRow],
              headings: list[tuple[str, int]]) -> None:
    sheet = book.add_worksheet(title)
    _page(sheet, report.quarter, title)
    sheet.fit_to_pages(1, 0)
    sheet.write(0, 0, f"{title}: {report.quarter}", styles.title)
    for col, (heading, width) in enumerate(headings):
        sheet.write_string(2, col, heading, styles.header)
        sheet.set_column(col, col, width)
    sheet.repeat_rows(2)
    for row, line in enumerate(rows, start=3):
        values = [line.text(heading) for heading, _ in headings]
        for col, value in enumerate(values):
            sheet.write_string(row, col, value, styles.colours.get(value, styles.text)
                               if headings[col][0] == "RAG" else styles.text)
        sheet.set_row(row, fitted_height([(value, width) for value, (_, width) in zip(values, headings)],
                                         font_size=9))


def _sheet_name(outcome: str) -> str:
    return outcome.replace("The ", "")[:31]


def find_soffice() -> str:
    """LibreOffice, which prints the pack: on the PATH, or where its installers put it on Windows and macOS."""
    for name in ("soffice", "libreoffice"):
        if found := shutil.which(name):
            return found
    for candidate in (Path(os.environ.get("PROGRAMFILES", "C:/Program Files")) / "LibreOffice/program/soffice.exe",
                      Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")):
        if candidate.exists():
            return str(candidate)
    raise PackError("LibreOffice is needed to print the pack and was not found: install it (libreoffice.org, or "
                    "libreoffice-calc-nogui on Debian and Ubuntu) and run pmf pack again.")


def render_pdf(path: Path, out: Path) -> Path:
    """``path`` printed to PDF by LibreOffice headless, with a profile of its own so it never meets the user's."""
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run([find_soffice(), f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
                               "--convert-to", "pdf", "--outdir", str(out), str(path)],
                              capture_output=True, text=True, timeout=600, check=False)
    pdf = out / f"{path.stem}.pdf"
    if not pdf.exists():
        raise PackError(f"LibreOffice could not print {path.name}: {done.stderr.strip() or done.stdout.strip()}")
    return pdf

