"""Shared test helpers and fixtures; LibreOffice, which opens what we generate as Excel does, is driven by
:mod:`tests.excel_reality`."""

import datetime as dt
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import formulas
import numpy as np
import openpyxl
import pytest

from pmf_excel.rules.policy import DEFAULT_POLICY, Policy
from tests.excel_reality import recalculating_profile

ROOT = Path(__file__).resolve().parent.parent

# The Excel functions are called through xlwings' own server protocol, exactly as Excel on the web and
# xlwings Lite call them. xlwings reads these when it is first imported, so they are set before any test
# module imports it; they belong to the tests only, never to the package.
os.environ["XLWINGS_ON_SERVER"] = "true"
os.environ["XLWINGS_LICENSE_KEY"] = "noncommercial"


@pytest.fixture(scope="session", autouse=True)
def _own_cache(tmp_path_factory):
    """The buttons' VBA projects the tests build are kept in a cache folder of the tests' own, never the user's
    (the commands the tests run in other processes inherit it)."""
    patch = pytest.MonkeyPatch()
    patch.setenv("PMF_EXCEL_CACHE", str(tmp_path_factory.mktemp("cache")))
    yield
    patch.undo()


@pytest.fixture(scope="session")
def lo_profile(tmp_path_factory) -> Path:
    """A LibreOffice user profile of the tests' own, so runs never share or lock the user's; it recalculates every
    file on load, as Excel does."""
    return recalculating_profile(tmp_path_factory.mktemp("lo-profile"))


def workbook_content(path: Path, ignore: frozenset[tuple[str, str]] = frozenset()) -> dict:
    """What a generated workbook means, not its bytes: cells, formulas, number formats, validations, protection.

    ``ignore`` names (sheet, cell) pairs that legitimately differ between two
    builds, such as the time a workbook was consolidated.
    """
    book = openpyxl.load_workbook(path)
    content = {}
    for sheet in book.worksheets:
        content[sheet.title] = {
            "cells": {c.coordinate: (c.value, c.number_format, c.protection.locked)
                      for row in sheet.iter_rows() for c in row
                      if c.value is not None and (sheet.title, c.coordinate) not in ignore},
            "validations": sorted((str(v.sqref), v.type, v.prompt) for v in sheet.data_validations.dataValidation),
            "protected": sheet.protection.sheet,
            "hidden": sorted(k for k, d in sheet.column_dimensions.items() if d.hidden),
        }
    return content


def _excel_values(argument):
    """A formulas-package argument (a range or a constant) as the rows of cells Excel would pass."""
    value = getattr(argument, "value", argument)
    array = np.asarray(value, dtype=object)
    if array.ndim == 0:
        array = array.reshape(1, 1)
    return [[None if _is_empty(cell) else (cell.item() if hasattr(cell, "item") else cell) for cell in row]
            for row in array.tolist()]


def _is_empty(cell) -> bool:
    return cell is None or str(cell) in ("", "empty") or type(cell).__name__ == "XlError" and str(cell) == "#EMPTY"


def _registered(udf):
    def evaluate(*arguments):
        result = udf(*[_excel_values(a) for a in arguments])[0][0]
        return formulas.functions.Error.errors["#VALUE!"] if result == "#VALUE!" else result
    return evaluate


def evaluate_pmf_cells(path: Path, sheet: str, formulas_starting: str = "=PMF_") -> int:
    """Recalculate a workbook with the ``formulas`` package and the PMF functions registered, and check that
    every formula cell of ``sheet`` starting ``formulas_starting`` (the ``=PMF_`` cells, by default) computes to
    the value cached in the file. Returns how many were checked."""
    import udfs.pmf_functions as functions

    registry = formulas.get_functions()
    for name in ("pmf_rag", "pmf_dot", "pmf_breach", "pmf_status", "pmf_value", "pmf_explain"):
        registry[name.upper()] = _registered(getattr(functions, name))
    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    source = {c.coordinate: c.value for row in openpyxl.load_workbook(path)[sheet].iter_rows() for c in row}
    cached = {c.coordinate: c.value
              for row in openpyxl.load_workbook(path, data_only=True)[sheet].iter_rows() for c in row}
    checked = 0
    for key, value in solution.items():
        if f"]{sheet.upper()}'!" not in key.upper():
            continue
        address = key.split("!")[-1]
        if not str(source.get(address) or "").startswith(formulas_starting) or source[address] == cached.get(address):
            continue  # not a function cell (a heading reads "=PMF_RAG" as text)
        computed = np.asarray(value.value if hasattr(value, "value") else value, dtype=object).ravel()[0]
        expected = cached.get(address)
        if isinstance(expected, dt.timedelta):  # openpyxl reads a time-formatted number as a duration
            expected = expected.total_seconds() / 86_400
        if expected == "#VALUE!":
            assert str(computed) == "#VALUE!", address
        elif isinstance(expected, float):
            assert computed == pytest.approx(expected), address
        else:
            blank = ("", None)  # a blank result is cached as an empty string, which openpyxl reads as None
            assert computed == expected or (computed in blank and expected in blank), (address, source[address])
        checked += 1
    return checked


@dataclass
class Generated:
    """Every kind of workbook the package writes, each as a file: what tests/test_excel_reality.py opens."""

    #: Corporate workbooks (.xlsx and .xlsm, consolidated or a template), their kept previous versions among them.
    reports: list[Path] = field(default_factory=list)
    #: Folders of directorate returns, each with its quarter and the policy it was written and is judged under.
    returns: dict[Path, tuple[str, Policy]] = field(default_factory=dict)
    #: The functions' examples, whose =PMF_ cells need the add-in by design.
    examples: list[Path] = field(default_factory=list)

    @property
    def files(self) -> list[Path]:
        return [*self.reports, *(path for folder in self.returns for path in sorted(folder.glob("*.xlsx"))),
                *self.examples]


@pytest.fixture(scope="session")
def generated_workbooks(tmp_path_factory) -> Generated:
    """The committed samples and templates (which tests elsewhere show are what ``pmf samples`` and ``pmf
    templates`` build), and what else the commands write: a consolidation into an ``.xlsm`` run twice (so its
    previous version is kept), returns and reports under each built-in policy, and next quarter's returns."""
    from pmf_excel.framework.benchmarks import import_comparators
    from pmf_excel.pipelines.consolidate import consolidate
    from pmf_excel.pipelines.rollover import roll_over
    from pmf_excel.rules.policy import builtin_policies
    from pmf_excel.samples.build import COMPARATORS, INDICATOR_REPORT, Q2, Q3
    from pmf_excel.samples.seed_reports import read_indicator_report
    from pmf_excel.workbooks.catalogue_sheets import load_catalogue
    from pmf_excel.workbooks.directorate_return import write_returns
    from pmf_excel.workbooks.files import PREVIOUS_FOLDER
    from pmf_excel.workbooks.history_sheets import read_history

    root, samples = tmp_path_factory.mktemp("generated"), ROOT / "samples"
    catalogue = load_catalogue(samples / "catalogue_2023-24.json")
    templates = ROOT / "workbook_templates"
    found = Generated(reports=[*sorted(samples.glob("*.xlsx")), templates / "Corporate monitoring.xlsm"],
                      examples=[templates / "pmf_functions_examples.xlsx"])
    found.returns = {samples / "returns" / "2023-24 Q2": (Q2, DEFAULT_POLICY),
                     samples / "returns" / "2023-24 Q3": (Q3, DEFAULT_POLICY)}
    template_return = root / "template return"
    template_return.mkdir()
    shutil.copy(templates / "Housing 2023-24 Q2.xlsx", template_return)
    found.returns[template_return] = (Q2, DEFAULT_POLICY)
    button = root / "Corporate monitoring.xlsm"
    for _ in range(2):
        consolidate(samples / "returns" / "2023-24 Q2", button, catalogue, Q2,
                    comparators=import_comparators(COMPARATORS, catalogue.benchmark_map, "Sandwell"))
    found.reports += [button, *sorted((root / PREVIOUS_FOLDER).glob("*.xlsm"))]
    published = {row.ref: row for row in read_indicator_report(INDICATOR_REPORT)}
    for name, policy in builtin_policies().items():
        if policy == DEFAULT_POLICY:
            continue
        folder = root / f"returns under {name}"
        write_returns(catalogue, Q2, folder, figures=published, filled=True, policy=policy)
        found.returns[folder] = (Q2, policy)
        consolidate(folder, root / f"Corporate under {name}.xlsx", catalogue, Q2, policy=policy)
        found.reports.append(root / f"Corporate under {name}.xlsx")
    rolled = root / "returns rolled over"
    roll_over(catalogue, read_history(samples / "Corporate monitoring 2023-24.xlsx"), "2023/24 Q4", rolled)
    found.returns[rolled] = ("2023/24 Q4", DEFAULT_POLICY)
    return found


@pytest.fixture(scope="session")
def opened_as_excel(generated_workbooks, lo_profile, tmp_path_factory) -> dict[Path, Path]:
    """Every generated workbook as LibreOffice saves it after recalculating it on load, as Excel would."""
    from tests.excel_reality import open_as_excel

    return open_as_excel(generated_workbooks.files, tmp_path_factory.mktemp("opened as excel"), lo_profile)


#: Q2's indicators and, in their own quarter, Q3's deliverables; History holds both quarters.
SAMPLE_WORKBOOK = ROOT / "samples" / "Corporate monitoring 2023-24.xlsx"
#: axe-core as .ci/run installs it (npm ci --prefix tests/browser), at the version package-lock.json pins.
AXE = Path(__file__).resolve().parent / "browser" / "node_modules" / "axe-core" / "axe.min.js"
#: Chromium's flags for a machine whose only network is the package registries: nothing starts in the background.
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def needed(what: str, how: str):
    """On CI a missing tool is a failure (.ci/run installs it); elsewhere a skip that says how to get it."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing: .ci/run should have installed it ({how})")
    pytest.skip(f"{what} is missing ({how})")


@pytest.fixture(scope="session")
def q2_workbook(tmp_path_factory) -> Path:
    """The sample returns of 2023/24 Q2 (the council's published indicators) consolidated: every RAG state."""
    from pmf_excel.pipelines.consolidate import consolidate
    from pmf_excel.samples.build import sample_catalogue

    folder = tmp_path_factory.mktemp("q2")
    shutil.copytree(ROOT / "samples" / "returns" / "2023-24 Q2", folder / "returns")
    consolidate(folder / "returns", folder / "Corporate.xlsx", sample_catalogue(), "2023/24 Q2")
    return folder / "Corporate.xlsx"


@pytest.fixture(scope="session")
def q3_workbook(tmp_path_factory) -> Path:
    """The sample returns of 2023/24 Q2 then Q3 consolidated in turn, as a council would: History holds both, and
    the workbook shows Q3 (the council's Q3 action statuses, every action state; no Q3 indicator figures)."""
    from pmf_excel.framework.benchmarks import import_comparators
    from pmf_excel.pipelines.consolidate import consolidate
    from pmf_excel.samples.build import COMPARATORS, sample_catalogue

    folder, catalogue = tmp_path_factory.mktemp("q3"), sample_catalogue()
    for quarter in ("2023-24 Q2", "2023-24 Q3"):
        shutil.copytree(ROOT / "samples" / "returns" / quarter, folder / quarter)
    consolidate(folder / "2023-24 Q2", folder / "Corporate.xlsx", catalogue, "2023/24 Q2",
                comparators=import_comparators(COMPARATORS, catalogue.benchmark_map, "Sandwell"))
    consolidate(folder / "2023-24 Q3", folder / "Corporate.xlsx", catalogue, "2023/24 Q3")
    return folder / "Corporate.xlsx"


@pytest.fixture(scope="session")
def published(tmp_path_factory, q2_workbook, q3_workbook) -> dict[str, Path]:
    """The site published from a workbook consolidated to 2023/24 Q3 (every action state) and from 2023/24 Q2."""
    from pmf_excel.pipelines.publish import publish

    out = tmp_path_factory.mktemp("published")
    publish(q3_workbook, "2023/24 Q3", out / "Q3")
    publish(q2_workbook, "2023/24 Q2", out / "Q2")
    return {"2023/24 Q3": out / "Q3", "2023/24 Q2": out / "Q2"}
