"""Clips the tests build (OpenCV's VideoWriter, then a patched header where a test needs a lying one).
Small: low resolution or few frames, written to the test's tmp folder."""

from __future__ import annotations

import struct
from pathlib import Path

import cv2
import numpy as np


def write_clip(
    path: Path, frames: int, fps: float = 30.0, value: int = 10, size=(160, 120), fourcc: str = "mp4v"
) -> Path:
    """A plain clip of ``frames`` frames of one grey level (with a little noise) at ``fps``."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*fourcc), fps, size)
    assert writer.isOpened()
    rng = np.random.default_rng(0)
    for _ in range(frames):
        noise = rng.integers(0, 6, (size[1], size[0], 3), dtype=np.uint8)
        writer.write(np.full((size[1], size[0], 3), value, np.uint8) + noise)
    writer.release()
    return path


def write_lying_mkv(
    path: Path,
    frames: int,
    real_fps: float,
    declared_fps: float,
    declared_duration_s: float | None = None,
    size=(64, 48),
) -> Path:
    """A Matroska clip whose frames are timestamped ``1 / real_fps`` apart while its header declares
    ``declared_fps`` (the track's DefaultDuration) and a duration of ``declared_duration_s`` (default:
    ``frames / declared_fps``, so that count / fps looks consistent). OpenCV reports the declared rate
    and a count of declared duration x declared rate."""
    tmp = path.with_suffix(".honest.mkv")
    write_clip(tmp, frames, fps=real_fps, value=120, size=size)
    data = bytearray(tmp.read_bytes())
    tmp.unlink()
    default_duration = data.find(b"\x23\xe3\x83\x84")  # DefaultDuration, 4 bytes, in ns
    segment_duration = data.find(b"\x44\x89\x88")  # Duration, float64, in ms (TimestampScale 1 ms)
    assert segment_duration > 0, "unexpected Matroska layout"
    if declared_fps != real_fps:  # (at 1000 fps the muxer leaves DefaultDuration out)
        assert default_duration > 0, "unexpected Matroska layout"
        data[default_duration + 4 : default_duration + 8] = struct.pack(">I", round(1e9 / declared_fps))
    seconds = frames / declared_fps if declared_duration_s is None else declared_duration_s
    data[segment_duration + 3 : segment_duration + 11] = struct.pack(">d", seconds * 1000.0)
    path.write_bytes(bytes(data))
    return path


def write_scaled_copy(source: Path, target: Path, factor: float, fourcc: str = "mp4v") -> Path:
    """``source`` re-encoded with every frame enlarged by ``factor`` (same frame rate)."""
    cap = cv2.VideoCapture(str(source))
    fps = cap.get(cv2.CAP_PROP_FPS)
    writer = None
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        big = cv2.resize(frame, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
        if writer is None:
            size = (big.shape[1], big.shape[0])
            writer = cv2.VideoWriter(str(target), cv2.VideoWriter_fourcc(*fourcc), fps, size)
            assert writer.isOpened()
        writer.write(big)
    cap.release()
    assert writer is not None
    writer.release()
    return target
