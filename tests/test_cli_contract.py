"""The pmf command's contract: every subcommand, given bad arguments or bad files, exits with the documented
status and a message, and no traceback ever reaches the terminal.

Exit statuses (README, ``pmf --help``): 0 done, 2 bad input, 3 blocked by
something outside the input, 1 a fault in pmf itself.
"""

from __future__ import annotations

import argparse
import errno
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from filelock import FileLock
from xlsxwriter.exceptions import FileCreateError

from pmf_excel import cli
from pmf_excel.cli import EXIT_STATUSES, main

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
CORPORATE = SAMPLES / "Corporate monitoring 2023-24.xlsx"
A_RETURN = SAMPLES / "returns" / "2023-24 Q2" / "Housing 2023-24 Q2.xlsx"
Q2 = "2023/24 Q2"


@pytest.fixture
def bad(tmp_path) -> dict[str, Path]:
    """Bad files of every kind a person might give by mistake."""
    text = tmp_path / "not a workbook.xlsx"
    text.write_text("hello, this is not a workbook", encoding="utf-8")
    binary = tmp_path / "picture.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    junk = tmp_path / "junk.json"
    junk.write_text('{"measures": 5}', encoding="utf-8")
    a_file = tmp_path / "a file"
    a_file.write_text("x", encoding="utf-8")
    folder = tmp_path / "a folder"
    folder.mkdir()
    return {"text": text, "binary": binary, "junk": junk, "file": a_file, "folder": folder,
            "missing": tmp_path / "nosuch.xlsx", "csv": tmp_path / "nosuch.csv", "out": tmp_path / "out"}


#: (argv with {placeholders} for the bad files, expected exit status). Every subcommand is here at least twice.
CASES = [
    ("", 2),
    ("nosuchcommand", 2),
    ("rag", 2),
    ("rag 17,6% 20% 5% 'Bigger is better'", 2),
    ("rag 1 2 3 'Bigger is better' --base £-5", 2),
    ("rag 1 2 3 'Bigger is better' --nosuch", 2),
    ("dot 1 2 sideways", 2),
    ("dot 1", 2),
    ("status Behind", 2),
    ("status", 2),
    ("demo --out {file}", 2),
    ("demo --nosuch", 2),
    ("judge {missing}", 2),
    ("judge {binary} --out {out}/judged.csv", 2),
    ("judge --out {folder}", 2),
    ("judge {csv} --map {missing}", 2),
    ("judge --map {junk}", 2),
    ("catalogue", 2),
    ("catalogue import {missing} --map {missing}", 2),
    ("catalogue import {text} --map {junk}", 2),
    ("samples --out {file}", 2),
    ("samples --out", 2),
    ("returns --quarter 'Q2 2023' --out {out}", 2),
    ("returns --quarter '2023/24 Q3' --out {out} --filled", 2),
    ("returns --quarter '2023/24 Q2' --out {out} --catalogue {junk}", 2),
    ("returns --quarter '2023/24 Q2' --out {out} --catalogue {missing}", 2),
    ("returns --quarter '2023/24 Q2' --out {file}", 2),
    ("templates --out {file}", 2),
    ("consolidate {missing} --workbook {out}/c.xlsx --quarter '2023/24 Q2'", 2),
    ("consolidate {folder} --workbook {out}/c.csv --quarter '2023/24 Q2'", 2),
    ("consolidate {folder} --workbook {folder} --quarter '2023/24 Q2'", 2),
    ("consolidate {folder} --workbook {out}/c.xlsx --quarter '2023/24 Q2' --catalogue {junk}", 2),
    ("consolidate {folder} --workbook {out}/c.xlsx --quarter '2023/24 Q2' --comparators {csv}", 2),
    ("consolidate {folder} --workbook {out}/c.xlsx --quarter '2023/24 Q2' --policy strictest", 2),
    ("consolidate {folder} --workbook {out}/c.xlsx --quarter 'next quarter'", 2),
    ("consolidate {folder} --workbook {out}/c.xlsx", 2),
    ("pack {missing} --out {out}", 2),
    ("pack {text} --out {out}", 2),
    ("publish {missing} --quarter '2023/24 Q3' --out {out}", 2),
    ("publish {text} --quarter '2023/24 Q3' --out {out}", 2),
    ("publish {corporate} --quarter 'Q5' --out {out}", 2),
    ("rejudge --workbook {missing} --quarter '2023/24 Q2'", 2),
    ("rejudge --workbook {text} --quarter '2023/24 Q2'", 2),
    ("rejudge --workbook {corporate} --quarter '2023/24 Q2' --policy {csv}", 2),
    ("rollover --to '2023/24 Q4' --workbook {missing} --out {out}", 2),
    ("rollover --to 'soon' --workbook {corporate} --out {out}", 2),
    ("rollover --to '2023/24 Q4' --workbook {text} --out {out}", 2),
    ("export-history {missing} --out {out}", 2),
    ("export-history {text} --out {out}", 2),
    ("export-history {a_return} --out {out}", 2),
    ("export-history {corporate} --out {file}", 2),
]


def run(argv: list[str], capfd) -> tuple[int, str]:
    status = main(argv)
    out, err = capfd.readouterr()
    return status, out + err


@pytest.mark.parametrize("line, expected", CASES, ids=[line or "(nothing)" for line, _ in CASES])
def test_every_subcommand_on_bad_input_exits_with_its_status_and_a_message(line, expected, bad, capfd):
    places = {name: shlex.quote(str(path)) for name, path in bad.items()} | {
        "corporate": shlex.quote(str(CORPORATE)), "a_return": shlex.quote(str(A_RETURN))}
    status, output = run(shlex.split(line.format(**places)), capfd)
    assert status == expected, output
    assert "Traceback" not in output
    assert output.strip(), "a refusal says why"


def subcommands() -> list[str]:
    parser = cli._parser()
    return [name for action in parser._actions if isinstance(action, argparse._SubParsersAction)
            for name in action.choices]


def test_every_subcommand_is_walked():
    walked = {shlex.split(line)[0] for line, _ in CASES if line and line != "nosuchcommand"}
    assert walked == set(subcommands())


def test_an_existing_export_is_refused_unless_forced_and_then_kept(tmp_path, capfd):
    out = tmp_path / "powerbi"
    assert run(["export-history", str(CORPORATE), "--out", str(out)], capfd)[0] == 0
    status, output = run(["export-history", str(CORPORATE), "--out", str(out)], capfd)
    assert status == 2 and "already exists" in output and "--force" in output
    assert run(["export-history", str(CORPORATE), "--out", str(out), "--force"], capfd)[0] == 0
    assert sorted(p.suffix for p in (out / "previous versions").iterdir()) == [".csv", ".parquet"]


def test_a_workbook_open_in_excel_or_being_consolidated_is_blocked(tmp_path, capfd):
    workbook = tmp_path / "Corporate.xlsx"
    returns = SAMPLES / "returns" / "2023-24 Q2"
    owner = tmp_path / "~$Corporate.xlsx"
    owner.write_text("someone", encoding="utf-8")
    status, output = run(["consolidate", str(returns), "--workbook", str(workbook), "--quarter", Q2], capfd)
    assert status == 3 and "open in Excel" in output and "Traceback" not in output
    owner.unlink()
    with FileLock(tmp_path / ".Corporate.xlsx.lock"):  # another consolidation holds it
        status, output = run(["consolidate", str(returns), "--workbook", str(workbook), "--quarter", Q2], capfd)
    assert status == 3 and "Another consolidation" in output and not workbook.exists()


@pytest.mark.parametrize("error, status, words", [
    (PermissionError(errno.EACCES, "Permission denied", "Corporate.xlsx"), 3, "Corporate.xlsx cannot be written"),
    (OSError(errno.ENOSPC, "No space left on device", "history.csv"), 3, "history.csv cannot be written: the disk"),
    (OSError(errno.EROFS, "Read-only file system", "out"), 3, "out is on a read-only disk"),
    (FileCreateError(OSError(errno.ENOSPC, "No space left on device", "c.xlsx")), 3, "c.xlsx cannot be written: the"),
    (FileNotFoundError(errno.ENOENT, "No such file or directory", "nosuch.csv"), 2, "nosuch.csv does not exist."),
    (ModuleNotFoundError("No module named 'xlwings'", name="xlwings"), 3, 'pip install "pmf-excel[workbooks]"'),
    (RuntimeError("something unforeseen\nwith a second line"), 1, "an unexpected RuntimeError (something unforeseen)"),
    (KeyboardInterrupt(), 130, "stopped"),
])
def test_errors_from_outside_and_faults_are_one_line_never_a_traceback(monkeypatch, capfd, error, status, words):
    def fails(args):
        raise error

    monkeypatch.setattr(cli, "_status", fails)
    monkeypatch.delenv("PMF_TRACEBACK", raising=False)
    done, output = run(["status", "On Track"], capfd)
    assert done == status
    assert output.startswith("pmf: ") and words in output and "Traceback" not in output
    assert len(output.strip().splitlines()) == 1


def test_pmf_traceback_shows_where_a_fault_happened(monkeypatch):
    def fails(args):
        raise RuntimeError("unforeseen")

    monkeypatch.setattr(cli, "_status", fails)
    monkeypatch.setenv("PMF_TRACEBACK", "1")
    with pytest.raises(RuntimeError, match="unforeseen"):
        main(["status", "On Track"])


def test_figures_starting_with_a_minus_are_figures_not_options(capfd):
    assert run(["rag", "-£207k", "£740k Annual Surplus", "5%", "Bigger is better"], capfd) == (
        0, "Red\nRed: -£207k is worse than the target £740k and outside the tolerance 5% of the target "
           "(down to £703k).\n")
    assert run(["dot", "-0.5%", "-1%", "Bigger is better"], capfd)[1].startswith("Improving\n")
    assert run(["dot", "--", "-.5", "-1", "Smaller is better"], capfd)[1].startswith("Worsening\n")
    assert run(["rag", "-5", "0", "5pp", "Bigger is better", "--base", "£1m"], capfd)[0] == 0


def help_of(argv: list[str], capfd) -> str:
    status, output = run([*argv, "--help"], capfd)
    assert status == 0
    return output


def test_every_help_example_copy_pastes_and_runs(capfd):
    texts = [help_of([], capfd)] + [help_of([name], capfd) for name in subcommands()]
    examples = {line.split(": pmf ", 1)[1].rstrip(".") for text in texts for line in text.splitlines()
                if ": pmf " in line and not line.startswith("usage:")}
    assert len(examples) == 5  # rag, dot, status, and the two ways to give a figure starting with "-"
    for text in texts:
        assert "%%" not in text
    for example in examples:
        status, output = run(shlex.split(example), capfd)
        assert status == 0, (example, output)


def test_the_exit_statuses_are_in_the_help_and_the_readme(capfd):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    top = help_of([], capfd)
    for line in EXIT_STATUSES.splitlines()[1:5]:
        assert line.strip() in top
    for status in ("0", "1", "2", "3"):
        assert f"| {status} |" in readme


def modules_loaded(code: str) -> set[str]:
    """The top-level packages a fresh interpreter has imported after running ``code``."""
    probe = f"import sys\n{code}\nprint(' '.join(sorted({{name.split('.')[0] for name in sys.modules}})))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    return set(done.stdout.split("\n")[-2].split())


HEAVY = {"numpy", "pandas", "pyarrow", "xlsxwriter", "python_calamine", "openpyxl", "xlwings"}


@pytest.mark.parametrize("argv", [["rag", "77%", "<70%", "70.1%-75%", "Smaller is better"],
                                  ["dot", "-0.5%", "-1%", "Bigger is better"], ["status", "On Track"]])
def test_the_engines_commands_load_the_engine_alone(argv):
    loaded = modules_loaded(f"from pmf_excel.cli import main\nassert main({argv!r}) == 0")
    assert not loaded & HEAVY, loaded & HEAVY


def test_consolidating_loads_no_pandas(tmp_path):
    """pandas (some 100 MB) is loaded only to write a CSV: a consolidation whose findings fit its Data quality
    sheet never writes one (issue 18: 500 returns in 250 MB)."""
    returns = SAMPLES / "returns" / "2023-24 Q2"
    loaded = modules_loaded(f"from pmf_excel.cli import main\nassert main(['consolidate', {str(returns)!r}, "
                            f"'--workbook', {str(tmp_path / 'c.xlsx')!r}, '--quarter', '2023/24 Q2']) == 0")
    assert "python_calamine" in loaded and not loaded & {"pandas", "pyarrow", "xlwings"}


def test_an_xlsm_is_built_without_importing_xlwings(tmp_path):
    code = ("from pathlib import Path\n"
            "from pmf_excel.workbooks.catalogue_sheets import load_catalogue\n"
            "from pmf_excel.workbooks.corporate.workbook import write_corporate_workbook\n"
            f"catalogue = load_catalogue(Path({str(SAMPLES / 'catalogue_2023-24.json')!r}))\n"
            f"write_corporate_workbook(Path({str(tmp_path / 'c.xlsm')!r}), '', catalogue, [], [], [])")
    loaded = modules_loaded(code)
    assert "xlsxwriter" in loaded and not loaded & {"xlwings", "pandas", "pyarrow"}
    import zipfile

    with zipfile.ZipFile(tmp_path / "c.xlsm") as xlsm:
        assert "xl/vbaProject.bin" in xlsm.namelist()
