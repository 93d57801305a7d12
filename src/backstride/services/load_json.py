"""The load report as plain JSON-able data: `backstride load --format json` and the dashboard's load
figures. Its keys and their order are a public contract (tests/services/test_load_report.py); the
values are the core's figures, floats to 4 decimals, dates as ISO text, missing values explained in
words (services.load_text)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date
from typing import NotRequired, TypedDict

from backstride.core.load import (
    DEFAULT_SPORTS,
    Acwr,
    DayLoad,
    Progression,
    Session,
    Spike,
    WeekLoad,
    load_figures,
)

from .load_text import (
    ACWR_NOTE,
    EVERY_SPORT,
    NO_ELEVATION_DISTANCE,
    NO_SPIKE,
    NO_UPHILL_SHARE,
    NO_WEEK_ELEVATION,
    SourceJson,
    acwr_reason,
    day_elevation_reason,
    load_sources,
    monotony_reason,
    progression_reason,
    spike_reason,
)


class DayReasons(TypedDict):
    elevation_gain_m: str


class DayJson(TypedDict):
    day: str
    distance_m: float
    duration_s: float
    srpe_au: float
    sessions: int
    unrated_sessions: int
    elevation_gain_m: float | None
    elevation_distance_m: float
    uphill_s: float
    uphill_measured_s: float
    reasons: NotRequired[DayReasons]


class WeekReasons(TypedDict, total=False):
    monotony: str
    strain: str
    elevation_gain_m: str
    elevation_per_km: str
    uphill_share: str


class WeekJson(TypedDict):
    week_start: str
    distance_m: float
    duration_s: float
    srpe_au: float
    sessions: int
    unrated_sessions: int
    days_in_range: int
    complete: bool
    monotony: float | None
    monotony_reason: str | None
    strain: float | None
    elevation_gain_m: float | None
    elevation_per_km: float | None
    uphill_share: float | None
    reasons: NotRequired[WeekReasons]


class SpikeJson(TypedDict):
    run_day: str
    distance_m: float
    longest_previous_m: float | None
    longest_previous_day: str | None
    ratio: float | None
    band: str
    reason: str
    flagged: bool


class ProgressionJson(TypedDict):
    today: str
    recent_m: float
    previous_m: float
    ratio: float | None
    percent: float | None
    flagged: bool
    category: str | None
    reason: str


class AcwrJson(TypedDict):
    metric: str
    today: str
    rolling_uncoupled: float | None
    rolling_coupled: float | None
    ewma: float | None
    acute_7d: float
    chronic_28d: float
    coverage_days: int
    reason: str | None
    note: str


class RangeJson(TypedDict):
    start: str
    end: str


class ReportReasons(TypedDict, total=False):
    spike: str
    sports: str


class LoadReport(TypedDict):
    today: str
    range: RangeJson
    sports: list[str] | None
    daily: list[DayJson]
    weekly: list[WeekJson]
    spike: SpikeJson | None
    progression: ProgressionJson
    acwr: AcwrJson
    sources: list[SourceJson]
    reasons: NotRequired[ReportReasons]


def _number(value: float) -> float:
    """A float to 4 decimals (an int, which a float field may hold, as it is)."""
    return round(value, 4) if isinstance(value, float) else value


def _maybe(value: float | None) -> float | None:
    return None if value is None else _number(value)


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def day_json(day: DayLoad) -> DayJson:
    row = DayJson(
        day=day.day.isoformat(),
        distance_m=_number(day.distance_m),
        duration_s=_number(day.duration_s),
        srpe_au=_number(day.srpe_au),
        sessions=day.sessions,
        unrated_sessions=day.unrated_sessions,
        elevation_gain_m=_maybe(day.elevation_gain_m),
        elevation_distance_m=_number(day.elevation_distance_m),
        uphill_s=_number(day.uphill_s),
        uphill_measured_s=_number(day.uphill_measured_s),
    )
    if day.elevation_gain_m is None:
        row["reasons"] = DayReasons(elevation_gain_m=day_elevation_reason(day))
    return row


def week_json(week: WeekLoad) -> WeekJson:
    why_no_monotony = monotony_reason(week)
    row = WeekJson(
        week_start=week.week_start.isoformat(),
        distance_m=_number(week.distance_m),
        duration_s=_number(week.duration_s),
        srpe_au=_number(week.srpe_au),
        sessions=week.sessions,
        unrated_sessions=week.unrated_sessions,
        days_in_range=week.days_in_range,
        complete=week.complete,
        monotony=_maybe(week.monotony),
        monotony_reason=why_no_monotony,
        strain=_maybe(week.strain),
        elevation_gain_m=_maybe(week.elevation_gain_m),
        elevation_per_km=_maybe(week.elevation_per_km),
        uphill_share=_maybe(week.uphill_share),
    )
    reasons = WeekReasons()
    if week.monotony is None:
        reasons["monotony"] = reasons["strain"] = why_no_monotony or ""
    if week.elevation_gain_m is None:
        reasons["elevation_gain_m"] = NO_WEEK_ELEVATION
    if week.elevation_per_km is None:
        reasons["elevation_per_km"] = NO_ELEVATION_DISTANCE
    if week.uphill_share is None:
        reasons["uphill_share"] = NO_UPHILL_SHARE
    if reasons:
        row["reasons"] = reasons
    return row


def spike_json(spike: Spike) -> SpikeJson:
    return SpikeJson(
        run_day=spike.run_day.isoformat(),
        distance_m=_number(spike.distance_m),
        longest_previous_m=_maybe(spike.longest_previous_m),
        longest_previous_day=_iso(spike.longest_previous_day),
        ratio=_maybe(spike.ratio),
        band=spike.band,
        reason=spike_reason(spike),
        flagged=spike.flagged,
    )


def progression_json(progression: Progression) -> ProgressionJson:
    return ProgressionJson(
        today=progression.today.isoformat(),
        recent_m=_number(progression.recent_m),
        previous_m=_number(progression.previous_m),
        ratio=_maybe(progression.ratio),
        percent=_maybe(progression.percent),
        flagged=progression.flagged,
        category=progression.category,
        reason=progression_reason(progression),
    )


def acwr_json(acwr: Acwr) -> AcwrJson:
    return AcwrJson(
        metric=acwr.metric,
        today=acwr.today.isoformat(),
        rolling_uncoupled=_maybe(acwr.rolling_uncoupled),
        rolling_coupled=_maybe(acwr.rolling_coupled),
        ewma=_maybe(acwr.ewma),
        acute_7d=_number(acwr.acute_7d),
        chronic_28d=_number(acwr.chronic_28d),
        coverage_days=acwr.coverage_days,
        reason=acwr_reason(acwr),
        note=ACWR_NOTE,
    )


def load_report(
    sessions: Iterable[Session],
    start: date,
    end: date,
    today: date,
    sports: Collection[str] | None = DEFAULT_SPORTS,
    metric: str = "distance_m",
) -> LoadReport:
    """Daily and weekly totals for start..end, and the spike, progression and ACWR as of `today`
    from the whole history up to today (not limited to start..end), as JSON-able data."""
    figures = load_figures(sessions, start, end, today, sports, metric)
    report = LoadReport(
        today=today.isoformat(),
        range=RangeJson(start=start.isoformat(), end=end.isoformat()),
        sports=list(figures.sports) if figures.sports is not None else None,
        daily=[day_json(d) for d in figures.daily],
        weekly=[week_json(w) for w in figures.weekly],
        spike=None if figures.spike is None else spike_json(figures.spike),
        progression=progression_json(figures.progression),
        acwr=acwr_json(figures.acwr),
        sources=load_sources(),
    )
    reasons = ReportReasons()
    if figures.spike is None:
        reasons["spike"] = NO_SPIKE
    if figures.sports is None:
        reasons["sports"] = EVERY_SPORT
    if reasons:
        report["reasons"] = reasons
    return report
