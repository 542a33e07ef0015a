"""Where the samples' inputs are: package data, read through importlib.resources.

The council's published reports (as text), the measure notes, the Improvement
Plan, the risk register, the evidence and the comparators export with its
mapping ship inside the package (``pmf_excel/samples/data/``), so every command
that starts from them works from an installed wheel as it does from a checkout.
What is built from them (the catalogue JSON, the returns, the corporate
workbook) is written by ``pmf samples`` to the top-level ``samples/`` folder.
"""

from __future__ import annotations

from importlib.resources import files

DATA = files(__package__) / "data"
REPORTS = DATA / "reports"
INDICATOR_REPORT = REPORTS / "corporate_performance_report_2023-24_Q2.txt"
DELIVERABLES_REPORT = REPORTS / "corporate_plan_deliverables_2023-24_Q3.txt"
#: The quarter the indicator report is for: its figures pre-fill that quarter's returns and no other.
INDICATOR_REPORT_QUARTER = "2023/24 Q2"
MEASURE_NOTES = DATA / "measure_notes_2023-24.json"
PLAN = DATA / "improvement_plan_2023-24.json"
RISKS = DATA / "strategic_risks_2023-24.json"
EVIDENCE = DATA / "deliverable_evidence_2023-24.json"
BENCHMARKS = DATA / "benchmarks"
COMPARATORS = BENCHMARKS / "lg_inform_2023-24.csv"
MAPPING = BENCHMARKS / "mapping.csv"
