"""Read directorate returns fast (python-calamine), as they are, without trusting anything they cache.

Only what co-ordinators type is taken from a return: the cover's directorate
and quarter, and each line's performance and commentary (plus last
quarter's and last year's figures, which the return carries). Definitions
and every RAG, DOT and breach come from the catalogue and the engine.
"""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field
from python_calamine import CalamineWorkbook
from xlsxwriter.utility import xl_rowcol_to_cell

from ..framework.findings import Finding, shown
from .directorate_return import DELIVERABLES_SHEET, FORECAST, MEASURES_SHEET, OFFICER
from .improvement_plan_sheets import PLAN_SHEET
from .risk_sheets import RISKS_SHEET

COVER_SHEET = "Cover"
PERCENT = "% complete"
REQUIRED_HEADINGS = ("Ref", "Last quarter", "Same quarter last year", "Performance this quarter", "Commentary")
_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"([^>]*?)(?:/>|>(.*?)</c>)', re.DOTALL)
_FORMULA = re.compile(rb"<f[^>]*>(.*?)</f>", re.DOTALL)
_VALUE = re.compile(rb"<v>(.+?)</v>", re.DOTALL)  # an empty <v></v> (openpyxl with lxml) holds no result


class ReturnedLine(BaseModel):
    """What a co-ordinator returned for one line, with the cells it came from."""

    model_config = ConfigDict(frozen=True)

    ref: str
    row: int  # 1-based, as Excel shows it
    performance: object = None
    commentary: str = ""
    last_quarter: object = None
    last_year: object = None
    performance_cell: str
    commentary_cell: str
    last_quarter_cell: str
    last_year_cell: str
    #: The year-end forecast and the officer's own rating, where the policy's return asks for them.
    forecast: object = None
    officer_rating: object = None
    forecast_cell: str = ""
    officer_cell: str = ""


class ReturnedAction(BaseModel):
    """A Corporate Plan action's status and update as the directorate returned them."""

    model_config = ConfigDict(frozen=True)

    ref: str
    row: int
    status: object = None
    update: str = ""
    status_cell: str
    #: The % complete its lead typed, where the return asks for it.
    percent_complete: object = None
    percent_cell: str = ""


class ReturnedRow(BaseModel):
    """A row of a return's Improvement Plan or Risks sheet: each typed cell by heading, and where it is."""

    model_config = ConfigDict(frozen=True)

    ref: str
    row: int
    values: dict[str, object]
    cells: dict[str, str]


class ReturnFile(BaseModel):
    path: Path
    directorate: str
    quarter: str
    template_version: str
    lines: list[ReturnedLine] = Field(default_factory=list)
    #: None when the return has no Deliverables sheet at all (an older template, or a sheet renamed).
    actions: list[ReturnedAction] | None = None
    #: The Improvement Plan and Risks sheets' rows; None when the return has no such sheet.
    plan: list[ReturnedRow] | None = None
    risks: list[ReturnedRow] | None = None


def read_return(path: Path) -> tuple[ReturnFile | None, list[Finding]]:
    """A return's contents, or None with the reason when the file cannot be used at all.

    Whatever a damaged file makes python-calamine raise (its own error types,
    or a decoding error deep in a sheet) is this file's finding, never the end
    of the consolidation: the other returns are still read.
    """
    try:
        return _read(path)
    except Exception as error:  # noqa: BLE001 - the boundary where one bad file must not stop the rest
        return None, [Finding(file=path.name, message=f"This is not an Excel workbook that can be read "
                                                      f"({type(error).__name__}: {shown(error, 200)}). Send it "
                                                      f"again as .xlsx, saved from Excel.")]


def _read(path: Path) -> tuple[ReturnFile | None, list[Finding]]:
    name = path.name
    book = CalamineWorkbook.from_path(str(path))
    sheets = book.sheet_names
    missing = [sheet for sheet in (COVER_SHEET, MEASURES_SHEET) if sheet not in sheets]
    if missing:
        return None, [Finding(file=name, message=f"It has no sheet named {', '.join(missing)} (its sheets are: "
                                                 f"{', '.join(sheets)}). A sheet may have been renamed: use the "
                                                 f"return as it was sent out.")]
    cover = book.get_sheet_by_name(COVER_SHEET).to_python(skip_empty_area=False)
    fields = {str(row[0]).strip(): row[1] if len(row) > 1 else "" for row in cover if row}
    returned = ReturnFile(path=path, directorate=str(fields.get("Directorate", "")).strip(),
                          quarter=str(fields.get("Quarter", "")).strip(),
                          template_version=str(fields.get("Template version", "")).strip())
    rows = book.get_sheet_by_name(MEASURES_SHEET).to_python(skip_empty_area=False)
    errors = _error_cells(path, MEASURES_SHEET)
    lines, problems = _lines(name, rows, errors)
    actions = None
    if DELIVERABLES_SHEET in sheets:
        actions = _actions(book.get_sheet_by_name(DELIVERABLES_SHEET).to_python(skip_empty_area=False),
                           _error_cells(path, DELIVERABLES_SHEET))
    tables = {field: _rows(book.get_sheet_by_name(sheet).to_python(skip_empty_area=False),
                           _error_cells(path, sheet), headings)
              for field, (sheet, headings) in TYPED_SHEETS.items() if sheet in sheets}
    return returned.model_copy(update={"lines": lines, "actions": actions, **tables}), problems


#: The sheets read by heading (field of :class:`ReturnFile` → sheet, the headings of what leads type).
TYPED_SHEETS = {
    "plan": (PLAN_SHEET, ("Delivery lead", "Due date", "Status", "Progress update", "Exception reason",
                          "Propose to close", "Reason for change")),
    "risks": (RISKS_SHEET, ("Owner", "Likelihood", "Impact", "Controls", "Further actions")),
}


def _rows(rows: list[list], errors: dict[str, str], headings: tuple[str, ...]) -> list[ReturnedRow]:
    """Every row with a ref under the header row; a heading missing from the sheet reads as blank cells."""
    header_at = next((i for i, row in enumerate(rows) if row and str(row[0]).strip() == "Ref"), None)
    if header_at is None:
        return []
    columns = {str(heading).strip(): i for i, heading in enumerate(rows[header_at])}
    found = []
    for index in range(header_at + 1, len(rows)):
        cell = _CellReader(rows[index], index, columns, errors)
        ref = str(cell("Ref") or "").strip()
        if ref:
            present = [heading for heading in headings if heading in columns]
            found.append(ReturnedRow(ref=ref, row=index + 1, values={h: cell(h) for h in present},
                                     cells={h: cell.address(h) for h in present}))
    return found


def _actions(rows: list[list], errors: dict[str, str]) -> list[ReturnedAction]:
    header_at = next((i for i, row in enumerate(rows) if row and str(row[0]).strip() == "Ref"), None)
    if header_at is None:
        return []
    columns = {str(heading).strip(): i for i, heading in enumerate(rows[header_at])}
    if not {"Ref", "Status", "Update"} <= set(columns):
        return []
    actions = []
    for index in range(header_at + 1, len(rows)):
        cell = _CellReader(rows[index], index, columns, errors)
        ref = str(cell("Ref") or "").strip()
        if ref:
            percent = {"percent_complete": cell(PERCENT), "percent_cell": cell.address(PERCENT)} \
                if PERCENT in columns else {}
            actions.append(ReturnedAction(ref=ref, row=index + 1, status=cell("Status"),
                                          update=str(cell("Update") or ""), status_cell=cell.address("Status"),
                                          **percent))
    return actions


def _lines(name: str, rows: list[list], errors: dict[str, str]) -> tuple[list[ReturnedLine], list[Finding]]:
    header_at = next((i for i, row in enumerate(rows) if row and str(row[0]).strip() == "Ref"), None)
    if header_at is None:
        return [], [Finding(file=name, sheet=MEASURES_SHEET, message="No header row starting with 'Ref' was found.")]
    columns = {str(heading).strip(): i for i, heading in enumerate(rows[header_at])}
    absent = [heading for heading in REQUIRED_HEADINGS if heading not in columns]
    if absent:
        return [], [Finding(file=name, sheet=MEASURES_SHEET, cell=xl_rowcol_to_cell(header_at, 0),
                            message=f"Columns missing from the header row: {', '.join(absent)}.")]
    lines = []
    for index in range(header_at + 1, len(rows)):
        row = rows[index]
        ref = str(row[columns["Ref"]]).strip() if len(row) > columns["Ref"] else ""
        if not ref:
            continue
        cell = _CellReader(row, index, columns, errors)
        asked: dict[str, object] = {}
        for name, field, at in ((FORECAST, "forecast", "forecast_cell"), (OFFICER, "officer_rating", "officer_cell")):
            if name in columns:
                asked[field], asked[at] = cell(name), cell.address(name)
        lines.append(ReturnedLine(
            **asked, ref=ref, row=index + 1, performance=cell("Performance this quarter"),
            commentary=str(cell("Commentary") or ""), last_quarter=cell("Last quarter"),
            last_year=cell("Same quarter last year"),
            performance_cell=cell.address("Performance this quarter"), commentary_cell=cell.address("Commentary"),
            last_quarter_cell=cell.address("Last quarter"), last_year_cell=cell.address("Same quarter last year"),
        ))
    return lines, []


class _CellReader:
    """One row's cells by heading, with what the sheet's XML says where calamine saw a blank."""

    def __init__(self, row: list, index: int, columns: dict[str, int], recovered: dict[str, str]):
        self.row, self.index, self.columns, self.recovered = row, index, columns, recovered

    def address(self, heading: str) -> str:
        return xl_rowcol_to_cell(self.index, self.columns[heading])

    def __call__(self, heading: str) -> object:
        if (address := self.address(heading)) in self.recovered:
            return self.recovered[address]
        column = self.columns[heading]
        value = self.row[column] if column < len(self.row) else None
        return None if value == "" else value


def _error_cells(path: Path, sheet: str) -> dict[str, str]:
    """Cells python-calamine would read as blank although they are not: what they hold instead.

    An error value (``#DIV/0!``) reads as an empty string in python-calamine
    (its issue #105), and so does a formula saved without its result (by a
    tool other than Excel). Either would pass as "no figure"; read from the
    sheet's own XML, they become the error's text or the formula's, which the
    engine then refuses with a message. The sheet's part is found through the
    workbook's relationships, as Excel itself does.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            workbook = archive.read("xl/workbook.xml").decode("utf-8", "replace")
            rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
            rid = re.search(rf'<sheet [^>]*name="{re.escape(sheet)}"[^>]*r:id="([^"]+)"', workbook)
            target = rid and re.search(rf'<Relationship [^>]*Id="{rid.group(1)}"[^>]*Target="([^"]+)"', rels) \
                or rid and re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid.group(1)}"', rels)
            if not target:
                return {}
            part = target.group(1).lstrip("/")
            xml = archive.read(part if part.startswith("xl/") else f"xl/{part}")
    except (zipfile.BadZipFile, KeyError, OSError):
        return {}
    found = {}
    for address, attributes, body in _CELL.findall(xml):
        if b't="e"' in attributes and (value := _VALUE.search(body or b"")):
            found[address.decode()] = html.unescape(value.group(1).decode())
        elif body and (formula := _FORMULA.search(body)) and not _VALUE.search(body):
            found[address.decode()] = "=" + html.unescape(formula.group(1).decode())
    return found
