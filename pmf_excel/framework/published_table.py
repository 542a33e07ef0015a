"""A council's published table re-judged: its printed RAG and direction of travel beside the engine's, row by row.

Before adopting the tool a council can see whether its own stated rules,
written as a policy, reproduce its last report, and where they do not, why:
each row is judged afresh from its figures under the policy (its class's
settings, its earlier figures for a trend or an average, its forecast), the
printed words read in the policy's words, and the engine's reason given
where the two differ. A row whose amber band the rules leave to the officer
agrees when the council printed Amber or Red for a missed target.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from ..rules.errors import PMFValueError
from ..rules.policy import DOT_WORDS, RAG_WORDS, Policy
from ..rules.verdicts import assess, check_officer_rating, comparison_figures
from .council_mapping import CouncilMapping, MappedRow
from .quarters import previous_quarter

#: How many earlier quarters a row's figures are looked up for: as many as a policy's average or trend may take.
MOST_PERIODS = 12


class RejudgedRow(BaseModel):
    """One row of the published table: what was printed, what the engine says, whether they agree, and why not."""

    row: int
    ref: str
    indicator: str = ""
    performance: str = ""
    target: str = ""
    printed_rag: str = ""
    engine_rag: str = ""
    rag_agrees: bool | None = None
    printed_dot: str = ""
    engine_dot: str = ""
    dot_agrees: bool | None = None
    #: The engine's reason; where a verdict differs, what was printed against what the rules give.
    why: str = ""
    problems: list[str] = Field(default_factory=list)


class Agreement(BaseModel):
    """How far the engine reproduces the published table."""

    rows: int
    rag_agree: int
    rag_judged: int
    dot_agree: int
    dot_judged: int

    @staticmethod
    def share(agree: int, judged: int) -> str:
        return f"{agree} of {judged} ({agree / judged:.0%})" if judged else "none printed"

    def summary(self) -> str:
        return (f"{self.rows} rows: RAG agrees on {self.share(self.rag_agree, self.rag_judged)}, direction of travel "
                f"on {self.share(self.dot_agree, self.dot_judged)}.")


def agreement(rows: list[RejudgedRow]) -> Agreement:
    return Agreement(rows=len(rows), rag_agree=sum(r.rag_agrees is True for r in rows),
                     rag_judged=sum(r.rag_agrees is not None for r in rows),
                     dot_agree=sum(r.dot_agrees is True for r in rows),
                     dot_judged=sum(r.dot_agrees is not None for r in rows))


def rejudge_row(row: MappedRow, mapping: CouncilMapping, policy: Policy, where: str) -> RejudgedRow:
    """One printed row judged under ``policy`` (as its class has it); ``where`` names the file for a problem."""
    own = policy.for_measure(measure_class=row.text("measure_class") or None)
    judged = RejudgedRow(row=row.number, ref=row.text("ref"), indicator=row.text("indicator"),
                         performance=row.text("performance"), target=row.text("target"),
                         printed_rag=row.text("printed_rag"))
    window = _window(row, mapping)
    short, long = comparison_figures(own, window[0], window[3], window)
    try:
        assessment = assess(row.values.get("performance"), row.text("target"), row.text("tolerance"),
                            row.text("polarity"), last_quarter=short, last_year=long, long_term=long, policy=own,
                            forecast=row.values.get("forecast"))
    except PMFValueError as error:
        judged.problems.append(f"{where} › row {row.number}: {error}")
        return judged
    judged.engine_rag, judged.why = own.shown(assessment.rag), assessment.reason
    printed = row.values.get("printed_rag")
    if printed not in (None, ""):
        try:
            check = check_officer_rating(printed, assessment, own)
        except PMFValueError:
            judged.problems.append(f"{where} › row {row.number}, column {row.columns['printed_rag']!r}: "
                                   f"{printed!r} is not a RAG in the policy's words "
                                   f"({', '.join(own.shown(state) for state in RAG_WORDS)}).")
        else:
            judged.rag_agrees = check.agrees
            if not check.agrees:
                judged.why = f"Printed {own.shown(check.rating)}, the rules give {judged.engine_rag}: " \
                             f"{assessment.reason}"
            elif check.rating != assessment.rag:
                judged.why = check.message
    field = "printed_dot_long" if "printed_dot_long" in row.values else "printed_dot_short"
    dot = assessment.dot_long if field == "printed_dot_long" else assessment.dot_short
    judged.engine_dot = own.shown(dot or "")
    printed_dot = row.values.get(field)
    if printed_dot not in (None, ""):
        judged.printed_dot = str(printed_dot).strip()
        read = own.read_state(printed_dot, DOT_WORDS)
        if read is None:
            judged.problems.append(f"{where} › row {row.number}, column {row.columns[field]!r}: {printed_dot!r} is "
                                   f"not a direction in the policy's words "
                                   f"({', '.join(own.shown(state) for state in DOT_WORDS)}).")
        else:
            judged.dot_agrees = read == dot
            if not judged.dot_agrees:
                judged.why += f" Direction: printed {own.shown(read)}, the rules give {judged.engine_dot}."
    return judged


def _window(row: MappedRow, mapping: CouncilMapping) -> list[object]:
    """The row's figures for the quarters before the table's, latest first (None where it has none)."""
    quarters = []
    if mapping.quarter:
        quarters.append(previous_quarter(mapping.quarter))
        while len(quarters) < MOST_PERIODS:
            quarters.append(previous_quarter(quarters[-1]))
    return [row.figures.get(quarter) for quarter in quarters] + [None] * (MOST_PERIODS - len(quarters))
