"""The pose backend's entry point: a video file in, the runner's keypoints (``PoseSeries``) out."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from backstride.core.gait.keypoints import PoseSeries
from backstride.pose import runner
from backstride.pose.errors import FILMING_TIPS, VideoError
from backstride.pose.runner import Box, Progress, ScanSettings, Selection, TrackSettings
from backstride.pose.video import VideoInfo, VideoLimits, check_luma, probe_video

SCAN_SHARE = 0.25  # of the progress bar: the scan is about a quarter of the work


@dataclass(frozen=True)
class Extraction:
    """What ``extract_pose`` returns besides the keypoints: the video, the pick, timings."""

    video: VideoInfo
    selection: Selection
    n_video_frames: int  # frames actually decoded
    first_frame: int  # the series covers first_frame .. last_frame (the runner's span) ...
    last_frame: int  # ... or the whole clip with trim=False
    frames_found: int  # rows where the runner's landmarks were found
    seconds: dict[str, float] = field(default_factory=dict)
    stats: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "fps": self.video.fps,
            "width": self.video.width,
            "height": self.video.height,
            "rotation": self.video.rotation,
            "n_video_frames": self.n_video_frames,
            "first_frame": self.first_frame,
            "last_frame": self.last_frame,
            "frames_found": self.frames_found,
            "selection": self.selection.to_dict(),
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
        }


def timed_fps(timestamps_ms: list[float], nominal: float) -> float:
    """The clip's real average frame rate from the frames' own timestamps, when it differs from the
    nominal rate by more than 0.5 % (phones often record a variable frame rate, and step rate is
    computed from frame numbers: the nominal rate would bias it by as much)."""
    stamps = np.asarray(timestamps_ms, dtype=float)
    stamps = stamps[np.isfinite(stamps)]
    if len(stamps) < 10 or stamps[-1] <= stamps[0] or np.any(np.diff(stamps) < 0):
        return nominal
    measured = (len(stamps) - 1) * 1000.0 / (stamps[-1] - stamps[0])
    return float(measured) if abs(measured / nominal - 1) > 0.005 else nominal


def parse_roi(text: str) -> Box:
    """``"x0,y0,x1,y1"`` (pixels of the original frame) -> a box; ``ValueError`` with a clear message."""
    try:
        vals = [float(v) for v in text.replace(" ", "").split(",")]
    except ValueError:
        vals = []
    if len(vals) != 4 or vals[2] <= vals[0] or vals[3] <= vals[1]:
        raise ValueError(f"--roi must be x0,y0,x1,y1 in pixels with x1 > x0 and y1 > y0, got {text!r}")
    return (vals[0], vals[1], vals[2], vals[3])


def extract_pose(
    path: str | os.PathLike[str],
    roi: Box | None = None,
    progress: Progress | None = None,
    *,
    limits: VideoLimits | None = None,
    trim: bool = True,
    workers: int | None = None,
    scan_settings: ScanSettings | None = None,
    track_settings: TrackSettings | None = None,
) -> tuple[PoseSeries, Extraction]:
    """Keypoints of the runner in a clip, one row per video frame, in full-frame pixels.

    ``roi`` (x0, y0, x1, y1 pixels) overrides the automatic pick with the person in that box.
    ``progress`` gets a fraction 0..1, always from the calling thread. With ``trim`` (default) the
    series covers only the frames from the first to the last where the runner was found (``frame_index``
    keeps the original frame numbers); with ``trim=False`` every frame of the clip has a row (NaN where
    the runner was not found). Raises ``VideoError`` for a clip that cannot be analysed and
    ``PoseUnavailable`` without the ``video`` extra.
    """
    clock = runner.timed()
    seconds: dict[str, float] = {}
    limits = limits or VideoLimits()
    info = probe_video(path, limits, sample_luma=False)
    seconds["probe"] = clock()
    if roi is not None:
        x0, y0, x1, y1 = roi
        roi = (max(0.0, x0), max(0.0, y0), min(float(info.width), x1), min(float(info.height), y1))
        if roi[2] - roi[0] < 4 or roi[3] - roi[1] < 4:
            raise VideoError(
                "roi_outside",
                f"The box {x0:.0f},{y0:.0f},{x1:.0f},{y1:.0f} is outside the video "
                f"({info.width}x{info.height} pixels). Draw it around the runner.",
            )

    def scan_progress(f: float) -> None:
        if progress is not None:
            progress(SCAN_SHARE * f)

    def track_progress(f: float) -> None:
        if progress is not None:
            progress(SCAN_SHARE + (1 - SCAN_SHARE) * f)

    scan_settings = scan_settings or ScanSettings()
    scan = runner.scan_people(
        str(path),
        info.frame_count,
        info.fps,
        roi=roi,
        settings=scan_settings,
        workers=workers,
        progress=scan_progress,
    )
    seconds["scan"] = clock() - seconds["probe"]
    n_frames = scan.n_frames
    if n_frames < 2:
        raise VideoError("not_video", "The video has no frames that could be decoded.")
    check_luma(scan.lumas, limits)
    _, selection, found = runner.pick(scan, roi)
    steps = np.diff(scan.sample_frames) if len(scan.sample_frames) > 1 else np.array([1])
    xy, vis, stats = runner.follow_runner(
        str(path),
        found,
        n_frames,
        info.fps,
        info.width,
        info.height,
        sample_step=float(np.max(steps)),
        settings=track_settings,
        workers=workers,
        progress=track_progress,
    )
    seconds["follow"] = clock() - seconds["probe"] - seconds["scan"]
    present = np.flatnonzero(np.isfinite(xy[:, :, 0]).any(axis=1))
    if not len(present):
        raise VideoError(
            "no_person",
            f"The runner could not be followed through the video. {FILMING_TIPS}",
        )
    first, last = (int(present[0]), int(present[-1])) if trim else (0, n_frames - 1)
    fps = timed_fps(scan.timestamps_ms, info.fps)
    if fps != info.fps:
        stats["fps_from_timestamps"] = round(fps, 3)
    series = PoseSeries(
        fps=fps,
        width=info.width,
        height=info.height,
        xy=xy[first : last + 1],
        visibility=vis[first : last + 1],
        frame_index=np.arange(first, last + 1),
    )
    if progress is not None:
        progress(1.0)
    seconds["total"] = clock()
    stats.update(people_found=len(scan.people), sample_frames=len(scan.sample_frames))
    return series, Extraction(
        video=info,
        selection=selection,
        n_video_frames=n_frames,
        first_frame=first,
        last_frame=last,
        frames_found=len(present),
        seconds=seconds,
        stats=stats,
    )
