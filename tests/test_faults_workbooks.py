"""A stray cell far away in a workbook a command reads (the corporate workbook, a catalogue, a council's own
tracker) is a message naming the workbook, the sheet and the cell; never python-calamine aborting the process.

Returns have limits of their own (tests/test_faults_returns.py); these are the other workbooks, whose sheets may
legitimately be long (History grows every quarter) and are measured in cells (last row × last column).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pmf_excel.cli import main
from pmf_excel.workbooks.catalogue_sheets import load_catalogue
from pmf_excel.workbooks.council_tables import read_council_table
from pmf_excel.workbooks.corporate.report_reader import read_report
from pmf_excel.workbooks.sheet_extent import CELLS, SheetTooLarge, beyond, check_sheet, sheet_part
from tests.faults import Q2, ROOT, add_rows, returns_folder, rewrite, small_catalogue

FAR = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
TRACKER = ROOT / "samples" / "second_council" / "kestrel_vale_tracker_2024-25.xlsx"
MEMORY_LIMIT = 2 * 1024**3


def typed_far_away(workbook: Path, sheet: str, row: bytes = FAR) -> Path:
    """The workbook with a value typed in the last cell of ``sheet``."""
    with zipfile.ZipFile(workbook) as archive:
        names = set(archive.namelist())
        part = sheet_part({name: archive.read(name) for name in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")},
                          names, sheet)
    assert part, sheet
    return rewrite(workbook, lambda name, data: add_rows(data, row) if name == part else data)


@pytest.fixture()
def corporate(tmp_path, q2_workbook) -> Path:
    workbook = tmp_path / "Corporate.xlsx"
    shutil.copy(q2_workbook, workbook)
    return workbook


def _limited_memory():
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the address-space limit is Linux's")
def test_a_stray_cell_in_the_corporate_workbooks_history_stops_consolidate_with_a_message_not_an_abort(corporate,
                                                                                                      tmp_path):
    typed_far_away(corporate, "History")
    before = corporate.read_bytes()
    catalogue = tmp_path / "catalogue.json"
    catalogue.write_text(small_catalogue().model_dump_json(), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pmf_excel", "consolidate", str(returns_folder(tmp_path / "returns")),
                           "--workbook", str(corporate), "--quarter", Q2, "--catalogue", str(catalogue)],
                          capture_output=True, text=True, timeout=300, preexec_fn=_limited_memory, cwd=ROOT,
                          env={**os.environ})
    assert done.returncode == 3, done.stderr
    assert done.stderr.startswith("pmf: Corporate.xlsx › History: not read, as the sheet has a cell as far as "
                                  "XFD1048576") and "Nothing was changed." in done.stderr
    assert corporate.read_bytes() == before


def test_every_command_reading_the_workbook_names_the_sheet_and_cell(corporate, tmp_path, capsys):
    typed_far_away(corporate, "History")
    assert main(["export-history", str(corporate), "--out", str(tmp_path / "out")]) == 2
    assert "Corporate.xlsx › History: not read, as the sheet has a cell as far as XFD1048576" in \
        capsys.readouterr().err
    typed_far_away(corporate, "Indicators by outcome")
    with pytest.raises(Exception, match="Indicators by outcome: not read, as the sheet has a cell as far as "
                                        "XFD1048576"):
        read_report(corporate)


def test_a_catalogue_and_a_councils_tracker_with_a_stray_cell_are_refused_by_name(corporate, tmp_path):
    typed_far_away(corporate, "Catalogue")
    with pytest.raises(SheetTooLarge, match="Corporate.xlsx › Catalogue: not read, as the sheet has a cell as far "
                                            "as XFD1048576"):
        load_catalogue(corporate)
    tracker = shutil.copy(TRACKER, tmp_path / TRACKER.name)
    with zipfile.ZipFile(tracker) as archive:
        first = next(name for name in archive.namelist() if name.startswith("xl/worksheets/sheet"))
    rewrite(tracker, lambda name, data: add_rows(data, FAR) if name == first else data)
    with pytest.raises(SheetTooLarge, match="kestrel_vale_tracker_2024-25.xlsx › .*: not read"):
        read_council_table(tracker, ["Ref"])


def test_every_sheet_of_the_sample_workbooks_is_read_as_it_was(q2_workbook):
    """No false alarm: each sheet the council's workbooks hold is within the cells a sheet may span."""
    from python_calamine import CalamineWorkbook

    for workbook in (q2_workbook, ROOT / "samples" / "Corporate monitoring 2023-24.xlsx", TRACKER):
        for name in CalamineWorkbook.from_path(str(workbook)).sheet_names:
            check_sheet(workbook, name)


def test_a_sheet_is_measured_by_the_box_its_cells_span():
    """Within the rows and the columns each, the last row × the last column is what python-calamine lays out."""
    wide_and_long = b'<sheetData><row r="1"><c r="ALL1"><v>1</v></c></row>' \
                    b'<row r="20000"><c r="A20000"><v>1</v></c></row></sheetData>'
    assert beyond(wide_and_long, 1_048_576, 16_384, cells=CELLS) == "it has a cell as far as A20000"
    assert beyond(wide_and_long, 1_048_576, 16_384, cells=1000 * 20_000) is None
    # rows without their addresses (another program's file): counted as Excel counts them, the same box
    unaddressed = b'<sheetData><row><c r="ALL1"><v>1</v></c></row>' + b"<row/>" * 19_998 + \
                  b'<row><c><v>1</v></c></row></sheetData>'
    assert beyond(unaddressed, 1_048_576, 16_384, cells=CELLS) == "it has a cell as far as A20000"
    declared = b'<worksheet><dimension ref="A1:XFD1048576"/><sheetData/></worksheet>'
    assert beyond(declared, 1_048_576, 16_384, cells=CELLS) == "it declares cells as far as XFD1048576"
    assert beyond(declared, 1_048_576, 16_384) is None  # only the cells limit is past


def test_a_file_that_is_not_a_zip_of_sheets_is_left_to_its_reader(tmp_path):
    csv = tmp_path / "table.xls"
    csv.write_bytes(b"\xd0\xcf\x11\xe0 not a zip")
    check_sheet(csv, "Sheet1")
    ods = tmp_path / "table.ods"
    with zipfile.ZipFile(ods, "w") as archive:
        archive.writestr("content.xml", "<office:document-content/>")
    check_sheet(ods, "Sheet1")
