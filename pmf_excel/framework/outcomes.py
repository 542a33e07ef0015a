"""The council's strategic outcomes, in the Corporate Plan's order: how every report groups and orders them."""

from __future__ import annotations

from collections.abc import Iterable

OUTCOMES = (
    "The Best Start in Life for Children and Young People",
    "People Live Well and Age Well",
    "Strong Resilient Communities",
    "Quality Homes in Thriving Neighbourhoods",
    "A Strong and Inclusive Economy",
    "A Connected and Accessible Sandwell",
    "One Council One Team",
)


def in_plan_order(present: Iterable[str]) -> list[str]:
    """The strategic outcomes present, in the Corporate Plan's order; any the plan does not name follow, sorted."""
    present = set(present)
    return [o for o in OUTCOMES if o in present] + sorted(present - set(OUTCOMES))
