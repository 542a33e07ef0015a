"""Regenerating the committed files from unchanged inputs changes no byte: `pmf samples` and `pmf templates`,
run twice, leave `git status` clean.

The committed samples/ and workbook_templates/ are copied into a git
repository of their own (so the checkout is never written to) and the two
commands are run there with their defaults, exactly as a developer runs them at
the top of the checkout.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from pmf_excel.cli import main

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ("samples", "workbook_templates")


def git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def copy_of_the_committed_files(tmp_path, monkeypatch) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    tracked = git(ROOT, "ls-files", "-z", "--", *COMMITTED).split("\0")
    for name in filter(None, tracked):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, tmp_path / name)
    (tmp_path / ".gitignore").write_text((ROOT / ".gitignore").read_text(encoding="utf-8"), encoding="utf-8")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "-c", "user.name=test", "-c", "user.email=test@example.org", "commit", "-q", "-m", "committed")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return tmp_path


def test_samples_and_templates_regenerated_twice_leave_git_status_clean(copy_of_the_committed_files, capsys):
    for _ in range(2):
        assert main(["samples"]) == 0
        assert main(["templates"]) == 0
        assert git(copy_of_the_committed_files, "status", "--porcelain") == ""
    assert "workbook_templates" in capsys.readouterr().out
