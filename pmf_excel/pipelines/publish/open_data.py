"""The quarter as open data: tidy CSV tables beside the website, with a data dictionary (a Frictionless Data
Package, ``datapackage.json``) that open data portals and Power BI read.

One row per indicator line (a multi-part measure's parts have their own
rows) and one per Corporate Plan action, every column described once, here,
for the CSV, the dictionary and the website's Open data page alike. Figures
are given twice: as the report prints them (``71%``) and as the number Excel
holds (0.71), so that nobody has to parse text.

A cell that a spreadsheet would run as a formula (text beginning with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return) is written with a leading
apostrophe: a downloaded file must never run anything when it is opened.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from pydantic import BaseModel

from ...framework.quarters import quarter_key, quarter_start
from ...rules.models import Value
from ...rules.targets import in_target_unit
from ...workbooks.corporate.report_reader import Report, ReportRow
from ...workbooks.csv_files import ENCODING, neutralised


class Column(BaseModel):
    """A column of an open data table: its name, its Table Schema type and what it means."""

    name: str
    type: str
    title: str
    description: str


class DataTable(BaseModel):
    """One open data table: a CSV file and its columns."""

    name: str
    path: str
    title: str
    description: str
    columns: list[Column]
    rows: list[dict[str, object]]


def _column(name: str, type_: str, title: str, description: str) -> Column:
    return Column(name=name, type=type_, title=title, description=description)


QUARTER_COLUMNS = [
    _column("quarter", "string", "Quarter", "The reporting quarter, as the council writes it: 2023/24 Q2."),
    _column("quarter_start", "date", "Quarter start", "The first day of the quarter (financial years start on "
                                                       "1 April), for charting over time."),
    _column("financial_year", "string", "Financial year", "The financial year, April to March: 2023/24."),
    _column("quarter_number", "integer", "Quarter number", "1 to 4; quarter 1 is April to June."),
]

INDICATOR_COLUMNS = [
    *QUARTER_COLUMNS,
    _column("strategic_outcome", "string", "Strategic outcome", "The Corporate Plan outcome the indicator is "
                                                                "reported under."),
    _column("directorate", "string", "Directorate", "The directorate that reports the indicator."),
    _column("ref", "string", "Reference", "The indicator's reference in the Corporate Plan (CP & D reference)."),
    _column("part", "string", "Part", "For a measure reported in parts (B12a, C14, O8a), the part this row is; "
                                      "blank for the measure itself, which shows its worst part."),
    _column("indicator", "string", "Indicator", "What is measured."),
    _column("polarity", "string", "Polarity", "Which way is better: Bigger is better, Smaller is better, or a "
                                              "range (NA - dependent)."),
    _column("target", "string", "Target", "The target as the council set it, in words and figures."),
    _column("tolerance", "string", "Tolerance", "How far from the target is still Amber: a share of the target "
                                                "(5%), points (5pp), a band (70.1%-75%) or a limit."),
    _column("performance", "string", "Performance", "The quarter's figure as the report prints it, in the "
                                                    "indicator's unit (71%, £207k, 1 min 27 secs)."),
    _column("performance_value", "number", "Performance value", "The same figure as the number a spreadsheet "
                                                                "holds: a percentage as a fraction (71% is 0.71), "
                                                                "money in pounds, a duration in days (as Excel "
                                                                "holds times). Blank when there is no figure."),
    _column("unit", "string", "Unit", "What performance_value measures: percentage, money, count, duration, "
                                      "days, rating, category or number."),
    _column("figure_for", "string", "Figure for", "The quarter the figure is for, when it is reported later than "
                                                  "the quarter it describes."),
    _column("last_quarter", "string", "Last quarter", "The figure for the previous quarter, as printed."),
    _column("direction_short_term", "string", "Direction of travel, short term",
            "Against the previous quarter: Improving, Worsening, No change or Not comparable."),
    _column("same_quarter_last_year", "string", "Same quarter last year", "The figure for the same quarter of the "
                                                                          "previous year, as printed."),
    _column("direction_long_term", "string", "Direction of travel, long term",
            "Against the same quarter last year: Improving, Worsening, No change or Not comparable."),
    _column("rag", "string", "RAG rating", "Green (on or better than target), Amber (worse but within "
                                           "tolerance), Red (outside tolerance), or why there is none (No target, "
                                           "No data, Not due)."),
    _column("breach", "boolean", "Tolerance breached", "true exactly when the rating is Red; blank when there is "
                                                       "no target or no figure."),
    _column("reason", "string", "Reason", "Why the rating is what it is, in words."),
    _column("commentary", "string", "Commentary", "The directorate's commentary: what is behind the figure and "
                                                  "what is being done."),
]

ACTION_COLUMNS = [
    *QUARTER_COLUMNS,
    _column("strategic_outcome", "string", "Strategic outcome", "The Corporate Plan outcome the action serves."),
    _column("directorate", "string", "Directorate", "The directorate delivering the action."),
    _column("cp_ref", "string", "Corporate Plan reference", "The Corporate Plan commitment's reference."),
    _column("commitment", "string", "Corporate Plan commitment", "The commitment, as the Corporate Plan words it."),
    _column("bp_ref", "string", "Business plan reference", "The directorate action's code (CH11, BE44)."),
    _column("action", "string", "Action", "What the directorate is doing."),
    _column("status", "string", "Status", "As the directorate reported it: On Track, Medium Issue/Slippage, "
                                          "Significant issues/risks/slippage, Complete, or No update available."),
    _column("rag", "string", "RAG rating", "The status as a rating: Green, Amber, Red, Complete or No update."),
    _column("update", "string", "Update", "The directorate's update on progress."),
]


def open_data(report: Report) -> list[DataTable]:
    """The quarter's indicators and Corporate Plan actions as tidy tables."""
    actions_quarter = report.actions_quarter or report.quarter
    names = {row.text("Ref"): row.text("Indicator") for row in report.indicators}  # a part's row names its part
    return [
        DataTable(name="indicators", path=f"indicators-{_stem(report.quarter)}.csv", columns=INDICATOR_COLUMNS,
              title=f"Corporate Plan indicators {report.quarter}",
              description="One row per indicator, and per part of a measure reported in parts: the figure, its "
                          "target, the RAG rating, both directions of travel, the reason and the commentary.",
              rows=[_indicator(report, row, names) for row in report.indicators]),
        DataTable(name="actions", path=f"actions-{_stem(actions_quarter)}.csv", columns=ACTION_COLUMNS,
              title=f"Corporate Plan actions {actions_quarter}",
              description="One row per Corporate Plan action (deliverable): its status, rating and update.",
              rows=[_action(report, row) for row in report.deliverables]),
    ]


def _stem(quarter: str) -> str:
    return quarter.replace("/", "-").replace(" ", "-")


def _quarter(quarter: str) -> dict[str, object]:
    return {"quarter": quarter, "quarter_start": quarter_start(quarter).isoformat(),
            "financial_year": quarter.split()[0], "quarter_number": quarter_key(quarter)[1]}


def _indicator(report: Report, row: ReportRow, names: dict[str, str]) -> dict[str, object]:
    ref, _, part = row.text("Ref").partition(" › ")
    figure = row.cells.get("Performance")
    value = in_target_unit(figure, row.text("Target"))
    number = figure if isinstance(figure, (int, float)) and not isinstance(figure, bool) else None
    breach = row.cells.get("Breach")
    return {**_quarter(report.quarter), "strategic_outcome": row.text("Strategic outcome"),
            "directorate": row.text("Directorate"), "ref": ref, "part": part,
            "indicator": names.get(ref, row.text("Indicator")).strip(),
            "polarity": row.text("Polarity"), "target": row.text("Target"), "tolerance": row.text("Tolerance"),
            "performance": row.text("Performance"), "performance_value": number,
            "unit": value.kind.value if isinstance(value, Value) else ("number" if number is not None else ""),
            "figure_for": row.text("Figure for"), "last_quarter": row.text("Last quarter"),
            "direction_short_term": row.text("DOT short term"),
            "same_quarter_last_year": row.text("Same quarter last year"),
            "direction_long_term": row.text("DOT long term"), "rag": row.text("RAG"),
            "breach": breach if isinstance(breach, bool) else None, "reason": row.text("Why"),
            "commentary": row.text("Commentary")}


def _action(report: Report, row: ReportRow) -> dict[str, object]:
    return {**_quarter(report.actions_quarter or report.quarter), "strategic_outcome": row.text("Strategic outcome"),
            "directorate": row.text("Directorate"), "cp_ref": row.text("CP ref"),
            "commitment": row.text("Corporate Plan commitment"), "bp_ref": row.text("BP ref"),
            "action": row.text("Action"), "status": row.text("Status"), "rag": row.text("RAG"),
            "update": row.text("Update")}


def write_open_data(report: Report, tables: list[DataTable], folder: Path) -> list[Path]:
    """Each table as CSV and the data dictionary describing them, into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in tables:
        path = folder / table.path
        with path.open("w", encoding=ENCODING, newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow([column.name for column in table.columns])
            writer.writerows([_csv_cell(row[column.name]) for column in table.columns] for row in table.rows)
        written.append(path)
    dictionary = folder / "datapackage.json"
    dictionary.write_text(json.dumps(data_package(report, tables), indent=2, ensure_ascii=False) + "\n",
                          encoding="utf-8")
    return [*written, dictionary]


def data_package(report: Report, tables: list[DataTable]) -> dict[str, object]:
    """The data dictionary as a Frictionless Data Package: each file, its columns, their types and meanings."""
    return {
        "profile": "tabular-data-package",
        "name": "corporate-performance-" + report.quarter.replace("/", "-").replace(" ", "-").lower(),
        "title": f"Corporate Performance Report {report.quarter}",
        "description": f"The council's quarterly performance against its Corporate Plan, {report.quarter}: every "
                       f"indicator with its rating and every Corporate Plan action with its status, as the "
                       f"performance team consolidated them. Ratings follow the rules named {report.policy.label}.",
        "resources": [{"name": table.name, "path": table.path, "profile": "tabular-data-resource",
                       "title": table.title, "description": table.description, "format": "csv",
                       "mediatype": "text/csv", "encoding": ENCODING,
                       "schema": {"fields": [column.model_dump() for column in table.columns]}}
                      for table in tables],
    }


def _csv_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.15g}"
    return neutralised(value) if isinstance(value, str) else value
