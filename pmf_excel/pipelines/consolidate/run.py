"""Consolidate: a folder of directorate returns into the corporate monitoring workbook, in one call.

The command line writes the workbook file (:func:`consolidate`: a
temporary file swapped in, the previous version kept); the Consolidate
button writes the same content into the workbook open in Excel. Both stand
on :func:`consolidate_returns`. Returns are only read.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, Field
from xlsxwriter.exceptions import XlsxFileError

from ...framework.benchmarks import Comparator, ComparatorsError, ImportedComparators
from ...framework.catalogue import Catalogue
from ...framework.findings import Finding
from ...framework.history import Histories, HistoryRow, history_rows, imported_rows, merge_quarters
from ...framework.improvement_plan import THEMES, PlanReport
from ...framework.outcomes import OUTCOMES
from ...framework.quarters import check_quarter, next_quarter
from ...framework.results import (ACTION_STATES, RAG_STATES, RISK_STATES, ActionResult, MeasureResult, outcome_order,
                                  rag_counts)
from ...framework.risks import RiskReport
from ...rules.collector import collector_paused
from ...rules.policy import DEFAULT_POLICY, Policy, PolicyError
from ...workbooks.comparators_sheet import COMPARATORS_TABLE, read_comparators
from ...workbooks.corporate.data_quality import findings_on_sheet, findings_table
from ...workbooks.corporate.workbook import write_corporate_workbook
from ...workbooks.csv_files import write_csv
from ...workbooks.directorate_return import DELIVERABLES_SHEET
from ...workbooks.files import (PREVIOUS_FOLDER, ConsolidationBlocked, check_not_open, check_writable,
                                consolidation_lock, consolidation_time, folder_files, keep_previous,
                                remove_leftovers, replace_keeping_backup, safe_file_name, same_file,
                                temporary_beside, write_failed)
from ...workbooks.history_sheets import read_history
from ...workbooks.improvement_plan_sheets import STATE_NAMES
from ...workbooks.return_reader import read_return
from ...workbooks.rules_sheet import read_rules
from ...workbooks.sheet_extent import SheetTooLarge
from .judging import accept_returns, judge_returns
from .plan_and_risks import judge_plan_returns, judge_risk_returns

RETURN_SUFFIXES = {".xlsx", ".xlsm"}
Progress = Callable[[str, float], None]


class ConsolidationSummary(BaseModel):
    workbook: Path
    backup: Path | None
    quarter: str
    files_read: int
    measures: int
    errors: int
    warnings: int
    counts_by_outcome: dict[str, dict[str, int]]
    #: Per strategic outcome, the Red measures as the Cabinet report names them.
    red_by_outcome: dict[str, list[str]]
    #: Per strategic outcome, actions by RAG (Green, Amber, Red, Complete, No update), and the Red ones by name.
    action_counts_by_outcome: dict[str, dict[str, int]] = {}
    red_actions_by_outcome: dict[str, list[str]] = {}
    #: The Improvement Plan: actions by status for each theme, those not on track, the changes in 002 §10.4's words.
    plan_counts_by_theme: dict[str, dict[str, int]] = {}
    plan_exceptions: list[str] = []
    plan_changes: list[str] = []
    #: The risk register: risks by RAG, and the Red ones by name with their score.
    risk_counts: dict[str, int] = {}
    red_risks: list[str] = []
    #: Measures that do not report this quarter: shown Not due, left out of every count.
    not_due: list[str] = []
    #: The quarter the Corporate Plan actions counted are for: ``quarter``, or the one they were shown from.
    actions_quarter: str = ""

    def narrative(self) -> str:
        """Per strategic outcome: measures by RAG and the Red ones by name, as the Cabinet report tells it."""
        story = _story(self.counts_by_outcome, self.red_by_outcome, RAG_STATES, "measures")
        return story + (f"\nNot due this quarter and not counted: {', '.join(self.not_due)}." if self.not_due else "")

    def action_narrative(self) -> str:
        """Per strategic outcome: Corporate Plan actions by RAG and the Red ones by name (000 §8.3.3)."""
        return _story(self.action_counts_by_outcome, self.red_actions_by_outcome, ACTION_STATES, "actions")

    def plan_narrative(self) -> str:
        """The Improvement Plan as 002 reports it: status by theme, the exceptions, the changes (§10.4)."""
        lines = [f"{theme}: {sum(counts.values())} actions — "
                 + ", ".join(f"{counts[state]} {STATE_NAMES.get(state, state)}" for state in ACTION_STATES
                             if counts.get(state)) + "."
                 for theme, counts in self.plan_counts_by_theme.items()]
        lines += ["Exception report:"] + [f"  - {line}" for line in self.plan_exceptions or ["none"]]
        lines += ["Changes to the plan:"] + [f"  - {line}" for line in self.plan_changes or ["none"]]
        return "\n".join(lines)

    def risk_narrative(self) -> str:
        """The register in a line and its Red risks by name."""
        counts = ", ".join(f"{n} {rag}" for rag, n in self.risk_counts.items() if n)
        return "\n".join([f"{sum(self.risk_counts.values())} strategic risks: {counts}."]
                         + [f"  - Red: {red}" for red in self.red_risks])


def _story(counts_by_outcome: dict[str, dict[str, int]], reds_by_outcome: dict[str, list[str]],
           states: tuple[str, ...], noun: str) -> str:
    lines = []
    for outcome in [o for o in OUTCOMES if o in counts_by_outcome] + sorted(set(counts_by_outcome) - set(OUTCOMES)):
        counts = counts_by_outcome[outcome]
        total = sum(counts.values())
        listed = ", ".join(f"{counts[state]} {state}" for state in (*states, "Not judged") if counts.get(state))
        lines.append(f"{outcome}: {total} {noun if total != 1 else noun[:-1]} — {listed}.")
        reds = reds_by_outcome.get(outcome, [])
        lines.extend(f"  - Red: {red}" for red in reds)
        if not reds:
            lines.append(f"  No {noun} have been RAG rated red across this strategic outcome.")
    return "\n".join(lines)


class Consolidation(BaseModel):
    """What one consolidation found: every measure, action, improvement action and risk judged, every finding,
    and each History with this quarter in it."""

    quarter: str
    files: list[Path]
    measures: list[MeasureResult]
    actions: list[ActionResult]
    plan: PlanReport
    risks: RiskReport
    findings: list[Finding]
    history: list[HistoryRow]
    policy: Policy = DEFAULT_POLICY
    comparators: list[Comparator] = []
    #: The quarter ``actions`` were returned for, where it is not ``quarter``: the council reports its Corporate
    #: Plan deliverables on their own cycle (its Q3 update beside its Q2 indicators).
    actions_quarter: str = ""
    #: When it ran, as the Dashboard says: now, or a fixed time for the samples (reproducible files).
    made: dt.datetime = Field(default_factory=consolidation_time)


@collector_paused()
def consolidate_returns(returns_dir: Path, catalogue: Catalogue, quarter: str, history: Histories, *,
                        skip: Path | None = None, progress: Progress | None = None,
                        policy: Policy = DEFAULT_POLICY) -> Consolidation:
    """Read, check and judge every return in ``returns_dir``; nothing is written.

    The file path (:func:`consolidate`) and the Consolidate button (which
    writes into the workbook open in Excel) both stand on this one step.
    """
    quarter = check_quarter(quarter)
    report = progress or (lambda message, done: None)
    files, findings = return_files(returns_dir, skip)
    returns = []
    for index, path in enumerate(files):
        report(f"Reading {path.name}", index / max(len(files), 1) * 0.8)
        returned, problems = read_return(path)
        findings.extend(problems)
        if returned is not None:
            returns.append(returned)
    report("Judging every measure", 0.8)
    accepted, refused = accept_returns(catalogue, quarter, returns)
    measures, actions, judged = judge_returns(catalogue, quarter, accepted, history.measures, policy)
    plan, plan_findings = judge_plan_returns(catalogue, quarter, list(accepted.values()), history.plan, policy)
    risks, risk_findings = judge_risk_returns(catalogue, quarter, list(accepted.values()), history.risks)
    return Consolidation(quarter=quarter, files=files, measures=measures, actions=actions, plan=plan, risks=risks,
                         findings=findings + refused + judged + plan_findings + risk_findings, policy=policy,
                         history=merge_quarters(history.measures + imported_rows(catalogue.earlier_figures,
                                                                                 history.measures),
                                                history_rows(quarter, measures, actions), quarter))


@collector_paused()
def consolidate(returns_dir: Path, workbook: Path, catalogue: Catalogue, quarter: str,
                progress: Progress | None = None, policy: Policy | None = None,
                comparators: ImportedComparators | None = None,
                deliverables_from: tuple[Path, str] | None = None,
                made: dt.datetime | None = None) -> ConsolidationSummary:
    """Validate and merge every return in ``returns_dir`` for ``quarter`` into the workbook file.

    The rules are ``policy`` when given (and it is written to the Rules
    sheet), else the workbook's own Rules sheet, else the default; History
    keeps every earlier quarter as it was judged. ``comparators`` (imported
    from an export) replace the workbook's Comparators sheet, and every row
    of the export that gave no comparator is a Data quality row; without
    them the sheet's comparators are kept. ``made`` fixes the time the
    Dashboard records (the samples use it; by default, now).

    ``deliverables_from`` (a folder of returns and their quarter) shows the
    Corporate Plan actions of that quarter instead of this one's, each
    sheet saying so: the council's deliverables update (003, Q3) beside its
    indicators (004, Q2). History keeps each quarter's own either way.

    Raises :class:`~pmf_excel.workbooks.files.ConsolidationBlocked` when
    the workbook cannot be written safely (open in Excel, another
    consolidation running, marked read-only, a write failing part way: the
    workbook is then as it was) and
    :class:`~pmf_excel.workbooks.files.UnusablePath` for a path that cannot
    be a returns folder or a workbook; every problem with the returns
    themselves is a Data quality row instead.
    """
    report = progress or (lambda message, done: None)
    check_writable(workbook)
    check_not_open(workbook)
    log = findings_log(workbook)
    with consolidation_lock(workbook):
        remove_leftovers(workbook, log)
        history, rules, kept = _existing(workbook, keep_comparators=comparators is None)
        done = consolidate_returns(returns_dir, catalogue, quarter, history, skip=workbook, progress=report,
                                   policy=policy or rules or DEFAULT_POLICY)
        if deliverables_from is not None:
            done = _with_deliverables_of(done, *deliverables_from, catalogue, history, report)
        if made is not None:
            done = done.model_copy(update={"made": made})
        if comparators is not None:
            done = done.model_copy(update={"comparators": comparators.comparators,
                                           "findings": done.findings + unmatched_findings(comparators)})
        else:
            done = done.model_copy(update={"comparators": kept})
        report(f"Writing {workbook.name}", 0.9)
        overflowing = len(done.findings) > findings_on_sheet()
        temporary, log_temporary = temporary_beside(workbook), temporary_beside(log)
        try:
            if overflowing:  # every finding, written whole before the workbook that names it is swapped in
                write_csv(findings_table(done.findings), log_temporary)
            write_consolidation(temporary, catalogue, done, workbook_settings(returns_dir, done.quarter, workbook),
                                findings_log=log.name if overflowing else "")
            backup = replace_keeping_backup(temporary, workbook)
        except (OSError, XlsxFileError) as error:
            log_temporary.unlink(missing_ok=True)
            raise write_failed(workbook, error) from None
        finally:
            temporary.unlink(missing_ok=True)
        if overflowing:
            _put_in_place(log_temporary, log, workbook)
        report("Done", 1.0)
    return summarise(done, workbook, backup)


def _with_deliverables_of(done: Consolidation, returns_dir: Path, quarter: str, catalogue: Catalogue,
                          history: Histories, report: Progress) -> Consolidation:
    """``done`` showing the Corporate Plan actions returned in ``returns_dir`` for ``quarter``, with what
    their Deliverables sheets gave Data quality to say."""
    other = consolidate_returns(returns_dir, catalogue, quarter, history, progress=report, policy=done.policy)
    return done.model_copy(update={"actions": other.actions, "actions_quarter": other.quarter,
                                   "findings": done.findings + [finding for finding in other.findings
                                                                if finding.sheet == DELIVERABLES_SHEET]})


@collector_paused()
def write_consolidation(path: Path, catalogue: Catalogue, done: Consolidation, settings: dict[str, str],
                        findings_log: str = "") -> Path:
    """The corporate workbook holding one consolidation: the file path and the button both write it so."""
    return write_corporate_workbook(path, done.quarter, catalogue, done.measures, done.findings, done.history,
                                    settings=settings, actions=done.actions, plan=done.plan, risks=done.risks,
                                    policy=done.policy, comparators=done.comparators, findings_log=findings_log,
                                    actions_quarter=done.actions_quarter, made=done.made)


def _put_in_place(written: Path, log: Path, workbook: Path) -> None:
    """The full Data quality log, renamed into place once the workbook naming it is in (its earlier one kept);
    renaming takes no space, but a failure is still told, never hidden."""
    try:
        keep_previous(log)
        os.replace(written, log)
    except OSError as error:
        raise ConsolidationBlocked(f"{workbook.name} was consolidated, but the full Data quality log {log.name} "
                                   f"could not be put beside it ({error.strerror or error}). Run Consolidate "
                                   "again to write it.") from None
    finally:
        written.unlink(missing_ok=True)


def findings_log(workbook: Path) -> Path:
    """The CSV beside the workbook holding every finding, written when there are more than its Data quality
    sheet holds (the last consolidation's; earlier ones are kept in ``previous versions/``)."""
    return workbook.with_name(f"{workbook.stem} data quality.csv")


def workbook_settings(returns_dir: Path, quarter: str, workbook: Path | None = None) -> dict[str, str]:
    """What the buttons find on Settings after a consolidation: this quarter's folder, and the next quarter's
    returns beside it. A folder given as a relative path (as the samples are built) is written relative to the
    workbook's own folder, which the button reads it against, so the samples work wherever they are checked out;
    an absolute folder is written as it is."""
    following = next_quarter(quarter)
    return {"Returns folder": _as_setting(returns_dir, workbook), "Next quarter": following,
            "New returns folder": _as_setting(returns_dir.parent / safe_file_name(following), workbook)}


def _as_setting(folder: Path, workbook: Path | None) -> str:
    if folder.is_absolute() or workbook is None:
        return str(folder)
    return Path(os.path.relpath(folder.resolve(), workbook.resolve().parent)).as_posix()


def settings_folder(value: str, workbook: Path) -> Path:
    """A folder named on Settings: absolute, or relative to the workbook's own folder (where the workbook has
    one: xlwings Server and Lite know only its name, and read it from the working folder)."""
    return workbook.parent / value if not Path(value).is_absolute() else Path(value)


def return_files(returns_dir: Path, skip: Path | None = None) -> tuple[list[Path], list[Finding]]:
    """The workbooks in the folder that may be returns (not Excel's ``~$`` owner files, hidden files, kept
    previous versions, or the corporate workbook itself, ``skip``), and a finding for each spreadsheet saved in
    a format that is not read."""
    files, findings = [], []
    for path in sorted(folder_files(returns_dir, "returns folder")):
        if path.name.startswith(("~$", ".")) or path.parent.name == PREVIOUS_FOLDER or \
                (skip is not None and same_file(path, skip)):
            continue
        if path.suffix.lower() in RETURN_SUFFIXES:
            files.append(path)
        elif kind := OTHER_SPREADSHEETS.get(path.suffix.lower()):
            findings.append(Finding(file=path.name, message=f"This is {kind} ({path.suffix}), which is not read. "
                                    "Open it in Excel and save it as an Excel Workbook (.xlsx), then run "
                                    "Consolidate again."))
    return files, findings


#: Spreadsheets a return may have been saved as that are not read, each reported with how to save it as .xlsx.
OTHER_SPREADSHEETS = {".xls": "an Excel 97-2003 workbook", ".xlsb": "an Excel binary workbook",
                      ".ods": "an OpenDocument spreadsheet", ".numbers": "a Numbers spreadsheet"}


def unmatched_findings(imported: ImportedComparators) -> list[Finding]:
    """Every row of a comparator export that gave no comparator, as a Data quality row: reported, not dropped."""
    return [Finding(file=imported.source, sheet="", cell=f"row {row.row}", ref=row.metric[:40], text=row.value,
                    severity="Information" if row.reason.startswith("our own area") else "Warning",
                    message=f"{row.area} {row.period}: {row.reason}.") for row in imported.unmatched]


def _existing(workbook: Path, keep_comparators: bool) -> tuple[Histories, Policy | None, list[Comparator]]:
    """History, the Rules and the comparators already in the workbook. A workbook that cannot be read is never
    written over, or its earlier quarters would be lost; rules or comparators that cannot be read are never
    silently replaced (new comparators replace the old, so the old are then not read)."""
    try:
        history = read_history(workbook)
        rules = read_rules(workbook)
        kept = read_comparators(workbook) if keep_comparators else []
    except PolicyError as error:
        raise ConsolidationBlocked(f"{error} Correct the Rules sheet, then run Consolidate again. Nothing was "
                                   "changed.") from None
    except ComparatorsError as error:
        raise ConsolidationBlocked(f"The {COMPARATORS_TABLE.sheet} sheet of {workbook.name} cannot be read: {error}. "
                                   "Correct it, or import the export again with --comparators, then run "
                                   "Consolidate again. Nothing was changed.") from None
    except SheetTooLarge as error:
        raise ConsolidationBlocked(f"{error} Nothing was changed.") from None
    except Exception as error:  # noqa: BLE001 - any damage to the file means the same: stop before writing
        raise ConsolidationBlocked(
            f"{workbook.name} cannot be read ({type(error).__name__}: {error}), so its History cannot be kept. "
            f"Restore it from '{PREVIOUS_FOLDER}' or move it away, then run Consolidate again. Nothing was "
            "changed.") from None
    return history, rules, kept


def summarise(done: Consolidation, workbook: Path, backup: Path | None) -> ConsolidationSummary:
    measures, findings = done.measures, done.findings
    return ConsolidationSummary(
        workbook=workbook, backup=backup, quarter=done.quarter, actions_quarter=done.actions_quarter or done.quarter,
        files_read=len(done.files), measures=len(measures),
        errors=sum(f.severity == "Error" for f in findings), warnings=sum(f.severity == "Warning" for f in findings),
        counts_by_outcome={outcome: dict(rag_counts(measures, "outcome")[outcome])
                           for outcome in outcome_order(measures)},
        red_by_outcome={outcome: [_named(m) for m in measures if m.outcome == outcome and m.rag == "Red"]
                        for outcome in {m.outcome for m in measures}},
        action_counts_by_outcome={outcome: dict(Counter(a.rag or "Not judged" for a in done.actions
                                                        if a.outcome == outcome))
                                  for outcome in {a.outcome for a in done.actions}},
        red_actions_by_outcome={outcome: [f"{a.ref} {_cut(a.action)}" for a in done.actions
                                          if a.outcome == outcome and a.rag == "Red"]
                                for outcome in {a.outcome for a in done.actions}},
        plan_counts_by_theme={theme: dict(Counter(r.rag or "No update" for r in done.plan.results
                                                  if r.action.theme == theme))
                              for theme in THEMES if any(r.action.theme == theme for r in done.plan.results)},
        plan_exceptions=[f"{r.action.ref} {_cut(r.action.action)} ({r.status or 'no status'})"
                         for r in done.plan.results if not r.on_track],
        plan_changes=done.plan.summary.lines(),
        not_due=[m.ref for m in measures if m.rag == "Not due"],
        risk_counts={rag: sum(r.rag == rag for r in done.risks.results) for rag in RISK_STATES},
        red_risks=[f"{r.risk.ref} {_cut(r.risk.title)} (score {r.score}, target {r.target_score})"
                   for r in done.risks.results if r.rag == "Red"])


def _cut(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _named(measure: MeasureResult) -> str:
    indicator = _cut(measure.indicator)
    figures = "; ".join(f"{line.part + ' ' if line.part else ''}{line.performance_shown} against {line.target}"
                        for line in measure.lines if line.rag == "Red")
    return f"{measure.ref} {indicator} ({figures})"
