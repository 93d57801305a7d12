"""Training load from the stored activities (pure formulas in core.load, words in load_text, the JSON
shape in load_json)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django.contrib.auth.models import User

from backstride.config import run_day
from backstride.core.inputs import EARLIEST_DAY, InvalidValue, check_span
from backstride.core.load import Session
from backstride.storage.models import Activity

from .errors import BadOptions
from .load_json import LoadReport, load_report

__all__ = ["HISTORY_DAYS", "LoadReport", "load_for", "load_report", "sessions"]

# How far back the figures "as of today" look. The EWMA seed's weight after a year is (27/29)^365
# ~ 5e-12 and the other figures need 30 days at most, so a longer history changes nothing shown,
# while reading ten years of runs on every request would make the page slower as the years pass.
HISTORY_DAYS = 400


def sessions(user: User, since: date | None = None) -> list[Session]:
    """Activities as load sessions, on their calendar day (run_day: the file's local time, else the
    runner's)."""
    activities = Activity.objects.filter(owner=user)
    if since is not None:
        # A day early: the session day is local time (run_day), the stored start is UTC.
        activities = activities.filter(
            start_time__gte=datetime.combine(since - timedelta(days=1), time(), UTC)
        )
    rows = activities.values_list(
        "start_time",
        "utc_offset_s",
        "source_format",
        "sport",
        "distance_m",
        "moving_time_s",
        "elapsed_time_s",
        "rpe",
        "elevation_gain_m",
        "uphill_share",
    )
    return [
        Session(
            day=run_day(start, offset, source_format),
            sport=sport,
            distance_m=distance,
            duration_s=moving if moving is not None else elapsed,  # spec 4.5: moving time, else duration
            rpe=rpe,
            elevation_gain_m=gain,
            uphill_share=uphill,
        )
        for start, offset, source_format, sport, distance, moving, elapsed, rpe, gain, uphill in rows
    ]


def load_for(user: User, start: date | None, end: date | None, today: date) -> LoadReport:
    """Daily and weekly series for start..end (default: the last 12 weeks) plus spike, 2-week
    progression and ACWR as of today."""
    end = end or today
    start = start or max(end - timedelta(weeks=12) + timedelta(days=1), EARLIEST_DAY)
    try:  # at most MAX_SPAN_YEARS: 57 years of daily rows once took minutes and gigabytes
        check_span(start, end, "--from", "--to")
    except InvalidValue as error:
        raise BadOptions(error.problems, error.message) from error
    since = min(start, today - timedelta(days=HISTORY_DAYS))
    return load_report(sessions(user, since=since), start, end, today)
