"""When to repeat the full symptom check (spec A.8): pain spreading to a new area, a worse week, or
day 28 and day 42 of the episode, each until a full check is done. The core gives the reason keys;
their words to the runner are in knowledge/diary_texts.yaml (``recheck_message``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from .check_in import CheckIn
from .series import by_day, weekly_trend

RECHECK_MILESTONES: tuple[int, ...] = (28, 42)  # spec A.8: day 28 and day 42 of the episode


def new_areas(check_ins: Iterable[CheckIn], today: date, episode_start: date | None = None) -> frozenset[str]:
    """Today's locations that no earlier check-in of the episode had. Empty without an entry today
    or without an earlier check-in in the episode (the first entry sets what is usual)."""
    days = by_day(check_ins, today)
    entry = days.get(today)
    earlier = [c for d, c in days.items() if d < today and (episode_start is None or d >= episode_start)]
    if entry is None or not earlier:
        return frozenset()
    seen = frozenset().union(*(c.locations for c in earlier))
    return entry.locations - seen


def needs_full_recheck(
    check_ins: Iterable[CheckIn],
    today: date,
    episode_start: date | None,
    last_full_check: date | None = None,
) -> list[str]:
    """Why the full symptom check should be repeated today (spec A.8), as reason keys
    (knowledge/diary_texts.yaml words each):

    * ``new_area``: today's entry has a location not logged before in the episode;
    * ``trend_worse``: ``weekly_trend`` is "worse";
    * ``day_28`` / ``day_42``: the episode (day 0 = ``episode_start``) has reached day 28 or 42
      and no full check was done on or after that day. Without ``last_full_check`` the milestone
      stays due from that day on (day_28 until day 42, when day_42 takes over), so a person who
      skips the app on day 28 still gets the prompt.

    A full check done today (``last_full_check == today``) clears every reason."""
    check_ins = list(check_ins)
    if last_full_check is not None and last_full_check >= today:
        return []
    reasons: list[str] = []
    if new_areas(check_ins, today, episode_start):
        reasons.append("new_area")
    if weekly_trend(check_ins, today) == "worse":
        reasons.append("trend_worse")
    if episode_start is not None:
        elapsed = (today - episode_start).days
        reached = [m for m in RECHECK_MILESTONES if elapsed >= m]
        if reached:
            milestone = reached[-1]  # only the latest milestone reached is due
            due_from = episode_start + timedelta(days=milestone)
            if last_full_check is None or last_full_check < due_from:
                reasons.append(f"day_{milestone}")
    return reasons
