"""A second council onboarded end to end with no code: Kestrel Vale (fictional) from its own tracker, through its
mapping file and its policy file, to returns, a consolidation, and its published table re-judged at 100%.

Kestrel Vale's printed Status and Trend were worked out by hand from its rules in words (kestrel_vale_rules.toml's
header), not by the engine: agreeing with them is the test.
"""

import csv
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from pmf_excel.cli import main
from pmf_excel.rules.policy import load_policy
from pmf_excel.samples.second_council import (FOLDER, MAPPING, MEASURES, QUARTER, RULES, TABLE, TRACKER,
                                              write_second_council)
from pmf_excel.workbooks.directorate_return import FIRST_ROW, FORECAST, MEASURES_SHEET, OFFICER
from pmf_excel.workbooks.history_sheets import read_history
from tests.conftest import workbook_content
from tests.excel_reality import libreoffice_convert

BY_REF = {measure[0]: measure for measure in MEASURES}
#: What the council printed, in the engine's words (its older words Better, Worse and Same included).
PRINTED = {"Yellow": "Amber", "Better": "Getting better", "Worse": "Getting worse", "Same": "No change"}


def run(capsys, *args: object) -> tuple[int, str, str]:
    code = main([str(arg) for arg in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_samples_are_reproducible_and_marked_illustrative(tmp_path):
    built = write_second_council(tmp_path)
    assert (tmp_path / TABLE.name).read_bytes() == TABLE.read_bytes()
    assert workbook_content(tmp_path / TRACKER.name) == workbook_content(TRACKER)
    assert [path.name for path in built] == [TRACKER.name, TABLE.name]
    for path in (RULES, MAPPING, FOLDER / "README.md", TABLE):
        assert "ILLUSTRATIVE" in path.read_text(encoding="utf-8").splitlines()[0] + path.read_text(encoding="utf-8")[
            :200], path.name
    book = openpyxl.load_workbook(TRACKER)
    assert book["Read me"]["A1"].value.startswith("ILLUSTRATIVE") and book["KPI tracker"]["A2"].value.startswith(
        "ILLUSTRATIVE")
    assert "ILLUSTRATIVE" in book.properties.description or "ILLUSTRATIVE" in str(book.properties.title).upper()


def test_its_policy_exercises_every_convention():
    policy = load_policy(RULES)
    classes = {rules.name: rules for rules in policy.classes}
    assert policy.green_within == "5%" and policy.uniform_tolerance == "10%"  # 1, 2: a green band, two bands
    assert classes["Project"].officer_rating == "decides"  # 3: an amber band in words, the officer's to place
    assert classes["Improvement measure"].dot_aware_rag and classes["Improvement measure"].maintained_counts_as_improved
    assert policy.target_profile == "profile figure"  # 5: the quarter's profile in the target cell
    assert policy.shown("Amber") == "Yellow" and policy.shown("Improving") == "Getting better"  # 6: its words
    assert classes["Vital sign"].tolerance == "5%"  # 7: a tolerance for a class
    assert policy.long_term_basis == "trend over last periods" and classes["Annual target"].amber_by_forecast  # 8
    assert {measure[4] for measure in MEASURES} == set(classes)


@pytest.fixture(scope="module")
def onboarded(tmp_path_factory):
    """The tracker imported, the Q2 returns written under the policy and filled as the co-ordinators would (the
    tracker's Q2 figures, forecasts and officers' ratings), and consolidated: all through the pmf command."""
    folder = tmp_path_factory.mktemp("kestrel")
    catalogue, returns, workbook = folder / "catalogue.json", folder / "returns", folder / "Kestrel Vale.xlsx"
    assert main(["catalogue", "import", str(TRACKER), "--map", str(MAPPING), "--out", str(catalogue)]) == 0
    assert main(["returns", "--catalogue", str(catalogue), "--quarter", QUARTER, "--out", str(returns),
                 "--policy", str(RULES)]) == 0
    blank = folder / "blank"
    shutil.copytree(returns, blank)
    for path in sorted(returns.glob("*.xlsx")):
        fill(path)
    assert main(["consolidate", str(returns), "--workbook", str(workbook), "--quarter", QUARTER,
                 "--catalogue", str(catalogue), "--policy", str(RULES)]) == 0
    return folder, catalogue, returns, workbook


def fill(path: Path) -> None:
    """What Kestrel Vale's co-ordinators type: the Q2 figure (a percentage as Excel holds it), a commentary, the
    year-end forecast and the officer's rating where the tracker has them."""
    book = openpyxl.load_workbook(path)
    sheet = book[MEASURES_SHEET]
    column = {cell.value: cell.column for cell in sheet[FIRST_ROW]}
    for row in range(FIRST_ROW + 1, sheet.max_row + 1):
        measure = BY_REF[sheet.cell(row, 1).value]
        figure, unit, forecast, officer = measure[10], measure[8], measure[11], measure[12]
        sheet.cell(row, column["Performance this quarter"]).value = figure / 100 if unit == "%" else figure
        sheet.cell(row, column["Commentary"]).value = "As the tracker reports it."
        sheet.cell(row, column[FORECAST]).value = forecast
        sheet.cell(row, column[OFFICER]).value = officer or None
    book.save(path)


def test_the_tracker_becomes_a_catalogue(onboarded):
    _, catalogue, _, _ = onboarded
    data = json.loads(catalogue.read_text(encoding="utf-8"))
    measures = {m["ref"]: m for m in data["measures"]}
    assert list(measures) == list(BY_REF)
    assert measures["KV-S02"]["polarity"] == "Smaller is better"  # "Low", translated by the mapping
    assert measures["KV-V02"]["measure_class"] == "Vital sign" and measures["KV-P01"]["tolerance"] == "close to target"
    assert measures["KV-A01"]["target"] == "240 homes (60 homes - Q2 profile)"
    assert {m["directorate"] for m in measures.values()} == {"Place", "People", "Resources"}
    figures = {(f["ref"], f["quarter"]): f["figure"] for f in data["earlier_figures"]}
    assert len(figures) == 5 * len(MEASURES)
    assert figures[("KV-S01", "2023/24 Q2")] == pytest.approx(0.44) and figures[("KV-S03", "2024/25 Q1")] == 22.1


def test_the_returns_ask_for_what_its_policy_needs(onboarded):
    folder, _, _, _ = onboarded
    rows = CalamineWorkbook.from_path(str(next((folder / "blank").glob("People*.xlsx")))).get_sheet_by_name(
        MEASURES_SHEET).to_python()
    heading = rows[FIRST_ROW - 1]
    assert heading[-2:] == [FORECAST, OFFICER]
    by_ref = {row[0]: dict(zip(heading, row)) for row in rows[FIRST_ROW:]}
    # last quarter's and last year's figures come from the tracker; no figure typed yet
    assert by_ref["KV-V02"]["Last quarter"] == pytest.approx(0.72) and by_ref["KV-V02"][
        "Same quarter last year"] == pytest.approx(0.74)
    assert by_ref["KV-V02"]["RAG"] == "No data" and by_ref["KV-V02"]["DOT long term"] == "No trend"


@pytest.mark.parametrize("recalculated", [False, True])
def test_the_consolidation_gives_what_the_council_printed(onboarded, tmp_path, lo_profile, recalculated):
    """As written, and as Excel shows it after recalculating its native formulas (LibreOffice here)."""
    _, _, _, workbook = onboarded
    if recalculated:
        [workbook] = libreoffice_convert([workbook], tmp_path, "xlsx", lo_profile)
        formulas = openpyxl.load_workbook(onboarded[3])["Indicators by outcome"]
        written = [cell.value for row in formulas.iter_rows(min_row=4) for cell in row[12:13]]
        assert sum(str(value).startswith("=IF(") for value in written) >= 20  # verdicts are live formulas
    book = CalamineWorkbook.from_path(str(workbook))
    rows = book.get_sheet_by_name("Indicators by outcome").to_python()
    heading = rows[2]
    judged = {row[0]: dict(zip(heading, row)) for row in rows[3:] if row[0] in BY_REF}
    assert set(judged) == set(BY_REF)
    for ref, row in judged.items():
        printed_rag, printed_trend = BY_REF[ref][13], BY_REF[ref][14]
        assert row["RAG"] == printed_rag, (ref, row["Why"])
        assert row["DOT long term"] == PRINTED.get(printed_trend, printed_trend), (ref, row["Why"])
    assert judged["KV-P01"]["Officer's rating"] == "Yellow" and judged["KV-P01"]["Engine's RAG"] == "Red"
    if recalculated:
        return
    assert book.get_sheet_by_name("Data quality").to_python()[3:] == []
    assert "Yellow" in book.get_sheet_by_name("Dashboard").to_python()[4]
    history = read_history(workbook).measures
    imported = [row for row in history if row.quarter == "2023/24 Q2"]
    assert len(imported) == len(MEASURES) and all("tracker" in row.why for row in imported)
    assert {row.policy for row in history if row.quarter == QUARTER} == {"Kestrel Vale performance rules v3"}


def test_the_returns_native_formulas_recalculated_give_the_consolidation(onboarded, tmp_path, lo_profile):
    _, _, returns, workbook = onboarded
    rows = CalamineWorkbook.from_path(str(workbook)).get_sheet_by_name("Indicators by outcome").to_python()
    consolidated = {row[0]: row for row in rows[3:]}
    heading = rows[2]
    checked = 0
    for output in libreoffice_convert(sorted(returns.glob("*.xlsx")), tmp_path, "xlsx", lo_profile):
        sheet = CalamineWorkbook.from_path(str(output)).get_sheet_by_name(MEASURES_SHEET).to_python()
        columns = sheet[FIRST_ROW - 1]
        for cells in sheet[FIRST_ROW:]:
            line = dict(zip(columns, cells))
            mine = dict(zip(heading, consolidated[line["Ref"]]))
            officer = BY_REF[line["Ref"]][12]
            # a project's RAG cell is the engine's suggestion; the officer's rating, where given, is the RAG
            want = mine["Engine's RAG"] if officer else mine["RAG"]
            assert (line["RAG"], line["DOT long term"]) == (want, mine["DOT long term"]), line["Ref"]
            assert line["Tolerance breach"] == {"Red": True, "Yellow": False, "Green": False}[want]
            assert line["Check"] == ("" if officer in ("", want) or (officer != "Green" and want != "Green")
                                     else "Officer's rating differs"), line["Ref"]
            checked += 1
    assert checked == len(MEASURES)


def test_its_published_table_is_rejudged_at_100_percent(capsys, tmp_path):
    code, out, err = run(capsys, "judge", TABLE, "--policy", RULES, "--map", MAPPING, "--out", tmp_path / "j.csv")
    assert (code, err) == (0, "")
    assert "RAG agrees on 23 of 23 (100%), direction of travel on 23 of 23 (100%)" in out
    assert "Under Kestrel Vale performance rules v3" in out
    with (tmp_path / "j.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["Ref"] for row in rows] == list(BY_REF)
    assert {row["RAG agrees"] for row in rows} == {row["DOT agrees"] for row in rows} == {"Yes"}
    p01 = next(row for row in rows if row["Ref"] == "KV-P01")
    assert (p01["Printed RAG"], p01["Engine RAG"]) == ("Yellow", "Red") and "places the missed target" in p01["Why"]


def test_rows_that_differ_say_why_and_unreadable_ones_are_named(capsys, tmp_path):
    rows = list(csv.reader(TABLE.open(encoding="utf-8")))
    heading = rows[1]
    for row in rows[2:]:
        if row[0] == "KV-S02":
            row[heading.index("Status")] = "Green"
        if row[0] == "KV-S03":
            row[heading.index("Trend")] = "Sideways"
    doctored = tmp_path / "table.csv"
    with doctored.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    code, out, _ = run(capsys, "judge", doctored, "--policy", RULES, "--map", MAPPING, "--out", tmp_path / "j.csv")
    assert code == 0
    assert "RAG agrees on 22 of 23 (96%), direction of travel on 22 of 22 (100%)" in out
    assert "why: Printed Green, the rules give Yellow: Amber: 64 is worse than the target 60" in out
    assert "table.csv › row 5, column 'Trend': 'Sideways' is not a direction in the policy's words" in out


def test_every_cell_the_import_cannot_read_is_named_by_row_and_column(capsys, tmp_path):
    tracker = tmp_path / "tracker.xlsx"
    shutil.copy(TRACKER, tracker)
    book = openpyxl.load_workbook(tracker)
    sheet = book["KPI tracker"]
    heading = {cell.value: cell.column for cell in sheet[4]}
    sheet.cell(5, heading["Good is"]).value = "Sideways"  # KV-S01
    sheet.cell(6, heading["Target 2024/25"]).value = "sixty"  # KV-S02
    sheet.cell(7, heading["Q1 24/25"]).value = "22,5"  # KV-S03: only the figure is left out
    sheet.cell(8, heading["KPI ref"]).value = "KV-S03"  # a repeated ref
    sheet.cell(9, heading["Measure"]).value = None  # KV-S05
    book.save(tracker)
    out = tmp_path / "catalogue.json"
    code, printed, err = run(capsys, "catalogue", "import", tracker, "--map", MAPPING, "--out", out)
    assert code == 2 and "19 measure(s)" in printed
    lines = err.splitlines()
    assert any(line.startswith("pmf: tracker.xlsx › KPI tracker › row 5, column 'Good is': 'Sideways': "
                               '"Sideways" is not a polarity') for line in lines), err
    assert "row 6, column 'Target 2024/25': 'sixty'" in err
    assert "row 7, column 'Q1 24/25': '22,5'" in err and "The figure is left out." in err
    assert "row 8, column 'KPI ref': 'KV-S03': The ref appears again (first in row 7)" in err
    assert "row 9, column 'Measure'" in err and "5 cell(s) could not be read" in err
    assert "Traceback" not in err
    refs = [m["ref"] for m in json.loads(out.read_text(encoding="utf-8"))["measures"]]
    assert "KV-S03" in refs and "KV-S01" not in refs and len(refs) == 19


@pytest.mark.parametrize("change, problem", [
    ({"columns": {"ref": "Reference"}}, "no sheet has a heading row with the ref column ('Reference')"),
    ({"columns": {"polarity": "Direction"}}, "no column for polarity (which way is better): the mapping names "
                                            "'Direction'"),
    ({"columns": {"colour": "Status"}}, "columns: 'colour' is not a field"),
    ({"figures": {"Q9 24/25": "2024/25 Q9"}}, "figures: 'Q9 24/25' = '2024/25 Q9': each figures column is for a "
                                              "quarter"),
])
def test_a_mapping_that_does_not_fit_is_named(capsys, tmp_path, change, problem):
    text = MAPPING.read_text(encoding="utf-8")
    for table, settings in change.items():
        for key, value in settings.items():
            text = text.replace(f"[{table}]\n", f'[{table}]\n"{key}" = "{value}"\n').replace(
                f'\n{key} = ["KPI ref", "Ref"]', "").replace(f'\n{key} = "Good is"', "")
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "catalogue", "import", TRACKER, "--map", mapping, "--out", tmp_path / "c.json")
    assert code == 2 and problem in err and "Traceback" not in err


def test_missing_files_are_bad_input(capsys, tmp_path):
    code, _, err = run(capsys, "catalogue", "import", tmp_path / "none.xlsx", "--map", MAPPING)
    assert code == 2 and "none.xlsx does not exist" in err
    code, _, err = run(capsys, "judge", TABLE, "--map", tmp_path / "none.toml")
    assert code == 2 and "none.toml does not exist" in err
    code, _, err = run(capsys, "judge", TABLE, "--policy", tmp_path / "none.toml", "--map", MAPPING)
    assert code == 2 and "no policy of that name" in err


def test_its_rules_round_trip_through_the_workbooks_rules_sheet(onboarded):
    _, _, _, workbook = onboarded
    from pmf_excel.workbooks.rules_sheet import read_rules

    assert read_rules(workbook) == load_policy(RULES)


@pytest.mark.parametrize("mode", ["beside the engine", "decides"])
def test_an_officers_rating_that_differs_is_kept_flagged_and_never_overwritten(onboarded, tmp_path, mode):
    folder, catalogue, returns, _ = onboarded
    copied = tmp_path / "returns"
    shutil.copytree(returns, copied)
    path = next(copied.glob("Resources*.xlsx"))
    book = openpyxl.load_workbook(path)
    sheet = book[MEASURES_SHEET]
    column = {cell.value: cell.column for cell in sheet[FIRST_ROW]}
    row = next(r for r in range(FIRST_ROW + 1, sheet.max_row + 1) if sheet.cell(r, 1).value == "KV-P03")
    sheet.cell(row, column[OFFICER]).value = "Red"  # the engine says Green: 61% against 60%
    book.save(path)
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES.read_text(encoding="utf-8").replace('officer_rating = "decides"',
                                                               f'officer_rating = "{mode}"'), encoding="utf-8")
    workbook = tmp_path / "Kestrel Vale.xlsx"
    assert main(["consolidate", str(copied), "--workbook", str(workbook), "--quarter", QUARTER,
                 "--catalogue", str(catalogue), "--policy", str(rules)]) == 0
    book = CalamineWorkbook.from_path(str(workbook))
    rows = book.get_sheet_by_name("Indicators by outcome").to_python()
    p03 = dict(zip(rows[2], next(r for r in rows if r[0] == "KV-P03")))
    assert (p03["RAG"], p03["Officer's rating"], p03["Engine's RAG"]) == (
        "Red" if mode == "decides" else "Green", "Red", "Green")
    [finding] = [dict(zip(book.get_sheet_by_name("Data quality").to_python()[2], r))
                 for r in book.get_sheet_by_name("Data quality").to_python()[3:]]
    assert (finding["File"], finding["Sheet"], finding["Ref"], finding["Text"], finding["Severity"]) == (
        path.name, MEASURES_SHEET, "KV-P03", "Red", "Warning")
    assert finding["Cell"] == f"{openpyxl.utils.get_column_letter(column[OFFICER])}{row}"
    assert finding["Message"].startswith("The officer rates it Red; the engine suggests Green: Green: 61%")
    exceptions = book.get_sheet_by_name("Exceptions").to_python()
    assert [r[0] for r in exceptions[3:] if r[1] == "KV-P03"] == ["Officer's rating differs from the engine"]
    typed = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(MEASURES_SHEET).to_python()
    assert [r for r in typed if r[0] == "KV-P03"][0][column[OFFICER] - 1] == "Red"  # the return is only read


def test_the_next_quarters_returns_follow_its_rules_and_its_trend(onboarded, tmp_path, lo_profile):
    from pmf_excel import direction_of_travel
    from pmf_excel.rules.models import Trend

    _, _, _, workbook = onboarded
    out = tmp_path / "q3"
    assert main(["rollover", "--to", "2024/25 Q3", "--workbook", str(workbook), "--out", str(out)]) == 0
    place = next(out.glob("Place*.xlsx"))
    book = openpyxl.load_workbook(place)
    sheet = book[MEASURES_SHEET]
    column = {cell.value: cell.column for cell in sheet[FIRST_ROW]}
    assert FORECAST in column and OFFICER in column
    row = next(r for r in range(FIRST_ROW + 1, sheet.max_row + 1) if sheet.cell(r, 1).value == "KV-S01")
    sheet.cell(row, column["Performance this quarter"]).value = 0.47
    book.save(place)
    [recalculated] = libreoffice_convert([place], tmp_path / "recalculated", "xlsx", lo_profile)
    line = dict(zip(*(lambda rows: (rows[FIRST_ROW - 1], next(r for r in rows if r[0] == "KV-S01")))(
        CalamineWorkbook.from_path(str(recalculated)).get_sheet_by_name(MEASURES_SHEET).to_python())))
    policy = load_policy(RULES)
    # History's last four quarters, latest first: the tracker's Q1 and earlier, and Q2 as consolidated
    want = direction_of_travel(0.47, Trend(figures=(0.481, 0.472, 0.46, 0.455)), "Bigger is better", policy)
    assert line["DOT long term"] == policy.shown(want) == "Getting better"  # a fitted slope of +0.51 points
    assert (line["Last quarter"], line["RAG"]) == (pytest.approx(0.481), "Yellow")


def test_its_committee_pack_tables_and_website_read_its_own_outcomes_and_words(onboarded, tmp_path):
    from pmf_excel.workbooks.corporate.report_reader import read_report

    _, _, _, workbook = onboarded
    report = read_report(workbook)
    assert report.outcomes() == ["A greener Kestrel Vale", "A well-run council", "Homes and places",
                                 "Thriving people"]
    counts = report.measure_counts("A greener Kestrel Vale")  # the policy's Yellow read back as Amber
    assert (counts["Green"], counts["Amber"], counts["Red"]) == (2, 3, 1)  # S01 A03; S02 I03 A02; I02
    assert main(["publish", str(workbook), "--quarter", QUARTER, "--out", str(tmp_path / "site")]) == 0
    pages = [page.read_text(encoding="utf-8") for page in (tmp_path / "site").rglob("*.html")]
    assert any("▲ </span>Getting better" in page for page in pages)
