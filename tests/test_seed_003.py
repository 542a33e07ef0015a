"""Every deliverable rating of the council's Q3 2023/24 update (seed 003) maps to its RAG."""

import re
from collections import Counter
from pathlib import Path

import pytest

from pmf_excel import PMFValueError, deliverable_rag
from pmf_excel.samples.seed_reports import read_deliverable_statuses
from pmf_excel.samples.sources import DELIVERABLES_REPORT

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
REPORT = DELIVERABLES_REPORT
SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "003_d5ed9f58c1909d3e.txt"

EXPECTED_RAG = {
    "On Track": "Green", "Medium Issue/Slippage": "Amber", "Significant issues/risks/slippage": "Red",
    "Complete": "Complete", "No update available": "No update",
}


def test_sample_report_is_the_seed_byte_for_byte():
    if not SEED.exists():
        pytest.skip("shared/seeds is not beside this checkout")
    assert REPORT.read_bytes() == SEED.read_bytes()


def whole_cell_count(text: str, status: str) -> int:
    """An independent count: the status alone in a tab-separated cell, any case, an optional full stop."""
    words = r" *".join(re.escape(word) for word in re.split(r"\s+|(?<=/)|(?=/)", status) if word)
    return len(re.findall(rf"(?:^|\t) *{words}\.? *(?=\t|$)", text, flags=re.IGNORECASE | re.MULTILINE))


def test_every_rating_is_found_and_reconciled():
    text = REPORT.read_text(encoding="utf-8")
    cells = read_deliverable_statuses(REPORT)
    by_rating = Counter(deliverable_rag(cell.rating) for cell in cells)
    artefacts = [cell.text for cell in cells if cell.text != cell.rating]
    assert sorted(artefacts) == ["RAG On Track", "ı On Track"]
    for status, rag in EXPECTED_RAG.items():
        expected = whole_cell_count(text, status) + (2 if status == "On Track" else 0)
        assert by_rating[rag] == expected, status
    assert len(cells) == sum(by_rating.values()) == 250
    assert by_rating == {"Green": 138, "Complete": 53, "Amber": 41, "No update": 13, "Red": 5}


def test_ratings_as_written_map_whatever_their_case_and_spacing():
    for cell in read_deliverable_statuses(REPORT):
        assert deliverable_rag(cell.rating) in EXPECTED_RAG.values()


def test_update_text_is_not_a_rating():
    with pytest.raises(PMFValueError, match="deliverable status"):
        deliverable_rag("3 year SLA is now signed and delivery is on track.")
