"""Helpers shared by the XML importers (GPX, TCX).

- Streaming the document (safely) and storing points compactly is `xmlstream`'s part.
- `local`: element names without their namespace, so `gpxtpx:hr`, `ns3:hr` and `hr` all read as "hr".
- `parse_time`: ISO-8601 with `Z`, offsets, fractions of any length; naive times are taken as UTC.
- `chronological_indices`, `drop_reason`, `heart_rate`, `per_leg_to_steps`, `sport_from_label`: the
  cleaning rules both formats share (the great-circle distance is `core.plausibility.haversine_m`).
"""

from __future__ import annotations

import math
import re
import time
from bisect import bisect_right
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone
from statistics import median
from xml.etree.ElementTree import Element

from backstride.core.activity import ParsedActivity

# A running cadence whose typical (median) reading is at most this is per leg (strides/min), as Garmin
# TPX `RunCadence`, Strava GPX `cad` and most watches write it: doubled to steps/min. A typical per-leg
# running cadence is 75-95; a typical steps/min one is 150-190, so 120 separates them.
PER_LEG_MAX = 120.0

# Times outside [GPS epoch, now + 2 days] are clock garbage (e.g. 1901-12-13, the 32-bit minimum).
EARLIEST_EPOCH = datetime(1980, 1, 6, tzinfo=UTC).timestamp()
# Points separated from the rest of the activity by more than this are clock errors (GPS week rollover,
# a watch that had not synced): the largest group of points without such a gap is kept.
MAX_GAP_S = 24 * 3600.0
DROP_TOLERANCE = 0.05  # share of an activity's points that may be dropped without flagging `partial`


def one_line(text: object, limit: int = 160) -> str:
    """`text` on one line, shortened: messages built from exceptions or file content stay one line."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


LOCAL_NAMES: dict[str, str] = {}
LOCAL_NAMES_MAX = 4096  # a file with endless distinct tag names must not grow the cache without bound


def local(tag: object) -> str:
    """The element name without its namespace: `{http://...}hr` -> `hr`. Comments/PIs give ""."""
    if not isinstance(tag, str):
        return ""
    name = LOCAL_NAMES.get(tag)
    if name is None:
        name = tag.rpartition("}")[2]
        if len(LOCAL_NAMES) < LOCAL_NAMES_MAX:
            LOCAL_NAMES[tag] = name
    return name


def children(elem: Element, name: str) -> list[Element]:
    return [c for c in elem if local(c.tag) == name]


def child(elem: Element | None, *path: str) -> Element | None:
    """Follow direct children by local name: `child(tp, "HeartRateBpm", "Value")`."""
    for name in path:
        if elem is None:
            return None
        elem = next((c for c in elem if local(c.tag) == name), None)
    return elem


def child_text(elem: Element | None, *path: str) -> str | None:
    found = child(elem, *path)
    if found is None or found.text is None:
        return None
    text = found.text.strip()
    return text or None


def mark_damaged(activities: Sequence[ParsedActivity], damage: str | None) -> None:
    """A file damaged part-way keeps what was read before the damage, each activity marked partial
    with the reason first."""
    if damage:
        for activity in activities:
            activity.partial = True
            activity.partial_reason = "; ".join(filter(None, [damage, activity.partial_reason]))


def to_float(text: str | None) -> float | None:
    """A finite number, or None for missing/garbage text."""
    if text is None:
        return None
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def child_float(elem: Element | None, *path: str) -> float | None:
    return to_float(child_text(elem, *path))


_ISO_LOOSE = re.compile(
    r"^\s*(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*"
    r"(?:([Zz])|([+-])(\d{2}):?(\d{2})?)?\s*$"
)


def parse_time(text: str | None) -> datetime | None:
    """ISO-8601 date-time -> aware UTC datetime; None when missing or unreadable. Naive = UTC."""
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        value_or_none = _parse_time_loose(text)
        if value_or_none is None:
            return None
        value = value_or_none
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


_EPOCH_ORDINAL = datetime(1970, 1, 1).toordinal()
# "YYYY-MM-DDTHH:MM" -> seconds from the epoch to that minute (UTC), -1 when it is not one: a recording
# has a few hundred distinct minutes, so each point reads only its seconds.
_MINUTES: dict[str, int] = {}
_MINUTES_MAX = 65536  # minutes in one process's cache; past it they are worked out each time
_DIGITS = frozenset("0123456789")


def _minute_seconds(minute: str) -> int:
    seconds = -1
    numbers = minute[:4] + minute[5:7] + minute[8:10] + minute[11:13] + minute[14:16]
    if (
        minute.isascii()
        and minute[4] == "-"
        and minute[7] == "-"
        and minute[10] == "T"
        and minute[13] == ":"
        and _DIGITS.issuperset(numbers)
    ):
        hours, minutes = int(minute[11:13]), int(minute[14:16])
        try:
            ordinal = datetime(int(minute[:4]), int(minute[5:7]), int(minute[8:10])).toordinal()
        except ValueError:
            ordinal = None
        if ordinal is not None and hours < 24 and minutes < 60:
            seconds = (ordinal - _EPOCH_ORDINAL) * 86400 + hours * 3600 + minutes * 60
    if len(_MINUTES) < _MINUTES_MAX:
        _MINUTES[minute] = seconds
    return seconds


def parse_epoch(text: str | None) -> float | None:
    """`parse_time(text).timestamp()` (None when that is None), with the forms nearly every track point
    has, "YYYY-MM-DDTHH:MM:SSZ" and "YYYY-MM-DDTHH:MM:SS.fffZ", read without a datetime (the same float:
    microseconds / 10**6, as `timestamp` computes it). Anything else goes through `parse_time`."""
    if (
        text is not None
        and (len(text) == 20 or (len(text) == 24 and text[19] == "."))
        and text[-1] == "Z"
        and text[16] == ":"
    ):
        minute = _MINUTES.get(text[:16])
        if minute is None:
            minute = _minute_seconds(text[:16])
        second = text[17:19]
        if minute >= 0 and _DIGITS.issuperset(second) and second < "60":
            if len(text) == 20:
                return float(minute + int(second))
            fraction = text[20:23]
            if _DIGITS.issuperset(fraction):
                return ((minute + int(second)) * 1_000_000 + int(fraction) * 1000) / 1_000_000
    when = parse_time(text)
    return None if when is None else when.timestamp()


def _parse_time_loose(text: str) -> datetime | None:
    m = _ISO_LOOSE.match(text)
    if m is None:
        return None
    year, month, day, hour, minute, second, frac, _z, sign, off_h, off_m = m.groups()
    offset = timedelta(hours=int(off_h or 0), minutes=int(off_m or 0))
    try:
        return datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second or 0),
            int((frac or "0")[:6].ljust(6, "0")), tzinfo=timezone(-offset if sign == "-" else offset),
        )  # fmt: skip
    except ValueError:
        return None


def parse_duration(text: str | None) -> float | None:
    """Seconds from `311.31` or `h:mm:ss(.ff)` / `mm:ss`; None when unreadable."""
    if not text:
        return None
    parts = text.strip().split(":")
    if len(parts) > 3:
        return None
    total = 0.0
    for part in parts:
        value = to_float(part)
        if value is None or value < 0:
            return None
        total = total * 60 + value
    return total


def valid_position(lat: float | None, lon: float | None) -> bool:
    return lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180


def nondecreasing_indices(values: Sequence[float]) -> Sequence[int]:
    """Indices of a longest non-decreasing subsequence of `values` (in order), the earliest such.

    The rule for clocks that step backwards: keep the most points whose times never go back; among
    equally long choices keep the earlier points, so a point that steps back is the one dropped. A
    point far ahead is dropped too, rather than every point after it. O(n log n).
    """
    n = len(values)
    if all(values[i] <= values[i + 1] for i in range(n - 1)):
        return range(n)  # the usual file: every point in order, nothing to choose
    starts = [0] * n  # starts[i]: length of the longest non-decreasing run starting at i
    tails: list[float] = []
    for i in range(n - 1, -1, -1):
        v = -values[i]
        k = bisect_right(tails, v)
        if k == len(tails):
            tails.append(v)
        else:
            tails[k] = v
        starts[i] = k + 1
    need = len(tails)
    out: list[int] = []
    last = -math.inf
    for i, v in enumerate(values):
        if need and v >= last and starts[i] >= need:
            out.append(i)
            last = v
            need -= 1
    return out


def heart_rate(value: float | None) -> float | None:
    """A heart rate reading, or None for the "no reading" markers writers use (0, 255 = FIT invalid)."""
    return value if value is not None and 0 < value <= 250 else None


def plausible_epoch(t: float) -> bool:
    return EARLIEST_EPOCH <= t <= latest_epoch()


def latest_epoch() -> float:
    """The latest plausible time: now plus two days (readers take it once per file)."""
    return time.time() + 2 * 86400


def clock_problem(when: datetime | None) -> str | None:
    """What is wrong with a point's time when it is there but out of range (a watch whose clock was
    wrong), in words that say what to do; None when the time is usable or missing (a missing time means
    a drawn or planned route)."""
    if when is None or plausible_epoch(when.timestamp()):
        return None
    earliest = datetime.fromtimestamp(EARLIEST_EPOCH, UTC).date()
    where = (
        f"before {earliest}, when GPS time began" if when.timestamp() < EARLIEST_EPOCH else "in the future"
    )
    return (
        f"is dated {when.date()}, {where}: the device's clock was wrong when it recorded. Correct the "
        "date in the file (or set the watch's clock) and import it again"
    )


def chronological_indices(times: Sequence[float]) -> Sequence[int]:
    """The points to keep, in order: a longest non-decreasing run of times (`nondecreasing_indices`),
    then, if gaps of more than MAX_GAP_S split it, the largest group."""
    keep = nondecreasing_indices(times)
    best_start = best_len = group_start = 0
    for k in range(1, len(keep) + 1):
        if k == len(keep) or times[keep[k]] - times[keep[k - 1]] > MAX_GAP_S:
            if k - group_start > best_len:
                best_start, best_len = group_start, k - group_start
            group_start = k
    return keep[best_start : best_start + best_len]


def drop_reason(total: int, timed: int, unique: int, kept: int, what: str) -> str | None:
    """The `partial_reason` when more than DROP_TOLERANCE of the points were dropped, else None.

    total = points in the file, timed = with a usable time, unique = timed minus exact duplicates (not
    counted as dropped: a lap written twice loses nothing), kept = after `chronological_indices`.
    """
    considered = total - (timed - unique)
    dropped = considered - kept
    if dropped <= DROP_TOLERANCE * considered:
        return None
    return (
        f"{dropped} of {considered} {what} dropped "
        f"({total - timed} without a usable time, {unique - kept} out of order or far from the rest)"
    )


def per_leg_to_steps(values: list[float | None]) -> tuple[list[float | None], bool]:
    """Double a cadence channel recorded per leg (median positive reading <= PER_LEG_MAX) to steps/min.

    Returns the channel and whether it was doubled. Zeros (standing) stay zero; None stays None.
    """
    positive = [v for v in values if v is not None and v > 0]
    if not positive or median(positive) > PER_LEG_MAX:
        return values, False
    return [None if v is None else v * 2 for v in values], True


# Strava's numeric activity types in its GPX exports (`<type>9</type>`). 1 and 9 are seen in the test
# files; the others follow Strava's list (Ride=1, Hike=4, Run=9, Walk=10, Swim=16, VirtualRide=17,
# EBikeRide=18); unknown codes give "other".
STRAVA_TYPE_CODES: dict[str, tuple[str, str | None]] = {
    "1": ("cycling", None),
    "4": ("hiking", None),
    "9": ("running", None),
    "10": ("walking", None),
    "16": ("swimming", None),
    "17": ("cycling", "virtual"),
    "18": ("cycling", None),
}


def sport_from_label(label: str | None) -> tuple[str, str | None]:
    """(sport, sub_sport) from a free-text sport (`Running`, `trail_running`, `Biking`, `Ride`, a
    Strava numeric code...). Unknown or missing -> ("other", None)."""
    if not label:
        return "other", None
    text = label.strip()
    if text.isdigit():
        return STRAVA_TYPE_CODES.get(text.lstrip("0") or "0", ("other", None))
    word = re.sub(r"[^a-z]", "", text.lower())
    if "treadmill" in word:
        return "running", "treadmill"
    if "run" in word or "jog" in word:
        for key, sub in (
            ("trail", "trail"),
            ("track", "track"),
            ("virtual", "virtual"),
            ("indoor", "indoor"),
        ):
            if key in word:
                return "running", sub
        if "road" in word or "street" in word:
            return "running", "road"
        return "running", None
    if any(key in word for key in ("ride", "cycl", "bik", "bicycle")):
        return "cycling", "virtual" if "virtual" in word else None
    if "hik" in word:
        return "hiking", None
    if "walk" in word:
        return "walking", None
    if "swim" in word:
        return "swimming", None
    return "other", None
