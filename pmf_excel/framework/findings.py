"""Data-quality findings: every problem Consolidate meets is one of these rows, and none stops the rest."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Severity = Literal["Error", "Warning", "Information"]


class Finding(BaseModel):
    """One row of the Data quality sheet: where (file, sheet, cell), what was there, what is wrong."""

    model_config = ConfigDict(frozen=True)

    file: str
    sheet: str = ""
    cell: str = ""
    ref: str = ""
    text: str = ""
    message: str
    severity: Severity = "Error"

    def where(self) -> str:
        return " › ".join(part for part in (self.file, self.sheet, self.cell) if part)


def shown(value: object, limit: int = 120) -> str:
    """A cell's content as the Data quality sheet shows it, cut short."""
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
