"""Per-activity charts (pace, elevation, cadence, heart rate) as server-rendered SVG.

Drawn about a phone's width (CHART_WIDTH) with large text; the page scales each one to its
container (viewBox, width 100%), so the text stays readable at 390 px and grows on a desktop. Pace is
minutes per kilometre or per mile (the runner's unit), its axis labelled mm:ss as runners read it."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TypedDict

import altair as alt

from backstride.core.pace import DEFAULT_UNIT, UNIT_LABELS, clock_text, pace_minutes

from .charts import CHART_WIDTH, render_named
from .imports import ChartStream

MIN_SPEED_FOR_PACE = 1.0  # m/s: slower than 16:40 min/km is standing, not a pace worth drawing
# Vega expression: 5.05 (minutes) -> "5:03"
CLOCK_LABEL = "floor(datum.value) + ':' + format(round((datum.value % 1) * 60) % 60, '02d')"


class ActivityChart(TypedDict):
    """One chart of the activity page."""

    key: str  # pace, elevation, cadence, heart_rate: the figure's id on the page
    title: str
    svg: str
    summary: str  # the chart in one sentence, for screen readers and print


Transform = Callable[[float], float | None]


def _series(stream: ChartStream, key: str, transform: Transform | None = None) -> list[dict[str, float]]:
    points = []
    for minute_s, value in zip(stream.get("time_s", []), stream.get(key, []), strict=False):
        if value is None or minute_s is None:  # time_s always has a value (core.chart_stream)
            continue
        value = transform(value) if transform else value
        if value is not None:
            points.append({"minutes": round(minute_s / 60, 2), "value": value})
    return points


def _pace(unit: str, speed: float) -> float | None:
    return round(pace_minutes(speed, unit), 3) if speed >= MIN_SPEED_FOR_PACE else None


def _charts(unit: str) -> tuple[tuple[str, str, str, Transform | None, bool], ...]:
    return (
        ("pace", f"Pace (min/{UNIT_LABELS.get(unit, 'km')})", "speed_mps", partial(_pace, unit), True),
        ("elevation", "Elevation (m)", "altitude_m", None, False),
        ("cadence", "Cadence (steps/min)", "cadence_spm", None, False),
        ("heart_rate", "Heart rate (bpm)", "heart_rate_bpm", None, False),
    )


def activity_charts(stream: ChartStream, unit: str = DEFAULT_UNIT) -> list[ActivityChart]:
    """A chart for every channel the activity has."""
    charts: list[ActivityChart] = []
    for key, title, channel, transform, reverse in _charts(unit):
        points = _series(stream, channel, transform)
        if len(points) < 2:
            continue
        values = sorted(point["value"] for point in points)
        clock = key == "pace"
        build = partial(_line, title, reverse, clock)
        svg = render_named(("activity", key, title), build, {"points": points})
        low, high, median = values[0], values[-1], values[len(values) // 2]
        shown = clock_text if clock else (lambda value: f"{value:g}")
        summary = f"{title}: from {shown(low)} to {shown(high)}, median {shown(median)}."
        charts.append({"key": key, "title": title, "svg": svg, "summary": summary})
    return charts


def _line(title: str, reverse: bool, clock: bool) -> alt.TopLevelMixin:
    axis = alt.Axis(labelExpr=CLOCK_LABEL, tickCount=5) if clock else alt.Axis(tickCount=5)
    return (
        alt.Chart(alt.Data(name="points"))
        .mark_line(strokeWidth=2)
        .encode(
            x=alt.X("minutes:Q", title="minutes", axis=alt.Axis(tickCount=5)),
            y=alt.Y("value:Q", title=None, axis=axis, scale=alt.Scale(zero=False, reverse=reverse)),
        )
        .properties(width=CHART_WIDTH, height=170, title=title)
        .configure_axis(labelFontSize=14, titleFontSize=14, labelOverlap=True)
        .configure_title(fontSize=16, anchor="start")
    )
