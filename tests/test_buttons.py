"""The Consolidate button, called through xlwings' script protocol, writes what the command line writes."""

import asyncio
import datetime as dt
import importlib
import shutil
from pathlib import Path

import olefile
import pytest
import xlwings as xw
from oletools.olevba import VBA_Parser
from python_calamine import CalamineWorkbook
from xlwings import server

import macros.buttons as buttons
from pmf_excel.framework.benchmarks import import_comparators
from pmf_excel.pipelines.consolidate import consolidate

from pmf_excel.workbooks.catalogue_sheets import load_catalogue
from pmf_excel.workbooks.corporate.workbook import OUTPUT_SHEETS, SETTINGS_SHEET
from pmf_excel.workbooks.history_sheets import HISTORY_SHEETS
from pmf_excel.samples.sources import COMPARATORS
from tests.excel_reality import libreoffice_convert

ROOT = Path(__file__).resolve().parent.parent
Q2 = "2023/24 Q2"


def sheets_of(path: Path) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in book.sheet_names}


def book_payload(name: str, sheets: dict[str, list[list]]) -> dict:
    """The Book an xlwings Lite or Server script receives: the workbook's sheets and their values."""
    return {"client": "Office.js", "version": xw.__version__,
            "book": {"name": name, "active_sheet_index": 0, "selection": "A1"}, "names": [],
            "sheets": [{"name": sheet, "values": values or [[""]], "pictures": [], "tables": []}
                       for sheet, values in sheets.items()]}


def replay(sheets: dict[str, list[list]], actions: list[dict]) -> dict[str, list[list]]:
    """Apply a script's actions to the sheets' values, as Excel does when the script returns."""
    names = list(sheets)
    for action in actions:
        if action["func"] == "addSheet":
            names.insert(action["args"][0], action["args"][1])
            sheets[action["args"][1]] = []
        elif action["func"] == "sheetClearContents":
            sheets[names[action["sheet_position"]]] = []
        elif action["func"] == "setValues":
            grid = sheets[names[action["sheet_position"]]]
            top, left = action["start_row"], action["start_column"]
            for r, row in enumerate(action["values"]):
                while len(grid) <= top + r:
                    grid.append([])
                line = grid[top + r]
                line.extend([""] * (left + len(row) - len(line)))
                line[left:left + len(row)] = row
    return sheets


def trimmed(grid: list[list]) -> list[list]:
    """A sheet's values without trailing blanks; dates as the ISO text xlwings sends Excel to write as dates."""
    rows = [[("" if cell is None else cell.isoformat() if isinstance(cell, dt.date) else cell) for cell in row]
            for row in grid]
    rows = [row[:max((i + 1 for i, c in enumerate(row) if c != ""), default=0)] for row in rows]
    while rows and not rows[-1]:
        rows.pop()
    return rows


@pytest.fixture()
def corporate(tmp_path):
    returns = tmp_path / "returns"
    shutil.copytree(ROOT / "samples" / "returns" / "2023-24 Q2", returns)
    workbook = tmp_path / "Corporate monitoring.xlsm"
    catalogue = load_catalogue(ROOT / "samples" / "catalogue_2023-24.json")
    consolidate(returns, workbook, catalogue, Q2,  # comparators imported once, then kept, as the button keeps them
                comparators=import_comparators(COMPARATORS, catalogue.benchmark_map, "Sandwell"))
    consolidate(returns, workbook, catalogue, Q2)
    return workbook


def test_the_button_writes_the_same_report_as_the_command_line(corporate):
    cli = sheets_of(corporate)
    before = {name: [list(row) for row in rows] for name, rows in cli.items()}
    for name in set(OUTPUT_SHEETS) - set(HISTORY_SHEETS):  # the open workbook before: last quarter's report
        before[name] = [["stale"]]
    book = xw.Book(json=book_payload(corporate.name, before))
    returned = asyncio.run(server.custom_scripts_call(buttons, "consolidate", typehint_to_value={xw.Book: book}))
    after = replay(before, returned.json()["actions"])
    for name in OUTPUT_SHEETS:
        expected, got = trimmed(cli[name]), trimmed(after[name])
        if name == "Dashboard":  # the line saying when it was consolidated
            expected, got = expected[:1] + expected[2:], got[:1] + got[2:]
        assert got == expected, name
    benchmarks = [row for row in after["Indicators by outcome"] if row and row[0] == "B3e"][0]
    assert any(str(cell).startswith("England 89% (2023/24 Q2): Worse") for cell in benchmarks)  # kept in the book
    status = dict((row[0], row[1]) for row in after[SETTINGS_SHEET] if row)
    assert status["Status"].startswith(f"Consolidated {Q2} at ") and "132 measures" in status["Status"]


def test_the_button_says_what_is_missing_from_settings(corporate):
    sheets = sheets_of(corporate)
    sheets[SETTINGS_SHEET] = [["Setting", "Value"], ["Quarter", Q2]]
    book = xw.Book(json=book_payload(corporate.name, sheets))
    with pytest.raises(ValueError, match="Fill in Returns folder on the Settings sheet"):
        asyncio.run(server.custom_scripts_call(buttons, "consolidate", typehint_to_value={xw.Book: book}))


def test_the_xlsm_carries_exactly_the_macros_source_and_xlwings_module(corporate, tmp_path, lo_profile):
    parsed = {name: code for _, _, name, code in VBA_Parser(str(corporate)).extract_macros()}
    own = (ROOT / "macros" / "PMF.bas").read_text(encoding="cp1252")
    assert parsed["PMF.bas"].replace("\r\n", "\n") == own.replace("\r\n", "\n")
    shipped = (Path(xw.__file__).parent / "xlwings.bas").read_text(encoding="cp1252")
    assert parsed["xlwings.bas"].replace("\r\n", "\n").strip() == shipped.replace("\r\n", "\n").strip()
    assert {name for name in parsed if name.endswith(".bas")} == {"PMF.bas", "xlwings.bas"}
    exported = (Path(xw.__file__).parent / "addin" / "Dictionary.cls").read_text(encoding="cp1252")
    assert _code(parsed["Dictionary.cls"]) == _code(exported.split("\nEND\n", 1)[1])  # the class xlwings needs on a Mac
    assert olefile.isOleFile(data=_vba_bin(corporate))
    [pdf] = libreoffice_convert([corporate], tmp_path / "pdf", "pdf", lo_profile)
    assert pdf.exists(), "LibreOffice could not open the corporate .xlsm"


def _code(source: str) -> list[str]:
    """A VBA module's code, without the attributes that say what kind of module it is."""
    return [line for line in source.replace("\r\n", "\n").strip().split("\n") if not line.startswith("Attribute VB_")]


def test_building_the_xlsm_with_another_xlwings_refuses(tmp_path, monkeypatch, capsys):
    """The .xlsm's xlwings module calls the DLL of its own version, which only the pinned add-in installs."""
    from pmf_excel.cli import main
    from pmf_excel.workbooks.vba import XLWINGS_VERSION

    monkeypatch.setattr(importlib.import_module("pmf_excel.workbooks.vba.xlwings_vba"), "installed_version",
                        lambda: "0.30.0")
    assert main(["templates", "--out", str(tmp_path)]) == 3
    message = capsys.readouterr().err
    assert f"must be xlwings {XLWINGS_VERSION}'s" in message and "xlwings 0.30.0 is installed" in message
    assert f'pip install "xlwings=={XLWINGS_VERSION}"' in message and "Traceback" not in message
    assert not list(tmp_path.glob("*.xlsm"))


def test_a_refused_xlsm_build_leaves_the_template_there_was_in_place(tmp_path, monkeypatch):
    """A council's template is not moved aside for a build that then refuses: it stays where the buttons' users
    open it, as it was, and nothing half-written is left beside it."""
    from pmf_excel.cli import main

    assert main(["templates", "--out", str(tmp_path)]) == 0
    template = tmp_path / "Corporate monitoring.xlsm"
    before = template.read_bytes()
    monkeypatch.setattr(importlib.import_module("pmf_excel.workbooks.vba.xlwings_vba"), "installed_version",
                        lambda: "0.30.0")
    assert main(["templates", "--out", str(tmp_path)]) == 3
    assert template.read_bytes() == before
    assert not list(tmp_path.glob(".*")) and not list((tmp_path / "previous versions").glob("Corporate*"))


def test_rebuilding_the_template_keeps_the_one_before(tmp_path):
    from pmf_excel.cli import main

    assert main(["templates", "--out", str(tmp_path)]) == 0
    template = tmp_path / "Corporate monitoring.xlsm"
    template.write_bytes(template.read_bytes() + b"edited")  # as a council's own edits would differ
    assert main(["templates", "--out", str(tmp_path)]) == 0
    [kept] = (tmp_path / "previous versions").glob("Corporate monitoring (*).xlsm")
    assert kept.read_bytes().endswith(b"edited") and not template.read_bytes().endswith(b"edited")
    assert not list(tmp_path.glob(".*"))


def test_xlwings_is_pinned_to_the_version_whose_vba_is_embedded():
    import tomllib

    from pmf_excel.workbooks.vba import XLWINGS_VERSION

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = [r for group in [project["dependencies"], *project["optional-dependencies"].values()]
                    for r in group if r.startswith("xlwings")]
    assert requirements and set(requirements) == {f"xlwings=={XLWINGS_VERSION}"}
    assert xw.__version__ == XLWINGS_VERSION
    shipped = (Path(xw.__file__).parent / "xlwings.bas").read_text(encoding="cp1252")
    assert f"'Version: {XLWINGS_VERSION}" in shipped and f'"xlwings64-{XLWINGS_VERSION}.dll"' in shipped


def _vba_bin(path: Path) -> bytes:
    import zipfile

    return zipfile.ZipFile(path).read("xl/vbaProject.bin")


def test_committed_corporate_template_is_what_pmf_templates_generates(tmp_path):
    from pmf_excel.cli import main
    from tests.conftest import workbook_content

    assert main(["templates", "--out", str(tmp_path)]) == 0
    committed = ROOT / "workbook_templates" / "Corporate monitoring.xlsm"
    assert workbook_content(committed, frozenset({("Dashboard", "A2")})) == \
        workbook_content(tmp_path / committed.name, frozenset({("Dashboard", "A2")}))
    parsed = {name for _, _, name, _ in VBA_Parser(str(committed)).extract_macros()}
    assert {"PMF.bas", "xlwings.bas", "Dictionary.cls", "ThisWorkbook.cls"} <= parsed


def test_the_template_button_asks_for_the_settings_it_needs():
    template = ROOT / "workbook_templates" / "Corporate monitoring.xlsm"
    book = xw.Book(json=book_payload(template.name, sheets_of(template)))
    with pytest.raises(ValueError, match="Fill in Quarter and Returns folder on the Settings sheet"):
        asyncio.run(server.custom_scripts_call(buttons, "consolidate", typehint_to_value={xw.Book: book}))


def test_new_quarter_returns_are_prefilled_from_history(corporate, tmp_path):
    from pmf_excel.workbooks.directorate_return import COL, FIRST_ROW, MEASURES_SHEET

    sheets = sheets_of(corporate)
    settings = {row[0]: row[1] for row in sheets[SETTINGS_SHEET] if row and row[0]}
    assert settings["Next quarter"] == "2023/24 Q3"
    book = xw.Book(json=book_payload(corporate.name, sheets))
    asyncio.run(server.custom_scripts_call(buttons, "new_quarter_returns", typehint_to_value={xw.Book: book}))
    folder = Path(settings["New returns folder"])
    written = sorted(folder.glob("*2023-24 Q3.xlsx"))
    assert len(written) == 9
    rows = sheets_of(folder / "Children and Education 2023-24 Q3.xlsx")[MEASURES_SHEET]
    b12b = next(row for row in rows[FIRST_ROW:] if row[COL["Ref"]] == "B12b")
    assert b12b[COL["Last quarter"]] == pytest.approx(0.77)  # Q2's figure, from History
    assert b12b[COL["Same quarter last year"]] in ("", None)  # 2022/23 Q3 is not in History
    assert b12b[COL["Performance this quarter"]] in ("", None)


def test_pmf_rollover_writes_the_same_returns(corporate, tmp_path):
    from pmf_excel.cli import main
    from tests.conftest import workbook_content

    assert main(["rollover", "--to", "2023/24 Q3", "--workbook", str(corporate), "--out", str(tmp_path / "cli")]) == 0
    sheets = sheets_of(corporate)
    book = xw.Book(json=book_payload(corporate.name, sheets))
    asyncio.run(server.custom_scripts_call(buttons, "new_quarter_returns", typehint_to_value={xw.Book: book}))
    folder = Path({row[0]: row[1] for row in sheets[SETTINGS_SHEET] if row and row[0]}["New returns folder"])
    for path in (tmp_path / "cli").glob("*.xlsx"):
        assert workbook_content(path) == workbook_content(folder / path.name), path.name
