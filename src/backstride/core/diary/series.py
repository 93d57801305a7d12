"""The diary read as a series of days: one check-in per day up to today (the later one wins), and
the weekly trend of pain (D.1 rule 3; the questionnaire's ``trend_week``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Literal

from .check_in import CheckIn


def by_day(check_ins: Iterable[CheckIn], today: date) -> dict[date, CheckIn]:
    """One check-in per day up to today; the later one in the input wins for a repeated day."""
    days: dict[date, CheckIn] = {}
    for check_in in check_ins:
        if check_in.day <= today:
            days[check_in.day] = check_in
    return dict(sorted(days.items()))


def entry_on(check_ins: Iterable[CheckIn], day: date) -> CheckIn | None:
    """The day's check-in (the later one in the input for a repeated day), as ``by_day(...)[day]``
    without sorting the whole diary: the plan asks this for many days of one diary."""
    found = None
    for check_in in check_ins:
        if check_in.day == day:
            found = check_in
    return found


# --- weekly trend (D.1 rule 3; trend_week of the questionnaire) -------------------------------

Trend = Literal["better", "same", "worse"]
TREND_POINTS = 1  # app policy: a change of >= 1 point in mean pain (0-10) is better/worse
TREND_MIN_DAYS = 3  # app policy: at least 3 logged days in each of the two weeks


def weekly_trend(check_ins: Iterable[CheckIn], today: date) -> Trend | None:
    """Mean ``pain_now`` of the last 7 days (today and the 6 before) against the 7 days before
    those: "worse" when it rose by TREND_POINTS or more, "better" when it fell by as much, else
    "same". None unless both weeks hold at least TREND_MIN_DAYS logged days. Stiffness is not used
    (it is optional, and Silbernagel's rule is about pain and stiffness together)."""
    first, split = today - timedelta(days=13), today - timedelta(days=6)
    days = {c.day: c for c in check_ins if first <= c.day <= today}  # the later one wins, as by_day
    recent = [c.pain_now for d, c in days.items() if d >= split]
    before = [c.pain_now for d, c in days.items() if d < split]
    if len(recent) < TREND_MIN_DAYS or len(before) < TREND_MIN_DAYS:
        return None
    # mean(recent) - mean(before) compared in whole numbers, so 1.0 is exactly 1.0
    change = sum(recent) * len(before) - sum(before) * len(recent)
    threshold = TREND_POINTS * len(recent) * len(before)
    if change >= threshold:
        return "worse"
    if change <= -threshold:
        return "better"
    return "same"
