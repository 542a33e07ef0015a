"""The Rules sheet of the corporate workbook: the rule policy the performance team maintains, which
Consolidate judges by and History records."""

from __future__ import annotations

from pathlib import Path

from ..rules.policy import Policy, policy_from_rows
from .files import open_workbook

#: The sheet's name in the corporate workbook.
RULES_SHEET = "Rules"


def read_rules(workbook: Path) -> Policy | None:
    """The rule policy on the workbook's Rules sheet; None when the file or the sheet is not there yet."""
    if not workbook.exists():
        return None
    book = open_workbook(workbook)
    if RULES_SHEET not in book.sheet_names:
        return None
    return policy_from_rows(book.get_sheet_by_name(RULES_SHEET).to_python(skip_empty_area=False),
                            f"{workbook.name} › {RULES_SHEET}")
