"""Training load, pure: daily and weekly totals, session-RPE monotony and strain, the 2-week distance
progression (Nielsen 2014), the single-run spike (Frandsen 2025) and ACWR (rolling and EWMA).

Formulas: spec activity.md section 4 (4.1, 4.5, 4.6). Use: spec clinical.md section F. Every number
here is *descriptive* ("how does this week compare with your own recent weeks"), never an injury-risk
probability: the cohort hazard ratios behind the thresholds are borderline (Nielsen 2014) or population
averages (Frandsen 2025), and ACWR in particular is shown with its critique (`ACWR_NOTE`).

No clock: `today` is always a parameter. No I/O.

Documented choices (one each):
- Rest days are materialised as zeros: `daily_loads` returns every day of start..end.
- A session counts on its local start day (`Session.day`); only sports in `sports` count (default running).
- Non-finite, negative or implausible (> 1e7) numbers are treated as missing, as are an RPE outside
  0-10 (CR-10) and an uphill share outside 0-1; a run under 1 m has no distance for the spike.
- sRPE (Foster 2001) = RPE x moving minutes. A session without an RPE (or without a duration) adds nothing
  to sRPE and is counted in `unrated_sessions`.
- Monotony (Foster 1998) = mean / population SD (7 days are the whole week, not a sample) of the 7 daily
  sRPE loads; None unless the week is complete, every session in it is rated and SD > 0. Capped at 10
  as Runalyze does, because a near-zero SD makes the ratio explode. Strain = weekly sRPE x monotony.
- Weeks start on Monday (ISO 8601). `complete` = all 7 days are inside the range.
- Elevation per km uses only sessions that report both elevation gain and distance; uphill share is the
  moving-time-weighted mean over sessions that report one.
- 2-week progression (Nielsen 2014, "progression of weekly distance over a 2-week window"): distance of
  the 7 days ending today (today-6..today) vs the 7 days before (today-13..today-7); flagged when the
  rise is > 30 % (30.0 % exactly is not flagged). No percentage when the earlier week is empty.
- Spike (Frandsen 2025): distance of a run / the longest run in the 30 calendar days before its day
  (day-30..day-1; other runs on the same day are not "before" it, as sessions carry no start time).
  Bands follow the spec's "> 110 %": none <= 1.10 < small <= 1.30 < moderate <= 2.00 < large (the
  lower edge is exclusive, the upper inclusive). No earlier run in the window: band "no_history".
- Flags and bands are decided on the reported, rounded value (ratio to 3 decimals, percent to 1), so
  the number a user sees and its flag always agree.
- ACWR coverage: values are None (with a reason) until the days from the first recorded session to
  `today`, both counted, reach 28 (27 -> None, 28 -> a value), and when the chronic window is
  all zeros; no division by zero ever. For the sRPE metric the history starts at the first *rated*
  session. Days outside `daily` count as rest days, so pass daily loads reaching today.
- ACWR rolling coupled = 7-day sum / (28-day sum / 4); uncoupled = (7-day sum / 7) / (sum of days
  8-28 before today / 21). EWMA: lambda = 2 / (N + 1), N = 7 and 28, seeded with the load of the first
  recorded day, reported only after the same 28-day warm-up.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import date, timedelta
from typing import Any, Literal

Metric = Literal["distance_m", "duration_s", "srpe_au"]
Band = Literal["none", "small", "moderate", "large", "no_history"]

DEFAULT_SPORTS: tuple[str, ...] = ("running",)
RPE_MAX = 10.0  # Borg CR-10
MAX_PLAUSIBLE = 1e7  # 10,000 km, 115 days, 10,000 km of climb: beyond it a value is a data error
MONOTONY_CAP = 10.0  # Runalyze caps monotony at 10
PROGRESSION_FLAG_PERCENT = 30.0  # Nielsen 2014: > 30 % over 2 weeks
MIN_DISTANCE_M = 1.0  # a "run" shorter than 1 m has no distance for the spike comparison
SPIKE_WINDOW_DAYS = 30  # Frandsen 2025: longest run in the previous 30 days
SPIKE_SMALL = 1.10  # > 110 % of the longest recent run
SPIKE_MODERATE = 1.30
SPIKE_LARGE = 2.00
ACUTE_DAYS = 7
CHRONIC_DAYS = 28
EWMA_ACUTE_N = 7
EWMA_CHRONIC_N = 28
METRICS: tuple[str, ...] = ("distance_m", "duration_s", "srpe_au")

ACWR_NOTE = (
    "A descriptive 'how unusual is this week for you' number, not an injury-risk score: ACWR is a "
    "rescaling of the last week's load (Impellizzeri et al. 2021), and in 5,205 runners a higher ACWR "
    "was not linked to more injuries (Frandsen et al. 2025)."
)

SOURCES: tuple[dict[str, str], ...] = (
    {
        "id": "foster2001",
        "citation": "Foster C, et al. A new approach to monitoring exercise training. "
        "J Strength Cond Res 2001;15(1):109-115.",
        "used_for": "session RPE (RPE x minutes), monotony and strain (Foster 1998)",
    },
    {
        "id": "nielsen2014",
        "citation": "Nielsen RO, et al. Excessive progression in weekly running distance and risk of "
        "running-related injuries. J Orthop Sports Phys Ther 2014;44(10):739-747.",
        "used_for": "2-week progression, soft flag above 30 % (HR 1.59, 95 % CI 0.96-2.66, p = .07)",
    },
    {
        "id": "frandsen2025",
        "citation": "Frandsen et al. How much running is too much? Identifying high-risk running "
        "sessions in a 5200-person cohort study. Br J Sports Med 2025;59(17):1203-. "
        "doi:10.1136/bjsports-2024-109380",
        "used_for": "single-run spike vs the longest run of the previous 30 days; ACWR not associated",
    },
    {
        "id": "gabbett2016",
        "citation": "Gabbett TJ. The training-injury prevention paradox. Br J Sports Med 2016;50:273-280. "
        "doi:10.1136/bjsports-2015-095788",
        "used_for": "rolling coupled ACWR",
    },
    {
        "id": "windt2019",
        "citation": "Windt J, Gabbett TJ. Br J Sports Med 2019 (online 2018), reply to the coupling "
        "critique of Lolli et al. doi:10.1136/bjsports-2017-098925",
        "used_for": "rolling uncoupled ACWR",
    },
    {
        "id": "williams2017",
        "citation": "Williams S, West S, Cross MJ, Stokes KA. Better way to determine the acute:chronic "
        "workload ratio? Br J Sports Med 2017;51:209-210. doi:10.1136/bjsports-2016-096589",
        "used_for": "EWMA ACWR (lambda = 2/(N+1), N = 7 and 28)",
    },
    {
        "id": "impellizzeri2021",
        "citation": "Impellizzeri FM, et al. What role do chronic workloads play in the acute to chronic "
        "workload ratio? Time to dismiss ACWR and its underlying theory. Sports Med 2021;51:581-592. "
        "doi:10.1007/s40279-020-01378-6",
        "used_for": "why ACWR is shown as a descriptive number only",
    },
)


# --------------------------------------------------------------------------------------------------
# Data


@dataclass(frozen=True)
class Session:
    """One run (or other activity) as the load monitor sees it."""

    day: date  # local calendar day of the start
    sport: str  # "running", "walking", ...
    distance_m: float | None
    duration_s: float | None  # moving time
    rpe: float | None  # 0-10 CR-10, may be added the next morning
    elevation_gain_m: float | None = None
    uphill_share: float | None = None  # 0-1 of moving time


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
    monotony_reason: str | None  # why monotony (and strain) is None
    strain: float | None  # weekly sRPE x monotony
    elevation_gain_m: float | None
    elevation_per_km: float | None  # m of climb per km, sessions reporting both
    uphill_share: float | None  # 0-1, moving-time weighted


@dataclass(frozen=True)
class Progression:
    """Nielsen 2014: distance of the last 7 days vs the 7 days before."""

    today: date
    recent_m: float  # today-6 .. today
    previous_m: float  # today-13 .. today-7
    ratio: float | None  # recent / previous, 3 decimals
    percent: float | None  # (ratio - 1) x 100, 1 decimal
    flagged: bool  # percent > 30
    category: str | None  # the questionnaire's weekly_distance_change answer, when a percent exists
    reason: str


@dataclass(frozen=True)
class Spike:
    """Frandsen 2025: one run's distance vs the longest run in the 30 days before it."""

    run_day: date
    distance_m: float
    longest_previous_m: float | None
    longest_previous_day: date | None
    ratio: float | None  # 3 decimals
    band: Band
    reason: str

    @property
    def flagged(self) -> bool:
        return self.band in ("small", "moderate", "large")


@dataclass(frozen=True)
class Acwr:
    metric: str
    today: date
    rolling_uncoupled: float | None
    rolling_coupled: float | None
    ewma: float | None
    acute_7d: float  # sum of the metric over today-6 .. today
    chronic_28d: float  # sum over today-27 .. today
    coverage_days: int  # days from the first recorded session to today, both counted (0: none)
    reason: str | None  # why a value is None
    note: str = ACWR_NOTE


# --------------------------------------------------------------------------------------------------
# Helpers


def _number(value: float | None, maximum: float = MAX_PLAUSIBLE) -> float | None:
    """A usable number: finite, 0 <= value <= maximum; otherwise None (missing)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number) or not 0 <= number <= maximum:
        return None
    return number


def _ratio(numerator: float, denominator: float) -> float | None:
    """numerator / denominator, or None when the denominator is zero or the quotient overflows."""
    if denominator <= 0:
        return None
    quotient = numerator / denominator
    return quotient if math.isfinite(quotient) else None


def _in_sports(session: Session, sports: Collection[str] | None) -> bool:
    return sports is None or session.sport in sports


def week_start(day: date) -> date:
    """The Monday of the ISO week holding `day`."""
    return day - timedelta(days=day.weekday())


def _km(metres: float) -> str:
    return f"{metres / 1000:.1f} km"


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


# --------------------------------------------------------------------------------------------------
# Daily and weekly totals


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
        if not (start <= session.day <= end) or not _in_sports(session, sports):
            continue
        a = acc.setdefault(session.day, dict.fromkeys(_ACC_KEYS, 0.0))
        distance = _number(session.distance_m)
        duration = _number(session.duration_s)
        rpe = _number(session.rpe, RPE_MAX)
        elevation = _number(session.elevation_gain_m)
        uphill = _number(session.uphill_share, 1.0)
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
    for day in _days(start, end):
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


def _monotony(days: Sequence[DayLoad], complete: bool) -> tuple[float | None, str | None]:
    sessions = sum(d.sessions for d in days)
    unrated = sum(d.unrated_sessions for d in days)
    if not complete:
        return None, f"the week is only partly inside the range ({len(days)} of 7 days)"
    if sessions == 0:
        return None, "no sessions this week"
    if unrated == sessions:
        return None, "no session this week has an RPE"
    if unrated:
        return None, (
            f"{unrated} of {sessions} sessions this week have no RPE (or no duration); "
            "monotony needs every session's load"
        )
    loads = [d.srpe_au for d in days]
    sd = statistics.pstdev(loads)
    if sd == 0:
        return None, "every day had the same load (SD = 0), so monotony is undefined"
    return min(statistics.fmean(loads) / sd, MONOTONY_CAP), None


def weekly_loads(daily: Sequence[DayLoad]) -> list[WeekLoad]:
    """Monday-to-Sunday weeks over the daily list, in order."""
    by_week: dict[date, list[DayLoad]] = {}
    for day in sorted(daily, key=lambda d: d.day):
        by_week.setdefault(week_start(day.day), []).append(day)
    out: list[WeekLoad] = []
    for monday, days in by_week.items():
        complete = len({d.day for d in days}) == 7
        monotony, monotony_reason = _monotony(days, complete)
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
                monotony_reason=monotony_reason,
                strain=srpe * monotony if monotony is not None else None,
                elevation_gain_m=elevation,
                elevation_per_km=(
                    _ratio(elevation, elevation_distance / 1000) if elevation is not None else None
                ),
                uphill_share=_ratio(sum(d.uphill_s for d in days), uphill_measured),
            )
        )
    return out


# --------------------------------------------------------------------------------------------------
# Nielsen 2014: 2-week progression


def _category(percent: float) -> str:
    """The answer to the questionnaire's `weekly_distance_change` for this percentage."""
    if percent <= 0:
        return "less_or_same"
    if percent <= 10:
        return "up_to_10_percent"
    if percent <= PROGRESSION_FLAG_PERCENT:
        return "10_to_30_percent"
    return "over_30_percent"


def two_week_progression(daily: Sequence[DayLoad], today: date) -> Progression:
    """Distance of today-6..today vs today-13..today-7 (days outside `daily` count as rest days)."""
    by_day = {d.day: d.distance_m for d in daily}
    recent = sum(by_day.get(today - timedelta(days=i), 0.0) for i in range(7))
    previous = sum(by_day.get(today - timedelta(days=i), 0.0) for i in range(7, 14))
    span = f"{_km(recent)} in the last 7 days vs {_km(previous)} in the 7 days before"
    if previous <= 0:
        if recent <= 0:
            reason = "no running recorded in the last 14 days"
        else:
            reason = (
                f"no running recorded in {today - timedelta(days=13)}..{today - timedelta(days=7)}, "
                f"so there is no earlier week to compare {_km(recent)} with"
            )
        return Progression(today, recent, previous, None, None, False, None, reason)
    raw = _ratio(recent, previous)
    if raw is None:
        reason = f"{span}: the earlier week is too small to compare with"
        return Progression(today, recent, previous, None, None, False, None, reason)
    ratio = round(raw, 3)
    percent = round((raw - 1.0) * 100.0, 1)
    flagged = percent > PROGRESSION_FLAG_PERCENT
    if flagged:
        reason = (
            f"{span}: {percent:+.1f} %, more than 30 % up. Novice runners progressing > 30 % over "
            "2 weeks had more distance-related injuries (Nielsen 2014; borderline, HR 1.59, "
            "95 % CI 0.96-2.66): consider a smaller step."
        )
    else:
        reason = f"{span}: {percent:+.1f} % (Nielsen 2014 flags rises above 30 % over 2 weeks)"
    return Progression(today, recent, previous, ratio, percent, flagged, _category(percent), reason)


# --------------------------------------------------------------------------------------------------
# Frandsen 2025: single-run spike


def _band(ratio: float) -> Band:
    if ratio <= SPIKE_SMALL:
        return "none"
    if ratio <= SPIKE_MODERATE:
        return "small"
    if ratio <= SPIKE_LARGE:
        return "moderate"
    return "large"


_BAND_TEXT = {
    "none": "within 110 % of your longest recent run",
    "small": "a small spike (110-130 %)",
    "moderate": "a moderate spike (130-200 %)",
    "large": "a large spike (over 200 %)",
}


def run_spike(
    sessions: Iterable[Session], session: Session, sports: Collection[str] | None = DEFAULT_SPORTS
) -> Spike:
    """`session`'s distance against the longest run in the 30 calendar days before its day."""
    distance = _number(session.distance_m)
    if distance is None or distance < MIN_DISTANCE_M:
        return Spike(
            session.day,
            distance or 0.0,
            None,
            None,
            None,
            "none",
            "this activity has no distance (under 1 m), so no spike ratio",
        )
    window_start = session.day - timedelta(days=SPIKE_WINDOW_DAYS)
    longest: Session | None = None
    longest_m = 0.0
    for other in sessions:
        if not (window_start <= other.day < session.day) or not _in_sports(other, sports):
            continue
        other_m = _number(other.distance_m) or 0.0
        if other_m >= MIN_DISTANCE_M and other_m > longest_m:
            longest, longest_m = other, other_m
    if longest is None:
        return Spike(
            session.day,
            distance,
            None,
            None,
            None,
            "no_history",
            f"no run with a distance recorded in {window_start}..{session.day - timedelta(days=1)}, "
            "so there is no longest recent run to compare with",
        )
    ratio = round(distance / longest_m, 3)  # both >= 1 m: no overflow
    band = _band(ratio)
    reason = (
        f"{_km(distance)} is {ratio * 100:.1f} % of your longest run in the previous 30 days "
        f"({_km(longest_m)} on {longest.day}): {_BAND_TEXT[band]}"
    )
    if band != "none":
        reason += (
            " (Frandsen 2025: runs over 110 % of the longest recent run came with more overuse injuries)"
        )
    return Spike(session.day, distance, longest_m, longest.day, ratio, band, reason)


def latest_spike(
    sessions: Iterable[Session], today: date, sports: Collection[str] | None = DEFAULT_SPORTS
) -> Spike | None:
    """The spike of the most recent run with a distance on or before `today` (the longest one when
    that day has several); None when there is no such run."""
    pool = list(sessions)
    runs = [
        s
        for s in pool
        if s.day <= today and _in_sports(s, sports) and (_number(s.distance_m) or 0.0) >= MIN_DISTANCE_M
    ]
    if not runs:
        return None
    last_day = max(s.day for s in runs)
    run = max((s for s in runs if s.day == last_day), key=lambda s: _number(s.distance_m) or 0.0)
    return run_spike(pool, run, sports)


# --------------------------------------------------------------------------------------------------
# ACWR


def _metric_value(day: DayLoad, metric: str) -> float:
    value = getattr(day, metric)
    return float(value) if isinstance(value, int | float) else 0.0


def _has_load(day: DayLoad, metric: str) -> bool:
    return day.rated_sessions > 0 if metric == "srpe_au" else day.sessions > 0


def acwr(daily: Sequence[DayLoad], today: date, metric: str = "distance_m") -> Acwr:
    """Rolling (coupled and uncoupled) and EWMA acute:chronic ratios of `metric` on `today`."""
    if metric not in METRICS:
        raise ValueError(f"unknown load metric {metric!r}; use one of {', '.join(METRICS)}")
    by_day: dict[date, float] = {}
    first: date | None = None
    for day in daily:
        if day.day > today:
            continue
        by_day[day.day] = by_day.get(day.day, 0.0) + _metric_value(day, metric)
        if _has_load(day, metric) and (first is None or day.day < first):
            first = day.day

    def load(d: date) -> float:
        return by_day.get(d, 0.0)

    acute = sum(load(today - timedelta(days=i)) for i in range(ACUTE_DAYS))
    chronic = sum(load(today - timedelta(days=i)) for i in range(CHRONIC_DAYS))
    older = sum(load(today - timedelta(days=i)) for i in range(ACUTE_DAYS, CHRONIC_DAYS))

    def empty(coverage: int, reason: str) -> Acwr:
        return Acwr(metric, today, None, None, None, acute, chronic, coverage, reason)

    what = "session with an RPE" if metric == "srpe_au" else "session"
    if first is None:
        return empty(0, f"not enough data: no {what} recorded")
    coverage = (today - first).days + 1
    if coverage < CHRONIC_DAYS:
        return empty(
            coverage,
            f"not enough data: {coverage} of {CHRONIC_DAYS} days recorded (first {what} on {first})",
        )
    if chronic <= 0:
        return empty(
            coverage, f"no load in the last {CHRONIC_DAYS} days, so there is nothing to compare with"
        )

    reasons: list[str] = []
    coupled = acute / (chronic / 4.0)  # acute is part of chronic: at most 4, never overflows
    uncoupled = _ratio(acute / ACUTE_DAYS, older / (CHRONIC_DAYS - ACUTE_DAYS))
    if uncoupled is None:
        reasons.append(
            "uncoupled: no load in days 8-28 before today"
            if older <= 0
            else "uncoupled: the load of days 8-28 before today is too small to compare with"
        )

    lam_a = 2.0 / (EWMA_ACUTE_N + 1)
    lam_c = 2.0 / (EWMA_CHRONIC_N + 1)
    ewma_a = ewma_c = load(first)
    for d in _days(first + timedelta(days=1), today):
        value = load(d)
        ewma_a = lam_a * value + (1 - lam_a) * ewma_a
        ewma_c = lam_c * value + (1 - lam_c) * ewma_c
    ewma = _ratio(ewma_a, ewma_c)
    if ewma is None:
        reasons.append("EWMA: the chronic average is zero")
    return Acwr(metric, today, uncoupled, coupled, ewma, acute, chronic, coverage, "; ".join(reasons) or None)


# --------------------------------------------------------------------------------------------------
# JSON report for `backstride load --format json`


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 4)
    return value


def _row(obj: Any) -> dict[str, Any]:
    return {f.name: _plain(getattr(obj, f.name)) for f in fields(obj)}


def _day_json(day: DayLoad) -> dict[str, Any]:
    row = _row(day)
    if day.elevation_gain_m is None:
        row["reasons"] = {
            "elevation_gain_m": "rest day"
            if day.sessions == 0
            else "no session this day reports elevation gain"
        }
    return row


def _week_json(week: WeekLoad) -> dict[str, Any]:
    row = _row(week)
    reasons: dict[str, str] = {}
    if week.monotony is None:
        reasons["monotony"] = reasons["strain"] = week.monotony_reason or ""
    if week.elevation_gain_m is None:
        reasons["elevation_gain_m"] = "no session this week reports elevation gain"
    if week.elevation_per_km is None:
        reasons["elevation_per_km"] = "no distance from sessions that report elevation gain"
    if week.uphill_share is None:
        reasons["uphill_share"] = "no session this week reports an uphill share with a moving time"
    if reasons:
        row["reasons"] = reasons
    return row


def load_report(
    sessions: Iterable[Session],
    start: date,
    end: date,
    today: date,
    sports: Collection[str] | None = DEFAULT_SPORTS,
    metric: str = "distance_m",
) -> dict[str, Any]:
    """Plain JSON-able data: daily and weekly totals for start..end, and the spike, progression and
    ACWR as of `today` from the whole history up to today (not limited to start..end)."""
    pool = list(sessions)
    past = [s for s in pool if s.day <= today and _in_sports(s, sports)]
    daily = daily_loads(pool, start, end, sports)
    history_start = min([today - timedelta(days=CHRONIC_DAYS - 1), *(s.day for s in past)])
    history = daily_loads(past, history_start, today, sports)
    spike = latest_spike(past, today, sports)
    report: dict[str, Any] = {
        "today": today.isoformat(),
        "range": {"start": start.isoformat(), "end": end.isoformat()},
        "sports": sorted(sports) if sports is not None else None,
        "daily": [_day_json(d) for d in daily],
        "weekly": [_week_json(w) for w in weekly_loads(daily)],
        "spike": None,
        "progression": _row(two_week_progression(history, today)),
        "acwr": _row(acwr(history, today, metric)),
        "sources": [dict(source) for source in SOURCES],
    }
    if spike is None:
        report["reasons"] = {"spike": "no run with a distance on or before today"}
    else:
        report["spike"] = _row(spike) | {"flagged": spike.flagged}
    if sports is None:
        report["reasons"] = report.get("reasons", {}) | {"sports": "every sport counted"}
    return report
