"""The samples: the council's 2023/24 returns and corporate workbook rebuilt from its published reports.

Each figure stays in the quarter the council reported it in: the indicators
of the Q2 report (004) fill the 2023/24 Q2 returns, and the action statuses
of the Q3 deliverables update (003) fill the 2023/24 Q3 returns, whose
indicators are left for the co-ordinators (their last quarter is Q2's
published figure). The Improvement Plan and the risk register, built from
what 002 and 000 say (``data/improvement_plan_2023-24.json`` and
``data/strategic_risks_2023-24.json`` mark what is illustrative), are returned in
Q2, the quarter of 002's November report; the Q3 returns carry them forward
from Q2's History, as the New quarter returns button would. Comparators typed
in 004's commentary come in through an LG Inform style export
(``data/benchmarks/``), and the evidence behind some actions' statuses
(``data/deliverable_evidence_2023-24.json``) is checked in Q3. Both quarters are
consolidated into one corporate workbook, so its History holds both, and it
is left showing what the council published: Q2's indicators (with Q2's
Improvement Plan and risks) and, in their own quarter, Q3's deliverables,
so that its Dashboard, Exceptions and pack have figures in them.
"""

from __future__ import annotations

from pathlib import Path

from ..framework.benchmarks import import_comparators, read_mapping_csv
from ..framework.catalogue import Catalogue
from ..framework.evidence import EvidenceSet
from ..framework.improvement_plan import ImprovementPlanData
from ..framework.risks import RiskRegisterData
from ..pipelines.consolidate import ConsolidationSummary, consolidate
from ..pipelines.consolidate.run import Progress
from ..pipelines.rollover import plan_and_risks_carried
from ..workbooks.directorate_return import write_returns
from ..workbooks.files import document_time, keep_previous
from ..workbooks.history_sheets import read_history
from .catalogue_from_report import build_catalogue, cleaning_log, published_figures
from .judged_report import MeasureNotes
from .seed_reports import read_deliverables_report
from .sources import (COMPARATORS, DELIVERABLES_REPORT, EVIDENCE, INDICATOR_REPORT, INDICATOR_REPORT_QUARTER,
                      MAPPING, MEASURE_NOTES, PLAN, RISKS)

Q2, Q3 = INDICATOR_REPORT_QUARTER, "2023/24 Q3"
#: The summaries' key of what the workbook is left showing: Q2's indicators, Q3's deliverables.
SHOWN = "shown"
WORKBOOK = "Corporate monitoring 2023-24.xlsx"


def build_samples(out: Path, progress: Progress | None = None) -> dict[str, ConsolidationSummary]:
    """Build the catalogue and its log, both quarters' returns and the corporate workbook into ``out``.

    Returns each quarter's consolidation, Q3's before the workbook was left
    showing Q2's indicators beside Q3's deliverables (:data:`SHOWN`), that
    last one under :data:`SHOWN`.

    Every file records its quarter's date as when it was made (or
    ``SOURCE_DATE_EPOCH``), so rebuilding from unchanged inputs changes no byte.
    """
    out.mkdir(parents=True, exist_ok=True)
    plan, register = sample_plan(), sample_register()
    catalogue = sample_catalogue()
    (out / "catalogue_2023-24.json").write_text(catalogue.model_dump_json(indent=1) + "\n", encoding="utf-8")
    (out / "catalogue_cleaning_log.md").write_text(cleaning_log(catalogue), encoding="utf-8")
    published = published_figures(INDICATOR_REPORT, sample_notes())
    q2 = out / "returns" / "2023-24 Q2"
    write_returns(catalogue, Q2, q2, figures=published, filled=True,
                  plan={update.ref: update for update in plan.returns[Q2]},
                  risks={update.ref: update for update in register.returns[Q2]})
    workbook = out / WORKBOOK
    keep_previous(workbook)  # built from scratch: an earlier build's History must not leak into this one
    comparators = import_comparators(COMPARATORS, catalogue.benchmark_map, "Sandwell")
    summaries = {Q2: consolidate(q2, workbook, catalogue, Q2, progress=progress, comparators=comparators,
                                 made=document_time(Q2))}
    q3 = out / "returns" / "2023-24 Q3"
    after_q2 = {ref: row.model_copy(update={"last_quarter": row.performance, "last_year": ""})
                for ref, row in published.items()}
    write_returns(catalogue, Q3, q3, figures=after_q2,
                  updates={row.line: row for row in read_deliverables_report(DELIVERABLES_REPORT)},
                  **plan_and_risks_carried(read_history(workbook), Q3))
    summaries[Q3] = consolidate(q3, workbook, catalogue, Q3, progress=progress, made=document_time(Q3))
    summaries[SHOWN] = consolidate(q2, workbook, catalogue, Q2, progress=progress, deliverables_from=(q3, Q3),
                                   made=document_time(Q3))
    return summaries


def sample_plan() -> ImprovementPlanData:
    return ImprovementPlanData.model_validate_json(PLAN.read_text(encoding="utf-8"))


def sample_register() -> RiskRegisterData:
    return RiskRegisterData.model_validate_json(RISKS.read_text(encoding="utf-8"))


def sample_catalogue() -> Catalogue:
    """The basket of measures and actions from 004 and 003, with the Improvement Plan and risk register."""
    catalogue = build_catalogue(INDICATOR_REPORT, sample_notes(), DELIVERABLES_REPORT)
    return Catalogue.model_validate(catalogue.model_dump() | {
        "improvement_plan": sample_plan().actions, "risks": sample_register().risks,
        "benchmark_map": read_mapping_csv(MAPPING), "evidence": sample_evidence().items})


def sample_notes() -> MeasureNotes:
    return MeasureNotes.load(MEASURE_NOTES)


def sample_evidence() -> EvidenceSet:
    return EvidenceSet.model_validate_json(EVIDENCE.read_text(encoding="utf-8"))
