"""Charts as Vega-Lite specs rendered to SVG on the server, so a page and (later) a PDF report
use the same chart. Every chart comes with a text alternative on the page. The SVG is sanitised
(safe_svg: an allow-list, presentation attributes only) before any page puts it inline."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import altair as alt
import vl_convert

from backstride.storage.models import SymptomCheck

from .safe_svg import safe_svg


def render_svg(chart: alt.TopLevelMixin) -> str:
    """The chart as sanitised SVG. The spec is built without Altair's schema check (our specs are
    fixed in code and covered by tests), and an unchanged chart is rendered once: the same data, the
    same picture."""
    return _svg_of(json.dumps(chart.to_dict(validate=False), sort_keys=True))


@lru_cache(maxsize=128)
def _svg_of(spec_json: str) -> str:
    return safe_svg(str(vl_convert.vegalite_to_svg(json.loads(spec_json))))


def trend_svg(checks: Sequence[SymptomCheck], rmdq_rows: Sequence[dict[str, Any]]) -> str | None:
    """Pain now (0-10) from the checks and Roland-Morris (0-24) over time; None with < 2 points."""
    points = [
        {"date": check.created_at.isoformat(), "value": check.pain_now, "measure": "Pain now (0-10)"}
        for check in checks
        if check.pain_now is not None
    ]
    points += [
        {"date": row["created_at"], "value": row["score"], "measure": "Roland-Morris (0-24)"}
        for row in rmdq_rows
    ]
    if len(points) < 2:
        return None
    chart = (
        alt.Chart(alt.Data(values=points))
        .mark_line(point=True)
        .encode(
            x=alt.X("date:T", title=None, axis=alt.Axis(format="%d %b", labelAngle=0, tickCount=6)),
            y=alt.Y("value:Q", title="score (lower is better)"),
            color=alt.Color("measure:N", title=None, legend=alt.Legend(orient="bottom")),
        )
        .properties(width="container", height=220, title="Pain and disability over time")
    )
    chart = chart.properties(width=420)  # vl-convert needs a fixed width; the SVG scales with CSS
    return render_svg(chart.configure_axis(labelFontSize=13, titleFontSize=13).configure_title(fontSize=15))
