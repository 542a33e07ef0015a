"""pmf-excel: a council's Performance Management Framework in the workbooks it already uses.

The rules engine's public surface. Arguments are what a report or a cell holds:
text exactly as written, or numbers as Excel holds them.
"""

from .rules.errors import PMFValueError
from .rules.models import Assessment, Finding, Kind, MultiPartAssessment, Polarity, Target, Thresholds, Tolerance, Value
from .rules.parts import PartLabel, assess_parts
from .rules.polarity import read_polarity
from .rules.targets import read_target, read_tolerance
from .rules.values import read_value
from .rules.verdicts import assess, deliverable_rag, direction_of_travel, rag, read_measure, tolerance_breach

__all__ = [
    "Assessment", "Finding", "Kind", "MultiPartAssessment", "PMFValueError", "PartLabel", "Polarity", "Target",
    "Thresholds",
    "Tolerance", "Value", "assess", "assess_parts", "deliverable_rag", "direction_of_travel", "rag",
    "read_measure", "read_polarity", "read_target", "read_tolerance", "read_value", "tolerance_breach",
]
