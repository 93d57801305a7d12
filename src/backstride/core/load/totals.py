"""Daily and weekly totals, with session-RPE monotony and strain (Foster 1998, 2001)."""

from __future__ import annotations

import statistics
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .common import (
    DEFAULT_SPORTS,
    MONOTONY_CAP,
    RPE_MAX,
    Session,
    counts_for,
    days_from,
    safe_ratio,
    usable_number,
    week_start,
)


class MonotonyGap(StrEnum):
    """Why a week has no monotony (nor strain); services.load_text words each case."""

    PARTIAL_WEEK = "partial_week"  # only some of the 7 days are inside the range
    NO_SESSIONS = "no_sessions"
    NO_RPE = "no_rpe"  # no session of the week is rated
    SOME_UNRATED = "some_unrated"  # some sessions have no RPE (or no duration)
    NO_SPREAD = "no_spread"  # every day had the same load: SD = 0


@dataclass(frozen=True)
class DayLoad:
    """Totals of one calendar day; a rest day is all zeros (elevation None)."""

    day: date
    distance_m: float = 0.0
    duration_s: float = 0.0
    srpe_au: float = 0.0  # sum of RPE x minutes over the rated sessions
    sessions: int = 0
    unrated_sessions: int = 0  # sessions that add nothing to srpe_au (no RPE or no duration)
    elevation_gain_m: float | None = None  # None when no session that day reports it
    elevation_distance_m: float = 0.0  # distance of the sessions that report elevation gain
    uphill_s: float = 0.0  # uphill moving time, from the sessions that report an uphill share
    uphill_measured_s: float = 0.0  # moving time of the sessions that report an uphill share

    @property
    def rated_sessions(self) -> int:
        return self.sessions - self.unrated_sessions


@dataclass(frozen=True)
class WeekLoad:
    week_start: date  # Monday
    distance_m: float
    duration_s: float
    srpe_au: float
    sessions: int
    unrated_sessions: int
    days_in_range: int  # how many of the 7 days the daily list covers
    complete: bool  # all 7 days inside the range
    monotony: float | None  # mean / population SD of the 7 daily sRPE loads, capped at 10
    monotony_gap: MonotonyGap | None  # why monotony (and strain) is None
    strain: float | None  # weekly sRPE x monotony
    elevation_gain_m: float | None
    elevation_per_km: float | None  # m of climb per km, sessions reporting both
    uphill_share: float | None  # 0-1, moving-time weighted


_ACC_KEYS = (
    "sessions",
    "distance_m",
    "duration_s",
    "srpe_au",
    "unrated_sessions",
    "elevation_known",
    "elevation_gain_m",
    "elevation_distance_m",
    "uphill_s",
    "uphill_measured_s",
)


def daily_loads(
    sessions: Iterable[Session],
    start: date,
    end: date,
    sports: Collection[str] | None = DEFAULT_SPORTS,
) -> list[DayLoad]:
    """Every day of start..end (both included), rest days as zeros; sessions outside are ignored.

    `sports=None` counts every sport."""
    if end < start:
        return []
    acc: dict[date, dict[str, float]] = {}
    for session in sessions:
        if not (start <= session.day <= end) or not counts_for(session, sports):
            continue
        a = acc.setdefault(session.day, dict.fromkeys(_ACC_KEYS, 0.0))
        distance = usable_number(session.distance_m)
        duration = usable_number(session.duration_s)
        rpe = usable_number(session.rpe, RPE_MAX)
        elevation = usable_number(session.elevation_gain_m)
        uphill = usable_number(session.uphill_share, 1.0)
        a["sessions"] += 1
        a["distance_m"] += distance or 0.0
        a["duration_s"] += duration or 0.0
        if rpe is not None and duration is not None:
            a["srpe_au"] += rpe * duration / 60.0
        else:
            a["unrated_sessions"] += 1
        if elevation is not None:
            a["elevation_known"] += 1
            a["elevation_gain_m"] += elevation
            a["elevation_distance_m"] += distance or 0.0
        if uphill is not None and duration is not None:
            a["uphill_s"] += uphill * duration
            a["uphill_measured_s"] += duration
    out: list[DayLoad] = []
    for day in days_from(start, end):
        totals = acc.get(day)
        if totals is None:
            out.append(DayLoad(day=day))
            continue
        a = totals
        out.append(
            DayLoad(
                day=day,
                distance_m=a["distance_m"],
                duration_s=a["duration_s"],
                srpe_au=a["srpe_au"],
                sessions=int(a["sessions"]),
                unrated_sessions=int(a["unrated_sessions"]),
                elevation_gain_m=a["elevation_gain_m"] if a["elevation_known"] else None,
                elevation_distance_m=a["elevation_distance_m"],
                uphill_s=a["uphill_s"],
                uphill_measured_s=a["uphill_measured_s"],
            )
        )
    return out


def _monotony(days: Sequence[DayLoad], complete: bool) -> tuple[float | None, MonotonyGap | None]:
    sessions = sum(d.sessions for d in days)
    unrated = sum(d.unrated_sessions for d in days)
    if not complete:
        return None, MonotonyGap.PARTIAL_WEEK
    if sessions == 0:
        return None, MonotonyGap.NO_SESSIONS
    if unrated == sessions:
        return None, MonotonyGap.NO_RPE
    if unrated:
        return None, MonotonyGap.SOME_UNRATED
    loads = [d.srpe_au for d in days]
    sd = statistics.pstdev(loads)
    if sd == 0:
        return None, MonotonyGap.NO_SPREAD
    return min(statistics.fmean(loads) / sd, MONOTONY_CAP), None


def weekly_loads(daily: Sequence[DayLoad]) -> list[WeekLoad]:
    """Monday-to-Sunday weeks over the daily list, in order."""
    by_week: dict[date, list[DayLoad]] = {}
    for day in sorted(daily, key=lambda d: d.day):
        by_week.setdefault(week_start(day.day), []).append(day)
    out: list[WeekLoad] = []
    for monday, days in by_week.items():
        complete = len({d.day for d in days}) == 7
        monotony, monotony_gap = _monotony(days, complete)
        srpe = sum(d.srpe_au for d in days)
        elevation_days = [d for d in days if d.elevation_gain_m is not None]
        elevation = sum(d.elevation_gain_m or 0.0 for d in elevation_days) if elevation_days else None
        elevation_distance = sum(d.elevation_distance_m for d in elevation_days)
        uphill_measured = sum(d.uphill_measured_s for d in days)
        out.append(
            WeekLoad(
                week_start=monday,
                distance_m=sum(d.distance_m for d in days),
                duration_s=sum(d.duration_s for d in days),
                srpe_au=srpe,
                sessions=sum(d.sessions for d in days),
                unrated_sessions=sum(d.unrated_sessions for d in days),
                days_in_range=len(days),
                complete=complete,
                monotony=monotony,
                monotony_gap=monotony_gap,
                strain=srpe * monotony if monotony is not None else None,
                elevation_gain_m=elevation,
                elevation_per_km=(
                    safe_ratio(elevation, elevation_distance / 1000) if elevation is not None else None
                ),
                uphill_share=safe_ratio(sum(d.uphill_s for d in days), uphill_measured),
            )
        )
    return out
