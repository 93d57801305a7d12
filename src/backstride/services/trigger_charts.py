"""The chart of one trigger finding (issue 16 item 5): the runner's days as points (the outcome against
the factor), the fitted line and its 95% band, drawn like every other chart (Vega-Lite to sanitised SVG,
services.charts), with a text alternative saying what the picture shows.

A yes/no factor is drawn as two columns, "no" and "yes", the days spread a little sideways so that
equal values do not hide each other, with the fitted mean and its band as a bar across each column.
The flare outcome is a chance, drawn in %: each day is at 0% (no flare) or 100% (a flare)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

import altair as alt

from backstride.core.text import counted
from backstride.core.triggers import Finding
from backstride.core.triggers.outcomes import OUTCOMES

from .charts import CHART_WIDTH, render_named
from .triggers import factor_of

JITTER = 0.28  # how far apart the days of a yes/no column spread (the columns are 1 apart)
GOLDEN = 0.6180339887  # spreads the days evenly and the same way on every visit (no randomness)


@dataclass(frozen=True)
class FindingChart:
    svg: str
    text: str  # the text alternative: what the chart shows, in words


def _is_chance(outcome: str) -> bool:
    return next(o for o in OUTCOMES if o.key == outcome).scale != 1.0


def _y_title(outcome: str) -> str:
    return "Chance of a flare (%)" if _is_chance(outcome) else "Pain (0-10)"


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if abs(value) < 100 else f"{value:.0f}"


def _top(y_title: str) -> float:
    return 100.0 if y_title.endswith("(%)") else 10.0


def _within(value: float, top: float) -> float:
    """A fitted value or band edge on the scale's range: a chance is never below 0%, pain never above 10
    (a straight-line model can reach past them; the page's words say the same)."""
    return min(top, max(0.0, value))


def _spread(index: int) -> float:
    return ((index * GOLDEN) % 1.0 - 0.5) * 2 * JITTER


def finding_chart(finding: Finding) -> FindingChart | None:
    """The finding's chart, or None when the analysis made none."""
    if finding.chart is None or not finding.chart.points:
        return None
    factor = factor_of(finding.factor)
    binary = factor.binary
    points = [{"x": x + _spread(i) if binary else x, "y": y} for i, (x, y) in enumerate(finding.chart.points)]
    y_title = _y_title(finding.outcome)
    top = _top(y_title)
    line = [
        {"x": x, "fit": _within(fit, top), "low": _within(low, top), "high": _within(high, top)}
        for x, fit, low, high in finding.chart.line
    ]
    key = ("trigger", binary, factor.axis, y_title)
    build = partial(_chart, binary, factor.axis, y_title)
    svg = render_named(key, build, {"days": points, "fit": line})
    return FindingChart(svg, _text(finding, binary, y_title))


def _chart(binary: bool, x_title: str, y_title: str) -> alt.TopLevelMixin:
    top = _top(y_title)
    y_scale = alt.Scale(domain=[0, top], nice=False, clamp=True)
    if binary:
        x = alt.X(
            "x:Q",
            title=x_title,
            scale=alt.Scale(domain=[-0.5, 1.5], nice=False),
            axis=alt.Axis(values=[0, 1], labelExpr="datum.value == 0 ? 'no' : 'yes'", grid=False),
        )
    else:
        x = alt.X("x:Q", title=x_title, scale=alt.Scale(zero=False), axis=alt.Axis(tickCount=5))
    y = alt.Y("y:Q", title=y_title, scale=y_scale, axis=alt.Axis(tickCount=5))
    days = (
        alt.Chart(alt.Data(name="days")).mark_circle(size=36, opacity=0.5, color="#4a5563").encode(x=x, y=y)
    )
    fit = alt.Chart(alt.Data(name="fit"))
    fit_x = alt.X("x:Q")
    if binary:  # the band as a bar across each column, the mean as a thick tick
        band = fit.mark_bar(color="#1f6feb", opacity=0.25, size=34).encode(
            x=fit_x, y=alt.Y("low:Q", scale=y_scale), y2="high:Q"
        )
        mean = fit.mark_tick(color="#1f6feb", thickness=3, size=44, orient="horizontal").encode(
            x=fit_x, y=alt.Y("fit:Q", scale=y_scale)
        )
    else:
        band = fit.mark_area(color="#1f6feb", opacity=0.2).encode(
            x=fit_x, y=alt.Y("low:Q", scale=y_scale), y2="high:Q"
        )
        mean = fit.mark_line(color="#1f6feb", strokeWidth=3).encode(x=fit_x, y=alt.Y("fit:Q", scale=y_scale))
    chart = alt.layer(band, days, mean).properties(width=CHART_WIDTH, height=200)
    return chart.configure_axis(labelFontSize=14, titleFontSize=14).configure_view(stroke=None)


def _text(finding: Finding, binary: bool, y_title: str) -> str:
    """The chart in words: how many days, and the fitted values with their bands at both ends."""
    assert finding.chart is not None
    count = len(finding.chart.points)
    unit = "%" if y_title.endswith("(%)") else ""
    what = "chance of a flare" if unit else "pain"
    days = f"Each dot is one of your days ({counted(count, 'day')})."
    ends: Sequence[tuple[float, float, float, float]] = finding.chart.line
    if not ends:
        return days
    first, last = ends[0], ends[-1]
    top = _top(y_title)

    def at(step: tuple[float, float, float, float]) -> str:
        fit, low, high = (_number(_within(v, top)) for v in step[1:])
        return f"{fit}{unit} (likely {low}{unit} to {high}{unit})"

    if binary:
        return f"{days} Fitted {what}: without it {at(first)}, with it {at(last)}."
    axis = factor_of(finding.factor).axis.lower()
    return (
        f"{days} The line is the fitted {what} with its 95% band: {at(first)} at {_number(first[0])} "
        f"({axis}), {at(last)} at {_number(last[0])}."
    )
