"""The website's charts as geometry for inline SVG: stacked bars of counts by state, and the risk heat map.

Inline SVG needs no script, no font and no request, prints sharply and
scales with the page. Every chart carries a sentence that says what it shows
in words (its text alternative), and the page puts the table of the same
figures under it: the chart is never the only way to the numbers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from pydantic import BaseModel

from ...framework.risks import SCALE, score_rag

WIDTH = 720
LABEL = 20  # the line of text above each bar, holding its name
BAR = 26
GAP = 14
LEGEND = 34
#: Narrower than this, a segment is too small to hold its count: the table and the segment's tooltip still do.
SMALLEST_LABELLED = 24


class Segment(BaseModel):
    state: str
    shown: str
    count: int
    x: float
    width: float

    @property
    def labelled(self) -> bool:
        return self.width >= SMALLEST_LABELLED


class Bar(BaseModel):
    name: str
    total: int
    y: float
    segments: list[Segment]
    end: float


class LegendKey(BaseModel):
    state: str
    shown: str
    x: float


class BarChart(BaseModel):
    """Horizontal stacked bars, one per row of a counts table, on one scale."""

    id: str
    title: str
    description: str
    width: int = WIDTH
    height: float
    bars: list[Bar]
    legend: list[LegendKey]


def stacked_bars(chart_id: str, title: str, noun: str, rows: Sequence[tuple[str, Counter]],
                 states: Sequence[str], shown: dict[str, str]) -> BarChart:
    """A bar per named row of counts by state; ``shown`` gives each state's name as the report shows it."""
    biggest = max((sum(counts[s] for s in states) for _, counts in rows), default=0) or 1
    scale = (WIDTH - 48) / biggest  # room after the longest bar for its total
    bars, y = [], 0.0
    for name, counts in rows:
        x, segments = 0.0, []
        for state in states:
            if counts[state]:
                width = counts[state] * scale
                segments.append(Segment(state=state, shown=shown[state], count=counts[state], x=x, width=width))
                x += width
        bars.append(Bar(name=name, total=sum(counts[s] for s in states), y=y, segments=segments, end=x))
        y += LABEL + BAR + GAP
    legend = [LegendKey(state=state, shown=shown[state], x=index * WIDTH / len(states))
              for index, state in enumerate(states)]
    described = "; ".join(f"{name}: " + (", ".join(f"{counts[s]} {shown[s]}" for s in states if counts[s])
                                         or f"no {noun}") for name, counts in rows)
    return BarChart(id=chart_id, title=title, height=y + LEGEND, bars=bars, legend=legend,
                    description=f"A bar for each of {len(rows)}, its {noun} by state. {described}. "
                                f"The table below gives the same figures.")


class HeatCell(BaseModel):
    likelihood: int
    impact: int
    band: str
    refs: list[str]


class HeatMap(BaseModel):
    """The 5×5 risk matrix: likelihood up the side (5 at the top), impact along the bottom."""

    id: str
    title: str
    description: str
    cells: list[HeatCell]
    unscored: list[str]

    def rows(self) -> list[list[HeatCell]]:
        """The matrix as printed, highest likelihood first."""
        return [[cell for cell in self.cells if cell.likelihood == likelihood]
                for likelihood in sorted(SCALE, reverse=True)]


def heat_map(chart_id: str, risks: Sequence[tuple[str, int | None, int | None]]) -> HeatMap:
    """Each (ref, likelihood, impact) placed in its cell, banded by its score as the register bands it."""
    placed: dict[tuple[int, int], list[str]] = {}
    unscored = []
    for ref, likelihood, impact in risks:
        if likelihood in SCALE and impact in SCALE:
            placed.setdefault((likelihood, impact), []).append(ref)
        else:
            unscored.append(ref)
    cells = [HeatCell(likelihood=likelihood, impact=impact, band=score_rag(likelihood * impact),
                      refs=placed.get((likelihood, impact), []))
             for likelihood in sorted(SCALE, reverse=True) for impact in SCALE]
    held = [cell for cell in cells if cell.refs]
    described = "; ".join(f"likelihood {c.likelihood} and impact {c.impact} ({c.band}): {len(c.refs)} "
                          f"({', '.join(c.refs)})" for c in held)
    return HeatMap(id=chart_id, title="Strategic risks by likelihood and impact", cells=cells, unscored=unscored,
                   description=f"A 5 by 5 grid of likelihood (1 to 5, up the side) against impact (1 to 5, along "
                               f"the bottom), each cell coloured by the band of its score and holding the number of "
                               f"risks there. {described or 'No risk is scored'}. The table below gives the same "
                               f"figures.")
