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
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from backstride.core.gait import tracks as core_tracks
from backstride.core.gait.keypoints import N_LANDMARKS, Landmark
from backstride.pose import libraries
from backstride.pose.errors import FILMING_TIPS, VideoError
from backstride.pose.video import FrameReader, Timeline, VideoLimits, luma

Box = tuple[float, float, float, float]
Progress = Callable[[float], None]

# Landmarks whose mean visibility scores a detection (the body, not the face or hands).
BODY = [
    int(lm)
    for lm in (
        Landmark.LEFT_SHOULDER,
        Landmark.RIGHT_SHOULDER,
        Landmark.LEFT_HIP,
        Landmark.RIGHT_HIP,
        Landmark.LEFT_KNEE,
        Landmark.RIGHT_KNEE,
        Landmark.LEFT_ANKLE,
        Landmark.RIGHT_ANKLE,
    )
]
HIPS = [int(Landmark.LEFT_HIP), int(Landmark.RIGHT_HIP)]

MODEL_COMPLEXITY = 1  # the only model bundled in the mediapipe 0.10.21 wheel (0 and 2 download)


@dataclass(frozen=True)
class ScanSettings:
    scan_hz: float = 3.0  # sampled frames per second of video ...
    min_samples: int = 12  # ... but at least this many ...
    max_samples: int = 60  # ... and at most this many over the clip
    max_people: int = 3
    min_score: float = 0.5  # mean visibility of shoulders, hips, knees, ankles
    detection_confidence: float = 0.3  # lower than MediaPipe's 0.5: candidates are scored afterwards
    window_max_px: int = 640  # windows are scaled down to this first (only boxes are needed here)


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


@dataclass(frozen=True)
class PersonFound:
    """One person in one sampled frame (full-frame pixels)."""

    frame: int
    box: Box
    score: float
    xy: np.ndarray  # (33, 2)
    visibility: np.ndarray  # (33,)

    def as_core(self) -> core_tracks.Detection:
        hips = self.xy[HIPS]
        centre = (float(hips[:, 0].mean()), float(hips[:, 1].mean()))
        return core_tracks.Detection(self.frame, self.box, centre, self.score)


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


@dataclass
class ScanResult:
    n_frames: int  # frames actually decoded
    sample_frames: list[int]
    people: list[PersonFound] = field(default_factory=list)
    lumas: list[float] = field(default_factory=list)  # mean luma of each sampled frame
    timestamps_ms: list[float] = field(default_factory=list)  # of every frame, from the container
    timeline: Timeline | None = None  # frame count, duration and rate measured while decoding


# --- MediaPipe helpers ---------------------------------------------------------------------------


def new_pose(static: bool, detection_confidence: float = 0.5) -> Any:
    mp_pose = libraries.mp_pose()
    return mp_pose.Pose(
        static_image_mode=static,
        model_complexity=MODEL_COMPLEXITY,
        smooth_landmarks=False,
        enable_segmentation=False,
        min_detection_confidence=detection_confidence,
        min_tracking_confidence=0.5,
    )


def _landmarks(result: Any, width: int, height: int) -> tuple[np.ndarray, np.ndarray] | None:
    """(33, 2) pixel coordinates in the processed image and (33,) visibility, or None."""
    if not result.pose_landmarks:
        return None
    lms = result.pose_landmarks.landmark
    arr = np.array([(lm.x, lm.y, lm.visibility) for lm in lms], dtype=float)
    if arr.shape[0] != N_LANDMARKS:
        return None
    xy = arr[:, :2] * np.array([width, height], dtype=float)
    return xy, np.clip(arr[:, 2], 0.0, 1.0)


def landmark_box(xy: np.ndarray, vis: np.ndarray, min_vis: float = 0.3) -> Box:
    """Box around the landmarks (the visible ones when there are enough)."""
    pts = xy[vis >= min_vis] if int((vis >= min_vis).sum()) >= 8 else xy
    x0, y0 = pts.min(axis=0)
    x1, y1 = pts.max(axis=0)
    return (float(x0), float(y0), float(x1), float(y1))


def _pad(box: Box, fx: float, fy: float) -> Box:
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    return (x0 - fx * w, y0 - fy * h, x1 + fx * w, y1 + fy * h)


def _overlap_small(a: Box, b: Box) -> float:
    """Intersection over the smaller box's area (1 when one box is inside the other)."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    small = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return float(w * h / small) if small > 0 else 0.0


def _tiles(width: int, height: int) -> list[tuple[int, int, int, int]]:
    """Square-ish windows (x0, y0, x1, y1) covering a wide frame with overlap; the whole frame otherwise."""
    if width <= 1.25 * height:
        return [(0, 0, width, height)]
    side = height
    n = int(np.ceil((width - side) / (0.8 * side))) + 1  # 16:9 -> two tiles overlapping by a fifth
    xs = np.linspace(0, width - side, n).round().astype(int)
    return [(int(x), 0, int(x) + side, height) for x in xs]


def detect_people(
    pose: Any,
    frame_bgr: np.ndarray,
    frame_no: int,
    settings: ScanSettings,
    roi: Box | None = None,
) -> list[PersonFound]:
    """Every person in one frame: in each tile detect, mask the person out, detect again. With a user
    box, also look inside it (enlarged), so the person the user pointed at is found even when small."""
    cv2 = libraries.cv2()
    rgb = cv2.cvtColor(frame_bgr, cv2.COLOR_BGR2RGB)
    height, width = rgb.shape[:2]
    windows = _tiles(width, height)
    if roi is not None:
        rx0, ry0, rx1, ry1 = _pad(roi, 0.5, 0.25)
        windows.insert(0, (max(0, int(rx0)), max(0, int(ry0)), min(width, int(rx1)), min(height, int(ry1))))
    found: list[PersonFound] = []
    for wx0, wy0, wx1, wy1 in windows:
        if wx1 - wx0 < 32 or wy1 - wy0 < 32:
            continue
        for _ in range(settings.max_people):
            if len(found) >= settings.max_people * 2:
                break
            window = rgb[wy0:wy1, wx0:wx1]
            f = min(1.0, settings.window_max_px / max(wx1 - wx0, wy1 - wy0))
            if f < 1.0:
                window = cv2.resize(window, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
            lm = _landmarks(pose.process(np.ascontiguousarray(window)), wx1 - wx0, wy1 - wy0)
            if lm is None:
                break
            xy, vis = lm
            xy = xy + np.array([wx0, wy0], dtype=float)
            box = landmark_box(xy, vis)
            score = float(vis[BODY].mean())
            # mask this person out of the frame (all windows see the mask) and look again
            mx0, my0, mx1, my1 = _pad(box, 0.15, 0.08)
            rgb[max(0, int(my0)) : max(0, int(my1)), max(0, int(mx0)) : max(0, int(mx1))] = 127
            if score < settings.min_score or box[2] - box[0] < 4 or box[3] - box[1] < 8:
                continue
            if any(_overlap_small(box, p.box) > 0.6 for p in found):
                continue
            found.append(PersonFound(frame_no, box, score, xy, vis))
    return found


# --- scan ----------------------------------------------------------------------------------------


def sample_frames(n_frames: int, fps: float, settings: ScanSettings) -> list[int]:
    step = fps / settings.scan_hz
    step = min(step, n_frames / settings.min_samples)
    step = max(step, n_frames / settings.max_samples, 1.0)
    return sorted({round(float(x)) for x in np.arange(0, n_frames, step)} & set(range(n_frames)))


def _workers(requested: int | None) -> int:
    if requested is not None:
        return max(1, requested)
    return max(1, min(2, os.cpu_count() or 1))


def scan_people(
    path: str,
    n_frames_hint: int,
    fps: float,
    *,
    roi: Box | None = None,
    settings: ScanSettings | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    limits: VideoLimits | None = None,
    size: tuple[int, int] | None = None,
) -> ScanResult:
    """Detect every person on sampled frames (at ``size``, the analysis size). Decoding runs in this
    thread and is the first pass over every frame: it measures the clip (``ScanResult.timeline``) and
    stops with ``too_long`` at the limits. Detection runs in ``workers`` threads, each with its own
    static-mode Pose. ``progress`` is called from this thread only."""
    settings = settings or ScanSettings()
    samples = sample_frames(max(n_frames_hint, 1), fps, settings)
    wanted = set(samples)
    jobs: queue.Queue[tuple[int, np.ndarray] | None] = queue.Queue(maxsize=4)
    result = ScanResult(n_frames=0, sample_frames=[])
    lock = threading.Lock()
    errors: list[BaseException] = []

    def work() -> None:
        pose = new_pose(static=True, detection_confidence=settings.detection_confidence)
        try:
            while True:
                job = jobs.get()
                if job is None:
                    return
                if errors:
                    continue
                try:
                    people = detect_people(pose, job[1], job[0], settings, roi)
                except BaseException as exc:  # re-raised in the calling thread
                    errors.append(exc)
                    continue
                with lock:
                    result.people.extend(people)
        finally:
            pose.close()

    reader = FrameReader(path, limits, size)
    threads = [threading.Thread(target=work, daemon=True) for _ in range(_workers(workers))]
    for t in threads:
        t.start()
    try:
        last_sample = samples[-1] if samples else 0
        while reader.grab():
            i = reader.count - 1
            if i in wanted:
                frame = reader.retrieve()
                if frame is not None:
                    jobs.put((i, frame))
                    result.sample_frames.append(i)
                    result.lumas.append(luma(frame))
                if progress is not None:
                    progress(min(1.0, i / max(last_sample, 1)))
        result.n_frames = reader.count
        result.timestamps_ms = reader.timestamps_ms
        result.timeline = reader.timeline()
    finally:
        reader.close()
        for _ in threads:
            jobs.put(None)
        for t in threads:
            t.join()
    if errors:
        raise errors[0]
    result.people.sort(key=lambda p: (p.frame, p.box[0]))
    return result


# --- pick ----------------------------------------------------------------------------------------


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


# --- follow --------------------------------------------------------------------------------------


class _Guide:
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


class _CropTracker:
    """Video-mode Pose on a square crop that follows one person."""

    def __init__(self, guide: _Guide, width: int, height: int, settings: TrackSettings) -> None:
        self.guide = guide
        self.width, self.height = width, height
        self.settings = settings
        self.pose: Any = None
        self.centre: np.ndarray | None = None
        self.velocity = np.zeros(2)
        self.size = 0.0
        self.box_h = 0.0
        self.calls = 0

    def close(self) -> None:
        if self.pose is not None:
            self.pose.close()
            self.pose = None

    def _reseed(self, frame_no: int) -> bool:
        box = self.guide.box(frame_no)
        if box is None:
            return False
        if self.pose is None:
            self.pose = new_pose(static=False)
        else:
            self.pose.reset()
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
        lm = _landmarks(self.pose.process(rgb), rgb.shape[1], rgb.shape[0])
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
    out = np.zeros((side, side, 3), dtype=frame.dtype)
    sx0, sy0 = max(0, x0), max(0, y0)
    sx1, sy1 = min(w, x0 + side), min(h, y0 + side)
    if sx1 > sx0 and sy1 > sy0:
        out[sy0 - y0 : sy1 - y0, sx0 - x0 : sx1 - x0] = frame[sy0:sy1, sx0:sx1]
    return out


@dataclass
class _Segment:
    lo: int  # first frame to track (backwards from seed)
    seed: int  # a sampled frame with a detection of the runner
    hi: int  # one past the last frame to track (forwards from seed)


def _plan_segments(
    found: list[PersonFound], n_frames: int, margin: int, workers: int, max_buffered: int
) -> list[_Segment]:
    # The frames before the first sighting are buffered to track backwards: never more than max_buffered.
    lo = max(0, found[0].frame - margin, found[0].frame - max_buffered + 1)
    hi = min(n_frames, found[-1].frame + margin + 1)
    seeds = [p.frame for p in found]
    if workers < 2 or len(seeds) < 3 or hi - lo < 60:
        return [_Segment(lo, seeds[0], hi)]
    # The second thread must decode (grab) up to its start: give it a little less than half.
    target = lo + 0.53 * (hi - lo)
    split = min(seeds[1:], key=lambda f: abs(f - target))
    return [_Segment(lo, seeds[0], split), _Segment(split, split, hi)]


def follow_runner(
    path: str,
    found: list[PersonFound],
    n_frames: int,
    fps: float,
    width: int,
    height: int,
    *,
    sample_step: float,
    settings: TrackSettings | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    limits: VideoLimits | None = None,
) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    """Follow the chosen person through the clip (frames decoded at ``width`` x ``height``, the
    analysis size). Returns xy (n_frames, 33, 2) with NaN where not found, visibility (n_frames, 33)
    and counters."""
    settings = settings or TrackSettings()
    margin = int(np.ceil(settings.margin_samples * sample_step))
    guide = _Guide(found, margin)
    xy = np.full((n_frames, N_LANDMARKS, 2), np.nan)
    vis = np.zeros((n_frames, N_LANDMARKS))
    max_buffered = max(8, settings.back_buffer_bytes // max(1, width * height * 3))
    segments = _plan_segments(found, n_frames, margin, _workers(workers), max_buffered)
    done = [0] * len(segments)
    calls = [0] * len(segments)
    errors: list[BaseException] = []

    def run(k: int, seg: _Segment) -> None:
        fwd = _CropTracker(guide, width, height, settings)
        back = _CropTracker(guide, width, height, settings)
        reader: FrameReader | None = None
        try:
            reader = FrameReader(path, limits, (width, height))
            buffered: list[tuple[int, np.ndarray]] = []
            for i, frame in reader.frames(seg.lo, seg.hi):
                if i <= seg.seed:
                    buffered.append((i, frame))
                if i < seg.seed:
                    continue
                res = fwd.step(i, frame)
                if res is not None:
                    xy[i], vis[i] = res
                done[k] += 1
            # backwards from the seed over the buffered frames (the seed frame first, to lock on)
            for i, frame in reversed(buffered if seg.lo < seg.seed else []):
                res = back.step(i, frame)
                if res is not None and i < seg.seed:
                    xy[i], vis[i] = res
                if i < seg.seed:
                    done[k] += 1
            calls[k] = fwd.calls + back.calls
        except BaseException as exc:  # re-raised in the calling thread
            errors.append(exc)
        finally:
            fwd.close()
            back.close()
            if reader is not None:
                reader.close()

    threads = [threading.Thread(target=run, args=(k, s), daemon=True) for k, s in enumerate(segments)]
    for t in threads:
        t.start()
    total = max(1, sum(s.hi - s.lo for s in segments))
    while any(t.is_alive() for t in threads):
        threads[0].join(timeout=0.2)
        if progress is not None:
            progress(min(1.0, sum(done) / total))
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    stats = {
        "segments": [(s.lo, s.seed, s.hi) for s in segments],
        "pose_calls": sum(calls),
        "frames_tracked": int(np.isfinite(xy[:, 0, 0]).sum()),
    }
    return xy, vis, stats


def timed() -> Callable[[], float]:
    t0 = time.perf_counter()
    return lambda: time.perf_counter() - t0
