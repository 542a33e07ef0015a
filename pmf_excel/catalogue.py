"""The basket of measures: each indicator's definition, cleaned of PDF artefacts, with every decision logged.

The catalogue is what returns are generated from and what Consolidate judges
against, so it must be right to the letter and its provenance readable: each
change made to the council's printed text is a :class:`CleaningNote` saying
what was printed, what is kept and why.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .errors import PMFValueError
from .evidence import Evidence, Milestone
from .improvement_plan import ImprovementAction
from .judged_report import MeasureNotes, Schedule
from .parts import PartLabel, assess_parts
from .policy import Policy, ToleranceMeaning
from .risks import Risk
from .quarters import previous_quarter
from .rules import read_measure
from .seed_reports import IndicatorRow, read_deliverables_report, read_indicator_report
from .tables import Table
from .targets import profiled_target
from .text import clean

Frequency = Literal["quarterly", "annual", "biannual", "termly", "three times a year"]

DIRECTORATES = (
    "Children and Education", "Adult Social Care", "Public Health", "Borough Economy", "Housing",
    "Regeneration and Growth", "Assistant Chief Executive", "Finance", "Law and Governance",
    "Business Strategy and Change",
)
#: How the report abbreviates or shortens directorate names.
_DIRECTORATE_ALIASES = {"ASC": "Adult Social Care", "Regeneration": "Regeneration and Growth"}
#: Refs the PDF mangled, with the evidence: letters printed as digits or as look-alike capitals.
REF_CORRECTIONS = {
    "01i": ("O1i", "the PDF printed the letter O as a zero; it sits between O1h and O1j"),
    "O8I": ("O8l", "a lower-case L printed as a capital I: O8k SARs volumes, O8l SARs compliance, O8m FOI volumes"),
}
#: The Employee Engagement Score row is printed "010" between O1j and O1p: the series O1m, O1n, O1o, O1p.
_ENGAGEMENT_REF = ("010", "O1o", "the PDF printed both letters O as zeros; the row sits between O1j and O1p")
_HYPHEN_SPACE = re.compile(r"(?<=[A-Za-z])- (?=[A-Za-z])")
_BROKEN_WORD = re.compile(r"\b([A-Za-z]{6,}) ([b-hj-z])\b")
_PLACEHOLDER = re.compile(r"^placeholder\b", re.IGNORECASE)


class CleaningNote(BaseModel):
    """One decision taken over the council's printed text."""

    model_config = ConfigDict(frozen=True)

    ref: str
    field: str
    printed: str
    kept: str
    why: str


#: The quarters a measure reports in when the catalogue does not say: an annual measure at the year end, a
#: biannual one at the half year and the year end, a termly one after each school term (summer term in Q2,
#: autumn in Q3, spring in Q4).
DEFAULT_REPORTS_IN: dict[str, tuple[int, ...]] = {
    "quarterly": (1, 2, 3, 4), "annual": (4,), "biannual": (2, 4), "termly": (2, 3, 4),
    "three times a year": (2, 3, 4)}
#: An even profile: a quarter of a year-end target by the end of each quarter.
EVEN_PROFILE = (0.25, 0.5, 0.75, 1.0)


class MeasureDefinition(BaseModel):
    """An indicator of the basket, as the performance team maintains it."""

    ref: str
    printed_ref: str
    indicator: str
    outcome: str
    directorate: str
    polarity: str
    target: str
    tolerance: str
    frequency: Frequency = "quarterly"
    cumulative: bool = False
    base: str | None = None
    parts: list[PartLabel] = Field(default_factory=list)
    #: The quarters (1–4) it reports in; empty means the frequency's usual quarters (:data:`DEFAULT_REPORTS_IN`).
    reports_in: list[int] = Field(default_factory=list)
    #: How many quarters behind the figure is: 2 when a Q2 return carries the figure for Q4 of the year before.
    lag: int = Field(default=0, ge=0, le=8)
    #: The target is for the year end and each quarter is judged against its share of it (``profile``).
    year_end_target: bool = False
    #: The share of a year-end target due by the end of Q1, Q2, Q3 and Q4.
    profile: tuple[float, float, float, float] = EVEN_PROFILE
    #: This measure's own reading of its tolerance and its own no-change band, over the policy's.
    tolerance_meaning: ToleranceMeaning | None = None
    no_change_band: float | None = Field(default=None, ge=0)
    #: Who set the tolerance and why: members ask.
    tolerance_owner: str = ""
    tolerance_rationale: str = ""

    @model_validator(mode="after")
    def _reporting_is_consistent(self) -> "MeasureDefinition":
        """Reporting quarters that match the frequency, and a profile that rises to the whole target at the year
        end: anything else would judge a quarter against the wrong figure."""
        quarters = self.reports_in or list(DEFAULT_REPORTS_IN[self.frequency])
        if len(set(quarters)) != len(quarters) or not set(quarters) <= {1, 2, 3, 4}:
            raise ValueError(f"{self.ref}: reports in {quarters}: each quarter 1 to 4, once")
        if len(quarters) != len(DEFAULT_REPORTS_IN[self.frequency]):
            article = "an" if self.frequency[0] in "aeiou" else "a"
            raise ValueError(f"{self.ref}: {article} {self.frequency} measure reports in "
                             f"{len(DEFAULT_REPORTS_IN[self.frequency])} quarter(s), not {len(quarters)}")
        self.reports_in = sorted(quarters)
        if any(b < a for a, b in zip(self.profile, self.profile[1:])) or not 0 <= self.profile[0] \
                or self.profile[-1] != 1:
            raise ValueError(f"{self.ref}: a profile rises from Q1 to the whole target (100%) at Q4, "
                             f"not {', '.join(f'{share:.0%}' for share in self.profile)}")
        return self

    def due_in(self, quarter: str) -> bool:
        """Whether a figure is due in the return for ``quarter``."""
        return int(quarter[-1]) in self.reports_in

    def period(self, quarter: str) -> str:
        """The quarter the figure returned in ``quarter`` is for (``lag`` quarters before)."""
        for _ in range(self.lag):
            quarter = previous_quarter(quarter)
        return quarter

    def policy(self, policy: Policy) -> Policy:
        """The policy this measure is judged under: ``policy`` with the measure's own overrides."""
        return policy.for_measure(self.tolerance_meaning, self.no_change_band)

    def target_in(self, quarter: str) -> str:
        """The target a figure for ``quarter`` is judged against: the target, or its share of a year-end target."""
        if not self.year_end_target:
            return self.target
        return profiled_target(self.target, self.profile[int(self.period(quarter)[-1]) - 1])

    @model_validator(mode="after")
    def _definition_is_readable(self) -> "MeasureDefinition":
        """A catalogue entry the engine cannot read would fail every return: refuse it here, naming the ref."""
        try:
            if self.parts:
                assess_parts(None, self.target, self.tolerance, self.polarity, self.parts, base=self.base)
            else:
                read_measure(self.target, self.tolerance, self.polarity, self.base)
        except PMFValueError as error:
            raise ValueError(f"{self.ref}: {error}") from None
        return self


#: Whose action a BP ref is, by its prefix (the issue's list; 003's own codes).
ACTION_DIRECTORATES = {"CH": "Children and Education", "PH": "Public Health", "ASC": "Adult Social Care",
                       "BE": "Borough Economy", "H": "Housing", "R": "Regeneration and Growth", "F": "Finance",
                       "ACE": "Assistant Chief Executive", "LG": "Law and Governance"}
_BP_PREFIX = re.compile(r"^[A-Z]+")


class ActionDefinition(BaseModel):
    """A directorate action (a deliverable) of the Corporate Plan, as 003 prints it."""

    ref: str
    cp_ref: str
    commitment: str
    bp_ref: str
    action: str
    outcome: str
    directorate: str
    printed_line: int


class Exclusion(BaseModel):
    ref: str
    line: int
    why: str


class Catalogue(BaseModel):
    """The basket of measures with the log of how it was made from the printed report."""

    source: str
    measures: list[MeasureDefinition]
    actions: list[ActionDefinition] = Field(default_factory=list)
    improvement_plan: list[ImprovementAction] = Field(default_factory=list)
    risks: list[Risk] = Field(default_factory=list)
    #: Which comparator metric (an LG Inform metric's name or id) is which of our measures.
    benchmark_map: dict[str, str] = Field(default_factory=dict)
    #: What backs an action's self-rated status: its dates, milestones and % complete.
    evidence: list[Evidence] = Field(default_factory=list)
    excluded: list[Exclusion] = Field(default_factory=list)
    cleaning: list[CleaningNote] = Field(default_factory=list)

    @model_validator(mode="after")
    def _refs_are_unique(self) -> "Catalogue":
        refs = [m.ref for m in self.measures] + [a.ref for a in self.actions] + \
            [a.ref for a in self.improvement_plan] + [r.ref for r in self.risks]
        repeated = [ref for ref, n in Counter(refs).items() if n > 1]
        if repeated:
            raise ValueError(f"refs appear more than once in the catalogue: {', '.join(repeated)}")
        strangers = sorted({e.ref for e in self.evidence} - {a.ref for a in self.actions}) + sorted(
            {ref for ref in self.benchmark_map.values()} - {m.ref for m in self.measures})
        if strangers:
            raise ValueError(f"evidence or benchmark metrics for refs the catalogue does not hold: "
                             f"{', '.join(strangers)}")
        return self

    def directorates(self) -> list[str]:
        """Every directorate with something to return: measures, actions, improvement actions or risks."""
        named = [item.directorate for items in (self.measures, self.actions, self.improvement_plan, self.risks)
                 for item in items]
        return list(dict.fromkeys(named))

    def of_directorate(self, directorate: str) -> "Catalogue":
        """The part of the catalogue one directorate returns."""
        return self.model_copy(update={name: [item for item in getattr(self, name) if item.directorate == directorate]
                                       for name in ("measures", "actions", "improvement_plan", "risks")})

    def actions_by_directorate(self) -> dict[str, list[ActionDefinition]]:
        return _grouped(self.actions)

    def by_directorate(self) -> dict[str, list[MeasureDefinition]]:
        return _grouped(self.measures)

    def plan_by_directorate(self) -> dict[str, list[ImprovementAction]]:
        return _grouped(self.improvement_plan)

    def risks_by_directorate(self) -> dict[str, list[Risk]]:
        return _grouped(self.risks)


def _grouped(items: list) -> dict[str, list]:
    grouped: dict[str, list] = {}
    for item in items:
        grouped.setdefault(item.directorate, []).append(item)
    return grouped


#: The Catalogue sheet of the corporate workbook: where the performance team reads and maintains the basket.
CATALOGUE_SHEET = "Catalogue"
CATALOGUE_COLUMNS = ("Ref", "Printed ref", "Indicator", "Strategic outcome", "Directorate", "Polarity", "Target",
                     "Tolerance", "Frequency", "Cumulative", "Budget base", "Parts", "Reports in", "Lag (quarters)",
                     "Year-end target", "Profile", "Tolerance meaning", "No-change band", "Tolerance owner",
                     "Tolerance rationale")
#: The columns a Catalogue sheet made before reporting quarters, profiles and policies may lack: each takes its
#: default.
OPTIONAL_COLUMNS = ("Reports in", "Lag (quarters)", "Year-end target", "Profile", "Tolerance meaning",
                    "No-change band", "Tolerance owner", "Tolerance rationale")
ACTIONS_SHEET = "Catalogue actions"
ACTION_COLUMNS = ("Ref", "CP ref", "Corporate Plan commitment", "BP ref", "Action", "Strategic outcome",
                  "Directorate", "Printed line")
PLAN_TABLE = Table("Catalogue improvement plan", ImprovementAction, (
    ("Ref", "ref"), ("Theme", "theme"), ("Workstream", "workstream"), ("Type", "type"), ("Parent", "parent"),
    ("Action", "action"), ("Directorate", "directorate"), ("Delivery lead", "lead"), ("Due", "due"),
    ("Added in", "added_in"), ("Source", "source")))
RISKS_TABLE = Table("Catalogue risks", Risk, (
    ("Ref", "ref"), ("Risk", "title"), ("Owner", "owner"), ("Directorate", "directorate"),
    ("Likelihood", "likelihood"), ("Impact", "impact"), ("Target likelihood", "target_likelihood"),
    ("Target impact", "target_impact"), ("Controls", "controls"), ("Further actions", "further_actions"),
    ("Source", "source")))


class BenchmarkMetric(BaseModel):
    """A row of the Catalogue benchmarks sheet: a comparator metric and the measure it is."""

    metric: str
    ref: str


class EvidenceRow(BaseModel):
    """A row of the Catalogue evidence sheet: an action's dates and % complete (its milestones have a sheet)."""

    ref: str
    start: dt.date | None = None
    due: dt.date | None = None
    percent_complete: float | None = None
    source: str = ""


class MilestoneRow(BaseModel):
    """A row of the Catalogue milestones sheet."""

    ref: str
    name: str
    due: dt.date
    expected: float | None = None
    done: bool = False


BENCHMARKS_TABLE = Table("Catalogue benchmarks", BenchmarkMetric, (("Metric", "metric"), ("Ref", "ref")))
EVIDENCE_TABLE = Table("Catalogue evidence", EvidenceRow, (
    ("Ref", "ref"), ("Start", "start"), ("Due", "due"), ("% complete", "percent_complete"), ("Source", "source")))
MILESTONES_TABLE = Table("Catalogue milestones", MilestoneRow, (
    ("Ref", "ref"), ("Milestone", "name"), ("Due", "due"), ("Expected share", "expected"), ("Done", "done")))
#: Every sheet the catalogue is kept in, as the corporate workbook holds them.
CATALOGUE_SHEETS = (CATALOGUE_SHEET, ACTIONS_SHEET, PLAN_TABLE.sheet, RISKS_TABLE.sheet, BENCHMARKS_TABLE.sheet,
                    EVIDENCE_TABLE.sheet, MILESTONES_TABLE.sheet)


def evidence_rows(catalogue: Catalogue) -> tuple[list[EvidenceRow], list[MilestoneRow]]:
    """The evidence of every action as the two sheets hold it."""
    rows = [EvidenceRow(ref=e.ref, start=e.start, due=e.due, percent_complete=e.percent_complete, source=e.source)
            for e in catalogue.evidence]
    milestones = [MilestoneRow(ref=e.ref, **m.model_dump()) for e in catalogue.evidence for m in e.milestones]
    return rows, milestones


def _evidence(rows: list[EvidenceRow], milestones: list[MilestoneRow], source: str,
              problems: list[str]) -> list[Evidence]:
    """Actions' evidence from its two sheets; an action whose dates and milestones disagree is named."""
    found = []
    for row in rows:
        try:
            found.append(Evidence(**row.model_dump(), milestones=[
                Milestone(**m.model_dump(exclude={"ref"})) for m in milestones if m.ref == row.ref]))
        except ValueError as error:
            problems.append(f"{source} › {EVIDENCE_TABLE.sheet} ({row.ref}): {_first_error(error)}")
    orphans = sorted({m.ref for m in milestones} - {row.ref for row in rows})
    problems += [f"{source} › {MILESTONES_TABLE.sheet} ({ref}): milestones of an action with no row in "
                 f"{EVIDENCE_TABLE.sheet}" for ref in orphans]
    return found
_PART = re.compile(r"^\s*(?P<name>[^()]+?)\s*(?:\((?P<aliases>[^()]*)\))?\s*$")


class CatalogueError(ValueError):
    """Every problem found in a catalogue, reported together so that the team can fix them in one pass."""

    def __init__(self, source: str, problems: list[str]):
        self.problems = problems
        listing = "\n".join(f"- {problem}" for problem in problems)
        super().__init__(f"The catalogue in {source} has {len(problems)} problem(s):\n{listing}")


def catalogue_rows(catalogue: Catalogue) -> list[list[str]]:
    """The Catalogue sheet's rows, as :func:`read_catalogue_sheets` reads them back."""
    return [[m.ref, m.printed_ref, m.indicator, m.outcome, m.directorate, m.polarity, m.target, m.tolerance,
             m.frequency, "Yes" if m.cumulative else "", m.base or "",
             "; ".join(p.name + (f" ({', '.join(p.aliases)})" if p.aliases else "") for p in m.parts),
             ", ".join(f"Q{q}" for q in m.reports_in), str(m.lag) if m.lag else "",
             "Yes" if m.year_end_target else "",
             ", ".join(f"{share:.4g}" if share * 100 % 1 else f"{share:.0%}" for share in m.profile)
             if m.profile != EVEN_PROFILE else "", m.tolerance_meaning or "",
             "" if m.no_change_band is None else f"{m.no_change_band:g}", m.tolerance_owner, m.tolerance_rationale]
            for m in catalogue.measures]


def action_rows(catalogue: Catalogue) -> list[list[object]]:
    """The Catalogue actions sheet's rows, as :func:`read_catalogue_sheets` reads them back."""
    return [[a.ref, a.cp_ref, a.commitment, a.bp_ref, a.action, a.outcome, a.directorate, a.printed_line]
            for a in catalogue.actions]


def read_catalogue_sheets(sheets: dict[str, list[list[object]]], source: str) -> Catalogue:
    """A catalogue from the cells of its sheets (sheet name → rows, header first): the Catalogue sheet, and
    the actions, Improvement Plan and risks sheets where the workbook has them; every bad row is named in
    one error."""
    rows, actions = sheets.get(CATALOGUE_SHEET), sheets.get(ACTIONS_SHEET)
    if rows is None:
        raise CatalogueError(source, [f"there is no sheet named {CATALOGUE_SHEET}"])
    headings = [str(cell).strip() for cell in rows[0]] if rows else []
    required = [heading for heading in CATALOGUE_COLUMNS if heading not in OPTIONAL_COLUMNS]
    if headings[:len(required)] != required:
        raise CatalogueError(source, [f"the first row must be the headings {', '.join(CATALOGUE_COLUMNS)}"])
    at = {heading: headings.index(heading) for heading in CATALOGUE_COLUMNS if heading in headings}
    measures, problems = [], []
    for number, row in enumerate(rows[1:], start=2):
        cells = {heading: ("" if at[heading] >= len(row) or row[at[heading]] is None else _text_of(row[at[heading]]))
                 if heading in at else "" for heading in CATALOGUE_COLUMNS}
        if not any(cells.values()):
            continue
        try:
            measures.append(MeasureDefinition(
                ref=cells["Ref"], printed_ref=cells["Printed ref"] or cells["Ref"], indicator=cells["Indicator"],
                outcome=cells["Strategic outcome"], directorate=cells["Directorate"], polarity=cells["Polarity"],
                target=cells["Target"], tolerance=cells["Tolerance"], frequency=cells["Frequency"] or "quarterly",
                cumulative=cells["Cumulative"].lower() in ("yes", "y", "true"), base=cells["Budget base"] or None,
                parts=[_part(text) for text in cells["Parts"].split(";") if text.strip()],
                reports_in=_quarters(cells["Reports in"]), lag=int(float(cells["Lag (quarters)"] or 0)),
                year_end_target=cells["Year-end target"].lower() in ("yes", "y", "true"),
                profile=_profile(cells["Profile"]), tolerance_meaning=cells["Tolerance meaning"] or None,
                no_change_band=float(cells["No-change band"]) if cells["No-change band"] else None,
                tolerance_owner=cells["Tolerance owner"], tolerance_rationale=cells["Tolerance rationale"]))
        except (ValueError, PMFValueError) as error:
            problems.append(f"{CATALOGUE_SHEET} › row {number} ({cells['Ref'] or 'no ref'}): "
                            f"{_first_error(error)}")
    defined = []
    for number, row in enumerate((actions or [])[1:], start=2):
        cells = dict(zip(ACTION_COLUMNS, list(row) + [""] * len(ACTION_COLUMNS)))
        if not any(value not in ("", None) for value in cells.values()):
            continue
        text = {heading: "" if value is None else str(value).strip() for heading, value in cells.items()}
        try:
            defined.append(ActionDefinition(
                ref=text["Ref"], cp_ref=text["CP ref"], commitment=text["Corporate Plan commitment"],
                bp_ref=text["BP ref"], action=text["Action"], outcome=text["Strategic outcome"],
                directorate=text["Directorate"], printed_line=int(float(text["Printed line"] or 0))))
        except (ValueError, TypeError) as error:
            problems.append(f"{ACTIONS_SHEET} › row {number} ({cells['Ref'] or 'no ref'}): {_first_error(error)}")
    plan, plan_problems = PLAN_TABLE.read(sheets.get(PLAN_TABLE.sheet, []), source)
    risks, risk_problems = RISKS_TABLE.read(sheets.get(RISKS_TABLE.sheet, []), source)
    metrics, metric_problems = BENCHMARKS_TABLE.read(sheets.get(BENCHMARKS_TABLE.sheet, []), source)
    evidence, evidence_problems = EVIDENCE_TABLE.read(sheets.get(EVIDENCE_TABLE.sheet, []), source)
    milestones, milestone_problems = MILESTONES_TABLE.read(sheets.get(MILESTONES_TABLE.sheet, []), source)
    problems += plan_problems + risk_problems + metric_problems + evidence_problems + milestone_problems
    evidence_ = _evidence(evidence, milestones, source, problems)
    try:
        catalogue = Catalogue(source=source, measures=measures, actions=defined, improvement_plan=plan, risks=risks,
                              benchmark_map={m.metric: m.ref for m in metrics}, evidence=evidence_)
    except ValueError as error:
        problems.append(_first_error(error))
    if problems:
        raise CatalogueError(source, problems)
    return catalogue


def _text_of(value: object) -> str:
    """A cell as text: a whole number without its ``.0`` (a lag of 2 reads back as 2, not 2.0)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _quarters(text: str) -> list[int]:
    """``Q1, Q3`` (or ``1, 3``) as quarter numbers."""
    found = [part.strip().upper().removeprefix("Q") for part in re.split(r"[,;/ ]+", text) if part.strip()]
    if not all(part in ("1", "2", "3", "4") for part in found):
        raise ValueError(f"Reports in: {text!r} is not a list of quarters such as Q1, Q3")
    return [int(part) for part in found]


def _profile(text: str) -> tuple[float, float, float, float]:
    """``25%, 50%, 75%, 100%`` (or shares such as 0.25) as the four quarters' shares; blank is even."""
    if not text.strip():
        return EVEN_PROFILE
    parts = [part.strip() for part in re.split(r"[,;]+", text) if part.strip()]
    try:
        shares = tuple(float(part.removesuffix("%")) / (100 if part.endswith("%") else 1) for part in parts)
    except ValueError:
        shares = ()
    if len(shares) != 4:
        raise ValueError(f"Profile: {text!r} is not four shares such as 25%, 50%, 75%, 100%")
    return shares


def _part(text: str) -> PartLabel:
    match = _PART.match(text)
    if not match:
        raise ValueError(f"the part {text.strip()!r} is not written as Name (alias, alias)")
    aliases = tuple(a.strip() for a in (match.group("aliases") or "").split(",") if a.strip())
    return PartLabel(name=match.group("name"), aliases=aliases)


def _first_error(error: Exception) -> str:
    """A pydantic error as one readable line: the field and what is wrong with it."""
    errors = getattr(error, "errors", None)
    if callable(errors):
        first = errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ()))
        message = str(first.get("msg", error)).removeprefix("Value error, ")
        return f"{where}: {message}" if where else message
    return str(error)


def load_catalogue(path: Path) -> Catalogue:
    """The catalogue from its JSON file or from a workbook's Catalogue sheet (the corporate workbook)."""
    if path.suffix.lower() == ".json":
        return Catalogue.model_validate_json(path.read_text(encoding="utf-8"))
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        sheets = {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
                  for name in CATALOGUE_SHEETS if name in book.sheet_names}
    except Exception as error:  # noqa: BLE001 - a damaged or missing file is reported like any other problem
        raise CatalogueError(path.name, [f"the workbook cannot be read ({type(error).__name__}: {error})"]) from None
    return read_catalogue_sheets(sheets, path.name)


def build_catalogue(report: Path, notes: MeasureNotes, deliverables: Path | None = None) -> Catalogue:
    """The catalogue of every indicator printed in a Corporate Performance Report, and of every rated action
    in a Corporate Plan deliverables report when one is given."""
    cleaning: list[CleaningNote] = []
    measures, excluded = [], []
    rows = read_indicator_report(report)
    for index, row in enumerate(rows):
        ref = _ref(row, rows, index, cleaning)
        indicator = _text(ref, "indicator", row.indicator, cleaning)
        if _PLACEHOLDER.match(indicator):
            excluded.append(Exclusion(ref=clean(row.ref), line=row.line,
                                      why=f"a placeholder, not a measure: {indicator!r}"))
            continue
        measures.append(MeasureDefinition(
            ref=ref, printed_ref=row.ref, indicator=indicator, outcome=row.outcome,
            directorate=_directorate(ref, row, cleaning),
            polarity=_text(ref, "polarity", row.polarity, cleaning),
            target=_text(ref, "target", row.target, cleaning),
            tolerance=_text(ref, "tolerance", row.tolerance, cleaning),
            frequency=_frequency(ref, row, cleaning),
            **_schedule(ref, notes.schedules.get(clean(row.ref)), cleaning),
            cumulative=indicator.rstrip().endswith("(c)"),
            base=notes.bases.get(clean(row.ref)),
            parts=notes.parts.get(clean(row.ref), []),
        ))
    actions: list[ActionDefinition] = []
    if deliverables is not None:
        actions, skipped = build_actions(deliverables, cleaning)
        excluded += skipped
    source = report.name + (f" and {deliverables.name}" if deliverables is not None else "")
    return Catalogue(source=source, measures=measures, actions=actions, excluded=excluded, cleaning=cleaning)


def build_actions(report: Path, cleaning: list[CleaningNote]) -> tuple[list[ActionDefinition], list[Exclusion]]:
    """Every rated action of a deliverables report (003), with a ref unique in the catalogue.

    An action's ref is its BP ref (CH11); where the council repeats a BP ref
    under another commitment, or prints none, the CP ref and line make it
    unique, and the choice is logged.
    """
    actions, excluded, seen = [], [], Counter()
    for row in read_deliverables_report(report):
        action, commitment = _text(row.bp_ref or row.cp_ref, "action", row.action, cleaning), clean(row.commitment)
        if not action:
            excluded.append(Exclusion(ref=row.bp_ref or row.cp_ref or "-", line=row.line,
                                      why=f"a rating ({row.rating!r}) printed on its own where the PDF broke the "
                                          "table into single cells: its action cannot be told"))
            continue
        if row.duplicate_of:
            excluded.append(Exclusion(ref=row.bp_ref or row.cp_ref, line=row.line,
                                      why=f"marked 'Duplicate - see {row.duplicate_of}' in the report"))
            continue
        prefix = _BP_PREFIX.match(row.bp_ref).group(0) if row.bp_ref else ""
        directorate = ACTION_DIRECTORATES.get(prefix, "")
        if not directorate:
            excluded.append(Exclusion(ref=row.cp_ref, line=row.line,
                                      why=f"no BP ref is printed for {action[:60]!r}, so its directorate is unknown"))
            continue
        seen[row.bp_ref] += 1
        ref = row.bp_ref if seen[row.bp_ref] == 1 else f"{row.bp_ref} ({row.cp_ref}, line {row.line})"
        if ref != row.bp_ref:
            cleaning.append(CleaningNote(ref=ref, field="ref", printed=row.bp_ref, kept=ref,
                                         why=f"{row.bp_ref} is printed again, under {row.cp_ref}: made unique"))
        actions.append(ActionDefinition(ref=ref, cp_ref=row.cp_ref, commitment=commitment, bp_ref=row.bp_ref,
                                        action=action, outcome=row.outcome, directorate=directorate,
                                        printed_line=row.line))
    return actions, excluded


def _ref(row: IndicatorRow, rows: list[IndicatorRow], index: int, log: list[CleaningNote]) -> str:
    ref = clean(row.ref)
    if ref != row.ref:
        log.append(CleaningNote(ref=ref, field="ref", printed=row.ref, kept=ref,
                                why="Cyrillic look-alike letters read as their Latin twins"))
    fix = REF_CORRECTIONS.get(ref)
    if ref == _ENGAGEMENT_REF[0] and not _PLACEHOLDER.match(clean(row.indicator)):
        fix = _ENGAGEMENT_REF[1:]
    if fix:
        log.append(CleaningNote(ref=fix[0], field="ref", printed=row.ref, kept=fix[0], why=fix[1]))
        return fix[0]
    return ref


def _text(ref: str, field: str, printed: str, log: list[CleaningNote]) -> str:
    kept = clean(printed)
    why = []
    if kept != " ".join(printed.split()):
        why.append("look-alike letters or dashes made plain")
    joined = _HYPHEN_SPACE.sub("-", kept)
    if joined != kept:
        why.append("hyphenation space removed ('Multi- Agency' is 'Multi-Agency')")
    mended = _BROKEN_WORD.sub(r"\1\2", joined)
    if mended != joined:
        why.append("word broken by a PDF space joined ('Strengthenin g')")
    if why:
        log.append(CleaningNote(ref=ref, field=field, printed=printed, kept=mended, why="; ".join(why)))
    return mended


def _directorate(ref: str, row: IndicatorRow, log: list[CleaningNote]) -> str:
    printed = clean(row.directorate)
    if printed in DIRECTORATES:
        return printed
    if printed in _DIRECTORATE_ALIASES:
        kept = _DIRECTORATE_ALIASES[printed]
        log.append(CleaningNote(ref=ref, field="directorate", printed=row.directorate, kept=kept,
                                why="the report's short name for the directorate"))
        return kept
    if not printed and ref.startswith("O1"):
        kept = "Assistant Chief Executive"
        log.append(CleaningNote(ref=ref, field="directorate", printed=row.directorate, kept=kept,
                                why="printed blank; the workforce measures O1c–O1t are all "
                                    "Assistant Chief Executive's"))
        return kept
    raise ValueError(f"line {row.line} ({ref}): unknown directorate {row.directorate!r}")


def _schedule(ref: str, schedule: Schedule | None, log: list[CleaningNote]) -> dict[str, object]:
    """The reporting quarters and lag the measure notes give, each logged with its evidence."""
    if schedule is None:
        return {}
    if schedule.reports_in:
        log.append(CleaningNote(ref=ref, field="reports in", printed="",
                                kept=", ".join(f"Q{q}" for q in schedule.reports_in), why=schedule.why))
    if schedule.lag:
        log.append(CleaningNote(ref=ref, field="lag", printed="", kept=f"{schedule.lag} quarter(s)", why=schedule.why))
    return {"reports_in": schedule.reports_in, "lag": schedule.lag}


def _frequency(ref: str, row: IndicatorRow, log: list[CleaningNote]) -> Frequency:
    commentary = row.commentary.lower()
    if row.annual_section or clean(row.target).lower().startswith("annual"):
        frequency, why = "annual", "printed under 'Annual PIs reported this quarter' or with an annual target"
    elif "3 times a year" in commentary:
        frequency, why = "three times a year", "the commentary says it is measured 3 times a year"
    elif clean(row.performance).lower().replace(" ", "") == "biannual":
        frequency, why = "biannual", "the performance cell says 'Bi Annual'"
    else:
        return "quarterly"
    log.append(CleaningNote(ref=ref, field="frequency", printed="", kept=frequency, why=why))
    return frequency


def cleaning_log(catalogue: Catalogue) -> str:
    """The cleaning decisions and exclusions as a Markdown page a member of the performance team can read."""
    lines = [
        f"# How the catalogue was made from {catalogue.source}",
        "",
        f"{len(catalogue.measures)} measures and {len(catalogue.actions)} actions kept, "
        f"{len(catalogue.excluded)} rows excluded, "
        f"{len(catalogue.cleaning)} changes to the printed text. Generated by `pmf samples`; do not edit.",
        "",
        "## Excluded rows",
        "",
        "| ref | line | why |",
        "|---|---:|---|",
        *(f"| {e.ref} | {e.line} | {_cell(e.why)} |" for e in catalogue.excluded),
        "",
        "## Changes to the printed text",
        "",
        "| ref | field | printed | kept | why |",
        "|---|---|---|---|---|",
        *(f"| {n.ref} | {n.field} | {_cell(n.printed)} | {_cell(n.kept)} | {_cell(n.why)} |"
          for n in catalogue.cleaning),
        "",
    ]
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ") or "(blank)"
