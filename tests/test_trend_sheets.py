"""Trends in the corporate workbook: the eight quarters picked from History, the sparklines over the Trends
sheet, and the Indicator trend sheet's formulas as LibreOffice recalculates them for one ref and another."""

import datetime as dt
import html
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook
from xlsxwriter.utility import xl_rowcol_to_cell

from pmf_excel.framework.history import ACTION_HISTORY, HistoryRow
from pmf_excel.rules.values import read_value
from pmf_excel.workbooks.catalogue_sheets import load_catalogue
from pmf_excel.workbooks.history_sheets import read_history
from pmf_excel.workbooks.styles import HEADER, LOCKED_TEXT, TITLE
from pmf_excel.workbooks.trend_sheets import (FIRST_QUARTER_COL, FIRST_ROW, NAME_ROW, NO_PICK, PICK_ROW, QUARTERS_SHOWN,
                                              TABLE_ROW, TARGET_ROW, TREND_SHEET, TRENDS_SHEET, TrendLine,
                                              add_sparklines, trend_lines, write_trend_chart_sheet, write_trends_sheet)
from tests.excel_reality import libreoffice_convert, pdf_text

#: openpyxl warns that it drops sparklines; it only reads cached values here, or writes a copy to recalculate.
pytestmark = pytest.mark.filterwarnings("ignore:Sparkline Group extension is not supported:UserWarning")

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
QUARTER = "2023/24 Q3"
QUARTERS = ["2021/22 Q4", "2022/23 Q1", "2022/23 Q2", "2022/23 Q3", "2022/23 Q4", "2023/24 Q1", "2023/24 Q2",
            "2023/24 Q3"]
INDICATORS_SHEET = "Indicators"
SPARKLINE_COL = 2


def _row(quarter: str, ref: str, performance: object, why: str = "") -> HistoryRow:
    return HistoryRow(quarter=quarter, ref=ref, directorate="Finance", outcome="One Council One Team",
                      performance=performance, why=why)


HISTORY = [
    _row("2021/22 Q3", "A1", 0.5),  # nine quarters back: one before the eight shown
    _row("2021/22 Q4", "A1", 0.61),
    _row("2022/23 Q1", "A1", 0.62),
    _row("2022/23 Q2", "A1", "NA"),
    _row("2022/23 Q3", "A1", 0.64),
    _row("2022/23 Q4", "A1", 0.66),
    _row("2023/24 Q1", "A1", 5, why=ACTION_HISTORY),  # an action sharing the ref, in the quarter A1 has no row
    _row("2023/24 Q2", "A1", 0.7),
    _row("2023/24 Q3", "A1", 0.72),
    _row("2022/23 Q3", "D1", 12),
    _row("2022/23 Q4", "D1", True),  # a yes/no is no figure
    _row("2023/24 Q1", "D1", dt.timedelta(seconds=95)),
    _row("2023/24 Q2", "D1", dt.timedelta(minutes=2)),
    _row("2023/24 Q3", "D1", dt.timedelta(seconds=87)),
    _row("2024/25 Q1", "D1", dt.timedelta(seconds=60)),  # after the quarter reported
]
LINES = [("A1", "Invoices paid within 30 days", 0.65), ("D1", "Average wait on the phone", 90 / 86400),
         ("C1", "A new indicator without History", None)]
EXPECTED = {
    "A1": [0.61, 0.62, None, 0.64, 0.66, None, 0.7, 0.72],
    "D1": [None, None, None, 12.0, None, 95 / 86400, 120 / 86400, 87 / 86400],
    "C1": [None] * 8,
}


def test_trend_lines_pick_the_eight_quarters_ending_with_the_quarter():
    quarters, lines = trend_lines(HISTORY, QUARTER, LINES)
    assert quarters == QUARTERS and len(quarters) == QUARTERS_SHOWN
    assert "2022/23 Q4" in quarters and "2023/24 Q1" in quarters  # across the financial year's end
    assert [line.ref for line in lines] == ["A1", "D1", "C1"]
    for line, (ref, indicator, target) in zip(lines, LINES, strict=True):
        assert (line.indicator, line.target) == (indicator, target)
        assert line.values == pytest.approx(EXPECTED[ref]), ref


def test_trend_lines_from_a_first_quarter_reach_back_two_financial_years():
    quarters, [line] = trend_lines(HISTORY, "2023/24 Q1", [("A1", "Invoices paid within 30 days", 0.65)])
    assert quarters == ["2021/22 Q2", "2021/22 Q3", "2021/22 Q4", "2022/23 Q1", "2022/23 Q2", "2022/23 Q3",
                        "2022/23 Q4", "2023/24 Q1"]
    assert line.values == [None, 0.5, 0.61, 0.62, None, 0.64, 0.66, None]


def test_trend_lines_from_the_sample_corporate_workbook():
    history = read_history(SAMPLES / "Corporate monitoring 2023-24.xlsx").measures
    catalogue = {m.ref: m for m in load_catalogue(SAMPLES / "catalogue_2023-24.json").measures}
    refs = ("B3e", "O11c", "O8e")
    lines = [(ref, catalogue[ref].indicator, read_value(catalogue[ref].target).number) for ref in refs]
    quarters, trends = trend_lines(history, QUARTER, lines)
    assert quarters == QUARTERS
    by_ref = {line.ref: line for line in trends}
    # The sample History holds 2023/24 Q2 and Q3; these three have a figure in Q2 only.
    assert by_ref["B3e"].values == [None] * 6 + [0.71, None]
    assert by_ref["B3e"].target == pytest.approx(0.86)
    assert by_ref["O11c"].values == [None] * 6 + [0.5349, None]
    assert by_ref["O11c"].target == pytest.approx(0.5616)
    assert by_ref["O8e"].values == pytest.approx([None] * 6 + [87 / 86400, None])  # 1 min 27 secs, as Excel holds it
    assert by_ref["O8e"].target == pytest.approx(30 / 86400)


def build_workbook(path: Path, quarters: list[str], lines: list[TrendLine], selected: str) -> dict[str, int]:
    """A workbook as the corporate workbook wires the trends: an indicators sheet whose rows carry sparklines,
    the Trends sheet they read, and the Indicator trend sheet. Returns the Trends rows."""
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet(INDICATORS_SHEET)
    header, text = workbook.add_format(HEADER), workbook.add_format(LOCKED_TEXT)
    sheet.write(0, 0, f"Indicators {QUARTER}", workbook.add_format(TITLE))
    for col, (heading, width) in enumerate((("Ref", 8), ("Indicator", 50), ("Last 8 quarters", 24))):
        sheet.write_string(FIRST_ROW - 1, col, heading, header)
        sheet.set_column(col, col, width)
    rows = write_trends_sheet(workbook, quarters, lines)
    for row, line in enumerate(lines, start=FIRST_ROW):
        sheet.write_string(row, 0, line.ref, text)
        sheet.write_string(row, 1, line.indicator, text)
        sheet.set_row(row, 30)
    add_sparklines(sheet, SPARKLINE_COL, {row: rows[line.ref] for row, line in enumerate(lines, start=FIRST_ROW)})
    sheet.set_landscape()
    sheet.fit_to_pages(1, 1)
    write_trend_chart_sheet(workbook, quarters, lines, selected)
    workbook.close()
    return rows


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    quarters, lines = trend_lines(HISTORY, QUARTER, LINES)
    path = tmp_path_factory.mktemp("trends") / "trends.xlsx"
    rows = build_workbook(path, quarters, lines, "A1")
    return path, {line.ref: line for line in lines}, rows


def _shown(line: TrendLine | None) -> dict:
    """What the Indicator trend sheet shows for a line (None: a ref not on the Trends sheet)."""
    target = line.target if line else None
    return {"indicator": line.indicator if line else NO_PICK,
            "target": "No target" if target is None else target,
            "quarters": QUARTERS,
            "performance": line.values if line else [None] * QUARTERS_SHOWN,
            "target line": [target] * QUARTERS_SHOWN}


def _read_trend_sheet(path: Path) -> dict:
    """The Indicator trend sheet by calamine; where it reads a cell as "", openpyxl says whether that is the
    ``#N/A`` of a quarter without a figure (calamine reads an error as "")."""
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(TREND_SHEET).to_python()
    errors = openpyxl.load_workbook(path, data_only=True)[TREND_SHEET]
    table = range(TABLE_ROW + 1, TABLE_ROW + 1 + QUARTERS_SHOWN)

    def figure(row: int, col: int) -> float | None:
        if rows[row][col] == "":
            assert errors.cell(row + 1, col + 1).value == "#N/A", (row, col)
            return None
        return rows[row][col]

    return {"indicator": rows[NAME_ROW][1], "target": rows[TARGET_ROW][1],
            "quarters": [rows[row][0] for row in table],
            "performance": [figure(row, 1) for row in table],
            "target line": [figure(row, 2) for row in table]}


def _assert_shows(path: Path, line: TrendLine | None) -> None:
    shown, expected = _read_trend_sheet(path), _shown(line)
    for key, value in expected.items():
        assert shown[key] == pytest.approx(value), (path.name, key)


def test_trends_sheet_holds_each_line_in_its_row(built):
    path, lines, rows = built
    cells = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(TRENDS_SHEET).to_python()
    assert cells[FIRST_ROW - 1][:FIRST_QUARTER_COL + QUARTERS_SHOWN] == ["Ref", "Indicator", "Target", *QUARTERS]
    assert rows == {"A1": FIRST_ROW, "D1": FIRST_ROW + 1, "C1": FIRST_ROW + 2}
    for ref, row in rows.items():
        line = lines[ref]
        assert cells[row][:2] == [ref, line.indicator]
        assert cells[row][2] == ("" if line.target is None else pytest.approx(line.target))
        assert cells[row][FIRST_QUARTER_COL:] == pytest.approx(["" if v is None else v for v in EXPECTED[ref]])


def test_sparklines_read_the_quarters_of_their_trends_row(built):
    path, lines, rows = built
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()  # the Indicators sheet, written first
    groups = re.findall(r"<x14:sparklineGroup [^>]*>.*?</x14:sparklineGroup>", xml)
    assert len(groups) == 1  # one group of them all, made at once (issue 18)
    assert xml.count("<x14:sparkline>") == len(lines)
    sparklines = set(re.findall(r"<xm:f>([^<]+)</xm:f><xm:sqref>([^<]+)</xm:sqref>", xml))
    assert sparklines == {(f"Trends!D{row + 1}:K{row + 1}", f"C{row + 1}") for row in rows.values()}
    assert all('type="column"' in g and 'high="1"' in g and 'low="1"' in g and 'last="1"' in g for g in groups)


def test_indicator_trend_reads_correctly_before_any_recalculation(built):
    path, lines, _ = built
    _assert_shows(path, lines["A1"])


def test_indicator_trend_chart_follows_the_formula_cells(built):
    path, _, _ = built
    with zipfile.ZipFile(path) as archive:
        [chart] = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/charts/chart")]
    first, last = TABLE_ROW + 2, TABLE_ROW + 1 + QUARTERS_SHOWN
    references = re.findall(r"<c:f>([^<]+)</c:f>", chart)
    for reference in (f"'{TREND_SHEET}'!$B${first}:$B${last}", f"'{TREND_SHEET}'!$C${first}:$C${last}",
                      f"'{TREND_SHEET}'!$A${first}:$A${last}", f"'{TREND_SHEET}'!$B${NAME_ROW + 1}"):
        assert reference in references
    assert "<c:lineChart>" in chart
    assert '<c:dispBlanksAs val="span"/>' in chart and '<c16r3:dispNaAsBlank val="1"/>' in chart


def _picked_in_place(path: Path, ref: str, out: Path) -> Path:
    """The workbook with ``ref`` typed into the pick cell and the Indicator trend sheet's cached values removed,
    so that LibreOffice has to calculate them; edited in its XML because openpyxl would drop the chart."""
    pick = xl_rowcol_to_cell(PICK_ROW, 1)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet3.xml":  # the Indicator trend sheet, written third
                text, typed = re.subn(rf'<c r="{pick}"( s="\d+")? t="s"><v>\d+</v></c>',
                                      rf'<c r="{pick}"\1 t="inlineStr"><is><t>{ref}</t></is></c>', data.decode())
                assert typed == 1
                text = re.sub(r'<c ([^>]*?) t="(?:e|str)"><f>', r"<c \1><f>", text)
                data = re.sub(r"</f><v>[^<]*</v>", "</f>", text).encode()
            target.writestr(item, data)
    return out


@pytest.fixture(scope="module")
def recalculated(built, tmp_path_factory, lo_profile):
    """The workbook with each ref picked, recalculated by LibreOffice: saved by openpyxl (which drops the cached
    values, so LibreOffice has to calculate them) and, to keep the chart, picked in place."""
    path, _, _ = built
    folder = tmp_path_factory.mktemp("trends-picked")
    (folder / "picked").mkdir()
    copies = {}
    for picked in ("A1", "D1", "C1", "Z9"):
        book = openpyxl.load_workbook(path)
        book[TREND_SHEET].cell(PICK_ROW + 1, 2).value = picked
        copies[picked] = folder / "picked" / f"{picked}.xlsx"
        book.save(copies[picked])
    copies["D1 in place"] = _picked_in_place(path, "D1", folder / "picked" / "D1 in place.xlsx")
    outputs = libreoffice_convert(list(copies.values()), folder / "recalculated", "xlsx", lo_profile)
    missing = [p.name for p in outputs if not p.exists()]
    assert not missing, f"LibreOffice could not open: {missing}"
    return dict(zip(copies, outputs))


@pytest.mark.parametrize("picked", ["A1", "D1", "C1", "Z9"])
def test_libreoffice_recalculates_the_indicator_trend_for_the_picked_ref(built, recalculated, picked):
    _, lines, _ = built
    _assert_shows(recalculated[picked], lines.get(picked))


def _chart_series(path: Path) -> dict[str, dict[int, float]]:
    """Each numeric series of the workbook's chart: its cells, and the points the application charted there."""
    with zipfile.ZipFile(path) as archive:
        [chart] = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/charts/chart")]
    return {html.unescape(cells): {int(i): float(v) for i, v in re.findall(r'<c:pt idx="(\d+)"><c:v>([^<]+)<', cache)}
            for cells, cache in re.findall(r"<c:f>([^<]+)</c:f><c:numCache>(.*?)</c:numCache>", chart)}


def test_the_chart_follows_the_picked_ref_in_libreoffice(built, recalculated):
    """The chart as LibreOffice saves it after another ref is picked: that ref's quarters, a quarter without
    a figure left out rather than charted as zero, and its target as a flat line."""
    _, lines, _ = built
    path = recalculated["D1 in place"]
    _assert_shows(path, lines["D1"])
    first, last = TABLE_ROW + 2, TABLE_ROW + 1 + QUARTERS_SHOWN
    series = _chart_series(path)
    performance = series[f"'{TREND_SHEET}'!$B${first}:$B${last}"]
    assert performance == pytest.approx({i: v for i, v in enumerate(EXPECTED["D1"]) if v is not None})
    assert series[f"'{TREND_SHEET}'!$C${first}:$C${last}"] == pytest.approx(dict.fromkeys(range(8), 90 / 86400))


def test_libreoffice_opens_saves_and_prints_the_workbook(built, tmp_path, lo_profile):
    path, lines, _ = built
    [saved] = libreoffice_convert([path], tmp_path / "xlsx", "xlsx", lo_profile)
    [pdf] = libreoffice_convert([path], tmp_path / "pdf", "pdf", lo_profile)
    assert saved.exists(), "LibreOffice could not open the workbook"
    with zipfile.ZipFile(saved) as archive:
        names = archive.namelist()
        sheets = "".join(archive.read(n).decode() for n in names if n.startswith("xl/worksheets/sheet"))
    assert any(n.startswith("xl/charts/chart") for n in names), "LibreOffice dropped the chart"
    assert sheets.count("<x14:sparkline>") == len(lines), "LibreOffice dropped the sparklines"
    _assert_shows(saved, lines["A1"])
    assert pdf.exists() and pdf.stat().st_size > 10_000, "LibreOffice could not print the workbook"
    text = " ".join(pdf_text(pdf).split())
    for words in ("Indicator trend", f"Performance over the last {QUARTERS_SHOWN} quarters", "2023/24 Q3",
                  lines["A1"].indicator):
        assert words in text, words
