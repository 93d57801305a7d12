"""Garmin Connect export (spec activity.md 3.2): summarizedActivities JSON and nested uploads."""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from backstride.importers.archive import Member
from backstride.importers.export_model import (
    GARMIN_ROOT,
    ON_FOOT,
    ExportActivity,
    ExportContents,
    ExportError,
    decode_text,
    members_of,
    top_level,
)

# ------------------------------------------------------------------------------------- Garmin

_GARMIN_SUMMARIES = re.compile(
    r"^(?:[^/]+/)?DI_CONNECT/DI-Connect-Fitness/[^/]*summarizedActivities[^/]*\.json$", re.IGNORECASE
)
_GARMIN_UPLOADS = ("/DI-Connect-Uploaded-Files/", "/DI-Connect-Fitness-Uploaded-Files/")
_ACTIVITY_FILE = re.compile(r"\.(?:fit|gpx|tcx)(?:\.gz)?$", re.IGNORECASE)

_GARMIN_TYPES: dict[str, tuple[str, str | None]] = {
    "running": ("running", None),
    "street_running": ("running", "road"),
    "trail_running": ("running", "trail"),
    "treadmill_running": ("running", "treadmill"),
    "track_running": ("running", "track"),
    "indoor_running": ("running", "indoor"),
    "virtual_run": ("running", "virtual"),
    "walking": ("walking", None),
    "casual_walking": ("walking", None),
    "speed_walking": ("walking", None),
    "indoor_walking": ("walking", "indoor"),
    "hiking": ("hiking", None),
    "lap_swimming": ("swimming", None),
    "open_water_swimming": ("swimming", None),
    "swimming": ("swimming", None),
    "indoor_cycling": ("cycling", "indoor"),
    "virtual_ride": ("cycling", "virtual"),
}
_GARMIN_SPORT_TYPES = {
    "RUNNING": "running",
    "CYCLING": "cycling",
    "SWIMMING": "swimming",
    "WALKING": "walking",
}


def garmin_sport(activity_type: Any, sport_type: Any = None) -> tuple[str | None, str | None]:
    if isinstance(activity_type, dict):  # some exports nest it: {"typeKey": "running", ...}
        activity_type = activity_type.get("typeKey")
    key = str(activity_type or "").strip().lower()
    if key in _GARMIN_TYPES:
        return _GARMIN_TYPES[key]
    if "cycling" in key or "biking" in key or key.endswith("_ride"):
        return "cycling", None
    if key.endswith("_running"):
        return "running", None
    if key.endswith("_swimming"):
        return "swimming", None
    if isinstance(sport_type, str) and sport_type.upper() in _GARMIN_SPORT_TYPES:
        return _GARMIN_SPORT_TYPES[sport_type.upper()], None
    return ("other", None) if key else (None, None)


def _ms_time(value: Any) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=float(value))
    except (OverflowError, ValueError):
        return None


def _scaled(value: Any, divisor: float) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value) / divisor


def _garmin_summary(entry: dict[str, Any], path: str) -> ExportActivity | None:
    start = _ms_time(entry.get("startTimeGmt"))
    if start is None:
        start = _ms_time(entry.get("beginTimestamp"))
    if start is None:
        return None
    offset: int | None = None
    local, gmt = entry.get("startTimeLocal"), entry.get("startTimeGmt")
    if isinstance(local, int | float) and isinstance(gmt, int | float):
        offset = round((local - gmt) / 1000)
    sport, sub_sport = garmin_sport(entry.get("activityType"), entry.get("sportType"))
    elapsed = _scaled(entry.get("elapsedDuration"), 1000)
    activity_id = entry.get("activityId")
    cadence = _scaled(entry.get("avgRunCadence"), 1)
    return ExportActivity(
        path=f"{path} activity {activity_id}",
        read=None,
        sport=sport,
        sub_sport=sub_sport,
        name=entry.get("name") if isinstance(entry.get("name"), str) else None,
        start_time=start,
        utc_offset_s=offset,
        distance_m=_scaled(entry.get("distance"), 100),  # centimetres
        moving_time_s=_scaled(entry.get("movingDuration"), 1000),  # milliseconds
        elapsed_time_s=elapsed if elapsed is not None else _scaled(entry.get("duration"), 1000),
        elevation_gain_m=_scaled(entry.get("elevationGain"), 100),  # centimetres
        elevation_loss_m=_scaled(entry.get("elevationLoss"), 100),
        avg_hr_bpm=_scaled(entry.get("avgHr"), 1),
        avg_cadence_spm=cadence if sport in ON_FOOT else None,  # already steps/min
        external_id=f"garmin:{activity_id}" if activity_id is not None else None,
    )


def read_garmin_export(source: Path | list[Member]) -> ExportContents:
    """A Garmin Connect data export, from its unpacked folder, its zip, or the members of its zip."""
    skipped: list[tuple[str, str]] = []
    members = members_of(source, skipped)
    if not any(GARMIN_ROOT.match(member.name) for member in top_level(members)):
        raise ExportError("no DI_CONNECT folder found: this is not a Garmin Connect data export")

    summaries: list[ExportActivity] = []
    activities: list[ExportActivity] = []
    for member in members:
        if member.depth == 0 and _GARMIN_SUMMARIES.match(member.name):
            summaries.extend(_read_summaries(member, skipped))
        elif _ACTIVITY_FILE.search(member.name) and any(
            folder in "/" + member.path.replace("\\", "/") for folder in _GARMIN_UPLOADS
        ):
            activities.append(ExportActivity(path=member.path, read=member.read))
    summaries.sort(key=lambda summary: summary.start_time or datetime.min.replace(tzinfo=UTC))
    return ExportContents(
        kind="garmin", activities=activities, shoes=[], skipped=skipped, garmin_summaries=summaries
    )


def _read_summaries(member: Member, skipped: list[tuple[str, str]]) -> list[ExportActivity]:
    try:
        document = json.loads(decode_text(member.read()))
    except ValueError as exc:
        skipped.append((member.path, f"unreadable JSON ({exc})"))
        return []
    blocks = document if isinstance(document, list) else [document]
    entries: list[Any] = []
    for block in blocks:
        if isinstance(block, dict) and isinstance(block.get("summarizedActivitiesExport"), list):
            entries.extend(block["summarizedActivitiesExport"])
        elif isinstance(block, dict) and "activityId" in block:
            entries.append(block)
    summaries: list[ExportActivity] = []
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        activity_id = entry.get("activityId")
        where = f"{member.path} activity {activity_id}"
        if entry.get("parent") is True:
            # A multisport container: its legs arrive as their own entries. Not a failure.
            continue
        summary = _garmin_summary(entry, member.path)
        if summary is None:
            skipped.append((where, "no start time (startTimeGmt / beginTimestamp)"))
            continue
        summaries.append(summary)
    return summaries
