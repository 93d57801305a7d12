"""My activities over time (spec K.8): each activity's 0-10 rating and their average, as SVG."""

from __future__ import annotations

import altair as alt

from .charts import render_svg
from .outcome_types import OutcomeHistory

AVERAGE = "Average"


def activities_svg(history: OutcomeHistory) -> str | None:
    """Lines per activity and for the average (higher is better); None with fewer than two ratings."""
    ratings = history["ratings"]
    if len(ratings) < 2:
        return None
    points = [
        {"date": row["created_at"], "value": item["rating"], "series": item["name"]}
        for row in ratings
        for item in row["activities"]
    ]
    points += [{"date": row["created_at"], "value": row["mean"], "series": AVERAGE} for row in ratings]
    chart = (
        alt.Chart(alt.Data(values=points))
        .mark_line(point=True)
        .encode(
            x=alt.X("date:T", title=None, axis=alt.Axis(format="%d %b", labelAngle=0, tickCount=6)),
            y=alt.Y("value:Q", title="0 can't do it - 10 as before", scale=alt.Scale(domain=[0, 10])),
            color=alt.Color("series:N", title=None, legend=alt.Legend(orient="bottom", labelLimit=260)),
            strokeDash=alt.condition(
                alt.datum.series == AVERAGE, alt.value([1, 0]), alt.value([5, 3])
            ),  # the average solid, each activity dashed
        )
        .properties(width=420, height=220, title="My activities over time (higher is better)")
    )
    return render_svg(chart.configure_axis(labelFontSize=13, titleFontSize=13).configure_title(fontSize=15))
