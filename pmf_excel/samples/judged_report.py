"""Re-judge a published Corporate Performance Report row by row, and tell it as the Cabinet report does.

The council's report states a RAG for each indicator; this recomputes every
RAG, DOT and breach from the figures alone, so that the engine's answers can
be read beside the council's commentary. One unreadable cell becomes a
problem on that row, naming the report, line, column and text; the other
rows and the other cells of that row are still judged.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from ..framework.published import IndicatorRow
from ..rules.errors import PMFValueError
from ..rules.models import DotResult, RagResult
from ..rules.parts import PartLabel, assess_parts
from ..rules.policy import DEFAULT_POLICY, Policy
from ..rules.text import clean
from ..rules.verdicts import assess, comparison_figures, explain_direction
from .seed_reports import read_indicator_report


class Schedule(BaseModel):
    """When a measure reports, where its row says so only in words: its quarters, its lag, and the evidence."""

    reports_in: list[int] = Field(default_factory=list)
    lag: int = 0
    why: str


class MeasureNotes(BaseModel):
    """What a report's rows do not say in readable form: parts of multi-part measures, budget bases, and when
    measures report."""

    model_config = ConfigDict(extra="ignore")

    parts: dict[str, list[PartLabel]] = Field(default_factory=dict)
    bases: dict[str, str] = Field(default_factory=dict)
    schedules: dict[str, Schedule] = Field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> "MeasureNotes":
        return cls.model_validate(json.loads(path.read_text(encoding="utf-8")))


class JudgedIndicator(BaseModel):
    """One indicator row with the engine's verdicts; None where a problem stopped that verdict."""

    line: int
    ref: str
    indicator: str
    outcome: str
    directorate: str
    annual_section: bool
    performance: str
    target: str
    rag: RagResult | None = None
    dot_short: DotResult | None = None
    dot_long: DotResult | None = None
    breach: bool | None = None
    reason: str = ""
    commentary: str = ""
    warnings: list[str] = Field(default_factory=list)
    problems: list[str] = Field(default_factory=list)


def judge_report(report: Path, notes: MeasureNotes | None = None,
                 policy: Policy = DEFAULT_POLICY) -> list[JudgedIndicator]:
    """Every indicator row of an indicator report, judged by the engine under ``policy``.

    A report carries two earlier figures, last quarter's and the same quarter
    last year's: a policy comparing with an average takes the average of
    those two, and a trend is fitted through them and this quarter's.
    """
    notes = notes or MeasureNotes()
    return [judge_row(row, notes, report.name, policy) for row in read_indicator_report(report)]


def judge_row(row: IndicatorRow, notes: MeasureNotes, source: str,
              policy: Policy = DEFAULT_POLICY) -> JudgedIndicator:
    ref = clean(row.ref)
    judged = JudgedIndicator(
        line=row.line, ref=ref, indicator=clean(row.indicator), outcome=row.outcome,
        directorate=clean(row.directorate), annual_section=row.annual_section,
        performance=clean(row.performance), target=clean(row.target), commentary=clean(row.commentary),
    )
    where = f"{source} › line {row.line} ({ref})"
    parts = notes.parts.get(ref)
    # the report's two earlier figures in their places among the last periods: last quarter's, last year's
    short, long = comparison_figures(policy, row.last_quarter, row.last_year,
                                     [row.last_quarter, None, None, row.last_year])
    try:
        if parts:
            result = assess_parts(row.performance, row.target, row.tolerance, row.polarity, parts,
                                  base=notes.bases.get(ref), policy=policy,
                                  long_term=row.last_year if policy.dot_aware_rag else None)
        else:
            result = assess(row.performance, row.target, row.tolerance, row.polarity, base=notes.bases.get(ref),
                            policy=policy, long_term=long if policy.dot_aware_rag else None)
        judged.rag, judged.breach, judged.reason = result.rag, result.breach, result.reason
        judged.warnings = [w.message for w in result.warnings]
    except PMFValueError as error:
        judged.problems.append(str(error.at(f"{where} › RAG")))
    for column, previous in (("dot_short", short), ("dot_long", long)):
        try:
            setattr(judged, column, _direction(row, previous, parts, notes, policy))
        except PMFValueError as error:
            heading = "DOT short term" if column == "dot_short" else "DOT long term"
            judged.problems.append(str(error.at(f"{where} › {heading}")))
    return judged


def _direction(row: IndicatorRow, previous: object, parts: list[PartLabel] | None, notes: MeasureNotes,
               policy: Policy) -> DotResult:
    if parts:
        if not isinstance(previous, str):
            return "Not comparable"  # an average is not drawn from a multi-part report's text
        return assess_parts(row.performance, row.target, row.tolerance, row.polarity, parts,
                            last_quarter=previous, base=notes.bases.get(clean(row.ref)), policy=policy).dot_short
    if previous is None:
        return "Not comparable"
    return explain_direction(row.performance, previous, row.polarity, policy)[0]
