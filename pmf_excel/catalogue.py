"""The basket of measures: each indicator's definition, cleaned of PDF artefacts, with every decision logged.

The catalogue is what returns are generated from and what Consolidate judges
against, so it must be right to the letter and its provenance readable: each
change made to the council's printed text is a :class:`CleaningNote` saying
what was printed, what is kept and why.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .errors import PMFValueError
from .improvement_plan import ImprovementAction
from .judged_report import MeasureNotes
from .parts import PartLabel, assess_parts
from .risks import Risk
from .rules import read_measure
from .seed_reports import IndicatorRow, read_deliverables_report, read_indicator_report
from .tables import Table
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
    excluded: list[Exclusion] = Field(default_factory=list)
    cleaning: list[CleaningNote] = Field(default_factory=list)

    @model_validator(mode="after")
    def _refs_are_unique(self) -> "Catalogue":
        refs = [m.ref for m in self.measures] + [a.ref for a in self.actions] + \
            [a.ref for a in self.improvement_plan] + [r.ref for r in self.risks]
        repeated = [ref for ref, n in Counter(refs).items() if n > 1]
        if repeated:
            raise ValueError(f"refs appear more than once in the catalogue: {', '.join(repeated)}")
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
                     "Tolerance", "Frequency", "Cumulative", "Budget base", "Parts")
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
#: Every sheet the catalogue is kept in, as the corporate workbook holds them.
CATALOGUE_SHEETS = (CATALOGUE_SHEET, ACTIONS_SHEET, PLAN_TABLE.sheet, RISKS_TABLE.sheet)
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
             "; ".join(p.name + (f" ({', '.join(p.aliases)})" if p.aliases else "") for p in m.parts)]
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
    if not rows or [str(cell).strip() for cell in rows[0][:len(CATALOGUE_COLUMNS)]] != list(CATALOGUE_COLUMNS):
        raise CatalogueError(source, [f"the first row must be the headings {', '.join(CATALOGUE_COLUMNS)}"])
    measures, problems = [], []
    for number, row in enumerate(rows[1:], start=2):
        cells = {heading: ("" if value is None else str(value).strip())
                 for heading, value in zip(CATALOGUE_COLUMNS, list(row) + [""] * len(CATALOGUE_COLUMNS))}
        if not any(cells.values()):
            continue
        try:
            measures.append(MeasureDefinition(
                ref=cells["Ref"], printed_ref=cells["Printed ref"] or cells["Ref"], indicator=cells["Indicator"],
                outcome=cells["Strategic outcome"], directorate=cells["Directorate"], polarity=cells["Polarity"],
                target=cells["Target"], tolerance=cells["Tolerance"], frequency=cells["Frequency"] or "quarterly",
                cumulative=cells["Cumulative"].lower() in ("yes", "y", "true"), base=cells["Budget base"] or None,
                parts=[_part(text) for text in cells["Parts"].split(";") if text.strip()]))
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
    problems += plan_problems + risk_problems
    try:
        catalogue = Catalogue(source=source, measures=measures, actions=defined, improvement_plan=plan, risks=risks)
    except ValueError as error:
        problems.append(_first_error(error))
    if problems:
        raise CatalogueError(source, problems)
    return catalogue


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
