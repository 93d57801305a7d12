"""The device's own totals (summary fields) held to the sport's limits: rules 2 to 4 on times,
distance, climb and descent, and the device's total distance corrected for what rule 1 did not
count. Also whether anything plausible is left once the rules ran."""

from __future__ import annotations

from ..activity import ParsedActivity, Samples
from .limits import GPS_JUMP_SLACK_M, MAX_VERTICAL_SPEED_MPS, VERTICAL_SLACK_M, SportLimits
from .wording import distance_text, duration_text


def take_out_of_device_total(
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
    reasons.append(f"the device's total distance reduced by {distance_text(uncounted_m)} to match")


def _span(samples: Samples) -> float | None:
    times = samples.elapsed_s.values
    if len(times) < 2:
        return None
    span = times[-1] - times[0]
    return span if span > 0 else None


def check_device_totals(activity: ParsedActivity, limits: SportLimits, reasons: list[str]) -> None:
    summary = activity.summary
    for name, label in (
        ("elapsed_time_s", "elapsed"),
        ("timer_time_s", "timer"),
        ("moving_time_s", "moving"),
    ):
        value = getattr(summary, name)
        if value is not None and not 0 <= value <= limits.max_duration_s:
            setattr(summary, name, None)
            shown, limit = duration_text(value), duration_text(limits.max_duration_s)
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
            shown = f" in {duration_text(duration)}" if duration else ""
            reasons.append(
                f"the device's total distance ({distance_text(distance)}{shown}) ignored: faster than the "
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


def anything_left(activity: ParsedActivity) -> bool:
    summary = activity.summary
    if summary.distance_m or summary.timer_time_s or summary.elapsed_time_s or summary.moving_time_s:
        return True
    return _span(activity.samples) is not None
