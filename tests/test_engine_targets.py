"""Reading targets and tolerances (pmf_excel/rules/targets.py): the edges the mutation run found no test pinning."""

from pmf_excel import Kind
from pmf_excel.rules.targets import in_target_unit


def test_a_figure_takes_its_percentage_targets_unit():
    held = in_target_unit(0.71, "86%")
    assert (held.kind, held.number, held.unit, held.annotations) == (Kind.PERCENTAGE, 0.71, "%", ())
