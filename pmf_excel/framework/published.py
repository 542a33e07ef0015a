"""The rows of a council's published reports, every cell exactly as printed.

Nothing is cleaned in these models: Cyrillic look-alikes, hyphenation
spaces and typos stay as the council printed them, so that the engine's
reading of them is what gets tested, and a return pre-filled from a
published report shows what the council published.
"""

from __future__ import annotations

from pydantic import BaseModel


class IndicatorRow(BaseModel):
    """One indicator row of a Corporate Performance Report, every cell as printed."""

    line: int
    ref: str
    indicator: str
    polarity: str
    target: str
    tolerance: str
    performance: str
    last_quarter: str
    last_year: str
    commentary: str
    directorate: str
    outcome: str
    annual_section: bool = False


#: PDF artefacts glued to a rating: the column header ("RAG On Track") and a stray glyph ("ı On Track").
_ARTEFACTS = ("RAG ", "ı ")


class StatusCell(BaseModel):
    """A deliverable rating cell: where it is and its text as printed."""

    line: int
    column: int
    text: str

    @property
    def rating(self) -> str:
        """The rating without a glued artefact."""
        text = self.text.strip()
        for artefact in _ARTEFACTS:
            if text.startswith(artefact):
                return text[len(artefact):]
        return text


class ActionRow(BaseModel):
    """One directorate action of a Corporate Plan deliverables report, its cells as printed."""

    line: int
    outcome: str
    cp_ref: str
    commitment: str
    bp_ref: str
    action: str
    rating: str
    update: str
    #: The action the report says this one repeats ("Duplicate - see ASC17a" printed under it).
    duplicate_of: str = ""


