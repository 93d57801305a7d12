"""The report's pain and training sections: the diary's pain against weekly distance with flares,
spikes and the 2-week progression marked, and the training the runs show. The figures are the load
report's (services.load_json) and the core's (spike, progression); only the flare is this report's own
convention, said in its words on the page."""

from __future__ import annotations

import bisect
import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from django.contrib.auth.models import User

from backstride.config import run_day
from backstride.core.load import Session, daily_loads, run_spike, two_week_progression
from backstride.core.pace import activity_name
from backstride.storage.models import Activity, DiaryEntry

from .load_json import load_report
from .report_types import (
    CountRow,
    FlareRow,
    LongRunRow,
    PainDay,
    PainSection,
    ProgressionRow,
    SpikeRow,
    TrainingSection,
    WeekDistance,
)
from .shoes import list_shoes, shoe_row

# A flare, for this report: two or more days in a row with pain at least FLARE_ABOVE points over the
# period's median and at least FLARE_MIN out of 10. No validated definition exists; it only marks the
# days a clinician may ask about.
FLARE_ABOVE = 2
FLARE_MIN = 4
LONG_RUNS = 5  # the longest runs of the period, listed


def week_distances(history: Sequence[Session], first: date, last: date) -> list[WeekDistance]:
    weeks = load_report(history, first, last, last)["weekly"]
    return [{"week_start": week["week_start"], "distance_m": week["distance_m"]} for week in weeks]


def flares(days: Sequence[PainDay]) -> tuple[int, list[FlareRow]]:
    """(the threshold, each run of two or more days at or above it)."""
    if not days:
        return FLARE_MIN, []
    threshold = max(FLARE_MIN, round(statistics.median(day["pain"] for day in days)) + FLARE_ABOVE)
    found: list[FlareRow] = []
    spell: list[PainDay] = []

    def close() -> None:
        if len(spell) >= 2:
            found.append(
                {
                    "start": spell[0]["day"],
                    "end": spell[-1]["day"],
                    "days": len(spell),
                    "worst": max(day["pain"] for day in spell),
                }
            )

    previous: date | None = None
    for day in days:
        current = date.fromisoformat(day["day"])
        if day["pain"] >= threshold and (not spell or previous == current - timedelta(days=1)):
            spell.append(day)
        else:
            close()
            spell = [day] if day["pain"] >= threshold else []
        previous = current
    close()
    return threshold, found


def spikes(history: Sequence[Session], first: date, last: date) -> list[SpikeRow]:
    """Each run of the period longer than 110% of the longest run in the 30 days before it (Frandsen
    2025, core.load.run_spike), each compared with only the runs of its own 30 days."""
    ordered = sorted(history, key=lambda session: session.day)
    days = [session.day for session in ordered]
    rows: list[SpikeRow] = []
    for session in ordered:
        if not first <= session.day <= last or session.sport != "running" or not session.distance_m:
            continue
        window = ordered[
            bisect.bisect_left(days, session.day - timedelta(days=31)) : bisect.bisect_left(days, session.day)
        ]
        spike = run_spike(window, session)
        if spike.flagged:
            rows.append(
                {
                    "day": spike.run_day.isoformat(),
                    "distance_m": round(spike.distance_m, 1),
                    "ratio": spike.ratio,
                    "band": spike.band,
                    "reason": f"{spike.distance_m / 1000:.1f} km, {spike.ratio:.2f} times the longest run "
                    "of the 30 days before",
                }
            )
    return rows


def progression(history: Sequence[Session], first: date, last: date) -> list[ProgressionRow]:
    """The 2-week progression (Nielsen 2014, core.load) at the end of each week of the period."""
    daily = daily_loads(history, first - timedelta(days=14), last)
    index = {day.day: position for position, day in enumerate(daily)}
    rows: list[ProgressionRow] = []
    monday = first - timedelta(days=first.weekday())
    while monday <= last:
        end = min(monday + timedelta(days=6), last)
        at = index[end]
        fortnight = daily[max(0, at - 13) : at + 1]
        result = two_week_progression(fortnight, end)
        week_m = sum(day.distance_m for day in daily[max(0, at - (end - monday).days) : at + 1])
        rows.append(
            {
                "week_start": monday.isoformat(),
                "distance_m": round(week_m, 1),
                "previous_2_weeks_m": round(result.previous_m, 1),
                "last_2_weeks_m": round(result.recent_m, 1),
                "percent": result.percent,
                "flagged": result.flagged,
            }
        )
        monday += timedelta(days=7)
    return rows


def pain_section(user: User, first: date, last: date, history: Sequence[Session]) -> PainSection:
    rows = DiaryEntry.objects.filter(owner=user, day__gte=first, day__lte=last).order_by("day")
    days: list[PainDay] = [
        {"day": day.isoformat(), "pain": pain, "escalation": escalation}
        for day, pain, escalation in rows.values_list("day", "pain_now", "escalation")
    ]
    threshold, found = flares(days)
    pains = [day["pain"] for day in days]
    missing = [] if days else ["No diary days in this period: pain comes from the daily check-in."]
    return {
        "days": days,
        "days_logged": len(days),
        "mean_pain": round(statistics.fmean(pains), 1) if pains else None,
        "worst_pain": max(pains) if pains else None,
        "flare_threshold": threshold,
        "flares": found,
        "red_flag_days": [day["day"] for day in days if day["escalation"]],
        "spikes": spikes(history, first, last),
        "progression": progression(history, first, last),
        "weekly_distance": week_distances(history, first, last),
        "missing": missing,
    }


def training_section(
    user: User, first: date, last: date, today: date, history: Sequence[Session]
) -> TrainingSection:
    weeks = load_report(history, first, last, min(last, today))["weekly"]
    # A day either side: the run's day is its local one (run_day), the stored start is UTC.
    activities = Activity.objects.filter(
        owner=user,
        sport="running",
        start_time__gte=datetime.combine(first - timedelta(days=1), time(), UTC),
        start_time__lt=datetime.combine(last + timedelta(days=2), time(), UTC),
    )
    runs: list[LongRunRow] = []
    surfaces: Counter[str] = Counter()
    terrain: Counter[str] = Counter()
    surface_m: defaultdict[str, float] = defaultdict(float)
    terrain_m: defaultdict[str, float] = defaultdict(float)
    gain = 0.0
    gain_known = False
    for activity in activities.defer("stream"):
        day = run_day(activity.start_time, activity.utc_offset_s, activity.source_format)
        if not first <= day <= last:
            continue
        distance = activity.distance_m or 0.0
        surface = activity.surface or activity.sub_sport or "not recorded"
        ground = activity.terrain or "not recorded"
        surfaces[surface] += 1
        surface_m[surface] += distance
        terrain[ground] += 1
        terrain_m[ground] += distance
        if activity.elevation_gain_m is not None:
            gain += activity.elevation_gain_m
            gain_known = True
        runs.append(
            {
                "day": day.isoformat(),
                "name": activity_name(activity.name, activity.sport, None),
                "distance_m": round(distance, 1),
                "duration_s": activity.moving_time_s
                if activity.moving_time_s is not None
                else activity.elapsed_time_s,
                "elevation_gain_m": activity.elevation_gain_m,
            }
        )
    longest = sorted(runs, key=lambda run: run["distance_m"], reverse=True)[:LONG_RUNS]
    return {
        "weeks": weeks,
        "total_distance_m": round(sum(run["distance_m"] for run in runs), 1),
        "total_duration_s": round(sum(run["duration_s"] or 0 for run in runs), 1),
        "runs": len(runs),
        "long_runs": sorted(longest, key=lambda run: run["day"]),
        "long_run_rule": f"The {LONG_RUNS} longest runs of the period.",
        "surfaces": counted(surfaces, surface_m),
        "terrain": counted(terrain, terrain_m),
        "elevation_gain_m": round(gain, 1) if gain_known else None,
        "shoes": [shoe_row(shoe) for shoe in list_shoes(user, today)],
        "missing": [] if runs else ["No runs in this period: import your watch's files or log runs by hand."],
    }


def counted(counts: Counter[str], metres: dict[str, float]) -> list[CountRow]:
    return [
        {"name": name.replace("_", " "), "runs": runs, "distance_m": round(metres[name], 1)}
        for name, runs in counts.most_common()
    ]
