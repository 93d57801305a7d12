"""What every importer produces: a parsed activity with device summaries (when the file has them)
and columnar samples. Units: metres, seconds, metres/second, beats/min, steps/min, degrees.

Samples are columns (one `Channel` per quantity, all the same length), each stored as C doubles: 8
bytes a reading, where a list of Python floats costs 32. A missing reading is NaN inside a channel and
None to anyone reading it, so `samples.distance_m == [0.0, None, 20.0]` still reads as it is written.
A file of a million samples therefore takes 64 MB, not 250 MB, and nothing is converted on the way to
the summariser, which reads the raw arrays (`Channel.values`).
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, overload

# Normalised sports. Importers map their own codes onto these (FIT sport enum, Strava types, ...).
SPORTS = ("running", "walking", "hiking", "cycling", "swimming", "other")
# Sub-sports that matter for a runner's load: where and on what the run happened.
SUB_SPORTS = ("road", "trail", "track", "treadmill", "indoor", "virtual", "generic")

MISSING = math.nan  # how a channel stores "no reading"
# The most samples one activity keeps: 11.5 days at one per second (the largest real file in the test
# corpus has 100,000). Importers thin longer recordings to every 2nd, 4th... sample, so one activity
# never holds more than 8 x 8 bytes x MAX_SAMPLES = 64 MB of samples, whatever the file.
MAX_SAMPLES = 1_000_000
# And at most one sample per 32 bytes of the file past the first 100,000 samples (more than any real
# file in the corpus has; a realistic FIT record is about 27 bytes): 64 bytes of samples per 32 file
# bytes keeps samples at 2 bytes per file byte even for a file packed with 2-byte FIT records.
MIN_SAMPLE_CAP = 100_000
BYTES_PER_KEPT_SAMPLE = 32


def sample_cap(file_bytes: int) -> int:
    """The most samples an activity read from a file of `file_bytes` keeps (the rest is thinned)."""
    return min(MAX_SAMPLES, max(MIN_SAMPLE_CAP, file_bytes // BYTES_PER_KEPT_SAMPLE))


def _stored(value: float | None) -> float:
    return MISSING if value is None else value


class Channel:
    """One quantity over the samples: a sequence of float-or-None kept in an `array('d')`."""

    __slots__ = ("values",)

    def __init__(self, values: Iterable[float | None] = ()) -> None:
        if isinstance(values, array) and values.typecode == "d":
            self.values = values  # taken as it is: the caller hands it over
        elif isinstance(values, Channel):
            self.values = array("d", values.values)
        else:
            self.values = array("d", [MISSING if v is None else v for v in values])

    def __len__(self) -> int:
        return len(self.values)

    @overload
    def __getitem__(self, index: int) -> float | None: ...
    @overload
    def __getitem__(self, index: slice) -> Channel: ...
    def __getitem__(self, index: int | slice) -> float | Channel | None:
        if isinstance(index, slice):
            return Channel(self.values[index])
        value = self.values[index]
        return None if value != value else value

    def __setitem__(self, index: int, value: float | None) -> None:
        self.values[index] = _stored(value)

    def __iter__(self) -> Iterator[float | None]:
        for value in self.values:
            yield None if value != value else value

    def __reversed__(self) -> Iterator[float | None]:
        for value in reversed(self.values):
            yield None if value != value else value

    def append(self, value: float | None) -> None:
        self.values.append(_stored(value))

    def known(self) -> Iterator[float]:
        """The readings that are there, in order."""
        return (value for value in self.values if value == value)

    def count_known(self) -> int:
        return sum(1 for value in self.values if value == value)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Channel):
            return len(self) == len(other) and all(
                a == b or (a != a and b != b) for a, b in zip(self.values, other.values, strict=True)
            )
        if isinstance(other, list | tuple):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        shown = list(self[:6]) if len(self) > 6 else list(self)
        return f"Channel({shown}{'...' if len(self) > 6 else ''}, n={len(self)})"


CHANNELS = (
    "elapsed_s",
    "distance_m",
    "altitude_m",
    "speed_mps",
    "heart_rate_bpm",
    "cadence_spm",
    "latitude",
    "longitude",
)


@dataclass
class Samples:
    """Per-sample channels. `elapsed_s` is seconds since the activity start (monotonic after cleaning).
    Lists (or any iterable) given for a channel become a Channel."""

    elapsed_s: Channel = field(default_factory=Channel)
    distance_m: Channel = field(default_factory=Channel)  # cumulative, from the device or GPS
    altitude_m: Channel = field(default_factory=Channel)
    speed_mps: Channel = field(default_factory=Channel)
    heart_rate_bpm: Channel = field(default_factory=Channel)
    cadence_spm: Channel = field(default_factory=Channel)  # steps/min (FIT per-leg values doubled)
    latitude: Channel = field(default_factory=Channel)
    longitude: Channel = field(default_factory=Channel)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in CHANNELS and not isinstance(value, Channel):
            value = Channel(value)
        object.__setattr__(self, name, value)

    def __len__(self) -> int:
        return len(self.elapsed_s)

    def channels(self) -> tuple[Channel, ...]:
        return tuple(getattr(self, name) for name in CHANNELS)

    def nbytes(self) -> int:
        return sum(c.values.itemsize * len(c.values) for c in self.channels())

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
        self.elapsed_s.values.append(elapsed_s)
        self.distance_m.values.append(_stored(distance_m))
        self.altitude_m.values.append(_stored(altitude_m))
        self.speed_mps.values.append(_stored(speed_mps))
        self.heart_rate_bpm.values.append(_stored(heart_rate_bpm))
        self.cadence_spm.values.append(_stored(cadence_spm))
        self.latitude.values.append(_stored(latitude))
        self.longitude.values.append(_stored(longitude))

    def select(self, indices: Iterable[int]) -> Samples:
        """The samples at `indices` (in that order), as new channels."""
        picked = indices if isinstance(indices, range | array | list) else list(indices)
        out = Samples()
        for name, channel in zip(CHANNELS, self.channels(), strict=True):
            values = channel.values
            object.__setattr__(out, name, Channel(array("d", (values[i] for i in picked))))
        return out


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
        return any(value == value for value in self.samples.latitude.values)


class ActivityFileError(ValueError):
    """A file that cannot be imported at all. The message is one line saying why (and what to do)."""


class NotAnActivity(ActivityFileError):
    """A valid file that holds no activity (FIT settings, monitoring, a course, a workout...)."""
