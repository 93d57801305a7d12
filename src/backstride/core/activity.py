"""What every importer produces: a parsed activity with device summaries (when the file has them)
and columnar samples. Units: metres, seconds, metres/second, beats/min, steps/min, degrees.

Columnar lists (one list per channel, all the same length) keep 10,000-sample files cheap to build
and to summarise; a missing reading is None.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# Normalised sports. Importers map their own codes onto these (FIT sport enum, Strava types, ...).
SPORTS = ("running", "walking", "hiking", "cycling", "swimming", "other")
# Sub-sports that matter for a runner's load: where and on what the run happened.
SUB_SPORTS = ("road", "trail", "track", "treadmill", "indoor", "virtual", "generic")


@dataclass
class Samples:
    """Per-sample channels. `elapsed_s` is seconds since the activity start (monotonic after cleaning)."""

    elapsed_s: list[float] = field(default_factory=list)
    distance_m: list[float | None] = field(default_factory=list)  # cumulative, from the device or GPS
    altitude_m: list[float | None] = field(default_factory=list)
    speed_mps: list[float | None] = field(default_factory=list)
    heart_rate_bpm: list[float | None] = field(default_factory=list)
    cadence_spm: list[float | None] = field(default_factory=list)  # steps/min (FIT per-leg values doubled)
    latitude: list[float | None] = field(default_factory=list)
    longitude: list[float | None] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.elapsed_s)

    def append(
        self,
        elapsed_s: float,
        distance_m: float | None = None,
        altitude_m: float | None = None,
        speed_mps: float | None = None,
        heart_rate_bpm: float | None = None,
        cadence_spm: float | None = None,
        latitude: float | None = None,
        longitude: float | None = None,
    ) -> None:
        self.elapsed_s.append(elapsed_s)
        self.distance_m.append(distance_m)
        self.altitude_m.append(altitude_m)
        self.speed_mps.append(speed_mps)
        self.heart_rate_bpm.append(heart_rate_bpm)
        self.cadence_spm.append(cadence_spm)
        self.latitude.append(latitude)
        self.longitude.append(longitude)


@dataclass
class DeviceSummary:
    """Totals the recording device wrote itself (FIT session, TCX laps). None when absent."""

    distance_m: float | None = None
    elapsed_time_s: float | None = None
    timer_time_s: float | None = None  # time the timer ran: pauses excluded (FIT total_timer_time, TCX laps)
    moving_time_s: float | None = None  # FIT total_moving_time, when the device writes it
    ascent_m: float | None = None
    descent_m: float | None = None
    avg_heart_rate_bpm: float | None = None
    avg_cadence_spm: float | None = None  # steps/min
    calories: float | None = None


@dataclass
class ParsedActivity:
    """One activity as read from a file (a multisport file or a multi-activity TCX gives several)."""

    source_format: str  # "fit" | "gpx" | "tcx" | "manual"
    start_time: datetime  # timezone-aware, UTC
    sport: str = "other"  # one of SPORTS
    sub_sport: str | None = None  # one of SUB_SPORTS, or None when unknown
    utc_offset_s: int | None = None  # local time = UTC + offset, when the file says
    device: str | None = None
    name: str | None = None
    summary: DeviceSummary = field(default_factory=DeviceSummary)
    samples: Samples = field(default_factory=Samples)
    partial: bool = False  # the file was damaged part-way: this is what was read before the damage
    partial_reason: str | None = None
    # From bulk exports (Strava CSV, Garmin summaries): they override or fill in what the file lacks.
    rpe: float | None = None  # 0-10 perceived exertion
    gear_name: str | None = None
    external_id: str | None = None  # e.g. "strava:12070555079"

    @property
    def has_gps(self) -> bool:
        return any(value is not None for value in self.samples.latitude)


class ActivityFileError(ValueError):
    """A file that cannot be imported at all. The message is one line saying why (and what to do)."""


class NotAnActivity(ActivityFileError):
    """A valid file that holds no activity (FIT settings, monitoring, a course, a workout...)."""
