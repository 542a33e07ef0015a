"""Data quality: every problem Consolidate met, by file, sheet and cell."""

from __future__ import annotations

from collections.abc import Sequence

from ...framework.findings import Finding
from .layout import Styles


def write_data_quality_sheet(sheet, styles: Styles, quarter: str, findings: Sequence[Finding]) -> None:
    sheet.write(0, 0, f"Data quality {quarter}: {len(findings)} finding(s)", styles.title)
    headings = [("File", 34), ("Sheet", 12), ("Cell", 7), ("Ref", 14), ("Text", 30), ("Message", 80),
                ("Severity", 11)]
    for col, (heading, width) in enumerate(headings):
        sheet.write_string(2, col, heading, styles.header)
        sheet.set_column(col, col, width)
    for row, finding in enumerate(findings, start=3):
        for col, value in enumerate([finding.file, finding.sheet, finding.cell, finding.ref, finding.text,
                                     finding.message, finding.severity]):
            sheet.write_string(row, col, value, styles.text)
    last = max(len(findings) + 2, 3)
    for severity, style in styles.severity.items():
        sheet.conditional_format(3, 6, last, 6, {"type": "cell", "criteria": "==", "value": f'"{severity}"',
                                                 "format": style})
    sheet.autofilter(2, 0, last, len(headings) - 1)
    sheet.freeze_panes(3, 0)
