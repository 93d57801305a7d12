"""Opening a clip with OpenCV: its properties and the checks that come before any pose work.

Every refusal is a ``VideoError`` with a stable ``code`` and a message that says what to film instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from backstride.pose import _deps
from backstride.pose.errors import FILMING_TIPS, VideoError


@dataclass(frozen=True)
class VideoLimits:
    """What the app accepts. Defaults suit an upload from a phone."""

    max_bytes: int = 200 * 1024 * 1024
    max_duration_s: float = 60.0
    # A clip shorter than this cannot hold the 7 steps the metrics need even when running; slightly
    # below 2 s so that short demo clips still reach the "fewer than 7 steps" message of the analysis.
    min_duration_s: float = 1.5
    # Mean luma (0-255) of the sampled frames below which the clip counts as too dark.
    min_luma: float = 25.0
    max_fps: float = 1000.0


@dataclass(frozen=True)
class VideoInfo:
    path: str
    fps: float
    frame_count: int  # from the container (may be an estimate); the pose pass counts the real frames
    width: int  # of the decoded frames, after the rotation in the metadata was applied
    height: int
    duration_s: float
    rotation: int  # degrees, from the metadata; OpenCV applies it while decoding
    size_bytes: int
    mean_luma: float


def open_capture(path: str | os.PathLike[str]) -> Any:
    """A ``cv2.VideoCapture`` that applies the rotation in the file's metadata (phone portrait clips)."""
    cv2 = _deps.cv2()
    cap = cv2.VideoCapture(str(path))
    if cap.isOpened():
        cap.set(cv2.CAP_PROP_ORIENTATION_AUTO, 1)
    return cap


def probe_video(
    path: str | os.PathLike[str], limits: VideoLimits | None = None, *, sample_luma: bool = True
) -> VideoInfo:
    """Open the clip, read its properties and refuse what cannot be analysed (raises ``VideoError``).

    With ``sample_luma`` a few frames across the clip are decoded to refuse a clip that is too dark;
    ``extract_pose`` turns it off and checks the frames its scan decodes anyway.
    """
    limits = limits or VideoLimits()
    p = Path(path)
    if not p.is_file():
        raise VideoError("not_found", f"No video file at {p}.")
    size = p.stat().st_size
    if size == 0:
        raise VideoError(
            "empty", "The file is empty (0 bytes): the upload or copy failed. Send the video again."
        )
    if size > limits.max_bytes:
        raise VideoError(
            "too_big",
            f"The file is {size / 1e6:.0f} MB; the limit is {limits.max_bytes / 1e6:.0f} MB. "
            f"Trim the clip to 10-20 s of running (or film at 1080p instead of 4K) and send it again.",
        )
    cv2 = _deps.cv2()
    cap = open_capture(p)
    try:
        ok, frame = cap.read() if cap.isOpened() else (False, None)
        if not ok or frame is None:
            raise VideoError(
                "not_video",
                "This file could not be read as a video. Send the clip as the phone saved it "
                "(MP4 or MOV), not a photo, a screen recording link or a document.",
            )
        fps = float(cap.get(cv2.CAP_PROP_FPS) or 0.0)
        if not (0.0 < fps <= limits.max_fps) or not np.isfinite(fps):
            raise VideoError(
                "no_fps",
                "The video has no usable frame rate, so steps cannot be timed. Send the original clip "
                "from the phone's camera app rather than an edited or converted copy.",
            )
        height, width = frame.shape[:2]
        count = int(cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
        if count <= 0:  # some containers do not say: count, but not past the duration limit
            count = 1
            cap_limit = int(limits.max_duration_s * fps) + 2
            while count <= cap_limit and cap.grab():
                count += 1
        if count <= 1:  # OpenCV reads a photo as a one-frame "video"
            raise VideoError(
                "not_video",
                "This file holds a single picture, not a video. Film a clip of 10-20 s of running "
                f"and send that. {FILMING_TIPS}",
            )
        rotation = int(cap.get(cv2.CAP_PROP_ORIENTATION_META) or 0)
        duration = count / fps
        if duration > limits.max_duration_s:
            raise VideoError(
                "too_long",
                f"The clip is {duration:.0f} s long; the limit is {limits.max_duration_s:.0f} s. "
                "Trim it to 10-20 s of steady running and send it again.",
            )
        if duration < limits.min_duration_s:
            raise VideoError(
                "too_short",
                f"The clip is only {duration:.1f} s long. {FILMING_TIPS}",
            )
        lumas = [luma(frame)]
        if sample_luma:  # seeking is slow in some files: the pose pass checks its own sampled frames
            for idx in np.linspace(0, count - 1, 6)[1:-1].astype(int):
                cap.set(cv2.CAP_PROP_POS_FRAMES, int(idx))
                ok, f = cap.read()
                if ok and f is not None:
                    lumas.append(luma(f))
        mean_luma = float(np.median(lumas))
        if sample_luma:
            check_luma(lumas, limits)
    finally:
        cap.release()
    return VideoInfo(
        path=str(p),
        fps=fps,
        frame_count=count,
        width=int(width),
        height=int(height),
        duration_s=duration,
        rotation=rotation,
        size_bytes=size,
        mean_luma=mean_luma,
    )


def luma(frame: np.ndarray) -> float:
    """Mean luma (0-255) of a BGR frame, from a small copy."""
    cv2 = _deps.cv2()
    small = cv2.resize(frame, (64, 36), interpolation=cv2.INTER_AREA)
    return float(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY).mean())


def check_luma(lumas: list[float], limits: VideoLimits) -> None:
    """Raise ``too_dark`` when the median mean luma of the sampled frames is below the limit."""
    if lumas and float(np.median(lumas)) < limits.min_luma:
        raise VideoError(
            "too_dark",
            "The clip is too dark to find the runner's joints. Film in daylight or a well-lit room, "
            "with the light behind the camera rather than behind the runner.",
        )


def iter_frames(
    path: str | os.PathLike[str], start: int = 0, stop: int | None = None
) -> Iterator[np.ndarray]:
    """Decoded BGR frames ``start`` .. ``stop - 1`` in order. Frames before ``start`` are decoded and dropped
    (``grab``), not seeked to: frame-accurate seeking is not reliable in every container, and the event
    timing depends on exact frame numbers."""
    cap = open_capture(path)
    try:
        i = 0
        while i < start:
            if not cap.grab():
                return
            i += 1
        while stop is None or i < stop:
            ok, frame = cap.read()
            if not ok or frame is None:
                return
            yield frame
            i += 1
    finally:
        cap.release()


def read_frame(path: str | os.PathLike[str], index: int) -> np.ndarray:
    """One decoded BGR frame (exact: decodes from the start)."""
    for frame in iter_frames(path, index, index + 1):
        return frame
    raise VideoError("not_video", f"Frame {index} could not be read from the video.")
