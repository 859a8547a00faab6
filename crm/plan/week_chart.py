"""The Plan's weekly chart laid out for SVG: bars, a labelled y-scale and week labels. Pure.

The drawing is sized in CSS pixels at a phone's width (WIDTH), so its text reads at 11 px
there and the figure only grows on a wider screen. Week labels are spaced so that no two
overlap, whatever the number of weeks.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

WIDTH = 360
HEIGHT = 190
LEFT = 30  # room for the y-scale's numbers
TOP = 22  # room for the y-scale's label
BOTTOM = 20  # room for the week labels
# The widest week label ("30 Sep"), centred under its week, with a gap beside it.
LABEL_WIDTH = 44
RIGHT = LABEL_WIDTH // 2  # so the newest week's label fits
BAR_GAP = 1.0
NICE_STEPS = (1, 2, 5)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int
    title: str


@dataclass(frozen=True)
class Tick:
    y: float
    value: int


@dataclass(frozen=True)
class WeekLabel:
    x: float
    text: str


@dataclass(frozen=True)
class WeekChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    baseline: float
    bars: list[Bar]
    ticks: list[Tick]
    labels: list[WeekLabel]


def nice_step(peak: int, most_ticks: int = 4) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50... that reaches `peak` in `most_ticks` steps."""
    magnitude = 1
    while True:
        for base in NICE_STEPS:
            step = base * magnitude
            if step * most_ticks >= peak:
                return step
        magnitude *= 10


def week_chart(weeks: Sequence[date], series: Mapping[str, Sequence[int]]) -> WeekChart:
    """Lay out one group of bars per week (one bar per series) over a y-scale from 0."""
    peak = max([1, *(value for values in series.values() for value in values)])
    step = nice_step(peak)
    top = step * math.ceil(peak / step)
    plot_height = HEIGHT - TOP - BOTTOM
    baseline = HEIGHT - BOTTOM
    group = (WIDTH - LEFT - RIGHT) / max(len(weeks), 1)
    bar_width = (group - 3 * BAR_GAP) / max(len(series), 1) - BAR_GAP
    bars = [
        Bar(
            x=round(LEFT + i * group + BAR_GAP * 2 + s * (bar_width + BAR_GAP), 2),
            y=round(baseline - plot_height * value / top, 2),
            width=round(bar_width, 2),
            height=round(plot_height * value / top, 2),
            series=s,
            title=f"{name}, week of {week.strftime('%d %b')}: {value}",
        )
        for s, (name, values) in enumerate(series.items())
        for i, (week, value) in enumerate(zip(weeks, values, strict=True))
    ]
    ticks = [
        Tick(y=round(baseline - plot_height * value / top, 2), value=value)
        for value in range(0, top + 1, step)
    ]
    every = max(1, math.ceil(LABEL_WIDTH / group))
    # Counted back from the newest week, so this week is always labelled.
    labels = [
        WeekLabel(x=round(LEFT + (i + 0.5) * group, 2), text=week.strftime("%d %b"))
        for i, week in enumerate(weeks)
        if (len(weeks) - 1 - i) % every == 0
    ]
    return WeekChart(WIDTH, HEIGHT, LEFT, WIDTH - RIGHT, baseline, bars, ticks, labels)
