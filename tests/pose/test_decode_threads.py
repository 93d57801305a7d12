"""The scan and the follow decode with one decoder thread (``scan.DECODE_THREADS``) to leave both cores
to the pose threads: the frames, their timestamps and so the runner's keypoints must be exactly those
of OpenCV's default threaded decoder."""

from __future__ import annotations

import cv2
import mediapipe  # noqa: F401  (the video extra is part of the test environment: make test installs it)
import numpy as np
import pytest

from backstride.pose import extract_pose, follow, scan
from backstride.pose.video import FrameReader

from .conftest import DEMO3, RADLUY_REAR, WALK

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
