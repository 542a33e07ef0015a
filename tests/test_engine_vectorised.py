"""Many rows at once (pmf_excel/rules/vectorised.py): the edges the mutation run found no test pinning."""

from pmf_excel import direction_of_travel
from pmf_excel.rules.policy import DEFAULT_POLICY
from pmf_excel.rules.vectorised import dot_many

TEN_PERCENT_BAND = DEFAULT_POLICY.model_copy(update={"no_change_band": 0.1})


def test_a_change_exactly_on_the_no_change_bands_edge_is_no_change_row_by_row_and_at_once():
    current, previous = [110, 111, 90, 89], [100] * 4
    expected = ["No change", "Improving", "No change", "Worsening"]
    assert dot_many(current, previous, ["Bigger is better"] * 4, policy=TEN_PERCENT_BAND) == expected
    assert [direction_of_travel(c, p, "Bigger is better", policy=TEN_PERCENT_BAND)
            for c, p in zip(current, previous)] == expected
