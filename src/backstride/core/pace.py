"""Pace, distance and activity names as runners read them: pure helpers, no I/O.

Pages show pace as minutes:seconds per kilometre or per mile (the runner's unit setting) and
distances in the same unit; JSON keeps metres and seconds. A run without a name gets the one Strava
would give it, from its local start hour ("Morning run")."""

from __future__ import annotations

import re

UNITS = ("km", "mile")
DEFAULT_UNIT = "km"
METRES_PER_MILE = 1609.344
# Slower than 30:00 per km is walking or standing still: no pace worth showing.
SLOWEST_PACE_S_PER_KM = 1800.0
UNIT_LABELS = {"km": "km", "mile": "mi"}


def metres_per_unit(unit: str) -> float:
    return METRES_PER_MILE if unit == "mile" else 1000.0


def pace_s_per_km(distance_m: float | None, moving_time_s: float | None) -> float | None:
    """Seconds per kilometre over the whole activity; None without both figures or when too slow."""
    if not distance_m or not moving_time_s or distance_m <= 0 or moving_time_s <= 0:
        return None
    pace = moving_time_s / (distance_m / 1000)
    return pace if pace <= SLOWEST_PACE_S_PER_KM else None


def pace_text(seconds_per_km: float | None, unit: str = DEFAULT_UNIT) -> str:
    """'5:03 /km' or '8:08 /mi'; '–' when there is no pace."""
    if seconds_per_km is None:
        return "–"
    seconds = round(seconds_per_km * metres_per_unit(unit) / 1000)
    minutes, secs = divmod(seconds, 60)
    return f"{minutes}:{secs:02d} /{UNIT_LABELS.get(unit, 'km')}"


def pace_minutes(speed_mps: float, unit: str = DEFAULT_UNIT) -> float:
    """A speed as minutes per unit (a chart's value: 5.05 is 5:03)."""
    return metres_per_unit(unit) / speed_mps / 60


def distance_text(distance_m: float | None, unit: str = DEFAULT_UNIT) -> str:
    """'5.03 km' or '3.13 mi'; '–' when there is no distance."""
    if distance_m is None:
        return "–"
    return f"{distance_m / metres_per_unit(unit):.2f} {UNIT_LABELS.get(unit, 'km')}"


def clock_text(minutes: float) -> str:
    """5.05 minutes -> '5:03' (a chart axis or a summary of paces)."""
    seconds = round(minutes * 60)
    return f"{seconds // 60}:{seconds % 60:02d}"


# What an activity of each sport is called in a name ("Morning run", "Evening ride").
SPORT_NOUNS = {
    "running": "run",
    "walking": "walk",
    "hiking": "hike",
    "cycling": "ride",
    "swimming": "swim",
}


def part_of_day(hour: int) -> str:
    """The words Strava uses for a start hour (local time)."""
    if 5 <= hour < 11:
        return "Morning"
    if 11 <= hour < 14:
        return "Lunch"
    if 14 <= hour < 18:
        return "Afternoon"
    if 18 <= hour < 22:
        return "Evening"
    return "Night"


def activity_name(stored: str | None, sport: str, local_hour: int | None) -> str:
    """The file's name when it has one; else "Morning run" and the like from the local start hour;
    a run entered by hand has no time of day (local_hour None): just "Run"."""
    if stored and stored.strip():
        return stored.strip()
    noun = SPORT_NOUNS.get(sport, "activity")
    if local_hour is None:
        return noun.capitalize()
    return f"{part_of_day(local_hour)} {noun}"


def typed_distance_in_km(typed: str, unit: str) -> str:
    """A distance typed in the runner's unit, as the kilometres the run form's checks read; what is
    not a number stays as typed, so the check names the problem."""
    if unit != "mile":
        return typed
    try:
        miles = float(typed.replace(",", "."))
    except ValueError:
        return typed
    if miles != miles or miles in (float("inf"), float("-inf")):
        return typed
    return f"{miles * METRES_PER_MILE / 1000:.4f}"


def km_said_in(text: str, unit: str) -> str:
    """A sentence's kilometre figures ("at most 400 km") said in the runner's unit."""
    if unit != "mile":
        return text
    return re.sub(
        r"(\d+(?:\.\d+)?) km\b",
        # Rounded down: "at most 248 miles" must not let through what "at most 400 km" refuses.
        lambda match: f"{int(float(match.group(1)) * 1000 / METRES_PER_MILE)} miles",
        text,
    )
