"""No crash, no race and no full disk loses a quarter: the workbook is swapped whole, by one run at a time.

- Several consolidations of different quarters, released together at a lock
  left by a process that was killed, many times over: every quarter reported
  done is in History, every other run says another consolidation is running.
- The disk fills (or a rename fails) at each step of writing: the workbook is
  the old one, no lock is held, no temporary file is left and no backup that
  is not a whole copy of a workbook is kept.
- What runs killed mid-write leave is cleared by the next run.
"""

from __future__ import annotations

import errno
import multiprocessing
import os
import random
import shutil
import stat
import tempfile
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from filelock import FileLock

from pmf_excel.pipelines.consolidate import ConsolidationBlocked, consolidate
from pmf_excel.workbooks import xlsx_writer
from pmf_excel.workbooks.corporate import data_quality
from pmf_excel.workbooks.files import PREVIOUS_FOLDER, consolidation_lock
from pmf_excel.workbooks.history_sheets import read_history
from tests.faults import DEEP, Q2, quarters_in_history, returns_folder, small_catalogue

TRIALS = 80 if DEEP else 6
QUARTERS = ("2023/24 Q1", "2023/24 Q2", "2023/24 Q3", "2023/24 Q4")
CONTEXT = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")


def _hold_the_lock_until_killed(workbook: Path, holding: Path) -> None:
    with consolidation_lock(workbook):
        holding.touch()
        time.sleep(600)


def _consolidate_when_released(returns: Path, workbook: Path, quarter: str, go: Path, delay: float, results) -> None:
    while not go.exists():
        time.sleep(0.001)
    time.sleep(delay)
    try:
        consolidate(returns, workbook, small_catalogue(), quarter)
        results.put((quarter, "done"))
    except ConsolidationBlocked as error:
        results.put((quarter, str(error)))


def _lock_left_by_a_killed_process(workbook: Path) -> None:
    holding = workbook.with_name("holding")
    holder = CONTEXT.Process(target=_hold_the_lock_until_killed, args=(workbook, holding))
    holder.start()
    while not holding.exists():
        time.sleep(0.01)
    holder.kill()  # SIGKILL on POSIX, TerminateProcess on Windows: nothing of its own runs after this
    holder.join()
    assert workbook.with_name(f".{workbook.name}.lock").exists()  # left behind, as a crash leaves it


def test_runs_released_together_at_a_dead_process_lock_never_lose_a_quarter(tmp_path):
    returns = tmp_path / "returns"
    returns.mkdir()
    for trial in range(TRIALS):
        workbook = tmp_path / f"trial {trial}" / "Corporate.xlsx"
        workbook.parent.mkdir()
        _lock_left_by_a_killed_process(workbook)
        go, results = workbook.with_name("go"), CONTEXT.Queue()
        runs = [CONTEXT.Process(target=_consolidate_when_released,
                                args=(returns, workbook, quarter, go, random.uniform(0, 0.5), results))
                for quarter in QUARTERS]
        for run in runs:
            run.start()
        go.touch()
        outcomes = dict(results.get(timeout=120) for _ in runs)
        for run in runs:
            run.join()
        done = {quarter for quarter, outcome in outcomes.items() if outcome == "done"}
        assert done, outcomes  # the lock of a dead process never blocks
        assert done <= quarters_in_history(workbook), (trial, outcomes)
        assert all(outcome == "done" or outcome.startswith("Another consolidation of Corporate.xlsx is running")
                   for outcome in outcomes.values()), outcomes
        assert not [path for path in workbook.parent.rglob("*") if ".tmp" in path.name]
        # once the runs have finished, the lock holds nothing back: each quarter told to wait now goes through
        for quarter in sorted(set(QUARTERS) - done):
            consolidate(returns, workbook, small_catalogue(), quarter)
        assert quarters_in_history(workbook) >= set(QUARTERS), trial


class DiskFull:
    """Every write-like step of a consolidation, counted; the one numbered ``fail_at`` writes part of what it
    would and fails as a full disk does."""

    def __init__(self, monkeypatch, fail_at: int | None = None):
        self.steps: list[str] = []
        self.fail_at = fail_at
        self.failed = ""
        for owner, name, partly in (
                (zipfile.ZipFile, "writestr", None), (shutil, "copy2", _half_a_copy), (os, "replace", None),
                (shutil, "move", None), (pd.DataFrame, "to_csv", _half_a_csv), (Path, "mkdir", None),
                (tempfile, "mkdtemp", None), (xlsx_writer._Spool, "finish", None),
                (xlsx_writer._Spool, "getvalue", None)):
            monkeypatch.setattr(owner, name, self._counted(f"{getattr(owner, '__name__', owner)}.{name}",
                                                           getattr(owner, name), partly))

    def _counted(self, step: str, original, partly):
        def counted(*args, **kwargs):
            step_here = f"{step} → {_what(args[1])}" if step in ("os.replace", "shutil.move") else step
            self.steps.append(step_here)
            if len(self.steps) - 1 == self.fail_at:
                self.failed = step_here
                if partly:
                    partly(*args)
                raise OSError(errno.ENOSPC, "No space left on device")
            return original(*args, **kwargs)
        return counted


def _what(destination) -> str:
    """What a rename puts in place, so each rename is a step of its own."""
    path = Path(destination)
    return "a backup" if path.parent.name == PREVIOUS_FOLDER else "the log" if path.suffix == ".csv" else \
        "the workbook"


def _half_a_copy(source, target, *rest):
    data = Path(source).read_bytes()
    Path(target).write_bytes(data[: len(data) // 2])


def _half_a_csv(frame, path, *rest):
    Path(path).write_text(frame.head(len(frame) // 2).to_string())


def _state(workbook: Path) -> tuple[bytes, list[str]]:
    backups = sorted(path.name for path in (workbook.parent / PREVIOUS_FOLDER).iterdir())
    return workbook.read_bytes(), backups


def _every_kind_of_step(steps: list[str]) -> list[int]:
    """Where to fail: the first, middle and last of each kind of step (every step in a deep run)."""
    if DEEP:
        return list(range(len(steps)))
    chosen = set()
    for kind in set(steps):
        at = [i for i, step in enumerate(steps) if step == kind]
        chosen |= {at[0], at[len(at) // 2], at[-1]}
    return sorted(chosen)


@pytest.mark.parametrize("overflowing", [False, True], ids=["findings on the sheet", "findings past its last row"])
def test_a_disk_that_fills_at_any_step_leaves_the_workbook_as_it_was(tmp_path, monkeypatch, overflowing):
    if overflowing:  # more findings than the sheet's rows: the full log is written beside the workbook too
        monkeypatch.setattr(data_quality, "LAST_ROW", data_quality.FIRST_ROW + 2)
    catalogue, returns = small_catalogue(), returns_folder(tmp_path / "returns")
    workbook = tmp_path / "Corporate.xlsx"
    consolidate(returns, workbook, catalogue, "2023/24 Q1")
    consolidate(returns, workbook, catalogue, Q2)  # a backup of Q1 now sits in previous versions
    with monkeypatch.context() as patched:  # the steps of the run that will fail, counted on a run that does not
        dry = DiskFull(patched)
        consolidate(returns, workbook, catalogue, "2023/24 Q3")
    steps = dry.steps
    assert {"ZipFile.writestr", "shutil.copy2", "os.replace → a backup", "os.replace → the workbook",
            "tempfile.mkdtemp", "_Spool.finish", "_Spool.getvalue"} <= set(steps)
    tried = []
    swapped_at = steps.index("os.replace → the workbook")  # after it, only the full log is put in place
    for fail_at in _every_kind_of_step(steps):
        before = _state(workbook)
        with monkeypatch.context() as patched:
            disk = DiskFull(patched, fail_at)
            with pytest.raises(ConsolidationBlocked, match=r"\(No space left on device\)") as blocked:
                consolidate(returns, workbook, catalogue, "2023/24 Q3")
        tried.append(disk.failed)
        if fail_at > swapped_at:  # the workbook is in; its log could not be renamed, and the message says so
            assert "was consolidated, but the full Data quality log" in str(blocked.value)
            assert "2023/24 Q3" in quarters_in_history(workbook)
        else:
            assert "The workbook is as it was" in str(blocked.value) or "Nothing was changed" in str(blocked.value)
            assert _state(workbook) == before, disk.failed  # the workbook and its backups exactly as they were
        assert not [p for p in tmp_path.rglob("*") if ".tmp" in p.name], disk.failed
        for backup in (workbook.parent / PREVIOUS_FOLDER).glob("*.xlsx"):
            assert read_history(backup).measures, backup  # every backup kept is a whole workbook
        with FileLock(tmp_path / ".Corporate.xlsx.lock", timeout=0):
            pass  # no lock is held
    assert set(tried) == set(steps)
    consolidate(returns, workbook, catalogue, "2023/24 Q3")  # and the next run goes through
    assert quarters_in_history(workbook) == {"2023/24 Q1", Q2, "2023/24 Q3"}
    if overflowing:
        assert len(pd.read_csv(tmp_path / "Corporate data quality.csv", encoding="utf-8-sig")) > 3


def test_what_killed_runs_left_is_cleared_by_the_next_run(tmp_path):
    catalogue, returns = small_catalogue(), returns_folder(tmp_path / "returns")
    workbook = tmp_path / "Corporate.xlsx"
    consolidate(returns, workbook, catalogue, Q2)
    left = [tmp_path / ".Corporate.4242.tmp.xlsx", tmp_path / ".Corporate data quality.4242.tmp.csv",
            tmp_path / PREVIOUS_FOLDER / ".Corporate (2024-01-01 120000.000001).tmp.xlsx"]
    parts = tmp_path / ".Corporate.4242.tmp.xlsx.k2_9x.parts"  # a sheet's XML, spooled before it was zipped
    (tmp_path / PREVIOUS_FOLDER).mkdir(exist_ok=True)
    for path in left:
        path.write_bytes(b"half a workbook")
    parts.mkdir()
    (parts / "part3.xml").write_text("<worksheet>", encoding="utf-8")
    others = [tmp_path / ".Corporate 2.4242.tmp.xlsx", tmp_path / "notes.tmp.xlsx"]  # not this workbook's
    for path in others:
        path.write_bytes(b"someone else's")
    other_parts = tmp_path / ".Corporate 2.4242.tmp.xlsx.k2_9x.parts"
    other_parts.mkdir()
    consolidate(returns, workbook, catalogue, Q2)
    assert not any(path.exists() for path in [*left, parts])
    assert all(path.exists() for path in [*others, other_parts])


def test_a_read_only_workbook_is_refused_not_overwritten(tmp_path):
    catalogue, returns = small_catalogue(), returns_folder(tmp_path / "returns")
    workbook = tmp_path / "Corporate.xlsx"
    consolidate(returns, workbook, catalogue, "2023/24 Q1")
    workbook.chmod(stat.S_IREAD)
    before = workbook.read_bytes()
    try:
        with pytest.raises(ConsolidationBlocked, match="Corporate.xlsx is read-only.*Nothing was changed"):
            consolidate(returns, workbook, catalogue, Q2)
        assert workbook.read_bytes() == before
        assert not workbook.stat().st_mode & stat.S_IWRITE  # still read-only: its mark was not cleared
        assert not (tmp_path / PREVIOUS_FOLDER).exists()
    finally:
        workbook.chmod(stat.S_IREAD | stat.S_IWRITE)
