"""Data quality: every problem Consolidate met, by file, sheet and cell.

A sheet ends at row 1,048,576. Findings past what the sheet holds are not
cut silently: the last row says how many more there are and names the CSV
beside the workbook that holds every one (:func:`findings_table`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ...framework.findings import Finding
from ..page_layout import fitted_height
from .layout import SMALL, Styles, print_report_sheet

if TYPE_CHECKING:  # pandas is imported only to write the CSV, so building a workbook never loads it
    import pandas as pd

HEADINGS = [("File", 34), ("Sheet", 12), ("Cell", 7), ("Ref", 14), ("Text", 30), ("Message", 80), ("Severity", 11)]
FIRST_ROW = 3  # 0-based: under the title, a blank row and the headings
LAST_ROW = 1_048_575  # 0-based: Excel's last row, 1,048,576
SEVERITIES = ("Error", "Warning", "Information")


def findings_on_sheet() -> int:
    """How many findings the sheet holds, from its first row to Excel's last."""
    return LAST_ROW - FIRST_ROW + 1


def write_data_quality_sheet(sheet, styles: Styles, quarter: str, findings: Sequence[Finding],
                             full_log: str = "") -> None:
    """Every finding, or as many as fit with a last row naming ``full_log`` (the CSV holding them all)."""
    sheet.write(0, 0, f"Data quality {quarter}: {len(findings)} finding(s)", styles.title)
    for col, (heading, width) in enumerate(HEADINGS):
        sheet.write_string(2, col, heading, styles.header)
        sheet.set_column(col, col, width)
    room = findings_on_sheet()
    shown = list(findings) if len(findings) <= room else [*findings[:room - 1], _more(findings[room - 1:], full_log)]
    for row, finding in enumerate(shown, start=FIRST_ROW):
        values = [finding.file, finding.sheet, finding.cell, finding.ref, finding.text, finding.message,
                  finding.severity]
        for col, value in enumerate(values):
            sheet.write_string(row, col, value, styles.text)
        sheet.set_row(row, fitted_height([(value, width) for value, (_, width) in zip(values, HEADINGS)],
                                         font_size=SMALL))
    last = max(len(shown) + FIRST_ROW - 1, FIRST_ROW)
    for severity, style in styles.severity.items():
        sheet.conditional_format(FIRST_ROW, 6, last, 6, {"type": "cell", "criteria": "==", "value": f'"{severity}"',
                                                         "format": style})
    sheet.autofilter(2, 0, last, len(HEADINGS) - 1)
    sheet.freeze_panes(3, 0)
    print_report_sheet(sheet, quarter, header_row=2)


def _more(left_out: Sequence[Finding], full_log: str) -> Finding:
    """The row standing for the findings the sheet cannot hold, as severe as the worst of them."""
    where = f"every finding is in {full_log}, beside this workbook" if full_log else \
        "run pmf consolidate for the full list as CSV"
    return Finding(file=full_log, message=f"{len(left_out):,} more findings do not fit on this sheet (a sheet ends "
                                          f"at row {LAST_ROW + 1:,}): {where}.",
                   severity=min((f.severity for f in left_out), key=SEVERITIES.index))


def findings_table(findings: Sequence[Finding]) -> pd.DataFrame:
    """Every finding as the sheet's table, for the CSV written beside the workbook when the sheet is full."""
    import pandas as pd

    return pd.DataFrame([[f.file, f.sheet, f.cell, f.ref, f.text, f.message, f.severity] for f in findings],
                        columns=[heading for heading, _ in HEADINGS])
