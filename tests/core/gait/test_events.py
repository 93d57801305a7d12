"""Gait events and cadence on synthetic sine-wave gaits with known contact frames."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.core.gait.synthetic import Synthetic, side_gait

from backstride.core.gait.analysis import analyse, prepare
from backstride.core.gait.events import (
    FEET,
    HEEL,
    GaitEvents,
    cadence_spm,
    detect_side_events,
    facing_direction,
    refine_contacts,
    step_intervals,
)
from backstride.core.gait.keypoints import Landmark


def assert_events_match(found: dict[str, list[float]], syn: Synthetic, key: str = "contacts") -> None:
    """Every detected event is within 1 frame of a true one; every inner true event is detected."""
    series = syn.series
    truth = getattr(syn.truth, key)
    inner = syn.truth.inner(truth, series.frame_index[0], series.frame_index[-1])
    for foot in FEET:
        got = np.asarray(found[foot])
        assert len(got), f"no {key} for the {foot} foot"
        errors = [np.min(np.abs(truth[foot] - g)) for g in got]
        assert max(errors) <= 1.0, f"{foot} {key}: a detection is {max(errors):.2f} frames off"
        for true in inner[foot]:
            assert np.min(np.abs(got - true)) <= 1.0, f"{foot} {key} at frame {true:.1f} missed"


@pytest.mark.parametrize("fps", [30.0, 60.0])
@pytest.mark.parametrize("direction", [1, -1])
@pytest.mark.parametrize("treadmill", [True, False])
def test_contacts_and_toe_offs_at_the_known_frames(fps, direction, treadmill):
    syn = side_gait(fps=fps, direction=direction, treadmill=treadmill)
    result = analyse(syn.series)
    assert result.direction == direction
    assert_events_match(result.contacts, syn)
    assert_events_match(result.toe_offs, syn, key="toe_offs")
    assert result.cadence_spm == pytest.approx(170.0, rel=0.01)
    assert result.treadmill is treadmill


def test_events_are_reported_in_original_frame_numbers():
    """A backend that analyses every second frame of a 60 fps clip (frame_index 100, 102, ...)."""
    syn = side_gait(fps=60.0, frame_step=2, first_frame=1000)
    assert syn.series.frame_index[1] - syn.series.frame_index[0] == 2
    result = analyse(syn.series)
    assert min(result.contacts["left"] + result.contacts["right"]) > 1000
    assert_events_match(result.contacts, syn)
    assert result.cadence_spm == pytest.approx(170.0, rel=0.01)


@settings(max_examples=25, deadline=None)
@given(
    cadence=st.floats(min_value=150.0, max_value=200.0),
    fps=st.sampled_from([30.0, 60.0]),
    direction=st.sampled_from([1, -1]),
    treadmill=st.booleans(),
)
def test_cadence_is_recovered_within_one_percent(cadence, fps, direction, treadmill):
    syn = side_gait(cadence_spm=cadence, fps=fps, direction=direction, treadmill=treadmill)
    result = analyse(syn.series)
    assert result.cadence_spm == pytest.approx(cadence, rel=0.01)


@pytest.mark.parametrize("fps", [30.0, 60.0])
def test_noise_gaps_and_label_swaps_still_give_the_right_events(fps):
    rows = int(fps)  # about 1 s in
    syn = side_gait(
        fps=fps,
        noise_px=1.5,
        gaps=((Landmark.LEFT_HEEL, rows, 3), (Landmark.RIGHT_KNEE, 2 * rows, 4), (Landmark.NOSE, 10, 2)),
        swaps=(3 * rows, 3 * rows + 1, 3 * rows + 2, 4 * rows + 5),
        seed=3,
    )
    result = analyse(syn.series)
    assert result.label_swaps_fixed == 4
    assert any("swapped back" in w for w in result.warnings)
    assert_events_match(result.contacts, syn)
    assert result.cadence_spm == pytest.approx(170.0, rel=0.01)


def test_walking_cadence_uses_the_walking_filter():
    syn = side_gait(cadence_spm=110.0, fps=30.0, seconds=8.0, overstride=0.25, bounce=0.04)
    result = analyse(syn.series)
    assert result.cutoff_hz == 6.0
    assert result.cadence_spm == pytest.approx(110.0, rel=0.01)
    assert_events_match(result.contacts, syn)


def test_cutoff_stays_below_nyquist_at_low_frame_rates():
    syn = side_gait(cadence_spm=160.0, fps=15.0, seconds=8.0)
    result = analyse(syn.series)
    assert result.cutoff_hz < 7.5
    assert result.cadence_spm == pytest.approx(160.0, rel=0.02)


@pytest.mark.parametrize("direction", [1, -1])
def test_facing_direction_from_toe_ahead_of_heel(direction):
    assert facing_direction(side_gait(direction=direction).series) == direction


def test_knee_extension_toe_off_lies_inside_the_stance_after_each_contact():
    syn = side_gait()
    prep = prepare(syn.series, "side")
    events = detect_side_events(prep.series, toe_off="knee", stride_rows=prep.stride_rows)
    stride = syn.truth.stride_frames
    for foot in FEET:
        assert len(events.toe_offs[foot]) >= 5
        for to in events.toe_offs[foot]:
            before = events.contacts[foot][events.contacts[foot] < to]
            assert len(before)
            assert 0.1 * stride < to - before[-1] < 0.6 * stride


def test_cadence_skips_a_missed_contact_instead_of_counting_a_double_step():
    left = np.array([0.0, 40.0, 80.0, 120.0, 160.0])
    right = np.array([20.0, 60.0, 140.0])  # the contact at 100 was missed
    events = GaitEvents(1, {"left": left, "right": right}, {"left": left, "right": right}, 40.0)
    assert set(step_intervals(events)) == {20.0}
    assert cadence_spm(events, fps=60.0) == pytest.approx(180.0)


@pytest.mark.parametrize("fps", [30.0, 60.0])
@pytest.mark.parametrize("treadmill", [True, False])
def test_contacts_are_the_heel_touchdown_not_the_later_zeni_peak(fps, treadmill):
    """The heel lands before the foot is flat and furthest ahead of the pelvis (the Zeni peak): the
    contact time comes from the heel's height, and is unbiased."""
    syn = side_gait(fps=fps, treadmill=treadmill, noise_px=1.0, seed=2)
    stride = syn.truth.stride_frames
    # in this gait the Zeni peak (phase pi/2) is about 2 frames at 60 fps after the touchdown
    zeni_lag = (np.pi / 2 - (2 * np.pi * (syn.truth.contacts["left"][0] - 100) / stride + 0.3)) % (2 * np.pi)
    assert zeni_lag * stride / (2 * np.pi) > 0.9 * fps / 60
    result = analyse(syn.series)
    errors = [
        c - syn.truth.contacts[f][np.argmin(np.abs(syn.truth.contacts[f] - c))]
        for f in FEET
        for c in result.contacts[f]
    ]
    assert max(np.abs(errors)) <= 0.5
    assert abs(np.mean(errors)) <= 0.25


def test_refinement_finds_where_the_heel_reached_its_level_and_keeps_the_peak_when_unsure():
    leg = 200.0
    # the heel comes down 6 px a row and is on the ground (y = 500) from row 20 on; Zeni peak at row 22
    y = np.minimum(500.0, 500.0 - 6.0 * (20.0 - np.arange(40.0)))
    assert refine_contacts(y, np.array([22.0]), 6.0, leg)[0] == pytest.approx(20.0 - 2.0 / 6.0)
    # no descent inside the window (the heel was already down): the Zeni peak stays
    assert refine_contacts(y, np.array([30.0]), 6.0, leg)[0] == 30.0
    # the heel's track is missing at the peak, or the leg length is unknown: the Zeni peak stays
    gappy = y.copy()
    gappy[21:24] = np.nan
    assert refine_contacts(gappy, np.array([22.0]), 6.0, leg)[0] == 22.0
    assert refine_contacts(y, np.array([22.0]), 6.0, float("nan"))[0] == 22.0
    # never later than the peak, never further back than the window
    assert refine_contacts(y, np.array([21.5]), 6.0, leg)[0] <= 21.5
    late = np.minimum(500.0, 500.0 - 6.0 * (10.0 - np.arange(40.0)))
    assert refine_contacts(late, np.array([22.0]), 6.0, leg)[0] == 22.0


def test_contact_refinement_uses_the_heel_height_only():
    """On a treadmill the foot moves backwards with the belt in stance; the refinement must not depend
    on horizontal foot speed: sliding the heel's x does not change the contacts."""
    syn = side_gait(fps=60.0, treadmill=True)
    prep = prepare(syn.series, "side")
    base = detect_side_events(prep.series, stride_rows=prep.stride_rows)
    xy = prep.series.xy.copy()
    for foot in FEET:
        xy[:, int(HEEL[foot]), 0] += np.linspace(0.0, 3.0, len(xy))  # a slow drift in x only
    moved = detect_side_events(prep.series.with_xy(xy), stride_rows=prep.stride_rows)
    for foot in FEET:
        assert np.allclose(base.contacts[foot], moved.contacts[foot], atol=0.2)


def test_impossible_contacts_are_dropped_heel_behind_pelvis_or_too_soon():
    from dataclasses import replace

    import numpy as np
    from tests.core.gait.synthetic import side_gait

    from backstride.core.gait.analysis import plausible_contacts
    from backstride.core.gait.events import detect_side_events
    from backstride.core.gait.smoothing import smooth_series

    series = smooth_series(side_gait(cadence_spm=170, fps=60).series, 8.0)
    events = detect_side_events(series)
    clean, dropped = plausible_contacts(series, events)
    assert dropped == 0 and clean is events
    # A toe-off (heel far behind the pelvis) and a double of a real contact 2 frames later.
    fake_behind = events.toe_offs["left"][1]
    fake_double = events.contacts["right"][1] + 2
    noisy = replace(
        events,
        contacts={
            "left": np.sort(np.append(events.contacts["left"], fake_behind)),
            "right": np.sort(np.append(events.contacts["right"], fake_double)),
        },
    )
    fixed, dropped = plausible_contacts(series, noisy)
    assert dropped == 2
    assert np.allclose(fixed.contacts["left"], events.contacts["left"])
    assert np.allclose(fixed.contacts["right"], events.contacts["right"])
