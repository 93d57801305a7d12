"""The other shared clips go through the pipeline and give one row per frame."""

from __future__ import annotations

import cv2  # noqa: F401  (the video extra is part of the test environment: make test installs it)
import mediapipe  # noqa: F401
import numpy as np
import pytest

from backstride.pose import probe_video

from .conftest import DEMO3, RADLUY_REAR, RADLUY_SIDE

pytestmark = pytest.mark.video


@pytest.mark.parametrize(
    ("clip", "min_found"),
    [(RADLUY_SIDE, 40), (RADLUY_REAR, 60), (DEMO3, 28)],
    ids=["radluy-side", "radluy-rear", "demo3"],
)
def test_one_row_per_frame(clip, min_found):
    from backstride.pose import extract_pose

    info = probe_video(clip)
    fractions: list[float] = []
    series, ex = extract_pose(clip, trim=False, progress=fractions.append)
    assert series.n_frames == info.frame_count == ex.n_video_frames
    assert list(series.frame_index) == list(range(info.frame_count))
    assert (series.width, series.height, series.fps) == (info.width, info.height, info.fps)
    found = np.isfinite(series.xy[:, :, 0]).all(axis=1)
    assert found.sum() >= min_found
    assert fractions and fractions[-1] == 1.0 and all(0 <= f <= 1 for f in fractions)
    assert fractions == sorted(fractions)
    # trimmed (the default): only the runner's span, original frame numbers kept
    trimmed, ex2 = extract_pose(clip)
    assert trimmed.frame_index[0] == ex2.first_frame and trimmed.frame_index[-1] == ex2.last_frame
    assert trimmed.n_frames == ex2.last_frame - ex2.first_frame + 1
