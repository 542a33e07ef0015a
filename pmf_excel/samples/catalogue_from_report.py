"""The catalogue built from the council's published Corporate Performance Report and deliverables report.

Each change made to the printed text (PDF artefacts, look-alike letters,
mangled refs) is logged as a :class:`CleaningNote` with its evidence, and
the log is published beside the catalogue.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from ..framework.catalogue import (ActionDefinition, Catalogue, CleaningNote, Exclusion, Frequency, MeasureDefinition,
                                   unit_name)
from ..framework.published import IndicatorRow
from ..framework.returns import as_cell, lines_for
from ..rules.models import Kind, Value
from ..rules.text import clean
from .judged_report import MeasureNotes, Schedule
from .seed_reports import read_deliverables_report, read_indicator_report

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


#: Whose action a BP ref is, by its prefix (the issue's list; 003's own codes).
ACTION_DIRECTORATES = {"CH": "Children and Education", "PH": "Public Health", "ASC": "Adult Social Care",
                       "BE": "Borough Economy", "H": "Housing", "R": "Regeneration and Growth", "F": "Finance",
                       "ACE": "Assistant Chief Executive", "LG": "Law and Governance"}
_BP_PREFIX = re.compile(r"^[A-Z]+")


def build_catalogue(report: Path, notes: MeasureNotes, deliverables: Path | None = None) -> Catalogue:
    """The catalogue of every indicator printed in a Corporate Performance Report, and of every rated action
    in a Corporate Plan deliverables report when one is given."""
    cleaning: list[CleaningNote] = []
    measures, excluded = [], []
    rows = read_indicator_report(report)
    for index, row in enumerate(rows):
        ref = _ref(row, rows, index, cleaning)
        _figures(ref, row, notes, cleaning)
        indicator = _text(ref, "indicator", row.indicator, cleaning)
        if _PLACEHOLDER.match(indicator):
            excluded.append(Exclusion(ref=clean(row.ref), line=row.line,
                                      why=f"a placeholder, not a measure: {indicator!r}"))
            continue
        measures.append(_with_unit(MeasureDefinition(
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
        ), row, cleaning))
    actions: list[ActionDefinition] = []
    if deliverables is not None:
        actions, skipped = build_actions(deliverables, cleaning)
        excluded += skipped
    source = report.name + (f" and {deliverables.name}" if deliverables is not None else "")
    return Catalogue(source=source, measures=measures, actions=actions, excluded=excluded, cleaning=cleaning)


def published_figures(report: Path, notes: MeasureNotes) -> dict[str, IndicatorRow]:
    """The report's rows by printed ref, as a return is filled from them: each figure the PDF left without a figure
    blanked, as the catalogue's cleaning log says (:func:`build_catalogue`)."""
    return {row.ref: _figures(clean(row.ref), row, notes, []) for row in read_indicator_report(report)}


def _figures(ref: str, row: IndicatorRow, notes: MeasureNotes, log: list[CleaningNote]) -> IndicatorRow:
    """A multi-part measure's figure cell that holds only pieces of its part labels (B12a's last quarter, ``g
    Families Other``: the PDF kept the end of "Strengthening Families" and "Other" and lost both figures) is
    no figure: it is blanked, as not available, and logged."""
    labels = " ".join(part.name + " " + " ".join(part.aliases) for part in notes.parts.get(clean(row.ref), []))
    blanked = {}
    for field in ("performance", "last_quarter", "last_year"):
        printed = getattr(row, field)
        words = re.findall(r"[A-Za-z]+", printed)
        if labels and printed.strip() and not re.search(r"\d", printed) \
                and any(word.lower() in labels.lower() for word in words if len(word) > 2):
            blanked[field] = ""
            log.append(CleaningNote(ref=ref, field=field.replace("_", " "), printed=printed, kept="",
                                    why="only pieces of the part labels, no figure (the PDF lost them): blank, "
                                        "as not available"))
    return row.model_copy(update=blanked)


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


#: A line's unit does not depend on the quarter it is for: any quarter tells it.
_ANY_QUARTER = "2023/24 Q1"


def _with_unit(measure: MeasureDefinition, row: IndicatorRow, log: list[CleaningNote]) -> MeasureDefinition:
    """A measure whose target gives no unit (NA, TBC, No target) keeps the unit its figures are printed in, so
    that a co-ordinator's 0.647 in a %-formatted cell is read, judged and shown as 64.7%."""
    if any(line.kind is not Kind.NUMBER for line in lines_for(measure, _ANY_QUARTER)):
        return measure
    printed = lines_for(measure, _ANY_QUARTER, last_quarter=row.last_quarter, last_year=row.last_year,
                        performance=row.performance)[0]
    if printed.kind is Kind.NUMBER:
        return measure
    unit = unit_name(Value(kind=printed.kind, number=0.0, unit=printed.unit, text=""))
    figure = next(text for text in (row.performance, row.last_quarter, row.last_year) if as_cell(text, None))
    log.append(CleaningNote(ref=measure.ref, field="unit", printed="", kept=unit,
                            why=f"the target ({measure.target}) gives no unit: the figures are printed in it "
                                f"({clean(figure)[:30]})"))
    return measure.model_copy(update={"unit": unit})


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
