"""The committed samples are exactly what `pmf samples` builds from the council's published reports."""

from pathlib import Path

import pytest

from pmf_excel.samples.build import Q2, Q3, WORKBOOK, build_samples
from tests.conftest import workbook_content

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
#: The dashboard says when it was consolidated, and Settings where the returns are (paths of the machine that built it).
CONSOLIDATED_AT = frozenset({("Dashboard", "A2"), ("Settings", "B3"), ("Settings", "B5")})


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("samples")
    summaries = build_samples(out, progress=lambda message, done: None)
    return out, summaries


def test_catalogue_and_log_are_as_committed(built):
    out, _ = built
    for name in ("catalogue_2023-24.json", "catalogue_cleaning_log.md"):
        assert (out / name).read_text(encoding="utf-8") == (SAMPLES / name).read_text(encoding="utf-8"), name


@pytest.mark.parametrize("quarter", ["2023-24 Q2", "2023-24 Q3"])
def test_returns_are_as_committed(built, quarter):
    out, _ = built
    names = sorted(p.name for p in (out / "returns" / quarter).glob("*.xlsx"))
    assert names == sorted(p.name for p in (SAMPLES / "returns" / quarter).glob("*.xlsx"))
    assert len(names) == 9
    for name in names:
        assert workbook_content(SAMPLES / "returns" / quarter / name) == \
            workbook_content(out / "returns" / quarter / name), name


def test_corporate_workbook_is_as_committed(built):
    out, _ = built
    assert workbook_content(SAMPLES / WORKBOOK, CONSOLIDATED_AT) == workbook_content(out / WORKBOOK, CONSOLIDATED_AT)


def test_each_quarter_holds_what_the_council_reported_in_it(built):
    _, summaries = built
    assert summaries[Q2].counts_by_outcome["The Best Start in Life for Children and Young People"] == {
        "Green": 10, "Amber": 8, "Red": 4}
    assert set(summaries[Q2].action_counts_by_outcome["One Council One Team"]) == {"No update"}  # Q2: not reported
    assert "No data" in summaries[Q3].counts_by_outcome["One Council One Team"]  # Q3 figures: not published
    assert summaries[Q3].red_actions_by_outcome["The Best Start in Life for Children and Young People"] == [
        "PH9 School Nursing"]


#: Actions by RAG per strategic outcome in the Q3 deliverables update (003), rated actions of the catalogue only.
#: Best Start counted by hand from the seed's lines 4-65: Green on lines 4-7, 9, 11, 12, 16-19 and 65; Amber on
#: 8, 10, 20, 21 and 61; Red on 15 (School Nursing); No update on 64 (lines 37, 62 and 63 are excluded).
Q3_ACTIONS = {
    "The Best Start in Life for Children and Young People": {"Green": 12, "Amber": 5, "Red": 1, "No update": 1},
    "People Live Well and Age Well": {"Green": 38, "Amber": 9, "Red": 2, "Complete": 23, "No update": 6},
    "Strong Resilient Communities": {"Green": 22, "Amber": 4, "Complete": 8, "No update": 1},
    "Quality Homes in Thriving Neighbourhoods": {"Green": 15, "Amber": 6, "Complete": 1, "No update": 1},
    "A Connected and Accessible Sandwell": {"Amber": 1, "Complete": 5},
    "A Strong and Inclusive Economy": {"Green": 13, "Amber": 1, "No update": 2},
    "One Council One Team": {"Green": 26, "Amber": 13, "Red": 1, "Complete": 8, "No update": 2},
}


def test_deliverable_counts_per_outcome_equal_the_counts_from_003(built):
    _, summaries = built
    assert summaries[Q3].action_counts_by_outcome == Q3_ACTIONS
    assert sum(sum(counts.values()) for counts in Q3_ACTIONS.values()) == 227


def test_the_workbook_shows_q2s_indicators_beside_q3s_deliverables(built):
    """A newcomer opens figures, not a quarter of No data: the council published Q2's indicators and Q3's action
    statuses, and the workbook shows each in its own quarter; History holds both quarters."""
    from python_calamine import CalamineWorkbook

    from pmf_excel.framework.outcomes import OUTCOMES
    from pmf_excel.samples.build import SHOWN
    from pmf_excel.workbooks.corporate.report_reader import read_report

    out, summaries = built
    shown = summaries[SHOWN]
    assert (shown.quarter, shown.actions_quarter) == (Q2, Q3)
    assert shown.narrative() == summaries[Q2].narrative()
    assert shown.action_narrative() == summaries[Q3].action_narrative()
    assert shown.plan_narrative() == summaries[Q2].plan_narrative()
    report = read_report(out / WORKBOOK)
    assert (report.quarter, report.actions_quarter) == (Q2, Q3)
    book = CalamineWorkbook.from_path(str(out / WORKBOOK))
    dashboard = book.get_sheet_by_name("Dashboard").to_python()
    assert dashboard[0][0] == f"Corporate Performance Report {Q2}"
    start = next(i for i, row in enumerate(dashboard) if row[0] == "Measures by strategic outcome")
    counted = {row[0]: dict(zip(dashboard[start + 1][1:], row[1:])) for row in dashboard[start + 2:start + 9]}
    for outcome, counts in shown.counts_by_outcome.items():  # the printed narrative is what the Dashboard counts
        assert {state: int(counted[outcome][state]) for state in counts} == counts, outcome
    assert sum(int(row["Green"]) for row in counted.values()) > 30
    assert any(row[0] == f"Corporate Plan actions by strategic outcome, {Q3}" for row in dashboard)
    titles = {name: book.get_sheet_by_name(name).to_python()[0][0] for name in ("Deliverables by outcome",
                                                                                 "Exceptions")}
    assert titles["Deliverables by outcome"].startswith(f"Corporate Plan deliverables {Q3}")
    assert titles["Exceptions"].startswith(f"Exceptions {Q2}")
    assert sum(row.text("RAG") == "Red" for row in report.exceptions) > 20
    assert {row[0] for row in book.get_sheet_by_name("History").to_python()[1:]} == {Q2, Q3}
    assert set(shown.action_counts_by_outcome) == set(OUTCOMES)


def test_b12as_last_quarter_figure_lost_by_the_pdf_is_blank_and_logged_not_a_data_quality_warning(built):
    from python_calamine import CalamineWorkbook

    out, _ = built
    log = (out / "catalogue_cleaning_log.md").read_text(encoding="utf-8")
    assert "| B12a | last quarter | g Families Other | (blank) |" in log
    rows = CalamineWorkbook.from_path(str(out / WORKBOOK)).get_sheet_by_name("Data quality").to_python()
    assert not [row for row in rows if "B12a" in str(row[3]) or "Families Other" in str(row[4])]
    returned = out / "returns" / "2023-24 Q2" / "Children and Education 2023-24 Q2.xlsx"
    measures = CalamineWorkbook.from_path(str(returned)).get_sheet_by_name("Measures").to_python()
    assert not any("Families Other" in str(cell) for row in measures for cell in row)
