"""Read directorate returns fast (python-calamine), as they are, without trusting anything they cache.

Only what co-ordinators type is taken from a return: the cover's directorate
and quarter, and each line's performance and commentary (plus last
quarter's and last year's figures, which the return carries). Definitions
and every RAG, DOT and breach come from the catalogue and the engine.
"""

from __future__ import annotations

import copy
import html
import re
import zipfile
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field
from python_calamine import CalamineWorkbook
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from ..framework.findings import Finding, shown
from .directorate_return import DELIVERABLES_SHEET, FORECAST, MEASURES_SHEET, OFFICER
from .improvement_plan_sheets import PLAN_SHEET
from .risk_sheets import RISKS_SHEET
from .sheet_extent import beyond, sheet_part

COVER_SHEET = "Cover"
PERCENT = "% complete"
REQUIRED_HEADINGS = ("Ref", "Last quarter", "Same quarter last year", "Performance this quarter", "Commentary")
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
    update_cell: str = ""
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

    The file is measured before python-calamine reads a sheet (see
    :func:`inspect_return`): a file past the limits is one finding naming
    the file and sheet. Whatever a damaged file makes python-calamine raise
    (its own error types, or a decoding error deep in a sheet) is this file's
    finding, never the end of the consolidation: the other returns are still
    read.
    """
    try:
        parts, problem = inspect_return(path)
        if problem is not None:
            return None, [problem]
        return _read(path, parts)
    except Exception as error:  # noqa: BLE001 - the boundary where one bad file must not stop the rest
        return None, [Finding(file=path.name, message=f"This is not an Excel workbook that can be read "
                                                      f"({type(error).__name__}: {shown(error, 200)}). Send it "
                                                      f"again as .xlsx, saved from Excel.")]


def _read(path: Path, parts: dict[str, bytes]) -> tuple[ReturnFile | None, list[Finding]]:
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
    lines, problems = _lines(name, rows, parts.get(MEASURES_SHEET, b""))
    actions = None
    if DELIVERABLES_SHEET in sheets:
        actions = _actions(book.get_sheet_by_name(DELIVERABLES_SHEET).to_python(skip_empty_area=False),
                           parts.get(DELIVERABLES_SHEET, b""))
    tables = {field: _rows(book.get_sheet_by_name(sheet).to_python(skip_empty_area=False),
                           parts.get(sheet, b""), headings)
              for field, (sheet, headings) in TYPED_SHEETS.items() if sheet in sheets}
    return returned.model_copy(update={"lines": lines, "actions": actions, **tables}), problems


#: The sheets read by heading (field of :class:`ReturnFile` → sheet, the headings of what leads type).
TYPED_SHEETS = {
    "plan": (PLAN_SHEET, ("Delivery lead", "Due date", "Status", "Progress update", "Exception reason",
                          "Propose to close", "Reason for change")),
    "risks": (RISKS_SHEET, ("Owner", "Likelihood", "Impact", "Controls", "Further actions")),
}
#: Every sheet of a return that is read, so every sheet measured first.
READ_SHEETS = (COVER_SHEET, MEASURES_SHEET, DELIVERABLES_SHEET, PLAN_SHEET, RISKS_SHEET)


def _rows(rows: list[list], xml: bytes, headings: tuple[str, ...]) -> list[ReturnedRow]:
    """Every row with a ref under the header row; a heading missing from the sheet reads as blank cells."""
    header_at = next((i for i, row in enumerate(rows) if row and str(row[0]).strip() == "Ref"), None)
    if header_at is None:
        return []
    columns = {str(heading).strip(): i for i, heading in enumerate(rows[header_at])}
    errors = _error_cells(xml, columns, ("Ref", *headings))
    found = []
    for index in range(header_at + 1, len(rows)):
        cell = _CellReader(rows[index], index, columns, errors)
        ref = str(cell("Ref") or "").strip()
        if ref:
            present = [heading for heading in headings if heading in columns]
            found.append(ReturnedRow(ref=ref, row=index + 1, values={h: cell(h) for h in present},
                                     cells={h: cell.address(h) for h in present}))
    return found


def _actions(rows: list[list], xml: bytes) -> list[ReturnedAction]:
    header_at = next((i for i, row in enumerate(rows) if row and str(row[0]).strip() == "Ref"), None)
    if header_at is None:
        return []
    columns = {str(heading).strip(): i for i, heading in enumerate(rows[header_at])}
    if not {"Ref", "Status", "Update"} <= set(columns):
        return []
    errors = _error_cells(xml, columns, ("Ref", "Status", "Update", PERCENT))
    actions = []
    for index in range(header_at + 1, len(rows)):
        cell = _CellReader(rows[index], index, columns, errors)
        ref = str(cell("Ref") or "").strip()
        if ref:
            percent = {"percent_complete": cell(PERCENT), "percent_cell": cell.address(PERCENT)} \
                if PERCENT in columns else {}
            actions.append(ReturnedAction(ref=ref, row=index + 1, status=cell("Status"),
                                          update=str(cell("Update") or ""), status_cell=cell.address("Status"),
                                          update_cell=cell.address("Update"),
                                          **percent))
    return actions


def _lines(name: str, rows: list[list], xml: bytes) -> tuple[list[ReturnedLine], list[Finding]]:
    header_at = next((i for i, row in enumerate(rows) if row and str(row[0]).strip() == "Ref"), None)
    if header_at is None:
        return [], [Finding(file=name, sheet=MEASURES_SHEET, message="No header row starting with 'Ref' was found.")]
    columns = {str(heading).strip(): i for i, heading in enumerate(rows[header_at])}
    absent = [heading for heading in REQUIRED_HEADINGS if heading not in columns]
    if absent:
        return [], [Finding(file=name, sheet=MEASURES_SHEET, cell=xl_rowcol_to_cell(header_at, 0),
                            message=f"Columns missing from the header row: {', '.join(absent)}.")]
    errors = _error_cells(xml, columns, (*REQUIRED_HEADINGS, FORECAST, OFFICER))
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
    """One row's cells by heading, with what the sheet's XML says where calamine saw a blank (``recovered``,
    found by :func:`_error_cells` in the columns of the headings that are read)."""

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


def _error_cells(xml: bytes, columns: dict[str, int], read: tuple[str, ...]) -> dict[str, str]:
    """Cells python-calamine would read as blank although they are not, in the columns of the headings ``read``
    (``columns``: each heading's column): what they hold instead.

    An error value (``#DIV/0!``) reads as an empty string in python-calamine
    (its issue #105), and so does a formula saved without its result (by a
    tool other than Excel). Either would pass as "no figure"; read from the
    sheet's own XML, they become the error's text or the formula's, which the
    engine then refuses with a message. A sheet with neither (most returns
    Excel or pmf saved) is told by counting a few byte strings; in any other,
    only the cells of the columns read are looked at, not those of the
    sheet's own formulas.
    """
    letters = sorted({xl_col_to_name(columns[heading]) for heading in read if heading in columns})
    if not letters or (b't="e"' not in xml and not _uncached_formulas(xml)):
        return {}
    found = {}
    cells = re.compile(rb'<c r="((?:' + "|".join(letters).encode() + rb')[0-9]+)"([^>]*?)(?:/>|>(.*?)</c>)', re.S)
    for address, attributes, body in cells.findall(xml):
        if b't="e"' in attributes and (value := _VALUE.search(body or b"")):
            found[address.decode()] = html.unescape(value.group(1).decode())
        elif b"<f" in body and (formula := _FORMULA.search(body)) and not _VALUE.search(body):
            found[address.decode()] = "=" + html.unescape(formula.group(1).decode())
    return found


def _uncached_formulas(xml: bytes) -> bool:
    """Whether a sheet may hold a formula without its result: unless every formula (``<f>…</f>`` or a shared
    ``<f …/>``) is followed at once by a result that is not empty."""
    formulas = xml.count(b"<f>") + xml.count(b"<f ")
    results = xml.count(b"</f><v>") + xml.count(b"/><v>") - xml.count(b"<v></v>")
    return formulas != results


#: Excel's error values, as a cell shows them.
ERROR_VALUES = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!",
                "#CALC!", "#FIELD!", "#BLOCKED!", "#BUSY!", "#CONNECT!", "#UNKNOWN!", "#PYTHON!")


def is_error_value(value: object) -> bool:
    """Whether a cell holds one of Excel's error values (``#NAME?``, ``#DIV/0!``…) rather than what was typed."""
    return isinstance(value, str) and value.strip().upper() in ERROR_VALUES


class Limits(BaseModel):
    """How much of a return is read at most, checked before any sheet is: far beyond any real return (the
    council's largest has 60 rows, 25 columns and 0.25 MB of parts), and far below what would exhaust a
    machine (a single value typed in ``XFD1048576``: see :mod:`.sheet_extent`; a zip bomb, 3 MB holding 750 MB
    of sheet XML, would take minutes and gigabytes)."""

    model_config = ConfigDict(frozen=True)

    rows: int = 20_000
    columns: int = 200
    #: The archive's parts, uncompressed, all together; and how many parts there may be.
    uncompressed_bytes: int = 100_000_000
    parts: int = 10_000


LIMITS = Limits()
_CHUNK = 1 << 20
_UNBOUNDED = 1 << 62
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound file: an encrypted .xlsx, or an .xls renamed


def inspect_return(path: Path, limits: Limits = LIMITS) -> tuple[dict[str, bytes], Finding | None]:
    """Measure a return before reading it: its parts, uncompressed, and the extent of each sheet that is read.

    Returns the XML of the sheets read (by sheet name), or the finding that
    says why the file is not read. Every part is inflated as far as the
    limit allows, whatever size the archive declares for it, so a part that
    inflates past what it declares is caught too.
    """
    with path.open("rb") as stream:
        if stream.read(len(_OLE)) == _OLE:
            return {}, Finding(file=path.name, message="It is password-protected (encrypted), or an old .xls "
                                                       "workbook renamed .xlsx. Save it from Excel as .xlsx "
                                                       "without a password, and send it again.")
    with zipfile.ZipFile(path) as archive:
        items = archive.infolist()
        if len(items) > limits.parts:
            return {}, _too_big(path, "", f"it holds {len(items):,} parts", limits)
        declared = sum(item.file_size for item in items)
        if declared > limits.uncompressed_bytes:
            return {}, _too_big(path, "", f"it unpacks to {declared / 1e6:,.0f} MB", limits)
        names = {item.filename for item in items}
        kept: dict[str, bytes] = {}
        budget = limits.uncompressed_bytes
        for item in items:
            keep = item.filename in _WORKBOOK_PARTS or item.filename.startswith("xl/worksheets/")
            data, size = _inflate(archive, item, budget, keep)
            if size > budget:
                return {}, _too_big(path, "", f"it unpacks to more than {limits.uncompressed_bytes / 1e6:,.0f} MB",
                                    limits)
            budget -= size
            if keep:
                kept[item.filename] = data
        parts = {}
        for sheet in READ_SHEETS:
            part = sheet_part(kept, names, sheet)
            if part is None:
                continue
            if (why := beyond(kept[part], limits.rows, limits.columns)) is not None:
                return {}, _too_big(path, sheet, why, limits)
            parts[sheet] = kept[part]
    return parts, None


_WORKBOOK_PARTS = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")


def _inflate(archive: zipfile.ZipFile, item: zipfile.ZipInfo, budget: int, keep: bool) -> tuple[bytes, int]:
    """A part's bytes (empty when not kept) and its size, inflated in chunks and no further than a chunk past
    ``budget``. The size the archive declares is not trusted: a copy of the part's entry declares no end, so
    reading stops past the budget or at the part's true end, where the checksum proves it whole."""
    entry = copy.copy(item)
    entry.file_size = _UNBOUNDED
    chunks, size = [], 0
    with archive.open(entry) as stream:
        while size <= budget and (chunk := stream.read(_CHUNK)):
            size += len(chunk)
            if keep:
                chunks.append(chunk)
    return b"".join(chunks), size


def _too_big(path: Path, sheet: str, why: str, limits: Limits) -> Finding:
    place = f"its {sheet} sheet" if sheet else "it"
    return Finding(file=path.name, sheet=sheet, severity="Error",
                   message=f"Not read: {why.replace('it ', place + ' ', 1)}, far beyond any return (at most "
                           f"{limits.rows:,} rows, {limits.columns} columns and {limits.uncompressed_bytes / 1e6:,.0f}"
                           " MB unpacked are read). Delete the rows and columns past the table (or whatever was "
                           "pasted), save it from Excel as .xlsx and send it again.")
