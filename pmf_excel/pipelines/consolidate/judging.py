"""Judge every returned line with the engine against the catalogue, and check what co-ordinators sent.

Nothing cached in a return is trusted: definitions come from the catalogue,
and RAG, DOT and breach are computed afresh from the typed figures. Each
problem becomes a :class:`Finding` naming the file, sheet, cell and text;
the line, the file and the rest of the consolidation carry on.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Sequence

from ...framework.catalogue import ActionDefinition, Catalogue, MeasureDefinition
from ...framework.evidence import Evidence, assess_evidence
from ...framework.findings import Finding, shown
from ...framework.history import ACTION_HISTORY, HistoryRow
from ...framework.quarters import previous_quarter, quarter_end, same_quarter_last_year
from ...framework.results import NOT_DUE, ActionResult, IndicatorResult, MeasureResult
from ...framework.returns import PART_SEPARATOR, ReturnLine, in_unit, lines_for, typed_cell
from ...rules.errors import PMFValueError
from ...rules.models import Assessment, DotResult, Kind, Value
from ...rules.parts import DOT_SEVERITY, RAG_SEVERITY
from ...rules.policy import DEFAULT_POLICY, Policy
from ...rules.text import squash
from ...rules.values import read_value
from ...rules.verdicts import (assess, breach_of, check_officer_rating, comparison_figures, deliverable_rag,
                               deliverable_status_name, direction_of_travel)
from ...workbooks.directorate_return import DELIVERABLES_SHEET, MEASURES_SHEET, TEMPLATE_VERSION
from ...workbooks.return_reader import ReturnedAction, ReturnedLine, ReturnFile, is_error_value

#: Commentary that states an outcome, and the RAGs it contradicts.
CONTRADICTIONS = [
    (re.compile(r"better than (?:the )?target|(?<!back )\bon target\b|target (?:has been|was) (?:met|achieved)",
                re.IGNORECASE), {"Red"}, "says the target is met"),
    (re.compile(r"worse than (?:the )?tolerance|outside (?:the )?(?:target )?tolerance", re.IGNORECASE),
     {"Green"}, "says the figure is outside the tolerance"),
]


#: Where last quarter's and the same quarter last year's figures sit among the earlier periods (latest first),
#: and how many earlier periods are looked up: as many as a policy's average may take.
LAST_QUARTER, SAME_QUARTER_LAST_YEAR, MOST_PERIODS = 0, 3, 12


def accept_returns(catalogue: Catalogue, quarter: str, returns: list[ReturnFile]) -> tuple[
        dict[str, ReturnFile], list[Finding]]:
    """The one return of each directorate that is consolidated: of the catalogue's directorates, for ``quarter``,
    the first where two are sent; every other return is a finding saying why it is left out."""
    findings: list[Finding] = []
    accepted: dict[str, ReturnFile] = {}
    directorates = catalogue.directorates()
    for returned in returns:
        name = returned.path.name
        if returned.template_version != TEMPLATE_VERSION:
            findings.append(Finding(file=name, sheet="Cover", cell="B7", text=shown(returned.template_version),
                                    severity="Warning", message=f"Template version is not {TEMPLATE_VERSION}: "
                                    "this return was not made from the current template; it is read by its headings."))
        if returned.directorate not in directorates:
            findings.append(Finding(file=name, sheet="Cover", cell="B3", text=shown(returned.directorate),
                                    message="Unknown directorate: the return is not consolidated."))
            continue
        if returned.quarter != quarter:
            findings.append(Finding(file=name, sheet="Cover", cell="B4", text=shown(returned.quarter),
                                    message=f"This return is for {returned.quarter or 'no quarter'}, not {quarter}: "
                                            "it is not consolidated."))
            continue
        if returned.directorate in accepted:
            findings.append(Finding(file=name, sheet="Cover", cell="B3", text=returned.directorate,
                                    message=f"A second return for {returned.directorate} "
                                            f"(first: {accepted[returned.directorate].path.name}): this one is not "
                                            "consolidated."))
            continue
        accepted[returned.directorate] = returned
    for directorate in directorates:
        if directorate not in accepted:
            findings.append(Finding(file="(none)", text=directorate,
                                    message=f"No return from {directorate} for {quarter}: its measures show No data."))
    return accepted, findings


def judge_returns(catalogue: Catalogue, quarter: str, accepted: dict[str, ReturnFile],
                  history: Sequence[HistoryRow] = (), policy: Policy = DEFAULT_POLICY
                  ) -> tuple[list[MeasureResult], list[ActionResult], list[Finding]]:
    """Every catalogue measure and action, judged from the accepted directorate returns for ``quarter``.

    The direction of travel compares with History's figures for last
    quarter and the same quarter last year where History holds them (or
    the catalogue's earlier figures, before History has any), and with the
    figures typed in the return otherwise; a typed figure that differs from
    History's is reported as a revision.
    """
    findings: list[Finding] = []
    measures = []
    figures = catalogue.figures_before() | {(row.quarter, row.ref): row.performance for row in history
                                            if row.why != ACTION_HISTORY}
    before = [previous_quarter(quarter)]
    while len(before) < MOST_PERIODS:
        before.append(previous_quarter(before[-1]))
    for directorate, definitions in catalogue.by_directorate().items():
        returned = accepted.get(directorate)
        by_ref, found = _lines_by_ref(returned, definitions, quarter, findings)
        for definition in definitions:
            if definition.measure_class and policy.classes and policy.class_rules(definition.measure_class) is None:
                findings.append(Finding(file="(catalogue)", ref=definition.ref, text=definition.measure_class,
                                        severity="Warning", message=f"The class {definition.measure_class!r} is not "
                                        f"one the policy {policy.label} names "
                                        f"({', '.join(rules.name for rules in policy.classes)}): the policy's own "
                                        "settings judge it."))
            try:
                lines = lines_for(definition, quarter, policy=policy)
            except PMFValueError as error:  # a definition this policy cannot judge: reported, and the rest go on
                findings.append(Finding(file="(catalogue)", ref=definition.ref, text=shown(error.text),
                                        message=f"Under {policy.label} this measure cannot be judged: {error}"))
                measures.append(_measure(definition, [_not_judged(definition, ref, str(error))
                                                      for ref in definition.line_refs()]))
                continue
            results = []
            for line in lines:
                earlier = [figures.get((when, line.ref)) for when in before]
                results.append(_judge_line(line, definition, by_ref.get(line.ref), returned, quarter, earlier,
                                           findings))
            measures.append(_measure(definition, results))
        findings.extend(found)
    actions = [result for directorate, defined in catalogue.actions_by_directorate().items()
               for result in _judge_actions(defined, accepted.get(directorate), findings, policy,
                                            {item.ref: item for item in catalogue.evidence}, quarter_end(quarter))]
    return measures, actions, findings


def _not_judged(definition: MeasureDefinition, ref: str, reason: str) -> IndicatorResult:
    return IndicatorResult(ref=ref, measure_ref=definition.ref, part=ref.partition(PART_SEPARATOR)[2],
                           indicator=definition.indicator, outcome=definition.outcome,
                           directorate=definition.directorate, polarity=definition.polarity, target=definition.target,
                           tolerance=definition.tolerance, frequency=definition.frequency, reason=reason)


def _judge_actions(defined: list[ActionDefinition], returned: ReturnFile | None, findings: list[Finding],
                   policy: Policy, evidence: dict[str, Evidence], as_of: dt.date) -> list[ActionResult]:
    """Each action's RAG from its returned status; an action with no status is No update."""
    name = returned.path.name if returned else "(none)"
    if returned is not None and returned.actions is None:
        findings.append(Finding(file=name, sheet=DELIVERABLES_SHEET, severity="Warning",
                                message="The return has no Deliverables sheet: every action shows No update."))
    by_ref: dict[str, ReturnedAction] = {}
    known = {action.ref for action in defined}
    for item in (returned.actions or []) if returned else []:
        if item.ref not in known:
            findings.append(Finding(file=name, sheet=DELIVERABLES_SHEET, cell=f"A{item.row}", ref=item.ref,
                                    text=shown(item.ref), severity="Warning",
                                    message="Unknown action ref for this directorate: not consolidated."))
        elif item.ref in by_ref:
            findings.append(Finding(file=name, sheet=DELIVERABLES_SHEET, cell=f"A{item.row}", ref=item.ref,
                                    text=item.ref, message=f"The action appears again; only row {by_ref[item.ref].row} "
                                                           "is consolidated."))
        else:
            by_ref[item.ref] = item
    results = []
    for action in defined:
        item = by_ref.get(action.ref)
        result = ActionResult(**action.model_dump(exclude={"printed_line"}))
        if item is not None:
            result = result.model_copy(update=dict(
                update=item.update, source=f"{name} › {DELIVERABLES_SHEET} › {item.status_cell}"))
        try:
            status = item.status if item else None
            result = result.model_copy(update=dict(rag=deliverable_rag(status, policy),
                                                   status=deliverable_status_name(status, policy)))
        except PMFValueError as error:
            findings.append(Finding(file=name, sheet=DELIVERABLES_SHEET, cell=item.status_cell, ref=action.ref,
                                    text=shown(item.status), message=error.expected))
            result = result.model_copy(update=dict(status=str(item.status)))
        if item is not None and is_error_value(item.update):
            findings.append(_error_in_text(name, DELIVERABLES_SHEET, item.update_cell, action.ref, item.update,
                                           "update"))
        if result.rag in ("Amber", "Red") and item is not None and not item.update.strip():
            findings.append(Finding(file=name, sheet=DELIVERABLES_SHEET, cell=item.status_cell, ref=action.ref,
                                    severity="Warning", message=f"{result.status} without an update."))
        if action.ref in evidence and result.rag is not None:
            result = _with_evidence(result, evidence[action.ref], item, name, as_of, policy, findings)
        results.append(result)
    return results


def _with_evidence(result: ActionResult, evidence: Evidence, item: ReturnedAction | None, name: str,
                   as_of: dt.date, policy: Policy, findings: list[Finding]) -> ActionResult:
    """The action checked against its evidence (the % complete its lead returned, else the catalogue's): the
    suggested status and every disagreement, which go to Data quality and Exceptions. The lead's rating stays."""
    if item is not None and item.percent_complete not in (None, ""):
        try:
            evidence = evidence.model_copy(update={"percent_complete": _percent(item.percent_complete)})
        except PMFValueError as error:
            findings.append(Finding(file=name, sheet=DELIVERABLES_SHEET, cell=item.percent_cell, ref=result.ref,
                                    text=shown(item.percent_complete), severity="Warning",
                                    message=f"{error} The catalogue's figure is used."))
    assessed = assess_evidence(result.status or None, evidence, as_of, policy)
    for flag in assessed.flags:
        findings.append(Finding(file=name, sheet=DELIVERABLES_SHEET, cell=item.status_cell if item else "",
                                ref=result.ref, text=result.status, severity=flag.severity,
                                message=f"The evidence suggests {flag.suggested}: {flag.message}"))
    return result.model_copy(update={"suggested": assessed.suggested,
                                     "evidence": [flag.message for flag in assessed.flags],
                                     "evidence_warning": any(f.severity == "Warning" for f in assessed.flags)})


def _percent(raw: object) -> float:
    """A % complete as the cell holds it (0.6 in a percentage cell) or as typed ("60%"), as 0–100."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        share = float(raw)
    else:
        value = read_value(raw)
        if value.kind is not Kind.PERCENTAGE:
            raise PMFValueError("a % complete", raw, "Type a percentage from 0% to 100%.")
        share = value.number
    if not 0 <= share <= 1:
        raise PMFValueError("a % complete", raw, "Type a percentage from 0% to 100%.")
    return round(share * 100, 6)


def _lines_by_ref(returned: ReturnFile | None, definitions: list[MeasureDefinition], quarter: str,
                  findings: list[Finding]) -> tuple[dict[str, ReturnedLine], list[Finding]]:
    if returned is None:
        return {}, []
    expected = {ref for definition in definitions if definition.due_in(quarter) for ref in definition.line_refs()}
    not_due = {ref for definition in definitions if not definition.due_in(quarter) for ref in definition.line_refs()}
    counts = Counter(line.ref for line in returned.lines)
    by_ref: dict[str, ReturnedLine] = {}
    late: list[Finding] = []
    name = returned.path.name
    for line in returned.lines:
        if line.ref in not_due:
            if line.performance not in (None, ""):
                findings.append(Finding(file=name, sheet=MEASURES_SHEET, cell=line.performance_cell, ref=line.ref,
                                        text=shown(line.performance), severity="Warning",
                                        message="A figure for a measure not due this quarter: it is not judged or "
                                                "counted; give it in a quarter the measure reports in."))
            continue
        if line.ref not in expected:
            findings.append(Finding(file=name, sheet=MEASURES_SHEET, cell=f"A{line.row}", ref=line.ref,
                                    text=shown(line.ref), severity="Warning",
                                    message="Unknown ref for this directorate: the line is not consolidated."))
        elif line.ref in by_ref:
            findings.append(Finding(file=name, sheet=MEASURES_SHEET, cell=f"A{line.row}", ref=line.ref,
                                    text=line.ref, message=f"The ref appears {counts[line.ref]} times; only the "
                                    f"first (row {by_ref[line.ref].row}) is consolidated."))
        else:
            by_ref[line.ref] = line
    for ref in sorted(expected - set(by_ref)):
        late.append(Finding(file=name, sheet=MEASURES_SHEET, ref=ref, text=ref, severity="Warning",
                            message="No line for this measure in the return: it shows No data."))
    return by_ref, late


def _judge_line(line: ReturnLine, definition: MeasureDefinition, returned: ReturnedLine | None,
                return_file: ReturnFile | None, quarter: str, earlier: list[object],
                findings: list[Finding]) -> IndicatorResult:
    """One line judged under its policy. ``earlier`` is History's figures for the quarters before, latest first
    (:data:`LAST_QUARTER`, :data:`SAME_QUARTER_LAST_YEAR`)."""
    result = IndicatorResult(
        ref=line.ref, measure_ref=definition.ref, part=line.ref.partition(PART_SEPARATOR)[2],
        indicator=definition.indicator, outcome=definition.outcome, directorate=definition.directorate,
        polarity=line.polarity, target=line.target, tolerance=line.tolerance, frequency=line.frequency,
        period=line.period, policy=line.policy.label)
    held = (earlier[LAST_QUARTER], earlier[SAME_QUARTER_LAST_YEAR])
    if not line.due:
        return result.model_copy(update=dict(
            rag=NOT_DUE, reason=f"Reports in {line.reports_in}: not due in {quarter}.",
            last_quarter=held[0], last_year=held[1]))
    name = return_file.path.name if return_file else "(none)"
    if returned is not None:
        last_quarter = _previous(line, returned.last_quarter, held[0], previous_quarter(quarter),
                                 returned.last_quarter_cell, name, findings)
        last_year = _previous(line, returned.last_year, held[1], same_quarter_last_year(quarter),
                              returned.last_year_cell, name, findings)
        result = result.model_copy(update=dict(
            performance=returned.performance, last_quarter=last_quarter, last_year=last_year,
            commentary=returned.commentary,
            source=f"{return_file.path.name} › {MEASURES_SHEET} › {returned.performance_cell}"))
    else:
        result = result.model_copy(update=dict(last_quarter=held[0], last_year=held[1]))
    cell = returned.performance_cell if returned else ""
    policy = line.policy
    # the last periods' figures for an average: History's, with the two the return settled on in their places
    window = list(earlier)
    window[LAST_QUARTER], window[SAME_QUARTER_LAST_YEAR] = result.last_quarter, result.last_year
    window = [typed_cell(figure, line) for figure in window]
    short, long = comparison_figures(policy, typed_cell(result.last_quarter, line), typed_cell(result.last_year, line),
                                     window)
    # what a report's formulas judge it by: the figures compared with as numbers, a trend's parts from the window
    result = result.model_copy(update={"judged_by": line.with_window(window).judged_by.model_copy(update={
        "short_basis": _reading(short, line), "long_basis": _reading(long, line)}),
        "forecast": returned.forecast if returned is not None else None})
    forecast = typed_cell(returned.forecast, line) if returned is not None else None
    reported: set[str] = set()  # an unreadable cell is one row, however often it is read
    try:
        verdict = assess(typed_cell(result.performance, line), line.target, line.tolerance, line.polarity,
                         base=definition.base, policy=policy, long_term=long, forecast=forecast,
                         year_end_target=definition.target if definition.year_end_target else None)
        shown_value = verdict.performance.show() if verdict.performance and not verdict.performance.is_missing \
            else shown(result.performance)
        result = result.model_copy(update=dict(rag=verdict.rag, breach=verdict.breach, reason=verdict.reason,
                                               warnings=[w.message for w in verdict.warnings],
                                               performance_shown=shown_value, engine_rag=verdict.rag))
        if returned is not None:
            result = _officer(result, verdict, returned, policy, name, findings)
        if verdict.target.annual is not None and verdict.target.profile_quarter not in (None, int(line.period[-1])):
            findings.append(Finding(file=name, sheet=MEASURES_SHEET, cell=cell, ref=line.ref, text=line.target,
                                    severity="Warning", message=f"The target's profile is for "
                                    f"Q{verdict.target.profile_quarter}, but the figure is for {line.period}: give "
                                    "the quarter's own profile in the catalogue's target."))
    except PMFValueError as error:
        where = returned.forecast_cell if returned is not None and error.text == returned.forecast else cell
        findings.append(Finding(file=name, sheet=MEASURES_SHEET, cell=where, ref=line.ref,
                                text=shown(error.text if where != cell else result.performance),
                                message=str(error) if where != cell else _shows_an_error(result.performance)
                                or (error.expected if error.what == "a value" else str(error))))
        reported.add(where)
        result = result.model_copy(update=dict(reason=str(error)))
    directions: dict[str, str] = {}
    for column, previous, where in (("dot_short", short, returned and returned.last_quarter_cell),
                                    ("dot_long", long, returned and returned.last_year_cell)):
        try:
            directions[column] = "Not comparable" if previous is None else direction_of_travel(
                typed_cell(result.performance, line), previous, line.polarity, policy)
        except PMFValueError as error:
            about_performance = error.text in (result.performance, typed_cell(result.performance, line))
            at = (cell if about_performance else where) or ""
            if at not in reported:
                reported.add(at)
                findings.append(Finding(file=name, sheet=MEASURES_SHEET, cell=at, ref=line.ref,
                                        text=shown(error.text), severity="Warning",
                                        message=_shows_an_error(error.text) or str(error)))
            directions[column] = "Not comparable"
    result = result.model_copy(update=directions)
    if returned is not None:
        findings.extend(_commentary_findings(result, name, returned))
    return result


def _reading(figure: object, line: ReturnLine) -> float | None:
    """What a direction compares with, as the number a report's formula compares with: a typed number or an
    average as it is, an earlier figure read in the line's unit; None where nothing can be compared."""
    if isinstance(figure, Value):
        return figure.number if not figure.is_missing and in_unit(figure, line.unit_value) else None
    cell = line.in_unit(figure)
    return float(cell) if isinstance(cell, (int, float)) else None


def _officer(result: IndicatorResult, verdict: Assessment, returned: ReturnedLine, policy: Policy, name: str,
             findings: list[Finding]) -> IndicatorResult:
    """The officer's own rating beside the engine's: kept as typed, the RAG where the policy lets it decide, and a
    Data quality row (and an Exceptions row) where the two differ. The officer's rating is never changed."""
    if policy.officer_rating == "not used":
        return result
    try:
        check = check_officer_rating(returned.officer_rating, verdict, policy)
    except PMFValueError as error:
        findings.append(Finding(file=name, sheet=MEASURES_SHEET, cell=returned.officer_cell, ref=result.ref,
                                text=shown(returned.officer_rating), severity="Warning", message=str(error)))
        return result
    if check is None:
        return result
    update: dict[str, object] = {"officer_rating": check.rating}
    if policy.officer_rating == "decides":
        update |= {"rag": check.rating, "breach": breach_of(check.rating),
                   "reason": f"{check.rating}: the officer's rating, as the policy {policy.label} lets it decide. "
                             f"The engine: {verdict.reason}"}
    if not check.agrees:
        update["officer_note"] = check.message
        findings.append(Finding(file=name, sheet=MEASURES_SHEET, cell=returned.officer_cell, ref=result.ref,
                                text=shown(returned.officer_rating), severity="Warning", message=check.message))
    return result.model_copy(update=update)


def _shows_an_error(raw: object) -> str:
    """What is wrong with a cell showing an error value instead of a figure, and how to fix it; "" otherwise."""
    if not is_error_value(raw):
        return ""
    return (f"The cell shows the error {raw.strip()} instead of a figure: correct the formula, or type the figure "
            "(NA or TBC when there is none).")


def _previous(line: ReturnLine, typed: object, held: object, when: str, cell: str, name: str,
              findings: list[Finding]) -> object:
    """The earlier figure a direction is judged against: History's where it holds one, else the typed one; a
    typed figure that differs from History's is a revision for the performance team to confirm."""
    if _blank(held):
        return typed
    if not _blank(typed) and not _same_figure(typed, held, line):
        findings.append(Finding(
            file=name, sheet=MEASURES_SHEET, cell=cell, ref=line.ref, text=shown(typed), severity="Information",
            message=f"Revision: History holds {shown(held)} for {when}; the direction of travel uses History's "
                    "figure. If the figure has been revised, correct it in History."))
    return held


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _same_figure(typed: object, held: object, line: ReturnLine) -> bool:
    """Whether two cells hold the same figure: equal numbers in the line's unit, or the same words."""
    try:
        first, second = read_value(typed_cell(typed, line)), read_value(typed_cell(held, line))
    except PMFValueError:
        return squash(str(typed)) == squash(str(held))
    if first.is_missing or second.is_missing:
        return first.is_missing and second.is_missing
    return math.isclose(first.number, second.number, rel_tol=1e-9, abs_tol=1e-12)


def _commentary_findings(result: IndicatorResult, name: str, returned: ReturnedLine) -> list[Finding]:
    found = []
    note = result.commentary.strip()
    if is_error_value(note):
        found.append(_error_in_text(name, MEASURES_SHEET, returned.commentary_cell, result.ref, note, "commentary"))
    if result.rag in ("Amber", "Red") and not note:
        found.append(Finding(file=name, sheet=MEASURES_SHEET, cell=returned.commentary_cell, ref=result.ref,
                             severity="Warning", message=f"{result.rag} without a commentary."))
    if result.part:  # one commentary covers every part ("above target for litter, on target for graffiti")
        return found
    for pattern, contradicted, says in CONTRADICTIONS:
        match = pattern.search(note)
        if match and result.rag in contradicted:
            found.append(Finding(file=name, sheet=MEASURES_SHEET, cell=returned.commentary_cell, ref=result.ref,
                                 text=shown(note), severity="Warning",
                                 message=f"The commentary {says} ('{match.group(0)}') but the RAG is {result.rag}: "
                                         f"{result.reason}"))
    return found


def _error_in_text(file: str, sheet: str, cell: str, ref: str, text: str, what: str) -> Finding:
    """An error value where words belong: Excel could not work out what was typed (a formula, or text starting
    with ``=``), so the words are lost."""
    return Finding(file=file, sheet=sheet, cell=cell, ref=ref, text=text.strip(), severity="Warning",
                   message=f"The {what} cell shows the error {text.strip()} instead of words: Excel could not work "
                           f"out what was typed (a formula, or text starting with =). Type the {what} as words.")


def _measure(definition: MeasureDefinition, lines: list[IndicatorResult]) -> MeasureResult:
    if all(line.rag == NOT_DUE for line in lines):
        return MeasureResult(ref=definition.ref, indicator=definition.indicator, outcome=definition.outcome,
                             directorate=definition.directorate, rag=NOT_DUE, breach=None, dot_short=None,
                             dot_long=None, lines=lines)
    judged = [line.rag for line in lines if line.rag is not None]
    rag = max(judged, key=RAG_SEVERITY.__getitem__) if len(judged) == len(lines) else None
    return MeasureResult(
        ref=definition.ref, indicator=definition.indicator, outcome=definition.outcome,
        directorate=definition.directorate, rag=rag, breach=breach_of(rag) if rag else None,
        dot_short=_worst([line.dot_short for line in lines]), dot_long=_worst([line.dot_long for line in lines]),
        lines=lines)


def _worst(dots: list[DotResult | None]) -> DotResult | None:
    known = [dot for dot in dots if dot is not None]
    return max(known, key=DOT_SEVERITY.__getitem__) if known else None
