"""Charts rendered from a compiled spec with the data put in (charts.render_named) are the same
pictures as the plain Vega-Lite specs with the values inline, sanitised the same way."""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial
from types import SimpleNamespace
from typing import Any

import vl_convert

from backstride.services import activity_charts, charts, dashboard
from backstride.services.safe_svg import safe_svg

DAY = date(2026, 3, 2)


def _inline(chart: Any, datasets: dict[str, list[dict[str, Any]]]) -> str:
    """The chart with every named dataset's rows written into the spec, rendered as before."""
    spec = chart.to_dict(validate=False)
    for part in [spec, *spec.get("layer", []), *spec.get("vconcat", [])]:
        name = part.get("data", {}).get("name")
        if name is not None:
            part["data"] = {"values": datasets[name]}
    return safe_svg(str(vl_convert.vegalite_to_svg(spec)))


def test_the_dashboard_chart_with_every_layer_is_the_plain_vega_lite_picture():
    diary = [(DAY + timedelta(days=i), i % 7, "doctor_soon" if i == 9 else "") for i in range(40)]
    weekly = [
        {"week_start": (DAY + timedelta(weeks=i)).isoformat(), "distance_m": 9000.0 * i} for i in range(6)
    ]
    spikes = [SimpleNamespace(run_day=DAY + timedelta(days=20), ratio=1.42)]
    svg = dashboard.pain_and_load_svg(diary, weekly, spikes)
    datasets = {
        "bars": [{"week": w["week_start"], "km": round(w["distance_m"] / 1000, 1)} for w in weekly],
        "pain": [{"day": d.isoformat(), "pain": p} for d, p, _ in diary],
        "flags": [{"day": (DAY + timedelta(days=9)).isoformat()}],
        "spikes": [{"day": (DAY + timedelta(days=20)).isoformat(), "label": "spike 1.42"}],
    }
    expected = _inline(dashboard._pain_and_load_chart(("bars", "pain", "flags", "spikes")), datasets)
    assert svg == expected
    assert "spike" not in dashboard.pain_and_load_svg(diary[:3], weekly, []).lower()  # no triangle layer


def test_the_same_chart_with_other_data_draws_the_other_data():
    weekly = [{"week_start": DAY.isoformat(), "distance_m": 5000.0}]
    one = dashboard.pain_and_load_svg([(DAY, 2, "")], weekly, [])
    two = dashboard.pain_and_load_svg([(DAY, 7, "")], weekly, [])
    assert one is not None and two is not None and one != two
    assert dashboard.pain_and_load_svg([(DAY, 2, "")], weekly, []) == one


def test_activity_and_trend_charts_are_the_plain_vega_lite_pictures():
    stream = {"time_s": [0, 60, 120, 180], "speed_mps": [3.0, 3.3, 2.9, 3.1], "altitude_m": [5, 9, 12, 8]}
    drawn = {chart["key"]: chart["svg"] for chart in activity_charts.activity_charts(stream)}
    assert set(drawn) == {"pace", "elevation"}
    pace = activity_charts._series(stream, "speed_mps", partial(activity_charts._pace, "km"))
    assert drawn["pace"] == _inline(activity_charts._line("Pace (min/km)", True, True), {"points": pace})
    rows = [{"created_at": f"2026-0{m}-01T10:00:00+00:00", "score": 10 - m} for m in (1, 2, 3)]
    points = [{"date": r["created_at"], "value": r["score"], "measure": "Roland-Morris (0-24)"} for r in rows]
    assert charts.trend_svg([], rows) == _inline(charts._trend_chart((charts.RMDQ,)), {"points": points})
