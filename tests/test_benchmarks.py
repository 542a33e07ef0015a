"""Benchmarking: comparators typed into 004's commentary, imported from an LG Inform style export and flagged."""

import csv
import json
import re
from pathlib import Path

import pytest

from pmf_excel.framework.benchmarks import (Comparator, ComparatorGroup, benchmark_line, classify_area, compare,
                                            describe, import_comparators, quartile, read_export_value, read_mapping_csv)
from pmf_excel.rules.errors import PMFValueError
from pmf_excel.rules.text import clean
from pmf_excel.rules.values import EXPECTED_VALUE
from pmf_excel.samples.seed_reports import read_indicator_report
from pmf_excel.samples.sources import COMPARATORS, INDICATOR_REPORT, MAPPING

ROOT = Path(__file__).resolve().parent.parent
EXPORT = COMPARATORS
REPORT = INDICATOR_REPORT
CATALOGUE = ROOT / "samples" / "catalogue_2023-24.json"
ILLUSTRATIVE = "illustrative: not from the seeds"
NOTE = re.compile(r"^004 line (\d+), (commentary|target|performance): (.+)$")


@pytest.fixture(scope="module")
def imported():
    return import_comparators(EXPORT, read_mapping_csv(MAPPING), our_area="Sandwell")


@pytest.fixture(scope="module")
def report():
    """004's rows by their plain ref (the report prints B3c and B9c with Cyrillic letters)."""
    return {clean(row.ref): row for row in read_indicator_report(REPORT)}


def export_rows() -> list[dict[str, str]]:
    with EXPORT.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file))


# --- the sample's provenance ------------------------------------------------------------------------------------


def test_every_row_from_004_is_in_the_cell_its_note_names():
    rows = {row.line: row for row in read_indicator_report(REPORT)}
    mapping = {clean(metric).casefold(): ref for metric, ref in read_mapping_csv(MAPPING).items()}
    checked = 0
    for row in export_rows():
        if row["note"] == ILLUSTRATIVE:
            continue
        line, cell, quote = NOTE.match(row["note"]).groups()
        printed = rows[int(line)]
        assert quote in getattr(printed, cell), (row, getattr(printed, cell))
        assert row["value"] in quote, row
        if cell == "performance":
            assert row["area"] == "Sandwell"  # the performance cell is our own figure
        elif classify_area(row["area"]) is ComparatorGroup.ENGLAND:
            assert re.search(r"england|national|great britain", quote, re.IGNORECASE), row
        else:
            assert row["area"].casefold() in quote.casefold(), row
        ref = mapping.get(clean(row["metric"]).casefold())
        assert ref is None or ref == clean(printed.ref), (row, printed.ref)
        checked += 1
    assert checked == 27


def test_b3e_england_89_and_west_midlands_80_come_from_its_commentary(report, imported):
    b3e = report["B3e"]
    assert "The figure for England is 89%, and the West Midlands 80%." in b3e.commentary
    assert {(c.area, c.value.show()) for c in imported.for_ref("B3e")} == {("England", "89%"),
                                                                           ("West Midlands", "80%")}


def test_illustrative_rows_are_one_full_neighbour_set_for_b6a_only():
    illustrative = [row for row in export_rows() if row["note"] == ILLUSTRATIVE]
    mapping = read_mapping_csv(MAPPING)
    assert {mapping[row["metric"]] for row in illustrative} == {"B6a"}
    assert len(illustrative) == 10
    assert all(classify_area(row["area"]) is ComparatorGroup.NEIGHBOUR for row in illustrative)
    # Made up around 004's own figure: their mean is the "Statistical Neighbour Average (52.6)" of line 18.
    assert sum(float(row["value"]) for row in illustrative) / 10 == pytest.approx(52.6)


def test_every_mapped_ref_is_a_measure_of_the_catalogue():
    refs = {measure["ref"] for measure in json.loads(CATALOGUE.read_text(encoding="utf-8"))["measures"]}
    mapping = read_mapping_csv(MAPPING)
    assert len(mapping) == 10
    assert set(mapping.values()) <= refs


# --- import -----------------------------------------------------------------------------------------------------


def test_import_keeps_every_row_as_a_comparator_or_an_unmatched_row(imported):
    assert len(imported.comparators) == 31
    assert len(imported.comparators) + len(imported.unmatched) == len(export_rows()) == 37
    assert [(u.row, u.area, u.metric, u.value, u.reason) for u in imported.unmatched] == [
        (4, "Sandwell", "Percentage of special schools and alternative provision judged good or outstanding by Ofsted",
         "71%", "our own area (Sandwell): our figure, not a comparator"),
        (25, "England", "Average Attainment 8 score of disadvantaged pupils", "35.1",
         "no measure is mapped to this metric"),
        (26, "Sandwell", "Average Attainment 8 score of disadvantaged pupils", "35.4",
         "our own area (Sandwell): our figure, not a comparator"),
        (36, "Sandwell", "Economic activity rate - aged 16-64 (%)", "69.1%",
         "our own area (Sandwell): our figure, not a comparator"),
        (37, "West Midlands", "Economic activity rate - aged 16-64 (%)", "77.5%",
         "no measure is mapped to this metric"),
        (38, "Great Britain", "Economic activity rate - aged 16-64 (%)", "78.4%",
         "no measure is mapped to this metric"),
    ]


def test_comparators_per_measure_and_group(imported):
    counts = {}
    for c in imported.comparators:
        counts[(c.ref, c.group.value)] = counts.get((c.ref, c.group.value), 0) + 1
    assert counts == {
        ("B3e", "England"): 1, ("B3e", "Region"): 1, ("B3c", "England"): 1, ("B3c", "Region"): 1,
        ("B3d", "England"): 1, ("B3d", "Region"): 1, ("B6a", "Statistical neighbour"): 11,
        ("B6d", "Statistical neighbour"): 1, ("B6d", "Region"): 1, ("B6d", "England"): 1,
        ("B5a", "England"): 1, ("B5a", "Region"): 1, ("B9d", "England"): 2, ("B9d", "Region"): 2,
        ("B9c", "England"): 1, ("B9c", "Region"): 1, ("L13d", "England"): 1, ("E10", "Region"): 1,
        ("E10", "England"): 1,
    }
    first = imported.comparators[0]
    assert (first.ref, first.area, first.period, first.value.number, first.source) == (
        "B3e", "England", "2023/24 Q2", pytest.approx(0.89), "LG Inform export lg_inform_2023-24.csv, row 2")


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_every_reason_for_an_unmatched_row(tmp_path):
    export = write(tmp_path / "export.csv", (
        "Area, METRIC ,Period,Value,Code\n"
        "England,Special schools,2023/24 Q2,89%,x1\n"
        ",Special schools,2023/24 Q2,80%,x2\n"
        "Walsall,,2023/24 Q2,80%,x3\n"
        "sandwell,Special schools,2023/24 Q2,71%,x4\n"
        "England,Something else,2023/24 Q2,12%,x5\n"
        "West Midlands,Special schools,2023/24 Q2,[c],x6\n"
        "england ,special  SCHOOLS,2023/24 Q2,88%,x7\n"
        "England,Special schools,2023/24 Q1,88%,x8\n"
        "\n"
        "West Midlands,Special schools,2023/24 Q2,0.8\n"))
    result = import_comparators(export, {"Special Schools": "B3e"}, our_area="Sandwell")
    assert [(u.row, u.reason) for u in result.unmatched] == [
        (3, "a row with no area"),
        (4, "a row with no metric"),
        (5, "our own area (Sandwell): our figure, not a comparator"),
        (6, "no measure is mapped to this metric"),
        (7, f'the value cannot be read: "[c]" is not a value the framework can read. {EXPECTED_VALUE}'),
        (8, "repeats row 2"),
    ]
    assert [(c.area, c.period, c.value.show(), c.source) for c in result.comparators] == [
        ("England", "2023/24 Q2", "89%", "LG Inform export export.csv, row 2"),
        ("England", "2023/24 Q1", "88%", "LG Inform export export.csv, row 9"),
        ("West Midlands", "2023/24 Q2", "0.8", "LG Inform export export.csv, row 11"),
    ]


def test_values_are_read_as_co_ordinators_type_them(tmp_path):
    export = write(tmp_path / "export.csv", "area,metric,period,value\n"
                                            "England,m,2023,89%\nLondon,m,2023,0.89\nKent,m,2023,£1.2m\n"
                                            "Essex,m,2023,NA\n")
    values = [c.value for c in import_comparators(export, {"m": "X1"}, "Sandwell").comparators]
    assert [(v.kind.value, v.number) for v in values] == [
        ("percentage", pytest.approx(0.89)), ("number", 0.89), ("money", 1_200_000.0), ("missing", None)]


def test_areas_are_classed_england_region_or_neighbour():
    assert [classify_area(area).value for area in (
        "England", "England average", "National", "Great Britain", "West Midlands", "west  midlands average",
        "Yorkshire and The Humber", "London", "South West", "Wolverhampton", "Statistical neighbours",
        "Stoke-on-Trent")] == [
        "England", "England", "England", "England", "Region", "Region", "Region", "Region", "Region",
        "Statistical neighbour", "Statistical neighbour", "Statistical neighbour"]


# --- flags with 004's own performance and polarity ----------------------------------------------------------------

FLAGS = [
    ("B3e", "71% (30th Sep 2023)", "Bigger is better",
     "England 89% (2023/24 Q2): Worse; West Midlands 80% (2023/24 Q2): Worse"),
    ("B3c", "87% (30th Sep 2023)", "Bigger is better",
     "England 90% (2023/24 Q2): Worse; West Midlands 88% (2023/24 Q2): Worse"),
    ("B3d", "79% (30th Sep 2023)", "Bigger is better",
     "England 82% (2023/24 Q2): Worse; West Midlands 82% (2023/24 Q2): Worse"),
    # "Sandwell Q2 performance compares well with statistical neighbours at 2.3%, West Midlands at 1.8% and
    # England at 2.0%": smaller is better, and 1.5% beats all three.
    ("B6d", "1.50%", "Smaller is better",
     "England 2% (2023/24 Q2): Better; West Midlands 1.8% (2023/24 Q2): Better; "
     "Statistical neighbours 2.3% (2023/24 Q2): Better"),
    # Read as written, "smaller is better" on a negative gap: -15.2 is smaller than -14.9, so England is
    # flagged better than us, though 004 says the national gap is larger. The engine keeps the rule for B5a's
    # RAG as well (tests/test_seed_004.py), and so does its benchmark.
    ("B5a", "-14.9 (2023 provisional)", "Smaller is better",
     "England -15.2 (2023): Worse; West Midlands -14.8 (2023): Better"),
    ("B9d", "55% (2023 provisional)", "Bigger is better",
     "England 65% (2023 provisional): Worse; England 69% (2022): Worse; "
     "West Midlands 62% (2023 provisional): Worse; West Midlands 67% (2022): Worse"),
    ("B9c", "56% (2023 provisional)", "Bigger is better",
     "England 59% (2023 provisional): Worse; West Midlands 58% (2023 provisional): Worse"),
    ("L13d", "9.8% (2022/23)", "Smaller is better", "England 8.8% (2022/23): Worse"),
    ("E10", "64.7% (Apr 22 - Mar 23)", "Bigger is better",
     "Great Britain 75.5% (Apr 2022 - Mar 2023): Worse; West Midlands 73.6% (Apr 2022 - Mar 2023): Worse"),
]


@pytest.mark.parametrize(("ref", "performance", "polarity", "line"), FLAGS, ids=[flag[0] for flag in FLAGS])
def test_flags_with_004s_performance_and_polarity(report, imported, ref, performance, polarity, line):
    row = report[ref]
    assert (row.performance, row.polarity) == (performance, polarity)
    assert describe(benchmark_line(row.performance, imported.for_ref(ref), row.polarity)) == line


def test_b6a_against_its_neighbours(report, imported):
    b6a = report["B6a"]
    line = benchmark_line(b6a.performance, imported.for_ref("B6a"), b6a.polarity)
    # "now at a rate of 54.4 per 10,000, this is slightly above Statistical Neighbour Average (52.6)"
    assert (line[0][0].area, line[0][1]) == ("Statistical neighbour average", "Worse")
    assert [flag for _, flag in line].count("Better") == 5
    assert [flag for _, flag in line].count("Worse") == 6


def test_benchmark_line_orders_england_region_then_neighbours():
    comparators = [neighbour("Walsall", "1"), neighbour("Statistical neighbours", "2"), neighbour("Bolton", "3"),
                   neighbour("West Midlands", "4"), neighbour("England", "5", period="2023"),
                   neighbour("England", "6", period="2024")]
    line = benchmark_line("4", comparators, "Bigger is better")
    assert [(c.area, c.period, flag) for c, flag in line] == [
        ("England", "2024", "Worse"), ("England", "2023", "Worse"), ("West Midlands", "2023/24 Q2", "Same"),
        ("Statistical neighbours", "2023/24 Q2", "Better"), ("Bolton", "2023/24 Q2", "Better"),
        ("Walsall", "2023/24 Q2", "Better")]


# --- compare ------------------------------------------------------------------------------------------------------


def neighbour(area: str, value: str, period: str = "2023/24 Q2", ref: str = "B6a") -> Comparator:
    return Comparator(ref=ref, area=area, group=classify_area(area), period=period,
                      value=read_export_value(value), source="test")


@pytest.mark.parametrize(("performance", "value", "polarity", "flag"), [
    ("71%", "89%", "Bigger is better", "Worse"),
    ("71%", "0.89", "Bigger is better", "Worse"),  # a bare figure in an export takes the measure's unit
    ("89%", "0.89", "Bigger is better", "Same"),
    (0.89, "89%", "Smaller is better", "Same"),
    ("71%", "80%", "Smaller is better", "Better"),
    ("£207k", "£1.2m", "Bigger is better", "Worse"),
    ("5.75 days", "5.29 days", "Smaller in better", "Worse"),  # 004's own typo of the polarity
    ("NA", "89%", "Bigger is better", "Not comparable"),
    ("", "89%", "Bigger is better", "Not comparable"),
    ("71%", "NA", "Bigger is better", "Not comparable"),
    ("9.3", "9.8%", "Smaller is better", "Not comparable"),  # a count beside a percentage
    ("9.3%", "9.8 days", "Smaller is better", "Not comparable"),
    ("£207k", "12%", "Bigger is better", "Not comparable"),
    ("71%", "89%", "NA - awaiting strategy", "Not comparable"),
    ("71%", "89%", "NA - dependent", "Not comparable"),
])
def test_compare(performance, value, polarity, flag):
    assert compare(performance, neighbour("England", value), polarity) == flag


def test_compare_names_an_unreadable_performance_or_polarity():
    with pytest.raises(PMFValueError, match='"seventy" is not a value'):
        compare("seventy", neighbour("England", "89%"), "Bigger is better")
    with pytest.raises(PMFValueError, match='"Up is good" is not a polarity'):
        compare("71%", neighbour("England", "89%"), "Up is good")


# --- quartile -----------------------------------------------------------------------------------------------------


def test_b6a_quartile_among_the_illustrative_neighbours(report, imported):
    b6a = report["B6a"]
    # 54.4, smaller is better: 5 of the 10 neighbours are lower, so rank 6 of 11 and ceil(4 * 6 / 11) = 3. The
    # statistical neighbour average (52.6) is not a council and is not ranked.
    assert quartile(b6a.performance, imported.for_ref("B6a"), b6a.polarity) == 3


def test_no_quartile_without_a_full_neighbour_set(report, imported):
    for ref in ("B3e", "B6d", "B5a", "E10"):
        assert quartile(report[ref].performance, imported.for_ref(ref), report[ref].polarity) is None


SEVEN = [neighbour(f"Council {n}", str(n)) for n in range(1, 8)]  # values 1 … 7: n = 7, so ranks run 1 … 8


@pytest.mark.parametrize(("performance", "polarity", "expected"), [
    ("8", "Bigger is better", 1),    # rank 1
    ("7", "Bigger is better", 1),    # tied with the best: a tie counts in our favour, rank 1
    ("6.5", "Bigger is better", 1),  # rank 2: 4 × 2 / 8 = 1 exactly, on the edge, still quartile 1
    ("5.5", "Bigger is better", 2),  # rank 3: 1.5
    ("4.5", "Bigger is better", 2),  # rank 4: 2 exactly
    ("3.5", "Bigger is better", 3),  # rank 5: 2.5
    ("2.5", "Bigger is better", 3),  # rank 6: 3 exactly
    ("1.5", "Bigger is better", 4),  # rank 7: 3.5
    ("0", "Bigger is better", 4),    # rank 8: 4
    ("1.5", "Smaller is better", 1),  # the same figure, the other way round: rank 2
    ("0", "Smaller is better", 1),
    ("8", "Smaller is better", 4),
    (7.0000000001, "Smaller is better", 4),  # within one part in a billion of 7: a tie, rank 7
])
def test_quartile_boundaries(performance, polarity, expected):
    assert quartile(performance, SEVEN, polarity) == expected


def test_quartile_needs_the_minimum_number_of_neighbours():
    three = SEVEN[:3]
    assert quartile("2", three, "Bigger is better") is None
    assert quartile("2", three, "Bigger is better", minimum=3) == 2  # rank 2 of 4: 4 × 2 / 4 = 2 exactly
    assert quartile("2", SEVEN[:4], "Bigger is better") == 3  # rank 3 of 5: ceil(2.4)
    with pytest.raises(ValueError, match="at least one neighbour"):
        quartile("2", three, "Bigger is better", minimum=0)


def test_quartile_ranks_only_council_neighbours_of_the_latest_period():
    others = [neighbour("England", "100"), neighbour("West Midlands", "100"),
              neighbour("Statistical neighbour average", "100")]
    older = [neighbour(f"Council {n}", "100", period="2023/24 Q1") for n in range(1, 8)]
    assert quartile("6.5", SEVEN + others + older, "Bigger is better") == 1
    # Only the older period present: it is the latest, and every one of them beats us.
    assert quartile("6.5", older, "Bigger is better") == 4


def test_no_quartile_when_nothing_can_be_ranked():
    assert quartile("NA", SEVEN, "Bigger is better") is None
    assert quartile("4", SEVEN, "NA - awaiting strategy") is None
    # Money cannot be ranked among percentages; the bare figures take the percentage's unit.
    mixed = SEVEN[:3] + [neighbour("Council 9", "£5k")]
    assert quartile("4%", mixed, "Bigger is better") is None
    assert quartile("4%", mixed, "Bigger is better", minimum=3) == 4
    assert quartile("4", SEVEN[:3] + [neighbour("Council 9", "5%")], "Bigger is better") is None  # a count, a %
    assert quartile("4", SEVEN[:3] + [neighbour("Council 9", "NA")], "Bigger is better") is None
    assert quartile("4", [], "Bigger is better") is None


def test_quartile_refuses_comparators_of_several_measures():
    with pytest.raises(ValueError, match="one measure; these comparators are for B6a, B6d"):
        quartile("4", SEVEN + [neighbour("Walsall", "2", ref="B6d")], "Bigger is better")


# --- readable errors ----------------------------------------------------------------------------------------------


def test_an_export_missing_a_heading_is_named(tmp_path):
    export = write(tmp_path / "lgi.csv", "Area,Metric,Value\nEngland,m,89%\n")
    with pytest.raises(ValueError) as error:
        import_comparators(export, {"m": "B3e"}, "Sandwell")
    assert str(error.value) == ("lgi.csv is not an LG Inform export: it has no period heading "
                                "(it needs area, metric, period, value; found: Area, Metric, Value).")
    empty = write(tmp_path / "empty.csv", "")
    with pytest.raises(ValueError, match="empty.csv is not an LG Inform export: it has no area or metric or period "
                                         r"or value heading \(it needs area, metric, period, value; found: none\)"):
        import_comparators(empty, {}, "Sandwell")


def test_mapping_errors_name_the_row(tmp_path):
    no_ref = write(tmp_path / "map.csv", "metric,ref\nSpecial schools,B3e\nPrimary schools, \n")
    with pytest.raises(ValueError) as error:
        read_mapping_csv(no_ref)
    assert str(error.value) == ("map.csv, row 3: the metric 'Primary schools' is mapped to no measure. "
                                "Type the measure's ref (e.g. B3e) in the ref column, or delete the row.")
    no_metric = write(tmp_path / "map.csv", "metric,ref\n,B3e\n")
    with pytest.raises(ValueError, match="map.csv, row 2: the measure B3e is mapped from no metric"):
        read_mapping_csv(no_metric)
    twice = write(tmp_path / "map.csv", "metric,ref\nSpecial schools,B3e\nSPECIAL  schools,B3d\n")
    with pytest.raises(ValueError, match="row 3: the metric 'SPECIAL  schools' is mapped to B3d, but row 2 maps it "
                                         "to B3e"):
        read_mapping_csv(twice)
    with pytest.raises(ValueError, match="map.csv is not a benchmark mapping: it has no ref heading"):
        read_mapping_csv(write(tmp_path / "map.csv", "metric,measure\nm,B3e\n"))


def test_mapping_is_read_without_case_or_spaces_and_plain_letters(tmp_path):
    mapping = read_mapping_csv(write(tmp_path / "map.csv", "\ufeffMetric , Ref,comment\nSpecial schools,B3e,x\n"
                                                           "special schools,B3e,same again\n\n"
                                                           "Primary,В3с,printed in Cyrillic\n"))
    assert mapping == {"Special schools": "B3e", "Primary": "B3c"}
