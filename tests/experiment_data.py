"""Simulated diaries for the two-week experiment tests: 14 days before a start and up to 14 during,
each with a check-in (pain around a level, with day-to-day noise) and a run every other day."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from django.contrib.auth.models import User

from backstride.storage.models import Activity, DiaryEntry


def fill_days(
    user: User, first: date, days: int, level: float, *, seed: int = 1, climb_per_km: float = 5.0
) -> None:
    rng = random.Random(seed)
    noise = 0.0
    for offset in range(days):
        day = first + timedelta(days=offset)
        noise = 0.5 * noise + rng.gauss(0, 0.8)
        pain = int(min(10, max(0, round(level + noise))))
        DiaryEntry.objects.create(owner=user, day=day, pain_now=pain, sitting_hours=5.0)
        if offset % 2 == 0:
            Activity.objects.create(
                owner=user,
                start_time=datetime.combine(day, time(12), UTC),
                sport="running",
                distance_m=8000,
                elevation_gain_m=8 * climb_per_km,
                source_format="manual",
            )


def fill_experiment(user: User, start: date, today: date, before: float, during: float) -> None:
    """The fortnight before ``start`` at pain ``before``, then the days from ``start`` to yesterday at
    ``during`` (flat runs)."""
    fill_days(user, start - timedelta(days=14), 14, before, seed=2, climb_per_km=25)
    fill_days(user, start, min(14, (today - start).days), during, seed=3)
