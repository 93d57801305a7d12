"""The report's chart, drawn for paper: pain against weekly distance, readable in black and white.
Weekly km are grey bars (left axis), pain a black line with dots (right axis), flares shaded bands
labelled "flare", spikes open triangles, days with a safety answer dashed lines, and a week whose
2-week progression passed 30% carries its percentage above its bar. Vector SVG from services.charts
(rendered once per shape, sanitised); the page says the same in words beside it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import altair as alt

from .charts import Rows, render_named
from .report_types import PainSection

WIDTH, HEIGHT = 600, 230
INK, BAR = "#000000", "#c8c8c8"


def pain_chart_svg(pain: PainSection) -> str | None:
    """The chart of the pain section; None with neither pain nor distance to draw."""
    if not pain["days"] and not any(week["distance_m"] for week in pain["weekly_distance"]):
        return None
    datasets: dict[str, Rows] = {
        "bars": [
            {
                "start": week["week_start"],
                "end": (date.fromisoformat(week["week_start"]) + timedelta(days=7)).isoformat(),
                "km": round(week["distance_m"] / 1000, 1),
            }
            for week in pain["weekly_distance"]
        ],
        "pain": [{"day": day["day"], "pain": day["pain"]} for day in pain["days"]],
        "flares": [
            {
                "start": flare["start"],
                "end": (date.fromisoformat(flare["end"]) + timedelta(days=1)).isoformat(),
                "label": "flare",
            }
            for flare in pain["flares"]
        ],
        "flags": [{"day": day} for day in pain["red_flag_days"]],
        "spikes": [{"day": spike["day"]} for spike in pain["spikes"]],
        "progression": [
            {
                "middle": (date.fromisoformat(row["week_start"]) + timedelta(days=3, hours=12)).isoformat(),
                "km": round(row["distance_m"] / 1000, 1),
                "label": f"+{row['percent']:.0f}%",
            }
            for row in pain["progression"]
            if row["flagged"] and row["percent"] is not None
        ],
    }
    layers = tuple(name for name, rows in datasets.items() if rows or name == "bars")
    return render_named(("report_pain", layers), lambda: _chart(layers), datasets)


def _chart(layers: tuple[str, ...]) -> alt.TopLevelMixin:
    time_axis = alt.Axis(format="%d %b", labelAngle=0, tickCount=6, labelOverlap=True, grid=False)
    x = alt.X("day:T", title=None, axis=time_axis)
    km_layers = [
        alt.Chart(alt.Data(name="bars"))
        .mark_rect(color=BAR, stroke=INK, strokeWidth=0.6)
        .encode(
            x=alt.X("start:T", title=None, axis=time_axis),
            x2="end:T",
            y=alt.Y("km:Q", title="km per week (grey bars)", axis=alt.Axis(grid=False)),
            y2=alt.datum(0),
        )
    ]
    if "progression" in layers:
        km_layers.append(
            alt.Chart(alt.Data(name="progression"))
            .mark_text(dy=-7, fontSize=11, fontWeight="bold", color=INK)
            .encode(x="middle:T", y="km:Q", text="label:N")
        )
    charts: list[Any] = []  # Altair's layer() takes charts and layers alike; its stubs say less
    if "flares" in layers:
        charts.append(
            alt.layer(
                alt.Chart(alt.Data(name="flares"))
                .mark_rect(color=INK, opacity=0.12)
                .encode(x=alt.X("start:T", title=None, axis=time_axis), x2="end:T"),
                alt.Chart(alt.Data(name="flares"))
                .mark_text(
                    align="left", baseline="top", dx=2, dy=2, fontSize=10, fontStyle="italic", color=INK
                )
                .encode(x="start:T", y=alt.value(2), text="label:N"),
            )
        )
    charts.append(alt.layer(*km_layers))
    if "pain" in layers:
        charts.append(
            alt.Chart(alt.Data(name="pain"))
            .mark_line(color=INK, strokeWidth=1.5, point=alt.OverlayMarkDef(color=INK, size=14, filled=True))
            .encode(
                x=x,
                y=alt.Y(
                    "pain:Q",
                    title="pain 0-10 (black line)",
                    scale=alt.Scale(domain=[0, 10]),
                    axis=alt.Axis(orient="right", grid=False),
                ),
            )
        )
    if "flags" in layers:
        charts.append(alt.Chart(alt.Data(name="flags")).mark_rule(color=INK, strokeDash=[5, 3]).encode(x=x))
    if "spikes" in layers:
        charts.append(
            alt.Chart(alt.Data(name="spikes"))
            .mark_point(shape="triangle-up", size=70, color=INK, filled=False, strokeWidth=1.5)
            .encode(x=x, y=alt.value(HEIGHT - 8))
        )
    return (
        alt.layer(*charts)
        .resolve_scale(y="independent")
        .properties(width=WIDTH, height=HEIGHT)
        .configure_axis(labelFontSize=12, titleFontSize=12, labelColor=INK, titleColor=INK, domainColor=INK)
        .configure_view(stroke=None)
    )


def pain_chart_text(pain: PainSection) -> str:
    """The chart in words (its text alternative)."""
    km = [f"{week['distance_m'] / 1000:.0f}" for week in pain["weekly_distance"]]
    parts = [f"Weekly km over {len(km)} weeks: {', '.join(km)}."]
    if pain["days"]:
        parts.append(
            f"Pain logged on {pain['days_logged']} days, average {pain['mean_pain']}, "
            f"worst {pain['worst_pain']}."
        )
    if pain["flares"]:
        parts.append(f"{len(pain['flares'])} flare{'s' if len(pain['flares']) != 1 else ''}.")
    if pain["spikes"]:
        parts.append(f"{len(pain['spikes'])} spike{'s' if len(pain['spikes']) != 1 else ''}.")
    if pain["red_flag_days"]:
        parts.append(f"Safety answers on {', '.join(pain['red_flag_days'])}.")
    return " ".join(parts)
