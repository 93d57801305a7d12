"""Charts of a form check: each metric step by step over the clip, and the runner's history."""

from __future__ import annotations

import altair as alt

from .charts import render_svg
from .gait_types import GaitHistoryRow, GaitResult

# Metric -> (label, unit) for the per-step chart; only those measured at each foot strike.
PER_STEP = {
    "overstride_pct_leg": ("Heel ahead of pelvis", "% of leg"),
    "shank_angle_deg": ("Shin angle at strike", "degrees"),
    "knee_flexion_ic_deg": ("Knee bend at strike", "degrees"),
    "pelvic_drop_deg": ("Pelvic drop", "degrees"),
}


def steps_svg(result: GaitResult) -> str | None:
    """One small line chart per measured metric, value per step, left and right foot coloured."""
    points: list[dict[str, object]] = []
    for name, (label, unit) in PER_STEP.items():
        metric = result.get("metrics", {}).get(name)
        if not metric:
            continue
        for number, (value, side) in enumerate(zip(metric["values"], metric["sides"], strict=False), 1):
            if value is not None:
                points.append(
                    {"step": number, "value": round(value, 1), "foot": side, "metric": f"{label} ({unit})"}
                )
    if len(points) < 2:
        return None
    chart = (
        alt.Chart(alt.Data(values=points))
        .mark_line(point=True)
        .encode(
            x=alt.X("step:Q", title="step", axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=False)),
            color=alt.Color("foot:N", title=None, legend=alt.Legend(orient="bottom")),
            detail="foot:N",
        )
        .properties(width=420, height=130)
        .facet(
            row=alt.Row(
                "metric:N",
                title=None,
                header=alt.Header(
                    labelAngle=0, labelAlign="left", labelAnchor="start", labelOrient="top", labelFontSize=13
                ),
            )
        )
        .resolve_scale(y="independent")
    )
    return render_svg(chart.configure_axis(labelFontSize=12))


def history_svg(rows: list[GaitHistoryRow]) -> str | None:
    """Step rate and overstride over the runner's side-view checks (2 or more)."""
    points: list[dict[str, object]] = []
    for row in rows:
        if row["status"] != "done" or row["view"] != "side":
            continue
        for value, label in (
            (row["cadence_spm"], "Step rate (steps/min)"),
            (row["overstride_pct_leg"], "Heel ahead (% leg)"),
        ):
            if value is not None:
                points.append({"date": row["day"], "value": round(value, 1), "measure": label})
    if len({p["date"] for p in points}) < 2:
        return None
    chart = (
        alt.Chart(alt.Data(values=points))
        .mark_line(point=True)
        .encode(
            x=alt.X("date:T", title=None, axis=alt.Axis(format="%d %b", labelAngle=0)),
            y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=False)),
            color=alt.Color("measure:N", title=None, legend=alt.Legend(orient="bottom")),
        )
        .properties(width=420, height=200, title="Your form checks over time")
    )
    return render_svg(chart.configure_axis(labelFontSize=12))
