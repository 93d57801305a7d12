"""The acute:chronic workload ratio, rolling (coupled and uncoupled) and EWMA: a descriptive number
only (Impellizzeri 2021; not linked to injuries in Frandsen 2025)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from .common import (
    ACUTE_DAYS,
    CHRONIC_DAYS,
    EWMA_ACUTE_N,
    EWMA_CHRONIC_N,
    METRICS,
    days_from,
    safe_ratio,
)
from .totals import DayLoad


class AcwrGap(StrEnum):
    """Why a ratio is None; services.load_text words each case."""

    NO_HISTORY = "no_history"  # no session (with an RPE, for sRPE) recorded: every ratio None
    SHORT_HISTORY = "short_history"  # fewer than 28 days recorded: every ratio None
    NO_CHRONIC_LOAD = "no_chronic_load"  # the 28-day window is all zeros: every ratio None
    UNCOUPLED_NO_OLDER_LOAD = "uncoupled_no_older_load"  # days 8-28 before today are all zeros
    UNCOUPLED_OLDER_TOO_SMALL = "uncoupled_older_too_small"  # the quotient overflows
    EWMA_ZERO_CHRONIC = "ewma_zero_chronic"  # the chronic EWMA is zero


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
    first_day: date | None  # the first recorded session (rated, for sRPE)
    gaps: tuple[AcwrGap, ...] = ()  # why a value is None, in the order found


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

    def empty(coverage: int, gap: AcwrGap) -> Acwr:
        return Acwr(metric, today, None, None, None, acute, chronic, coverage, first, (gap,))

    if first is None:
        return empty(0, AcwrGap.NO_HISTORY)
    coverage = (today - first).days + 1
    if coverage < CHRONIC_DAYS:
        return empty(coverage, AcwrGap.SHORT_HISTORY)
    if chronic <= 0:
        return empty(coverage, AcwrGap.NO_CHRONIC_LOAD)

    gaps: list[AcwrGap] = []
    coupled = acute / (chronic / 4.0)  # acute is part of chronic: at most 4, never overflows
    uncoupled = safe_ratio(acute / ACUTE_DAYS, older / (CHRONIC_DAYS - ACUTE_DAYS))
    if uncoupled is None:
        gaps.append(AcwrGap.UNCOUPLED_NO_OLDER_LOAD if older <= 0 else AcwrGap.UNCOUPLED_OLDER_TOO_SMALL)

    lam_a = 2.0 / (EWMA_ACUTE_N + 1)
    lam_c = 2.0 / (EWMA_CHRONIC_N + 1)
    ewma_a = ewma_c = load(first)
    for d in days_from(first + timedelta(days=1), today):
        value = load(d)
        ewma_a = lam_a * value + (1 - lam_a) * ewma_a
        ewma_c = lam_c * value + (1 - lam_c) * ewma_c
    ewma = safe_ratio(ewma_a, ewma_c)
    if ewma is None:
        gaps.append(AcwrGap.EWMA_ZERO_CHRONIC)
    return Acwr(metric, today, uncoupled, coupled, ewma, acute, chronic, coverage, first, tuple(gaps))
