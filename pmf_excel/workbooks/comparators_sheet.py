"""The Comparators sheet of the corporate workbook: the comparators imported from an export, kept between
quarters where the performance team can read and correct them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel

from ..framework.benchmarks import Comparator, ComparatorsError, classify_area, read_export_value
from ..rules.errors import PMFValueError
from .files import open_workbook
from .tables import Table


class ComparatorRow(BaseModel):
    """A row of the corporate workbook's Comparators sheet: a comparator as the performance team can read and
    correct it between quarters (the value as exported)."""

    ref: str
    area: str
    period: str = ""
    value: str
    source: str = ""


COMPARATORS_TABLE = Table("Comparators", ComparatorRow, (
    ("Ref", "ref"), ("Area", "area"), ("Period", "period"), ("Value", "value"), ("Source", "source")))


def comparator_rows(comparators: Sequence[Comparator]) -> list[ComparatorRow]:
    return [ComparatorRow(ref=c.ref, area=c.area, period=c.period, value=c.value.text, source=c.source)
            for c in comparators]


def comparators_from_rows(rows: Sequence[ComparatorRow]) -> list[Comparator]:
    """The comparators the Comparators sheet holds; a value that cannot be read is an error naming the row."""
    found = []
    for row in rows:
        try:
            value = read_export_value(row.value)
        except PMFValueError as error:
            raise PMFValueError(error.what, error.text, f"{error.expected} (Comparators sheet, {row.ref} "
                                                        f"{row.area})") from None
        found.append(Comparator(ref=row.ref, area=row.area, group=classify_area(row.area), period=row.period,
                                value=value, source=row.source))
    return found


def read_comparators(workbook: Path) -> list[Comparator]:
    """The comparators on the workbook's Comparators sheet, kept from an earlier import."""
    if not workbook.exists():
        return []
    book = open_workbook(workbook)
    if COMPARATORS_TABLE.sheet not in book.sheet_names:
        return []
    rows, problems = COMPARATORS_TABLE.read(
        book.get_sheet_by_name(COMPARATORS_TABLE.sheet).to_python(skip_empty_area=False), workbook.name)
    if problems:
        raise ComparatorsError("; ".join(problems))
    try:
        return comparators_from_rows(rows)
    except PMFValueError as error:
        raise ComparatorsError(str(error)) from None
