"""Read the council's published reports (PDF text, tab-separated) into rows, exactly as written.

Nothing is cleaned here: Cyrillic look-alikes, hyphenation spaces and typos
stay as the council printed them, so that the engine's reading of them is
what gets tested. What this module does undo is the PDF's layout: repeated
header rows, mangled outcome headings, and text spilled into the next line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from ..framework.outcomes import OUTCOMES
from ..framework.published import ActionRow, IndicatorRow, StatusCell
from ..rules.text import clean, squash
from ..workbooks.files import UnusablePath

#: How each heading starts once tags, spaces and case are gone ("Stong" is the report's typo).
_HEADINGS = {
    "thebeststart": OUTCOMES[0],
    "peoplelivewell": OUTCOMES[1],
    "stongresilien": OUTCOMES[2],
    "strongresilien": OUTCOMES[2],
    "qualityhomes": OUTCOMES[3],
    "astrongandinclusive": OUTCOMES[4],
    "aconnectedandaccessible": OUTCOMES[5],
    "oneteamone": OUTCOMES[6],
    "onecouncilone": OUTCOMES[6],
}
#: The report prints A2d (road safety schemes) under the economy heading, but refs starting "A" belong to
#: A Connected and Accessible Sandwell, which has no heading of its own in the Q2 report.
_OUTCOME_BY_REF_PREFIX = {"A": OUTCOMES[5]}
_TAG = re.compile(r"<[^>]+>")
_HEADER = "CP & D reference"
_CELLS = 10


def read_indicator_report(path: Path) -> list[IndicatorRow]:
    """Every indicator row, in the report's order, under the strategic outcome it is printed in."""
    rows: list[IndicatorRow] = []
    outcome, annual, in_table = OUTCOMES[0], False, False
    for number, line in enumerate(_report_lines(Path(path)), start=1):
        cells = [cell.strip() for cell in line.split("\t")]
        if cells[0].startswith(_HEADER):
            in_table = True  # everything before the first header is the RAG legend
            continue
        if not in_table or len(cells) < 2:
            continue
        heading = _heading(cells)
        if heading:
            spilled = " ".join(cell for cell in cells[3:] if _is_prose(cell))
            if spilled and rows:
                rows[-1] = rows[-1].model_copy(update={"commentary": f"{rows[-1].commentary} {spilled}".strip()})
            outcome, annual = heading, "annualp" in squash(" ".join(cells))
            continue
        cells += [""] * (_CELLS - len(cells))
        ref = cells[0]
        rows.append(IndicatorRow(
            line=number, ref=ref, indicator=cells[1], polarity=cells[2], target=cells[3], tolerance=cells[4],
            performance=cells[5], last_quarter=cells[6], last_year=cells[7], commentary=cells[8],
            directorate=cells[9],
            outcome=_OUTCOME_BY_REF_PREFIX.get(clean(ref)[:1], outcome), annual_section=annual,
        ))
    if not rows:
        raise UnusablePath(f"{Path(path).name} holds no indicator rows: no line starts with the table heading "
                           f"'{_HEADER}'. Give the report's text, tab-separated, as samples/reports/ holds it.")
    return rows


def _report_lines(path: Path) -> list[str]:
    """A report's text by line; a file that is not text, or not there, is an :class:`UnusablePath`."""
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        raise UnusablePath(f"{path.name} is not a report's text (it is not UTF-8 text; a workbook or a PDF, "
                           "perhaps): give the report's text, tab-separated, as samples/reports/ holds it.") \
            from None
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise UnusablePath(f"{path} is not a file.") from None


def _heading(cells: list[str]) -> str | None:
    key = squash(_TAG.sub("", "".join(cells[:3])))
    return next((name for start, name in _HEADINGS.items() if key.startswith(start)), None)


def _is_prose(cell: str) -> bool:
    """Spilled commentary, as opposed to the PDF's stray ruling marks (``<u> </u>``, ``T T``, ``i i i``)."""
    words = _TAG.sub("", cell).split()
    return len(words) >= 4 and sum(len(w) > 2 for w in words) >= 3


# --- Corporate Plan deliverables (003) ---------------------------------------------------------------

#: The five ratings of domain.md as they appear in 003, compared without case, spaces or punctuation.
#: "Completed" is not one: in 003 it never fills a cell alone, it only occurs inside update sentences.
RATINGS = ("On Track", "Medium Issue/Slippage", "Significant issues/risks/slippage", "Complete",
           "No update available")
_RATING_KEYS = {squash(rating) for rating in RATINGS}


def read_deliverable_statuses(path: Path) -> list[StatusCell]:
    """Every rating cell of a deliverables report: cells that are a rating and nothing else.

    The PDF shifts cells left and right, so the rating column is found by
    content, not position; "completed" inside an update sentence is not a rating.
    """
    found = []
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        for column, cell in enumerate(line.split("\t")):
            if squash(StatusCell(line=number, column=column, text=cell).rating) in _RATING_KEYS:
                found.append(StatusCell(line=number, column=column, text=cell))
    return found


def count_status_mentions(path: Path, statuses: Iterable[str] = RATINGS) -> dict[str, int]:
    """How many cells of the report are exactly each status: any case and spacing, an optional closing full stop.

    Deliberately plainer than :func:`read_deliverable_statuses` (no glued
    artefacts, no look-alike letters, no punctuation folding), so that a test
    can reconcile the two: any difference must be an artefact cell.
    """
    wanted = {" ".join(status.split()).casefold(): status for status in statuses}
    counts = dict.fromkeys(wanted.values(), 0)
    for line in Path(path).read_text(encoding="utf-8").split("\n"):
        for cell in line.split("\t"):
            status = wanted.get(" ".join(cell.split()).removesuffix(".").casefold())
            if status is not None:
                counts[status] += 1
    return counts


#: Directorate action codes as 003 prints them: CH11, PH8, ASC 19, ACE27, LG10, BE44, R20, H2, F2 (and PH.6).
_BP_REF = re.compile(r"^(ACE|ASC|CH|PH|BE|LG|R|H|F)\s?\.?\s?(\d{1,3}[a-z]?)\b\s*(.*)$")
_EMBEDDED_BP = re.compile(r"\b(ACE|ASC|CH|PH|BE|LG|R|H|F)\s?(\d{1,3}[a-z]?)\s+(.+)$")
_DUPLICATE = re.compile(r"^duplicate\s*-\s*see\s+(\S+)", re.IGNORECASE)
_CP_REF = re.compile(r"^([A-Z]{1,2})(\d{1,2})$")


def read_deliverables_report(path: Path) -> list[ActionRow]:
    """Every action of a deliverables report that carries a rating, in the report's order.

    The PDF shifts cells left and right, so each row is read from its rating
    cell outwards: the update follows it, the action precedes it, the BP ref
    precedes the action (or starts it: "ASC28 Develop …"), and a CP ref with
    its commitment comes first. A row without a CP ref belongs to the
    commitment above it, as the printed table shows.
    """
    rows: list[ActionRow] = []
    outcome, cp_ref, commitment = OUTCOMES[0], "", ""
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        cells = [cell.strip() for cell in line.split("\t")]
        filled = [cell for cell in cells if cell]
        if len(filled) == 1 and (heading := _heading(filled)):
            outcome, cp_ref, commitment = heading, "", ""
            continue
        duplicate = next((match.group(1) for cell in cells if (match := _DUPLICATE.match(cell))), None)
        if duplicate and rows:
            rows[-1] = rows[-1].model_copy(update={"duplicate_of": clean(duplicate)})
        rated = next((i for i, cell in enumerate(cells)
                      if squash(StatusCell(line=number, column=i, text=cell).rating) in _RATING_KEYS), None)
        if rated is None or "CP Ref" in cells:
            continue
        bp_at, bp_ref, action = _action(cells[:rated])
        found_cp = next(((i, clean(cell)) for i, cell in enumerate(cells[:bp_at]) if _CP_REF.match(clean(cell))),
                        None)
        if found_cp:
            cp_ref = found_cp[1]
            following = [cell for cell in cells[found_cp[0] + 1:bp_at] if cell]
            commitment = following[0] if following else commitment
        rows.append(ActionRow(line=number, outcome=outcome, cp_ref=cp_ref, commitment=commitment, bp_ref=bp_ref,
                              action=action, rating=cells[rated],
                              update=cells[rated + 1] if rated + 1 < len(cells) else ""))
    return rows


def _action(left: list[str]) -> tuple[int, str, str]:
    """(index of the BP ref's cell, BP ref, action) from the cells left of the rating.

    The action is the text nearest the rating; the BP ref is the code just
    before it, or the code the action's own cell starts with.
    """
    for index in range(len(left) - 1, -1, -1):
        match = _BP_REF.match(clean(left[index]))
        if match:
            after = match.group(3) or next((cell for cell in left[index + 1:] if cell), "")
            return index, f"{match.group(1)}{match.group(2)}", after
    texts = [i for i, cell in enumerate(left) if cell]
    if not texts:
        return len(left), "", ""
    action = left[texts[-1]]
    for index in texts[:-1]:  # a code printed at the end of the commitment, just before the action's own words
        match = _EMBEDDED_BP.search(clean(left[index]))
        if match and clean(action).startswith(match.group(3)[:20]):
            return index, f"{match.group(1)}{match.group(2)}", action
    return texts[-1], "", action
