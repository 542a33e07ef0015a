"""Writing files without losing what was there: every overwritten file keeps its previous version, and the
corporate workbook is only ever swapped whole, by one consolidation at a time, never while open in Excel."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

PREVIOUS_FOLDER = "previous versions"


def keep_previous(path: Path) -> Path | None:
    """Move an existing file into ``previous versions/`` beside it, stamped with its modification time.

    Returns where it went, or None when there was nothing to keep. Called
    before anything writes over a workbook a person may have edited.
    """
    if not path.exists():
        return None
    folder = path.parent / PREVIOUS_FOLDER
    folder.mkdir(exist_ok=True)
    stamp = dt.datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H%M%S")
    kept = folder / f"{path.stem} ({stamp}){path.suffix}"
    counter = 1
    while kept.exists():
        counter += 1
        kept = folder / f"{path.stem} ({stamp} {counter}){path.suffix}"
    shutil.move(str(path), kept)
    return kept


def safe_file_name(text: str) -> str:
    """A file name that is valid on Windows, macOS and Linux: ``2023/24 Q2`` becomes ``2023-24 Q2``."""
    return re.sub(r'[<>:"/\\|?*]+', "-", text).strip(" .")


BACKUPS_KEPT = 10


class ConsolidationBlocked(Exception):
    """Consolidation cannot safely write the workbook; the message says why and what to do. Nothing was changed."""


def excel_owner_file(workbook: Path) -> Path:
    """The ``~$`` file Excel keeps beside a workbook while it is open."""
    return workbook.with_name("~$" + workbook.name)


def check_not_open(workbook: Path) -> None:
    owner = excel_owner_file(workbook)
    if owner.exists():
        raise ConsolidationBlocked(
            f"{workbook.name} is open in Excel (its owner file {owner.name} is present). Close it in Excel and run "
            f"Consolidate again. Nothing was changed.")


@contextlib.contextmanager
def consolidation_lock(workbook: Path) -> Iterator[None]:
    """Only one consolidation at a time per workbook; a lock left by a process that has gone is taken over."""
    lock = workbook.with_name(f".{workbook.name}.lock")
    workbook.parent.mkdir(parents=True, exist_ok=True)
    for attempt in range(2):
        try:
            handle = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            break
        except FileExistsError:
            holder = _lock_holder(lock)
            if attempt == 0 and holder is not None and not _alive(holder):
                lock.unlink(missing_ok=True)
                continue
            raise ConsolidationBlocked(
                f"Another consolidation of {workbook.name} is running ({lock.read_text(errors='replace').strip()}). "
                f"Wait for it to finish; if none is running, delete {lock.name}. Nothing was changed.") from None
    with os.fdopen(handle, "w") as stream:
        stream.write(f"process {os.getpid()}, started {dt.datetime.now():%Y-%m-%d %H:%M:%S}")
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)


def _lock_holder(lock: Path) -> int | None:
    try:
        words = lock.read_text().split()
        return int(words[1].rstrip(","))
    except (OSError, ValueError, IndexError):
        return None


def _alive(pid: int) -> bool:
    """Whether the process holding a lock is still running; where that cannot be told safely, assume it is.

    On Windows ``os.kill(pid, 0)`` would end the process rather than probe
    it, so a lock there is only ever removed by its holder or by hand.
    """
    if os.name == "nt":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists but belongs to someone else, or this platform cannot tell: assume alive
        return True
    return True


def replace_keeping_backup(written: Path, workbook: Path, kept: int = BACKUPS_KEPT) -> Path | None:
    """Swap a freshly written file in for the workbook in one step, first keeping the old one as a backup.

    The temporary file is written in the workbook's own folder, so the swap
    is a rename on one file system (``os.replace``): at every moment the
    workbook is either the old one or the new one, never half written.
    """
    backup = None
    if workbook.exists():
        folder = workbook.parent / PREVIOUS_FOLDER
        folder.mkdir(exist_ok=True)
        stamp = dt.datetime.now().strftime("%Y-%m-%d %H%M%S.%f")
        backup = folder / f"{workbook.stem} ({stamp}){workbook.suffix}"
        shutil.copy2(workbook, backup)
        _prune(folder, workbook, kept)
    os.replace(written, workbook)
    return backup


def _prune(folder: Path, workbook: Path, kept: int) -> None:
    backups = sorted(folder.glob(f"{workbook.stem} (*){workbook.suffix}"))
    for old in backups[:-kept]:
        old.unlink()
