"""Nothing a return holds can abort a consolidation: each adversarial file is one Data quality row, the rest is
consolidated and History holds the quarter.

The cases are the ones a folder of returns really meets (a value typed in
the last cell of a sheet, a zip bomb, a workbook saved in another format, an
encrypted one, error values, numbers no spreadsheet holds, text that a
spreadsheet would run), each made on the fly from a return the council filled.
The worst are also run through ``pmf consolidate`` under a memory limit, as a
co-ordinator's machine would run them.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pmf_excel.pipelines.consolidate import consolidate
from pmf_excel.pipelines.exports import export_history
from pmf_excel.workbooks.corporate import data_quality
from tests.faults import (BAD, DELIVERABLES_PART, GOOD, MEASURES_PART, Q2, ROOT, add_rows, in_measures, quality,
                          quarters_in_history, returns_folder, rewrite, sample_return, set_cell, sheet, small_catalogue)

BAD_RETURN = sample_return(BAD).name


def _far_cell(path: Path) -> None:
    rewrite(path, in_measures(lambda xml: add_rows(xml, b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')))


def _declared_extent(path: Path) -> None:
    rewrite(path, in_measures(lambda xml: xml.replace(b'<dimension ref="A1:Y15"/>',
                                                      b'<dimension ref="A1:XFD1048576"/>')))


def _row_past_the_limit(path: Path) -> None:
    rewrite(path, in_measures(lambda xml: add_rows(xml, b'<row r="20001"><c r="A20001" t="str"><v>x</v></c></row>')))


def _column_past_the_limit(path: Path) -> None:
    rewrite(path, in_measures(lambda xml: add_rows(xml, b'<row r="16"><c r="GS16"><v>1</v></c></row>')))


def _rows_without_addresses(path: Path) -> None:
    rewrite(path, in_measures(lambda xml: add_rows(xml, b"<row/>" * 20_000 + b"<row><c><v>1</v></c></row>")))


def _zip_bomb(path: Path) -> None:
    """150 MB of sheet XML (a comment of spaces) packed into a few hundred KB."""
    rewrite(path, in_measures(lambda xml: add_rows(xml, b"<!--" + b" " * 150_000_000 + b"-->")))
    assert path.stat().st_size < 1_000_000


def _understated_bomb(path: Path) -> None:
    """A part that declares 1 KB and unpacks to 150 MB: the sizes in both of the archive's headers are lowered."""
    _zip_bomb(path)
    data = bytearray(path.read_bytes())
    name = MEASURES_PART.encode()
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            if data[start + name_at:start + name_at + len(name)] == name:
                struct.pack_into("<I", data, start + size_at, 1000)
            start += 4
    path.write_bytes(bytes(data))


def _many_parts(path: Path) -> None:
    with zipfile.ZipFile(path, "a") as archive:
        for number in range(10_001):
            archive.writestr(f"customXml/item{number}.xml", b"<a/>")


def _encrypted(path: Path) -> None:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)  # how Excel saves a password-protected file


def _damaged(path: Path) -> None:
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x03\x04", data.find(MEASURES_PART.encode()) - 40)
    data[at + 200:at + 240] = b"\xff" * 40  # bytes of the Measures sheet's compressed data overwritten
    path.write_bytes(bytes(data))


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _cells(part: str = MEASURES_PART, **cells: bytes):
    def damage(path: Path) -> None:
        def change(name: str, xml: bytes) -> bytes:
            for address, cell in cells.items() if name == part else ():
                xml = set_cell(xml, address, cell)
            return xml
        rewrite(path, change)
    return damage


#: Each case: how the return is damaged, and the Data quality row it must give (sheet, cell, message, severity).
CASES = {
    "a value typed in Measures!XFD1048576": (_far_cell, "Measures", "", "has a cell as far as XFD1048576", "Error"),
    "a sheet declaring cells to XFD1048576": (_declared_extent, "Measures", "", "declares cells as far as XFD1048576",
                                              "Error"),
    "a row past 20,000": (_row_past_the_limit, "Measures", "", "has a cell as far as A20001", "Error"),
    "a column past 200": (_column_past_the_limit, "Measures", "", "has a cell as far as GS16", "Error"),
    "rows and cells without addresses past 20,000": (_rows_without_addresses, "Measures", "",
                                                     "has a cell as far as A20016", "Error"),
    "a zip bomb (150 MB of XML)": (_zip_bomb, "", "", "unpacks to 150 MB", "Error"),
    "a part unpacking past what it declares": (_understated_bomb, "", "", "unpacks to more than 100 MB", "Error"),
    "10,001 parts": (_many_parts, "", "", "holds 10,016 parts", "Error"),
    "an encrypted workbook": (_encrypted, "", "", "password-protected (encrypted)", "Error"),
    "a damaged part": (_damaged, "", "", "not an Excel workbook that can be read", "Error"),
    "an empty file": (_empty, "", "", "not an Excel workbook that can be read", "Error"),
    "#DIV/0! as the figure": (_cells(K8=b'<c r="K8" t="e"><v>#DIV/0!</v></c>'), "Measures", "K8",
                              "The cell shows the error #DIV/0! instead of a figure", "Error"),
    "#NAME? as the commentary": (_cells(L5=b'<c r="L5" t="e"><v>#NAME?</v></c>'), "Measures", "L5",
                                 "The commentary cell shows the error #NAME? instead of words", "Warning"),
    "a status saved as a formula without its result": (
        _cells(DELIVERABLES_PART, F5=b'<c r="F5" t="str"><f>"On Track"</f></c>'), "Deliverables", "F5",
        "It is a formula saved without its result", "Error"),
    "a figure saved as a formula without its result": (_cells(K8=b'<c r="K8"><f>70%+1%</f></c>'), "Measures", "K8",
                                                       "It is a formula saved without its result", "Error"),
    "a 40,000-digit figure": (_cells(K8=b'<c r="K8" t="inlineStr"><is><t>' + b"9" * 40_000 + b"</t></is></c>"),
                              "Measures", "K8", "more significant digits than a spreadsheet keeps", "Error"),
    "a figure beyond 1E+308": (_cells(K8=b'<c r="K8"><v>1E+309</v></c>'), "Measures", "K8",
                               "beyond ±1E+308, the largest number a spreadsheet holds", "Error"),
}


@pytest.fixture()
def folder(tmp_path) -> Path:
    return returns_folder(tmp_path / "returns")


def _consolidated_with_the_rest(folder: Path, workbook: Path) -> list[dict]:
    """Consolidate; the good return's every measure judged and the quarter in History. The Data quality rows."""
    catalogue = small_catalogue()
    summary = consolidate(folder, workbook, catalogue, Q2)
    found = quality(workbook)
    assert not any(row["Message"].startswith(f"No return from {GOOD}") for row in found)
    judged = {row[0]: row[12] for row in sheet(workbook, "Indicators by outcome")[3:] if row[0]}
    good = [m.ref for m in catalogue.measures if m.directorate == GOOD and not m.parts]
    assert all(judged[ref] for ref in good), judged
    assert summary.measures == len(catalogue.measures)
    assert quarters_in_history(workbook) == {Q2}
    return found


@pytest.mark.parametrize("case", CASES)
def test_an_adversarial_return_is_one_data_quality_row_and_the_rest_is_consolidated(folder, tmp_path, case):
    damage, sheet_name, cell, message, severity = CASES[case]
    damage(folder / BAD_RETURN)
    found = _consolidated_with_the_rest(folder, tmp_path / "Corporate.xlsx")
    rows = [row for row in found if row["File"] == BAD_RETURN and message in row["Message"]]
    assert len(rows) == 1, (case, [row for row in found if row["File"] == BAD_RETURN])
    assert (rows[0]["Sheet"], rows[0]["Cell"], rows[0]["Severity"]) == (sheet_name, cell, severity)
    if cell:  # one row per problem: nothing else about that cell
        assert [row for row in found if row["File"] == BAD_RETURN and row["Cell"] == cell] == rows


@pytest.mark.parametrize("suffix, kind", [(".xls", "an Excel 97-2003 workbook"), (".ods", "an OpenDocument "
                                          "spreadsheet"), (".xlsb", "an Excel binary workbook")])
def test_a_return_saved_in_another_format_is_a_row_saying_to_save_it_as_xlsx(folder, tmp_path, suffix, kind):
    other = (folder / BAD_RETURN).with_suffix(suffix)
    (folder / BAD_RETURN).rename(other)
    found = _consolidated_with_the_rest(folder, tmp_path / "Corporate.xlsx")
    [row] = [row for row in found if row["File"] == other.name]
    assert row["Message"] == (f"This is {kind} ({suffix}), which is not read. Open it in Excel and save it as an "
                              "Excel Workbook (.xlsx), then run Consolidate again.")


def test_links_and_folders_named_like_returns_are_passed_over(folder, tmp_path):
    (folder / "loop.xlsx").symlink_to(folder / "loop.xlsx")
    (folder / "a folder.xlsx").mkdir()
    found = _consolidated_with_the_rest(folder, tmp_path / "Corporate.xlsx")
    assert not any(row["File"] in ("loop.xlsx", "a folder.xlsx") for row in found)


def test_text_a_spreadsheet_would_run_is_kept_as_text_and_neutralised_in_exports(folder, tmp_path):
    command, formula = "=cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"
    rewrite(folder / BAD_RETURN, in_measures(lambda xml: set_cell(set_cell(
        xml, "L5", b'<c r="L5" t="inlineStr"><is><t>' + command.encode() + b"</t></is></c>"),
        "K5", b'<c r="K5" t="inlineStr"><is><t>' + formula.encode() + b"</t></is></c>")))
    workbook = tmp_path / "Corporate.xlsx"
    _consolidated_with_the_rest(folder, workbook)
    written = openpyxl.load_workbook(workbook)["Indicators by outcome"]
    cells = {cell.value: cell.data_type for row in written.iter_rows() for cell in row if cell.value in (command,)}
    assert cells == {command: "s"}  # the commentary is a text cell, never a formula
    csv, parquet = export_history(workbook, tmp_path / "export")
    exported = pd.read_csv(csv, encoding="utf-8-sig", keep_default_na=False)
    assert "'" + formula in set(exported["performance_text"])  # shows as typed, runs nothing
    assert formula not in set(exported["performance_text"])
    assert formula in set(pd.read_parquet(parquet)["performance_text"])  # Parquet keeps the data as typed


def test_findings_past_the_sheets_last_row_are_a_summary_row_and_a_csv_beside_the_workbook(folder, tmp_path,
                                                                                          monkeypatch):
    monkeypatch.setattr(data_quality, "LAST_ROW", data_quality.FIRST_ROW + 4)  # a sheet of five rows
    for copy in range(6):
        shutil.copy(folder / BAD_RETURN, folder / f"copy {copy}.xlsx")  # each a second return for Finance
    rewrite(folder / "copy 0.xlsx", in_measures(lambda xml: set_cell(
        xml, "L5", b'<c r="L5" t="inlineStr"><is><t>=HYPERLINK("http://x","click")</t></is></c>')))
    workbook = tmp_path / "Corporate.xlsx"
    summary = consolidate(folder, workbook, small_catalogue(), Q2)
    log = tmp_path / "Corporate data quality.csv"
    every = pd.read_csv(log, encoding="utf-8-sig", keep_default_na=False)
    shown = quality(workbook)
    assert len(shown) == 5 and len(every) > 5
    assert summary.errors + summary.warnings <= len(every)
    assert shown[-1]["File"] == log.name
    assert shown[-1]["Message"] == (f"{len(every) - 4:,} more findings do not fit on this sheet (a sheet ends at "
                                    f"row 8): every finding is in {log.name}, beside this workbook.")
    assert shown[:4] == every.head(4).to_dict("records")
    assert sheet(workbook, "Data quality")[0][0] == f"Data quality {Q2}: {len(every)} finding(s)"


MEMORY_LIMIT = 2 * 1024**3


def _limited_memory():
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the address-space limit is Linux's")
@pytest.mark.parametrize("case", ["a value typed in Measures!XFD1048576", "a zip bomb (150 MB of XML)",
                                  "a part unpacking past what it declares"])
def test_the_worst_returns_do_not_abort_pmf_consolidate_under_a_memory_limit(folder, tmp_path, case):
    CASES[case][0](folder / BAD_RETURN)
    catalogue = tmp_path / "catalogue.json"
    catalogue.write_text(small_catalogue().model_dump_json(), encoding="utf-8")
    workbook = tmp_path / "Corporate.xlsx"
    done = subprocess.run([sys.executable, "-m", "pmf_excel", "consolidate", str(folder), "--workbook", str(workbook),
                           "--quarter", Q2, "--catalogue", str(catalogue)], capture_output=True, text=True,
                          timeout=300, preexec_fn=_limited_memory, cwd=ROOT, env={**os.environ})
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert any(row["File"] == BAD_RETURN and CASES[case][3] in row["Message"] for row in quality(workbook))
    assert quarters_in_history(workbook) == {Q2}
