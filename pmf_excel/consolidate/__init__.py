"""Consolidate: read, check, judge and merge directorate returns into the corporate workbook."""

from .run import ConsolidationSummary, consolidate
from .safety import ConsolidationBlocked

__all__ = ["ConsolidationBlocked", "ConsolidationSummary", "consolidate"]
