"""Every load figure of one request: the series for a range and the figures as of today."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from .acute_chronic import Acwr, acwr
from .common import CHRONIC_DAYS, DEFAULT_SPORTS, Session, counts_for
from .progression import Progression, two_week_progression
from .spike import Spike, latest_spike
from .totals import DayLoad, WeekLoad, daily_loads, weekly_loads


@dataclass(frozen=True)
class LoadFigures:
    start: date
    end: date
    today: date
    sports: tuple[str, ...] | None  # sorted; None: every sport counted
    daily: tuple[DayLoad, ...]  # start..end
    weekly: tuple[WeekLoad, ...]  # the weeks of start..end
    spike: Spike | None  # the latest run on or before today; None: no run with a distance
    progression: Progression
    acwr: Acwr


def load_figures(
    sessions: Iterable[Session],
    start: date,
    end: date,
    today: date,
    sports: Collection[str] | None = DEFAULT_SPORTS,
    metric: str = "distance_m",
) -> LoadFigures:
    """Daily and weekly totals for start..end, and the spike, progression and ACWR as of `today`
    from the whole history up to today (not limited to start..end)."""
    pool = list(sessions)
    past = [s for s in pool if s.day <= today and counts_for(s, sports)]
    daily = daily_loads(pool, start, end, sports)
    history_start = min([today - timedelta(days=CHRONIC_DAYS - 1), *(s.day for s in past)])
    history = daily_loads(past, history_start, today, sports)
    return LoadFigures(
        start=start,
        end=end,
        today=today,
        sports=tuple(sorted(sports)) if sports is not None else None,
        daily=tuple(daily),
        weekly=tuple(weekly_loads(daily)),
        spike=latest_spike(past, today, sports),
        progression=two_week_progression(history, today),
        acwr=acwr(history, today, metric),
    )
