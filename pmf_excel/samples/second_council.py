"""A second council, fictional and illustrative: Kestrel Vale Borough Council, its tracker and its published table.

Kestrel Vale does not exist and every figure here is made up. It stands for
a council that adopts pmf-excel with what it already has: a KPI tracker kept
in Excel its own way (``samples/second_council/kestrel_vale_tracker_2024-25.xlsx``),
a published quarterly table (``kestrel_vale_performance_report_2024-25_Q2.csv``),
rules stated in words that differ from the first council's on every point the
policy format now covers (``kestrel_vale_rules.toml``) and a mapping of its
columns and words (``kestrel_vale_mapping.toml``). Its printed Status and
Trend were worked out by hand from its rules in words, not by the engine, so
that re-judging the table is a real test of the policy. This module writes
the tracker and the table from the rows below, so both are reproducible.
"""

from __future__ import annotations

import csv
from pathlib import Path


from ..workbooks.files import document_time
from ..workbooks.xlsx_writer import Workbook

#: Where ``pmf samples`` writes it in a checkout (run at its top), beside the first council's samples.
FOLDER = Path(__file__).resolve().parents[2] / "samples" / "second_council"
TRACKER = FOLDER / "kestrel_vale_tracker_2024-25.xlsx"
TABLE = FOLDER / "kestrel_vale_performance_report_2024-25_Q2.csv"
RULES = FOLDER / "kestrel_vale_rules.toml"
MAPPING = FOLDER / "kestrel_vale_mapping.toml"
QUARTER = "2024/25 Q2"
ILLUSTRATIVE = ("ILLUSTRATIVE: Kestrel Vale Borough Council is fictional and every figure here is made up, for "
                "pmf-excel's tests and samples.")

#: The tracker's earlier quarters, oldest first, as its headings and the published table's write them.
EARLIER = (("Q2 23/24", "Q2 2023/24"), ("Q3 23/24", "Q3 2023/24"), ("Q4 23/24", "Q4 2023/24"),
           ("Q1 24/25", "Q1 2024/25"))
PRIORITIES = {"green": "A greener Kestrel Vale", "people": "Thriving people", "homes": "Homes and places",
              "council": "A well-run council"}

#: One measure: ref, measure, service area, priority, category, good is, target, tolerance, unit ("%" for a
#: percentage, else the word printed after a figure or ""), the four earlier quarters' figures (oldest first),
#: this quarter's, the year-end forecast, the officer's RAG, and what the council printed: Status, Trend.
MEASURES = [
    ("KV-S01", "Household waste sent for reuse, recycling or composting", "Place", "green", "Service measure", "High",
     "50%", "", "%", (44.0, 45.5, 46.0, 47.2), 48.1, None, "", "Green", "Getting better"),
    ("KV-S02", "Missed bin collections per 100,000", "Place", "green", "Service measure", "Low",
     "60", "", "", (70, 66, 64, 62), 64, None, "", "Yellow", "Getting better"),
    ("KV-S03", "Days to process a new benefit claim", "Resources", "people", "Service measure", "Low",
     "20 days", "", "", (20.5, 21.0, 21.8, 22.1), 22.4, None, "", "Red", "Getting worse"),
    ("KV-S04", "Calls to the contact centre answered within 60 seconds", "Resources", "council", "Service measure",
     "High", "80%", "", "%", (71, 74, 76, 77), 76.0, None, "", "Green", "Better"),
    ("KV-S05", "Major planning applications decided in time", "Place", "homes", "Service measure", "High",
     "90%", "", "%", (93, 95, 91, 92), 94, None, "", "Green", "Same"),
    ("KV-S06", "Empty homes brought back into use", "Place", "homes", "Service measure", "High",
     "30", "", "", (22, 25, 28, 31), 27, None, "", "Yellow", "Getting better"),
    ("KV-S07", "Average days to re-let a council home", "Place", "homes", "Service measure", "Low",
     "28 days", "", "", (35, 33, 30, 31), 31, None, "", "Red", "Getting better"),
    ("KV-V01", "Children's social care assessments completed within 45 days", "People", "people", "Vital sign",
     "High", "85%", "", "%", (80, 82, 84, 86), 85, None, "", "Green", "Getting better"),
    ("KV-V02", "Adults whose care plan was reviewed in the last 12 months", "People", "people", "Vital sign",
     "High", "75%", "", "%", (74, 73, 73, 72), 72, None, "", "Yellow", "Getting worse"),
    ("KV-V03", "Households in temporary accommodation", "Place", "homes", "Vital sign", "Low",
     "120", "", "", (140, 138, 131, 128), 130, None, "", "Red", "Getting better"),
    ("KV-V04", "Sickness absence days per employee (rolling 12 months)", "Resources", "council", "Vital sign", "Low",
     "9 days", "", "", (10.2, 9.9, 9.6, 9.4), 9.4, None, "", "Yellow", "Getting better"),
    ("KV-V05", "Supplier invoices paid within 30 days", "Resources", "council", "Vital sign", "High",
     "95%", "", "%", (95.2, 94.8, 96.1, 95.5), 94.9, None, "", "Yellow", "No change"),
    ("KV-I01", "Adults on employment support who find work", "People", "people", "Improvement measure", "High",
     "40%", "", "%", (28, 30, 31, 33), 34, None, "", "Yellow", "Getting better"),
    ("KV-I02", "Fly-tipping cleared within 2 working days", "Place", "green", "Improvement measure", "High",
     "90%", "", "%", (82, 80, 79, 78), 77, None, "", "Red", "Worse"),
    ("KV-I03", "Residents satisfied with parks and open spaces", "Place", "green", "Improvement measure", "High",
     "80%", "", "%", (68, 70, 69, 70), 69, None, "", "Yellow", "No change"),
    ("KV-I04", "16-17 year olds not in education, employment or training", "People", "people",
     "Improvement measure", "Low", "4%", "", "%", (4.3, 4.2, 4.4, 4.3), 4.3, None, "", "Green", "No change"),
    ("KV-I05", "Re-referrals to children's social care within 12 months", "People", "people", "Improvement measure",
     "Low", "20%", "", "%", (24, 25, 26, 27), 28, None, "", "Red", "Getting worse"),
    ("KV-A01", "Affordable homes completed", "Place", "homes", "Annual target", "High",
     "240 homes (60 homes - Q2 profile)", "", "", (48, 55, 70, 52), 56, 236, "", "Red", "Getting better"),
    ("KV-A02", "Trees planted", "Place", "green", "Annual target", "High",
     "1,200 trees (300 trees - Q2 profile)", "", "", (0, 350, 500, 120), 280, 1250, "", "Yellow", "Getting better"),
    ("KV-A03", "Food waste collected", "Place", "green", "Annual target", "High",
     "2,000 tonnes (500 tonnes - Q2 profile)", "", "", (470, 480, 490, 505), 512, 2050, "", "Green",
     "Getting better"),
    ("KV-P01", "Town centre regeneration milestones met on time", "Place", "homes", "Project", "High",
     "100%", "close to target", "%", (100, 90, 80, 85), 80, None, "Yellow", "Yellow", "Getting worse"),
    ("KV-P02", "Leisure centre build: spend over profile", "Resources", "council", "Project", "Low",
     "0%", "close to target", "%", (2, 3, 5, 4), 6, None, "Red", "Red", "Getting worse"),
    ("KV-P03", "Council services used online", "Resources", "council", "Project", "High",
     "60%", "close to target", "%", (52, 55, 57, 59), 61, None, "Green", "Green", "Getting better"),
]

TRACKER_HEADINGS = ["KPI ref", "Measure", "Service area", "Council priority", "Category", "Good is", "Frequency",
                    "Target 2024/25", *(tracker for tracker, _ in EARLIER), "Q2 24/25", "Tolerance",
                    "Year-end forecast", "Officer RAG", "Notes"]
TABLE_HEADINGS = ["Ref", "Measure", "Category", "Good is", "Target", "Tolerance", *(table for _, table in EARLIER),
                  "Q2 2024/25", "Forecast", "Status", "Trend"]


def write_second_council(folder: Path = FOLDER) -> list[Path]:
    """Write Kestrel Vale's tracker and published table into ``folder`` (its rules and mapping are kept there by
    hand)."""
    folder.mkdir(parents=True, exist_ok=True)
    return [write_tracker(folder / TRACKER.name), write_table(folder / TABLE.name)]


def write_tracker(path: Path) -> Path:
    """The council's KPI tracker as it keeps it: a title and a notice above the headings, a read-me sheet first,
    percentages as Excel holds them, the officer's RAG beside the figures."""
    book = Workbook(str(path))
    book.set_properties({"title": "Kestrel Vale KPI tracker 2024/25 (illustrative)", "comments": ILLUSTRATIVE,
                         "created": document_time(QUARTER)})
    bold, percent = book.add_format({"bold": True}), book.add_format({"num_format": "0.0%"})
    header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "text_wrap": True, "border": 1})
    readme = book.add_worksheet("Read me")
    for row, text in enumerate((ILLUSTRATIVE, "The KPI tracker sheet holds every corporate measure: one row each, a "
                                "column per quarter. Categories decide the rules (see the council's performance "
                                "framework).")):
        readme.write(row, 0, text)
    sheet = book.add_worksheet("KPI tracker")
    sheet.write(0, 0, "Kestrel Vale Borough Council: corporate KPI tracker 2024/25", bold)
    sheet.write(1, 0, ILLUSTRATIVE)
    for col, heading in enumerate(TRACKER_HEADINGS):
        sheet.write(3, col, heading, header)
    for row, measure in enumerate(MEASURES, start=4):
        (ref, name, area, priority, category, good, target, tolerance, unit, earlier, now, forecast, officer,
         _, _) = measure
        cells = [ref, name, area, PRIORITIES[priority], category, good, "Q", target if unit or not target.isdigit()
                 else int(target)]
        for col, value in enumerate(cells):
            sheet.write(row, col, value)
        for col, figure in enumerate((*earlier, now), start=len(cells)):
            if unit == "%":
                sheet.write_number(row, col, round(figure / 100, 6), percent)
            else:
                sheet.write_number(row, col, figure)
        after = len(cells) + len(earlier) + 1
        sheet.write(row, after, tolerance)
        if forecast is not None:
            sheet.write_number(row, after + 1, forecast)
        sheet.write(row, after + 2, officer)
    sheet.set_column(1, 1, 48)
    sheet.set_column(2, len(TRACKER_HEADINGS) - 1, 12)
    sheet.freeze_panes(4, 2)
    book.close()
    return path


def write_table(path: Path) -> Path:
    """The council's published Q2 table as a CSV, as it printed it: figures with their units, its Status words and
    its Trend words, a notice above the headings."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([ILLUSTRATIVE])
        writer.writerow(TABLE_HEADINGS)
        for (ref, name, _, _, category, good, target, tolerance, unit, earlier, now, forecast, _, status,
             trend) in MEASURES:
            figures = [_printed(figure, unit) for figure in (*earlier, now)]
            writer.writerow([ref, name, category, good, target, tolerance, *figures,
                             "" if forecast is None else f"{forecast:,}", status, trend])
    return path


def _printed(figure: float, unit: str) -> str:
    return f"{figure:g}%" if unit == "%" else f"{figure:g}"
