"""xlwings Lite runs Python in Pyodide, which ships pydantic and numpy but not python-calamine, pyarrow or
LibreOffice: the engine and the Excel functions import and answer with only what Pyodide has, and the package's
own dependencies are exactly those, everything for workbook files being the ``workbooks`` extra."""

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: What Pyodide does not have, or what the functions must not need: the third-party modules of workbook files and
#: exports, and the package's own layers above the engine.
HEAVY = ("pandas", "pyarrow", "python_calamine", "xlsxwriter", "openpyxl")


def run_without(blocked: tuple[str, ...], code: str) -> subprocess.CompletedProcess:
    """``code`` in a fresh Python where importing any of ``blocked`` fails, as on a machine without them."""
    prelude = f"import sys\nfor name in {blocked!r}:\n    sys.modules[name] = None\n"
    return subprocess.run([sys.executable, "-c", prelude + code], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)


def test_the_engine_and_the_functions_import_and_answer_with_only_what_pyodide_has():
    done = run_without(HEAVY + ("pmf_excel.framework", "pmf_excel.workbooks", "pmf_excel.pipelines",
                                "pmf_excel.samples"), """
import pmf_excel
import udfs.pmf_functions as functions
print(pmf_excel.rag("77%", "<70%", "70.1%-75%", "Smaller is better"))
print(functions.pmf_rag([["77%"]], [["<70%"]], [["70.1%-75%"]], [["Smaller is better"]]))
print(functions.pmf_dot([["1 min 27 secs"]], [["1 min 9 secs"]], [["Smaller is better"]]))
""")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:3] == ["Red", "[['Red']]", "[['Worsening']]"]


def test_the_package_requires_only_what_pyodide_ships():
    """micropip installs every required dependency, and one with compiled code only if Pyodide ships it."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert sorted(r.split(">")[0].split("=")[0] for r in project["dependencies"]) == ["numpy", "pydantic"]
    assert {"xlsxwriter", "openpyxl", "python-calamine", "pandas", "pyarrow"} <= {
        r.split(">")[0].split("=")[0] for r in project["optional-dependencies"]["workbooks"]}


def test_the_pmf_command_judges_without_the_workbooks_extra_and_names_it_when_a_command_needs_it(tmp_path):
    done = run_without(HEAVY + ("xlwings",), f"""
from pmf_excel.cli import main
print(main(["rag", "77%", "<70%", "70.1%-75%", "Smaller is better"]))
print(main(["consolidate", {str(tmp_path)!r}, "--workbook", {str(tmp_path / "C.xlsx")!r}, "--quarter", "2023/24 Q2"]))
""")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Red") and done.stdout.rstrip().endswith("0\n3")
    assert 'python -m pip install "pmf-excel[workbooks]"' in done.stderr and "Traceback" not in done.stderr
