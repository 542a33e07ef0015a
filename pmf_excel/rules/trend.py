"""The direction of travel by trend: a least-squares line over the current figure and the earlier periods'.

Some councils print the trend over the last four or five quarters rather than
a comparison with one earlier figure. The slope of the fitted line is a sum
of the figures, each times a weight that depends only on which periods hold a
figure, so it is ``constant + weight × current``: the engine works out the
constant and the weight from the earlier figures once, and a return's native
Excel formula finishes the sum as the co-ordinator types this quarter's
figure, giving exactly the engine's answer.
"""

from __future__ import annotations

from typing import NamedTuple

from .models import DotResult


class TrendFit(NamedTuple):
    """The parts of a trend that do not depend on the current figure.

    The slope per period is ``constant + weight * current``; the trend's change
    over the periods it spans is the slope times ``span``; a relative
    no-change band is a share of ``reference``, the earlier figures' mean.
    """

    constant: float
    weight: float
    span: float
    reference: float
    periods: int

    def change(self, current: float) -> float:
        """How far the fitted line moves from its first period to the current one."""
        return (self.constant + self.weight * current) * self.span


#: A trend needs the current figure and at least this many earlier ones: two points always fit a line exactly.
MIN_EARLIER = 2


def fit_trend(earlier: list[float | None]) -> TrendFit | None:
    """The trend's parts from the earlier periods' figures, latest first, a None keeping its period's place; None
    when fewer than :data:`MIN_EARLIER` are there."""
    points = [(-(index + 1), figure) for index, figure in enumerate(earlier) if figure is not None]
    if len(points) < MIN_EARLIER:
        return None
    positions = [0.0] + [float(x) for x, _ in points]
    mean = sum(positions) / len(positions)
    spread = sum((x - mean) ** 2 for x in positions)
    constant = sum((x - mean) / spread * y for x, y in points)
    return TrendFit(constant=constant, weight=(0.0 - mean) / spread, span=-float(points[-1][0]),
                    reference=sum(y for _, y in points) / len(points), periods=len(positions))


def compare_trend(change: float, fit: TrendFit, sign: int, band: float) -> DotResult:
    """Improving, Worsening or No change for a trend's ``change``, in the polarity's ``sign``: No change within
    ``band`` (the policy's no-change width for the earlier figures' mean) or within rounding."""
    if abs(change) <= max(1e-9 * abs(fit.reference) + 1e-12, band):
        return "No change"
    return "Improving" if change * sign > 0 else "Worsening"
