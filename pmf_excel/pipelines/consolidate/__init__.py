"""Consolidate: read, check, judge and merge directorate returns into the corporate workbook."""

from ...workbooks.files import ConsolidationBlocked
from .run import ConsolidationSummary, consolidate

__all__ = ["ConsolidationBlocked", "ConsolidationSummary", "consolidate"]
