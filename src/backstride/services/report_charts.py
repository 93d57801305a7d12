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

WIDTH, HEIGHT = 600, 230  # A4's text width at 96 px per inch
PHONE_WIDTH = 300  # the /report/ page on a phone draws it again, narrower, so its text stays readable
INK, BAR = "#000000", "#c8c8c8"


LONG_WEEKS = 26  # over half a year the chart shows km per month and each week's average pain


def _bars(pain: PainSection, by_month: bool) -> Rows:
    weeks = pain["weekly_distance"]
    if not by_month:
        return [
            {
                "start": week["week_start"],
                "end": (date.fromisoformat(week["week_start"]) + timedelta(days=7)).isoformat(),
                "km": round(week["distance_m"] / 1000, 1),
            }
            for week in weeks
        ]
    months: dict[str, float] = {}
    for week in weeks:  # a week counts in the month its Monday is in
        months[week["week_start"][:7]] = months.get(week["week_start"][:7], 0.0) + week["distance_m"]
    rows = []
    for month, metres in months.items():
        first = date.fromisoformat(f"{month}-01")
        following = (first + timedelta(days=32)).replace(day=1)
        rows.append({"start": first.isoformat(), "end": following.isoformat(), "km": round(metres / 1000)})
    return rows


def _pain_line(pain: PainSection, by_week: bool) -> Rows:
    if not by_week:
        return [{"day": day["day"], "pain": day["pain"]} for day in pain["days"]]
    weeks: dict[date, list[int]] = {}
    for day in pain["days"]:
        logged = date.fromisoformat(day["day"])
        weeks.setdefault(logged - timedelta(days=logged.weekday()), []).append(day["pain"])
    return [
        {"day": (monday + timedelta(days=3)).isoformat(), "pain": round(sum(values) / len(values), 1)}
        for monday, values in sorted(weeks.items())
    ]


def pain_chart_svg(pain: PainSection, width: int = WIDTH) -> str | None:
    """The chart of the pain section; None with neither pain nor distance to draw. Over a long period
    (more than LONG_WEEKS) the bars are months and the line each week's average pain, so ten years
    stay readable (and quick to lay out)."""
    if not pain["days"] and not any(week["distance_m"] for week in pain["weekly_distance"]):
        return None
    long = len(pain["weekly_distance"]) > LONG_WEEKS
    datasets: dict[str, Rows] = {
        "bars": _bars(pain, long),
        "pain": _pain_line(pain, long),
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
        "progression": []
        if long
        else [
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
    return render_named(("report_pain", layers, long, width), lambda: _chart(layers, long, width), datasets)


def _chart(layers: tuple[str, ...], long: bool, width: int) -> alt.TopLevelMixin:
    date_format = "%b %Y" if long else "%d %b"
    ticks = 6 if width >= WIDTH else 3
    time_axis = alt.Axis(format=date_format, labelAngle=0, tickCount=ticks, labelOverlap=True, grid=False)
    x = alt.X("day:T", title=None, axis=time_axis)
    km_layers = [
        alt.Chart(alt.Data(name="bars"))
        .mark_rect(color=BAR, stroke=INK, strokeWidth=0.6)
        .encode(
            x=alt.X("start:T", title=None, axis=time_axis),
            x2="end:T",
            y=alt.Y(
                "km:Q", title=f"km per {'month' if long else 'week'} (grey bars)", axis=alt.Axis(grid=False)
            ),
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
    if "flares" in layers and long:  # many bands: the caption names them
        charts.append(
            alt.Chart(alt.Data(name="flares"))
            .mark_rect(color=INK, opacity=0.12)
            .encode(x=alt.X("start:T", title=None, axis=time_axis), x2="end:T")
        )
    elif "flares" in layers:
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
            .mark_line(
                color=INK,
                strokeWidth=1 if long else 1.5,
                point=False if long else alt.OverlayMarkDef(color=INK, size=14, filled=True),
            )
            .encode(
                x=x,
                y=alt.Y(
                    "pain:Q",
                    title=f"{'weekly average ' if long else ''}pain 0-10 (black line)",
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
        .properties(width=width, height=HEIGHT)
        .configure_axis(labelFontSize=12, titleFontSize=12, labelColor=INK, titleColor=INK, domainColor=INK)
        .configure_view(stroke=None)
    )


def pain_chart_legend(pain: PainSection) -> str:
    """What each mark means, for the caption (the chart uses no colour to say it)."""
    if len(pain["weekly_distance"]) > LONG_WEEKS:
        return (
            "Grey bars: km per month (left axis). Black line: each week's average pain 0-10 (right axis). "
            f"Shaded bands: flares ({pain['flare_threshold']}/10 or more on two or more days in a row). "
            "Open triangles: spikes. Dashed lines: days a safety answer raised the urgency."
        )
    return (
        "Grey bars: km per week (left axis). Black line with dots: pain 0-10 (right axis). Shaded bands "
        f'marked "flare": {pain["flare_threshold"]}/10 or more on two or more days in a row. Open '
        "triangles: spikes. Dashed lines: days a safety answer raised the urgency. A percentage above a "
        "bar: the 2-week distance rose more than 30%."
    )


def pain_chart_text(pain: PainSection) -> str:
    """The chart in words (its text alternative)."""
    km = [week["distance_m"] / 1000 for week in pain["weekly_distance"]]
    if len(km) > LONG_WEEKS:
        parts = [f"{sum(km):.0f} km over {len(km)} weeks, {max(km, default=0):.0f} km in the biggest week."]
    else:
        parts = [f"Weekly km over {len(km)} weeks: {', '.join(f'{value:.0f}' for value in km)}."]
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
