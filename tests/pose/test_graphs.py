"""Warm MediaPipe graphs (``backstride.pose.graphs``): lent, kept, and forgetting whom they followed
exactly as a new graph would, so a clip gives the same keypoints cold or warm."""

from __future__ import annotations

import time
from contextlib import ExitStack

import cv2
import mediapipe  # noqa: F401  (the video extra is part of the test environment: make test installs it)
import numpy as np
import pytest

from backstride.pose import extract_pose, graphs
from backstride.pose.people import landmarks_in
from backstride.pose.video import iter_frames

from .conftest import DEMO3, RADLUY_SIDE

pytestmark = pytest.mark.video


def _rgb_frames(clip, n):  # type: ignore[no-untyped-def]
    frames = []
    for frame in iter_frames(clip, 0, n):
        frames.append(np.ascontiguousarray(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)))
    return frames


def _landmarks(graph, frames):  # type: ignore[no-untyped-def]
    out = []
    for rgb in frames:
        lm = landmarks_in(graph.process(rgb), rgb.shape[1], rgb.shape[0])
        out.append(None if lm is None else lm[0])
    return out


def test_a_graph_given_back_is_lent_again_and_the_pool_is_bounded():
    graphs.close_idle()
    with graphs.borrowed(static=True, detection_confidence=0.3) as first:
        pass
    assert graphs.idle_count() == 1
    with graphs.borrowed(static=True, detection_confidence=0.3) as again:
        assert again is first
        assert graphs.idle_count() == 0
        with graphs.borrowed(static=True, detection_confidence=0.3) as other:
            assert other is not first  # in use: a second thread gets its own
    with graphs.borrowed(static=False) as video:
        assert video is not first  # another kind
    assert graphs.idle_count() == 3  # two static, one video-mode
    with ExitStack() as stack:  # more threads at once than the pool keeps
        for _ in range(graphs.KEEP + 1):
            stack.enter_context(graphs.borrowed(static=True, detection_confidence=0.3))
    assert graphs.idle_count() == graphs.KEEP + 1  # KEEP of this kind, one video-mode
    graphs.close_idle()
    assert graphs.idle_count() == 0


def test_graphs_left_idle_are_closed(monkeypatch):
    graphs.close_idle()
    monkeypatch.setattr(graphs, "IDLE_S", 0.05)
    with graphs.borrowed(static=True, detection_confidence=0.3):
        pass
    assert graphs.idle_count() == 1
    deadline = time.monotonic() + 5
    while graphs.idle_count() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert graphs.idle_count() == 0


def test_a_graph_that_failed_is_closed_not_kept():
    graphs.close_idle()
    with pytest.raises(RuntimeError), graphs.borrowed(static=False):
        raise RuntimeError("boom")
    assert graphs.idle_count() == 0


def test_a_graph_whose_call_raised_is_closed_not_kept():
    graphs.close_idle()
    with graphs.borrowed(static=True, detection_confidence=0.3) as graph:
        with pytest.raises(Exception):  # noqa: B017  (MediaPipe's own error type)
            graph.process(np.zeros((8, 8), dtype=np.uint8))  # not an RGB image
        assert not graph.healthy
    assert graphs.idle_count() == 0


def test_forget_makes_a_video_graph_start_over_like_a_new_one():
    frames = _rgb_frames(RADLUY_SIDE, 12)
    fresh = graphs.PoseGraph(False, 0.5)
    used = graphs.PoseGraph(False, 0.5)
    try:
        expected = _landmarks(fresh, frames[6:])
        _landmarks(used, frames[:6])  # following the runner ...
        assert not used.fresh
        used.forget()  # ... then told to forget
        assert used.fresh
        got = _landmarks(used, frames[6:])
    finally:
        fresh.close()
        used.close()
    assert [g is None for g in got] == [e is None for e in expected]
    for g, e in zip(got, expected, strict=True):
        if e is not None:
            np.testing.assert_array_equal(g, e)


def test_a_clip_gives_the_same_keypoints_with_cold_and_warm_graphs():
    graphs.close_idle()
    cold, _ = extract_pose(DEMO3)
    warm, _ = extract_pose(DEMO3)  # the scan's and the tracker's graphs are reused
    np.testing.assert_array_equal(cold.frame_index, warm.frame_index)
    np.testing.assert_array_equal(cold.xy, warm.xy)
    np.testing.assert_array_equal(cold.visibility, warm.visibility)
