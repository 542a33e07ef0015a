"""The quarterly cycle over three quarters: History kept, DOT from History, measures by frequency, profiles."""

import zipfile
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from pmf_excel import direction_of_travel
from pmf_excel.framework.catalogue import Catalogue, MeasureDefinition
from pmf_excel.framework.returns import lines_for, typed_cell
from pmf_excel.pipelines.consolidate import consolidate
from pmf_excel.pipelines.rollover import roll_over
from pmf_excel.rules.errors import PMFValueError
from pmf_excel.samples.build import sample_catalogue, sample_plan, sample_register
from pmf_excel.samples.seed_reports import read_indicator_report
from pmf_excel.workbooks.directorate_return import COL, FIRST_ROW, MEASURES_SHEET, write_returns
from pmf_excel.workbooks.history_sheets import read_history
from pmf_excel.workbooks.trend_sheets import FIRST_QUARTER_COL, TRENDS_SHEET
from pmf_excel.samples.sources import INDICATOR_REPORT

Q1, Q2, Q3 = "2023/24 Q1", "2023/24 Q2", "2023/24 Q3"
ANNUAL = ("L13d", "C10f")  # printed under "Annual PIs reported this quarter" in the Q2 report


@pytest.fixture(scope="module")
def catalogue():
    return sample_catalogue()


@pytest.fixture(scope="module")
def cycle(tmp_path_factory, catalogue):
    """Q1 from 004's last-quarter column, Q2 as 004 published it, Q3 rolled over from History; the workbook
    and History after each."""
    folder = tmp_path_factory.mktemp("cycle")
    workbook = folder / "Corporate.xlsx"
    published = {row.ref: row for row in read_indicator_report(INDICATOR_REPORT)}
    as_q1 = {ref: row.model_copy(update={"performance": row.last_quarter, "last_quarter": "", "last_year": "",
                                         "commentary": ""}) for ref, row in published.items()}
    write_returns(catalogue, Q1, folder / "q1", figures=as_q1, filled=True)
    summaries = {Q1: consolidate(folder / "q1", workbook, catalogue, Q1)}
    (folder / "after Q1.xlsx").write_bytes(workbook.read_bytes())
    histories = {Q1: read_history(workbook)}
    write_returns(catalogue, Q2, folder / "q2", figures=published, filled=True,
                  plan={u.ref: u for u in sample_plan().returns[Q2]},
                  risks={u.ref: u for u in sample_register().returns[Q2]})
    summaries[Q2] = consolidate(folder / "q2", workbook, catalogue, Q2)
    (folder / "after Q2.xlsx").write_bytes(workbook.read_bytes())
    histories[Q2] = read_history(workbook)
    roll_over(catalogue, histories[Q2], Q3, folder / "q3")
    summaries[Q3] = consolidate(folder / "q3", workbook, catalogue, Q3)
    histories[Q3] = read_history(workbook)
    return folder, workbook, summaries, histories, published


def test_history_never_loses_an_earlier_quarter(cycle):
    _, _, _, histories, _ = cycle
    for earlier, later in ((Q1, Q2), (Q1, Q3), (Q2, Q3)):
        for kind in ("measures", "plan", "risks"):
            before = [row for row in getattr(histories[earlier], kind) if row.quarter == earlier]
            after = [row for row in getattr(histories[later], kind) if row.quarter == earlier]
            assert before and after == before, (kind, earlier, later)
    assert {row.quarter for row in histories[Q3].measures} == {Q1, Q2, Q3}


def test_dot_from_history_equals_dot_from_the_typed_figures_wherever_both_exist(cycle, catalogue):
    folder, workbook, _, histories, published = cycle
    q1 = {row.ref: row.performance for row in histories[Q1].measures if row.quarter == Q1}
    q2 = {row.ref: row for row in histories[Q2].measures if row.quarter == Q2}
    compared = 0
    for measure in catalogue.measures:
        printed = published[measure.printed_ref]
        for line, typed in zip(lines_for(measure, Q2, last_quarter=printed.last_quarter,
                                         performance=printed.performance),
                               lines_for(measure, Q2, last_quarter=printed.last_quarter)):
            if not line.due or q1.get(line.ref) in (None, ""):
                continue
            try:
                from_typed = direction_of_travel(typed_cell(line.performance, line),
                                                 typed_cell(typed.last_quarter, line), line.polarity)
            except PMFValueError:
                continue
            assert q2[line.ref].dot_short == from_typed, line.ref
            compared += 1
    assert compared > 80
    assert not [f for f in _quality(folder / "after Q2.xlsx", Q2) if f["Message"].startswith("Revision")]


def test_a_typed_last_quarter_that_differs_from_history_is_a_revision_and_history_wins(cycle, catalogue, tmp_path):
    folder, workbook, _, histories, _ = cycle
    copy = tmp_path / "Corporate.xlsx"
    copy.write_bytes(workbook.read_bytes())
    returns = tmp_path / "q2"
    returns.mkdir()
    for path in (folder / "q2").glob("*.xlsx"):
        (returns / path.name).write_bytes(path.read_bytes())
    path = returns / "Children and Education 2023-24 Q2.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book[MEASURES_SHEET]
    row = next(r for r in range(FIRST_ROW + 1, sheet.max_row + 1) if sheet.cell(r, 1).value == "B3e")
    sheet.cell(row, COL["Last quarter"] + 1).value = 0.99  # History holds Q1's 71%
    book.save(path)
    consolidate(returns, copy, catalogue, Q2)
    [revision] = [f for f in _quality(copy, Q2) if f["Message"].startswith("Revision")]
    held = next(r.performance for r in histories[Q1].measures if r.ref == "B3e" and r.quarter == Q1)
    assert (revision["Ref"], revision["Cell"], revision["Severity"]) == (
        "B3e", f"{chr(ord('A') + COL['Last quarter'])}{row}", "Information")
    b3e = next(r for r in read_history(copy).measures if r.ref == "B3e" and r.quarter == Q2)
    assert b3e.dot_short == direction_of_travel(b3e.performance, held, "Bigger is better")


def test_annual_measures_are_not_due_outside_their_quarter_and_not_counted(cycle):
    _, _, summaries, histories, _ = cycle
    rags = {(row.quarter, row.ref): row.rag for row in histories[Q3].measures}
    for ref in ANNUAL:
        assert rags[(Q1, ref)] == rags[(Q3, ref)] == "Not due"
        assert rags[(Q2, ref)] not in ("Not due", "")
    assert rags[(Q2, "O5d")] == "Not due" and rags[(Q1, "O5d")] != "Not due"  # reports in Q1 and Q3
    assert set(summaries[Q1].not_due) >= set(ANNUAL) and "O5d" in summaries[Q2].not_due
    total = {quarter: sum(sum(counts.values()) for counts in summaries[quarter].counts_by_outcome.values())
             for quarter in (Q1, Q2, Q3)}
    # Q1: the two annual measures and C14 (three times a year: Q2-Q4); Q2: O5d; Q3: the two annual measures
    assert total == {Q1: 132 - 3, Q2: 132 - 1, Q3: 132 - 2}


def test_a_figure_for_an_earlier_quarter_says_which(cycle):
    _, workbook, _, histories, _ = cycle
    e10 = {row.quarter: row for row in histories[Q3].measures if row.ref == "E10"}
    assert (e10[Q1].period, e10[Q2].period, e10[Q3].period) == ("2022/23 Q3", "2022/23 Q4", "2023/24 Q1")
    indicators = CalamineWorkbook.from_path(str(workbook)).get_sheet_by_name("Indicators by outcome").to_python()
    header = indicators[2]
    row = next(r for r in indicators if r[0] == "E10")
    assert row[header.index("Figure for")] == "2023/24 Q1"


def test_trends_hold_every_quarter_and_each_indicator_has_a_sparkline(cycle):
    _, workbook, _, histories, _ = cycle
    book = CalamineWorkbook.from_path(str(workbook))
    trends = book.get_sheet_by_name(TRENDS_SHEET).to_python()
    assert trends[2][FIRST_QUARTER_COL:] == ["2021/22 Q4", "2022/23 Q1", "2022/23 Q2", "2022/23 Q3", "2022/23 Q4",
                                             Q1, Q2, Q3]
    b3e = next(r for r in trends if r[0] == "B3e")
    figures = {row.quarter: row.performance for row in histories[Q3].measures if row.ref == "B3e"}
    assert b3e[-3:-1] == [figures[Q1], figures[Q2]] and b3e[-1] == ""  # Q3 not yet typed
    with zipfile.ZipFile(workbook) as archive:
        indicators = archive.read("xl/worksheets/sheet2.xml").decode()
    placed = [r for r in book.get_sheet_by_name("Indicators by outcome").to_python()[3:] if r[0] and r[1]]
    assert indicators.count("<x14:sparkline>") >= len(placed) - 10  # every figure line; summary rows have none


def _quality(workbook: Path, quarter: str) -> list[dict]:
    rows = CalamineWorkbook.from_path(str(workbook)).get_sheet_by_name("Data quality").to_python()
    assert rows[0][0].startswith(f"Data quality {quarter}")
    return [dict(zip(rows[2], row)) for row in rows[3:]]


def test_a_year_end_target_is_judged_against_the_quarters_profile(catalogue, tmp_path):
    e7a = next(m for m in catalogue.measures if m.ref == "E7a")  # businesses supported (c), target 100
    profiled = e7a.model_copy(update={"year_end_target": True, "profile": (0.2, 0.5, 0.8, 1.0)})
    assert [profiled.target_in(q) for q in (Q1, Q2, Q3, "2023/24 Q4")] == ["20", "50", "80", "100"]
    [line] = lines_for(profiled, Q2, performance="58")
    assert line.target == "50" and line.limits[0] == pytest.approx(50)
    only = Catalogue(source="test", measures=[profiled])
    [path] = write_returns(only, Q2, tmp_path / "returns", figures={
        e7a.printed_ref: next(r for r in read_indicator_report(INDICATOR_REPORT) if r.ref == e7a.printed_ref)},
        filled=True)
    sheet = openpyxl.load_workbook(path)[MEASURES_SHEET]
    assert sheet.cell(FIRST_ROW + 1, COL["Target"] + 1).value == "50"
    consolidate(tmp_path / "returns", tmp_path / "Corporate.xlsx", only, Q2)
    [row] = [r for r in read_history(tmp_path / "Corporate.xlsx").measures if r.ref == "E7a"]
    assert row.rag == "Green"  # 58 against the Q2 profile of 50; against the year-end 100 it was Red


@pytest.mark.parametrize(("fields", "message"), [
    ({"frequency": "annual", "reports_in": [2, 4]}, "an annual measure reports in 1 quarter(s), not 2"),
    ({"frequency": "biannual", "reports_in": [5, 1]}, "each quarter 1 to 4, once"),
    ({"year_end_target": True, "profile": (0.5, 0.25, 0.75, 1.0)}, "a profile rises from Q1"),
    ({"profile": (0.25, 0.5, 0.75, 0.9)}, "to the whole target (100%) at Q4"),
])
def test_a_schedule_or_profile_that_cannot_be_right_is_refused_naming_the_measure(catalogue, fields, message):
    measure = catalogue.measures[0].model_dump()
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")) as error:
        MeasureDefinition(**{**measure, **fields})
    assert measure["ref"] in str(error.value)
