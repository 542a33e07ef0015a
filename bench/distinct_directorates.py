"""N distinct directorates' filled returns: the council's catalogue copied under renamed directorates and refs.

Copying the same nine returns under new names is no scale test: every copy
after the first is refused as a second return for its directorate. Here each
copy of the catalogue has its own directorates (``Housing 2``) and refs
(``H1-2``), so every return is accepted and every measure, action,
improvement action and risk in it is judged. The first copy is the
council's own catalogue as it is.
"""

from __future__ import annotations

from pathlib import Path

from pmf_excel.framework.catalogue import PART_SEPARATOR, Catalogue
from pmf_excel.samples.build import sample_notes, sample_plan, sample_register
from pmf_excel.samples.catalogue_from_report import published_figures
from pmf_excel.samples.sources import INDICATOR_REPORT, INDICATOR_REPORT_QUARTER
from pmf_excel.workbooks.directorate_return import write_returns

ROOT = Path(__file__).resolve().parent.parent
QUARTER = INDICATOR_REPORT_QUARTER


def council_catalogue() -> Catalogue:
    return Catalogue.model_validate_json((ROOT / "samples" / "catalogue_2023-24.json").read_text(encoding="utf-8"))


def renamed(name: str, copy: int) -> str:
    """A directorate or ref of the ``copy``-th copy: the first copy keeps the council's own."""
    return name if copy == 0 else f"{name}-{copy + 1}"


def _line(ref: str, copy: int) -> str:
    """A measure line's ref (``C14 › litter``) in a copy: its measure's ref renamed, its part kept."""
    measure, separator, part = ref.partition(PART_SEPARATOR)
    return renamed(measure, copy) + separator + part


def copies_for(catalogue: Catalogue, directorates: int) -> int:
    """How many copies of the catalogue hold ``directorates`` directorates."""
    return -(-directorates // len(catalogue.directorates()))


def scaled_catalogue(catalogue: Catalogue, directorates: int) -> Catalogue:
    """The catalogue copied until it has ``directorates`` directorates, each copy's directorates and refs renamed."""
    names = catalogue.directorates()
    copies = copies_for(catalogue, directorates)
    kept = [(copy, name) for copy in range(copies) for name in names][:directorates]
    chosen = {renamed(name, copy): copy for copy, name in kept}

    def copied(items, fields=("ref", "directorate")):
        return [item.model_copy(update={field: renamed(getattr(item, field), copy) for field in fields})
                for copy in range(copies) for item in items
                if renamed(item.directorate, copy) in chosen]

    measures = copied(catalogue.measures, ("ref", "printed_ref", "directorate"))
    actions = copied(catalogue.actions)
    in_copy = {item.ref: chosen[item.directorate] for item in measures + actions}
    return catalogue.model_copy(update={
        "measures": measures, "actions": actions,
        "improvement_plan": copied(catalogue.improvement_plan), "risks": copied(catalogue.risks),
        "evidence": [evidence.model_copy(update={"ref": renamed(evidence.ref, copy)})
                     for copy in range(copies) for evidence in catalogue.evidence
                     if in_copy.get(renamed(evidence.ref, copy)) == copy],
        "earlier_figures": [figure.model_copy(update={"ref": _line(figure.ref, copy)})
                            for copy in range(copies) for figure in catalogue.earlier_figures
                            if in_copy.get(renamed(figure.ref.split(PART_SEPARATOR)[0], copy)) == copy]})


def write_distinct_returns(catalogue: Catalogue, copies: int, folder: Path) -> list[Path]:
    """Every directorate's return of a catalogue of ``copies`` copies, filled as the samples' Q2 returns are:
    the published figures and commentary, the Improvement Plan's and the register's Q2 updates, each under its
    copy's refs."""
    figures = published_figures(INDICATOR_REPORT, sample_notes())
    plan = sample_plan().returns[QUARTER]
    register = sample_register().returns[QUARTER]
    return write_returns(
        catalogue, QUARTER, folder, filled=True,
        figures={renamed(ref, copy): row.model_copy(update={"ref": renamed(ref, copy)})
                 for copy in range(copies) for ref, row in figures.items()},
        plan={renamed(u.ref, copy): u.model_copy(update={"ref": renamed(u.ref, copy)})
              for copy in range(copies) for u in plan},
        risks={renamed(u.ref, copy): u.model_copy(update={"ref": renamed(u.ref, copy)})
               for copy in range(copies) for u in register})


def write_bench_inputs(council: Catalogue, directorates: int, scratch: Path) -> tuple[Path, Path]:
    """The filled returns of ``directorates`` distinct directorates, in a folder of ``scratch``, and their
    catalogue as JSON beside it (what a consolidation in another process reads): the folder and the file."""
    catalogue = scaled_catalogue(council, directorates)
    folder = scratch / f"returns {directorates}"
    write_distinct_returns(catalogue, copies_for(council, directorates), folder)
    catalogue_json = scratch / f"catalogue {directorates}.json"
    catalogue_json.write_text(catalogue.model_dump_json(), encoding="utf-8")
    return folder, catalogue_json
