"""Sheets that are tables of one model: headings in the first row, one record per row below.

The performance team keeps the Improvement Plan and the risk register in the
corporate workbook's catalogue sheets, and History keeps each quarter of
them; Excel is where they are edited, so each is read back as it is
written, through one mapping of heading to field. A row that does not make
a valid record is named with its sheet, row and ref; the other rows are kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import Enum
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError

Record = TypeVar("Record", bound=BaseModel)


class Table(Generic[Record]):
    """A sheet named ``sheet`` whose columns are ``(heading, field)`` of ``model``."""

    def __init__(self, sheet: str, model: type[Record], columns: Sequence[tuple[str, str]]):
        self.sheet, self.model, self.columns = sheet, model, tuple(columns)

    @property
    def headings(self) -> list[str]:
        return [heading for heading, _ in self.columns]

    def rows(self, records: Sequence[Record]) -> list[list[object]]:
        """The sheet's cells, headings first: enums as their names, booleans as Yes or blank, dates as dates."""
        return [self.headings] + [[_cell(getattr(record, field)) for _, field in self.columns]
                                  for record in records]

    def read(self, rows: Sequence[Sequence[object]], source: str) -> tuple[list[Record], list[str]]:
        """The records of the sheet's cells (as python-calamine or xlwings give them), and every bad row named.

        A missing heading of a required field makes the whole sheet unreadable,
        said once; one of a field with a default (a column added in a later
        version) reads as blank; a blank row is skipped; a cell left blank
        takes the field's default.
        """
        if not rows:
            return [], []
        found = [str(cell).strip() for cell in rows[0]]
        missing = [heading for heading, field in self.columns
                   if heading not in found and self.model.model_fields[field].is_required()]
        if missing:
            return [], [f"{source} › {self.sheet}: the first row lacks the heading(s) {', '.join(missing)}"]
        at = {heading: found.index(heading) for heading in self.headings if heading in found}
        records, problems = [], []
        for number, row in enumerate(rows[1:], start=2):
            cells = {field: _value(row[at[heading]] if heading in at and at[heading] < len(row) else None)
                     for heading, field in self.columns}
            if all(value is None for value in cells.values()):
                continue
            try:
                records.append(self.model.model_validate(
                    {field: _typed(value, self.model.model_fields[field].annotation)
                     for field, value in cells.items() if value is not None}))
            except ValidationError as error:
                first = error.errors()[0]
                heading = next((h for h, f in self.columns if f == first["loc"][0]), "") if first["loc"] else ""
                message = str(first["msg"]).removeprefix("Value error, ")
                problems.append(f"{source} › {self.sheet} › row {number} ({cells.get('ref') or 'no ref'}): "
                                f"{heading + ': ' if heading else ''}{message}")
        return records, problems


def _cell(value: object) -> object:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bool):
        return "Yes" if value else ""
    return "" if value is None else value


def _value(cell: object) -> object:
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    return cell.strip() if isinstance(cell, str) else cell


def _typed(value: object, annotation: object) -> object:
    """A cell as its field wants it: a whole number typed in a text column as text, a date-time as its date,
    Yes/No as a boolean. Anything else is left for the model to accept or refuse."""
    if annotation is str and isinstance(value, float) and value.is_integer():
        return str(int(value))
    if annotation is str and not isinstance(value, str):
        return str(value)
    if isinstance(value, dt.datetime) and annotation in (dt.date, dt.date | None):
        return value.date()
    if annotation is bool and isinstance(value, str):
        return value.strip().lower() in ("yes", "y", "true")
    return value
