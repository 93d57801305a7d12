"""Charts as Vega-Lite specs rendered to SVG on the server, so a page and (later) a PDF report
use the same chart. Every chart comes with a text alternative on the page. The SVG is sanitised
(safe_svg: an allow-list, presentation attributes only) before any page puts it inline."""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Mapping, Sequence
from functools import lru_cache, partial
from typing import Any

import altair as alt
import vl_convert

from backstride.storage.models import SymptomCheck

from .rmdq import RmdqRow
from .safe_svg import safe_svg

Rows = Sequence[Mapping[str, Any]]


def render_svg(chart: alt.TopLevelMixin) -> str:
    """The chart as sanitised SVG. The spec is built without Altair's schema check (our specs are
    fixed in code and covered by tests), and an unchanged chart is rendered once: the same data, the
    same picture."""
    return _svg_of(json.dumps(chart.to_dict(validate=False), sort_keys=True))


def render_named(key: Hashable, build: Callable[[], alt.TopLevelMixin], datasets: Mapping[str, Rows]) -> str:
    """A chart whose data are named datasets (``alt.Data(name=...)``), as sanitised SVG: the same
    picture as ``render_svg`` of the chart with the values inline, for much less work per request.

    ``build`` makes the chart (Altair) and Vega-Lite compiles it to Vega once per ``key``, which must
    name everything the chart's shape depends on (its layers, titles, scales), never its data; each
    call then only puts the rows into the compiled spec. Building and validating the spec and
    compiling it were most of a chart's cost, paid again on every request to find the cached one."""
    _compiled(key, build)
    # The cache key is the data alone (plain rows as JSON) with ``key``: on a hit nothing is built,
    # validated or serialised but the rows.
    rows = json.dumps({name: list(values) for name, values in datasets.items()}, sort_keys=True, default=str)
    return _named_svg(key, rows)


@lru_cache(maxsize=128)
def _named_svg(key: Hashable, rows_json: str) -> str:
    """The compiled chart ``key`` with the rows of ``rows_json`` put in, as sanitised SVG."""
    vega, datasets = _COMPILED[key], json.loads(rows_json)
    data = [
        {**entry, "values": datasets[entry["name"]]} if entry.get("name") in datasets else entry
        for entry in vega["data"]
    ]
    return _svg_of(json.dumps({**vega, "data": data}, sort_keys=True), vega=True)


def forget_rendered() -> None:
    """Drop every rendered SVG (a benchmark's "chart rendered" request; compiled specs stay)."""
    _named_svg.cache_clear()
    _svg_of.cache_clear()


# A compiled Vega spec: open JSON by nature (its shape is Vega's, not ours), so its values stay Any.
VegaSpec = Mapping[str, Any]
_COMPILED: dict[Hashable, VegaSpec] = {}


def _compiled(key: Hashable, build: Callable[[], alt.TopLevelMixin]) -> VegaSpec:
    vega = _COMPILED.get(key)
    if vega is None:
        vega = _COMPILED[key] = vl_convert.vegalite_to_vega(build().to_dict(validate=False))
    return vega


@lru_cache(maxsize=128)
def _svg_of(spec_json: str, vega: bool = False) -> str:
    """A Vega-Lite spec (or, with ``vega``, a compiled Vega spec) as sanitised SVG; cached."""
    spec = json.loads(spec_json)
    svg = vl_convert.vega_to_svg(spec) if vega else vl_convert.vegalite_to_svg(spec)
    return safe_svg(str(svg))


# Charts are drawn about a phone's width with large text; pages scale them to their container
# (viewBox, width 100%), so nothing is squeezed into tiny text at 390 px.
CHART_WIDTH = 320
PAIN = "Pain now (0-10)"
RMDQ = "Roland-Morris (0-24)"
SCALE_MAX = {PAIN: 10, RMDQ: 24}


def trend_svg(checks: Sequence[SymptomCheck], rmdq_rows: Sequence[RmdqRow]) -> str | None:
    """Pain now (0-10) from the checks and Roland-Morris (0-24) over time, each on its own axis with
    its own full range; None with < 2 points."""
    points = [
        {"date": check.created_at.isoformat(), "value": check.pain_now, "measure": PAIN}
        for check in checks
        if check.pain_now is not None
    ]
    points += [{"date": row["created_at"], "value": row["score"], "measure": RMDQ} for row in rmdq_rows]
    if len(points) < 2:
        return None
    measures = tuple(measure for measure in (PAIN, RMDQ) if any(p["measure"] == measure for p in points))
    return render_named(("trend", measures), partial(_trend_chart, measures), {"points": points})


def _trend_panel(measure: str) -> alt.Chart:
    """One measure on its own 0-max axis (a 0-24 score never drawn against a 0-10 axis)."""
    return (
        alt.Chart(alt.Data(name="points"))
        .transform_filter(alt.datum.measure == measure)
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "date:T",
                title=None,
                # Few date labels: they must not overlap when the chart is a phone's width.
                axis=alt.Axis(format="%d %b", labelAngle=0, tickCount=4, labelOverlap=True),
            ),
            y=alt.Y(
                "value:Q",
                title=None,
                scale=alt.Scale(domain=[0, SCALE_MAX[measure]], nice=False),
                axis=alt.Axis(tickCount=4 if measure == PAIN else 6),
            ),
        )
        .properties(width=CHART_WIDTH, height=130, title=f"{measure}, lower is better")
    )


def _trend_chart(measures: tuple[str, ...]) -> alt.TopLevelMixin:
    panels = [_trend_panel(measure) for measure in measures]
    chart = alt.vconcat(*panels, spacing=24).properties(title="Pain and disability over time")
    chart = chart.configure_axis(labelFontSize=14, titleFontSize=14)
    return chart.configure_title(fontSize=16, anchor="start")
