"""Shared test helpers: LibreOffice as the real spreadsheet application that opens what we generate."""

import os
import shutil
import subprocess
from pathlib import Path

import formulas
import numpy as np
import openpyxl
import pytest

# The Excel functions are called through xlwings' own server protocol, exactly as Excel on the web and
# xlwings Lite call them. xlwings reads these when it is first imported, so they are set before any test
# module imports it; they belong to the tests only, never to the package.
os.environ["XLWINGS_ON_SERVER"] = "true"
os.environ["XLWINGS_LICENSE_KEY"] = "noncommercial"


def soffice() -> str:
    """The LibreOffice binary; on CI its absence is a failure, elsewhere a skip with the reason."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("LibreOffice (soffice) is not installed: .ci/run should have installed libreoffice-calc-nogui")
    pytest.skip("LibreOffice (soffice) is not installed")


def libreoffice_convert(paths: list[Path], out: Path, to: str, profile: Path) -> list[Path]:
    """Open each file in LibreOffice headless and save it as ``to`` (``xlsx`` recalculates, ``pdf`` renders).

    A file LibreOffice cannot open produces no output, which the caller sees
    as a missing file: the test then fails naming it.
    """
    out.mkdir(parents=True, exist_ok=True)
    target = {"xlsx": "xlsx:Calc MS Excel 2007 XML", "pdf": "pdf"}[to]
    subprocess.run([soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", target,
                    "--outdir", str(out), *map(str, paths)], capture_output=True, timeout=300, check=False)
    return [out / f"{path.stem}.{to}" for path in paths]


@pytest.fixture(scope="session")
def lo_profile(tmp_path_factory) -> Path:
    """A LibreOffice user profile of the tests' own, so runs never share or lock the user's."""
    return tmp_path_factory.mktemp("lo-profile")


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


def evaluate_pmf_cells(path: Path, sheet: str) -> int:
    """Recalculate a workbook with the ``formulas`` package and the PMF functions registered, and check that
    every ``=PMF_`` cell of ``sheet`` computes to the value cached in the file. Returns how many were checked."""
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
        if not str(source.get(address) or "").startswith("=PMF_") or source[address] == cached.get(address):
            continue  # not a function cell (a heading reads "=PMF_RAG" as text)
        computed = np.asarray(value.value if hasattr(value, "value") else value, dtype=object).ravel()[0]
        expected = cached.get(address)
        if expected == "#VALUE!":
            assert str(computed) == "#VALUE!", address
        elif isinstance(expected, float):
            assert computed == pytest.approx(expected), address
        else:
            blank = ("", None)  # a blank result is cached as an empty string, which openpyxl reads as None
            assert computed == expected or (computed in blank and expected in blank), (address, source[address])
        checked += 1
    return checked


def pdf_text(pdf: Path, page: int | None = None) -> str:
    """The text of a PDF (or of one page), as pdftotext lays it out; on CI a missing pdftotext is a failure."""
    found = shutil.which("pdftotext")
    if not found:
        if os.environ.get("CI"):
            pytest.fail("pdftotext is not installed: .ci/run should have installed poppler-utils")
        pytest.skip("pdftotext is not installed")
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run([found, "-layout", *pages, str(pdf), "-"], capture_output=True, text=True, check=True,
                          timeout=120).stdout


def pdf_pages(pdf: Path) -> list[str]:
    """Each page's text: pdftotext separates pages with a form feed."""
    return pdf_text(pdf).split("\f")[:-1]


ROOT = Path(__file__).resolve().parent.parent
SAMPLE_WORKBOOK = ROOT / "samples" / "Corporate monitoring 2023-24.xlsx"  # consolidated to 2023/24 Q3
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
def published(tmp_path_factory, q2_workbook) -> dict[str, Path]:
    """The site published from the sample workbook (2023/24 Q3: every action state) and from 2023/24 Q2."""
    from pmf_excel.pipelines.publish import publish

    out = tmp_path_factory.mktemp("published")
    publish(SAMPLE_WORKBOOK, "2023/24 Q3", out / "Q3")
    publish(q2_workbook, "2023/24 Q2", out / "Q2")
    return {"2023/24 Q3": out / "Q3", "2023/24 Q2": out / "Q2"}
