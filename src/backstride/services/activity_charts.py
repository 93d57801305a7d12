"""Per-activity charts (pace, elevation, cadence, heart rate) as server-rendered SVG."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TypedDict

import altair as alt

from .charts import render_named
from .imports import ChartStream

MIN_SPEED_FOR_PACE = 1.0  # m/s: slower than 16:40 min/km is standing, not a pace worth drawing


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


def _pace(speed: float) -> float | None:
    return round(1000 / speed / 60, 2) if speed >= MIN_SPEED_FOR_PACE else None


CHARTS: tuple[tuple[str, str, str, Transform | None, bool], ...] = (
    ("pace", "Pace (min/km)", "speed_mps", _pace, True),
    ("elevation", "Elevation (m)", "altitude_m", None, False),
    ("cadence", "Cadence (steps/min)", "cadence_spm", None, False),
    ("heart_rate", "Heart rate (bpm)", "heart_rate_bpm", None, False),
)


def activity_charts(stream: ChartStream) -> list[ActivityChart]:
    """A chart for every channel the activity has."""
    charts: list[ActivityChart] = []
    for key, title, channel, transform, reverse in CHARTS:
        points = _series(stream, channel, transform)
        if len(points) < 2:
            continue
        values = sorted(point["value"] for point in points)
        svg = render_named(("activity", key), partial(_line, title, reverse), {"points": points})
        summary = f"{title}: from {values[0]:g} to {values[-1]:g}, median {values[len(values) // 2]:g}."
        charts.append({"key": key, "title": title, "svg": svg, "summary": summary})
    return charts


def _line(title: str, reverse: bool) -> alt.TopLevelMixin:
    return (
        alt.Chart(alt.Data(name="points"))
        .mark_line()
        .encode(
            x=alt.X("minutes:Q", title="minutes"),
            y=alt.Y("value:Q", title=title, scale=alt.Scale(zero=False, reverse=reverse)),
        )
        .properties(width=420, height=160, title=title)
        .configure_axis(labelFontSize=13, titleFontSize=13)
        .configure_title(fontSize=15)
    )
