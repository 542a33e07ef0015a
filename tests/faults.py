"""What the fault tests share: a small catalogue and its returns, quick to consolidate, and ways to damage a return.

Everything large is made on the fly in the test's own folder and never committed.
"""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from pathlib import Path

from python_calamine import CalamineWorkbook

from pmf_excel.framework.catalogue import Catalogue
from pmf_excel.workbooks.history_sheets import read_history

#: PMF_DEEP=1 runs the fault tests as the issue's measurements were run: 80 trials of the concurrency test, a
#: failure at every single step of writing, 700 fuzz examples per public function.
DEEP = os.environ.get("PMF_DEEP") == "1"
ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
Q2 = "2023/24 Q2"
#: Two directorates: one return stays good, the other is damaged, so "the rest is consolidated" can be seen.
GOOD, BAD = "Housing", "Finance"
MEASURES_PART = "xl/worksheets/sheet2.xml"  # the Measures sheet of a return as pmf returns writes it
DELIVERABLES_PART = "xl/worksheets/sheet3.xml"


def small_catalogue() -> Catalogue:
    catalogue = Catalogue.model_validate_json((SAMPLES / "catalogue_2023-24.json").read_text(encoding="utf-8"))
    kept = {name: [item for item in getattr(catalogue, name) if item.directorate in (GOOD, BAD)]
            for name in ("measures", "actions", "improvement_plan", "risks")}
    refs = {item.ref for items in kept.values() for item in items}
    return catalogue.model_copy(update={**kept, "evidence": [item for item in catalogue.evidence if item.ref in refs],
                                        "benchmark_map": {metric: ref for metric, ref in catalogue.benchmark_map.items()
                                                          if ref in refs}})


def sample_return(directorate: str, quarter: str = Q2) -> Path:
    folder = quarter.replace("/", "-")
    return SAMPLES / "returns" / folder / f"{directorate} {folder}.xlsx"


def returns_folder(folder: Path) -> Path:
    """A returns folder holding the good and the bad directorate's returns, as the council filled them."""
    folder.mkdir(parents=True, exist_ok=True)
    for directorate in (GOOD, BAD):
        shutil.copy(sample_return(directorate), folder / sample_return(directorate).name)
    return folder


def rewrite(path: Path, change, compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """Rewrite a workbook's parts through ``change(name, data) -> data`` (None drops the part)."""
    rewritten = path.with_name(path.name + ".rewritten")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(rewritten, "w", compression) as target:
        for item in source.infolist():
            data = change(item.filename, source.read(item.filename))
            if data is not None:
                target.writestr(item.filename, data)
    rewritten.replace(path)
    return path


def in_measures(change):
    """A ``rewrite`` change that alters only the Measures sheet's XML."""
    return lambda name, data: change(data) if name == MEASURES_PART else data


def set_cell(xml: bytes, address: str, cell: bytes) -> bytes:
    """The sheet XML with one existing cell replaced by ``cell`` (raw XML)."""
    replaced, count = re.subn(rb'<c r="' + address.encode() + rb'"[^>]*?(?:/>|>.*?</c>)', cell, xml, flags=re.S)
    assert count == 1, address
    return replaced


def add_rows(xml: bytes, rows: bytes) -> bytes:
    return xml.replace(b"</sheetData>", rows + b"</sheetData>")


def sheet(workbook: Path, name: str) -> list[list]:
    return CalamineWorkbook.from_path(str(workbook)).get_sheet_by_name(name).to_python(skip_empty_area=False)


def quality(workbook: Path) -> list[dict]:
    rows = sheet(workbook, "Data quality")
    return [dict(zip(rows[2], row)) for row in rows[3:] if any(row)]


def quarters_in_history(workbook: Path) -> set[str]:
    return {row.quarter for row in read_history(workbook).measures}
