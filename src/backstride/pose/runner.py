"""Finding the runner and following them through the clip with MediaPipe Pose (spec gait.md,
"Picking the runner").

1. **Scan**: on sampled frames, static-mode Pose finds every person: detect, mask that person out,
   detect again (up to ``max_people``). Wide frames are scanned in overlapping square tiles, since
   the detector letterboxes its input to 224x224 and misses people who are small in a 16:9 frame.
2. **Pick**: the detections are linked into tracks and the runner picked by ``core.gait.tracks``
   (furthest-travelling track overground, most persistent on a treadmill, or the one overlapping the
   user's box).
3. **Follow**: video-mode Pose runs on a square crop that follows the chosen person (constant-velocity
   prediction), re-seeded from the track's interpolated box when it loses them or drifts to someone
   else; forwards and backwards from a seed frame. Two threads work on two halves of the clip
   (MediaPipe releases the GIL, so threads use both cores without forked processes, which deadlock
   once MediaPipe is initialised).

Landmarks are mapped back to full-frame pixels. MediaPipe's own landmark smoothing is off: it lags the
fast-moving feet (and so the contact times), and the gait core filters with a zero-lag low-pass.

Each step has its own module: finding people in a frame (``people``), the scan over sampled frames
(``scan``), following one person frame by frame (``tracker``) and over the clip (``follow``). This
module holds the pick and its ``Selection``, and gives the steps' public names, so callers import
from ``backstride.pose.runner`` alone.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from backstride.core.gait import tracks as core_tracks
from backstride.pose.errors import FILMING_TIPS, VideoError
from backstride.pose.follow import follow_runner
from backstride.pose.people import (
    BODY,
    HIPS,
    MODEL_COMPLEXITY,
    Box,
    PersonFound,
    ScanSettings,
    detect_people,
    landmark_box,
    new_pose,
)
from backstride.pose.scan import Progress, ScanResult, sample_frames, scan_people
from backstride.pose.tracker import TrackSettings

__all__ = [
    "BODY",
    "HIPS",
    "MODEL_COMPLEXITY",
    "Box",
    "PersonFound",
    "Progress",
    "ScanResult",
    "ScanSettings",
    "Selection",
    "TrackSettings",
    "detect_people",
    "follow_runner",
    "landmark_box",
    "new_pose",
    "pick",
    "sample_frames",
    "scan_people",
    "timed",
]


@dataclass(frozen=True)
class Selection:
    """Which person was analysed and why, with a frame the UI can show the pick on."""

    method: str  # "travel" | "persistence" | "roi" | "only"
    frame: int  # a representative frame ...
    box: Box  # ... with the runner's box on it ...
    others: list[Box]  # ... and the other people found on it
    n_people: int  # tracks found (people seen in the clip)
    roi: Box | None
    track_frames: list[int]  # sampled frames where the runner was found
    track_boxes: list[Box]
    video_width: int = 0  # the width the boxes are given in (0: the decoded frames' own)

    def scaled(self, factor: float, video_width: int, roi: Box | None) -> Selection:
        """The same pick with its boxes multiplied by ``factor`` (analysis pixels -> video pixels)."""

        def up(box: Box) -> Box:
            return (box[0] * factor, box[1] * factor, box[2] * factor, box[3] * factor)

        return replace(
            self,
            box=up(self.box),
            others=[up(b) for b in self.others],
            roi=roi,
            track_boxes=[up(b) for b in self.track_boxes],
            video_width=video_width,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "frame": self.frame,
            "box": [round(v, 1) for v in self.box],
            "others": [[round(v, 1) for v in b] for b in self.others],
            "n_people": self.n_people,
            "roi": None if self.roi is None else [round(v, 1) for v in self.roi],
        }


def pick(scan: ScanResult, roi: Box | None = None) -> tuple[core_tracks.Track, Selection, list[PersonFound]]:
    """Link the scan's detections into tracks and pick the runner (through ``core.gait.tracks``)."""
    if not scan.people:
        raise VideoError(
            "no_person",
            "No person was found in the video. The runner must be fully in view and not too small. "
            + FILMING_TIPS,
        )
    by_key = {(p.frame, p.box): p for p in scan.people}
    tracks = core_tracks.link_tracks([p.as_core() for p in scan.people])
    if roi is not None:
        chosen = core_tracks.pick_by_roi(tracks, roi)
        method = "roi"
        if chosen is None:
            raise VideoError(
                "roi_empty",
                "No person was found inside the box you drew. Draw the box around the runner's whole body "
                "on a frame where they are fully in view.",
            )
    else:
        chosen = core_tracks.pick_runner(tracks)
        assert chosen is not None
        if len(tracks) == 1:
            method = "only"
        elif chosen.travel_in_heights >= core_tracks.TRAVEL_HEIGHTS:
            method = "travel"
        else:
            method = "persistence"
    found = [by_key[(d.frame, d.box)] for d in chosen.detections]
    # The frame to show: the chosen person's best-scored sample among those with most people in view.
    people_at: dict[int, list[PersonFound]] = {}
    for p in scan.people:
        people_at.setdefault(p.frame, []).append(p)
    mid = (chosen.first_frame + chosen.last_frame) / 2
    best = max(found, key=lambda p: (len(people_at[p.frame]), p.score > 0.8, -abs(p.frame - mid)))
    others = [p.box for p in people_at[best.frame] if p is not best]
    selection = Selection(
        method=method,
        frame=best.frame,
        box=best.box,
        others=others,
        n_people=len([t for t in tracks if len(t.detections) >= core_tracks.MIN_DETECTIONS]) or len(tracks),
        roi=roi,
        track_frames=[p.frame for p in found],
        track_boxes=[p.box for p in found],
    )
    return chosen, selection, found


def timed() -> Callable[[], float]:
    t0 = time.perf_counter()
    return lambda: time.perf_counter() - t0
