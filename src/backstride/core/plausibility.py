"""Plausibility rules for recorded activities: what nobody can do is not stored as if it happened.

The importer applies them to every parsed activity before it is summarised and stored (a damaged FIT
file once gave 41,807 km; a 3-point GPX "teleport" gave 39,744 km in 20 s, and both fed the load
figures). What a rule removes is listed in the activity's `partial_reason` and the activity is marked
`partial`; an activity with nothing plausible left (no time and no distance) is refused.

The rules, with their limits in LIMITS (per sport, sourced) and the constants below:

1. Speed between samples. A step (between two GPS points, or two readings of the device's cumulative
   distance) is a jump when it is faster than the sport's limit over its time *and* longer than that by
   more than GPS_JUMP_SLACK_M. A jump followed by a point back in reach of the track is a spike: the
   points in between are dropped. A jump after which the track goes on from the new place
   (JUMP_CONFIRM_POINTS points that agree with each other) is a teleport: the points stay, the jump adds
   no distance (unless nothing agreed with the first point: then that point was the stray one and is
   dropped). Points left hanging at the end of the track after a jump are dropped. A cumulative
   distance that starts further from zero than the sport could cover since the start is counted from
   its first reading (when the device gives no total of its own).
2. Total distance against time: a device total faster on average than the sport's limit is ignored, and
   the samples give the distance.
3. Duration: a device time (elapsed, timer, moving) over the sport's limit is ignored; samples stamped
   further than that from the start are clock errors and dropped.
4. Elevation: readings outside the range of the Earth's surface (MIN_ELEVATION_M..MAX_ELEVATION_M) are
   dropped; a device climb or descent faster on average than MAX_VERTICAL_SPEED_MPS is ignored.

GPS positions feed distance only in GPX and TCX files (the importers call `find_position_jumps` before
adding up the distance); FIT files carry the device's own distance, which rule 1 checks.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .activity import MISSING, ActivityFileError, ParsedActivity, Samples

DAY_S = 86400.0


@dataclass(frozen=True)
class SportLimits:
    max_speed_mps: float  # between any two samples, and on average over the activity
    max_duration_s: float  # one recording
    source: str


_SPRINT = (
    "12.5 m/s (45 km/h): the fastest a human has run is about 12.4 m/s, Usain Bolt's peak in the 2009 "
    "Berlin 100 m final (IAAF biomechanics report)"
)
_ON_FOOT = _SPRINT + "; walkers and hikers may run, so the same limit"
LIMITS: dict[str, SportLimits] = {
    "running": SportLimits(12.5, 7 * DAY_S, _SPRINT + "; 7 days: six-day races are the longest events run as "
                           "one recording (app policy)"),
    "walking": SportLimits(12.5, 31 * DAY_S, _ON_FOOT + "; 31 days: multi-week treks recorded in a watch's "
                           "expedition mode (app policy)"),
    "hiking": SportLimits(12.5, 31 * DAY_S, _ON_FOOT + "; 31 days, as walking (app policy)"),
    "cycling": SportLimits(40.0, 14 * DAY_S, "40 m/s (144 km/h): faster than the fastest descents in road "
                           "racing, about 130 km/h (app policy); 14 days: the Race Across America, about "
                           "4,800 km, is ridden in 8 to 12 days"),
    "swimming": SportLimits(12.5, 7 * DAY_S, "the running limit: pool lengths and open-water GPS are "
                            "stamped coarsely, so the swimmers' own limit (the 50 m freestyle world record "
                            "is 2.4 m/s) would flag good files (app policy); 7 days (app policy)"),
    "other": SportLimits(100.0, 31 * DAY_S, "100 m/s (360 km/h): faster than any sport recorded as an "
                         "activity (the speed-skiing record is 255 km/h); 31 days (app policy)"),
}  # fmt: skip

# A jump must also be this much longer than the sport's limit allows: GPS fixes can be off by hundreds of
# metres (cold start, city canyons), and such noise costs less than this; a teleport is many kilometres.
GPS_JUMP_SLACK_M = 1000.0
JUMP_CONFIRM_POINTS = 5  # points agreeing with each other after a jump: the track really moved
# Sustained speed: over any 5 minutes the limit may be beaten by GPS noise only (far less than this).
SUSTAINED_WINDOW_S = 300.0
SUSTAINED_SLACK_M = 200.0
# The Earth's surface: the Dead Sea shore, about 430 m below sea level, to the summit of Everest, 8,849 m
# (8,848.86 m, China-Nepal survey 2020). Barometric altimeters drift by tens of metres; beyond these,
# a reading is an error (an altitude field of 0 in a FIT file reads as -500 m).
MIN_ELEVATION_M = -430.0
MAX_ELEVATION_M = 8850.0
# A climb or descent averaged over the whole activity: the vertical-kilometre world records climb about
# 1,000 m in 30 minutes (0.55 m/s); nobody sustains twice that for a session (app policy).
MAX_VERTICAL_SPEED_MPS = 1.0
VERTICAL_SLACK_M = 100.0  # short activities: a lift or a staircase is not a session average


def limits_for(sport: str) -> SportLimits:
    return LIMITS.get(sport, LIMITS["other"])


@dataclass
class Jumps:
    """What `find_jumps` found: indices (into the series given) of points to drop, and of points
    where the series jumped to a new place (the step to them adds nothing)."""

    dropped: list[int] = field(default_factory=list)
    breaks: list[int] = field(default_factory=list)
    largest: tuple[float, float] | None = None  # (metres, seconds) of the largest implausible step

    def __bool__(self) -> bool:
        return bool(self.dropped or self.breaks)


def find_jumps(
    times: Sequence[float],
    indices: Sequence[int],
    step_m: Callable[[int, int], float],
    max_speed_mps: float,
    *,
    back_slack_m: float | None = None,
    at_most_m: Callable[[int, int], float] | None = None,
) -> Jumps:
    """Spikes and teleports in a series (rule 1). `indices` are the samples that have a value, in order;
    `step_m(i, j)` is the distance from sample i to sample j (negative: backwards, for a cumulative
    distance; `back_slack_m` is how far back it may go). `at_most_m`, when given, is a cheap upper
    bound of `step_m`, tried first."""
    jumps = Jumps()
    if len(indices) < 2:
        return jumps

    def reach(i: int, j: int) -> tuple[bool, float, float]:
        seconds = times[j] - times[i]
        allowed = (max_speed_mps * seconds if seconds > 0 else 0.0) + GPS_JUMP_SLACK_M
        if at_most_m is not None and at_most_m(i, j) <= allowed:
            return True, 0.0, seconds
        metres = step_m(i, j)
        within = metres <= allowed
        if back_slack_m is not None and metres < -back_slack_m:
            within = False
        return within, metres, seconds

    anchor = indices[0]
    confirmed = False  # a point was in reach of the first one: the series starts where it says
    suspects: list[int] = []
    agreeing_from = 0  # suspects[agreeing_from:] agree with each other, step by step
    for j in indices[1:]:
        within, metres, seconds = reach(anchor, j)
        if within:
            jumps.dropped.extend(suspects)
            suspects.clear()
            agreeing_from = 0
            anchor, confirmed = j, True
            continue
        if not suspects and (jumps.largest is None or abs(metres) > abs(jumps.largest[0])):
            jumps.largest = (metres, seconds)
        if suspects and not reach(suspects[-1], j)[0]:
            agreeing_from = len(suspects)
        suspects.append(j)
        if len(suspects) - agreeing_from >= JUMP_CONFIRM_POINTS:
            if confirmed:
                jumps.breaks.append(suspects[agreeing_from])
            else:  # nothing agreed with the first point: it was the stray one, not the rest
                jumps.dropped.append(anchor)
            jumps.dropped.extend(suspects[:agreeing_from])
            anchor, confirmed = suspects[-1], True
            suspects.clear()
            agreeing_from = 0
    jumps.dropped.extend(suspects)
    return jumps


EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG)
_METRES_PER_DEGREE = EARTH_RADIUS_M * math.pi / 180


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two points in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def find_position_jumps(
    times: Sequence[float], lats: Sequence[float], lons: Sequence[float], indices: Sequence[int], sport: str
) -> Jumps:
    """GPS spikes and teleports among the points at `indices` (those with a position)."""

    def at_most_m(i: int, j: int) -> float:
        # Along the meridian, then the parallel: never shorter than the great circle. No trigonometry.
        return (abs(lats[j] - lats[i]) + abs(lons[j] - lons[i])) * _METRES_PER_DEGREE

    limit = limits_for(sport).max_speed_mps
    reach = (GPS_JUMP_SLACK_M / _METRES_PER_DEGREE, limit / _METRES_PER_DEGREE)
    if _every_position_within(times, lats, lons, indices, reach):
        return Jumps()
    return find_jumps(
        times,
        indices,
        lambda i, j: haversine_m(lats[i], lons[i], lats[j], lons[j]),
        limit,
        at_most_m=at_most_m,
    )


def _every_position_within(
    times: Sequence[float],
    lats: Sequence[float],
    lons: Sequence[float],
    indices: Sequence[int],
    reach: tuple[float, float],
) -> bool:
    """True when every step between consecutive points is surely within reach (by the cheap bound, in
    degrees): then `find_jumps` finds nothing, and this answers it in one tight pass."""
    slack_deg, speed_deg = reach
    if len(indices) < 2:
        return True
    i = indices[0]
    lat0, lon0, t0 = lats[i], lons[i], times[i]
    for j in indices[1:]:
        lat1, lon1, t1 = lats[j], lons[j], times[j]
        allowed = slack_deg + (speed_deg * (t1 - t0) if t1 > t0 else 0.0)
        if abs(lat1 - lat0) + abs(lon1 - lon0) > allowed:
            return False
        lat0, lon0, t0 = lat1, lon1, t1
    return True


def describe_jump(jumps: Jumps, what: str, sport: str) -> str:
    """One line: what was dropped, the largest jump, and the limit."""
    count = len(jumps.dropped)
    parts = []
    if count:
        parts.append(f"{count} {what}{'s' if count != 1 else ''} dropped")
    if jumps.breaks:
        parts.append(f"{len(jumps.breaks)} jump{'s' if len(jumps.breaks) != 1 else ''} not counted")
    text = " and ".join(parts)
    if jumps.largest is not None:
        metres, seconds = jumps.largest
        text += f" (a jump of {_distance(metres)} in {_duration(seconds)}"
        text += f"; the {sport} limit is {limits_for(sport).max_speed_mps * 3.6:.0f} km/h)"
    return text


def _distance(metres: float) -> str:
    metres = abs(metres)
    return f"{metres / 1000:,.0f} km" if metres >= 10_000 else f"{metres:,.0f} m"


def _duration(seconds: float) -> str:
    if seconds < 0:
        return "negative time"
    if seconds < 120:
        return f"{seconds:.3g} s"
    if seconds < 2 * DAY_S:
        return f"{seconds / 3600:.1f} h" if seconds >= 3600 else f"{seconds / 60:.0f} min"
    return f"{seconds / DAY_S:.0f} days"


# --------------------------------------------------------------------------------------------------
# The whole activity
# --------------------------------------------------------------------------------------------------


def check_activity(activity: ParsedActivity) -> ParsedActivity:
    """Apply the rules to `activity` (in place, and returned): implausible parts dropped, the activity
    marked partial with the reasons. Raises ActivityFileError when nothing plausible is left."""
    limits = limits_for(activity.sport)
    reasons: list[str] = []
    _check_times(activity, limits, reasons)
    recorded_end = _last_known(activity.samples.distance_m.values)
    uncounted_m = _check_distance_channel(activity, reasons)
    _check_altitude(activity.samples, reasons)
    _take_out_of_device_total(activity, recorded_end, uncounted_m, reasons)
    _check_device_totals(activity, limits, reasons)
    if reasons:
        if not _anything_left(activity):
            raise ActivityFileError(
                f"nothing plausible in this activity: {'; '.join(reasons)}; check the file or the device"
            )
        activity.partial = True
        activity.partial_reason = "; ".join(filter(None, [activity.partial_reason, *reasons]))
    return activity


def _check_times(activity: ParsedActivity, limits: SportLimits, reasons: list[str]) -> None:
    samples = activity.samples
    times = samples.elapsed_s.values
    bound = limits.max_duration_s
    if not times or (-bound <= min(times) and max(times) <= bound):
        return
    inside = [-bound <= t <= bound for t in times]
    if True in inside:
        lo, hi = inside.index(True), len(inside) - inside[::-1].index(True)
    else:
        lo = hi = 0
    if all(inside[lo:hi]):  # the usual case, a recording that goes on too long: cut in place
        for channel in samples.channels():
            del channel.values[hi:]
            del channel.values[:lo]
    else:
        activity.samples = samples.select(i for i, keep in enumerate(inside) if keep)
    dropped = len(inside) - len(activity.samples)
    reasons.append(
        f"{dropped} sample{'s' if dropped != 1 else ''} more than {_duration(bound)} from the start dropped: "
        f"one {activity.sport} recording is at most that long (a clock error, or several in one file)"
    )


def _known(values: array[float]) -> array[int]:
    return array("q", (i for i, value in enumerate(values) if value == value))


def _every_step_within(times: Sequence[float], distances: Sequence[float], limit: float) -> bool:
    """True when no reading of a cumulative distance gets ahead of the previous one faster than the limit
    (nor falls back more than the slack): then rule 1 finds nothing, and this answers it in one pass."""
    last_t = last_d = math.nan
    for t, d in zip(times, distances, strict=True):
        if d != d:
            continue
        if last_d == last_d and not -GPS_JUMP_SLACK_M <= d - last_d <= limit * (
            t - last_t if t > last_t else 0.0
        ):
            return False
        last_t, last_d = t, d
    return True


def _last_known(values: Sequence[float]) -> float | None:
    for value in reversed(values):
        if value == value:
            return value
    return None


def _take_out_of_device_total(
    activity: ParsedActivity, recorded_end: float | None, uncounted_m: float, reasons: list[str]
) -> None:
    """The device's total distance loses what rule 1 did not count in the samples, when the total is the
    samples' own end distance (within 3 %: the same device added up the same steps)."""
    total = activity.summary.distance_m
    if not uncounted_m or total is None or recorded_end is None:
        return
    if abs(total - recorded_end) > 0.03 * max(total, recorded_end):
        return
    activity.summary.distance_m = max(total - uncounted_m, 0.0)
    reasons.append(f"the device's total distance reduced by {_distance(uncounted_m)} to match")


def _check_distance_channel(activity: ParsedActivity, reasons: list[str]) -> float:
    """Rule 1 on the cumulative distance (the device's, or the GPS distance the importer added up).
    Returns the metres not counted."""
    samples = activity.samples
    distances, times = samples.distance_m.values, samples.elapsed_s.values
    limit = limits_for(activity.sport).max_speed_mps
    if _every_step_within(times, distances, limit):
        known = _known(distances) if activity.summary.distance_m is None else None
        if known:
            _count_from_first_reading(activity, distances, times, known, limit, reasons)
        return 0.0
    present = _known(distances)
    jumps = find_jumps(
        times, present, lambda i, j: distances[j] - distances[i], limit, back_slack_m=GPS_JUMP_SLACK_M
    )
    for i in jumps.dropped:
        distances[i] = MISSING
    kept = array("q", (i for i in present if distances[i] == distances[i])) if jumps.dropped else present
    if kept and activity.summary.distance_m is None:
        _count_from_first_reading(activity, distances, times, kept, limit, reasons)
    fast, fastest, window = sustained_fast_steps(times, distances, kept, limit)
    uncounted = set(jumps.breaks) | fast
    offset = 0.0
    if uncounted:
        previous = None
        for i in kept:
            value = distances[i]
            if i in uncounted and previous is not None:
                offset += value - previous
            previous = value
            distances[i] = value - offset
    if jumps:
        reasons.append("distance: " + describe_jump(jumps, "reading", activity.sport))
    if fast:
        reasons.append(
            f"distance: {len(fast)} step{'s' if len(fast) != 1 else ''} faster than the {activity.sport} "
            f"limit of {limit * 3.6:.0f} km/h not counted (a stretch of {_duration(window)} averaged "
            + (f"{fastest * 3.6:,.0f} km/h)" if math.isfinite(fastest) else "a distance in no time)")
        )
    return offset


def _count_from_first_reading(
    activity: ParsedActivity,
    distances: array[float],
    times: array[float],
    kept: Sequence[int],
    limit: float,
    reasons: list[str],
) -> None:
    """A cumulative distance is counted from zero at the start: a first reading further out than the
    sport can go in the time since the start is an offset (the summary would count it as distance)."""
    first = distances[kept[0]]
    since_start = max(times[kept[0]] - (times[0] if len(times) else 0.0), 0.0)
    if abs(first) <= limit * since_start + GPS_JUMP_SLACK_M:
        return
    for i in kept:
        distances[i] -= first
    reasons.append(f"distance: counted from the first reading ({_distance(first)} at the start)")


def sustained_fast_steps(
    times: Sequence[float], distances: Sequence[float], kept: Sequence[int], max_speed_mps: float
) -> tuple[set[int], float, float]:
    """Steps (by the index they end at) faster than the limit inside a stretch of SUSTAINED_WINDOW_S
    that averages more than the limit allows (plus SUSTAINED_SLACK_M), the fastest such average, and the
    stretch length used.
    Catches what single jumps do not: a drive recorded as a run, or a track whose every step is a
    few hundred metres too long. Stretches are as long as the track when it is shorter. O(n)."""
    fast: set[int] = set()
    fastest = 0.0
    n = len(kept)
    if n < 2:
        return fast, fastest, 0.0
    whole = times[kept[-1]] - times[kept[0]]
    window = min(SUSTAINED_WINDOW_S, whole)
    b = 0
    marked_to = 0  # steps up to this position in `kept` have been looked at
    for a in range(n - 1):
        start = times[kept[a]]
        if whole < SUSTAINED_WINDOW_S:
            b = n - 1  # a short track is one stretch
        else:
            b = max(b, a + 1)
            while b < n - 1 and times[kept[b]] - start < window:
                b += 1
            if times[kept[b]] - start < window:
                break  # the rest of the track is shorter than a stretch
        span = times[kept[b]] - start
        covered = distances[kept[b]] - distances[kept[a]]
        if covered > max_speed_mps * span + SUSTAINED_SLACK_M:
            fastest = max(fastest, covered / span if span > 0 else math.inf)
            for k in range(max(a + 1, marked_to + 1), b + 1):
                i, j = kept[k - 1], kept[k]
                seconds = times[j] - times[i]
                if distances[j] - distances[i] > max_speed_mps * max(seconds, 0.0):
                    fast.add(j)
            marked_to = max(marked_to, b)
        if whole < SUSTAINED_WINDOW_S:
            break
    return fast, fastest, window


def _check_altitude(samples: Samples, reasons: list[str]) -> None:
    values = samples.altitude_m.values
    outside = [i for i, a in enumerate(values) if a < MIN_ELEVATION_M or a > MAX_ELEVATION_M]  # NaN: neither
    if not outside:
        return
    for i in outside:
        values[i] = MISSING
    reasons.append(
        f"{len(outside)} altitude reading{'s' if len(outside) != 1 else ''} outside "
        f"{MIN_ELEVATION_M:,.0f} to {MAX_ELEVATION_M:,.0f} m dropped"
    )


def _span(samples: Samples) -> float | None:
    times = samples.elapsed_s.values
    if len(times) < 2:
        return None
    span = times[-1] - times[0]
    return span if span > 0 else None


def _check_device_totals(activity: ParsedActivity, limits: SportLimits, reasons: list[str]) -> None:
    summary = activity.summary
    for name, label in (
        ("elapsed_time_s", "elapsed"),
        ("timer_time_s", "timer"),
        ("moving_time_s", "moving"),
    ):
        value = getattr(summary, name)
        if value is not None and not 0 <= value <= limits.max_duration_s:
            setattr(summary, name, None)
            shown, limit = _duration(value), _duration(limits.max_duration_s)
            reasons.append(
                f"the device's {label} time ({shown}) ignored: over the {activity.sport} limit of {limit}"
            )
    duration = (
        summary.timer_time_s or summary.moving_time_s or summary.elapsed_time_s or _span(activity.samples)
    )
    longest = summary.elapsed_time_s or _span(activity.samples) or duration
    distance = summary.distance_m
    if distance is not None:
        allowed = limits.max_speed_mps * (duration if duration else limits.max_duration_s) + GPS_JUMP_SLACK_M
        if distance < 0 or distance > allowed:
            summary.distance_m = None
            shown = f" in {_duration(duration)}" if duration else ""
            reasons.append(
                f"the device's total distance ({_distance(distance)}{shown}) ignored: faster than the "
                f"{activity.sport} limit of {limits.max_speed_mps * 3.6:.0f} km/h; distance from the samples"
            )
    if activity.sport == "other":
        return
    for name, label in (("ascent_m", "climb"), ("descent_m", "descent")):
        value = getattr(summary, name)
        if value is None:
            continue
        allowed = MAX_VERTICAL_SPEED_MPS * (longest or 0.0) + VERTICAL_SLACK_M
        if value < 0 or value > allowed:
            setattr(summary, name, None)
            reasons.append(f"the device's {label} ({value:,.0f} m) ignored: more than "
                           f"{MAX_VERTICAL_SPEED_MPS * 3600:,.0f} m an hour on average")  # fmt: skip


def _anything_left(activity: ParsedActivity) -> bool:
    summary = activity.summary
    if summary.distance_m or summary.timer_time_s or summary.elapsed_time_s or summary.moving_time_s:
        return True
    return _span(activity.samples) is not None
