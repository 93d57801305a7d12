"""The limits the plausibility rules hold activities to: per sport (LIMITS, each with its source) and
the constants every rule shares. Kept apart from the rules so the numbers and their sources are read
in one place."""

from __future__ import annotations

from dataclasses import dataclass

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
