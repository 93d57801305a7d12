"""core.plausibility: spikes, teleports, sustained speed, duration, elevation and device totals, on
activities built here whose right answer is known by construction."""

from __future__ import annotations

import itertools
import math
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backstride.core.activity import SPORTS, ActivityFileError, DeviceSummary, ParsedActivity, Samples
from backstride.core.activity_summary import summarize
from backstride.core.plausibility import (
    GPS_JUMP_SLACK_M,
    LIMITS,
    MAX_ELEVATION_M,
    MIN_ELEVATION_M,
    SUSTAINED_SLACK_M,
    SUSTAINED_WINDOW_S,
    check_activity,
    find_jumps,
    find_position_jumps,
    haversine_m,
    limits_for,
)

START = datetime(2026, 3, 1, 7, 0, tzinfo=UTC)
PROPERTY = settings(max_examples=150, deadline=None, derandomize=True)


def run(
    distances: list[float | None], *, step_s: float = 1.0, sport: str = "running", **summary: float
) -> ParsedActivity:
    samples = Samples()
    for i, d in enumerate(distances):
        samples.append(i * step_s, d, 100.0, None, 150, 170)
    return ParsedActivity("fit", START, sport, samples=samples, summary=DeviceSummary(**summary))


def steps(distances: list[float]) -> Samples:
    return run(distances).samples  # type: ignore[no-any-return]


def test_every_sport_has_sourced_limits() -> None:
    assert set(LIMITS) == set(SPORTS)
    for sport, limits in LIMITS.items():
        assert limits.max_speed_mps > 0 and limits.max_duration_s >= 7 * 86400, sport
        assert "app policy" in limits.source or "record" in limits.source, sport
    assert limits_for("running").max_speed_mps == 12.5  # Bolt's peak: about 12.4 m/s
    assert limits_for("unknown sport") == LIMITS["other"]
    assert (MIN_ELEVATION_M, MAX_ELEVATION_M) == (-430.0, 8850.0)


def test_a_plausible_run_is_left_alone() -> None:
    activity = run([3.0 * i for i in range(601)], distance_m=1800.0, timer_time_s=600.0)
    before = summarize(activity)
    check_activity(activity)
    assert not activity.partial and activity.partial_reason is None
    assert summarize(activity) == before


def test_a_single_spike_in_the_device_distance_is_dropped() -> None:
    distances: list[float | None] = [3.0 * i for i in range(100)]
    distances[50] = 41_807_000.0  # a damaged record
    activity = run(distances)
    check_activity(activity)
    assert activity.samples.distance_m[50] is None
    assert activity.samples.distance_m[-1] == 297.0
    assert activity.partial and "1 reading dropped" in (activity.partial_reason or "")
    assert "41,807 km in 1 s" in (activity.partial_reason or "")


def test_a_teleport_adds_no_distance_but_keeps_the_track() -> None:
    # 50 s of running, then the distance jumps by 500 km and the run goes on from there.
    distances = [3.0 * i for i in range(50)] + [500_000.0 + 3.0 * i for i in range(50, 100)]
    activity = run(distances)
    check_activity(activity)
    assert activity.samples.distance_m[-1] == pytest.approx(3.0 * 99 - 3.0)  # the jump's 3 m step is gone too
    assert "1 jump not counted" in (activity.partial_reason or "")
    assert all(d is not None for d in activity.samples.distance_m)


def test_a_device_total_faster_than_the_limit_is_replaced_by_the_samples() -> None:
    activity = run([3.0 * i for i in range(601)], distance_m=41_807_000.0, timer_time_s=600.0)
    summary = summarize(check_activity(activity))
    assert summary.distance_m == 1800.0
    reason = activity.partial_reason or ""
    assert "total distance (41,807 km in 10 min) ignored" in reason and "45 km/h" in reason


def test_a_drive_recorded_as_a_run_is_not_counted() -> None:
    # 10 minutes of running at 3 m/s, then 10 minutes at 17 m/s (61 km/h: a car), then running again:
    # the 20 minutes of running count.
    distances, d = [], 0.0
    for t in range(1801):
        distances.append(d)
        d += 17.0 if 600 <= t < 1200 else 3.0
    activity = run(distances, distance_m=distances[-1], timer_time_s=1800.0)
    summary = summarize(check_activity(activity))
    assert summary.distance_m == 1200 * 3.0
    assert "faster than the running limit of 45 km/h not counted" in (activity.partial_reason or "")
    assert "reduced by" in (activity.partial_reason or "")
    # The same stretch at 11 m/s (40 km/h) is under the limit: kept, whatever it was.
    slower = [3.0 * t if t < 600 else 1800 + 11.0 * (t - 600) for t in range(1801)]
    assert not check_activity(run(slower)).partial


def test_samples_far_from_the_start_are_a_clock_error() -> None:
    activity = run([3.0 * i for i in range(100)])
    activity.samples.elapsed_s[60] = 2 * 365 * 86400.0  # 2 years ahead
    check_activity(activity)
    assert len(activity.samples) == 99
    assert "1 sample more than 7 days from the start dropped" in (activity.partial_reason or "")


def test_device_times_over_the_limit_are_ignored() -> None:
    activity = run([3.0 * i for i in range(100)], elapsed_time_s=49 * 86400.0, timer_time_s=99.0)
    check_activity(activity)
    assert activity.summary.elapsed_time_s is None and activity.summary.timer_time_s == 99.0
    assert "elapsed time (49 days) ignored" in (activity.partial_reason or "")


def test_altitudes_off_the_earth_are_dropped() -> None:
    activity = run([3.0 * i for i in range(10)])
    activity.samples.altitude_m[3] = -500.0  # an altitude field of 0 in a FIT file
    activity.samples.altitude_m[4] = 12_600.0
    activity.samples.altitude_m[5] = 8848.9  # the top of Everest is fine
    check_activity(activity)
    assert activity.samples.altitude_m[3:6] == [None, None, 8848.9]
    assert "2 altitude readings outside -430 to 8,850 m dropped" in (activity.partial_reason or "")


def test_a_device_climb_faster_than_a_vertical_kilometre_record_is_ignored() -> None:
    activity = run([3.0 * i for i in range(601)], ascent_m=50_000.0, descent_m=40.0)
    check_activity(activity)
    assert activity.summary.ascent_m is None and activity.summary.descent_m == 40.0


def test_nothing_plausible_left_is_refused_in_one_line() -> None:
    activity = ParsedActivity("fit", START, "running", summary=DeviceSummary(distance_m=41_807_000.0))
    with pytest.raises(ActivityFileError, match=r"^nothing plausible in this activity: ") as info:
        check_activity(activity)
    assert "\n" not in str(info.value) and "check the file or the device" in str(info.value)


# --------------------------------------------------------------------------------------------------
# GPS positions (the importers call these before adding up the distance)
# --------------------------------------------------------------------------------------------------


def positions(points: list[tuple[float, float, float]], sport: str = "running"):  # type: ignore[no-untyped-def]
    times = [p[0] for p in points]
    lats = [p[1] for p in points]
    lons = [p[2] for p in points]
    return find_position_jumps(times, lats, lons, list(range(len(points))), sport)


def test_the_three_point_teleport() -> None:
    jumps = positions([(0, 48.0, 11.0), (10, -48.0, -169.0), (20, 48.0001, 11.0001)])
    assert jumps.dropped == [1] and jumps.breaks == []
    assert jumps.largest is not None and jumps.largest[0] == pytest.approx(haversine_m(48, 11, -48, -169))


def test_a_stray_first_point_is_dropped() -> None:
    points = [(0, -48.0, -169.0)] + [(t, 48.0, 11.0 + t * 4e-5) for t in range(1, 20)]
    jumps = positions(points)
    assert jumps.dropped == [0] and jumps.breaks == []


def test_a_stray_first_distance_reading_is_dropped_not_added() -> None:
    activity = run([4_294_967.0] + [3.0 * i for i in range(1, 100)])
    summary = summarize(check_activity(activity))
    assert activity.samples.distance_m[0] is None and summary.distance_m == 297.0


def test_a_distance_that_starts_far_from_zero_is_counted_from_there() -> None:
    activity = run([1983.0, 2013.0])
    assert summarize(check_activity(activity)).distance_m == 30.0
    assert "counted from the first reading (1,983 m at the start)" in (activity.partial_reason or "")
    leg = run([184_073.0 + 3 * i for i in range(100)], distance_m=297.0)  # a multisport leg: its own total
    check_activity(leg)
    assert not leg.partial


def test_points_hanging_after_a_jump_at_the_end_are_dropped() -> None:
    points = [(t, 48.0, 11.0 + t * 4e-5) for t in range(20)] + [(20, 10.0, 10.0), (21, 10.0, 10.0001)]
    assert positions(points).dropped == [20, 21]


def test_noise_within_the_slack_is_not_a_jump() -> None:
    # 800 m off for one second: GPS noise can do that; it stays (the slack is 1 km).
    points = [(t, 48.0, 11.0 + t * 4e-5) for t in range(20)]
    points[10] = (10, 48.0 + 800 / 111_195, 11.0 + 10 * 4e-5)
    assert not positions(points)
    assert GPS_JUMP_SLACK_M == 1000.0


distances_strategy = st.lists(
    st.one_of(st.floats(0, 30, allow_nan=False), st.floats(-5e6, 5e7, allow_nan=False)),
    min_size=2,
    max_size=80,
)


@PROPERTY
@given(increments=distances_strategy, sport=st.sampled_from(SPORTS))
def test_after_the_check_no_kept_step_is_impossible(increments: list[float], sport: str) -> None:
    """Whatever the readings, what is left moves no faster than the limit between any two readings
    (plus the GPS slack for one step), and never backwards by more than the slack."""
    cumulative, d = [], 0.0
    for inc in increments:
        d += inc
        cumulative.append(d)
    activity = run(cumulative, sport=sport)
    try:
        check_activity(activity)
    except ActivityFileError:
        return
    limit = limits_for(sport).max_speed_mps
    kept = [
        (t, v)
        for t, v in zip(activity.samples.elapsed_s, activity.samples.distance_m, strict=True)
        if v is not None
    ]
    for (t0, d0), (t1, d1) in itertools.pairwise(kept):
        assert -GPS_JUMP_SLACK_M <= d1 - d0 <= limit * (t1 - t0) + GPS_JUMP_SLACK_M + 1e-6
    summary = summarize(activity)
    span = activity.samples.elapsed_s[-1] or 0.0
    if summary.distance_m is not None:
        # Over the whole activity the average stays under the limit but for the GPS slack: one jump's
        # worth from the start, and the sustained-speed slack once per stretch.
        stretches = span / SUSTAINED_WINDOW_S + 2
        assert summary.distance_m <= limit * span + GPS_JUMP_SLACK_M + SUSTAINED_SLACK_M * stretches + 1e-6


def test_find_jumps_with_nothing_to_compare() -> None:
    assert not find_jumps([0.0], [0], lambda i, j: 0.0, 12.5)
    assert not find_jumps([], [], lambda i, j: 0.0, 12.5)
    assert math.isclose(haversine_m(0, 0, 0, 1), 111_195, rel_tol=1e-3)
