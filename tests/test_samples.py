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
