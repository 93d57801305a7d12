"""How the scan and the follow decode, for less CPU with the same keypoints: one decoder thread each
(``scan.DECODE_THREADS``) to leave both cores to the pose threads, and the follow's second segment
decoded from a keyframe before it (``FrameReader.frames`` with the scan's timestamps) rather than from
the first frame. The frames, their numbers and so the runner's keypoints must be exactly those of a
threaded decoder reading every frame from the start."""

from __future__ import annotations

import cv2
import mediapipe  # noqa: F401  (the video extra is part of the test environment: make test installs it)
import numpy as np
import pytest

from backstride.pose import extract_pose, follow, scan, video
from backstride.pose.video import FrameReader

from .clips import write_clip, write_lying_mkv
from .conftest import DEMO3, RADLUY_REAR, RADLUY_SIDE, WALK

pytestmark = pytest.mark.video


def _decoded(clip, threads):  # type: ignore[no-untyped-def]
    with FrameReader(clip, decode_threads=threads) as reader:
        frames = [frame for _, frame in reader.frames()]
        return frames, list(reader.timestamps_ms), reader.cap.get(cv2.CAP_PROP_N_THREADS)


@pytest.mark.parametrize("clip", [WALK, RADLUY_REAR], ids=["h264-walk", "mpeg4-rear"])
def test_one_decoder_thread_gives_the_same_frames_and_timestamps(clip):
    one, stamps_one, n_one = _decoded(clip, 1)
    threaded, stamps_threaded, n_threaded = _decoded(clip, 2)  # as OpenCV's default on two cores
    assert (n_one, n_threaded) == (1, 2)
    assert stamps_one == stamps_threaded
    assert len(one) == len(threaded) > 40
    for a, b in zip(one, threaded, strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("clip", [DEMO3, RADLUY_REAR], ids=["demo3", "radluy-rear"])
def test_the_keypoints_are_those_of_the_default_decoder(clip, monkeypatch):
    ours, ex_ours = extract_pose(clip, trim=False)
    monkeypatch.setattr(scan, "DECODE_THREADS", None)
    monkeypatch.setattr(follow, "DECODE_THREADS", None)
    before, ex_before = extract_pose(clip, trim=False)
    assert ex_ours.frames_found == ex_before.frames_found > 20
    assert ex_ours.selection == ex_before.selection
    np.testing.assert_array_equal(ours.xy, before.xy)
    np.testing.assert_array_equal(ours.visibility, before.visibility)


def _segment(clip, start, stop, known_ms):  # type: ignore[no-untyped-def]
    with FrameReader(clip, decode_threads=1) as reader:
        got = list(reader.frames(start, stop, known_ms))
        return got, reader.landed, reader.timestamps_ms[start:stop]


def test_a_segment_read_from_a_keyframe_is_the_segment_read_from_the_start():
    with FrameReader(WALK) as reader:
        while reader.grab():
            pass
        stamps = list(reader.timestamps_ms)
    # keyframes of this clip at 0, 60, 120, 180: OpenCV lands 16+ frames before, at a keyframe
    for start in (70, 130, 200):
        plain, landed_plain, stamps_plain = _segment(WALK, start, start + 6, None)
        seeked, landed, stamps_seeked = _segment(WALK, start, start + 6, stamps)
        assert landed_plain is None and landed == start - 1  # the frame before ``start``, by its timestamp
        assert [i for i, _ in seeked] == [i for i, _ in plain] == list(range(start, start + 6))
        assert stamps_seeked == stamps_plain == stamps[start : start + 6]
        for (_, a), (_, b) in zip(seeked, plain, strict=True):
            np.testing.assert_array_equal(a, b)


def test_timestamps_that_do_not_name_the_frames_make_the_reader_start_from_the_first_frame():
    with FrameReader(WALK) as reader:
        while reader.grab():
            pass
        stamps = list(reader.timestamps_ms)
    plain, _, _ = _segment(WALK, 130, 133, None)
    shifted = [t + 1000.0 for t in stamps]  # no frame has these: where it landed is unknown
    repeated = stamps[:100] + [stamps[100]] * (len(stamps) - 100)  # not one frame per timestamp
    short = stamps[:100]  # the earlier pass saw fewer frames
    for known in (shifted, repeated, short):
        got, landed, _ = _segment(WALK, 130, 133, known)
        assert landed is None
        assert [i for i, _ in got] == [130, 131, 132]
        for (_, a), (_, b) in zip(got, plain, strict=True):
            np.testing.assert_array_equal(a, b)


def test_a_clip_whose_frames_do_not_keep_the_declared_rate_is_read_from_the_first_frame(tmp_path):
    # OpenCV seeks by the declared rate: here it would land 50 frames late, or fail near the end
    clip = write_lying_mkv(tmp_path / "lying.mkv", frames=250, real_fps=25.0, declared_fps=15.0)
    with FrameReader(clip) as reader:
        while reader.grab():
            pass
        stamps = list(reader.timestamps_ms)
    for start in (100, 200):
        plain, _, _ = _segment(clip, start, start + 5, None)
        got, landed, _ = _segment(clip, start, start + 5, stamps)
        assert landed is None
        assert [i for i, _ in got] == [i for i, _ in plain] == list(range(start, start + 5))
        for (_, a), (_, b) in zip(got, plain, strict=True):
            np.testing.assert_array_equal(a, b)
    honest = write_clip(tmp_path / "honest.mp4", frames=250, fps=25.0)  # the same, true to its header
    with FrameReader(honest) as reader:
        while reader.grab():
            pass
        stamps = list(reader.timestamps_ms)
    assert _segment(honest, 200, 205, stamps)[1] == 199


@pytest.mark.parametrize("clip", [RADLUY_SIDE, RADLUY_REAR], ids=["radluy-side", "radluy-rear"])
def test_the_follow_from_a_keyframe_gives_the_keypoints_of_the_follow_from_the_start(clip, monkeypatch):
    ours, ex_ours = extract_pose(clip, trim=False)
    assert ex_ours.stats["started_at_keyframe"]  # the second segment did start at a keyframe
    monkeypatch.setattr(video, "SEEK_MIN_FRAMES", 10**9)
    before, ex_before = extract_pose(clip, trim=False)
    assert ex_before.stats["started_at_keyframe"] == []
    assert ex_ours.stats["segments"] == ex_before.stats["segments"]
    np.testing.assert_array_equal(ours.xy, before.xy)
    np.testing.assert_array_equal(ours.visibility, before.visibility)


def test_the_walking_clip_followed_from_a_keyframe_gives_the_same_keypoints(walk_extraction, monkeypatch):
    ours, ex_ours = walk_extraction
    assert ex_ours.stats["started_at_keyframe"]
    monkeypatch.setattr(video, "SEEK_MIN_FRAMES", 10**9)
    before, ex_before = extract_pose(WALK)
    assert ex_before.stats["started_at_keyframe"] == []
    assert (ex_ours.first_frame, ex_ours.last_frame) == (ex_before.first_frame, ex_before.last_frame)
    np.testing.assert_array_equal(ours.xy, before.xy)
    np.testing.assert_array_equal(ours.visibility, before.visibility)
