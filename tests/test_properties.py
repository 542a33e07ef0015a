"""Properties the rules must keep on any input, found by hypothesis."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmf_excel import PMFValueError, assess, deliverable_rag, direction_of_travel, rag, tolerance_breach
from pmf_excel.rules.parts import assess_parts

RANK = {"Green": 0, "Amber": 1, "Red": 2}
POLARITIES = ["Bigger is better", "Smaller is better"]

#: Figures as people type them: two decimal places at most, never scientific notation.
finite = st.integers(min_value=-10**8, max_value=10**8).map(lambda i: i / 100)
share = st.integers(min_value=0, max_value=5000).map(lambda i: i / 10_000)
distance = st.integers(min_value=0, max_value=10**6).map(lambda i: i / 100)
sign_of = {"Bigger is better": 1, "Smaller is better": -1}


def tolerances(target: float, polarity: str):
    """Every kind of tolerance, drawn so that its band lies on the worse side of the target."""
    sign = sign_of[polarity]
    return st.one_of(
        share,
        share.map(lambda s: f"{s * 100:.4f}%"),
        share.map(lambda s: f"{s * 100:.4f}pp"),
        st.just("NA"),
        distance.map(lambda d: f"{target - sign * d:.2f} (tolerance score)"),
        st.tuples(distance, distance).map(
            lambda ab: f"{target - sign * ab[0]:.2f} to {target - sign * (ab[0] + ab[1]):.2f}"),
    )


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), polarity=st.sampled_from(POLARITIES), target=finite, a=finite, b=finite)
def test_moving_performance_the_better_way_never_worsens_the_rag(data, polarity, target, a, b):
    tolerance = data.draw(tolerances(target, polarity))
    sign = sign_of[polarity]
    worse, better = sorted((a, b), key=lambda x: sign * x)
    assert RANK[rag(better, target, tolerance, polarity)] <= RANK[rag(worse, target, tolerance, polarity)]


@settings(max_examples=300)
@given(low=finite, width=distance, tolerance=st.sampled_from(
    ["NA", "<>10% of the range", "<>25% of the range", "5%"]), a=finite, b=finite)
def test_moving_towards_a_range_never_worsens_the_rag(low, width, tolerance, a, b):
    high = round(low + width, 2)
    target = f"{low:.2f} to {high:.2f}"
    distance = lambda x: max(low - x, 0, x - high)  # noqa: E731
    near, far = sorted((a, b), key=distance)
    assert RANK[rag(near, target, tolerance, "NA - dependent")] <= RANK[rag(far, target, tolerance, "NA - dependent")]


@settings(max_examples=400)
@given(performance=finite, target=finite, tolerance=st.one_of(share, st.just("NA"), st.just("3pp")))
def test_flipping_polarity_mirrors_the_result(performance, target, tolerance):
    bigger = rag(performance, target, tolerance, "Bigger is better")
    smaller = rag(-performance, -target, tolerance, "Smaller is better")
    assert bigger == smaller


@settings(max_examples=200)
@given(current=finite, previous=finite)
def test_flipping_polarity_mirrors_the_direction(current, previous):
    up = direction_of_travel(current, previous, "Bigger is better")
    down = direction_of_travel(current, previous, "Smaller is better")
    mirror = {"Improving": "Worsening", "Worsening": "Improving", "No change": "No change"}
    assert down == mirror[up]


anything = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="0123456789.,%£-+<>/: ()kmNATBCaeiostrny\n", max_size=30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(),
    st.none(),
    st.booleans(),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=1),
    st.dates(),
    st.times(),
    st.timedeltas(max_value=dt.timedelta(days=2), min_value=dt.timedelta(days=-2)),
    st.binary(max_size=4),
)


@settings(max_examples=1500, suppress_health_check=[HealthCheck.too_slow])
@given(performance=anything, target=anything, tolerance=anything, polarity=anything,
       previous=anything, base=anything)
def test_arbitrary_input_raises_nothing_but_pmf_value_error(performance, target, tolerance, polarity, previous, base):
    calls = [
        lambda: rag(performance, target, tolerance, polarity),
        lambda: rag(performance, target, tolerance, polarity, base=base),
        lambda: tolerance_breach(performance, target, tolerance, polarity),
        lambda: assess(performance, target, tolerance, polarity, last_quarter=previous, last_year=base),
        lambda: direction_of_travel(performance, previous, polarity),
        lambda: deliverable_rag(performance),
        lambda: assess_parts(performance, target, tolerance, polarity, ["litter", "T"], last_quarter=previous),
    ]
    for call in calls:
        try:
            call()
        except PMFValueError as error:
            assert isinstance(error, ValueError)
            assert "framework" in str(error) or "Expected" in str(error) or "Every column" in str(error)


@settings(max_examples=300)
@given(basis_points=st.integers(min_value=0, max_value=100_000), target=st.integers(0, 10_000),
       tolerance=st.integers(0, 50))
def test_percent_cells_and_typed_percentages_agree(basis_points, target, tolerance):
    cell, typed = basis_points / 10_000, f"{basis_points / 100}%"
    cell_target, typed_target = target / 10_000, f"{target / 100}%"
    for polarity in POLARITIES:
        assert rag(cell, cell_target, tolerance / 100, polarity) == rag(typed, typed_target, f"{tolerance}%", polarity)
