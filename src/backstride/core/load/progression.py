"""Nielsen 2014: the 2-week progression of running distance (the last 7 days vs the 7 before)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from .common import PROGRESSION_FLAG_PERCENT, safe_ratio
from .totals import DayLoad


class ProgressionCase(StrEnum):
    """Which comparison the figures allow; services.load_text words each case."""

    NO_RUNNING = "no_running"  # nothing in either week
    NO_EARLIER_WEEK = "no_earlier_week"  # nothing in the 7 days before
    EARLIER_TOO_SMALL = "earlier_too_small"  # the quotient overflows
    COMPARED = "compared"  # a percentage (flagged or not)


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
    case: ProgressionCase

    @property
    def previous_first(self) -> date:
        """The first day of the earlier week."""
        return self.today - timedelta(days=13)

    @property
    def previous_last(self) -> date:
        """The last day of the earlier week."""
        return self.today - timedelta(days=7)


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
    if previous <= 0:
        case = ProgressionCase.NO_RUNNING if recent <= 0 else ProgressionCase.NO_EARLIER_WEEK
        return Progression(today, recent, previous, None, None, False, None, case)
    raw = safe_ratio(recent, previous)
    if raw is None:
        case = ProgressionCase.EARLIER_TOO_SMALL
        return Progression(today, recent, previous, None, None, False, None, case)
    ratio = round(raw, 3)
    percent = round((raw - 1.0) * 100.0, 1)
    flagged = percent > PROGRESSION_FLAG_PERCENT
    return Progression(
        today, recent, previous, ratio, percent, flagged, _category(percent), ProgressionCase.COMPARED
    )
