"""The five statuses of domain.md in a sheet: the dropdown a lead picks from and the RAG formula over it.

Deliverables and Improvement Plan actions are rated with the same statuses,
so both sheets take their list and their live RAG from here.
"""

from __future__ import annotations

from ..rules import DELIVERABLE_STATUSES
from ..text import squash

#: The data validation of a status cell: exactly the five statuses.
STATUS_LIST = {
    "validate": "list", "source": list(DELIVERABLE_STATUSES), "input_title": "Status",
    "input_message": "On Track, Medium Issue/Slippage, Significant issues/risks/slippage, Complete, or No update "
                     "available.", "error_title": "Status",
    "error_message": "Choose one of the five statuses from the list."}


#: What the formula drops before comparing, as :func:`pmf_excel.text.squash` does for the engine (Excel's ``=``
#: already ignores case): spaces, line breaks and the punctuation a status is typed with.
_IGNORED = (" ", "CHAR(10)", "CHAR(13)", "/", "-", ".", ",")


def status_key(cell: str) -> str:
    """The status in ``cell`` as the formulas compare it: what :func:`pmf_excel.text.squash` leaves."""
    key = cell
    for ignored in _IGNORED:
        key = f'SUBSTITUTE({key},{ignored if ignored.startswith("CHAR") else chr(34) + ignored + chr(34)},"")'
    return key


def status_rag_formula(cell: str) -> str:
    """The live RAG of the status in ``cell``: the five statuses of the framework, blank is No update; case,
    spaces, line breaks and punctuation do not matter, as domain.md says and the engine reads them."""
    key = status_key(cell)
    keys = [(squash(status), rag) for status, rag in DELIVERABLE_STATUSES.items()] + [("completed", "Complete")]
    formula = '"Check status"'
    for squashed, rag in reversed(keys):
        formula = f'IF({key}="{squashed}","{rag}",{formula})'
    return f'=IF({key}="","No update",{formula})'
