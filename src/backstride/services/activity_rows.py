"""An activity as the command line's JSON and the activity pages show it (`ActivityRow`)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import TypedDict

from backstride.config import local_time, run_day
from backstride.core.pace import activity_name, pace_s_per_km
from backstride.storage.models import Activity


class ActivityRow(TypedDict):
    """One activity as `backstride import/activities --format json` prints it (a public contract)
    and as the activity pages read it."""

    id: int
    start_time: str  # ISO 8601, UTC
    utc_offset_s: int | None
    day: str  # ISO date the run counts for (spec activity.md: local day)
    sport: str
    sub_sport: str | None
    indoor: bool
    name: str | None
    distance_m: float | None
    moving_time_s: float | None
    elapsed_time_s: float | None
    elevation_gain_m: float | None
    elevation_loss_m: float | None
    uphill_share: float | None
    downhill_share: float | None
    avg_cadence_spm: float | None
    avg_hr_bpm: float | None
    rpe: float | None
    gear: str | None
    shoe: str | None
    source_file: str
    source_format: str
    partial: bool
    partial_reason: str | None
    # Added for the pages (issue 13): the name to show (the file's, else "Morning run" from the local
    # start hour), the start on the runner's clock (None for a run entered by hand: it has no time of
    # day) and the average pace over the moving time.
    display_name: str
    local_start: str | None  # ISO 8601 with the local offset
    pace_s_per_km: float | None


def activity_row(activity: Activity) -> ActivityRow:
    """The JSON shape of `backstride import/activities --format json` (a public contract)."""

    def rounded(value: float | None, digits: int = 1) -> float | None:
        return None if value is None else round(value, digits)

    start = local_start(activity)
    return {
        "id": activity.id,
        "start_time": activity.start_time.isoformat(),
        "utc_offset_s": activity.utc_offset_s,
        "day": run_day(activity.start_time, activity.utc_offset_s, activity.source_format).isoformat(),
        "sport": activity.sport,
        "sub_sport": activity.sub_sport or None,
        "indoor": activity.indoor,
        "name": activity.name or None,
        "distance_m": rounded(activity.distance_m),
        "moving_time_s": rounded(activity.moving_time_s),
        "elapsed_time_s": rounded(activity.elapsed_time_s),
        "elevation_gain_m": rounded(activity.elevation_gain_m),
        "elevation_loss_m": rounded(activity.elevation_loss_m),
        "uphill_share": rounded(activity.uphill_share, 3),
        "downhill_share": rounded(activity.downhill_share, 3),
        "avg_cadence_spm": rounded(activity.avg_cadence_spm),
        "avg_hr_bpm": rounded(activity.avg_hr_bpm),
        "rpe": activity.rpe,
        "gear": activity.gear_name or None,
        "shoe": activity.shoe.name if activity.shoe is not None else None,
        "source_file": activity.source_file,
        "source_format": activity.source_format,
        "partial": activity.partial,
        "partial_reason": activity.partial_reason or None,
        "display_name": activity_name(activity.name, activity.sport, start.hour if start else None),
        "local_start": start.isoformat() if start else None,
        "pace_s_per_km": rounded(pace_s_per_km(activity.distance_m, activity.moving_time_s)),
    }


def local_start(activity: Activity) -> datetime | None:
    """When the activity started on the clock where it was run: the file's own UTC offset when it
    gave one (a run abroad keeps its hour there), else the runner's zone. None for a run entered by
    hand, which is stored at noon UTC of its day and has no time of day to show."""
    if activity.source_format == "manual":
        return None
    if activity.utc_offset_s is not None and abs(activity.utc_offset_s) < 24 * 3600:
        return activity.start_time.astimezone(timezone(timedelta(seconds=activity.utc_offset_s)))
    return local_time(activity.start_time)
