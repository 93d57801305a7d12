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

The rules live in one module each, by what they look at: the per-sport limits (``limits``), jumps in any
series (``jumps``), GPS positions (``positions``), the cumulative distance channel (``distance``), the
device's totals (``totals``), and the whole activity in order (``check``). This package gives their
public names, so callers import from ``backstride.core.plausibility`` alone.
"""

from __future__ import annotations

from .check import check_activity
from .distance import sustained_fast_steps
from .jumps import Jumps, describe_jump, find_jumps
from .limits import (
    DAY_S,
    GPS_JUMP_SLACK_M,
    JUMP_CONFIRM_POINTS,
    LIMITS,
    MAX_ELEVATION_M,
    MAX_VERTICAL_SPEED_MPS,
    MIN_ELEVATION_M,
    SUSTAINED_SLACK_M,
    SUSTAINED_WINDOW_S,
    VERTICAL_SLACK_M,
    SportLimits,
    limits_for,
)
from .positions import EARTH_RADIUS_M, find_position_jumps, haversine_m

__all__ = [
    "DAY_S",
    "EARTH_RADIUS_M",
    "GPS_JUMP_SLACK_M",
    "JUMP_CONFIRM_POINTS",
    "LIMITS",
    "MAX_ELEVATION_M",
    "MAX_VERTICAL_SPEED_MPS",
    "MIN_ELEVATION_M",
    "SUSTAINED_SLACK_M",
    "SUSTAINED_WINDOW_S",
    "VERTICAL_SLACK_M",
    "Jumps",
    "SportLimits",
    "check_activity",
    "describe_jump",
    "find_jumps",
    "find_position_jumps",
    "haversine_m",
    "limits_for",
    "sustained_fast_steps",
]
