"""Build the reference workbooks tests/test_same_outputs.py compares with, from the code of a checkout.

Run it at the commit before a change that must not change what is written
(an optimisation), with that commit's code on the path:

    git worktree add /tmp/before <commit>
    PYTHONPATH=/tmp/before python tests/reference/make_reference.py

and run it with the code as it is after a change meant to change what is written (a fix), so that the
references hold the intended output: the damaged return's Improvement Plan status ``="On & track"``, a formula
saved without its result, was read as On Track until such formulas were refused.

It writes the council's nine Q2 returns as the samples are filled (published
figures and commentary, the Improvement Plan's and the register's updates),
damages one of them where the reader must look past python-calamine (error
values and formulas saved without a result, on every sheet read), and
consolidates them with the comparators imported into a workbook (.xlsx) and
a button workbook (.xlsm). The returns are both a reference (the return
writer's output) and the fixed input of the consolidations.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import zipfile
from pathlib import Path

from pmf_excel.framework.benchmarks import import_comparators
from pmf_excel.framework.catalogue import Catalogue
from pmf_excel.pipelines.consolidate import consolidate
from pmf_excel.samples.build import sample_notes, sample_plan, sample_register
from pmf_excel.samples.catalogue_from_report import published_figures
from pmf_excel.samples.sources import COMPARATORS, INDICATOR_REPORT
from pmf_excel.workbooks.directorate_return import write_returns
from pmf_excel.workbooks.files import document_time

HERE = Path(__file__).resolve().parent
QUARTER = "2023/24 Q2"
CATALOGUE = "catalogue.json"
RETURNS = "returns"
WORKBOOKS = ("Corporate.xlsx", "Corporate.xlsm")
DAMAGED = "Assistant Chief Executive 2023-24 Q2.xlsx"
#: The damaged return's cells, by sheet part: error values (python-calamine reads them as blank) and formulas
#: saved without their result (as a tool other than Excel saves them).
DAMAGE = {
    "xl/worksheets/sheet2.xml": {"K5": b'<c r="K5" t="e"><v>#DIV/0!</v></c>',
                                 "K6": b'<c r="K6"><f>1/0</f></c>'},
    "xl/worksheets/sheet3.xml": {"F5": b'<c r="F5" t="e"><v>#N/A</v></c>'},
    "xl/worksheets/sheet4.xml": {"H5": b'<c r="H5"><f>"On &amp; track"</f></c>'},
    "xl/worksheets/sheet5.xml": {"G5": b'<c r="G5" t="e"><v>#REF!</v></c>'},
}


def write_inputs(catalogue: Catalogue, folder: Path) -> list[Path]:
    """The nine returns as the samples' Q2 returns are filled, written by the code on the path."""
    return write_returns(catalogue, QUARTER, folder, filled=True,
                         figures=published_figures(INDICATOR_REPORT, sample_notes()),
                         plan={update.ref: update for update in sample_plan().returns[QUARTER]},
                         risks={update.ref: update for update in sample_register().returns[QUARTER]})


def damage(path: Path) -> None:
    rewritten = path.with_name(path.name + ".damaged")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            for address, cell in DAMAGE.get(item.filename, {}).items():
                data, count = re.subn(rb'<c r="' + address.encode() + rb'"[^>]*?(?:/>|>.*?</c>)', cell, data,
                                      flags=re.S)
                assert count == 1, (item.filename, address)
            target.writestr(item, data)
    rewritten.replace(path)


def consolidated(catalogue: Catalogue) -> None:
    """Each reference workbook consolidated, in the working folder, from the returns in its ``returns`` folder
    (the paths relative, so that the workbooks' Settings record the same folder wherever they are made)."""
    comparators = import_comparators(COMPARATORS, catalogue.benchmark_map, "Sandwell")
    for name in WORKBOOKS:
        consolidate(Path(RETURNS), Path(name), catalogue, QUARTER, comparators=comparators,
                    made=document_time(QUARTER))
    shutil.rmtree("previous versions", ignore_errors=True)


def main() -> None:
    os.environ.pop("SOURCE_DATE_EPOCH", None)  # the files record the quarter's own date, as the test expects
    catalogue = Catalogue.model_validate_json((HERE.parent.parent / "samples" / "catalogue_2023-24.json")
                                              .read_text(encoding="utf-8"))
    (HERE / CATALOGUE).write_text(catalogue.model_dump_json(), encoding="utf-8")
    shutil.rmtree(HERE / RETURNS, ignore_errors=True)
    write_inputs(catalogue, HERE / RETURNS)
    damage(HERE / RETURNS / DAMAGED)
    for name in WORKBOOKS:
        (HERE / name).unlink(missing_ok=True)
    os.chdir(HERE)
    consolidated(catalogue)
    print(f"reference written to {HERE} by the code in {Path(sys.modules['pmf_excel'].__file__).parent}")


if __name__ == "__main__":
    main()
