"""The whole activity through the plausibility rules (``check_activity``), with the two rules on the
samples' own readings: times too far from the start (rule 3) and altitudes off the Earth's surface
(rule 4). The order matters: times first, then the distance channel, then the device totals it
corrects."""

from __future__ import annotations

from ..activity import MISSING, ActivityFileError, ParsedActivity, Samples
from .distance import check_distance_channel, last_known
from .limits import MAX_ELEVATION_M, MIN_ELEVATION_M, SportLimits, limits_for
from .totals import anything_left, check_device_totals, take_out_of_device_total
from .wording import duration_text


def check_activity(activity: ParsedActivity) -> ParsedActivity:
    """Apply the rules to `activity` (in place, and returned): implausible parts dropped, the activity
    marked partial with the reasons. Raises ActivityFileError when nothing plausible is left."""
    limits = limits_for(activity.sport)
    reasons: list[str] = []
    _check_times(activity, limits, reasons)
    recorded_end = last_known(activity.samples.distance_m.values)
    uncounted_m = check_distance_channel(activity, reasons)
    _check_altitude(activity.samples, reasons)
    take_out_of_device_total(activity, recorded_end, uncounted_m, reasons)
    check_device_totals(activity, limits, reasons)
    if reasons:
        if not anything_left(activity):
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
        f"{dropped} sample{'s' if dropped != 1 else ''} more than {duration_text(bound)} from the start "
        f"dropped: one {activity.sport} recording is at most that long "
        "(a clock error, or several in one file)"
    )


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
