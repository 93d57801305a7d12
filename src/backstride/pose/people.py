"""Finding every person in one frame with static-mode MediaPipe Pose (step 1 of ``runner``, per
sampled frame): detect, mask that person out, detect again. Wide frames are looked at in overlapping
square tiles, since the detector letterboxes its input to 224x224 and misses people who are small in a
16:9 frame. Also the landmark helpers the tracker shares (``new_pose``, ``landmarks_in``,
``landmark_box``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from backstride.core.gait import tracks as core_tracks
from backstride.core.gait.keypoints import N_LANDMARKS, Landmark
from backstride.pose import libraries

Box = tuple[float, float, float, float]

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


def landmarks_in(result: Any, width: int, height: int) -> tuple[np.ndarray, np.ndarray] | None:
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
            lm = landmarks_in(pose.process(np.ascontiguousarray(window)), wx1 - wx0, wy1 - wy0)
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
