"""Shared test helpers: LibreOffice as the real spreadsheet application that opens what we generate."""

import os
import shutil
import subprocess
from pathlib import Path

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
