"""Linking person detections into tracks and picking the runner."""

from __future__ import annotations

import pytest

from backstride.core.gait.tracks import Detection, iou, link_tracks, pick_by_roi, pick_runner


def walker_and_bystander(step: int = 10, frames: int = 230) -> list[Detection]:
    """A walker crossing the frame left to right and a taller person standing (jumping) near the middle."""
    dets = []
    for f in range(0, frames, step):
        x = 100 + 6.0 * f  # 6 px/frame
        dets.append(Detection(f, (x - 60, 300, x + 60, 700)))
        bob = 40 if 100 <= f <= 140 else 0  # jumps off the box
        dets.append(Detection(f, (800, 150 + bob, 950, 650 + bob), score=0.9))
    return dets


def test_tracks_are_linked_and_the_travelling_person_is_picked():
    tracks = link_tracks(walker_and_bystander())
    assert len(tracks) == 2
    runner = pick_runner(tracks)
    assert runner is not None
    assert runner.horizontal_travel > 1000
    assert runner.box_at(runner.first_frame) == (40.0, 300.0, 160.0, 700.0)


def test_tracks_survive_a_missed_detection_and_shuffled_input():
    dets = [d for d in walker_and_bystander() if not (d.frame == 50 and d.box[0] < 700)]
    tracks = link_tracks(list(reversed(dets)))
    assert len(tracks) == 2
    runner = pick_runner(tracks)
    assert runner is not None and runner.horizontal_travel > 1000
    assert runner.box_at(50) == pytest.approx((340.0, 300.0, 460.0, 700.0))


def test_treadmill_picks_the_most_persistent_person():
    dets = [Detection(f, (500, 200, 700, 800)) for f in range(0, 100, 5)]
    dets += [Detection(f, (1200, 300, 1300, 600)) for f in range(0, 30, 5)]  # leaves after 30 frames
    runner = pick_runner(link_tracks(dets))
    assert runner is not None and runner.detections[0].box[0] == 500


def test_roi_override_picks_the_person_in_the_box():
    tracks = link_tracks(walker_and_bystander())
    bystander = pick_by_roi(tracks, (780, 140, 960, 660))
    assert bystander is not None
    assert bystander is not pick_runner(tracks)
    # drawn around the walker on frame 100 (walker box there: 640..760)
    at_frame = pick_by_roi(tracks, (630, 290, 770, 710), frame=100)
    assert at_frame is pick_runner(tracks)
    assert pick_by_roi(tracks, (0, 0, 10, 10)) is None


def test_empty_input_and_iou():
    assert link_tracks([]) == []
    assert pick_runner([]) is None
    assert iou((0, 0, 10, 10), (5, 0, 15, 10)) == pytest.approx(1 / 3)
    assert iou((0, 0, 10, 10), (20, 20, 30, 30)) == 0.0
