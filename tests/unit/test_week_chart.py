"""The Plan's weekly chart: a y-scale in round numbers, bars to scale, labels that never overlap."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from crm.plan.week_chart import HEIGHT, LABEL_WIDTH, WIDTH, nice_step, week_chart

WEEKS = [date(2026, 9, 14) + timedelta(weeks=n) for n in range(12)]


@pytest.mark.parametrize(
    ("peak", "step"), [(1, 1), (4, 1), (5, 2), (8, 2), (9, 5), (20, 5), (21, 10), (380, 100)]
)
def test_the_scale_steps_in_round_numbers_and_reaches_the_peak(peak, step):
    assert nice_step(peak) == step
    assert nice_step(peak) * 4 >= peak


def test_bars_stand_on_the_baseline_and_the_tallest_reaches_the_top_tick():
    series = {"Outreach": [0, 3, 7, 1] + [0] * 8, "Replies": [0, 1, 2, 0] + [0] * 8}
    chart = week_chart(WEEKS, series)
    assert [t.value for t in chart.ticks] == [0, 2, 4, 6, 8]
    tallest = max(chart.bars, key=lambda bar: bar.height)
    assert tallest.title == "Outreach, week of 28 Sep: 7"
    top = chart.ticks[-1]
    assert tallest.y == pytest.approx(chart.baseline - (chart.baseline - top.y) * 7 / 8)
    for bar in chart.bars:
        assert bar.y + bar.height == pytest.approx(chart.baseline)
        assert bar.x >= 0 and bar.x + bar.width <= WIDTH
    assert 0 < top.y < HEIGHT


def test_week_labels_are_spaced_wider_than_a_label_and_this_week_is_labelled():
    for count in (1, 4, 12, 26, 52):
        weeks = [date(2026, 1, 5) + timedelta(weeks=n) for n in range(count)]
        chart = week_chart(weeks, {"Outreach": [1] * count})
        xs = [label.x for label in chart.labels]
        assert all(b - a >= LABEL_WIDTH for a, b in zip(xs, xs[1:], strict=False)), count
        assert chart.labels[-1].text == weeks[-1].strftime("%d %b")
        assert xs[-1] + LABEL_WIDTH / 2 <= WIDTH


def test_an_empty_chart_still_has_a_scale():
    chart = week_chart(WEEKS, {"Outreach": [0] * 12})
    assert [t.value for t in chart.ticks] == [0, 1]
    assert all(bar.height == 0 for bar in chart.bars)
