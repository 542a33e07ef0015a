"""The deliverable statuses in a sheet: the dropdown a lead picks from and the RAG formula over it.

Deliverables and Improvement Plan actions are rated with the same statuses,
so both sheets take their list and their live RAG from here; both follow
the policy's vocabulary (the five statuses of domain.md by default).
"""

from __future__ import annotations

from ..rules.policy import DEFAULT_POLICY, Policy
from ..rules.text import squash


def status_list(policy: Policy = DEFAULT_POLICY) -> dict[str, object]:
    """The data validation of a status cell: exactly the policy's statuses."""
    statuses = [status for status, _ in policy.statuses]
    listed = ", ".join(statuses[:-1]) + f", or {statuses[-1]}" if len(statuses) > 1 else statuses[0]
    return {"validate": "list", "source": statuses, "input_title": "Status", "input_message": f"{listed}."[:255],
            "error_title": "Status", "error_message": "Choose one of the statuses from the list."}


#: What the formula drops before comparing, as :func:`pmf_excel.rules.text.squash` does for the engine (Excel's ``=``
#: already ignores case): spaces, line breaks and the punctuation a status is typed with.
_IGNORED = (" ", "CHAR(10)", "CHAR(13)", "/", "-", ".", ",")


def status_key(cell: str) -> str:
    """The status in ``cell`` as the formulas compare it: what :func:`pmf_excel.rules.text.squash` leaves."""
    key = cell
    for ignored in _IGNORED:
        key = f'SUBSTITUTE({key},{ignored if ignored.startswith("CHAR") else chr(34) + ignored + chr(34)},"")'
    return key


def status_rag_formula(cell: str, policy: Policy = DEFAULT_POLICY) -> str:
    """The live RAG of the status in ``cell``: the policy's statuses, blank is No update; case, spaces, line
    breaks and punctuation do not matter, as domain.md says and the engine reads them."""
    key = status_key(cell)
    keys = [(squash(status), rag) for status, rag in policy.statuses]
    if policy.statuses == DEFAULT_POLICY.statuses:
        keys.append(("completed", "Complete"))  # the word 003 also uses
    formula = '"Check status"'
    for squashed, rag in reversed(keys):
        formula = f'IF({key}="{squashed}","{rag}",{formula})'
    return f'=IF({key}="","No update",{formula})'
