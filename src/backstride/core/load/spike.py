"""Frandsen 2025: one run's distance against the longest run in the 30 calendar days before it."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from .common import (
    DEFAULT_SPORTS,
    MIN_DISTANCE_M,
    SPIKE_LARGE,
    SPIKE_MODERATE,
    SPIKE_SMALL,
    SPIKE_WINDOW_DAYS,
    Band,
    Session,
    counts_for,
    usable_number,
)


class SpikeCase(StrEnum):
    """Which comparison the run allows; services.load_text words each case."""

    NO_DISTANCE = "no_distance"  # the run itself has no distance (under 1 m)
    NO_HISTORY = "no_history"  # no run with a distance in the 30 days before
    COMPARED = "compared"  # a ratio and its band


@dataclass(frozen=True)
class Spike:
    """Frandsen 2025: one run's distance vs the longest run in the 30 days before it."""

    run_day: date
    distance_m: float
    longest_previous_m: float | None
    longest_previous_day: date | None
    ratio: float | None  # 3 decimals
    band: Band
    case: SpikeCase

    @property
    def flagged(self) -> bool:
        return self.band in ("small", "moderate", "large")

    @property
    def window_first(self) -> date:
        """The first day the longest previous run is looked for on."""
        return self.run_day - timedelta(days=SPIKE_WINDOW_DAYS)

    @property
    def window_last(self) -> date:
        """The last day looked at: the day before the run."""
        return self.run_day - timedelta(days=1)


def _band(ratio: float) -> Band:
    if ratio <= SPIKE_SMALL:
        return "none"
    if ratio <= SPIKE_MODERATE:
        return "small"
    if ratio <= SPIKE_LARGE:
        return "moderate"
    return "large"


def run_spike(
    sessions: Iterable[Session], session: Session, sports: Collection[str] | None = DEFAULT_SPORTS
) -> Spike:
    """`session`'s distance against the longest run in the 30 calendar days before its day."""
    distance = usable_number(session.distance_m)
    if distance is None or distance < MIN_DISTANCE_M:
        return Spike(session.day, distance or 0.0, None, None, None, "none", SpikeCase.NO_DISTANCE)
    window_start = session.day - timedelta(days=SPIKE_WINDOW_DAYS)
    longest: Session | None = None
    longest_m = 0.0
    for other in sessions:
        if not (window_start <= other.day < session.day) or not counts_for(other, sports):
            continue
        other_m = usable_number(other.distance_m) or 0.0
        if other_m >= MIN_DISTANCE_M and other_m > longest_m:
            longest, longest_m = other, other_m
    if longest is None:
        return Spike(session.day, distance, None, None, None, "no_history", SpikeCase.NO_HISTORY)
    ratio = round(distance / longest_m, 3)  # both >= 1 m: no overflow
    return Spike(session.day, distance, longest_m, longest.day, ratio, _band(ratio), SpikeCase.COMPARED)


def latest_spike(
    sessions: Iterable[Session], today: date, sports: Collection[str] | None = DEFAULT_SPORTS
) -> Spike | None:
    """The spike of the most recent run with a distance on or before `today` (the longest one when
    that day has several); None when there is no such run."""
    pool = list(sessions)
    runs = [
        s
        for s in pool
        if s.day <= today and counts_for(s, sports) and (usable_number(s.distance_m) or 0.0) >= MIN_DISTANCE_M
    ]
    if not runs:
        return None
    last_day = max(s.day for s in runs)
    run = max((s for s in runs if s.day == last_day), key=lambda s: usable_number(s.distance_m) or 0.0)
    return run_spike(pool, run, sports)
