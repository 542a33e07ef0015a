"""Benchmarking (001 §4.2.3): our performance beside England, our region and our statistical neighbours.

Until now a comparator lived only in commentary ("The figure for England is
89%, and the West Midlands 80%", 004 B3e), where nothing could check it or
say which way it cuts. Here comparators are data: imported from a CSV export
of the kind LG Inform produces (area, metric, period, value), matched to our
measures through the Catalogue's metric → ref mapping, and flagged Better or
Worse in the measure's own polarity. Every row of an export ends up either
as a :class:`Comparator` or as an :class:`UnmatchedRow` that says why, so a
metric nobody mapped, a figure that cannot be read or our own council's row
is seen by the performance team instead of vanishing.

Values are read with :func:`~pmf_excel.rules.values.read_value`, exactly as a
co-ordinator's figures are, so ``89%``, ``£1.2m`` and ``5.29 days`` mean what
they say; a bare figure (``0.89``) is read as Excel holds one and takes the
measure's unit (see :func:`read_export_value`). A comparator whose unit does
not match the measure (money beside a percentage) is "Not comparable", never
a guess.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from ..rules.errors import PMFInputError, PMFValueError
from ..rules.models import Value
from ..rules.polarity import read_polarity
from ..rules.text import clean
from ..rules.thresholds import comparable
from ..rules.values import NUMBER, read_value


class ComparatorsError(PMFInputError):
    """An export, a mapping or the comparators kept in a workbook cannot be read: the file or sheet, the row and
    what is wrong, so that the performance team can correct it."""


Flag = Literal["Better", "Worse", "Same", "Not comparable"]

#: The headings an export must have; any other column (LG Inform adds notes and codes) is ignored.
HEADINGS = ("area", "metric", "period", "value")
MAPPING_HEADINGS = ("metric", "ref")

#: Relative difference within which a comparator is the Same as our figure: float noise, not a difference.
SAME_WITHIN = 1e-9

_BARE = re.compile(rf"^[-+]?{NUMBER}$")


class ComparatorGroup(StrEnum):
    """Who we are compared with, in the order a report shows them."""

    #: The national figure: England's, or Great Britain's or the UK's where that is what a source publishes
    #: (004 E10 compares the employment rate with Great Britain).
    ENGLAND = "England"
    #: One of the nine English regions, ours being the West Midlands.
    REGION = "Region"
    #: Councils like ours (CIPFA or DfE nearest neighbours), and their average.
    NEIGHBOUR = "Statistical neighbour"


def _key(text: str) -> str:
    """How names are compared: look-alike letters made plain, no case, no spaces."""
    return "".join(clean(text).casefold().split())


_NATIONAL = frozenset(_key(name) for name in ("England", "National", "Great Britain", "United Kingdom"))
_REGIONS = frozenset(_key(name) for name in (
    "North East", "North West", "Yorkshire and The Humber", "Yorkshire & The Humber", "Yorkshire and Humber",
    "East Midlands", "West Midlands", "East of England", "East", "London", "South East", "South West"))
_AVERAGE = "average"


def classify_area(area: str) -> ComparatorGroup:
    """England (or National) is the national figure, the nine English regions are Region, any other area is a
    statistical neighbour. A trailing "average" ("England average", "West Midlands average") changes nothing."""
    key = _key(area).removesuffix(_AVERAGE)
    if key in _NATIONAL:
        return ComparatorGroup.ENGLAND
    if key in _REGIONS:
        return ComparatorGroup.REGION
    return ComparatorGroup.NEIGHBOUR


class Comparator(BaseModel):
    """One comparator value for one of our measures: whose it is, for which period, and where it came from."""

    model_config = ConfigDict(frozen=True)

    #: The measure's ref in our catalogue (``B3e``).
    ref: str
    area: str
    group: ComparatorGroup
    period: str
    #: As :func:`read_export_value` reads the export's cell.
    value: Value
    #: Where the figure was read, so that anyone can check it (``LG Inform export lg_inform_2023-24.csv, row 3``).
    source: str

    @property
    def is_aggregate(self) -> bool:
        """An average of several councils ("Statistical neighbour average"), not one council: it is shown and
        flagged like any comparator but is not one of the neighbours a quartile ranks us among."""
        key = _key(self.area)
        return _AVERAGE in key or "neighbour" in key


class UnmatchedRow(BaseModel):
    """A row of an export that gave no comparator, with its cells as written and the reason."""

    model_config = ConfigDict(frozen=True)

    #: The row as a spreadsheet numbers it: the headings are row 1.
    row: int
    area: str
    metric: str
    period: str
    value: str
    reason: str


class ImportedComparators(BaseModel):
    """What an export gave: the comparators, and every other row with the reason it gave none."""

    comparators: list[Comparator]
    unmatched: list[UnmatchedRow]
    #: The export's file name.
    source: str = ""

    def for_ref(self, ref: str) -> list[Comparator]:
        """The comparators of one measure, in the export's order."""
        return [comparator for comparator in self.comparators if comparator.ref == ref]


#: How the Catalogue maps an LG Inform metric (its id or its name) to one of our measure refs.
BenchmarkMap = dict[str, str]


def _read_rows(path: Path, wanted: Sequence[str], what: str) -> list[tuple[int, dict[str, str]]]:
    """(spreadsheet row number, the wanted cells) of every data row, headings matched without case or spaces."""
    try:
        return _rows_of(path, wanted, what)
    except UnicodeDecodeError:
        raise ComparatorsError(f"{Path(path).name} is not {what}: it is not text (a workbook, perhaps). Save it "
                               "as CSV (UTF-8), or download the export again as CSV.") from None
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise ComparatorsError(f"{path} is not a file: give {what}, a CSV file.") from None


def _rows_of(path: Path, wanted: Sequence[str], what: str) -> list[tuple[int, dict[str, str]]]:
    with Path(path).open(encoding="utf-8-sig", newline="") as file:
        reader = csv.reader(file)
        headings = next(reader, [])
        columns = {_key(heading): index for index, heading in reversed(list(enumerate(headings)))}
        missing = [name for name in wanted if name not in columns]
        if missing:
            found = ", ".join(heading for heading in headings if heading.strip()) or "none"
            raise ComparatorsError(f"{Path(path).name} is not {what}: it has no {' or '.join(missing)} heading "
                             f"(it needs {', '.join(wanted)}; found: {found}).")
        rows = []
        for number, cells in enumerate(reader, start=2):
            if not cells:
                continue  # a wholly empty line holds no row, in a spreadsheet or in LG Inform's export
            rows.append((number, {name: cells[columns[name]].strip() if columns[name] < len(cells) else ""
                                  for name in wanted}))
        return rows


def read_mapping_csv(path: Path) -> BenchmarkMap:
    """The Catalogue's metric → measure mapping from a two-column CSV (``metric,ref``).

    A metric with no ref, a ref with no metric, or a metric mapped to two
    different measures is an error naming its row: a half-made mapping would
    quietly leave comparators unmatched.
    """
    mapping: BenchmarkMap = {}
    first: dict[str, tuple[int, str]] = {}
    for number, cells in _read_rows(path, MAPPING_HEADINGS, "a benchmark mapping"):
        metric, ref = cells["metric"], clean(cells["ref"])
        where = f"{Path(path).name}, row {number}"
        if not metric and not ref:
            continue
        if not ref:
            raise ComparatorsError(f"{where}: the metric {metric!r} is mapped to no measure. "
                             "Type the measure's ref (e.g. B3e) in the ref column, or delete the row.")
        if not metric:
            raise ComparatorsError(f"{where}: the measure {ref} is mapped from no metric. "
                             "Type the LG Inform metric's id or name in the metric column, or delete the row.")
        key = _key(metric)
        if key in first:
            row, earlier = first[key]
            if mapping[earlier] != ref:
                raise ComparatorsError(f"{where}: the metric {metric!r} is mapped to {ref}, but row {row} maps it to "
                                 f"{mapping[earlier]}. A metric belongs to one measure.")
            continue
        mapping[metric] = ref
        first[key] = (number, metric)
    return mapping


def import_comparators(path: Path, mapping: BenchmarkMap, our_area: str) -> ImportedComparators:
    """Every row of an LG Inform style export (area, metric, period, value) as a comparator or an unmatched row.

    Metrics are matched to measures through ``mapping`` without regard to
    case or spaces. ``our_area`` (``Sandwell``) is our own figure, which the
    Q-report already shows as performance: its rows are reported as such, not
    taken as a comparator of ourselves. A second row for the same measure,
    area and period is reported as repeating the first, so a comparator never
    silently changes.
    """
    path = Path(path)
    lookup = {_key(metric): ref for metric, ref in mapping.items()}
    ours = _key(our_area)
    comparators: list[Comparator] = []
    unmatched: list[UnmatchedRow] = []
    seen: dict[tuple[str, str, str], int] = {}
    for number, cells in _read_rows(path, HEADINGS, "an LG Inform export"):
        ref, value, reason = _match(cells, lookup, ours, our_area)
        identity = (ref, _key(cells["area"]), _key(cells["period"]))
        if not reason and identity in seen:
            reason = f"repeats row {seen[identity]}"
        if reason:
            unmatched.append(UnmatchedRow(row=number, **cells, reason=reason))
            continue
        seen[identity] = number
        comparators.append(Comparator(ref=ref, area=cells["area"], group=classify_area(cells["area"]),
                                      period=cells["period"], value=value,
                                      source=f"LG Inform export {path.name}, row {number}"))
    return ImportedComparators(comparators=comparators, unmatched=unmatched, source=path.name)


def _match(cells: dict[str, str], lookup: BenchmarkMap, ours: str,
           our_area: str) -> tuple[str, Value | None, str]:
    """(measure ref, value, "") for a row that is a comparator, or ("", None, why it is not one)."""
    if not cells["metric"]:
        return "", None, "a row with no metric"
    if not cells["area"]:
        return "", None, "a row with no area"
    if _key(cells["area"]) == ours:
        return "", None, f"our own area ({our_area}): our figure, not a comparator"
    ref = lookup.get(_key(cells["metric"]))
    if ref is None:
        return "", None, "no measure is mapped to this metric"
    try:
        return ref, read_export_value(cells["value"]), ""
    except PMFValueError as error:
        return "", None, f"the value cannot be read: {error}"


def read_export_value(raw: str) -> Value:
    """A value of an export: as a co-ordinator's figure is read, except that a bare figure (``0.89``, ``52.6``)
    is read as Excel holds one, taking the unit of the measure it is compared with.

    An export's cell has no unit of its own: ``0.89`` beside a percentage
    measure is 89%, ``52.6`` beside a rate is 52.6. A percentage exported as
    percentage points (``89.3`` for 89.3%) must be written ``89.3%`` or
    ``0.893``: the import cannot tell which was meant.
    """
    text = raw.strip()
    if _BARE.match(text):
        return read_value(float(text.replace(",", ""))).model_copy(update={"text": raw})
    return read_value(raw)


def compare(performance: object, comparator: Comparator, polarity: object) -> Flag:
    """Whether our performance is Better or Worse than a comparator, in the measure's polarity.

    "Not comparable" when there is nothing to compare (no performance, no
    comparator figure), when the polarity has no direction (a range target,
    or NA), or when the units differ (a count beside a percentage): a flag
    members read as a judgement must never come from a guess. "Same" allows
    for float noise only (one part in a billion).
    """
    ours, theirs, sign = read_value(performance), comparator.value, read_polarity(polarity).sign
    if ours.is_missing or theirs.is_missing or sign == 0 or not comparable(ours, theirs)[0]:
        return "Not comparable"
    if math.isclose(ours.number, theirs.number, rel_tol=SAME_WITHIN):
        return "Same"
    return "Better" if sign * (ours.number - theirs.number) > 0 else "Worse"


def quartile(performance: object, comparators: Sequence[Comparator], polarity: object, minimum: int = 4) -> int | None:
    """Our quartile among our statistical neighbours: 1 is the best quarter, 4 the worst, in the polarity's sense.

    The set is the measure's statistical-neighbour councils (not England, the
    region, or an average of neighbours) for the latest period present, those
    with a figure in a unit comparable with ours. Periods are compared as text,
    which orders ``2023/24 Q1`` < ``2023/24 Q2`` and ``2022`` < ``2023``;
    an export mixing period styles for one measure should be filtered first.

    With ``n`` neighbours in the set, our rank is 1 + the number of neighbours
    strictly better than us (a tie, within one part in a billion, counts in
    our favour), so ranks run 1 … n+1 among the n+1 values, ours included; the
    quartile is ``ceil(4 × rank / (n+1))``. With 7 neighbours, rank 2 of 8 is
    exactly on the edge and is quartile 1, rank 3 is quartile 2.

    None when there is no full comparator set (fewer than ``minimum``
    neighbours), no performance, or no direction to rank in.
    """
    if minimum < 1:
        raise ValueError(f"A quartile needs at least one neighbour; minimum was {minimum}.")
    refs = sorted({comparator.ref for comparator in comparators})
    if len(refs) > 1:
        raise ValueError(f"A quartile ranks one measure; these comparators are for {', '.join(refs)}.")
    ours, sign = read_value(performance), read_polarity(polarity).sign
    if ours.is_missing or sign == 0:
        return None
    councils = [c for c in comparators if c.group is ComparatorGroup.NEIGHBOUR and not c.is_aggregate]
    if not councils:
        return None
    latest = max(c.period for c in councils)
    values = [c.value.number for c in councils
              if c.period == latest and not c.value.is_missing and comparable(ours, c.value)[0]]
    if len(values) < minimum:
        return None
    better = sum(sign * (value - ours.number) > 0 and not math.isclose(value, ours.number, rel_tol=SAME_WITHIN)
                 for value in values)
    return -(-4 * (better + 1) // (len(values) + 1))


def benchmark_line(performance: object, comparators: Sequence[Comparator],
                   polarity: object) -> list[tuple[Comparator, Flag]]:
    """One measure's comparators with their flags, as the Q-report shows them beside performance.

    Ordered England, Region, then statistical neighbours (their average
    first, then councils by name); the latest period first within an area.
    """
    by_period = sorted(comparators, key=lambda c: c.period, reverse=True)
    groups = list(ComparatorGroup)
    ordered = sorted(by_period, key=lambda c: (groups.index(c.group), not c.is_aggregate, c.area.casefold()))
    return [(comparator, compare(performance, comparator, polarity)) for comparator in ordered]


def describe(line: Sequence[tuple[Comparator, Flag]]) -> str:
    """A benchmark line in words: ``England 89% (2023/24 Q2): Worse; West Midlands 80% (2023/24 Q2): Worse``."""
    return "; ".join(f"{c.area} {c.value.show()}{f' ({c.period})' if c.period else ''}: {flag}" for c, flag in line)


