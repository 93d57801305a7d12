"""Opening and decoding a clip with OpenCV: its properties, the checks that come before any pose work,
and ``FrameReader``, the one way every pass decodes frames.

What a clip's header says is not trusted to let work through. The duration is measured from the
frames' own timestamps as they are decoded, and decoding stops at the limit: a clip whose header
declares 1000 fps looks 6 s long with 6,000 frames that really span 145 s. A frame count ceiling
guards the work even when the timestamps lie too. Frames larger than ``max_side_px`` are scaled down
right after decoding, before anything else touches them, and frames above ``max_pixels`` are refused
before the first is decoded. Every refusal is a ``VideoError`` with a stable ``code`` and a message
that says what to film or send instead.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from backstride.pose import libraries
from backstride.pose.errors import FILMING_TIPS, VideoError

TRIM = "Trim it to 10-20 s of steady running and send it again."


@dataclass(frozen=True)
class VideoLimits:
    """What the app accepts. Defaults suit an upload from a phone."""

    max_bytes: int = 200 * 1024 * 1024
    # Of the clip's own time (its frames' timestamps), not of the header's frame rate.
    max_duration_s: float = 60.0
    # A clip shorter than this cannot hold the 7 steps the metrics need even when running; slightly
    # below 2 s so that short demo clips still reach the "fewer than 7 steps" message of the analysis.
    min_duration_s: float = 1.5
    # Mean luma (0-255) of the sampled frames below which the clip counts as too dark.
    min_luma: float = 25.0
    max_fps: float = 1000.0
    # The second guard on the work, whatever the timestamps say: 60 s at 120 fps, or 30 s of 240 fps
    # slow motion (about 2-3 minutes of pose work on one core).
    max_frames: int = 7200
    # Frames with a longer side are scaled down to it right after decoding. MediaPipe looks at a
    # 256-pixel crop of the runner and the scan at 640-pixel windows, so 1080p loses nothing it uses,
    # and a decoded 1080p frame is 6 MB where a 4K one is 25 MB (the tracker buffers some).
    max_side_px: int = 1920
    # Frames above this are refused before the first is decoded: 8K UHD (7680 x 4320), the largest a
    # phone films. One decoded 12000 x 12000 frame alone needs more than 1 GB.
    max_pixels: int = 7680 * 4320


@dataclass(frozen=True)
class VideoInfo:
    path: str
    fps: float  # the rate the analysis uses: from the frames' timestamps when measured (see timed_fps)
    frame_count: int  # frames decoded when ``measured``; the header's count before that
    width: int  # of the decoded frames, after the rotation in the metadata was applied: the video's ...
    height: int  # ... own pixels, in which boxes and keypoints are given
    duration_s: float  # from the frames' timestamps when ``measured``; count / fps from the header before
    rotation: int  # degrees, from the metadata; OpenCV applies it while decoding
    size_bytes: int
    mean_luma: float
    declared_fps: float = 0.0  # what the header says
    analysis_width: int = 0  # the size frames are analysed at (scaled down above max_side_px)
    analysis_height: int = 0
    measured: bool = False

    @property
    def scale(self) -> float:
        """Analysis pixels per video pixel (1.0, or less for a frame scaled down)."""
        return self.analysis_width / self.width if self.width and self.analysis_width else 1.0

    @property
    def analysis_size(self) -> tuple[int, int]:
        return (self.analysis_width or self.width, self.analysis_height or self.height)

    def with_timeline(self, timeline: Timeline) -> VideoInfo:
        """This info with the frame count, duration and frame rate measured while decoding."""
        return replace(
            self,
            frame_count=timeline.n_frames,
            duration_s=timeline.duration_s,
            fps=timeline.fps,
            measured=True,
        )


@dataclass(frozen=True)
class Timeline:
    """What decoding every frame showed: how many there are, and how long they last by their timestamps."""

    n_frames: int
    duration_s: float
    fps: float


def timed_fps(timestamps_ms: Sequence[float], nominal: float) -> float:
    """The clip's real average frame rate from the frames' own timestamps, when it differs from the
    nominal rate by more than 0.5 % (phones often record a variable frame rate, and step rate is
    computed from frame numbers: the nominal rate would bias it by as much; a forged header can
    declare any rate)."""
    stamps = np.asarray(timestamps_ms, dtype=float)
    stamps = stamps[np.isfinite(stamps)]
    if len(stamps) < 10 or stamps[-1] <= stamps[0] or np.any(np.diff(stamps) < 0):
        return nominal
    measured = (len(stamps) - 1) * 1000.0 / (stamps[-1] - stamps[0])
    return float(measured) if abs(measured / nominal - 1) > 0.005 else nominal


def timeline_of(timestamps_ms: Sequence[float], nominal_fps: float) -> Timeline:
    """Frame count, duration and frame rate of decoded frames. The duration runs from the first frame's
    timestamp to the end of the last frame (one average interval after its timestamp); without usable
    timestamps it is count / nominal rate."""
    n = len(timestamps_ms)
    fps = timed_fps(timestamps_ms, nominal_fps)
    stamps = np.asarray(timestamps_ms, dtype=float)
    stamps = stamps[np.isfinite(stamps)]
    span_s = float(stamps.max() - stamps[0]) / 1000.0 if len(stamps) >= 2 else 0.0
    counted = n / fps if fps > 0 else 0.0
    duration = span_s * n / (n - 1) if n >= 2 and span_s > 0 else counted
    return Timeline(n_frames=n, duration_s=duration, fps=fps)


def analysis_size(width: int, height: int, max_side: int) -> tuple[int, int]:
    """(width, height) scaled down so the longer side is at most ``max_side`` (even sizes kept)."""
    longest = max(width, height)
    if longest <= max_side:
        return (width, height)
    factor = max_side / longest
    return (max(1, round(width * factor)), max(1, round(height * factor)))


def shown(path: str | os.PathLike[str]) -> str:
    """A path for a one-line message: control characters and undecodable bytes shown as '?'."""
    text = "".join(ch if ch.isprintable() else "?" for ch in str(path))
    return text if len(text) <= 120 else "..." + text[-117:]


def check_file(path: str | os.PathLike[str], limits: VideoLimits | None = None) -> int:
    """Refuse what is not a readable, non-empty regular file under the size limit; its size otherwise.
    Needs neither OpenCV nor MediaPipe."""
    limits = limits or VideoLimits()
    p = Path(path)
    try:
        info = p.stat()
    except PermissionError as error:
        raise VideoError(
            "unreadable", f"{shown(p)} cannot be reached ({error.strerror}): check the folder's permissions."
        ) from None
    except (OSError, ValueError):
        raise VideoError(
            "not_found", f"No file at {shown(p)}: check the path, or give the clip as the phone saved it."
        ) from None
    if stat.S_ISDIR(info.st_mode):
        raise VideoError("not_a_file", f"{shown(p)} is a folder: give the video file inside it (mp4 or mov).")
    if not stat.S_ISREG(info.st_mode):
        raise VideoError(
            "not_a_file",
            f"{shown(p)} is not a regular file (a device, pipe or socket): give a video file (mp4 or mov).",
        )
    try:
        with p.open("rb") as stream:
            stream.read(1)
    except OSError as error:
        raise VideoError(
            "unreadable",
            f"{shown(p)} cannot be read ({error.strerror}): check its permissions, or copy the clip "
            "somewhere you can read it.",
        ) from None
    size = info.st_size
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
    return size


def open_capture(path: str | os.PathLike[str], threads: int | None = None) -> Any:
    """A ``cv2.VideoCapture`` that applies the rotation in the file's metadata (phone portrait clips).
    ``threads``: the decoder's own threads (OpenCV's default: one per core). The frames are the same
    whatever the count (FFmpeg's threaded decoding is bit-exact)."""
    cv2 = libraries.cv2()
    if threads is None:
        cap = cv2.VideoCapture(str(path))
    else:
        cap = cv2.VideoCapture(str(path), cv2.CAP_ANY, [cv2.CAP_PROP_N_THREADS, threads])
    if cap.isOpened():
        cap.set(cv2.CAP_PROP_ORIENTATION_AUTO, 1)
    return cap


def _too_large(width: int, height: int, limits: VideoLimits) -> VideoError:
    return VideoError(
        "too_large",
        f"The video's frames are {width} x {height} pixels; the largest accepted is 8K "
        f"({limits.max_pixels / 1e6:.0f} megapixels). Film at 1080p or 4K and send that.",
    )


def _too_long(limits: VideoLimits, seconds: float | None = None) -> VideoError:
    limit = f"{limits.max_duration_s:.0f} s"
    if seconds is None:  # decoding stopped at the limit: the clip's full length is not known
        return VideoError("too_long", f"The clip runs past the {limit} limit by its frames' times. {TRIM}")
    return VideoError("too_long", f"The clip is {seconds:.0f} s long; the limit is {limit}. {TRIM}")


def _too_many_frames(limits: VideoLimits, count: int | None = None) -> VideoError:
    said = f"{count}" if count is not None else f"more than {limits.max_frames}"
    return VideoError(
        "too_long",
        f"The clip has {said} frames; the limit is {limits.max_frames} (60 s at 120 fps). {TRIM} "
        "Slow motion above 120 fps is not needed: film at 60 fps.",
    )


def too_short(seconds: float) -> VideoError:
    return VideoError("too_short", f"The clip is only {seconds:.1f} s long. {FILMING_TIPS}")


# Seeking pays only past the frames OpenCV decodes from the keyframe anyway (16 and more).
SEEK_MIN_FRAMES = 32


class FrameReader:
    """Decoded frames of one clip, in order: every frame larger than the limit is scaled down right after
    decoding (to ``size`` if given, else to the size decided from the first frame), the frames' own
    timestamps are kept, and decoding stops with ``too_long`` at ``max_duration_s`` of those timestamps
    or at ``max_frames``, whatever the header says. Frames above ``max_pixels`` are refused, by the header
    before any is decoded. ``decode_threads`` as in ``open_capture``: the passes that decode while pose
    threads work on both cores pass 1, since a threaded decoder spends about 15 % more CPU per frame
    (measured on the 1768 x 994 walking clip), CPU those threads need."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        limits: VideoLimits | None = None,
        size: tuple[int, int] | None = None,
        decode_threads: int | None = None,
    ) -> None:
        self.limits = limits or VideoLimits()
        self._cv2 = libraries.cv2()
        self._path, self._threads = path, decode_threads
        self.cap = open_capture(path, decode_threads)
        self.opened = bool(self.cap.isOpened())
        self.seeked = False  # whether ``frames`` started at a keyframe instead of the first frame ...
        self.landed_at = 0  # ... and on which frame
        self.size = size  # (width, height) frames are returned at
        self.source_size: tuple[int, int] | None = None  # (width, height) of the first decoded frame
        self.count = 0  # frames decoded so far
        self.timestamps_ms: list[float] = []
        self._first_ms = 0.0
        self._last_ms = 0.0
        cv2 = self._cv2
        self.declared_fps = float(self.cap.get(cv2.CAP_PROP_FPS) or 0.0) if self.opened else 0.0
        self.declared_count = int(self.cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0) if self.opened else 0
        width = int(self.cap.get(cv2.CAP_PROP_FRAME_WIDTH) or 0) if self.opened else 0
        height = int(self.cap.get(cv2.CAP_PROP_FRAME_HEIGHT) or 0) if self.opened else 0
        if width * height > self.limits.max_pixels:
            self.close()
            raise _too_large(width, height, self.limits)

    def __enter__(self) -> FrameReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.cap.release()

    @property
    def landed(self) -> int | None:
        """The frame ``frames`` seeked to (decoding started at a keyframe before it), or None."""
        return self.landed_at if self.seeked else None

    @property
    def rotation(self) -> int:
        return int(self.cap.get(self._cv2.CAP_PROP_ORIENTATION_META) or 0)

    def elapsed_s(self) -> float:
        """Time from the first decoded frame to the last, by their timestamps (by the frame count and the
        declared rate when the timestamps do not advance)."""
        if self._last_ms > self._first_ms:
            return (self._last_ms - self._first_ms) / 1000.0
        if self.count > 1 and self.declared_fps > 0:
            return (self.count - 1) / self.declared_fps
        return 0.0

    def grab(self) -> bool:
        """Decode the next frame (without converting it); False at the end of the clip."""
        if not self.opened or not self.cap.grab():
            return False
        self.count += 1
        if self.count > self.limits.max_frames:
            raise _too_many_frames(self.limits)
        stamp = float(self.cap.get(self._cv2.CAP_PROP_POS_MSEC))
        if not np.isfinite(stamp):
            stamp = 0.0
        self.timestamps_ms.append(stamp)
        if self.count == 1:
            self._first_ms = self._last_ms = stamp
        self._last_ms = max(self._last_ms, stamp)
        if self.elapsed_s() > self.limits.max_duration_s:
            raise _too_long(self.limits)
        return True

    def retrieve(self) -> np.ndarray | None:
        """The frame last grabbed (BGR), scaled down to the analysis size; None if it cannot be converted."""
        ok, frame = self.cap.retrieve()
        if not ok or frame is None:
            return None
        return self._fit(frame)

    def read(self) -> np.ndarray | None:
        return self.retrieve() if self.grab() else None

    def _fit(self, frame: np.ndarray) -> np.ndarray:
        height, width = frame.shape[:2]
        if width * height > self.limits.max_pixels:  # the stream changed size after its header
            raise _too_large(width, height, self.limits)
        if self.source_size is None:
            self.source_size = (width, height)
        if self.size is None:
            self.size = analysis_size(width, height, self.limits.max_side_px)
        if (width, height) != self.size:
            frame = self._cv2.resize(frame, self.size, interpolation=self._cv2.INTER_AREA)
        return frame

    def frames(
        self, start: int = 0, stop: int | None = None, known_ms: Sequence[float] | None = None
    ) -> Iterator[tuple[int, np.ndarray]]:
        """(index, frame) for frames ``start`` .. ``stop - 1``. Frames before ``start`` are decoded and
        dropped: frame-accurate seeking is not reliable in every container, and the event timing depends
        on exact frame numbers. With ``known_ms``, the timestamps of every frame from an earlier pass
        over the clip, the reader seeks to a keyframe before ``start`` and decodes from there instead,
        when the timestamps say exactly which frames it lands on and decodes up to ``start`` (from the
        first frame otherwise)."""
        if known_ms is not None and self.count == 0 and start > SEEK_MIN_FRAMES:
            self._seek_before(start, known_ms)
        while self.count < start:
            if not self.grab():
                break
        if self.seeked and (
            self.count < start
            or self.timestamps_ms[self.landed_at : start] != list(known_ms or [])[self.landed_at : start]
        ):
            self._reopen()  # not the frames counted on: decode from the first frame after all
            yield from self.frames(start, stop)
            return
        if self.count < start:
            return
        while stop is None or self.count < stop:
            frame = self.read()
            if frame is None:
                return
            yield self.count - 1, frame

    def timeline(self) -> Timeline:
        return timeline_of(self.timestamps_ms, self.declared_fps)

    def _seek_before(self, start: int, known_ms: Sequence[float]) -> None:
        """Land on a frame before ``start`` through a keyframe (OpenCV seeks to one at least 16 frames
        before the frame asked for and decodes from there), and know which frame it is by its timestamp.
        Only when every frame's timestamp is distinct and increasing, so that one names one frame, and
        the frames keep the declared rate (OpenCV seeks by it: with a lying header or a variable rate it
        lands elsewhere or fails)."""
        stamps = [float(t) for t in known_ms]
        if len(stamps) <= start or bool(np.any(np.diff(stamps) <= 0)):
            return
        if not self.declared_fps > 0 or timed_fps(stamps, self.declared_fps) != self.declared_fps:
            return
        self.cap.set(self._cv2.CAP_PROP_POS_FRAMES, start - 1)
        landed = -1
        if self.cap.grab():
            landed = {t: i for i, t in enumerate(stamps)}.get(
                float(self.cap.get(self._cv2.CAP_PROP_POS_MSEC)), -1
            )
        if not 0 <= landed < start:
            self._reopen()
            return
        self.seeked, self.landed_at = True, landed
        self.count = landed + 1
        self.timestamps_ms = stamps[: landed + 1]
        self._first_ms, self._last_ms = stamps[0], stamps[landed]

    def _reopen(self) -> None:
        self.cap.release()
        self.cap = open_capture(self._path, self._threads)
        self.seeked = False
        self.count = 0
        self.timestamps_ms = []
        self._first_ms = self._last_ms = 0.0


def _check_fps(fps: float, limits: VideoLimits) -> None:
    if not np.isfinite(fps) or not (0.0 < fps <= limits.max_fps):
        raise VideoError(
            "no_fps",
            "The video has no usable frame rate, so steps cannot be timed. Send the original clip "
            "from the phone's camera app rather than an edited or converted copy.",
        )


def _check_header(count: int, fps: float, limits: VideoLimits) -> None:
    """Refuse early what the header itself says is too long (the header is never trusted to let a clip
    through: decoding measures and stops at the limits)."""
    if count > limits.max_frames:
        raise _too_many_frames(limits, count)
    if count > 0 and count / fps > limits.max_duration_s:
        raise _too_long(limits, count / fps)


def probe_video(
    path: str | os.PathLike[str],
    limits: VideoLimits | None = None,
    *,
    sample_luma: bool = True,
    measure: bool = True,
) -> VideoInfo:
    """Open the clip, read its properties and refuse what cannot be analysed (raises ``VideoError``).

    With ``measure`` every frame is decoded (not converted) to count the frames and measure the duration
    from their timestamps, stopping at the limits; without it the header's count stands in until the
    caller decodes the clip (``extract_pose`` measures during its scan). With ``sample_luma`` a few
    frames across the clip are converted to refuse a clip that is too dark.
    """
    limits = limits or VideoLimits()
    p = Path(path)
    size = check_file(p, limits)
    with FrameReader(p, limits) as reader:
        first = reader.read() if reader.opened else None
        if first is None:
            raise VideoError(
                "not_video",
                "This file could not be read as a video. Send the clip as the phone saved it "
                "(MP4 or MOV), not a photo, a screen recording link or a document.",
            )
        fps = reader.declared_fps
        _check_fps(fps, limits)
        _check_header(reader.declared_count, fps, limits)
        lumas = [luma(first)]
        if measure or reader.declared_count <= 0:
            wanted = set(np.linspace(0, max(reader.declared_count - 1, 0), 6)[1:-1].astype(int).tolist())
            while reader.grab():
                if sample_luma and reader.count - 1 in wanted:
                    frame = reader.retrieve()
                    if frame is not None:
                        lumas.append(luma(frame))
            timeline = reader.timeline()
        else:
            more = reader.grab()  # a photo has no second frame
            count = reader.declared_count if more else 1
            timeline = Timeline(n_frames=count, duration_s=count / fps, fps=fps)
        if timeline.n_frames <= 1:  # OpenCV reads a photo as a one-frame "video"
            raise VideoError(
                "not_video",
                "This file holds a single picture, not a video. Film a clip of 10-20 s of running "
                f"and send that. {FILMING_TIPS}",
            )
        rotation = reader.rotation
        width, height = reader.source_size or (first.shape[1], first.shape[0])
        analysed = reader.size or (width, height)
    measured = measure or reader.declared_count <= 0
    if measured and timeline.duration_s < limits.min_duration_s:
        raise too_short(timeline.duration_s)
    if sample_luma:
        check_luma(lumas, limits)
    return VideoInfo(
        path=str(p),
        fps=timeline.fps,
        frame_count=timeline.n_frames,
        width=width,
        height=height,
        duration_s=timeline.duration_s,
        rotation=rotation,
        size_bytes=size,
        mean_luma=float(np.median(lumas)),
        declared_fps=fps,
        analysis_width=analysed[0],
        analysis_height=analysed[1],
        measured=measured,
    )


LUMA_WEIGHTS = (0.114, 0.587, 0.299)  # B, G, R (ITU-R BT.601, as OpenCV's BGR2GRAY)


def luma(frame: np.ndarray) -> float:
    """Mean luma (0-255) of a BGR frame: the luma of its mean colour (luma is linear in B, G, R). One
    pass over the pixels, no copy: the scan calls it on the decoding thread."""
    means = libraries.cv2().mean(frame)
    return float(sum(w * m for w, m in zip(LUMA_WEIGHTS, means[:3], strict=True)))


def check_luma(lumas: list[float], limits: VideoLimits) -> None:
    """Raise ``too_dark`` when the median mean luma of the sampled frames is below the limit."""
    if lumas and float(np.median(lumas)) < limits.min_luma:
        raise VideoError(
            "too_dark",
            "The clip is too dark to find the runner's joints. Film in daylight or a well-lit room, "
            "with the light behind the camera rather than behind the runner.",
        )


def iter_frames(
    path: str | os.PathLike[str],
    start: int = 0,
    stop: int | None = None,
    limits: VideoLimits | None = None,
) -> Iterator[np.ndarray]:
    """Decoded BGR frames ``start`` .. ``stop - 1`` in order, each scaled down as ``FrameReader`` does."""
    with FrameReader(path, limits) as reader:
        for _, frame in reader.frames(start, stop):
            yield frame


def read_frame(path: str | os.PathLike[str], index: int) -> np.ndarray:
    """One decoded BGR frame (exact: decodes from the start), scaled down as ``FrameReader`` does."""
    for frame in iter_frames(path, index, index + 1):
        return frame
    raise VideoError("not_video", f"Frame {index} could not be read from the video.")
