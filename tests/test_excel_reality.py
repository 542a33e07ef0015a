"""Every generated workbook read as Excel reads it: recalculated when it opens, on a machine with no add-in.

The corporate workbooks (consolidated or a template, ``.xlsx`` or ``.xlsm``,
and the previous version a consolidation keeps), the directorate returns
(published, blank, rolled over, under every built-in policy) and the
functions' examples are opened by LibreOffice made to recalculate on load
(:mod:`tests.excel_reality`), then read back: no cell shows an error, every
formula gives the value written with it, and every verdict is the engine's.
An independent OOXML validator reads every file too.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
from openxml_audit import OpenXmlValidator
from xlsxwriter.utility import xl_rowcol_to_cell

from pmf_excel.framework.history import ACTION_HISTORY, Histories
from pmf_excel.framework.returns import PART_SEPARATOR
from pmf_excel.pipelines.consolidate.run import consolidate_returns
from pmf_excel.rules.parts import DOT_SEVERITY, RAG_SEVERITY
from pmf_excel.rules.polarity import read_polarity
from pmf_excel.rules.policy import DEFAULT_POLICY
from pmf_excel.rules.verdicts import breach_of
from pmf_excel.workbooks.catalogue_sheets import load_catalogue
from pmf_excel.workbooks.corporate.indicators import COL as REPORT
from pmf_excel.workbooks.directorate_return import COL as RETURN
from pmf_excel.workbooks.directorate_return import FIRST_ROW, MEASURES_SHEET
from pmf_excel.workbooks.history_sheets import read_history
from pmf_excel.workbooks.live_verdicts import CHECKED_LATER
from pmf_excel.workbooks.rules_sheet import read_rules
from pmf_excel.workbooks.trend_sheets import TREND_SHEET
from tests.excel_reality import ReadBack, read_back, same_value, sheets

ROOT = Path(__file__).resolve().parent.parent
INDICATORS = "Indicators by outcome"
#: What the validator reports of files Excel itself writes so, each with the reason it is not a fault.
VALIDATOR_FALSE_POSITIVES = [
    (re.compile(r"/xl/charts/chart\d+\.xml"), re.compile(r"/dataDisplayOptions16\[1\]/dispNaAsBlank\[1\]$"),
     "The 'val' attribute is not declared.",
     "Excel 2016+ writes <c16r3:dispNaAsBlank val=\"1\"/> (show #N/A as an empty cell, so the Indicator trend "
     "line spans a quarter with no figure); MS-ODRAWXML's c16r3 schema declares val unqualified, the "
     "validator's schema data as c16r3:val."),
]


@pytest.fixture(scope="module")
def read(generated_workbooks, opened_as_excel) -> dict[Path, tuple[ReadBack, ReadBack]]:
    """Each generated workbook as written and as recalculated."""
    assert not [path.name for path in generated_workbooks.files if path not in opened_as_excel], \
        "LibreOffice could not open these"
    return {original: (read_back(original), read_back(opened, formulas=False))
            for original, opened in opened_as_excel.items()}


def test_every_workbook_opens_with_no_error_cell(generated_workbooks, read):
    """No #NAME?, #VALUE!, #REF!, #DIV/0!, #NUM! or Err: anywhere. Two kinds of #N/A and #NAME? are by design:
    the Indicator trend's chart table gives a chart a gap with #N/A (in white), and the functions' examples call
    =PMF_ functions, which need the add-in."""
    found, designed = [], defaultdict(int)
    for original, (written, recalculated) in read.items():
        for error in recalculated.error_cells(written):
            if original in generated_workbooks.examples and error.value == "#NAME?" \
                    and error.formula.startswith("=PMF_"):
                designed["the examples' functions"] += 1
            elif error.value == "#N/A" and error.sheet == TREND_SHEET and error.formula.endswith(",NA())"):
                designed["chart gaps"] += 1
            else:
                found.append(f"{original.name}: {error}")
    assert not found
    assert designed["the examples' functions"] > 50  # the check sees error values: the examples show them


def test_every_formula_recalculates_to_the_value_written_with_it(generated_workbooks, read):
    """Each formula is written with the engine's answer cached; recalculated, it gives that answer."""
    differ, checked = [], 0
    for original, (written, recalculated) in read.items():
        if original in generated_workbooks.examples:
            continue  # its =PMF_ cells need the add-in (see above)
        for where, formula in written.formulas.items():
            checked += 1
            if not same_value(written.values.get(where), recalculated.values.get(where)):
                differ.append(f"{original.name} {where}: {formula[:60]} wrote {written.values.get(where)!r}, "
                              f"recalculated {recalculated.values.get(where)!r}")
    assert not differ[:20], f"{len(differ)} formulas differ"
    assert checked > 10_000


def test_no_generated_workbook_but_the_examples_calls_a_pmf_function(generated_workbooks, read):
    calls = [f"{path.name} {where}" for path, (written, _) in read.items() if path not in generated_workbooks.examples
             for where, formula in written.formulas.items() if "PMF_" in formula.upper()]
    assert not calls


def _breach(rag: str) -> bool | str:
    """The breach a RAG gives, as a cell shows it (History keeps a breach as Yes or blank)."""
    return breach_of(rag) if rag in ("Green", "Amber", "Red") else ""


def _worst(states: list[str], severity: dict[str, int]) -> str:
    known = [state for state in states if state]
    return max(known, key=severity.__getitem__) if known else ""


def test_the_reports_verdicts_are_the_consolidations(generated_workbooks, opened_as_excel):
    """After recalculation, every line's RAG, directions and breach on Indicators by outcome are what the
    consolidation judged (History keeps it); a multi-part measure's row is the worst of its parts."""
    for original in generated_workbooks.reports:
        quarter = next((row[1] for row in sheets(original)["Settings"] if row and row[0] == "Quarter"), "")
        if not quarter:
            continue  # the template: nothing consolidated yet
        policy = read_rules(original) or DEFAULT_POLICY
        judged = {row.ref: (policy.shown(row.rag), policy.shown(row.dot_short), policy.shown(row.dot_long),
                            _breach(row.rag))  # every state in the policy's words
                  for row in read_history(original).measures if row.quarter == quarter and row.why != ACTION_HISTORY}
        for ref in {ref.split(PART_SEPARATOR)[0] for ref in judged if PART_SEPARATOR in ref}:
            parts = [verdicts for line, verdicts in judged.items() if line.startswith(ref + PART_SEPARATOR)]
            rag = _worst([p[0] for p in parts], {policy.shown(k): v for k, v in RAG_SEVERITY.items()}) \
                if all(p[0] for p in parts) else ""
            dots = {policy.shown(k): v for k, v in DOT_SEVERITY.items()}
            judged[ref] = (rag, *(_worst([p[term] for p in parts], dots) for term in (1, 2)),
                           _breach(policy.read_state(rag) or ""))
        shown = {row[REPORT["Ref"]]: tuple(row[REPORT[name]] for name in ("RAG", "DOT short term", "DOT long term",
                                                                            "Breach"))
                 for row in sheets(opened_as_excel[original])[INDICATORS][3:] if row[REPORT["Ref"]] in judged}
        wrong = {ref: (shown.get(ref), verdicts) for ref, verdicts in judged.items() if shown.get(ref) != verdicts}
        assert not wrong, original.name
        assert len(shown) >= 140, original.name


def test_the_returns_verdicts_are_the_engines(generated_workbooks, opened_as_excel):
    """After recalculation, every line of every return shows what Consolidate will judge it, or Checked later
    where the figure is typed as text, which only Consolidate reads."""
    catalogue = load_catalogue(ROOT / "samples" / "catalogue_2023-24.json")
    checked = 0
    for folder, (quarter, policy) in generated_workbooks.returns.items():
        done = consolidate_returns(folder, catalogue, quarter, Histories(), policy=policy)
        judged = {line.source: line for measure in done.measures for line in measure.lines if line.source}
        for path in sorted(folder.glob("*.xlsx")):
            rows = sheets(opened_as_excel[path])[MEASURES_SHEET]
            for index, row in enumerate(rows[FIRST_ROW:], start=FIRST_ROW):
                cell = xl_rowcol_to_cell(index, RETURN["Performance this quarter"])
                line = judged.get(f"{path.name} › {MEASURES_SHEET} › {cell}")
                if line is None:
                    assert row[RETURN["RAG"]] == "Not due" or not row[RETURN["Ref"]], (path.name, cell)
                    continue
                expected = [policy.shown(line.rag or ""), policy.shown(line.dot_short or ""),
                            policy.shown(line.dot_long or "")]
                performance = row[RETURN["Performance this quarter"]]
                if isinstance(performance, str) and performance.strip():
                    directed = read_polarity(line.polarity).sign != 0
                    expected = [policy.shown("No target") if line.rag == "No target" else CHECKED_LATER,
                                *[CHECKED_LATER if directed else policy.shown("Not comparable")] * 2]
                shown = [row[RETURN[name]] for name in ("RAG", "DOT short term", "DOT long term", "Tolerance breach")]
                assert shown == [*expected, _breach(policy.read_state(expected[0]) or "")], (path.name, line.ref,
                                                                                           performance)
                checked += 1
    assert checked > 700


def test_the_chart_gaps_are_hidden(generated_workbooks):
    """The Indicator trend's #N/A cells (a chart's gaps) are written white, by an errors rule."""
    import openpyxl

    for path in generated_workbooks.reports:
        rules = openpyxl.load_workbook(path)[TREND_SHEET].conditional_formatting
        errors = [rule for ranges in rules for rule in ranges.rules if rule.type == "containsErrors"]
        assert errors and errors[0].dxf.font.color.rgb.endswith("FFFFFF"), path.name


@pytest.fixture(scope="module")
def validator():
    return OpenXmlValidator()


def test_an_independent_validator_finds_nothing_but_known_false_positives(generated_workbooks, validator):
    findings = []
    for path in generated_workbooks.files:
        for error in validator.validate(path).errors:
            if not any(part.fullmatch(error.part_uri or "") and where.search(error.path or "")
                       and error.description == description
                       for part, where, description, _ in VALIDATOR_FALSE_POSITIVES):
                findings.append(f"{path.name} {error.part_uri} {error.path}: {error.description}")
    assert not findings
