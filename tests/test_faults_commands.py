"""The commands' faults: a message naming the file and exit 2 for bad input, exit 3 when something outside blocks
the work (the workbook open in Excel or read-only, another consolidation running, a folder that cannot be read or
written, a full disk), never a traceback, and the workbook as it was."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from pmf_excel.cli import main
from pmf_excel.pipelines.consolidate import consolidate
from pmf_excel.workbooks.files import consolidation_lock
from tests.faults import Q2, ROOT, quarters_in_history, returns_folder, sample_return, small_catalogue


@pytest.fixture()
def place(tmp_path) -> Path:
    """A folder with returns, a small catalogue, a file that is no workbook, and a corporate workbook."""
    returns_folder(tmp_path / "returns")
    (tmp_path / "catalogue.json").write_text(small_catalogue().model_dump_json(), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("Dear performance team, figures to follow.", encoding="utf-8")
    consolidate(tmp_path / "returns", tmp_path / "Corporate.xlsx", small_catalogue(), "2023/24 Q1")
    return tmp_path


def consolidating(place: Path, returns: str = "returns", workbook: str = "Corporate.xlsx", *more: str) -> list[str]:
    return ["consolidate", str(place / returns), "--workbook", str(place / workbook), "--quarter", Q2,
            "--catalogue", str(place / "catalogue.json"), *more]


def run(argv: list[str], capsys) -> tuple[int, str]:
    code = main(argv)
    err = capsys.readouterr().err
    assert err.startswith("pmf: ") and "Traceback" not in err, err
    return code, err


BAD_INPUT = {
    "a returns folder that does not exist": (lambda p: consolidating(p, "nowhere"),
                                             "The returns folder {p}/nowhere does not exist."),
    "a returns folder that is a loop of links": (lambda p: consolidating(p, "loop"),
                                                 "is a link that leads back to itself (a loop of links)"),
    "a returns folder that is a file": (lambda p: consolidating(p, "notes.txt"), "notes.txt is a file, not a folder"),
    "a workbook whose folder is a file": (lambda p: consolidating(p, "returns", "notes.txt/Corporate.xlsx"),
                                          "part of that path is a file, not a folder"),
    "a workbook that is a folder": (lambda p: consolidating(p, "returns", "returns"),
                                    "returns is a folder, not a workbook"),
    "--comparators given a file that is not an export": (
        lambda p: consolidating(p, "returns", "Corporate.xlsx", "--comparators", str(p / "notes.txt")),
        "notes.txt is not an LG Inform export"),
    "--comparators given a workbook": (
        lambda p: consolidating(p, "returns", "Corporate.xlsx", "--comparators", str(sample_return("Housing"))),
        "is not an LG Inform export"),
    "rejudge given a file that is not a workbook": (
        lambda p: ["rejudge", "--workbook", str(p / "notes.txt"), "--quarter", Q2],
        "notes.txt is not a workbook that can be read"),
    "rejudge given a folder": (lambda p: ["rejudge", "--workbook", str(p / "returns"), "--quarter", Q2],
                               "returns is a folder, not a workbook"),
    "export-history given a file that is not a workbook": (
        lambda p: ["export-history", str(p / "notes.txt"), "--out", str(p / "export")],
        "notes.txt is not a workbook that can be read"),
    "export-history given a folder": (lambda p: ["export-history", str(p / "returns"), "--out", str(p / "export")],
                                      "returns is a folder, not a workbook"),
    "judge given a text that is not a report": (lambda p: ["judge", str(p / "notes.txt"), "--out", str(p / "j.csv")],
                                                "notes.txt holds no indicator rows"),
    "judge given a workbook": (lambda p: ["judge", str(sample_return("Housing")), "--out", str(p / "j.csv")],
                               "is not a report's text"),
    "judge given a folder": (lambda p: ["judge", str(p / "returns"), "--out", str(p / "j.csv")], "is not a file"),
    "rollover given a file that is not a workbook": (
        lambda p: ["rollover", "--to", "2023/24 Q3", "--workbook", str(p / "notes.txt"), "--out", str(p / "new")],
        "notes.txt"),
}


@pytest.mark.parametrize("case", BAD_INPUT)
def test_bad_input_is_a_message_naming_it_and_exit_2(place, capsys, case):
    (place / "loop").symlink_to(place / "loop")
    argv, message = BAD_INPUT[case]
    before = (place / "Corporate.xlsx").read_bytes()
    code, err = run(argv(place), capsys)
    assert code == 2, err
    assert message.format(p=place) in err
    assert (place / "Corporate.xlsx").read_bytes() == before


def test_a_read_only_workbook_is_refused_with_exit_3(place, capsys):
    workbook = place / "Corporate.xlsx"
    workbook.chmod(stat.S_IREAD)
    before = workbook.read_bytes()
    try:
        code, err = run(consolidating(place), capsys)
        assert (code, err) == (3, "pmf: Corporate.xlsx is read-only. Clear its read-only mark (Properties, or chmod "
                                  "u+w) or consolidate into a copy. Nothing was changed.\n")
        assert workbook.read_bytes() == before and not workbook.stat().st_mode & stat.S_IWRITE
    finally:
        workbook.chmod(stat.S_IREAD | stat.S_IWRITE)


def test_a_workbook_open_in_excel_is_exit_3(place, capsys):
    (place / "~$Corporate.xlsx").write_bytes(b"owner")
    code, err = run(consolidating(place), capsys)
    assert code == 3 and "Corporate.xlsx is open in Excel" in err
    assert quarters_in_history(place / "Corporate.xlsx") == {"2023/24 Q1"}


def test_another_consolidation_holding_the_lock_is_exit_3(place, capsys):
    with consolidation_lock(place / "Corporate.xlsx"):
        code, err = run(consolidating(place), capsys)
    assert code == 3 and "Another consolidation of Corporate.xlsx is running" in err
    assert main(consolidating(place)) == 0  # released with its holder
    assert quarters_in_history(place / "Corporate.xlsx") == {"2023/24 Q1", Q2}


def test_a_full_disk_is_exit_3_and_the_workbook_as_it_was(place, capsys, monkeypatch):
    before = (place / "Corporate.xlsx").read_bytes()

    def full(*args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    code, err = run(consolidating(place), capsys)
    assert code == 3
    assert err == ("pmf: Corporate.xlsx could not be written (No space left on device). The workbook is as it was; "
                   "free some space or fix the folder's permissions, then run Consolidate again.\n")
    assert (place / "Corporate.xlsx").read_bytes() == before


def as_an_ordinary_user() -> list[str]:
    """How to run a command that the folder's permissions apply to: as it is for an ordinary user; for root,
    without the capabilities that let root past them (setpriv, from util-linux)."""
    if os.name == "nt":
        pytest.skip("folder permissions are not POSIX modes on Windows")
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: permissions cannot be made to apply")
    dropped = "-dac_override,-dac_read_search"
    return ["setpriv", f"--bounding-set={dropped}", f"--inh-caps={dropped}", "--"]


@pytest.mark.parametrize("case, mode, message", [
    ("a returns folder that cannot be read", "returns", "The returns folder {p}/returns cannot be read (Permission "
                                                        "denied). Nothing was changed."),
    ("a workbook folder that cannot be written", "workbook", "Nothing can be written in {p}/locked (Permission "
                                                             "denied), so Corporate.xlsx cannot be consolidated"),
])
def test_folders_that_cannot_be_read_or_written_are_exit_3(place, case, mode, message):
    prefix = as_an_ordinary_user()
    locked = place / "locked"
    locked.mkdir()
    if mode == "returns":
        argv, folder, permission = consolidating(place), place / "returns", 0
    else:
        argv, folder, permission = consolidating(place, "returns", "locked/Corporate.xlsx"), locked, \
            stat.S_IREAD | stat.S_IEXEC
    folder.chmod(permission)
    try:
        done = subprocess.run([*prefix, sys.executable, "-m", "pmf_excel", *argv], capture_output=True, text=True,
                              cwd=ROOT, timeout=120)
    finally:
        folder.chmod(stat.S_IRWXU)
    assert done.returncode == 3, done.stderr
    assert message.format(p=place) in done.stderr and "Traceback" not in done.stderr
    assert list(locked.iterdir()) == []
