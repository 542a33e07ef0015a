"""The basket of measures built from seed 004: every row accounted for, every cleaning decision logged."""

from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from pydantic import ValidationError

from pmf_excel.framework.catalogue import Catalogue, MeasureDefinition
from pmf_excel.samples.catalogue_from_report import build_catalogue, cleaning_log
from pmf_excel.samples.judged_report import MeasureNotes
from pmf_excel.samples.seed_reports import read_indicator_report
from pmf_excel.workbooks.catalogue_sheets import CATALOGUE_SHEET, CatalogueError, load_catalogue
from pmf_excel.samples.sources import DELIVERABLES_REPORT, INDICATOR_REPORT, MEASURE_NOTES

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
REPORT = INDICATOR_REPORT
DELIVERABLES = DELIVERABLES_REPORT


@pytest.fixture(scope="module")
def catalogue():
    return build_catalogue(REPORT, MeasureNotes.load(MEASURE_NOTES), DELIVERABLES)


def test_every_printed_row_is_a_measure_or_an_exclusion_with_its_reason(catalogue):
    printed = read_indicator_report(REPORT)
    kept = {m.printed_ref for m in catalogue.measures}
    indicator_exclusions = [e for e in catalogue.excluded if "placeholder" in e.why]
    assert len(catalogue.measures) + len(indicator_exclusions) == len(printed) == 133
    assert [(e.ref, e.line) for e in indicator_exclusions] == [("010", 204)]
    assert all(row.ref in kept or row.line == 204 for row in printed)


def test_refs_are_plain_latin_and_unique(catalogue):
    refs = [m.ref for m in catalogue.measures]
    assert len(refs) == len(set(refs))
    assert all(ref.isascii() for ref in refs)
    assert {"B3c", "B6c", "B9c", "O3", "O1i", "O1o", "O8l", "O8i"} <= set(refs)


def test_cleaning_decisions_are_logged(catalogue):
    notes = {(n.ref, n.field): n for n in catalogue.cleaning}
    assert notes[("B3c", "ref")].printed == "В3с"
    assert notes[("L1e", "target")].kept == "TBC"
    assert notes[("B12a", "target")].kept == "Strengthening Families <60% Other Partners >40%"
    assert notes[("O8l", "ref")].printed == "O8I"
    assert notes[("O1b", "directorate")].kept == "Assistant Chief Executive"
    assert notes[("L13d", "frequency")].kept == "annual"


def test_definitions_carry_what_the_engine_needs(catalogue):
    measures = {m.ref: m for m in catalogue.measures}
    assert measures["O11a"].base == "£733.967m"
    assert [p.name for p in measures["C14/ NI195a,b,c,d"].parts] == ["litter", "detritus", "graffiti", "fly-posting"]
    assert measures["C7c/L2"].cumulative and not measures["C7b/L3"].cumulative
    assert measures["L17b/ASCOF 4B"].directorate == "Adult Social Care"
    assert set(catalogue.by_directorate()) == {
        "Children and Education", "Adult Social Care", "Public Health", "Borough Economy", "Housing",
        "Regeneration and Growth", "Assistant Chief Executive", "Finance", "Law and Governance"}


def test_an_unreadable_definition_is_refused_naming_the_ref():
    with pytest.raises(ValidationError, match='X1: "sideways" is not a polarity'):
        MeasureDefinition(ref="X1", printed_ref="X1", indicator="x", outcome="o", directorate="Finance",
                          polarity="sideways", target="5%", tolerance="5%")


def test_duplicate_refs_are_refused(catalogue):
    with pytest.raises(ValidationError, match="more than once in the catalogue: B3e"):
        Catalogue(source="x", measures=[catalogue.measures[0], catalogue.measures[0]])


def test_committed_catalogue_and_log_are_what_pmf_catalogue_builds(catalogue):
    from pmf_excel.samples.build import sample_catalogue

    committed = Catalogue.model_validate_json((SAMPLES / "catalogue_2023-24.json").read_text(encoding="utf-8"))
    assert committed == sample_catalogue()
    assert committed.model_copy(update={"improvement_plan": [], "risks": [], "benchmark_map": {},
                                        "evidence": []}) == catalogue
    assert (SAMPLES / "catalogue_cleaning_log.md").read_text(encoding="utf-8") == cleaning_log(catalogue)


WORKBOOK = SAMPLES / "Corporate monitoring 2023-24.xlsx"


def test_the_corporate_workbooks_catalogue_sheet_reads_back_as_the_catalogue(catalogue):
    assert load_catalogue(WORKBOOK).measures == catalogue.measures
    committed = load_catalogue(SAMPLES / "catalogue_2023-24.json")
    from_sheets = load_catalogue(WORKBOOK)
    assert (from_sheets.improvement_plan, from_sheets.risks) == (committed.improvement_plan, committed.risks)
    assert load_catalogue(SAMPLES / "catalogue_2023-24.json").measures == catalogue.measures


def test_every_bad_row_of_a_maintained_catalogue_is_named_at_once(tmp_path):
    book = openpyxl.load_workbook(WORKBOOK)
    sheet = book[CATALOGUE_SHEET]
    sheet["F2"] = "Sideways is better"
    sheet["A5"] = sheet["A4"].value
    sheet["L30"] = "Telephone (T"
    edited = tmp_path / "edited.xlsx"
    book.save(edited)
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(edited)
    problems = caught.value.problems
    assert any(p.startswith("Catalogue › row 2 (B3e):") and "Sideways is better" in p for p in problems)
    assert any("row 30" in p and "Name (alias, alias)" in p for p in problems)
    assert any("more than once in the catalogue" in p for p in problems)
    assert "has 3 problem(s)" in str(caught.value)


def test_returns_can_be_generated_from_the_workbooks_catalogue(tmp_path, capsys):
    from pmf_excel.cli import main

    assert main(["returns", "--catalogue", str(WORKBOOK), "--quarter", "2023/24 Q3", "--out", str(tmp_path)]) == 0
    assert len(list(tmp_path.glob("*2023-24 Q3.xlsx"))) == 9


def test_a_catalogue_workbook_that_cannot_be_read_is_a_catalogue_error(tmp_path):
    broken = tmp_path / "Corporate.xlsx"
    broken.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(CatalogueError, match="cannot be read"):
        load_catalogue(broken)
    with pytest.raises(CatalogueError, match="no sheet named Catalogue"):
        load_catalogue(SAMPLES / "returns" / "2023-24 Q2" / "Finance 2023-24 Q2.xlsx")


def test_every_rated_action_of_003_is_an_action_or_an_exclusion_with_its_reason(catalogue):
    from pmf_excel.samples.seed_reports import read_deliverable_statuses

    rated_lines = {cell.line for cell in read_deliverable_statuses(DELIVERABLES)}  # an independent anchor
    action_lines = {a.printed_line for a in catalogue.actions}
    excluded_lines = {e.line for e in catalogue.excluded if "placeholder" not in e.why}
    assert action_lines | excluded_lines == rated_lines and not action_lines & excluded_lines
    assert len(catalogue.actions) == 227 and len(excluded_lines) == 17
    reasons = Counter(e.why.split(" ")[0] for e in catalogue.excluded if e.line in excluded_lines)
    # 15 actions printed without a BP ref, 1 rating cut loose by the PDF, 1 marked "Duplicate - see ASC17a"
    assert reasons == {"no": 15, "a": 1, "marked": 1}
    duplicate = next(e for e in catalogue.excluded if e.why.startswith("marked"))
    assert (duplicate.ref, duplicate.line) == ("ASC17b", 84)
    assert duplicate.why == "marked 'Duplicate - see ASC17a' in the report"


def test_actions_carry_their_commitment_outcome_and_directorate(catalogue):
    actions = {a.ref: a for a in catalogue.actions}
    ch11 = actions["CH11"]
    assert (ch11.cp_ref, ch11.outcome, ch11.directorate) == (
        "IR1", "The Best Start in Life for Children and Young People", "Children and Education")
    assert ch11.commitment.startswith("We will promote the importance of communication and language")
    assert actions["ACE27"].directorate == "Assistant Chief Executive"  # printed "ACE 27"
    assert actions["CH9"].bp_ref == "CH9"  # printed with a Cyrillic С and Н
    assert "BE12 (C6, line 194)" in actions  # BE12 is printed twice, under C1 and C6
    assert set(Counter(a.directorate for a in catalogue.actions)) == set(catalogue.by_directorate())
