"""Every generated workbook reads and prints like a council report: figures in their units, every visible sheet set
up to print, no text cut off; the same figure looks the same in the return and in the report."""

from pathlib import Path

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from pmf_excel.framework.returns import PART_SEPARATOR
from pmf_excel.pipelines.pack import lay_out, read_report
from pmf_excel.rules.models import Kind
from pmf_excel.samples.build import sample_catalogue
from pmf_excel.workbooks.corporate.indicators import COL as REPORT_COL
from pmf_excel.workbooks.directorate_return import COL as RETURN_COL
from pmf_excel.workbooks.directorate_return import FIRST_ROW, MEASURES_SHEET
from pmf_excel.workbooks.page_layout import REFERENCE_NOTE, fitted_height, fitted_width, wrapped_lines
from pmf_excel.workbooks.styles import format_for
from tests.conftest import ROOT, SAMPLE_WORKBOOK
from tests.presentation import clipped, figures_in_general, page_set_up, problems, shown, visible_sheets

SAMPLE_RETURNS = ROOT / "samples" / "returns" / "2023-24 Q2"


def test_every_generated_workbook_has_its_figures_in_their_units_prints_and_cuts_nothing_off(generated_workbooks,
                                                                                          tmp_path):
    """The samples, the templates, the kept previous versions, every built-in policy's returns and reports, next
    quarter's returns, and the committee pack's print-ready workbook (all quarters it shows, and one)."""
    pack = [lay_out(read_report(SAMPLE_WORKBOOK), tmp_path / "pack.xlsx"),
            lay_out(read_report(SAMPLE_WORKBOOK).of_quarter("2023/24 Q3"), tmp_path / "pack Q3.xlsx")]
    found = {f"{path.parent.name}/{path.name}": [str(problem) for problem in problems(path)]
             for path in [*generated_workbooks.files, *pack]}
    assert len(found) > 50
    assert {name: listed[:5] for name, listed in found.items() if listed} == {}


def _case(path: Path) -> Path:
    """A workbook made the way the generated ones were before they were fixed: each case the issue lists."""
    book = xlsxwriter.Workbook(str(path))
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    bold_wrap = book.add_format({"text_wrap": True, "bold": True})
    register = book.add_worksheet("Strategic risks")  # A29: a note wrapped in a narrow column, one line high
    register.set_column(0, 0, 10)
    register.write(28, 0, "No changes since the last review.", wrap)
    changes = book.add_worksheet("Improvement Plan changes")  # I5: a heading wrapped onto 3 lines of a 30pt row
    changes.set_column(8, 8, 11)
    changes.write(4, 8, "More than three months", bold_wrap)
    changes.set_row(4, 30)
    trends = book.add_worksheet("Trends")  # C14's parts: a ref running into the indicator beside it
    trends.set_column(0, 0, 10)
    trends.write(13, 0, "C14/ NI195a,b,c,d › litter")
    trends.write(13, 1, "Improved street and environmental cleanliness")
    measures = book.add_worksheet("Measures")  # A19: a part's ref wrapped onto 3 lines of a 30pt row
    measures.set_column(0, 0, 12)
    measures.write(18, 0, "B12a › Strengthening Families", wrap)
    measures.set_row(18, 30)
    examples = book.add_worksheet("Examples")  # the examples' heading =PMF_BREACH, cut at =PMF_BREA
    examples.set_column(11, 11, 9)
    examples.write_string(3, 11, "=PMF_BREACH", book.add_format({"bold": True}))
    examples.write_string(3, 12, "=PMF_VALUE", book.add_format({"bold": True}))
    report = book.add_worksheet("Indicators by outcome")  # B3e's 71% as 0.71 and B8c's -£207k as -207000
    report.set_column(6, 6, 14)
    report.write_number(4, 6, 0.71)
    report.write_number(5, 6, -207000.5)
    book.close()
    return path


def test_the_checks_catch_every_case_the_issue_lists(tmp_path):
    path = _case(tmp_path / "cases.xlsx")
    sheets = {sheet.title: sheet for sheet in visible_sheets(path)}
    cut = {f"{problem.sheet}!{problem.cell}" for sheet in sheets.values() for problem in clipped(sheet)}
    assert cut == {"Strategic risks!A29", "Improvement Plan changes!I5", "Trends!A14", "Measures!A19",
                   "Examples!L4"}
    assert [problem.cell for problem in figures_in_general(sheets["Indicators by outcome"])] == ["G5", "G6"]
    unset = [problem.what for problem in page_set_up(sheets["Trends"])]
    assert unset == ["no A4 paper", "no an orientation", "no fit to one page wide",
                     'no "Page &P of &N" in the footer', "no the sheet's name in the header or footer"]


def test_a_figure_is_shown_as_its_format_shows_it():
    assert shown(0.71, format_for(Kind.PERCENTAGE, [0.71])) == "71.0%"
    assert shown(0.5349, format_for(Kind.PERCENTAGE, [0.5349])) == "53.49%"
    assert shown(-207000, format_for(Kind.MONEY, [-207000])) == "-£207k"
    assert shown(38851914, format_for(Kind.MONEY, [38851914])) == "£38.852m"
    assert shown(163278, format_for(Kind.COUNT, [163278])) == "163,278"
    assert shown(87 / 86400, format_for(Kind.DURATION)) == "1:27"
    assert shown(5.75, format_for(Kind.DAYS, [5.75])) == "5.75days"  # the literal's space is in its quotes


@pytest.mark.parametrize("kind, figures, expected", [
    (Kind.PERCENTAGE, [0.71, 0.86], "0.0%"),  # one place at least: a typed 71.5% is not shown as 72%
    (Kind.PERCENTAGE, [0.5349], "0.00%"),  # as many as the figures need
    (Kind.PERCENTAGE, [0.018000000000000002], "0.0%"),  # a float's noise is no place
    (Kind.MONEY, [-207000], '£#,##0,"k";-£#,##0,"k"'),  # £207k, as the council prints it
    (Kind.MONEY, [38851914, 34624159], '£#,##0.000,,"m";-£#,##0.000,,"m"'),
    (Kind.MONEY, [500], "£#,##0;-£#,##0"),
    (Kind.COUNT, [163278], "#,##0"),
    (Kind.COUNT, [9.3, 12.25], "#,##0.00"),
    (Kind.DURATION, [87 / 86400], "[m]:ss"),
    (Kind.DAYS, [5.75], '0.00 "days"'),
    (Kind.RATING, [4.58], '0.00"/5"'),
    (Kind.CATEGORY, [2], '"Category "0'),
    (Kind.MISSING, [], "General"),
])
def test_a_measures_unit_is_its_figures_number_format(kind, figures, expected):
    assert format_for(kind, figures, "/5" if kind is Kind.RATING else "") == expected


def test_rows_are_as_tall_as_their_wrapped_text_and_columns_as_wide_as_their_longest_line():
    assert wrapped_lines("", 10) == 1
    assert wrapped_lines("More than three months", 11, bold=True) == 3
    assert wrapped_lines("first\nsecond", 40) == 2
    assert wrapped_lines("=PMF_EXPLAIN(F5,D5,E5,C5)", 5) > 1  # a word wider than its column runs on
    assert fitted_height([("More than three months", 11)], bold=True) >= 3 * 15
    assert fitted_height([("word " * 2000, 10)]) == 409  # Excel's tallest row
    assert fitted_width(["B12a › Strengthening Families"], maximum=60) > 12
    assert fitted_width(["x" * 500], maximum=44) == 44


def _figures(path: Path, sheet: str, ref_col: int, figure_col: int, first: int) -> dict[str, tuple[object, str]]:
    """Each ref's figure and its number format, as openpyxl reads them."""
    [found] = [s for s in visible_sheets(path) if s.title == sheet]
    return {str(row[ref_col].value): (row[figure_col].value, row[figure_col].number_format)
            for row in found.iter_rows(min_row=first + 1) if row[ref_col].value and row[figure_col].value is not None}


def test_a_figure_looks_the_same_in_the_return_it_was_typed_in_and_in_the_report():
    report = _figures(SAMPLE_WORKBOOK, "Indicators by outcome", REPORT_COL["Ref"], REPORT_COL["Performance"], 3)
    compared = 0
    for path in sorted(SAMPLE_RETURNS.glob("*.xlsx")):
        returned = _figures(path, MEASURES_SHEET, RETURN_COL["Ref"], RETURN_COL["Performance this quarter"],
                            FIRST_ROW)
        for ref, (figure, number_format) in returned.items():
            if isinstance(figure, (int, float)):
                assert shown(*report[ref]) == shown(figure, number_format), ref
                compared += 1
    assert compared > 80


def test_the_reports_figures_are_in_their_units_the_councils_as_printed():
    """The issue's cases: B3e is 71% (not 0.71), B8c -£207k (not -207000); E10 and E2, whose targets give no unit,
    in the unit the catalogue keeps for them; the same on Exceptions, Trends and History."""
    report = _figures(SAMPLE_WORKBOOK, "Indicators by outcome", REPORT_COL["Ref"], REPORT_COL["Performance"], 3)
    assert {ref: shown(*report[ref]) for ref in ("B3e", "B8c", "E10", "E2", "B6a", "O8e")} == {
        "B3e": "71.0%", "B8c": "-£207k", "E10": "64.7%", "E2": "£38.852m", "B6a": "54.4", "O8e": "1:27"}
    exceptions = _figures(SAMPLE_WORKBOOK, "Exceptions", 1, 4, 3)
    assert shown(*exceptions["B3e"]) == "71.0%"
    trends = _figures(SAMPLE_WORKBOOK, "Trends", 0, 10, 3)  # the last of the eight quarters: 2023/24 Q2
    assert shown(*trends["E2"]) == "£38.852m" and shown(*trends["B3e"]) == "71.0%"
    history = [row for sheet in visible_sheets(SAMPLE_WORKBOOK) if sheet.title == "History"
               for row in sheet.iter_rows(min_row=2) if row[1].value == "E10" and row[0].value == "2023/24 Q2"]
    assert [shown(row[4].value, row[4].number_format) for row in history] == ["64.7%"]


def test_the_catalogue_keeps_the_unit_of_a_measure_whose_target_gives_none():
    catalogue = sample_catalogue()
    units = {measure.ref: measure.unit for measure in catalogue.measures}
    assert (units["E10"], units["E2"], units["O8c"], units["B3e"]) == ("%", "£", "/5", "")  # B3e's target: 86%
    note = next(note for note in catalogue.cleaning if note.ref == "E10" and note.field == "unit")
    assert "64.7%" in note.why
    with pytest.raises(ValueError, match="the unit 'percent' is not one of"):
        catalogue.measures[0].model_validate(catalogue.measures[0].model_dump() | {"unit": "percent"})


def test_reference_sheets_print_their_headings_only_and_say_so():
    """History, the catalogue sheets, Trends and the other tables kept for Excel's filters would print hundreds of
    pages with the workbook: their print area is their heading row, and their page header says why."""
    for sheet in visible_sheets(SAMPLE_WORKBOOK):
        if sheet.title in ("History", "Catalogue", "Catalogue actions", "Trends", "Comparators", "Rules"):
            assert sheet.print_area and len({cell[1:] for area in sheet.print_area for cell in
                                             area.replace("$", "").split("!")[-1].split(":")}) <= 2, sheet.title
            assert REFERENCE_NOTE in (sheet.oddHeader.center.text or ""), sheet.title


def test_hidden_columns_never_print():
    """The limits the verdicts' formulas read are hidden and outside every print area."""
    for path in [SAMPLE_WORKBOOK, *sorted(SAMPLE_RETURNS.glob("*.xlsx"))]:
        for sheet in visible_sheets(path):
            hidden = {letter for letter, dimension in sheet.column_dimensions.items() if dimension.hidden}
            if not hidden:
                continue
            assert sheet.print_area, (path.name, sheet.title)
            last = sheet.print_area[0].replace("$", "").split(":")[-1].rstrip("0123456789")
            assert all(len(letter) > len(last) or letter > last for letter in hidden), (path.name, sheet.title)


def test_a_part_of_a_multi_part_measure_shows_its_whole_ref_on_every_sheet():
    rows = CalamineWorkbook.from_path(str(SAMPLE_WORKBOOK)).get_sheet_by_name("Trends").to_python()
    assert f"C14/ NI195a,b,c,d{PART_SEPARATOR}litter" in [row[0] for row in rows]


def test_the_printed_corporate_workbook_gives_the_report_in_under_30_pages(lo_profile, tmp_path):
    """Printed whole by LibreOffice, recalculating as Excel does: its report sheets in under 30 A4 pages (167 pages
    before the reference sheets printed their headings only and rows were fitted), each reference sheet one page."""
    from tests.excel_reality import open_as_excel, pdf_pages

    pdf = open_as_excel([SAMPLE_WORKBOOK], tmp_path, lo_profile, to="pdf")[SAMPLE_WORKBOOK]
    pages: dict[str, int] = {}
    for page in pdf_pages(pdf):
        footer = [line for line in page.splitlines() if line.strip()][-1]
        sheet = footer.strip().split("  ")[0]
        pages[sheet] = pages.get(sheet, 0) + 1
    reference = {sheet.title for sheet in visible_sheets(SAMPLE_WORKBOOK)
                 if REFERENCE_NOTE in (sheet.oddHeader.center.text or "")}
    assert reference >= {"History", "Catalogue", "Trends"}
    assert set(pages) == {sheet.title for sheet in visible_sheets(SAMPLE_WORKBOOK)}
    assert all(pages[sheet] == 1 for sheet in reference)
    assert sum(count for sheet, count in pages.items() if sheet not in reference) < 30
