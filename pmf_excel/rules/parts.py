"""Multi-part measures: one cell holding a figure per part, each part judged on its own.

Seed 004 has three shapes: labels before values (C14 ``litter - 2.50%
detritus - 6.50% …``, O8a ``T: 296,019 MS: 421,071 …``), a label after its
value (B12a ``52% Strengthening Families Other Partners 48%``) and a label in
brackets after its value (B12a's polarity ``Smaller is better (strengthenin g
families) Bigger is better (other partners)``). The measure shows its worst part.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from .errors import PMFValueError
from .models import Assessment, DotResult, Finding, MultiPartAssessment, RagResult
from .policy import DEFAULT_POLICY, Policy
from .verdicts import assess, breach_of

#: Severity used to pick the part a multi-part measure shows: Red first, a missing figure before a Green.
RAG_SEVERITY: dict[str, int] = {"Red": 4, "Amber": 3, "No data": 2, "Green": 1, "No target": 0}
DOT_SEVERITY: dict[str, int] = {"Worsening": 3, "No change": 2, "Improving": 1, "Not comparable": 0}

_SHORT_LABEL = 3


class PartLabel(BaseModel):
    """A part's name and the other ways a report writes it (``F2f`` for ``F-2-F``)."""

    model_config = ConfigDict(frozen=True)

    name: str
    aliases: tuple[str, ...] = ()

    def pattern(self) -> re.Pattern:
        """Match any spelling, tolerant of hyphenation spaces; labels of three letters or
        fewer (``T``, ``MS``) only count when a colon follows, so a stray letter never does."""
        alternatives = []
        for spelling in sorted({self.name, *self.aliases}, key=len, reverse=True):
            letters = [re.escape(ch) for ch in spelling if ch.isalnum()]
            body = r"[\s\-]*".join(letters)
            tail = r"(?=\s*:)" if len(letters) <= _SHORT_LABEL else ""
            alternatives.append(body + tail)
        return re.compile(r"(?<![A-Za-z0-9])(?:" + "|".join(alternatives) + r")(?![A-Za-z0-9])", re.IGNORECASE)


def split_parts(raw: object, labels: Sequence[PartLabel]) -> dict[str, object] | None:
    """Each part's own text from a cell, or None when the cell names no part (it applies to all)."""
    if not isinstance(raw, str):
        return None
    found = []
    for label in labels:
        for match in label.pattern().finditer(raw):
            found.append((match.start(), match.end(), label.name))
    kept: list[tuple[int, int, str]] = []
    for hit in sorted(found, key=lambda hit: (hit[0], -hit[1])):  # of two labels starting together, the longer
        if not kept or hit[0] >= kept[-1][1]:  # a label inside one already found is part of it
            kept.append(hit)
    found = kept
    if not found:
        return None
    parts: dict[str, object] = {}
    for index, (start, end, name) in enumerate(found):
        before = raw[found[index - 1][1] if index else 0:start]
        after = raw[end:found[index + 1][0] if index + 1 < len(found) else len(raw)]
        in_brackets = before.rstrip().endswith("(")
        chosen = _tidy(before) if in_brackets or not _tidy(after) else _tidy(after)
        parts.setdefault(name, chosen)
    return parts


def _tidy(chunk: str) -> str:
    chunk = chunk.strip().lstrip(":-–").rstrip(",;").strip()
    if chunk.startswith(")"):
        chunk = chunk[1:].strip()
    if chunk.endswith("("):
        chunk = chunk[:-1].strip()
    return chunk


def assess_parts(performance: object, target: object, tolerance: object, polarity: object,
                 parts: Sequence[PartLabel | str], *, last_quarter: object = None,
                 last_year: object = None, base: object = None, policy: Policy = DEFAULT_POLICY,
                 long_term: object = None) -> MultiPartAssessment:
    """Judge each part with :func:`assess` and show the worst.

    Each argument is either split by the part labels it contains or, when it
    names none (``5%``, ``Smaller is better``), shared by every part.
    """
    labels = [p if isinstance(p, PartLabel) else PartLabel(name=p) for p in parts]
    if not labels:
        raise PMFValueError("a list of parts", parts, "Give at least one part label.")
    fields = {"performance": performance, "target": target, "tolerance": tolerance, "polarity": polarity,
              "last_quarter": last_quarter, "last_year": last_year, "long_term": long_term}
    split = {name: split_parts(value, labels) for name, value in fields.items()}
    results: dict[str, Assessment] = {}
    for label in labels:
        own = {name: (split[name].get(label.name, "") if split[name] is not None else value)
               for name, value in fields.items()}
        try:
            results[label.name] = assess(own["performance"], own["target"], own["tolerance"], own["polarity"],
                                         last_quarter=own["last_quarter"], last_year=own["last_year"], base=base,
                                         policy=policy, long_term=own["long_term"] or None)
        except PMFValueError as error:
            raise PMFValueError(error.what, error.text, f"(part {label.name!r}) {error.expected}",
                                error.location) from None
    return _worst(results)


def _worst(results: dict[str, Assessment]) -> MultiPartAssessment:
    rag: RagResult = max((a.rag for a in results.values()), key=RAG_SEVERITY.__getitem__)
    listing = ", ".join(f"{label} {a.rag}" for label, a in results.items())
    warnings = tuple(Finding(code=w.code, message=f"{label}: {w.message}")
                     for label, a in results.items() for w in a.warnings)
    return MultiPartAssessment(
        rag=rag, reason=f"{rag}: the worst of {len(results)} parts ({listing}).", breach=breach_of(rag),
        dot_short=_worst_dot([a.dot_short for a in results.values()]),
        dot_long=_worst_dot([a.dot_long for a in results.values()]),
        parts=results, warnings=warnings,
    )


def _worst_dot(dots: list[DotResult | None]) -> DotResult | None:
    known = [d for d in dots if d is not None]
    return max(known, key=DOT_SEVERITY.__getitem__) if known else None
