"""The xlwings VBA the corporate workbook's buttons run on, from the one xlwings version this project pins.

``xlwings.bas`` calls a DLL named for its own version
(``xlwings64-0.37.8.dll``), which the xlwings add-in of that version
installs: a workbook carrying another version's module finds no DLL on the
performance team's machines. So the module is taken from the installed
xlwings only when it is the version pinned here and in ``pyproject.toml``
(the version whose add-in the council installs), and building the workbook
refuses otherwise. ``Dictionary.cls`` is the class xlwings' VBA uses in place
of ``Scripting.Dictionary``, which a Mac does not have.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
from pathlib import Path

from ...rules.errors import PMFBlocked

#: The xlwings whose VBA the .xlsm carries, and whose add-in the council installs (pyproject.toml pins it).
XLWINGS_VERSION = "0.37.8"


class XlwingsVersionError(PMFBlocked):
    """The installed xlwings is not the pinned one, so its VBA would not match the council's add-in."""


def installed_version() -> str:
    """The installed xlwings' version, from its package metadata (no import)."""
    return importlib.metadata.version("xlwings")


def xlwings_vba() -> tuple[dict[str, str], dict[str, str]]:
    """xlwings' standard module and class modules (name → source), from the installed xlwings, which must be
    the pinned version.

    xlwings is found and its version read, not imported: importing it would
    load pandas and pyarrow only to read two text files.
    """
    spec = importlib.util.find_spec("xlwings")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("No module named 'xlwings': the workbook's buttons carry its VBA", name="xlwings")
    version = installed_version()
    if version != XLWINGS_VERSION:
        raise XlwingsVersionError(
            f"The workbook's buttons carry xlwings' VBA, which must be xlwings {XLWINGS_VERSION}'s (the version "
            f"of the add-in the council installs, pinned in pyproject.toml), but xlwings {version} is "
            f"installed. Install the pinned version (python -m pip install \"xlwings=={XLWINGS_VERSION}\") and "
            "try again; the workbook was not written.")
    folder = Path(next(iter(spec.submodule_search_locations)))
    return ({"xlwings": (folder / "xlwings.bas").read_text(encoding="cp1252")},
            {"Dictionary": (folder / "addin" / "Dictionary.cls").read_text(encoding="cp1252")})
