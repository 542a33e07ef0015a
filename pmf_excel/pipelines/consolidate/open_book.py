"""Consolidate into the workbook open in Excel: what the Consolidate button does.

The open workbook cannot be replaced on disk, so the same consolidation the
command line runs is written to a scratch file by the same writer, and each
output sheet's values are then set in the open workbook through xlwings in
one call per sheet. The book's own Settings, Catalogue and History are the
inputs, as they are for the file path.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from python_calamine import CalamineWorkbook

from ...framework.benchmarks import Comparator, ComparatorsError
from ...framework.history import Histories
from ...rules.policy import DEFAULT_POLICY, policy_from_rows
from ...workbooks.catalogue_sheets import CATALOGUE_SHEETS, read_catalogue_sheets
from ...workbooks.comparators_sheet import COMPARATORS_TABLE, comparators_from_rows
from ...workbooks.corporate.workbook import OUTPUT_SHEETS, SETTINGS_SHEET
from ...workbooks.history_sheets import HISTORY_SHEETS, histories_from_sheets
from ...workbooks.rules_sheet import RULES_SHEET
from .run import (ConsolidationSummary, consolidate_returns, settings_folder, summarise, workbook_settings,
                  write_consolidation)


def consolidate_into_book(book) -> ConsolidationSummary:
    """Run Consolidate on an xlwings ``Book`` (desktop Excel, xlwings Lite or Server) and report in Settings."""
    settings = _settings(book, ("Quarter", "Returns folder"))
    status = _Status(book)
    catalogue = read_catalogue_sheets({name: _values(book, name) for name in CATALOGUE_SHEETS
                                       if name in _sheet_names(book)}, book.name)
    history = _histories(book)
    returns_dir = settings_folder(settings["Returns folder"], Path(book.fullname))
    rules = policy_from_rows(_values(book, RULES_SHEET), f"{book.name} › {RULES_SHEET}") \
        if RULES_SHEET in _sheet_names(book) else DEFAULT_POLICY
    done = consolidate_returns(returns_dir, catalogue, settings["Quarter"], history, progress=status, policy=rules)
    done = done.model_copy(update={"comparators": _comparators(book)})
    status("Writing the report sheets", 0.9)
    with tempfile.TemporaryDirectory() as scratch:
        written = write_consolidation(Path(scratch) / "consolidated.xlsx", catalogue, done,
                                      workbook_settings(returns_dir, done.quarter, Path(book.fullname)))
        source = CalamineWorkbook.from_path(str(written))
        for name in OUTPUT_SHEETS:
            rows = source.get_sheet_by_name(name).to_python(skip_empty_area=False)
            sheet = book.sheets[name] if name in _sheet_names(book) else book.sheets.add(name)
            sheet.clear_contents()
            sheet["A1"].value = rows
    summary = summarise(done, Path(book.name), None)
    status(f"Consolidated {done.quarter} at {dt.datetime.now():%H:%M}: {summary.measures} measures, "
           f"{summary.errors} error(s), {summary.warnings} warning(s)", 1.0)
    return summary


def new_quarter_returns_from_book(book) -> list[Path]:
    """The New quarter returns button: the next quarter's returns from this workbook's Catalogue and History."""
    from ..rollover import roll_over

    settings = _settings(book, ("Next quarter", "New returns folder"))
    status = _Status(book)
    catalogue = read_catalogue_sheets({name: _values(book, name) for name in CATALOGUE_SHEETS
                                       if name in _sheet_names(book)}, book.name)
    history = _histories(book)
    rules = policy_from_rows(_values(book, RULES_SHEET), f"{book.name} › {RULES_SHEET}") \
        if RULES_SHEET in _sheet_names(book) else DEFAULT_POLICY
    written = roll_over(catalogue, history, settings["Next quarter"],
                        settings_folder(settings["New returns folder"], Path(book.fullname)), rules)
    status(f"{len(written)} returns for {settings['Next quarter']} written to {settings['New returns folder']}", 1.0)
    return written


def _histories(book) -> Histories:
    return histories_from_sheets({name: _values(book, name) for name in HISTORY_SHEETS
                                  if name in _sheet_names(book)}, book.name)


def _comparators(book) -> list[Comparator]:
    """The comparators kept on the open workbook's Comparators sheet, as the file path keeps them."""
    if COMPARATORS_TABLE.sheet not in _sheet_names(book):
        return []
    rows, problems = COMPARATORS_TABLE.read(_values(book, COMPARATORS_TABLE.sheet), book.name)
    if problems:
        raise ComparatorsError("; ".join(problems))
    return comparators_from_rows(rows)


def _sheet_names(book) -> list[str]:
    return [sheet.name for sheet in book.sheets]


def _values(book, name: str) -> list[list]:
    if name not in _sheet_names(book):
        raise ValueError(f"{book.name} has no sheet named {name}.")
    return book.sheets[name].used_range.options(ndim=2).value or []


def _settings(book, needed: tuple[str, ...]) -> dict[str, str]:
    rows = _values(book, SETTINGS_SHEET)
    settings = {str(row[0]).strip(): str(row[1] or "").strip() for row in rows[1:] if row and row[0]}
    missing = [name for name in needed if not settings.get(name)]
    if missing:
        raise ValueError(f"Fill in {' and '.join(missing)} on the {SETTINGS_SHEET} sheet of {book.name}.")
    return settings


class _Status:
    """Progress where the performance team sees it: the Status row of Settings, and Excel's status bar on
    desktop Excel (Excel on the web has none)."""

    def __init__(self, book):
        self.book = book
        rows = _values(book, SETTINGS_SHEET)
        names = [str(row[0]).strip() if row else "" for row in rows]
        self.row = names.index("Status") + 1 if "Status" in names else len(rows) + 1

    def __call__(self, message: str, done: float) -> None:
        settings = self.book.sheets[SETTINGS_SHEET]
        settings[f"A{self.row}"].value = [["Status", message]]
        if self.book.app.engine.name == "excel":
            self.book.app.status_bar = f"PMF: {message}" if done < 1 else False
