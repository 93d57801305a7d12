"""``backstride.pose`` imports without the video extra and says how to install it when used."""

from __future__ import annotations

import sys

import pytest

from backstride.pose import PoseUnavailable, VideoError, errors


def _hide(monkeypatch: pytest.MonkeyPatch, *packages: str) -> None:
    for name in list(sys.modules):
        if name.split(".")[0] in packages:
            monkeypatch.setitem(sys.modules, name, None)
    for name in packages:
        monkeypatch.setitem(sys.modules, name, None)


def test_import_needs_neither_opencv_nor_mediapipe():
    import backstride.pose
    import backstride.pose.draw
    import backstride.pose.extract
    import backstride.pose.runner
    import backstride.pose.video  # noqa: F401


def test_using_it_without_mediapipe_says_to_install_the_extra(monkeypatch, tmp_path):
    from backstride.pose import extract_pose, libraries

    _hide(monkeypatch, "mediapipe")
    with pytest.raises(PoseUnavailable, match=r"pip install 'backstride\[video\]'"):
        libraries.mp_pose()
    assert not libraries.available()
    _hide(monkeypatch, "cv2")
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"not really a video")
    with pytest.raises(PoseUnavailable, match="install the video extra"):
        extract_pose(clip)


def test_video_error_carries_a_code_and_a_message():
    err = VideoError("too_dark", "Film in daylight.")
    assert err.code == "too_dark"
    assert str(err) == "Film in daylight."
    assert isinstance(err, ValueError)
    assert errors.INSTALL_HINT in str(PoseUnavailable("MediaPipe"))


def test_parse_roi():
    from backstride.pose import parse_roi

    assert parse_roi("1, 2,30,40") == (1.0, 2.0, 30.0, 40.0)
    for bad in ("1,2,3", "a,b,c,d", "10,0,5,20", ""):
        with pytest.raises(ValueError, match="x0,y0,x1,y1"):
            parse_roi(bad)


def test_the_real_frame_rate_comes_from_the_frames_timestamps():
    from backstride.pose.extract import timed_fps

    steady = [i * 1000 / 30 for i in range(300)]
    assert timed_fps(steady, 30.0) == 30.0
    assert timed_fps([i * 1000 / 30.05 for i in range(300)], 30.0) == 30.0  # within 0.5 %: nominal
    slower = [i * 1000 / 28.5 for i in range(300)]  # a phone that recorded 28.5 fps but says 30
    assert abs(timed_fps(slower, 30.0) - 28.5) < 1e-6
    assert timed_fps([0.0, 33.3, 20.0] * 5, 30.0) == 30.0  # timestamps going back: not trusted
    assert timed_fps([0.0] * 20, 30.0) == 30.0 and timed_fps([], 30.0) == 30.0
