"""Writing files without losing what was there: every overwritten file keeps its previous version."""

from __future__ import annotations

import datetime as dt
import re
import shutil
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
