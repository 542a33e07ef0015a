"""The five statuses of domain.md in a sheet: the dropdown a lead picks from and the RAG formula over it.

Deliverables and Improvement Plan actions are rated with the same statuses,
so both sheets take their list and their live RAG from here.
"""

from __future__ import annotations

from ..rules import DELIVERABLE_STATUSES

#: The data validation of a status cell: exactly the five statuses.
STATUS_LIST = {
    "validate": "list", "source": list(DELIVERABLE_STATUSES), "input_title": "Status",
    "input_message": "On Track, Medium Issue/Slippage, Significant issues/risks/slippage, Complete, or No update "
                     "available.", "error_title": "Status",
    "error_message": "Choose one of the five statuses from the list."}


def status_rag_formula(cell: str) -> str:
    """The live RAG of the status in ``cell``: the five statuses of the framework, blank is No update."""
    rags = list(DELIVERABLE_STATUSES.items())
    formula = '"Check status"'
    for status, rag in reversed(rags):
        formula = f'IF({cell}="{status}","{rag}",{formula})'
    return f'=IF(TRIM({cell})="","No update",{formula})'
