"""What a consolidation found, line by line: the report's lines and measures, the actions, and the counts
every report narrates.

The writers lay these out; the consolidation makes them. Neither knows the
other: both import these models.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Literal

from pydantic import Field

from ..rules.models import DeliverableResult, DotResult, RagResult
from .outcomes import in_plan_order
from .records import Record
from .returns import JudgedBy

RAG_STATES = ("Green", "Amber", "Red", "No target", "No data")
ACTION_STATES = ("Green", "Amber", "Red", "Complete", "No update")
RISK_STATES = ("Red", "Amber", "Green", "Not scored")

#: A line's RAG, or Not due for a measure that does not report this quarter (it stays out of the counts).
LineRag = RagResult | Literal["Not due"]
NOT_DUE = "Not due"


class IndicatorResult(Record):
    """One line of the corporate report: the definition, what was returned, and the engine's verdicts."""

    ref: str
    measure_ref: str
    part: str = ""
    indicator: str
    outcome: str
    directorate: str
    polarity: str
    target: str
    tolerance: str
    frequency: str
    performance: object = None
    #: The performance as a report prints it, in the measure's unit ("77%", "1 min 27 secs").
    performance_shown: str = ""
    last_quarter: object = None
    last_year: object = None
    commentary: str = ""
    rag: LineRag | None = None
    dot_short: DotResult | None = None
    dot_long: DotResult | None = None
    breach: bool | None = None
    reason: str = ""
    warnings: list[str] = Field(default_factory=list)
    source: str = ""
    #: The quarter the figure is for: this quarter, or an earlier one for a measure reported in arrears.
    period: str = ""
    #: The rule policy and version it was judged under.
    policy: str = ""
    #: What the engine judged it by, for a report's native formulas; None for a line that was not judged.
    judged_by: JudgedBy | None = None
    #: The responsible officer's own rating where the policy asks for it, the engine's suggestion (which ``rag`` is
    #: unless the policy lets the officer's rating decide), and what is said where the two differ.
    officer_rating: str = ""
    engine_rag: RagResult | None = None
    officer_note: str = ""
    #: The year-end forecast returned, where the policy colours a missed target by it.
    forecast: object = None


class MeasureResult(Record):
    """A measure as counted and reported: a single line, or the worst of its parts."""

    ref: str
    indicator: str
    outcome: str
    directorate: str
    rag: LineRag | None
    dot_short: DotResult | None
    dot_long: DotResult | None
    breach: bool | None
    lines: list[IndicatorResult]


class ActionResult(Record):
    """A Corporate Plan action as the report shows it: its status, the RAG the framework gives it, the update."""

    ref: str
    cp_ref: str
    commitment: str
    bp_ref: str
    action: str
    outcome: str
    directorate: str
    status: str = ""
    rag: DeliverableResult | None = None
    update: str = ""
    source: str = ""
    #: What the action's evidence suggests, and where it disagrees with the rating (which is never changed).
    suggested: str = ""
    evidence: list[str] = Field(default_factory=list)
    evidence_warning: bool = False


def exception_lines(measures: Sequence[MeasureResult]) -> list[tuple[str, IndicatorResult]]:
    """The lines the performance team reports by exception, each once, under its most serious heading."""
    found = []
    for measure in measures:
        for line in measure.lines:
            if line.officer_note:  # a rating the engine does not bear out: the team decides, so it comes first
                found.append(("Officer's rating differs from the engine", line))
            elif line.rag == "Red":
                found.append(("Red: tolerance breached", line))
            elif line.rag == "Amber" and line.dot_short == "Worsening":
                found.append(("Amber and worsening", line))
            elif line.rag == "No data":
                found.append(("No data", line))
            elif line.rag is None:
                found.append(("Not judged: see Data quality", line))
    return found


def outcome_order(measures: Sequence[MeasureResult]) -> list[str]:
    """The strategic outcomes present, in the Corporate Plan's order."""
    return in_plan_order(m.outcome for m in measures)


def rag_counts(measures: Sequence[MeasureResult], key: str) -> dict[str, Counter]:
    """Measures by RAG for each strategic outcome or directorate (``key``): what the reports narrate; measures
    not due this quarter are not counted."""
    counts: dict[str, Counter] = {}
    for measure in measures:
        if measure.rag != "Not due":  # a measure not due this quarter stays out of the counts
            counts.setdefault(getattr(measure, key), Counter())[measure.rag or "Not judged"] += 1
    return counts
