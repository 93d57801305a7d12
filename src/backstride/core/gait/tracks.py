"""Linking person detections into tracks and picking the runner (spec gait.md, "Picking the runner").

The pose backend scans sampled frames in static mode and reports every person it finds; here, without
any model, those detections become tracks, and the runner is the track that travels furthest across the
frame (overground) or, if nobody travels, the most persistent one (treadmill). A user-drawn box
overrides the automatic pick.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in pixels, y down

# A detection continues a track if its centre is within this many box heights of the predicted centre
# (per sampled frame elapsed) and its height is within a factor of 2.
GATE_HEIGHTS = 1.0
MAX_HEIGHT_RATIO = 2.0
MAX_MISSED = 3  # sampled frames a track may go unseen before it ends
TRAVEL_HEIGHTS = 1.0  # moving at least one body height across the frame counts as travelling
MIN_DETECTIONS = 3  # shorter tracks are flickers, not people, unless nothing else exists


@dataclass(frozen=True)
class Detection:
    """One person found in one (original) frame."""

    frame: int
    box: Box
    centre: tuple[float, float] | None = None  # e.g. the mid-hip point; default: the box centre
    score: float = 1.0

    @property
    def point(self) -> tuple[float, float]:
        """The point tracked: ``centre`` if given, else the box centre."""
        if self.centre is not None:
            return self.centre
        x0, y0, x1, y1 = self.box
        return ((x0 + x1) / 2.0, (y0 + y1) / 2.0)

    @property
    def height(self) -> float:
        return max(self.box[3] - self.box[1], 1.0)


@dataclass
class Track:
    """Detections of one person over time, in frame order."""

    id: int
    detections: list[Detection] = field(default_factory=list)

    @property
    def first_frame(self) -> int:
        return self.detections[0].frame

    @property
    def last_frame(self) -> int:
        return self.detections[-1].frame

    @property
    def horizontal_travel(self) -> float:
        """Horizontal extent covered by the tracked point, in pixels."""
        xs = [d.point[0] for d in self.detections]
        return max(xs) - min(xs)

    @property
    def median_height(self) -> float:
        return float(np.median([d.height for d in self.detections]))

    @property
    def travel_in_heights(self) -> float:
        """Horizontal travel in body (box) heights: comparable across near and far people."""
        return self.horizontal_travel / self.median_height

    def box_at(self, frame: int) -> Box | None:
        """The box at any frame inside the track, linearly interpolated between detections."""
        frames = [d.frame for d in self.detections]
        if frame < frames[0] or frame > frames[-1]:
            return None
        boxes = np.array([d.box for d in self.detections], dtype=float)
        x0, y0, x1, y1 = (float(np.interp(frame, frames, boxes[:, k])) for k in range(4))
        return (x0, y0, x1, y1)


def link_tracks(detections: Sequence[Detection]) -> list[Track]:
    """Link detections (any order, several per frame) into tracks, greedily by distance to each
    track's constant-velocity prediction, with a distance and a size gate."""
    by_frame: dict[int, list[Detection]] = {}
    for det in detections:
        by_frame.setdefault(det.frame, []).append(det)
    frames = sorted(by_frame)
    rank = {f: i for i, f in enumerate(frames)}  # sampled-frame number, for "frames elapsed"
    tracks: list[Track] = []
    for frame in frames:
        active = [t for t in tracks if rank[frame] - rank[t.last_frame] <= MAX_MISSED]
        pairs = []
        for ti, track in enumerate(active):
            elapsed = rank[frame] - rank[track.last_frame]
            pred = _predict(track, frame)
            last = track.detections[-1]
            for di, det in enumerate(by_frame[frame]):
                ratio = det.height / last.height
                if not 1 / MAX_HEIGHT_RATIO <= ratio <= MAX_HEIGHT_RATIO:
                    continue
                dist = float(np.hypot(det.point[0] - pred[0], det.point[1] - pred[1])) / last.height
                if dist <= GATE_HEIGHTS * elapsed:
                    pairs.append((dist, ti, di))
        used_t: set[int] = set()
        used_d: set[int] = set()
        for _, ti, di in sorted(pairs):
            if ti in used_t or di in used_d:
                continue
            active[ti].detections.append(by_frame[frame][di])
            used_t.add(ti)
            used_d.add(di)
        for di, det in enumerate(by_frame[frame]):
            if di not in used_d:
                tracks.append(Track(len(tracks), [det]))
    return tracks


def pick_runner(tracks: Sequence[Track]) -> Track | None:
    """The runner: the track travelling furthest (in body heights) if any travels at least one body
    height; otherwise (treadmill) the most persistent track, larger people first on ties."""
    if not tracks:
        return None
    candidates = [t for t in tracks if len(t.detections) >= MIN_DETECTIONS] or list(tracks)
    travelling = [t for t in candidates if t.travel_in_heights >= TRAVEL_HEIGHTS]
    if travelling:
        return max(travelling, key=lambda t: t.travel_in_heights)
    return max(candidates, key=lambda t: (len(t.detections), t.median_height))


def pick_by_roi(tracks: Sequence[Track], roi: Box, frame: int | None = None) -> Track | None:
    """The track that best overlaps a user-drawn box (IoU): at ``frame`` if given (the frame the user
    drew on), else at the track's best-matching frame. None if no track touches the box."""
    best: tuple[float, Track | None] = (0.0, None)
    for track in tracks:
        if frame is not None:
            box = track.box_at(frame)
            score = iou(box, roi) if box is not None else 0.0
        else:
            score = max(iou(d.box, roi) for d in track.detections)
        if score > best[0]:
            best = (score, track)
    return best[1]


def iou(a: Box, b: Box) -> float:
    """Intersection over union of two boxes (0 when they do not overlap)."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    inter = w * h
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return float(inter / union) if union > 0 else 0.0


def _predict(track: Track, frame: int) -> tuple[float, float]:
    """Constant-velocity prediction (per original frame) of the track's point at ``frame``."""
    last = track.detections[-1]
    if len(track.detections) < 2:
        return last.point
    prev = track.detections[-2]
    span = last.frame - prev.frame
    vx = (last.point[0] - prev.point[0]) / span
    vy = (last.point[1] - prev.point[1]) / span
    ahead = frame - last.frame
    return (last.point[0] + vx * ahead, last.point[1] + vy * ahead)
