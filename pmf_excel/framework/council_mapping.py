"""A council's own spreadsheet in the framework's terms: the mapping file it writes once.

A council adopting the tool already keeps a tracker of its measures and
publishes a table of them, with columns named its own way ("KPI ref",
"Good is", "Status"), its own words in them ("High", "Yellow") and a column
per quarter of figures. The mapping says which of its columns is which of
ours, how its words translate, and which quarter each figure column is for;
with it, the tracker becomes a catalogue and the published table can be
re-judged, with no code. Each row is read field by field with the engine's
own readers, so a row that cannot be read is named by its row and column and
the rest are read.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..rules.errors import PMFInputError, PMFValueError
from ..rules.polarity import read_polarity
from ..rules.targets import read_target
from ..rules.text import squash
from ..rules.values import read_value
from ..rules.verdicts import read_measure
from .catalogue import READING_POLICY, Catalogue, EarlierFigure, Frequency, MeasureDefinition
from .findings import Finding, shown
from .quarters import check_quarter

#: Our fields a council's columns may be mapped to, and what each holds.
FIELDS = {
    "ref": "the measure's reference",
    "indicator": "what it measures",
    "polarity": "which way is better",
    "target": "the target",
    "tolerance": "the tolerance (blank for none)",
    "frequency": "how often it reports (quarterly, annual, biannual, termly, three times a year)",
    "directorate": "the directorate that reports it",
    "outcome": "the strategic outcome (or priority) it serves",
    "measure_class": "its class, whose settings the policy may give of their own",
    "tolerance_owner": "who set the tolerance",
    "tolerance_rationale": "why it is what it is",
    "performance": "this quarter's figure",
    "forecast": "the year-end forecast",
    "officer_rating": "the responsible officer's own rating",
    "commentary": "the commentary",
    "printed_rag": "the RAG the council printed",
    "printed_dot_short": "the short-term direction of travel the council printed",
    "printed_dot_long": "the long-term direction of travel (or trend) the council printed",
}
#: What a catalogue cannot be built without (a default in the mapping will do for any of them).
CATALOGUE_NEEDS = ("ref", "indicator", "polarity", "target", "directorate", "outcome")
#: What a published table cannot be re-judged without.
TABLE_NEEDS = ("ref", "polarity", "target", "performance")
Purpose = Literal["catalogue", "table"]


class MappingError(PMFInputError):
    """Every problem with a mapping file, or with the headings of the spreadsheet it maps, reported together."""

    def __init__(self, source: str, problems: list[str], note: str = ""):
        self.problems = problems
        super().__init__(f"The mapping in {source} has {len(problems)} problem(s):\n"
                         + "\n".join(f"- {problem}" for problem in problems) + (f"\n{note}" if note else ""))


class CouncilMapping(BaseModel):
    """The mapping file: a council's columns, words and quarters in the framework's terms."""

    model_config = ConfigDict(extra="forbid")

    format: int = Field(default=1, ge=1, le=1)
    council: str = Field(min_length=1)
    #: The quarter the ``performance`` column's figures are for.
    quarter: str = ""
    #: The sheet of a workbook to read (blank: the first that holds the headings).
    sheet: str = ""
    #: Our field → the council's heading, or several headings (the tracker's and the published table's).
    columns: dict[str, str | list[str]]
    #: A heading of figures → the quarter they are for: the earlier periods' figures.
    figures: dict[str, str] = Field(default_factory=dict)
    #: Our field → {the council's word: ours}, e.g. polarity: {"High": "Bigger is better"}.
    values: dict[str, dict[str, str]] = Field(default_factory=dict)
    #: Our field → the value every row takes where the column is absent or the cell blank.
    defaults: dict[str, str] = Field(default_factory=dict)

    @field_validator("columns", "values", "defaults")
    @classmethod
    def _known_fields(cls, given: dict) -> dict:
        unknown = [name for name in given if name not in FIELDS]
        if unknown:
            raise ValueError(f"{', '.join(map(repr, unknown))} is not a field ({', '.join(FIELDS)})")
        return given

    @field_validator("quarter")
    @classmethod
    def _a_quarter(cls, quarter: str) -> str:
        return _quarter(quarter) if quarter else quarter

    @field_validator("figures")
    @classmethod
    def _figures_are_quarters(cls, figures: dict[str, str]) -> dict[str, str]:
        wrong = [f"{heading!r} = {quarter!r}" for heading, quarter in figures.items()
                 if not _QUARTER_TEXT.match(quarter.strip())]
        if wrong:
            raise ValueError(f"{'; '.join(wrong)}: each figures column is for a quarter written as 2023/24 Q2")
        return {heading: _quarter(quarter) for heading, quarter in figures.items()}

    @model_validator(mode="after")
    def _figures_are_not_the_quarter(self) -> "CouncilMapping":
        if self.quarter and self.quarter in self.figures.values():
            raise ValueError(f"{self.quarter} is the quarter of the performance column; the figures columns are the "
                             "periods before it")
        return self

    def headings(self, field: str) -> list[str]:
        """The council's headings for one of our fields."""
        named = self.columns.get(field, [])
        return [named] if isinstance(named, str) else list(named)

    def translated(self, field: str, cell: object) -> object:
        """A cell in our words: the mapping's translation where it has one (any case, spaces or punctuation), the
        default where the cell is blank, else the cell as it is."""
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            return self.defaults.get(field)
        words = {squash(theirs): ours for theirs, ours in self.values.get(field, {}).items()}
        return words.get(squash(str(cell)), cell) if isinstance(cell, str) else cell


_QUARTER_TEXT = re.compile(r"^\d{4}/\d{2} Q[1-4]$")


def _quarter(quarter: str) -> str:
    try:
        return check_quarter(quarter)
    except PMFValueError as error:
        raise ValueError(error.expected) from None


def load_mapping(path: Path) -> CouncilMapping:
    """The mapping file (TOML), every problem named by its setting."""
    if not Path(path).is_file():
        raise MappingError(path.name, [f"{path} does not exist"])
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise MappingError(path.name, [f"it cannot be read: {error}"]) from None
    try:
        return CouncilMapping.model_validate(data)
    except ValidationError as error:
        raise MappingError(path.name, [
            f"{'.'.join(str(part) for part in e['loc']) or 'mapping'}: {str(e['msg']).removeprefix('Value error, ')}"
            for e in error.errors()]) from None


class SheetRow(BaseModel):
    """A row of a council's spreadsheet: its number as the sheet shows it, and its cells by heading."""

    number: int
    cells: dict[str, object]


class MappedRow(BaseModel):
    """A row in our terms: each mapped field's cell (translated), the earlier figures by quarter, and where each
    came from (the council's heading), so that a problem can name its column."""

    number: int
    values: dict[str, object]
    figures: dict[str, object] = Field(default_factory=dict)
    columns: dict[str, str] = Field(default_factory=dict)

    def text(self, field: str) -> str:
        value = self.values.get(field)
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return "" if value is None else str(value).strip()


def map_rows(headings: list[str], rows: list[SheetRow], mapping: CouncilMapping, purpose: Purpose,
             source: str) -> list[MappedRow]:
    """Every row with a ref, in our terms. A heading the purpose needs and the sheet lacks (with no default) stops
    here, every one named at once with the headings the sheet has."""
    found = {squash(heading): heading for heading in headings if heading}
    columns: dict[str, str] = {}
    for field in FIELDS:
        heading = next((found[squash(name)] for name in mapping.headings(field) if squash(name) in found), None)
        if heading is not None:
            columns[field] = heading
    needs = CATALOGUE_NEEDS if purpose == "catalogue" else TABLE_NEEDS
    missing = [field for field in needs if field not in columns and field not in mapping.defaults]
    if purpose == "table" and not {"printed_rag", "printed_dot_short", "printed_dot_long"} & set(columns):
        missing.append("printed_rag")
    problems = [f"no column for {field} ({FIELDS[field]}): the mapping names "
                f"{', '.join(map(repr, mapping.headings(field))) or 'none'}" for field in missing]
    quarters: dict[str, str] = {}  # each quarter's column: the first of its headings the sheet has
    for heading, quarter in mapping.figures.items():
        if squash(heading) in found:
            quarters.setdefault(quarter, found[squash(heading)])
    problems += [f"no column for the figures of {quarter} (the mapping names "
                 f"{', '.join(repr(h) for h, q in mapping.figures.items() if q == quarter)})"
                 for quarter in dict.fromkeys(mapping.figures.values()) if quarter not in quarters]
    if problems:
        raise MappingError(source, problems, f"Its headings are: {', '.join(h for h in headings if h)}.")
    mapped = []
    for row in rows:
        values = {field: mapping.translated(field, row.cells.get(heading)) for field, heading in columns.items()}
        values |= {field: default for field, default in mapping.defaults.items() if field not in columns}
        if not str(values.get("ref") or "").strip():
            continue
        mapped.append(MappedRow(number=row.number, values=values, columns=columns | quarters,
                                figures={quarter: row.cells.get(heading) for quarter, heading in quarters.items()}))
    return mapped


class RowProblem(Exception):
    """One cell of a row that cannot be read: its field and what is wrong."""

    def __init__(self, field: str, text: object, message: str):
        self.field, self.text, self.message = field, text, message
        super().__init__(message)


def finding(row: MappedRow, problem: RowProblem, source: str, sheet: str) -> Finding:
    """A problem as a Data quality row: the file, sheet, row and column (by the council's heading), the text."""
    column = row.columns.get(problem.field, problem.field)
    return Finding(file=source, sheet=sheet, cell=f"row {row.number}, column {column!r}", ref=row.text("ref"),
                   text=shown(problem.text), message=problem.message)


def catalogue_from_rows(rows: list[MappedRow], mapping: CouncilMapping, source: str, sheet: str = ""
                        ) -> tuple[Catalogue, list[Finding]]:
    """A catalogue of every row that can be read, and every cell that cannot, named by row and column; a row with
    an unreadable definition is left out, an unreadable earlier figure leaves out only that figure."""
    measures: list[MeasureDefinition] = []
    figures: list[EarlierFigure] = []
    problems: list[Finding] = []
    first_row: dict[str, int] = {}
    for row in rows:
        ref = row.text("ref")
        if ref in first_row:
            problems.append(finding(row, RowProblem("ref", ref, f"The ref appears again (first in row "
                                                                f"{first_row[ref]}): this row is left out."),
                                    source, sheet))
            continue
        try:
            measures.append(definition(row))
        except RowProblem as problem:
            problems.append(finding(row, problem, source, sheet))
            continue
        first_row[ref] = row.number
        for quarter, cell in {**row.figures, **({mapping.quarter: row.values.get("performance")}
                                                if mapping.quarter and "performance" in row.values else {})}.items():
            try:
                held = figure(cell)
            except RowProblem as problem:
                problems.append(finding(row, RowProblem(quarter if quarter in row.columns else "performance",
                                                        problem.text, problem.message + " The figure is left out."),
                                        source, sheet))
                continue
            if held is not None:
                figures.append(EarlierFigure(ref=ref, quarter=quarter, figure=held))
    return Catalogue(source=f"{source} (imported with the mapping for {mapping.council})", measures=measures,
                     earlier_figures=figures), problems


def definition(row: MappedRow) -> MeasureDefinition:
    """A catalogue entry from a row, each field read by the engine's own reader so that a problem names its
    column; raises :class:`RowProblem`."""
    for field in ("ref", "indicator", "directorate", "outcome"):
        if not row.text(field):
            raise RowProblem(field, "", f"The {FIELDS[field].removeprefix('the ')} is blank.")
    polarity, target, tolerance = row.text("polarity"), row.text("target"), row.text("tolerance")
    _read("polarity", polarity, read_polarity)
    if read_polarity(polarity).sign or not _blank_or_words(target):
        _read("target", target, read_target)
    frequency = row.text("frequency").lower() or "quarterly"
    if frequency not in Frequency.__args__:
        raise RowProblem("frequency", row.values.get("frequency"), f"Expected one of {', '.join(Frequency.__args__)}"
                                                                   " (or a word the mapping translates to one).")
    try:
        read_measure(target, tolerance, polarity, None, READING_POLICY)
    except PMFValueError as error:
        raise RowProblem("tolerance" if error.what == "a tolerance" else "target", error.text, str(error)) from None
    try:
        return MeasureDefinition(ref=row.text("ref"), printed_ref=row.text("ref"), indicator=row.text("indicator"),
                                 outcome=row.text("outcome"), directorate=row.text("directorate"), polarity=polarity,
                                 target=target, tolerance=tolerance, frequency=frequency,
                                 measure_class=row.text("measure_class"), tolerance_owner=row.text("tolerance_owner"),
                                 tolerance_rationale=row.text("tolerance_rationale"))
    except ValidationError as error:
        first = error.errors()[0]
        raise RowProblem("ref", row.text("ref"), str(first["msg"]).removeprefix("Value error, ")) from None


def _blank_or_words(target: str) -> bool:
    return not any(ch.isdigit() for ch in target)


def _read(field: str, text: str, reader) -> None:
    try:
        reader(text)
    except PMFValueError as error:
        raise RowProblem(field, text, str(error)) from None


def figure(cell: object) -> float | str | None:
    """A figure as the catalogue keeps it: a number as the cell holds it, text as typed; None for no figure;
    raises :class:`RowProblem` for a figure the engine cannot read."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    try:
        value = read_value(cell)
    except PMFValueError as error:
        raise RowProblem("figure", cell, str(error)) from None
    if value.is_missing:
        return None
    return float(cell) if isinstance(cell, (int, float)) and not isinstance(cell, bool) else str(cell).strip()
