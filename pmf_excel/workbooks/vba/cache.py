"""The buttons' ``vbaProject.bin`` built once for each set of sources, then read back.

Compressing the VBA (some 60 kB of xlwings' module and class, in pure Python)
is most of what writing the .xlsm costs beyond the .xlsx, and its sources
change only when ``macros/`` or the pinned xlwings do. So a build is kept in
the user's cache folder under a name made from everything the bytes depend
on: the sources, the sheets' code names, and this package's own builder
(its source files), so that a changed input or builder never finds an old
build. A kept build carries a checksum of itself and is used only when the
checksum holds; a cache folder that cannot be read or written (a read-only
profile, xlwings Lite's browser) is no error, the project is built each time.
``PMF_EXCEL_CACHE`` names another folder (the tests use their own).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

from .project import build_vba_project

#: The modules whose source decides the bytes a build gives.
_BUILDER = ("compression.py", "compound_file.py", "project.py")
_CHECKSUM = 32


def cache_folder() -> Path:
    """``PMF_EXCEL_CACHE``, else the platform's folder for a user's caches (``%LOCALAPPDATA%``, ``~/Library/Caches``,
    ``$XDG_CACHE_HOME`` or ``~/.cache``), ``pmf-excel`` in it."""
    if named := os.environ.get("PMF_EXCEL_CACHE", "").strip():
        return Path(named)
    if os.name == "nt":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "pmf-excel" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "pmf-excel"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "pmf-excel"


def cached_vba_project(modules: dict[str, str], *, classes: dict[str, str],
                       sheet_modules: tuple[str, ...]) -> bytes:
    """What ``build_vba_project(modules, classes=classes, sheet_modules=sheet_modules)`` gives, read from the
    cache when it was built before from the same sources by the same builder."""
    try:
        path = cache_folder() / f"vbaProject-{_key(modules, classes, sheet_modules)}.bin"
    except OSError:  # the builder's own source cannot be read (installed without it): nothing to key a build by
        return build_vba_project(modules, classes=classes, sheet_modules=sheet_modules)
    with contextlib.suppress(OSError):
        kept = path.read_bytes()
        if hashlib.sha256(kept[_CHECKSUM:]).digest() == kept[:_CHECKSUM]:
            return kept[_CHECKSUM:]
    built = build_vba_project(modules, classes=classes, sheet_modules=sheet_modules)
    _keep(path, hashlib.sha256(built).digest() + built)
    return built


def _key(modules: dict[str, str], classes: dict[str, str], sheet_modules: tuple[str, ...]) -> str:
    digest = hashlib.sha256(json.dumps([modules, classes, sheet_modules], sort_keys=True).encode("utf-8"))
    here = Path(__file__).parent
    for name in _BUILDER:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


def _keep(path: Path, data: bytes) -> None:
    """Write a build into the cache whole (a temporary file renamed into place), or not at all."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".vbaProject-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
