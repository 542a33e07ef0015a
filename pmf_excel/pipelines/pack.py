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

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path


from ..framework.quarters import check_quarter
from ..framework.results import ACTION_STATES, NOT_DUE, RAG_STATES
from ..rules.policy import DEFAULT_POLICY, Policy
from ..workbooks.corporate.report_reader import LANGUAGE, NotAReport, Report, ReportRow, read_report
from ..rules.errors import PMFBlocked, PMFInputError
from ..workbooks.files import keep_previous, safe_file_name
from ..workbooks.page_layout import fitted_height
from ..workbooks.styles import HEADER, LOCKED_TEXT, RAG_COLOURS, TITLE
from ..workbooks.xlsx_writer import Workbook

class PackError(PMFInputError):
    """The pack cannot be made from this file: it is not a consolidated corporate workbook."""


class PrintingBlocked(PMFBlocked):
    """The pack cannot be printed: LibreOffice is missing or failed."""


def write_pack(workbook: Path, out: Path, short: bool = False, quarter: str | None = None) -> Path:
    """Write the pack (or the members' short version) as a PDF into ``out``; an earlier one is kept.

    The pack prints what the workbook shows: its quarter's indicators, and
    its Corporate Plan actions in their own quarter where they are another's.
    ``quarter`` prints only what is for that quarter; a quarter the workbook
    does not show is a :class:`NotAReport` naming those it does.
    """
    try:
        report = read_report(workbook)
    except NotAReport as error:
        raise PackError(str(error)) from None
    if quarter is not None:
        report = report.of_quarter(check_quarter(quarter), workbook.name)
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


def pack_title(quarter: str, short: bool = False) -> str:
    return f"Corporate Performance Report {quarter}: {'exceptions' if short else 'committee pack'}"


def lay_out(report: Report, path: Path, short: bool = False) -> Path:
    """The pack as a workbook of print-ready sheets, in the order they print."""
    book = Workbook(str(path))
    book.set_properties({"title": pack_title(report.quarter, short)})  # the PDF's title
    styles = _Styles(book, report.policy)
    for outcome in report.outcomes():
        _outcome_page(book, styles, report, outcome)
    _exceptions(book, styles, report)
    if not short:
        if report.indicators:
            _appendix(book, styles, report, "Appendix A Indicators", report.indicators,
                      [("Ref", 11), ("Indicator", 40), ("Target", 12), ("Performance", 12), ("RAG", 11),
                       ("DOT short term", 12), ("DOT long term", 12), ("Benchmarks", 30), ("Directorate", 16),
                       ("Commentary", 56)])
        if report.deliverables:
            _appendix(book, styles, report, "Appendix B Deliverables", report.deliverables,
                      [("CP ref", 7), ("BP ref", 8), ("Action", 50), ("Status", 20), ("RAG", 11),
                       ("Directorate", 16), ("Update", 70)], quarter=report.actions_quarter or report.quarter)
        if report.plan:
            _appendix(book, styles, report, "Appendix C Improvement Plan", report.plan,
                      [("Ref", 9), ("Theme", 20), ("Action", 56), ("Delivery lead", 24), ("Due", 11),
                       ("Status", 22), ("RAG", 11), ("Exception reason", 56)])
        if report.risks:
            _appendix(book, styles, report, "Appendix D Strategic risks", report.risks,
                      [("Ref", 10), ("Risk", 56), ("Owner", 24), ("Likelihood", 10), ("Impact", 9), ("Score", 8),
                       ("RAG", 11), ("Direction", 11), ("Target score", 9), ("Further actions", 56)])
    book.close()
    return path


class _Styles:
    def __init__(self, book, policy: Policy = DEFAULT_POLICY):
        self.title = book.add_format({**TITLE, "font_size": 16})
        self.subtitle = book.add_format({"bold": True, "font_size": 12, "font_color": "#1F4E78"})
        self.header = book.add_format(HEADER)
        self.text = book.add_format({**LOCKED_TEXT, "font_size": 9})
        self.count = book.add_format({"border": 1, "border_color": "#D9D9D9", "align": "center", "font_size": 11})
        self.plain = book.add_format({"text_wrap": True, "valign": "top", "font_size": 10})
        self.line = book.add_format({"font_size": 10})  # one line, running across the empty cells beside it
        self.colours = {said: book.add_format({"bg_color": fill, "font_color": font, "border": 1, "valign": "top",
                                               "border_color": "#D9D9D9", "align": "center", "bold": True})
                        for state, (fill, font) in RAG_COLOURS.items()
                        for said in dict.fromkeys((policy.shown(state), state))}


def _page(sheet, quarter: str) -> None:
    """A4 landscape, one page wide, the quarter, the page's name and its number in the footer."""
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
    sheet.set_footer(f"&L&8Corporate Performance Report {quarter}&C&8&A&R&8Page &P of &N")


def _outcome_page(book, styles: _Styles, report: Report, outcome: str) -> None:
    """One page: the outcome's measures and actions by RAG, then its Red items by name."""
    sheet = book.add_worksheet(_sheet_name(outcome))
    _page(sheet, report.quarter)
    sheet.fit_to_pages(1, 1)
    sheet.set_column(0, 0, 14)
    sheet.set_column(1, 7, 17)
    last = 7
    sheet.write(0, 0, outcome, styles.title)
    sheet.write(1, 0, f"Corporate Performance Report {report.quarter}: summary", styles.line)
    ours = report.measures_of(outcome)
    indicators = [r for r in ours if r.text("RAG") != NOT_DUE]  # not due this quarter: not counted
    if len(indicators) < len(ours):
        sheet.write(2, 0, "Not due this quarter, so not counted: "
                          + ", ".join(r.text("Ref") for r in ours if r.text("RAG") == NOT_DUE) + ".", styles.line)
    actions = report.actions_of(outcome)
    row = 3
    actions_label = "Corporate Plan actions" + (f", {report.actions_quarter}" if report.actions_quarter
                                                not in ("", report.quarter) else "")
    for label, counts, total, states in (
            *([("Measures", report.measure_counts(outcome), len(indicators), RAG_STATES)] if report.indicators
              else []),
            *([(actions_label, report.action_counts(outcome), len(actions), ACTION_STATES)] if report.deliverables
              else [])):
        sheet.write(row, 0, label, styles.subtitle)
        for col, state in enumerate(states, start=1):
            shown = report.policy.shown(state)  # the report's cells name every state as its policy does
            sheet.write_string(row + 1, col, shown, styles.colours.get(state, styles.header))
            sheet.write_number(row + 2, col, counts[state], styles.count)
        sheet.write_string(row + 1, len(states) + 1, "Total", styles.header)
        sheet.write_number(row + 2, len(states) + 1, total, styles.count)
        row += 4
    for label, reds, ref, name, noun in (
            *([("Red measures", [r for r in indicators if report.state(r.text("RAG")) == "Red"], "Ref",
                _measure_named, "measures")] if report.indicators else []),
            *([("Red actions", [r for r in actions if r.text("RAG") == "Red"], "BP ref", _action_named, "actions")]
              if report.deliverables else [])):
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
    _page(sheet, report.quarter)
    sheet.fit_to_pages(1, 0)
    headings = [("Exception", 18), ("Ref", 11), ("Indicator", 40), ("Performance", 12), ("Target", 12),
                ("RAG", 11), ("Directorate", 16), ("Commentary and corrective action", 80)]
    sheet.write(0, 0, f"Exceptions {report.quarter}: Red, Amber and worsening, no data", styles.title)
    for col, (heading, width) in enumerate(headings):
        sheet.write_string(2, col, heading, styles.header)
        sheet.set_column(col, col, width)
    sheet.set_row(2, fitted_height(headings, bold=True))
    sheet.repeat_rows(2)
    if not report.exceptions:
        sheet.write(3, 0, "No exceptions.", styles.line)
    for row, exception in enumerate(report.exceptions, start=3):
        values = [exception.text("Exception"), exception.text("Ref"), exception.text("Indicator"),
                  exception.text("Performance"), exception.text("Target"), exception.text("RAG"),
                  exception.text("Directorate"), exception.text("Commentary") or "No commentary was returned."]
        for col, value in enumerate(values):
            sheet.write_string(row, col, value, styles.colours.get(value, styles.text) if col == 5 else styles.text)
        sheet.set_row(row, fitted_height([(value, width) for value, (_, width) in zip(values, headings)],
                                         font_size=9))


def _appendix(book, styles: _Styles, report: Report, title: str, rows: list[ReportRow],
              headings: list[tuple[str, int]], quarter: str = "") -> None:
    """A full table, titled with the quarter it is for (the report's, unless ``quarter`` says another)."""
    sheet = book.add_worksheet(title)
    _page(sheet, report.quarter)
    sheet.fit_to_pages(1, 0)
    sheet.write(0, 0, f"{title}: {quarter or report.quarter}", styles.title)
    for col, (heading, width) in enumerate(headings):
        sheet.write_string(2, col, heading, styles.header)
        sheet.set_column(col, col, width)
    sheet.set_row(2, fitted_height(headings, bold=True))
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
    raise PrintingBlocked("LibreOffice is needed to print the pack and was not found: install it (libreoffice.org, or "
                    "libreoffice-calc-nogui on Debian and Ubuntu) and run pmf pack again.")


#: A LibreOffice profile's one setting: the locale documents take their language from.
LOCALE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">
<value>{language}</value></prop></item>
</oor:items>
"""


#: LibreOffice's PDF export, tagged: the text carries a structure tree in reading order for screen readers.
PDF_EXPORT = "pdf:calc_pdf_Export:" + json.dumps({"UseTaggedPDF": {"type": "boolean", "value": "true"}})


def render_pdf(path: Path, out: Path) -> Path:
    """``path`` printed to a tagged PDF by LibreOffice headless, with a profile of its own so it never meets the
    user's: the profile sets the document language (the PDF's /Lang) to the council's, whatever the machine's."""
    with tempfile.TemporaryDirectory() as profile:
        settings = Path(profile) / "user" / "registrymodifications.xcu"
        settings.parent.mkdir()
        settings.write_text(LOCALE_SETTINGS.format(language=LANGUAGE), encoding="utf-8")
        done = subprocess.run([find_soffice(), f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
                               "--convert-to", PDF_EXPORT, "--outdir", str(out), str(path)],
                              capture_output=True, text=True, timeout=600, check=False)
    pdf = out / f"{path.stem}.pdf"
    if not pdf.exists():
        raise PrintingBlocked(f"LibreOffice could not print {path.name}: {done.stderr.strip() or done.stdout.strip()}")
    return pdf


