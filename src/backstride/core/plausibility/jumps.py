"""Rule 1, speed between samples, on any series: spikes (points dropped) and teleports (jumps not
counted), and the one line that describes them. The series may be GPS positions (``positions``) or a
device's cumulative distance (``distance``): the caller says how far one sample is from another."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .limits import GPS_JUMP_SLACK_M, JUMP_CONFIRM_POINTS, limits_for
from .wording import distance_text, duration_text


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
        text += f" (a jump of {distance_text(metres)} in {duration_text(seconds)}"
        text += f"; the {sport} limit is {limits_for(sport).max_speed_mps * 3.6:.0f} km/h)"
    return text
