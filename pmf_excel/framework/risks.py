"""The Strategic Risk Register (000 §11): each risk's score, its RAG, its direction and what changed.

A risk is scored likelihood × impact, each 1–5, on the usual 5×5 matrix. The
seeds name the register and its Red and Amber risks (000 §8.11.5–6, 002
§9.1) but not the council's score bands, so the bands are a product decision
recorded here in one place: Red 15–25, Amber 8–12, Green 1–6, which splits
the products a 5×5 matrix can give (1–6, 8–12, 15–25) with no score between
bands. Direction compares the score with the last review: a lower score is
a smaller risk.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..rules.errors import PMFValueError
from ..rules.text import FORMULA_WITHOUT_RESULT, is_formula
from .records import Record

SCALE = range(1, 6)
#: (lowest score, RAG) from the top band down.
SCORE_BANDS = ((15, "Red"), (8, "Amber"), (1, "Green"))
REDUCED, INCREASED, UNCHANGED, NEW = "Reduced", "Increased", "Unchanged", "New"


class Risk(BaseModel):
    """A strategic risk as the catalogue holds it: its owner, target and the score of the last review."""

    model_config = ConfigDict(frozen=True)

    ref: str
    title: str
    owner: str
    directorate: str
    target_likelihood: int
    target_impact: int
    #: The score agreed at the review before the first quarter the tool consolidates.
    likelihood: int
    impact: int
    controls: str = ""
    further_actions: str = ""
    #: Where the seeds say this (``002 §9.2``); ``illustrative`` where they give no figures.
    source: str = ""

    @field_validator("target_likelihood", "target_impact", "likelihood", "impact")
    @classmethod
    def _on_the_scale(cls, value: int) -> int:
        if value not in SCALE:
            raise ValueError(f"{value} is not on the 1–5 scale")
        return value


class RiskUpdate(BaseModel):
    """What a risk's owner returned at this review."""

    model_config = ConfigDict(frozen=True)

    ref: str
    likelihood: object = None
    impact: object = None
    owner: str = ""
    controls: str = ""
    further_actions: str = ""


class RiskResult(BaseModel):
    """A risk after this review."""

    risk: Risk
    owner: str
    likelihood: int | None
    impact: int | None
    previous_score: int | None
    controls: str
    further_actions: str
    #: Why it could not be scored, when it could not.
    problem: str = ""

    @property
    def score(self) -> int | None:
        return None if self.likelihood is None or self.impact is None else self.likelihood * self.impact

    @property
    def rag(self) -> str:
        return score_rag(self.score)

    @property
    def target_score(self) -> int:
        return self.risk.target_likelihood * self.risk.target_impact

    @property
    def direction(self) -> str:
        return direction(self.score, self.previous_score)


def score_rag(score: int | None) -> str:
    """The RAG of a score by :data:`SCORE_BANDS`; "Not scored" when there is none."""
    if score is None:
        return "Not scored"
    return next(rag for lowest, rag in SCORE_BANDS if score >= lowest)


def direction(score: int | None, previous: int | None) -> str:
    """Since the last review: Reduced, Increased, Unchanged, or New when there was no earlier score."""
    if score is None:
        return ""
    if previous is None:
        return NEW
    return REDUCED if score < previous else INCREASED if score > previous else UNCHANGED


def read_rating(raw: object, what: str) -> int:
    """A likelihood or impact as typed: a whole number 1–5 (``4``, ``4.0``, ``" 4 "``)."""
    if isinstance(raw, float) and raw.is_integer():  # what a workbook reader gives for a typed 7
        raw = int(raw)
    text = "" if raw is None else str(raw).strip()
    try:
        number = float(text)
    except ValueError:
        number = None
    if number is None or not number.is_integer() or int(number) not in SCALE:
        raise PMFValueError(what, raw, (FORMULA_WITHOUT_RESULT if is_formula(raw) else "")
                            + "Type a whole number from 1 (lowest) to 5 (highest).")
    return int(number)


class KnownRisk(BaseModel):
    """What the last review knew of a risk: its owner and its ratings."""

    owner: str
    likelihood: int | None = None
    impact: int | None = None

    @property
    def score(self) -> int | None:
        return None if self.likelihood is None or self.impact is None else self.likelihood * self.impact

    @classmethod
    def agreed(cls, risk: Risk) -> "KnownRisk":
        """The catalogue's last review, before History holds one."""
        return cls(owner=risk.owner, likelihood=risk.likelihood, impact=risk.impact)


def judge_risks(risks: Sequence[Risk], updates: dict[str, RiskUpdate],
                known: dict[str, KnownRisk]) -> list[RiskResult]:
    """Every risk scored for this review; a rating that cannot be read leaves the risk unscored, with why.

    The previous score is History's, or the catalogue's last review before
    there is any History.
    """
    results = []
    for risk in risks:
        update = updates.get(risk.ref, RiskUpdate(ref=risk.ref))
        before = known.get(risk.ref) or KnownRisk.agreed(risk)
        ratings, problems = {}, []
        for name in ("likelihood", "impact"):
            try:
                ratings[name] = read_rating(getattr(update, name), f"a {name}" if name[0] != "i" else f"an {name}")
            except PMFValueError as error:
                ratings[name], problems = None, [*problems, str(error)]
        results.append(RiskResult(risk=risk, owner=update.owner.strip() or before.owner, **ratings,
                                  previous_score=before.score, controls=update.controls or risk.controls,
                                  further_actions=update.further_actions or risk.further_actions,
                                  problem=" ".join(problems)))
    return results


class RiskChange(BaseModel):
    """A line of "changes since the last review"."""

    ref: str
    title: str
    change: str
    before: str = ""
    after: str = ""


def changes_since_last_review(results: Sequence[RiskResult], known: dict[str, KnownRisk],
                              previous_refs: set[str]) -> list[RiskChange]:
    """Scores that moved, owners that changed, risks new to the register and risks no longer on it."""
    changes = []
    for result in results:
        ref, title = result.risk.ref, result.risk.title
        if previous_refs and ref not in previous_refs:
            changes.append(RiskChange(ref=ref, title=title, change="Added to the register",
                                      after=_scored(result.score)))
        elif result.score is not None and result.score != result.previous_score:
            changes.append(RiskChange(ref=ref, title=title, change=f"Score {result.direction.lower()}",
                                      before=_scored(result.previous_score), after=_scored(result.score)))
        if ref in known and result.owner != known[ref].owner:
            changes.append(RiskChange(ref=ref, title=title, change="Owner changed", before=known[ref].owner,
                                      after=result.owner))
    current = {result.risk.ref for result in results}
    changes += [RiskChange(ref=ref, title="", change="No longer on the register") for ref in
                sorted(previous_refs - current)]
    return changes


def _scored(score: int | None) -> str:
    return "" if score is None else f"{score} ({score_rag(score)})"


def heat_map(results: Sequence[RiskResult]) -> dict[tuple[int, int], list[str]]:
    """The refs in each cell of the 5×5 matrix, keyed (likelihood, impact); unscored risks are left out."""
    cells: dict[tuple[int, int], list[str]] = {(likelihood, impact): [] for likelihood in SCALE
                                                 for impact in SCALE}
    for result in results:
        if result.score is not None:
            cells[(result.likelihood, result.impact)].append(result.risk.ref)
    return cells


class RiskRegisterData(BaseModel):
    """The register as the samples hold it: the risks and, per quarter, what their owners returned."""

    source: str
    risks: list[Risk]
    returns: dict[str, list[RiskUpdate]] = Field(default_factory=dict)


class RiskHistoryRow(Record):
    """One risk at one quarter's review: what the Risk history sheet keeps."""

    quarter: str
    ref: str
    title: str
    owner: str
    directorate: str
    likelihood: int | None = None
    impact: int | None = None
    score: int | None = None
    rag: str = ""
    target_score: int | None = None
    direction: str = ""
    controls: str = ""
    further_actions: str = ""

    def known(self) -> KnownRisk:
        return KnownRisk(owner=self.owner, likelihood=self.likelihood, impact=self.impact)


def risk_history_rows(quarter: str, results: Sequence[RiskResult]) -> list[RiskHistoryRow]:
    return [RiskHistoryRow(quarter=quarter, ref=r.risk.ref, title=r.risk.title, owner=r.owner,
                           directorate=r.risk.directorate, likelihood=r.likelihood, impact=r.impact, score=r.score,
                           rag=r.rag, target_score=r.target_score, direction=r.direction,
                           controls=r.controls, further_actions=r.further_actions)
            for r in results]


class RiskReport(BaseModel):
    """The quarter's register as Consolidate writes it: every risk, the changes since the last review, History."""

    results: list[RiskResult]
    changes: list[RiskChange]
    history: list[RiskHistoryRow]
