"""Rule 1 on the cumulative distance channel (the device's, or the GPS distance the importer added
up): readings dropped, jumps and sustained too-fast stretches not counted, a far-off first reading
counted from. A fast first pass answers the usual clean recording without looking for jumps."""

from __future__ import annotations

import math
from array import array
from collections.abc import Sequence

from ..activity import MISSING, ParsedActivity
from .jumps import describe_jump, find_jumps
from .limits import GPS_JUMP_SLACK_M, SUSTAINED_SLACK_M, SUSTAINED_WINDOW_S, limits_for
from .wording import distance_text, duration_text


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


def last_known(values: Sequence[float]) -> float | None:
    for value in reversed(values):
        if value == value:
            return value
    return None


def check_distance_channel(activity: ParsedActivity, reasons: list[str]) -> float:
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
            f"limit of {limit * 3.6:.0f} km/h not counted (a stretch of {duration_text(window)} averaged "
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
    reasons.append(f"distance: counted from the first reading ({distance_text(first)} at the start)")


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
