"""Onboarding a council from what it already has: its tracker made a catalogue, its published table re-judged.

``pmf catalogue import`` reads the council's own tracker through its mapping
file and writes the catalogue that ``pmf returns`` and ``pmf consolidate``
take; ``pmf judge TABLE --policy --map`` puts the council's printed verdicts
beside the engine's. Every row that cannot be read is named by row and
column and the rest are used.
"""

from __future__ import annotations

import csv
from pathlib import Path

from pydantic import BaseModel

from ..framework.catalogue import Catalogue
from ..framework.council_mapping import MappingError, catalogue_from_rows, load_mapping, map_rows
from ..framework.findings import Finding
from ..framework.published_table import Agreement, RejudgedRow, agreement, rejudge_row
from ..rules.policy import Policy
from ..workbooks.council_tables import read_council_table
from ..workbooks.files import keep_previous


class Imported(BaseModel):
    """What an import made: the catalogue, where it was written, and every cell that could not be read."""

    catalogue: Catalogue
    written: Path | None
    sheet: str
    problems: list[Finding]


def import_catalogue(tracker: Path, mapping_file: Path, out: Path) -> Imported:
    """The catalogue of every readable row of the council's tracker, written to ``out`` (a previous file kept in
    ``previous versions/``) unless no row could be read."""
    mapping = load_mapping(mapping_file)
    table = read_council_table(tracker, mapping.headings("ref"), mapping.sheet)
    rows = map_rows(table.headings, table.rows, mapping, "catalogue", _named(tracker, table.sheet))
    catalogue, problems = catalogue_from_rows(rows, mapping, tracker.name, table.sheet)
    written = None
    if catalogue.measures:
        out.parent.mkdir(parents=True, exist_ok=True)
        keep_previous(out)
        out.write_text(catalogue.model_dump_json(indent=1, exclude_defaults=True), encoding="utf-8")
        written = out
    return Imported(catalogue=catalogue, written=written, sheet=table.sheet, problems=problems)


def judge_table(table_file: Path, policy: Policy, mapping_file: Path) -> tuple[list[RejudgedRow], Agreement]:
    """Every row of a council's published table re-judged under ``policy``, and how far the two agree."""
    mapping = load_mapping(mapping_file)
    if mapping.figures and not mapping.quarter:
        raise MappingError(mapping_file.name, ["quarter: the table's quarter is needed to place the figures "
                                               "columns' quarters before it (e.g. quarter = \"2024/25 Q2\")"])
    table = read_council_table(table_file, mapping.headings("ref"), mapping.sheet)
    where = _named(table_file, table.sheet)
    rows = [rejudge_row(row, mapping, policy, where)
            for row in map_rows(table.headings, table.rows, mapping, "table", where)]
    return rows, agreement(rows)


def write_rejudged(rows: list[RejudgedRow], out: Path) -> Path:
    """The re-judged table as a CSV a spreadsheet opens (UTF-8 with a BOM), a previous file kept."""
    out.parent.mkdir(parents=True, exist_ok=True)
    keep_previous(out)
    headings = ["Row", "Ref", "Indicator", "Performance", "Target", "Printed RAG", "Engine RAG", "RAG agrees",
                "Printed DOT", "Engine DOT", "DOT agrees", "Why", "Problems"]
    with out.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(headings)
        for row in rows:
            writer.writerow([row.row, row.ref, row.indicator, row.performance, row.target, row.printed_rag,
                             row.engine_rag, _yes_no(row.rag_agrees), row.printed_dot, row.engine_dot,
                             _yes_no(row.dot_agrees), row.why, " | ".join(row.problems)])
    return out


def _yes_no(agrees: bool | None) -> str:
    return "" if agrees is None else ("Yes" if agrees else "No")


def _named(path: Path, sheet: str) -> str:
    return f"{path.name} › {sheet}" if sheet else path.name
