"""The catalogue as the corporate workbook keeps it: the Catalogue sheet and its companion sheets.

The performance team maintains the basket in Excel, so every sheet is read
back exactly as it is written, and every bad row is reported together, naming
the sheet, row and ref, so that the team can fix them in one pass.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from pydantic import BaseModel, ValidationError

from ..framework.catalogue import EVEN_PROFILE, ActionDefinition, Catalogue, MeasureDefinition
from ..framework.evidence import Evidence, Milestone
from ..framework.improvement_plan import ImprovementAction
from ..framework.risks import Risk
from ..rules.errors import PMFInputError, PMFValueError, quote
from ..rules.parts import PartLabel
from .tables import Table

#: The Catalogue sheet of the corporate workbook: where the performance team reads and maintains the basket.
CATALOGUE_SHEET = "Catalogue"
CATALOGUE_COLUMNS = ("Ref", "Printed ref", "Indicator", "Strategic outcome", "Directorate", "Polarity", "Target",
                     "Tolerance", "Frequency", "Cumulative", "Budget base", "Parts", "Unit", "Reports in",
                     "Lag (quarters)", "Year-end target", "Profile", "Tolerance meaning", "No-change band",
                     "Tolerance owner", "Tolerance rationale", "Class")
#: The columns a Catalogue sheet made before units, reporting quarters, profiles, policies and classes may lack:
#: each takes its default.
OPTIONAL_COLUMNS = ("Unit", "Reports in", "Lag (quarters)", "Year-end target", "Profile", "Tolerance meaning",
                    "No-change band", "Tolerance owner", "Tolerance rationale", "Class")
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


class CatalogueError(PMFInputError):
    """Every problem found in a catalogue, reported together so that the team can fix them in one pass."""

    def __init__(self, source: str, problems: list[str]):
        self.problems = problems
        listing = "\n".join(f"- {problem}" for problem in problems)
        super().__init__(f"The catalogue in {source} has {len(problems)} problem(s):\n{listing}")


def catalogue_rows(catalogue: Catalogue) -> list[list[str]]:
    """The Catalogue sheet's rows, as :func:`read_catalogue_sheets` reads them back."""
    return [[m.ref, m.printed_ref, m.indicator, m.outcome, m.directorate, m.polarity, m.target, m.tolerance,
             m.frequency, "Yes" if m.cumulative else "", m.base or "",
             "; ".join(p.name + (f" ({', '.join(p.aliases)})" if p.aliases else "") for p in m.parts), m.unit,
             ", ".join(f"Q{q}" for q in m.reports_in), str(m.lag) if m.lag else "",
             "Yes" if m.year_end_target else "",
             ", ".join(f"{share:.4g}" if share * 100 % 1 else f"{share:.0%}" for share in m.profile)
             if m.profile != EVEN_PROFILE else "", m.tolerance_meaning or "",
             "" if m.no_change_band is None else f"{m.no_change_band:g}", m.tolerance_owner, m.tolerance_rationale,
             m.measure_class]
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
                parts=[_part(text) for text in cells["Parts"].split(";") if text.strip()], unit=cells["Unit"],
                reports_in=_quarters(cells["Reports in"]), lag=int(float(cells["Lag (quarters)"] or 0)),
                year_end_target=cells["Year-end target"].lower() in ("yes", "y", "true"),
                profile=_profile(cells["Profile"]), tolerance_meaning=cells["Tolerance meaning"] or None,
                no_change_band=float(cells["No-change band"]) if cells["No-change band"] else None,
                tolerance_owner=cells["Tolerance owner"], tolerance_rationale=cells["Tolerance rationale"],
                measure_class=cells["Class"]))
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
        try:
            return Catalogue.model_validate_json(path.read_bytes())
        except ValidationError as error:
            raise CatalogueError(path.name, [f"{'.'.join(map(str, e['loc'])) or 'the file'}: {e['msg']} "
                                             f"(given {quote(e['input'])})" for e in error.errors()]) from None
    from python_calamine import CalamineWorkbook

    from .sheet_extent import MeasuredWorkbook, SheetTooLarge

    try:
        book = MeasuredWorkbook(path, CalamineWorkbook.from_path(str(path)))
        sheets = {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
                  for name in CATALOGUE_SHEETS if name in book.sheet_names}
    except SheetTooLarge:
        raise
    except Exception as error:  # noqa: BLE001 - a damaged or missing file is reported like any other problem
        raise CatalogueError(path.name, [f"the workbook cannot be read ({type(error).__name__}: {error})"]) from None
    return read_catalogue_sheets(sheets, path.name)
