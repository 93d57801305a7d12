"""The checks before any pose work: each bad clip is a VideoError with a stable code."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from backstride.pose import VideoError, VideoLimits, probe_video

from .clips import write_clip
from .conftest import WALK

pytestmark = pytest.mark.video


def _code(path, limits=None) -> str:
    with pytest.raises(VideoError) as err:
        probe_video(path, limits)
    assert err.value.message  # says what to do
    return err.value.code


def test_walk_clip_properties():
    info = probe_video(WALK)
    assert (info.width, info.height) == (1768, 994)
    assert info.fps == pytest.approx(30.0)
    assert info.frame_count == 230
    assert info.duration_s == pytest.approx(230 / 30)
    assert info.rotation == 0
    assert info.mean_luma > 60


def test_empty_file(tmp_path):
    path = tmp_path / "empty.mp4"
    path.write_bytes(b"")
    assert _code(path) == "empty"


def test_not_a_video(tmp_path):
    path = tmp_path / "notes.mp4"
    path.write_text("this is a text file, not a video\n" * 100)
    assert _code(path) == "not_video"


def test_missing_file(tmp_path):
    assert _code(tmp_path / "nope.mp4") == "not_found"


def test_limits_on_size_and_duration(tmp_path):
    assert _code(WALK, VideoLimits(max_bytes=1_000_000)) == "too_big"
    assert _code(WALK, VideoLimits(max_duration_s=5.0)) == "too_long"
    assert _code(WALK, VideoLimits(min_duration_s=10.0)) == "too_short"
    short = tmp_path / "short.mp4"
    write_clip(short, frames=20, value=120)
    assert _code(short) == "too_short"


def test_too_dark(tmp_path):
    dark = tmp_path / "dark.mp4"
    write_clip(dark, frames=90, value=5)
    assert _code(dark) == "too_dark"
    from backstride.pose import extract_pose

    with pytest.raises(VideoError) as err:
        extract_pose(dark)
    assert err.value.code == "too_dark"


def test_no_person(tmp_path):
    from backstride.pose import extract_pose

    grey = tmp_path / "grey.mp4"
    write_clip(grey, frames=75, value=120)
    with pytest.raises(VideoError) as err:
        extract_pose(grey)
    assert err.value.code == "no_person"


def test_a_photo_is_named_a_photo_not_a_short_clip(tmp_path):
    photo = tmp_path / "runner.jpg"
    cv2.imwrite(str(photo), np.full((120, 160, 3), 128, np.uint8))
    with pytest.raises(VideoError) as err:
        probe_video(photo)
    assert err.value.code == "not_video" and "single picture" in err.value.message
