"""Multi-part measures (pmf_excel/rules/parts.py): the edges the mutation run found no test pinning."""

from pmf_excel.rules.parts import assess_parts


def test_a_part_that_is_not_comparable_does_not_hide_another_parts_improvement():
    measure = assess_parts("A: 50% B: 60%", "55%", "5%", "Bigger is better", ["A", "B"], last_quarter="A: NA B: 50%")
    assert {label: part.dot_short for label, part in measure.parts.items()} == {"A": "Not comparable",
                                                                                  "B": "Improving"}
    assert measure.dot_short == "Improving"
