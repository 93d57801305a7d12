"""Following one person through consecutive frames (step 3 of ``runner``, one frame at a time):
video-mode Pose on a square crop that moves with them (constant-velocity prediction), re-seeded from
the picked track's interpolated box (``Guide``) when it loses them or drifts to someone else."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from backstride.pose import libraries
from backstride.pose.graphs import PoseGraph
from backstride.pose.people import Box, PersonFound, landmark_box, landmarks_in


@dataclass(frozen=True)
class TrackSettings:
    crop_scale: float = 1.5  # crop side = this x the larger side of the person's landmark box
    crop_max_px: int = 256  # crops are resized down to this (MediaPipe works at 256x256 inside)
    # Frames kept in memory to track backwards from the first sighting: at most this many bytes (a
    # 1080p frame is 6 MB); earlier frames are left untracked rather than held.
    back_buffer_bytes: int = 256 * 1024 * 1024
    size_smoothing: float = 0.15  # EMA weight of a new box size
    drift_heights: float = 0.6  # farther than this (in box heights) from the track's box: someone else
    jump_heights: float = 0.35  # a per-frame jump larger than this outside the track's span: lost
    margin_samples: float = 1.0  # follow this many sampling steps before the first / after the last pick


class Guide:
    """The chosen track's box at any frame: interpolated between its sampled detections, held for up to
    ``margin`` frames before the first and after the last."""

    def __init__(self, found: list[PersonFound], margin: int) -> None:
        self.frames = np.array([p.frame for p in found], dtype=float)
        self.boxes = np.array([p.box for p in found], dtype=float)
        self.margin = margin

    def inside(self, frame: int) -> bool:
        return bool(self.frames[0] <= frame <= self.frames[-1])

    def box(self, frame: int) -> Box | None:
        if frame < self.frames[0] - self.margin or frame > self.frames[-1] + self.margin:
            return None
        vals = [float(np.interp(frame, self.frames, self.boxes[:, k])) for k in range(4)]
        return (vals[0], vals[1], vals[2], vals[3])


class CropTracker:
    """Video-mode Pose on a square crop that follows one person. The graph is lent by the caller (the
    forward and backward trackers of a segment share one, one after the other)."""

    def __init__(
        self, guide: Guide, width: int, height: int, settings: TrackSettings, graph: PoseGraph
    ) -> None:
        self.guide = guide
        self.width, self.height = width, height
        self.settings = settings
        self.graph = graph
        self.centre: np.ndarray | None = None
        self.velocity = np.zeros(2)
        self.size = 0.0
        self.box_h = 0.0
        self.calls = 0

    def _reseed(self, frame_no: int) -> bool:
        box = self.guide.box(frame_no)
        if box is None:
            return False
        self.graph.forget()  # start with a detection, as a new graph would
        x0, y0, x1, y1 = box
        self.centre = np.array([(x0 + x1) / 2, (y0 + y1) / 2])
        self.velocity = np.zeros(2)
        self.size = self.settings.crop_scale * max(x1 - x0, y1 - y0)
        self.box_h = y1 - y0
        return True

    def _lost(self) -> None:
        self.centre = None

    def step(self, frame_no: int, frame_bgr: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        if self.centre is None and not self._reseed(frame_no):
            return None
        assert self.centre is not None
        cv2 = libraries.cv2()
        side = max(32.0, min(self.size, 1.5 * max(self.width, self.height)))
        centre = self.centre + self.velocity
        x0, y0 = centre - side / 2
        crop = _crop(frame_bgr, round(float(x0)), round(float(y0)), round(float(side)))
        scale = 1.0
        if crop.shape[0] > self.settings.crop_max_px:
            scale = self.settings.crop_max_px / crop.shape[0]
            crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        rgb = cv2.cvtColor(crop, cv2.COLOR_BGR2RGB)
        self.calls += 1
        lm = landmarks_in(self.graph.process(rgb), rgb.shape[1], rgb.shape[0])
        if lm is None:
            self._lost()
            return None
        xy, vis = lm
        xy = xy / scale + np.array([round(float(x0)), round(float(y0))], dtype=float)
        box = landmark_box(xy, vis)
        new_centre = np.array([(box[0] + box[2]) / 2, (box[1] + box[3]) / 2])
        h = max(box[3] - box[1], 1.0)
        guide = self.guide.box(frame_no)
        if guide is not None and self.guide.inside(frame_no):
            g_centre = np.array([(guide[0] + guide[2]) / 2, (guide[1] + guide[3]) / 2])
            g_h = max(guide[3] - guide[1], 1.0)
            if np.hypot(*(new_centre - g_centre)) > self.settings.drift_heights * g_h:
                self._lost()  # drifted to someone else: re-seed from the track next frame
                return None
        else:
            allowed = self.settings.jump_heights * max(self.box_h, h) + float(np.hypot(*self.velocity))
            if np.hypot(*(new_centre - self.centre)) > allowed:  # outside the track's span: no jumps
                self._lost()
                return None
        self.velocity = 0.5 * self.velocity + 0.5 * (new_centre - self.centre)
        self.centre = new_centre
        a = self.settings.size_smoothing
        self.size = (1 - a) * self.size + a * self.settings.crop_scale * max(box[2] - box[0], h)
        self.box_h = h
        return xy, vis


def _crop(frame: np.ndarray, x0: int, y0: int, side: int) -> np.ndarray:
    """A ``side`` x ``side`` window at (x0, y0), black outside the frame."""
    h, w = frame.shape[:2]
    if x0 >= 0 and y0 >= 0 and x0 + side <= w and y0 + side <= h:
        return frame[y0 : y0 + side, x0 : x0 + side]  # inside: a view, no copy (resized next)
    out = np.zeros((side, side, 3), dtype=frame.dtype)
    sx0, sy0 = max(0, x0), max(0, y0)
    sx1, sy1 = min(w, x0 + side), min(h, y0 + side)
    if sx1 > sx0 and sy1 > sy0:
        out[sy0 - y0 : sy1 - y0, sx0 - x0 : sx1 - x0] = frame[sy0:sy1, sx0:sx1]
    return out
