"""Training load from the stored activities (pure formulas in core.load)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import User

from backstride.core.load import Session, load_report
from backstride.storage.models import Activity


def sessions(user: User) -> list[Session]:
    """Every activity as a load session, on its local calendar day (UTC + the file's offset)."""
    rows = Activity.objects.filter(owner=user).values_list(
        "start_time",
        "utc_offset_s",
        "sport",
        "distance_m",
        "moving_time_s",
        "rpe",
        "elevation_gain_m",
        "uphill_share",
    )
    return [
        Session(
            day=(start + timedelta(seconds=offset or 0)).date(),
            sport=sport,
            distance_m=distance,
            duration_s=moving,
            rpe=rpe,
            elevation_gain_m=gain,
            uphill_share=uphill,
        )
        for start, offset, sport, distance, moving, rpe, gain, uphill in rows
    ]


def load_for(user: User, start: date | None, end: date | None, today: date) -> dict[str, Any]:
    """Daily and weekly series for start..end (default: the last 12 weeks) plus spike, 2-week
    progression and ACWR as of today."""
    end = end or today
    start = start or end - timedelta(weeks=12) + timedelta(days=1)
    if start > end:
        raise ValueError(f"--from {start} is after --to {end}")
    return load_report(sessions(user), start, end, today)
