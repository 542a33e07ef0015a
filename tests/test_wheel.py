"""The product as a council installs it: the wheel, built from this checkout and installed with its workbooks
extra in a fresh virtual environment in a temporary folder, runs the everyday commands and imports the Excel
functions and the buttons, with nothing from the checkout on the path.

It takes a minute (a wheel, a virtual environment, pandas and pyarrow), so
the everyday suite leaves it out (``-m "not wheel"`` in pyproject.toml) and CI
runs it: ``.ci/run`` calls ``python -m pytest -m wheel``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.wheel

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A fresh virtual environment with the wheel installed, and the environment to run it in."""
    home = tmp_path_factory.mktemp("council")
    assert not home.resolve().is_relative_to(ROOT)
    dist = home / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
                   check=True, capture_output=True, text=True)
    [wheel] = dist.glob("pmf_excel-*.whl")
    subprocess.run([sys.executable, "-m", "venv", str(home / "venv")], check=True)
    scripts = home / "venv" / ("Scripts" if os.name == "nt" else "bin")
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")}
    env["PATH"] = str(scripts) + os.pathsep + env.get("PATH", "")
    done = subprocess.run([str(scripts / "python"), "-m", "pip", "install", "-q", f"{wheel}[workbooks]"],
                          env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return home, env


def pmf(venv, *args: str) -> str:
    home, env = venv
    done = subprocess.run(["pmf", *args], cwd=home, env=env, capture_output=True, text=True, timeout=600)
    output = done.stdout + done.stderr
    assert done.returncode == 0, (args, output)
    assert "Traceback" not in output
    return done.stdout


def test_the_installed_package_is_the_wheel_not_the_checkout(venv):
    home, env = venv
    done = subprocess.run(["python", "-c", "import pmf_excel, udfs.pmf_functions, macros.buttons; "
                           "print(pmf_excel.__file__); print(udfs.pmf_functions.__file__)"],
                          cwd=home, env=env, capture_output=True, text=True, check=True)
    for path in done.stdout.split():
        assert Path(path).resolve().is_relative_to((home / "venv").resolve())
    assert "exit status:" in pmf(venv, "--help")


def test_rag_from_the_wheel(venv):
    assert pmf(venv, "rag", "-£207k", "£740k Annual Surplus", "5%", "Bigger is better").startswith("Red\n")


def test_the_main_job_from_the_wheel(venv):
    home, _ = venv
    out = pmf(venv, "demo", "--out", "demo")
    assert "The Best Start in Life for Children and Young People: 22 measures" in out
    assert len(list((home / "demo" / "returns" / "2023-24 Q2").glob("*.xlsx"))) == 9
    assert (home / "demo" / "Corporate monitoring 2023-24.xlsx").is_file()


def test_returns_judge_and_a_consolidation_into_a_new_workbook_from_the_wheel(venv):
    home, _ = venv
    assert len(pmf(venv, "returns", "--quarter", "2023/24 Q2", "--out", "returns", "--filled").split("\n")) >= 9
    assert "133 indicators" in pmf(venv, "judge", "--out", "judged.csv")
    assert (home / "judged.csv").is_file()
    out = pmf(venv, "consolidate", "returns", "--workbook", "new/Corporate.xlsx", "--quarter", "2023/24 Q2")
    assert "132 measures from 9 file(s)" in out and (home / "new" / "Corporate.xlsx").is_file()


def test_templates_from_the_wheel_carry_the_buttons(venv):
    home, _ = venv
    pmf(venv, "templates", "--out", "templates")
    names = sorted(path.name for path in (home / "templates").iterdir() if path.is_file())
    assert names == ["Corporate monitoring.xlsm", "Housing 2023-24 Q2.xlsx", "pmf_functions_examples.xlsx"]
    import zipfile

    with zipfile.ZipFile(home / "templates" / "Corporate monitoring.xlsm") as xlsm:
        assert "xl/vbaProject.bin" in xlsm.namelist()
