"""Opening generated files as Excel does: LibreOffice made to recalculate every formula on load, then read back.

Excel recalculates a workbook when it opens it (xlsxwriter's files say
``fullCalcOnLoad`` and carry an old ``calcId``), so cached values protect
nothing: a function that is not installed shows ``#NAME?``. LibreOffice, by
default, keeps the cached values of Excel files, which hides that. Every
LibreOffice the tests start uses a profile of its own that says "recalculate
on load: always", for Excel files and ODF alike; converting to ``xlsx``
saves what it recalculated, converting to ``pdf`` renders it. Many files go
through one LibreOffice start.

Read back, a workbook's error cells are found with openpyxl (python-calamine
reads an error as an empty string), its values with python-calamine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import warnings
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

#: LibreOffice's settings for "Recalculation on file load: Always", for Excel 2007+ files and for ODF.
RECALCULATE_ON_LOAD = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">\
<value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse">\
<value>0</value></prop></item>
</oor:items>
"""
FILTERS = {"xlsx": "xlsx:Calc MS Excel 2007 XML", "pdf": "pdf"}


def soffice() -> str:
    """The LibreOffice binary; on CI its absence is a failure, elsewhere a skip with the reason."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("LibreOffice (soffice) is not installed: .ci/run should have installed libreoffice-calc-nogui")
    pytest.skip("LibreOffice (soffice) is not installed")


def recalculating_profile(folder: Path) -> Path:
    """A LibreOffice user profile in ``folder`` that recalculates every file it opens, as Excel does."""
    user = folder / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(RECALCULATE_ON_LOAD, encoding="utf-8")
    return folder


def open_as_excel(paths: list[Path], out: Path, profile: Path, to: str = "xlsx") -> dict[Path, Path]:
    """Each file opened by LibreOffice with recalculation forced and saved as ``to`` under its own name, all in
    one LibreOffice start (one more for each further file of a name already taken, in a folder of its own).

    Returns each input's output; a file LibreOffice could not open has none,
    which the caller sees as a missing key.
    """
    rounds: list[dict[str, Path]] = []
    for path in paths:
        free = next((names for names in rounds if path.stem not in names), None)
        if free is None:
            rounds.append(free := {})
        free[path.stem] = path
    converted = {}
    for number, names in enumerate(rounds):
        folder = out if number == 0 else out / f"same names {number}"
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run([soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
                        FILTERS[to], "--outdir", str(folder), *map(str, names.values())],
                       capture_output=True, timeout=900, check=False)
        converted |= {path: folder / f"{path.stem}.{to}" for path in names.values()}
    return {path: result for path, result in converted.items() if result.exists()}


def libreoffice_convert(paths: list[Path], out: Path, to: str, profile: Path) -> list[Path]:
    """:func:`open_as_excel` as a list in the order given; a file LibreOffice cannot open is a path that does
    not exist."""
    converted = open_as_excel(paths, out, profile, to)
    return [converted.get(path, out / f"{path.stem}.{to}") for path in paths]


@dataclass(frozen=True)
class ErrorCell:
    """A cell showing an error value after recalculation, with the formula that gave it."""

    sheet: str
    cell: str
    value: str
    formula: str

    def __str__(self) -> str:
        return f"{self.sheet}!{self.cell} = {self.value} ({self.formula})"


@dataclass(frozen=True)
class ReadBack:
    """A workbook's cells by (sheet, cell): its formulas, each cell's value as the file holds it (a formula's
    cached result), and the cells holding an error value (``#NAME?``, ``#N/A``, LibreOffice's ``Err:502``...)."""

    formulas: dict[tuple[str, str], str]
    values: dict[tuple[str, str], object]
    errors: dict[tuple[str, str], str]

    def error_cells(self, original: "ReadBack") -> list[ErrorCell]:
        """This (recalculated) workbook's error cells, each with its formula in ``original``."""
        return [ErrorCell(sheet, cell, value, original.formulas.get((sheet, cell), ""))
                for (sheet, cell), value in self.errors.items()]


def read_back(path: Path, formulas: bool = True) -> ReadBack:
    """A workbook read with openpyxl, which (unlike python-calamine) sees error values; its formulas are read
    only when ``formulas`` says so."""
    found: dict[str, dict] = {"formulas": {}, "values": {}, "errors": {}}
    for data_only in (True, False) if formulas else (True,):
        with warnings.catch_warnings():  # openpyxl drops the sparklines it cannot read, which we never save
            warnings.simplefilter("ignore", UserWarning)
            book = openpyxl.load_workbook(path, data_only=data_only, read_only=True)
        try:
            for sheet in book.worksheets:
                for row in sheet.iter_rows():
                    for cell in row:
                        if getattr(cell, "coordinate", None) is None or cell.value is None:
                            continue
                        where = (sheet.title, cell.coordinate)
                        if not data_only:
                            if isinstance(cell.value, str) and cell.value.startswith("="):
                                found["formulas"][where] = cell.value
                            continue
                        found["values"][where] = cell.value
                        if cell.data_type == "e" or (isinstance(cell.value, str) and cell.value.startswith("Err:")):
                            found["errors"][where] = str(cell.value)
        finally:
            book.close()
    return ReadBack(**found)


def same_value(written: object, recalculated: object) -> bool:
    """Whether a formula's recalculated value is the one written with it: numbers to rounding, blanks alike."""
    if written in ("", None) and recalculated in ("", None):
        return True
    if isinstance(written, (int, float)) and isinstance(recalculated, (int, float)) \
            and not isinstance(written, bool) and not isinstance(recalculated, bool):
        return abs(written - recalculated) <= 1e-9 * max(1.0, abs(written))
    return written == recalculated


def sheets(path: Path) -> dict[str, list[list]]:
    """Every sheet's values, as python-calamine reads them (an error value reads as an empty string)."""
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in book.sheet_names}


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
