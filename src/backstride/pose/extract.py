"""The pose backend's entry point: a video file in, the runner's keypoints (``PoseSeries``) out."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from backstride.core.gait.keypoints import PoseSeries
from backstride.pose import runner
from backstride.pose.box import BoxError, check_inside, parse_box, parse_roi
from backstride.pose.errors import FILMING_TIPS, VideoError
from backstride.pose.runner import Box, Progress, ScanSettings, Selection, TrackSettings
from backstride.pose.video import (
    VideoInfo,
    VideoLimits,
    check_luma,
    probe_video,
    timed_fps,
    too_short,
)

__all__ = ["Extraction", "extract_pose", "parse_roi", "timed_fps"]

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
            "declared_fps": self.video.declared_fps,
            "duration_s": round(self.video.duration_s, 3),
            "width": self.video.width,
            "height": self.video.height,
            "analysis_width": self.video.analysis_width,
            "analysis_height": self.video.analysis_height,
            "rotation": self.video.rotation,
            "n_video_frames": self.n_video_frames,
            "first_frame": self.first_frame,
            "last_frame": self.last_frame,
            "frames_found": self.frames_found,
            "selection": self.selection.to_dict(),
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
        }


def _roi_in_analysis_pixels(roi: Box, info: VideoInfo) -> Box:
    """The user's box (video pixels), checked against the frame, in the pixels the analysis works in."""
    try:
        box = parse_box(list(roi))
    except BoxError as error:
        raise VideoError("bad_roi", f"The box is not usable: {error}.") from None
    try:
        check_inside(box, info.width, info.height)
    except BoxError as error:
        raise VideoError("roi_outside", f"{str(error)[0].upper()}{str(error)[1:]}.") from None
    scale = info.scale
    return (box[0] * scale, box[1] * scale, box[2] * scale, box[3] * scale)


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

    ``roi`` (x0, y0, x1, y1 pixels of the video) overrides the automatic pick with the person in that
    box. Frames larger than ``limits.max_side_px`` are analysed scaled down; keypoints and boxes are
    returned in the video's own pixels all the same.
    ``progress`` gets a fraction 0..1, always from the calling thread. With ``trim`` (default) the
    series covers only the frames from the first to the last where the runner was found (``frame_index``
    keeps the original frame numbers); with ``trim=False`` every frame of the clip has a row (NaN where
    the runner was not found). Raises ``VideoError`` for a clip that cannot be analysed and
    ``PoseUnavailable`` without the ``video`` extra.
    """
    clock = runner.timed()
    seconds: dict[str, float] = {}
    limits = limits or VideoLimits()
    info = probe_video(path, limits, sample_luma=False, measure=False)
    seconds["probe"] = clock()
    roi_px = None if roi is None else _roi_in_analysis_pixels(roi, info)
    size = info.analysis_size

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
        roi=roi_px,
        settings=scan_settings,
        workers=workers,
        progress=scan_progress,
        limits=limits,
        size=size,
    )
    seconds["scan"] = clock() - seconds["probe"]
    n_frames = scan.n_frames
    if n_frames < 2 or scan.timeline is None:
        raise VideoError("not_video", "The video has no frames that could be decoded.")
    info = info.with_timeline(scan.timeline)  # measured from the frames' own timestamps
    if info.duration_s < limits.min_duration_s:
        raise too_short(info.duration_s)
    check_luma(scan.lumas, limits)
    _, selection, found = runner.pick(scan, roi_px)
    steps = np.diff(scan.sample_frames) if len(scan.sample_frames) > 1 else np.array([1])
    xy, vis, stats = runner.follow_runner(
        str(path),
        found,
        n_frames,
        info.fps,
        size[0],
        size[1],
        sample_step=float(np.max(steps)),
        settings=track_settings,
        workers=workers,
        progress=track_progress,
        limits=limits,
        timestamps_ms=scan.timestamps_ms,
    )
    seconds["follow"] = clock() - seconds["probe"] - seconds["scan"]
    present = np.flatnonzero(np.isfinite(xy[:, :, 0]).any(axis=1))
    if not len(present):
        raise VideoError(
            "no_person",
            f"The runner could not be followed through the video. {FILMING_TIPS}",
        )
    first, last = (int(present[0]), int(present[-1])) if trim else (0, n_frames - 1)
    if info.fps != info.declared_fps:
        stats["fps_from_timestamps"] = round(info.fps, 3)
    if info.scale != 1.0:  # back to the video's own pixels
        xy = xy / info.scale
    selection = selection.scaled(1.0 / info.scale, info.width, roi)
    series = PoseSeries(
        fps=info.fps,
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
