"""A chart's SVG is remembered by its data (charts.render_named): the same rows give the cached
picture without building, compiling or rendering anything; other rows are rendered."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from backstride.services import charts, dashboard

DAY = date(2026, 5, 4)
WEEKLY: list[Any] = [{"week_start": DAY.isoformat(), "distance_m": 12000.0}]


def _diary(pain: int) -> list[tuple[date, int, str]]:
    return [(DAY + timedelta(days=i), (pain + i) % 10, "") for i in range(14)]


def test_a_hit_builds_and_renders_nothing(monkeypatch: pytest.MonkeyPatch):
    drawn = dashboard.pain_and_load_svg(_diary(1), WEEKLY, [])

    def refuse(*_: object, **__: object) -> Any:
        raise AssertionError("built or rendered again")

    monkeypatch.setattr(dashboard, "_pain_and_load_chart", refuse)
    monkeypatch.setattr(charts.vl_convert, "vega_to_svg", refuse)
    assert dashboard.pain_and_load_svg(_diary(1), WEEKLY, []) == drawn
    with pytest.raises(AssertionError, match="rendered again"):
        dashboard.pain_and_load_svg(_diary(2), WEEKLY, [])  # other data: drawn (compiled spec kept)


def test_forgetting_renders_the_same_picture_again():
    drawn = dashboard.pain_and_load_svg(_diary(3), WEEKLY, [])
    charts.forget_rendered()
    assert dashboard.pain_and_load_svg(_diary(3), WEEKLY, []) == drawn
