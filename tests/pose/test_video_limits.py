"""Issue 11, item 9: the video limits hold against what a clip's header claims. Duration and frame count
come from the frames as they are decoded (their own timestamps), decoding stops at the limits, large
frames are scaled down right after decoding, and frames above 8K are refused before any is decoded."""

from __future__ import annotations

import json
import subprocess
import sys

import cv2
import numpy as np
import pytest

from backstride.pose import VideoError, VideoLimits, extract_pose, probe_video
from backstride.pose.video import iter_frames

from .clips import write_clip, write_lying_mkv, write_scaled_copy
from .conftest import DEMO3, REPO

pytestmark = pytest.mark.video


def _header(path) -> tuple[float, int]:
    cap = cv2.VideoCapture(str(path))
    try:
        return cap.get(cv2.CAP_PROP_FPS), int(cap.get(cv2.CAP_PROP_FRAME_COUNT))
    finally:
        cap.release()


@pytest.fixture
def grabs(monkeypatch):
    """How many frames FrameReader decoded, over every reader opened in the test."""
    from backstride.pose import video

    counted = {"frames": 0}
    if not hasattr(video, "FrameReader"):  # (the code before issue 11 had none: its tests fail later)
        return counted
    FrameReader = video.FrameReader
    original = FrameReader.grab

    def counting(self):
        got = original(self)
        counted["frames"] += bool(got)
        return got

    monkeypatch.setattr(FrameReader, "grab", counting)
    return counted


def test_a_header_declaring_1000_fps_does_not_let_80_s_through(tmp_path, grabs):
    # 2000 frames 40 ms apart (80 s of video) in a header that says 1000 fps: 2 s by count / fps
    clip = write_lying_mkv(tmp_path / "lying.mkv", frames=2000, real_fps=25.0, declared_fps=1000.0)
    assert _header(clip) == (1000.0, 2000)
    with pytest.raises(VideoError) as probed:
        probe_video(clip)
    assert probed.value.code == "too_long" and "60 s" in probed.value.message
    assert "Trim it to 10-20 s" in probed.value.message
    # decoding stopped at 60 s of the frames' own time, not at the end of the clip
    assert grabs["frames"] <= 60 * 25 + 2
    grabs["frames"] = 0
    with pytest.raises(VideoError) as extracted:
        extract_pose(clip)
    assert extracted.value.code == "too_long"
    assert grabs["frames"] <= 60 * 25 + 4  # the scan's, and two by the quick probe


def test_a_lying_header_within_the_limit_is_timed_by_the_frames(tmp_path):
    clip = write_lying_mkv(tmp_path / "ten.mkv", frames=250, real_fps=25.0, declared_fps=1000.0)
    info = probe_video(clip)
    assert info.declared_fps == 1000.0
    assert info.fps == pytest.approx(25.0, rel=1e-3)  # steps are timed with the real rate
    assert info.frame_count == 250 and info.measured
    assert info.duration_s == pytest.approx(10.0, rel=1e-3)


def test_a_header_saying_too_short_for_a_long_clip_is_not_believed(tmp_path):
    # 100 frames declared at 1000 fps (0.1 s) that really last 4 s: measured, not refused as too short
    clip = write_lying_mkv(tmp_path / "short.mkv", frames=100, real_fps=25.0, declared_fps=1000.0)
    assert probe_video(clip).duration_s == pytest.approx(4.0, rel=1e-3)


def test_the_frame_ceiling_stops_decoding_when_the_timestamps_are_dense(tmp_path, grabs):
    # 7300 real frames 1 ms apart (7.3 s), with a header duration that makes OpenCV count 2000
    limits = VideoLimits()
    clip = write_lying_mkv(
        tmp_path / "dense.mkv", frames=7300, real_fps=1000.0, declared_fps=1000.0, declared_duration_s=2.0
    )
    assert _header(clip) == (1000.0, 2000)
    with pytest.raises(VideoError) as err:
        probe_video(clip)
    assert err.value.code == "too_long" and f"limit is {limits.max_frames}" in err.value.message
    assert grabs["frames"] == limits.max_frames  # the next frame decoded raised


def test_a_header_that_admits_too_many_frames_is_refused_before_decoding(tmp_path, grabs):
    clip = write_clip(tmp_path / "slowmo.mp4", frames=80, fps=240.0, size=(32, 32))
    with pytest.raises(VideoError) as err:
        probe_video(clip, VideoLimits(max_frames=50))
    assert err.value.code == "too_long" and "80 frames" in err.value.message
    assert grabs["frames"] <= 1


def test_frames_above_1920_pixels_are_scaled_down_right_after_decoding(tmp_path):
    clip = write_clip(tmp_path / "uhd.mp4", frames=8, fps=4.0, value=120, size=(3840, 2160))
    info = probe_video(clip)
    assert (info.width, info.height) == (3840, 2160)  # the video's own pixels ...
    assert (info.analysis_width, info.analysis_height) == (1920, 1080)  # ... analysed at 1080p
    assert info.scale == 0.5
    shapes = {frame.shape for frame in iter_frames(clip)}
    assert shapes == {(1080, 1920, 3)}
    from backstride.pose.video import FrameReader

    with FrameReader(clip) as reader:
        frame = reader.read()
        assert frame is not None and frame.shape == (1080, 1920, 3)
        assert reader.source_size == (3840, 2160)
    # portrait too: the longer side is capped
    tall = write_clip(tmp_path / "tall.mp4", frames=2, fps=1.0, value=120, size=(1080, 2400))
    assert next(iter_frames(tall)).shape == (1920, 864, 3)


def test_frames_above_8k_are_refused_before_any_is_decoded_in_little_memory(tmp_path):
    # 8000 x 4500 = 36 megapixels. Decoding one such frame took about 500 MB before; refusing it from
    # the header takes no more than the interpreter itself. Measured in a child process.
    clip = tmp_path / "huge.avi"
    writer = cv2.VideoWriter(str(clip), cv2.VideoWriter_fourcc(*"MJPG"), 1.0, (8000, 4500))
    frame = np.full((4500, 8000, 3), 120, np.uint8)
    for _ in range(3):
        writer.write(frame)
    writer.release()
    del frame
    # VmHWM: the peak resident memory of this process image (ru_maxrss would carry over the forked
    # pytest process's own peak across exec)
    script = (
        "import json, re, sys\n"
        "from backstride.pose import VideoError, extract_pose\n"
        "try:\n"
        "    extract_pose(sys.argv[1]); code = None\n"
        "except VideoError as error:\n"
        "    code = error.code\n"
        "status = open('/proc/self/status').read()\n"
        "peak_kb = int(re.search(r'VmHWM:\\s+(\\d+) kB', status).group(1))\n"
        "print(json.dumps({'code': code, 'peak_mb': peak_kb // 1024}))\n"
    )
    env = {"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", script, str(clip)], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["code"] == "too_large"
    assert report["peak_mb"] < 200, report


def test_the_pixel_ceiling_is_a_limit_like_the_others(tmp_path, grabs):
    from backstride.pose.video import FrameReader

    clip = write_clip(tmp_path / "small.mp4", frames=4, fps=2.0, value=120)
    with pytest.raises(VideoError) as err:
        FrameReader(clip, VideoLimits(max_pixels=100 * 100))
    assert err.value.code == "too_large" and "160 x 120" in err.value.message
    assert grabs["frames"] == 0


def test_a_clip_scaled_up_gives_the_same_runner_in_its_own_pixels(tmp_path):
    """The demo runner at 5x the size (2400 x 1760) is analysed at 1920 wide, and the keypoints and the
    pick come back in the big clip's pixels, where the runner is."""
    from backstride.pose.draw import selection_png

    big = write_scaled_copy(DEMO3, tmp_path / "demo3x5.mp4", 5.0)
    small_series, small = extract_pose(DEMO3, trim=False)
    big_series, large = extract_pose(big, trim=False)
    assert (large.video.width, large.video.height) == (2400, 1760)
    assert (large.video.analysis_width, large.video.analysis_height) == (1920, 1408)
    assert (big_series.width, big_series.height) == (2400, 1760)
    box_small, box_big = np.array(small.selection.box), np.array(large.selection.box)
    assert np.allclose(box_big / 5, box_small, atol=0.08 * (box_small[3] - box_small[1]))
    both = np.isfinite(small_series.xy[:, :, 0]).all(axis=1) & np.isfinite(big_series.xy[:, :, 0]).all(axis=1)
    assert both.sum() >= 20
    off = np.abs(big_series.xy[both] / 5 - small_series.xy[both])
    assert float(np.median(off)) < 3.0  # pixels of the small clip
    # the pick is drawn where the runner is: the green box in the 960-wide picture
    png = cv2.imdecode(np.frombuffer(selection_png(big, large.selection), np.uint8), cv2.IMREAD_COLOR)
    assert png.shape[1] == 960
    green = (png[:, :, 1] > 200) & (png[:, :, 0] < 100) & (png[:, :, 2] < 100)
    xs = np.nonzero(green)[1]
    expected = box_big * 960 / 2400
    assert abs(xs.min() - expected[0]) < 6 and abs(xs.max() - expected[2]) < 6


def test_a_box_outside_the_frame_or_not_finite_is_refused(tmp_path):
    clip = write_clip(tmp_path / "grey.mp4", frames=60, fps=30.0, value=120)
    for roi, code in [
        ((0.0, 0.0, 500.0, 100.0), "roi_outside"),
        ((float("nan"), 0.0, 50.0, 50.0), "bad_roi"),
        ((0.0, 0.0, float("inf"), 50.0), "bad_roi"),
        ((0.0, 0.0, 1e308, 50.0), "bad_roi"),
        ((-5.0, 0.0, 50.0, 50.0), "bad_roi"),
        ((60.0, 0.0, 20.0, 50.0), "bad_roi"),
        ((0.0, 0.0, 5.0, 5.0), "bad_roi"),
    ]:
        with pytest.raises(VideoError) as err:
            extract_pose(clip, roi=roi)
        assert err.value.code == code, roi
        assert "\n" not in err.value.message


def test_the_frames_held_to_track_backwards_are_bounded():
    from backstride.pose.follow import _plan_segments
    from backstride.pose.runner import PersonFound

    def seen(frame: int) -> PersonFound:
        return PersonFound(frame, (0.0, 0.0, 10.0, 20.0), 1.0, np.zeros((33, 2)), np.ones(33))

    found = [seen(f) for f in (400, 520, 640, 760)]
    # a sampling step of 120 frames (7200 frames, 60 samples) would hold 120 frames before the first
    # sighting; at most max_buffered are held (and tracked backwards)
    segments = _plan_segments(found, 7200, margin=120, workers=2, max_buffered=41)
    assert segments[0].seed == 400 and segments[0].seed - segments[0].lo + 1 == 41
    unbounded = _plan_segments(found, 7200, margin=120, workers=2, max_buffered=10_000)
    assert unbounded[0].lo == 280
