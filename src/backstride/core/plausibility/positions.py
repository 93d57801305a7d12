"""Rule 1 on GPS positions (GPX and TCX tracks): the great-circle distance, and the jumps among a
track's points with a cheap first pass that clears most tracks without trigonometry. The importers
call ``find_position_jumps`` before adding up the distance."""

from __future__ import annotations

import math
from collections.abc import Sequence

from .jumps import Jumps, find_jumps
from .limits import GPS_JUMP_SLACK_M, limits_for

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
