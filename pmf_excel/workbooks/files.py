"""Files a person names, opened with a message when they are not what is asked, and written without losing
what was there: every overwritten file keeps its previous version, and the corporate workbook is only ever
swapped whole, by one consolidation at a time, never while open in Excel, never when marked read-only; a write
that fails part way leaves the workbook, its backups and its lock as they were."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import glob
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..framework.quarters import quarter_end
from ..rules.errors import PMFBlocked, PMFInputError

PREVIOUS_FOLDER = "previous versions"


#: What a file made for no quarter records as its making: the date xlsxwriter gives every part inside an .xlsx.
NO_DATE = dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)


def document_time(quarter: str = "") -> dt.datetime:
    """When a generated workbook says it was made: fixed, so that regenerating unchanged inputs changes no byte.

    ``SOURCE_DATE_EPOCH`` when it is set (the reproducible-builds convention),
    else the last day of the quarter the file is for, else :data:`NO_DATE`.
    """
    if epoch := os.environ.get("SOURCE_DATE_EPOCH", "").strip():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    if quarter:
        return dt.datetime.combine(quarter_end(quarter), dt.time(), dt.timezone.utc)
    return NO_DATE


def consolidation_time() -> dt.datetime:
    """When a consolidation ran, as the Dashboard says it: now, or ``SOURCE_DATE_EPOCH`` when that is set."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").strip():
        return document_time()
    return dt.datetime.now().astimezone()


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


class ConsolidationBlocked(PMFBlocked):
    """Consolidation cannot safely write the workbook; the message says why and what to do. Nothing was changed."""


WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def check_workbook_name(workbook: Path) -> Path:
    """A workbook about to be written is named .xlsx or .xlsm, and is not a folder: anything else would be an
    Excel file Excel refuses to open, under a name that says otherwise."""
    if workbook.is_dir():
        raise UnusablePath(f"{workbook} is a folder, not a workbook: give the workbook's file name, e.g. "
                           f"{workbook / 'Corporate monitoring.xlsx'}.")
    if workbook.suffix.lower() not in WORKBOOK_SUFFIXES:
        raise UnusablePath(f"{workbook.name} is not an Excel workbook name: give it an .xlsx name (or .xlsm for "
                           "the Consolidate button).")
    return workbook


def excel_owner_file(workbook: Path) -> Path:
    """The ``~$`` file Excel keeps beside a workbook while it is open."""
    return workbook.with_name("~$" + workbook.name)


def check_not_open(workbook: Path) -> None:
    owner = excel_owner_file(workbook)
    if owner.exists():
        raise ConsolidationBlocked(
            f"{workbook.name} is open in Excel (its owner file {owner.name} is present). Close it in Excel and run "
            f"Consolidate again. Nothing was changed.")


def check_writable(workbook: Path) -> None:
    """Refuse, before anything is read or written, a workbook that cannot or must not be written.

    A workbook marked read-only is someone's decision and is never written
    over (replacing the file would clear the mark). A folder given as the
    workbook, or a name that is not .xlsx or .xlsm, is a mistyped path, as is a
    folder that is a file; a folder that cannot be created is blocked.
    """
    check_workbook_name(workbook)
    if workbook.exists() and not workbook.stat().st_mode & stat.S_IWRITE:
        raise ConsolidationBlocked(f"{workbook.name} is read-only. Clear its read-only mark (Properties, or chmod u+w) "
                                   "or consolidate into a copy. Nothing was changed.")
    try:
        workbook.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise UnusablePath(f"The workbook's folder {workbook.parent} cannot be made: part of that path is a file, "
                           "not a folder. Give a folder that exists or can be created.") from None
    except OSError as error:
        raise ConsolidationBlocked(f"The workbook's folder {workbook.parent} cannot be made ({_reason(error)}). "
                                   "Nothing was changed.") from None


def folder_files(folder: Path, what: str = "folder") -> list[Path]:
    """The files directly in a folder a person named (``what`` it is, for the message), or a message saying why
    it cannot be listed: missing, a file, a loop of links (bad input), or unreadable (blocked)."""
    try:
        entries = list(folder.iterdir())
    except FileNotFoundError:
        raise UnusablePath(f"The {what} {folder} does not exist.") from None
    except NotADirectoryError:
        raise UnusablePath(f"{folder} is a file, not a folder: give the folder that holds the files.") from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise UnusablePath(f"The {what} {folder} is a link that leads back to itself (a loop of links): "
                               "give the folder itself.") from None
        raise ConsolidationBlocked(f"The {what} {folder} cannot be read ({_reason(error)}). Nothing was "
                                   "changed.") from None
    return [entry for entry in entries if _is_file(entry)]


def _is_file(path: Path) -> bool:
    """Whether a folder entry is a file; a link that leads nowhere, or in a loop, is not."""
    try:
        return path.is_file()
    except OSError:
        return False


def same_file(first: Path, second: Path) -> bool:
    """Whether two paths name one file (through links and case-insensitive names too); False when either cannot
    be reached."""
    try:
        return os.path.samefile(first, second)
    except OSError:
        return False


class UnusablePath(PMFInputError):
    """A path given to a command that cannot be what it is asked to be: a folder that is a file, a file that is
    not a workbook, a loop of links. The message names it and says what to give instead."""


def open_workbook(path: Path):
    """A workbook a person named, opened for reading (a python-calamine ``CalamineWorkbook``, each sheet measured
    before it is read: a stray cell far away would abort python-calamine); a folder, or a file that is not a
    workbook, is an :class:`UnusablePath` naming it rather than python-calamine's own error."""
    from python_calamine import CalamineWorkbook  # the workbooks extra; this module serves the engine's commands too

    from .sheet_extent import MeasuredWorkbook

    if path.is_dir():
        raise UnusablePath(f"{path} is a folder, not a workbook: give the workbook's file (.xlsx or .xlsm).")
    try:
        return MeasuredWorkbook(path, CalamineWorkbook.from_path(str(path)))
    except FileNotFoundError:
        raise UnusablePath(f"{path} does not exist.") from None
    except Exception as error:  # noqa: BLE001 - python-calamine raises its own types for every kind of damage
        raise UnusablePath(f"{path.name} is not a workbook that can be read ({type(error).__name__}: "
                           f"{str(error)[:200]}). Give the workbook itself (.xlsx or .xlsm), saved from Excel.") \
            from None


@contextlib.contextmanager
def consolidation_lock(workbook: Path) -> Iterator[None]:
    """Only one consolidation at a time per workbook, by an operating-system lock on a file beside it.

    The OS releases the lock when its process ends, however it ends (a crash,
    kill -9, a power cut), so a lock is never stale and is never taken over:
    there is no race between processes deciding a holder has gone. The lock
    file itself stays (removing it would let two processes lock two files);
    an empty one locks nothing.
    """
    from filelock import FileLock, Timeout  # the workbooks extra; this module serves the engine's commands too

    lock = FileLock(workbook.with_name(f".{workbook.name}.lock"), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise ConsolidationBlocked(f"Another consolidation of {workbook.name} is running. Wait for it to finish, "
                                   "then run Consolidate again. Nothing was changed.") from None
    except OSError as error:
        raise ConsolidationBlocked(f"Nothing can be written in {workbook.parent} ({_reason(error)}), so "
                                   f"{workbook.name} cannot be consolidated there: use a folder you can write in. "
                                   "Nothing was changed.") from None
    try:
        yield
    finally:
        lock.release()


def _reason(error: OSError) -> str:
    """What went wrong with a file, in the operating system's words (No space left on device, Permission
    denied), without the traceback's detail."""
    return error.strerror or str(error) or type(error).__name__


def write_failed(workbook: Path, error: BaseException) -> ConsolidationBlocked:
    """The message for a write that failed part way (disk full, permission, a network drive gone): the workbook
    is as it was, because nothing is swapped in until it is whole."""
    if not isinstance(error, OSError) and error.args and isinstance(error.args[0], OSError):
        error = error.args[0]  # xlsxwriter's FileCreateError carries the operating system's error
    reason = _reason(error) if isinstance(error, OSError) else str(error)
    return ConsolidationBlocked(f"{workbook.name} could not be written ({reason}). The workbook is as it was; "
                                "free some space or fix the folder's permissions, then run Consolidate again.")


def temporary_beside(path: Path) -> Path:
    """Where a file is written before it is swapped in: hidden beside it, named after this process."""
    return path.with_name(f".{path.stem}.{os.getpid()}{TEMPORARY}{path.suffix}")


TEMPORARY = ".tmp"
PARTS = ".parts"


@contextlib.contextmanager
def parts_beside(path: Path) -> Iterator[Path]:
    """A new hidden folder beside ``path`` for the parts of the file being written there (each sheet's XML, until
    it is zipped), removed with them when the file is written or the write fails.

    Beside the file rather than in the system's temporary folder, so that a
    run killed mid-write leaves them only where :func:`remove_leftovers`
    finds them (named after the temporary file, itself named after its run).
    """
    folder = Path(tempfile.mkdtemp(prefix=f".{path.name.lstrip('.')}.", suffix=PARTS, dir=path.parent))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def remove_leftovers(*written: Path) -> list[Path]:
    """Delete the temporary files that runs killed mid-write left for these files: beside each (by their
    process number, with the folder of a file's parts) and among its previous versions (a backup being
    copied). Called while holding the workbook's lock, so no other run can be writing them. Returns what was
    removed."""
    removed = []
    for path in written:
        stem, suffix, tmp, parts = (re.escape(part) for part in (path.stem, path.suffix, TEMPORARY, PARTS))
        for folder, pattern in ((path.parent, re.compile(rf"\.{stem}\.\d+{tmp}{suffix}(?:\.\w+{parts})?")),
                                (path.parent / PREVIOUS_FOLDER, re.compile(rf"\.{stem} \([^)]*\){tmp}{suffix}"))):
            if folder.is_dir():
                for leftover in folder.iterdir():
                    if pattern.fullmatch(leftover.name) and _removed(leftover):
                        removed.append(leftover)
    return removed


def _removed(leftover: Path) -> bool:
    """Delete a leftover file, or a folder of parts with what is in it; whether it was one."""
    if leftover.name.endswith(PARTS) and leftover.is_dir() and not leftover.is_symlink():
        shutil.rmtree(leftover, ignore_errors=True)
        return True
    if leftover.is_file():
        leftover.unlink(missing_ok=True)
        return True
    return False


def replace_keeping_backup(written: Path, workbook: Path, kept: int = BACKUPS_KEPT) -> Path | None:
    """Swap a freshly written file in for the workbook in one step, first keeping the old one as a backup.

    The temporary file is written in the workbook's own folder, so the swap
    is a rename on one file system (``os.replace``): at every moment the
    workbook is either the old one or the new one, never half written. The
    backup is copied under a temporary name and renamed when whole, so a
    failed or killed copy never leaves a damaged previous version; if the
    swap then fails, the backup (a copy of the workbook that is still there)
    is removed. Old backups are pruned only once the new workbook is in.
    """
    backup = None
    folder = workbook.parent / PREVIOUS_FOLDER
    if workbook.exists():
        folder.mkdir(exist_ok=True)
        stamp = dt.datetime.now().strftime("%Y-%m-%d %H%M%S.%f")
        backup = folder / f"{workbook.stem} ({stamp}){workbook.suffix}"
        partial = folder / f".{backup.stem}{TEMPORARY}{backup.suffix}"
        try:
            shutil.copy2(workbook, partial)
            os.replace(partial, backup)
        finally:
            partial.unlink(missing_ok=True)
    try:
        os.replace(written, workbook)
    except BaseException:
        if backup is not None:
            backup.unlink(missing_ok=True)
        raise
    if backup is not None:
        _prune(folder, workbook, kept)
    return backup


def _prune(folder: Path, workbook: Path, kept: int) -> None:
    """Keep the newest ``kept`` backups; one that cannot be deleted now (open elsewhere) is pruned next time."""
    backups = sorted(folder.glob(f"{glob.escape(workbook.stem)} (*){workbook.suffix}"))
    for old in backups[:-kept]:
        with contextlib.suppress(OSError):
            old.unlink()
