"""What every load figure shares: the session as the load monitor sees it, the thresholds, and the
rules for a usable number (spec activity.md section 4)."""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

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

# The studies behind the figures, by id; services.load_text holds their citations.
SOURCE_IDS: tuple[str, ...] = (
    "foster2001",  # session RPE, monotony and strain
    "nielsen2014",  # 2-week progression
    "frandsen2025",  # single-run spike; ACWR not associated
    "gabbett2016",  # rolling coupled ACWR
    "windt2019",  # rolling uncoupled ACWR
    "williams2017",  # EWMA ACWR
    "impellizzeri2021",  # why ACWR is descriptive only
)


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


def usable_number(value: float | None, maximum: float = MAX_PLAUSIBLE) -> float | None:
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


def safe_ratio(numerator: float, denominator: float) -> float | None:
    """numerator / denominator, or None when the denominator is zero or the quotient overflows."""
    if denominator <= 0:
        return None
    quotient = numerator / denominator
    return quotient if math.isfinite(quotient) else None


def counts_for(session: Session, sports: Collection[str] | None) -> bool:
    """Whether the session's sport is one of ``sports`` (None: every sport)."""
    return sports is None or session.sport in sports


def week_start(day: date) -> date:
    """The Monday of the ISO week holding `day`."""
    return day - timedelta(days=day.weekday())


def days_from(first: date, last: date) -> list[date]:
    """Every day of first..last, both included."""
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]
