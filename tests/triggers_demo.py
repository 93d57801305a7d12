"""A demo runner for the trigger analysis (issue 16's done-when): the shared real activity files, laid on
the last weeks' calendar, plus a simulated diary whose morning pain is planted to rise after hilly runs.

The runs keep every number the files gave (distance, time, climb, heart rate, cadence); only their days
move, four runs a week, cycling through the files in a seeded order. The diary: morning pain is 2.5, plus
day-to-day AR(1) noise, plus ``effect`` points on the morning after a run with over 15 m climb per km;
sitting, sleep and stiffness are drawn with no link to pain; one day in ten has no check-in.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from django.contrib.auth.models import User

from backstride.services.imports import import_paths
from backstride.storage.models import Activity, DiaryEntry

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "activities"
# The days of each demo week with a run, counted from its first day: 1, 3, 5, 6 (Tuesday, Thursday,
# Saturday and Sunday when the demo starts on a Monday). Counted from the first day, not by weekday, so
# the demo holds the same runs and diary whatever day of the week the tests run on (by weekday the runs
# shifted against the random draws, and some findings the tests expect came and went with the weekday).
RUN_WEEKDAYS = (1, 3, 5, 6)
HILLY = 15.0  # m climb per km, as the analysis' "hilly run"


def import_shared_runs(user: User) -> list[Activity]:
    import_paths(user, [DATA / "fit", DATA / "gpx", DATA / "tcx"], workers=1)
    return list(
        Activity.objects.filter(owner=user, sport="running", distance_m__gt=1000).order_by("start_time", "id")
    )


def _climb_per_km(run: Activity) -> float | None:
    if run.elevation_gain_m is None or not run.distance_m:
        return None
    return run.elevation_gain_m / run.distance_m * 1000


def make_demo_runner(user: User, today: date, weeks: int = 16, seed: int = 7, effect: float = 1.5) -> None:
    """``weeks`` weeks of runs and check-ins ending yesterday (today has no check-in yet)."""
    rng = random.Random(seed)
    runs = import_shared_runs(user)
    rng.shuffle(runs)
    first = today - timedelta(weeks=weeks)
    days = [first + timedelta(days=i) for i in range((today - first).days)]
    run_days = [d for d in days if (d - first).days % 7 in RUN_WEEKDAYS]
    by_day: dict[date, Activity] = {}
    for i, day in enumerate(run_days):
        source = runs[i % len(runs)]
        if i >= len(runs):  # a second use of the file's numbers: a copy with its own identity
            source.pk = None
            source.source_index = 100 + i
            source.external_id = ""
        source.start_time = datetime.combine(day, time(7, 30), UTC)
        source.utc_offset_s = 0
        source.save()
        by_day[day] = source
    noise = 0.0
    entries = []
    for day in days:
        noise = 0.5 * noise + rng.gauss(0, 0.8)
        yesterday = by_day.get(day - timedelta(days=1))
        climb = _climb_per_km(yesterday) if yesterday else None
        morning = _pain(2.5 + noise + (effect if climb is not None and climb > HILLY else 0.0))
        if rng.random() < 0.1:
            continue
        ran = day in by_day
        entries.append(
            DiaryEntry(
                owner=user,
                day=day,
                pain_now=morning,
                stiffness=_pain(3 + rng.gauss(0, 1.5)),
                sitting_hours=round(rng.uniform(2, 10), 1),
                sleep_hours=round(rng.uniform(5.5, 9), 1),
                ran=ran,
                pain_during_run=_pain(morning + rng.gauss(0, 1)) if ran else None,
                pain_after_run=_pain(morning + rng.gauss(0.5, 1)) if ran else None,
                exercises_done=rng.random() < 0.7,
            )
        )
    DiaryEntry.objects.bulk_create(entries)


def _pain(value: float) -> int:
    return max(0, min(10, round(value)))
