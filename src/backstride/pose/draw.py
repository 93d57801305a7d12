"""Pictures for the result page: a frame at initial contact with the skeleton and the overstride line,
and the frame that shows which person was picked. PNG bytes (``cv2.imencode``)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from backstride.core.gait.keypoints import Landmark as L
from backstride.core.gait.keypoints import PoseSeries
from backstride.pose import libraries
from backstride.pose.runner import Selection
from backstride.pose.video import iter_frames

# Bones drawn (BlazePose numbering); the face is reduced to ear-nose.
BONES: list[tuple[L, L]] = [
    (L.LEFT_SHOULDER, L.RIGHT_SHOULDER),
    (L.LEFT_HIP, L.RIGHT_HIP),
    (L.LEFT_SHOULDER, L.LEFT_HIP),
    (L.RIGHT_SHOULDER, L.RIGHT_HIP),
    (L.LEFT_HIP, L.LEFT_KNEE),
    (L.LEFT_KNEE, L.LEFT_ANKLE),
    (L.LEFT_ANKLE, L.LEFT_HEEL),
    (L.LEFT_HEEL, L.LEFT_FOOT_INDEX),
    (L.LEFT_ANKLE, L.LEFT_FOOT_INDEX),
    (L.RIGHT_HIP, L.RIGHT_KNEE),
    (L.RIGHT_KNEE, L.RIGHT_ANKLE),
    (L.RIGHT_ANKLE, L.RIGHT_HEEL),
    (L.RIGHT_HEEL, L.RIGHT_FOOT_INDEX),
    (L.RIGHT_ANKLE, L.RIGHT_FOOT_INDEX),
    (L.LEFT_EAR, L.LEFT_SHOULDER),
    (L.RIGHT_EAR, L.RIGHT_SHOULDER),
    (L.LEFT_EAR, L.NOSE),
    (L.RIGHT_EAR, L.NOSE),
]
LEFT_COLOUR = (255, 160, 40)  # BGR: blue-ish for the left side
RIGHT_COLOUR = (40, 140, 255)  # orange for the right side
MID_COLOUR = (235, 235, 235)
HEEL_LINE = (60, 60, 255)  # red
PELVIS_LINE = (80, 220, 80)  # green
HEELS = {"left": L.LEFT_HEEL, "right": L.RIGHT_HEEL}


def _side_colour(a: L, b: L) -> tuple[int, int, int]:
    if a.name.startswith("LEFT") and b.name.startswith("LEFT"):
        return LEFT_COLOUR
    if a.name.startswith("RIGHT") and b.name.startswith("RIGHT"):
        return RIGHT_COLOUR
    return MID_COLOUR


def draw_skeleton(img: np.ndarray, xy: np.ndarray, scale: float = 1.0, thickness: int = 3) -> None:
    """Draw one row of keypoints (33, 2 full-frame pixels; NaN skipped) onto ``img`` in place."""
    cv2 = libraries.cv2()
    pts = xy * scale
    for a, b in BONES:
        pa, pb = pts[int(a)], pts[int(b)]
        if np.isfinite(pa).all() and np.isfinite(pb).all():
            cv2.line(img, _pt(pa), _pt(pb), _side_colour(a, b), thickness, cv2.LINE_AA)
    for lm in L:
        p = pts[int(lm)]
        if np.isfinite(p).all():
            cv2.circle(img, _pt(p), thickness + 1, (255, 255, 255), -1, cv2.LINE_AA)


def _pt(p: np.ndarray) -> tuple[int, int]:
    return (round(float(p[0])), round(float(p[1])))


def _fit(frame: np.ndarray, max_width: int, video_width: int | None = None) -> tuple[np.ndarray, float]:
    """The frame scaled to at most ``max_width``, and the factor from video pixels to its pixels. Frames
    come decoded at the analysis size (scaled down above 1920 px); keypoints and boxes are in the video's
    own pixels, ``video_width`` wide (the frame's own width if not given)."""
    cv2 = libraries.cv2()
    scale = min(1.0, max_width / frame.shape[1])
    if scale < 1.0:
        frame = cv2.resize(frame, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    if video_width:
        return np.ascontiguousarray(frame), frame.shape[1] / video_width
    return np.ascontiguousarray(frame), scale


def _png(img: np.ndarray) -> bytes:
    cv2 = libraries.cv2()
    ok, buf = cv2.imencode(".png", img)
    if not ok:
        raise RuntimeError("PNG encoding failed")
    return bytes(buf.tobytes())


def _label(img: np.ndarray, text: str, org: tuple[int, int], colour: tuple[int, int, int]) -> None:
    cv2 = libraries.cv2()
    font, size = cv2.FONT_HERSHEY_SIMPLEX, max(0.5, img.shape[1] / 1600)
    thick = max(1, round(float(size * 2)))
    cv2.putText(img, text, org, font, size, (0, 0, 0), thick + 2, cv2.LINE_AA)
    cv2.putText(img, text, org, font, size, colour, thick, cv2.LINE_AA)


def annotate_contact(
    frame: np.ndarray,
    keypoints: np.ndarray,
    foot: str,
    *,
    leg_length_px: float | None = None,
    max_width: int = 960,
    caption: str | None = None,
    video_width: int | None = None,
) -> np.ndarray:
    """A copy of ``frame`` (BGR), scaled to ``max_width``, with the skeleton, a vertical line through the
    contact heel (red), one through the pelvis centre (green) and the gap between them labelled.
    ``keypoints`` are in video pixels, ``video_width`` wide (the frame's width if not given)."""
    cv2 = libraries.cv2()
    img, scale = _fit(frame, max_width, video_width)
    draw_skeleton(img, keypoints, scale, thickness=max(2, round(float(3 * img.shape[1] / 1280))))
    heel = keypoints[int(HEELS[foot])] * scale
    pelvis = (keypoints[int(L.LEFT_HIP)] + keypoints[int(L.RIGHT_HIP)]) / 2 * scale
    h = img.shape[0]
    if np.isfinite(heel).all() and np.isfinite(pelvis).all():
        hx, px = round(float(heel[0])), round(float(pelvis[0]))
        top = int(max(0, pelvis[1] - 0.25 * h))
        cv2.line(img, (px, top), (px, h - 1), PELVIS_LINE, 2, cv2.LINE_AA)
        cv2.line(img, (hx, top), (hx, h - 1), HEEL_LINE, 2, cv2.LINE_AA)
        y = round(float(heel[1])) + 12
        if y < h - 4:
            cv2.arrowedLine(img, (px, y), (hx, y), HEEL_LINE, 2, cv2.LINE_AA, tipLength=0.15)
        gap = abs(heel[0] - pelvis[0]) / scale
        text = f"heel {gap:.0f} px from pelvis"
        if leg_length_px and leg_length_px > 0:
            text = f"heel {100 * gap / leg_length_px:.0f}% leg from pelvis"
        _label(img, text, (10, h - 14), (255, 255, 255))
    if caption:
        _label(img, caption, (10, 28), (255, 255, 255))
    return img


def contact_frames_png(
    path: str | os.PathLike[str],
    series: PoseSeries,
    contacts: Sequence[tuple[float, str]],
    *,
    leg_length_px: float | None = None,
    max_width: int = 960,
) -> list[bytes]:
    """PNGs of the frames at the given initial contacts ((frame, foot) as ``GaitAnalysis.step_list()``
    gives them), keypoints from ``series`` (use the analysis' filtered series for the numbers to match).
    One decoding pass for all of them."""
    wanted: dict[int, list[int]] = {}
    for k, (at, _) in enumerate(contacts):
        wanted.setdefault(round(float(at)), []).append(k)
    out: list[bytes | None] = [None] * len(contacts)
    if not wanted:
        return []
    last = max(wanted)
    for i, frame in enumerate(iter_frames(path, 0, last + 1)):
        for k in wanted.get(i, []):
            f, foot = contacts[k]
            kp = series.at_frames(np.array([f]))[0]
            caption = f"{foot} foot contact, frame {i}"
            img = annotate_contact(
                frame,
                kp,
                foot,
                leg_length_px=leg_length_px,
                max_width=max_width,
                caption=caption,
                video_width=series.width,
            )
            out[k] = _png(img)
    return [b for b in out if b is not None]


def contact_frame_png(
    path: str | os.PathLike[str],
    series: PoseSeries,
    frame: float,
    foot: str,
    *,
    leg_length_px: float | None = None,
    max_width: int = 960,
) -> bytes:
    """The PNG of one contact frame (see ``contact_frames_png``)."""
    pngs = contact_frames_png(path, series, [(frame, foot)], leg_length_px=leg_length_px, max_width=max_width)
    if not pngs:
        raise ValueError(f"frame {frame} is not in the video")
    return pngs[0]


def selection_png(
    path: str | os.PathLike[str], selection: Selection, *, max_width: int = 960, keypoints: Any = None
) -> bytes:
    """The frame the pick is shown on: the runner's box in green, other people in grey."""
    cv2 = libraries.cv2()
    frame = next(iter(iter_frames(path, selection.frame, selection.frame + 1)), None)
    if frame is None:
        raise ValueError(f"frame {selection.frame} is not in the video")
    img, scale = _fit(frame, max_width, selection.video_width or None)
    for box in selection.others:
        x0, y0, x1, y1 = (round(float(v * scale)) for v in box)
        cv2.rectangle(img, (x0, y0), (x1, y1), (170, 170, 170), 2, cv2.LINE_AA)
    x0, y0, x1, y1 = (round(float(v * scale)) for v in selection.box)
    cv2.rectangle(img, (x0, y0), (x1, y1), (60, 220, 60), 3, cv2.LINE_AA)
    _label(img, "analysed", (x0, max(18, y0 - 8)), (60, 220, 60))
    if keypoints is not None:
        draw_skeleton(img, np.asarray(keypoints, dtype=float), scale, thickness=2)
    return _png(img)
