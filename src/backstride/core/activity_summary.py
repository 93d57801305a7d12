"""From a parsed activity to the numbers we store: totals, elevation, uphill share, a chart stream.

One documented choice per figure:
- distance: the device's own total when it wrote one (FIT session, TCX laps); else the last cumulative
  sample distance (device or GPS).
- moving time: the device timer (pauses excluded) when present; else, as gpxpy does, the sum of
  intervals whose speed exceeds 1 km/h (intervals that cover no distance count as stopped).
- elevation gain/loss: the device's totals (barometric, already filtered) when present; else from
  altitude samples smoothed with a 5-sample moving average and counted with a 3 m hysteresis, so
  GPS altitude noise does not add up to phantom climbing.
- uphill / downhill share: the share of moving time on grades above +2% / below -2% (spec
  activity.md section 6), grades measured over at least 50 m of distance.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from itertools import repeat
from operator import add, lt, truediv
from typing import Any

from .activity import Channel, ParsedActivity, Samples

STOPPED_SPEED_MPS = 1.0 / 3.6  # gpxpy's default stopped threshold: 1 km/h
ELEVATION_HYSTERESIS_M = 3.0
SMOOTHING_WINDOW = 5
GRADE_THRESHOLD = 0.02
GRADE_MIN_DISTANCE_M = 50.0
STREAM_POINTS = 600  # enough for a chart on any screen; keeps a stored activity small
INDOOR_SUB_SPORTS = ("treadmill", "indoor", "virtual")
_NAN = math.nan

Readings = Channel | Iterable[float | None]  # a channel, or (in tests) a plain list with None


@dataclass
class ActivitySummary:
    sport: str
    sub_sport: str | None
    indoor: bool
    distance_m: float | None
    moving_time_s: float | None
    elapsed_time_s: float | None
    elevation_gain_m: float | None
    elevation_loss_m: float | None
    uphill_share: float | None  # 0-1 of moving time
    downhill_share: float | None
    avg_cadence_spm: float | None
    avg_hr_bpm: float | None
    stream: dict[str, list[Any]] = field(default_factory=dict)


def _raw(values: Readings) -> array[float]:
    """The readings as doubles, NaN for missing (a channel's own array, not a copy)."""
    if isinstance(values, Channel):
        return values.values
    return Channel(values).values


def _last(values: Readings) -> float | None:
    for value in reversed(_raw(values)):
        if value == value:
            return value
    return None


def _mean(values: Readings, positive_only: bool = False) -> float | None:
    # filter() in C; NaN is neither > 0 nor equal to itself, so missing readings drop out either way
    kept = (
        list(filter(partial(lt, 0.0), _raw(values))) if positive_only else [v for v in _raw(values) if v == v]
    )
    return sum(kept) / len(kept) if kept else None


def computed_moving_time(samples: Samples) -> float | None:
    """Sum of intervals moving faster than 1 km/h, by distance (or speed when there is no distance)."""
    if len(samples) < 2:
        return None
    times, distances, speeds = samples.elapsed_s.values, samples.distance_m.values, samples.speed_mps.values
    moving = 0.0
    have_motion_data = False
    for i in range(1, len(times)):
        dt = times[i] - times[i - 1]
        if dt <= 0:
            continue
        d0, d1 = distances[i - 1], distances[i]
        if d0 == d0 and d1 == d1:
            have_motion_data = True
            step = d1 - d0
            if step > 0 and step / dt > STOPPED_SPEED_MPS:
                moving += dt
        elif speeds[i] == speeds[i]:
            have_motion_data = True
            if speeds[i] > STOPPED_SPEED_MPS:
                moving += dt
    return moving if have_motion_data else None


def smoothed_values(values: Readings, window: int = SMOOTHING_WINDOW) -> array[float]:
    """Centred moving average over the known values, as doubles; unknown stays NaN."""
    raw = _raw(values)
    count = len(raw)
    if window != 5 or count < 5:
        return _smoothed_one_by_one(raw, window, range(count))
    # The usual window: every run of 5 values summed column-wise in C, in the order a + b + c + d + e
    # (what sum([a, b, c, d, e]) / 5 gives); only the ends and the places a missing value reaches
    # (NaN in the sum) are worked out one by one.
    sums = map(add, map(add, map(add, map(add, raw, raw[1:]), raw[2:]), raw[3:]), raw[4:])
    out = raw[:2] + array("d", map(truediv, sums, repeat(5))) + raw[-2:]
    redo: Iterable[int] = (0, 1, count - 2, count - 1)
    if not math.isfinite(sum(out)):
        redo = [i for i, value in enumerate(out) if value != value or i < 2 or i >= count - 2]
    return _smoothed_one_by_one(raw, window, redo, out)


def _smoothed_one_by_one(
    raw: array[float], window: int, indices: Iterable[int], out: array[float] | None = None
) -> array[float]:
    half = window // 2
    if out is None:
        out = array("d", bytes(8 * len(raw)))
    fast = window == 5
    for i in indices:
        value = raw[i]
        if value != value:
            out[i] = _NAN
            continue
        if fast and 2 <= i < len(raw) - 2:
            a, b, c, d, e = raw[i - 2], raw[i - 1], value, raw[i + 1], raw[i + 2]
            if a == a and b == b and d == d and e == e:
                out[i] = (a + b + c + d + e) / 5  # what sum([a, b, c, d, e]) / 5 gives
                continue
        neighbours = [v for v in raw[max(0, i - half) : i + half + 1] if v == v]
        out[i] = sum(neighbours) / len(neighbours)
    return out


def smoothed(values: Readings, window: int = SMOOTHING_WINDOW) -> list[float | None]:
    """Centred moving average over the known values; unknown stays unknown."""
    return list(Channel(smoothed_values(values, window)))


def gain_and_loss(altitudes: Readings, smooth: array[float] | None = None) -> tuple[float, float] | None:
    """Climb and descent with a hysteresis: a change counts once it exceeds 3 m from the last turn.
    `smooth`: `smoothed_values(altitudes)`, when the caller has it already."""
    known = (a for a in (smoothed_values(altitudes) if smooth is None else smooth) if a == a)
    anchor = next(known, None)
    if anchor is None:
        return None
    gain = loss = 0.0
    seen = 1
    for altitude in known:
        seen += 1
        delta = altitude - anchor
        if delta >= ELEVATION_HYSTERESIS_M:
            gain += delta
            anchor = altitude
        elif delta <= -ELEVATION_HYSTERESIS_M:
            loss -= delta
            anchor = altitude
    return (gain, loss) if seen >= 2 else None


def grade_shares(samples: Samples, smooth: array[float] | None = None) -> tuple[float, float] | None:
    """(uphill, downhill) share of moving time, from smoothed altitude over >= 50 m stretches."""
    altitudes = smoothed_values(samples.altitude_m) if smooth is None else smooth
    points = (
        (t, d, a)
        for t, d, a in zip(samples.elapsed_s.values, samples.distance_m.values, altitudes, strict=True)
        if d == d and a == a
    )
    start = next(points, None)
    if start is None:
        return None
    uphill = downhill = total = 0.0
    for point in points:
        run = point[1] - start[1]
        if run < GRADE_MIN_DISTANCE_M:
            continue
        duration = point[0] - start[0]
        if duration > 0 and run / duration > STOPPED_SPEED_MPS:
            grade = (point[2] - start[2]) / run
            total += duration
            if grade > GRADE_THRESHOLD:
                uphill += duration
            elif grade < -GRADE_THRESHOLD:
                downhill += duration
        start = point
    if total == 0:
        return None
    return uphill / total, downhill / total


def chart_stream(samples: Samples, max_points: int = STREAM_POINTS) -> dict[str, list[Any]]:
    """Every k-th sample (time, distance, altitude, speed, heart rate, cadence) for the charts, and
    the position (lat, lon in degrees) when the activity has GPS, for the route drawing."""
    count = len(samples)
    if count == 0:
        return {}
    step = max(1, -(-count // max_points))
    picks = list(range(0, count, step))
    if picks[-1] != count - 1:
        picks.append(count - 1)
    times, distances = samples.elapsed_s.values, samples.distance_m.values
    speed_values = samples.speed_mps.values
    speeds: list[float | None] = []
    for i in picks:
        speed: float | None = speed_values[i]
        if speed != speed:
            speed = None
            if i > 0:  # derive from distance when the file has no speed channel
                j = max(0, i - step)
                d0, d1 = distances[j], distances[i]
                dt = times[i] - times[j]
                speed = (d1 - d0) / dt if d0 == d0 and d1 == d1 and dt > 0 else None
        speeds.append(speed)

    def pick(channel: Channel, digits: int) -> list[float | None]:
        values = channel.values
        return [None if values[i] != values[i] else round(values[i], digits) for i in picks]

    stream: dict[str, list[Any]] = {
        "time_s": [round(times[i], 1) for i in picks],
        "distance_m": pick(samples.distance_m, 1),
        "altitude_m": pick(samples.altitude_m, 1),
        "speed_mps": [None if s is None else round(s, 3) for s in speeds],
        "heart_rate_bpm": pick(samples.heart_rate_bpm, 0),
        "cadence_spm": pick(samples.cadence_spm, 1),
    }
    if any(value == value for value in samples.latitude.values):
        stream["lat"] = pick(samples.latitude, 6)  # 6 digits: 0.1 m, finer than any GPS
        stream["lon"] = pick(samples.longitude, 6)
    return stream


def summarize(activity: ParsedActivity) -> ActivitySummary:
    device = activity.summary
    samples = activity.samples
    distance = device.distance_m if device.distance_m else _last(samples.distance_m)
    elapsed = device.elapsed_time_s
    if elapsed is None and len(samples) >= 2:
        times = samples.elapsed_s.values
        elapsed = times[-1] - times[0]
    moving = device.timer_time_s if device.timer_time_s is not None else computed_moving_time(samples)
    gain: float | None
    loss: float | None
    smooth = smoothed_values(samples.altitude_m)
    if device.ascent_m is not None and device.descent_m is not None:
        gain, loss = device.ascent_m, device.descent_m
    else:
        computed = gain_and_loss(samples.altitude_m, smooth)
        gain, loss = computed if computed else (device.ascent_m, device.descent_m)
    shares = grade_shares(samples, smooth)
    indoor = activity.sub_sport in INDOOR_SUB_SPORTS or (len(samples) > 0 and not activity.has_gps)
    return ActivitySummary(
        sport=activity.sport,
        sub_sport=activity.sub_sport,
        indoor=indoor,
        distance_m=distance,
        moving_time_s=moving,
        elapsed_time_s=elapsed,
        elevation_gain_m=gain,
        elevation_loss_m=loss,
        uphill_share=shares[0] if shares else None,
        downhill_share=shares[1] if shares else None,
        avg_cadence_spm=device.avg_cadence_spm or _mean(samples.cadence_spm, positive_only=True),
        avg_hr_bpm=device.avg_heart_rate_bpm or _mean(samples.heart_rate_bpm, positive_only=True),
        stream=chart_stream(samples),
    )
