"""The summariser on synthetic activities whose answers are known by construction."""

from __future__ import annotations

import math
from datetime import UTC, datetime

from backstride.core.activity import DeviceSummary, ParsedActivity, Samples
from backstride.core.activity_summary import (
    chart_stream,
    computed_moving_time,
    gain_and_loss,
    grade_shares,
    summarize,
)

START = datetime(2026, 3, 1, 7, 0, tzinfo=UTC)


def steady_run(seconds: int = 600, speed: float = 3.0, pause: tuple[int, int] | None = None) -> Samples:
    samples = Samples()
    distance = 0.0
    for t in range(seconds + 1):
        moving = not (pause and pause[0] <= t < pause[1])
        if t and moving:
            distance += speed
        samples.append(float(t), distance, 100.0, speed if moving else 0.0, 150, 170, 51.5, -0.1)
    return samples


def test_moving_time_leaves_out_a_pause():
    samples = steady_run(600, pause=(100, 160))
    assert computed_moving_time(samples) == 600 - 60


def test_device_totals_win_over_computed_ones():
    activity = ParsedActivity(
        "fit",
        START,
        "running",
        samples=steady_run(),
        summary=DeviceSummary(distance_m=1234.5, timer_time_s=590, ascent_m=12, descent_m=11),
    )
    summary = summarize(activity)
    assert (summary.distance_m, summary.moving_time_s) == (1234.5, 590)
    assert (summary.elevation_gain_m, summary.elevation_loss_m) == (12, 11)
    assert summary.elapsed_time_s == 600


def test_without_device_totals_distance_and_time_come_from_samples():
    summary = summarize(ParsedActivity("gpx", START, "running", samples=steady_run(600, speed=2.5)))
    assert summary.distance_m == 1500
    assert summary.moving_time_s == 600
    assert not summary.indoor


def test_gps_noise_does_not_add_up_to_climbing():
    noisy = [100 + (1.5 if i % 2 else -1.5) for i in range(600)]
    assert gain_and_loss(noisy) == (0.0, 0.0)


def test_a_real_hill_is_counted_once_up_and_once_down():
    profile = [100 + 50 * math.sin(math.pi * i / 300) for i in range(301)]  # up 50 m, back down
    gain, loss = gain_and_loss(profile)
    assert 45 <= gain <= 50 and 45 <= loss <= 50


def test_uphill_share_of_a_climb_then_flat():
    samples = Samples()
    for t in range(1201):
        distance = 3.0 * t
        altitude = 100 + 0.05 * distance if t <= 600 else 190.0  # 5% grade for half the time
        samples.append(float(t), distance, altitude)
    uphill, downhill = grade_shares(samples)
    assert 0.45 <= uphill <= 0.55
    assert downhill == 0


def test_indoor_when_no_gps_or_treadmill():
    samples = Samples()
    for t in range(100):
        samples.append(float(t), 3.0 * t)
    assert summarize(ParsedActivity("fit", START, "running", samples=samples)).indoor
    assert summarize(ParsedActivity("fit", START, "running", "treadmill", samples=steady_run())).indoor


def test_chart_stream_is_bounded_and_keeps_the_last_sample():
    stream = chart_stream(steady_run(5000), max_points=500)
    assert len(stream["time_s"]) <= 501
    assert stream["time_s"][-1] == 5000
    channels = {"time_s", "distance_m", "altitude_m", "speed_mps", "heart_rate_bpm", "cadence_spm"}
    assert set(stream) == channels | {"lat", "lon"}  # the position too: the run has GPS


def test_speed_is_derived_for_the_chart_when_the_file_has_none():
    samples = Samples()
    for t in range(2000):
        samples.append(float(t), 2.0 * t)
    stream = chart_stream(samples, max_points=100)
    assert all(abs(speed - 2.0) < 1e-6 for speed in stream["speed_mps"][1:])
