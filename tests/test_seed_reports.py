"""The seed readers return every row and every rating of the council's reports, exactly as printed.

Each count here is reconciled against a second, deliberately cruder reading
of the raw text (a regex over whole lines or whole cells), so that a row or a
rating the reader silently drops or invents shows up as a mismatch.
"""

import re
from collections import Counter
from pathlib import Path

import pytest

from pmf_excel.framework.outcomes import OUTCOMES
from pmf_excel.samples.seed_reports import count_status_mentions, read_deliverable_statuses, read_indicator_report
from pmf_excel.samples.sources import REPORTS

SEEDS = Path("/work/shared/seeds")


def seed(name: str, sample: str) -> Path:
    """The shared seed file, or its byte-identical copy in the package data when the seeds are not mounted."""
    for path in (SEEDS / name, REPORTS / sample):
        if path.exists():
            return path
    pytest.skip(f"neither {SEEDS / name} nor {REPORTS / sample} is present")


@pytest.fixture(scope="module")
def indicators_path() -> Path:
    return seed("004_c6bfc38472d56860.txt", "corporate_performance_report_2023-24_Q2.txt")


@pytest.fixture(scope="module")
def deliverables_path() -> Path:
    return seed("003_d5ed9f58c1909d3e.txt", "corporate_plan_deliverables_2023-24_Q3.txt")


@pytest.fixture(scope="module")
def rows(indicators_path):
    return read_indicator_report(indicators_path)


# --- 004: indicators ---------------------------------------------------------------------------------

BEST, LIVE, COMMUNITIES, HOMES, ECONOMY, CONNECTED, COUNCIL = OUTCOMES
# Every ref in the report's order, as printed (Cyrillic В/с/О and digit zeros included), by outcome.
EXPECTED_REFS = {
    BEST: ["B3e", "B8c", "B12b", "В3с", "B3d", "B6a", "В6с", "B9e", "B12c", "B6b", "B8a", "B9f", "B9g", "B9h",
        "B12a", "B12d", "B6d", "B11c", "B5a", "B9d", "B8g", "В9с"],
    LIVE: ["L17b/ASCOF 4B", "L18a/2D (formerly 2B)", "L14b/2E (formerly 1G)", "L21b/6B", "L1d", "L1e", "L3", "L1b",
        "L1c", "L1f", "L1g", "L2", "L4b", "L4c", "L5a", "L5b", "L6", "L7", "L8", "L10", "L13d"],
    COMMUNITIES: ["C5a", "C14/ NI195a,b,c,d", "C7a", "C7c/L2", "C7b/L3", "C7d/L4", "C7e/L6", "C10a", "C10b",
                  "C10f", "C16a", "C16b", "C16c"],
    HOMES: ["CP74 / HM02", "CP79 / PRS07", "H8 / RS04", "H12 / HC2", "H14 / RM3", "H14 / BS02", "H14 / BS03",
        "CP78b/SLM054", "H14 / BS01", "CP77a / HIA2", "CP77b / HIA3", "H14 / BS04", "H14 / BS05", "CP76 / PRS04"],
    ECONOMY: ["E7a", "E7b", "E11a", "E10", "E11b", "E11c", "E11d", "E1", "E2"],
    CONNECTED: ["A2d/DSS5"],
    COUNCIL: ["O1b", "O1n", "O8e", "O8f", "O8g", "O8h", "O8I", "O8n", "O8p", "O8i", "O11a", "O11c", "O11d", "O4c", "О3",
        "O1m", "O4b", "O8d", "O11e", "O11f", "O11g", "O11h/SI66a", "O11i", "O4e", "O1c", "O1d", "O1e", "O1g", "O1h",
        "01i", "O1j", "010", "O1p", "O1q", "O1r", "O1s", "O1t", "O4d", "O5d", "O8a", "O8b", "O8c", "O8j", "O8k",
        "O8m", "O8o", "O8q", "O8r", "O8s", "O8t", "O8u", "010", "O11b"],
}
#: A ref, told apart from headers, headings and the legend without splitting cells: at most two letters of any
#: script (so Cyrillic "В3с" and "О3" count) then a digit (so "01i" and "010" count), then a tab.
REF_LINE = re.compile(r"^([^\W\d_]{0,2}\d[^\t\n]*)\t", re.MULTILINE)


def by_ref(rows, ref):
    (row,) = [row for row in rows if row.ref == ref]
    return row


def test_every_data_row_is_read_in_order(rows, indicators_path):
    text = indicators_path.read_text(encoding="utf-8")
    independent = [ref.strip() for ref in REF_LINE.findall(text)]
    assert [row.ref for row in rows] == independent
    assert [(row.outcome, row.ref) for row in rows] == [(o, ref) for o, refs in EXPECTED_REFS.items() for ref in refs]
    assert len(rows) == 133
    lines = text.split("\n")
    assert all(lines[row.line - 1].startswith(row.ref + "\t") for row in rows)
    assert [row.line for row in rows] == sorted(row.line for row in rows)


def test_refs_per_outcome_and_every_outcome_present(rows):
    assert Counter(row.outcome for row in rows) == {o: len(refs) for o, refs in EXPECTED_REFS.items()}
    assert set(OUTCOMES) == {row.outcome for row in rows}
    assert Counter(row.outcome for row in rows) == {
        BEST: 22, LIVE: 21, COMMUNITIES: 13, HOMES: 14, ECONOMY: 9, CONNECTED: 1, COUNCIL: 53}


def test_no_header_heading_or_legend_leaks_into_rows(rows):
    for row in rows:
        assert not row.ref.startswith(("CP & D", "<b>", "People Live", "A Strong", "One Team", "Green", "Amber", "Red"))


def test_spot_checks(rows):
    b3e = by_ref(rows, "B3e")
    assert (b3e.line, b3e.outcome, b3e.polarity, b3e.target, b3e.tolerance) == (
        11, BEST, "Bigger is better", "86%", "5%")
    assert (b3e.performance, b3e.last_quarter, b3e.last_year) == (
        "71% (30th Sep 2023)", "86% (30th June 2023)", "100% (30th Sep 2022)")
    assert b3e.directorate == "Children and Education" and b3e.commentary.startswith("Data for published reports")

    b12b = by_ref(rows, "B12b")
    assert (b12b.polarity, b12b.target, b12b.tolerance, b12b.performance, b12b.last_quarter, b12b.last_year) == (
        "Smaller is better", "<70%", "70.1%-75%", "77%", "76%", "82%")

    assert by_ref(rows, "O8e").performance == "1 min 27 secs"
    o11c = by_ref(rows, "O11c")
    assert (o11c.target, o11c.performance) == ("56.16%%", "53.49%%")  # the report's doubled %, kept


def test_cyrillic_look_alikes_are_kept(rows):
    l1e = by_ref(rows, "L1e")
    assert l1e.target == "\u0422\u0412\u0421" != "TBC"  # Cyrillic ТВС
    assert "\u0412\u0033\u0441" in {row.ref for row in rows}  # В3с
    assert "B3c" not in {row.ref for row in rows}


def test_annual_section(rows):
    assert [row.ref for row in rows if row.annual_section] == ["L13d"]
    assert by_ref(rows, "L13d").outcome == LIVE


def test_a2d_is_connected_and_gets_its_spilled_commentary(rows):
    a2d = by_ref(rows, "A2d/DSS5")
    assert a2d.outcome == CONNECTED and a2d.directorate == "Borough Economy"
    assert "in response to community concerns over speeding vehicles" in a2d.commentary  # joined with one space
    assert a2d.commentary.endswith("to help encourage walking to school.")
    # The heading line carrying the spill starts One Council: the next row is O1b.
    assert by_ref(rows, "O1b").outcome == COUNCIL


def test_missing_cells_are_empty(rows):
    o1b = by_ref(rows, "O1b")
    assert o1b.directorate == "" and o1b.commentary.startswith("Sickness levels")
    o8b = by_ref(rows, "O8b")
    assert o8b.commentary == "" and o8b.directorate == "Assistant Chief Executive"
    assert by_ref(rows, "B11c").last_year == ""


def test_short_rows_are_padded(tmp_path):
    report = tmp_path / "report.txt"
    report.write_text("Green\tOn or better than target\n"
                      "CP & D reference\tCP Indicator\tValue\n"
                      "<b>Quality Homes</b>\ts in Thriving Neighbourhoo\tds\n"
                      "H1\tHomes built\tBigger is better\t10\n", encoding="utf-8")
    (row,) = read_indicator_report(report)
    assert (row.line, row.ref, row.target, row.tolerance, row.directorate, row.outcome) == (
        4, "H1", "10", "", "", HOMES)


# --- 003: deliverable ratings ------------------------------------------------------------------------

RATINGS = ["On Track", "Medium Issue/Slippage", "Significant issues/risks/slippage", "Complete", "No update available"]
#: PDF artefacts glued to a rating, each where it is printed: (line, column, text).
ARTEFACTS = [(201, 5, "ı On Track"), (265, 5, "RAG On Track")]


def grep_whole_cells(text: str, status: str) -> int:
    """Like ``grep -ciP '(^|\\t) *status\\.? *(\\t|$)'``, but counting every match, not every line."""
    words = " +".join(map(re.escape, status.split()))  # spaces only: a cell never runs onto the next line
    return len(re.findall(rf"(?:^|\t) *{words}\.? *(?=\t|$)", text, flags=re.IGNORECASE | re.MULTILINE))


@pytest.fixture(scope="module")
def statuses(deliverables_path):
    return read_deliverable_statuses(deliverables_path)


def canonical(text: str) -> str:
    for artefact in ("ı ", "RAG "):
        text = text.removeprefix(artefact)
    return next(r for r in RATINGS if r.casefold() == " ".join(text.split()).removesuffix(".").casefold())


def test_every_status_is_found_and_reconciled(statuses, deliverables_path):
    text = deliverables_path.read_text(encoding="utf-8")
    found = Counter(canonical(cell.text) for cell in statuses)
    plain = count_status_mentions(deliverables_path)
    for rating in RATINGS:
        glued = sum(canonical(t) == rating for _, _, t in ARTEFACTS)
        assert found[rating] == plain[rating] + glued == grep_whole_cells(text, rating) + glued, rating
    assert found == {"On Track": 138, "Complete": 53, "Medium Issue/Slippage": 41, "No update available": 13,
                     "Significant issues/risks/slippage": 5}
    assert len(statuses) == 250


def test_cells_are_as_written_and_where_printed(statuses, deliverables_path):
    lines = deliverables_path.read_text(encoding="utf-8").split("\n")
    for cell in statuses:
        assert lines[cell.line - 1].split("\t")[cell.column] == cell.text
    assert [(c.line, c.column, c.text) for c in statuses if c.text.split()[0] in ("ı", "RAG")] == ARTEFACTS
    assert Counter(c.text for c in statuses if c.text.startswith("No update")) == {
        "No update available": 11, "No update available.": 2}
    assert [(c.line, c.column) for c in statuses][:2] == [(4, 5), (5, 5)]  # IR1 / CH11 and PH8, the usual column


def test_completed_inside_updates_is_not_a_rating(statuses, deliverables_path):
    text = deliverables_path.read_text(encoding="utf-8")
    assert len(re.findall("completed", text, flags=re.IGNORECASE)) > 0
    assert count_status_mentions(deliverables_path, ["Completed"]) == {"Completed": 0}
    assert not [c for c in statuses if "completed" in c.text.casefold()]
    assert not [c for c in statuses if len(c.text.split()) > len(canonical(c.text).split()) + 1]


def test_rating_split_across_lines_is_not_a_cell(statuses, deliverables_path):
    """Lines 33 and 35 print CH12's "Medium" / "Issue/Slippage" on two lines: neither is a whole rating cell.

    The engine has to recover that row (lines 23-59 are one table row exploded into single cells); this
    reader reports only cells, so the split rating is absent and line 37's lone "On Track" (PH17) is present.
    """
    lines = deliverables_path.read_text(encoding="utf-8").split("\n")
    assert (lines[32], lines[34], lines[36]) == ("Medium", "Issue/Slippage", "On Track")
    assert {c.line for c in statuses} & {33, 35} == set()
    assert (37, 0, "On Track") in {(c.line, c.column, c.text) for c in statuses}
