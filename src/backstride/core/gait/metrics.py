"""Running-form metrics per step, with a median and spread (spec gait.md, "Metrics and their sources").

Image coordinates: x right, y DOWN. Every angle is signed with the facing direction d so that
"forward" is positive whichever way the runner crosses the frame. Angles are in degrees.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, Literal

import numpy as np

from backstride.core.gait.events import (
    ANKLE,
    HEEL,
    HIP,
    KNEE,
    Foot,
    GaitEvents,
    angle_between,
    pelvis,
)
from backstride.core.gait.keypoints import Landmark, PoseSeries

Confidence = Literal["normal", "low"]

# Winter's anthropometry: thigh 0.245 and shank 0.246 of body height, so hip-to-ankle = 0.491 height.
LEG_FRACTION_OF_HEIGHT = 0.491
DEFAULT_HEIGHT_CM = 170.0
PELVIC_DROP_NOTE = (
    "Low confidence: the hip points of a video pose model are estimated joint centres, not markers on "
    "the pelvis, and 2D pelvic drop from a rear video has only moderate test-retest reliability "
    "(ICC 0.59-0.77, smallest detectable difference about 2.8 degrees; Dingenen 2018)."
)


@dataclass(frozen=True)
class MetricSummary:
    """One metric: a value per step (NaN where it could not be measured), its median and quartiles."""

    name: str
    unit: str
    frames: tuple[float, ...]  # original frame of each step's event (IC in side view)
    sides: tuple[str, ...]  # "left"/"right": the foot of each step
    values: tuple[float, ...]
    n: int  # finite values
    median: float | None
    q25: float | None
    q75: float | None
    confidence: Confidence = "normal"
    note: str = ""

    @property
    def iqr(self) -> float | None:
        """Inter-quartile range (q75 - q25), the spread."""
        return None if self.q25 is None or self.q75 is None else self.q75 - self.q25


def summarise(
    name: str,
    unit: str,
    frames: Sequence[float],
    sides: Sequence[str],
    values: Sequence[float],
    confidence: Confidence = "normal",
    note: str = "",
) -> MetricSummary:
    """Build a MetricSummary from per-step values, ignoring NaN in the statistics."""
    arr = np.asarray(values, dtype=float)
    ok = arr[np.isfinite(arr)]
    stats = (
        (float(np.median(ok)), float(np.percentile(ok, 25)), float(np.percentile(ok, 75)))
        if len(ok)
        else (None, None, None)
    )
    median, q25, q75 = stats
    return MetricSummary(
        name=name,
        unit=unit,
        frames=tuple(float(f) for f in frames),
        sides=tuple(sides),
        values=tuple(float(v) for v in arr),
        n=len(ok),
        median=median,
        q25=q25,
        q75=q75,
        confidence=confidence,
        note=note,
    )


def overstride_pct_leg(series: PoseSeries, events: GaitEvents, leg: float) -> MetricSummary:
    """Heel ahead of the pelvis centre at each IC, in % of leg length: 100·d·(heel_x - pelvis_x) / leg."""
    frames, sides, kp = _at_contacts(series, events)
    d = events.direction
    values = [100.0 * d * (kp[i, int(HEEL[s]), 0] - _mid_hip(kp[i])[0]) / leg for i, s in enumerate(sides)]
    return summarise("overstride_pct_leg", "% leg length", frames, sides, values)


def shank_angle_deg(series: PoseSeries, events: GaitEvents) -> MetricSummary:
    """Knee->ankle line vs vertical at each IC; + = ankle ahead of the knee in the running direction."""
    frames, sides, kp = _at_contacts(series, events)
    d = events.direction
    values = []
    for i, s in enumerate(sides):
        knee, ankle = kp[i, int(KNEE[s])], kp[i, int(ANKLE[s])]
        values.append(_from_vertical(d * (ankle[0] - knee[0]), ankle[1] - knee[1]))
    return summarise("shank_angle_deg", "deg", frames, sides, values)


def knee_flexion_deg(series: PoseSeries, events: GaitEvents) -> MetricSummary:
    """Knee flexion at each IC: 180 - the hip-knee-ankle angle (0 = straight)."""
    frames, sides, kp = _at_contacts(series, events)
    values = []
    for i, s in enumerate(sides):
        hip = kp[i, int(HIP[s])]
        knee, ankle = kp[i, int(KNEE[s])], kp[i, int(ANKLE[s])]
        values.append(180.0 - float(angle_between(hip - knee, ankle - knee)))
    return summarise("knee_flexion_ic_deg", "deg", frames, sides, values)


def trunk_lean_series(series: PoseSeries, direction: int) -> np.ndarray:
    """Per-row hip-centre->shoulder-centre angle from vertical, + forward."""
    hip = pelvis(series)
    sh = _mean_point(series, (Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER))
    return _from_vertical(direction * (sh[:, 0] - hip[:, 0]), hip[:, 1] - sh[:, 1])


def neck_flexion_series(series: PoseSeries, direction: int) -> np.ndarray:
    """Per-row shoulder->ear line from vertical minus the trunk angle: neck flexion relative to the trunk."""
    sh = _mean_point(series, (Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER))
    ear = _mean_point(series, (Landmark.LEFT_EAR, Landmark.RIGHT_EAR))
    neck = _from_vertical(direction * (ear[:, 0] - sh[:, 0]), sh[:, 1] - ear[:, 1])
    return np.asarray(neck - trunk_lean_series(series, direction))


def head_pitch_series(series: PoseSeries, direction: int) -> np.ndarray:
    """Per-row ear->nose line below horizontal (+ = nose lower than the ear, "chin down")."""
    ear = _mean_point(series, (Landmark.LEFT_EAR, Landmark.RIGHT_EAR))
    nose = series.point(Landmark.NOSE)
    return np.asarray(np.degrees(np.arctan2(nose[:, 1] - ear[:, 1], direction * (nose[:, 0] - ear[:, 0]))))


def per_step_mean(
    name: str, unit: str, per_row: np.ndarray, series: PoseSeries, events: GaitEvents
) -> MetricSummary:
    """Mean of a per-row angle over each step (IC to the next IC of either foot)."""
    frames, sides, values = [], [], []
    for frame, foot, lo, hi in step_windows(series, events):
        window = per_row[lo:hi]
        frames.append(frame)
        sides.append(foot)
        values.append(float(np.nanmean(window)) if np.isfinite(window).any() else np.nan)
    return summarise(name, unit, frames, sides, values)


def head_height(series: PoseSeries) -> np.ndarray:
    """Per-row y of the head (mean of nose and ears), pixels, y down."""
    return _mean_point(series, (Landmark.NOSE, Landmark.LEFT_EAR, Landmark.RIGHT_EAR))[:, 1]


def vertical_oscillation(
    series: PoseSeries, events: GaitEvents, leg: float, height_cm: float | None = None
) -> tuple[MetricSummary, MetricSummary]:
    """Head vertical oscillation per step: 2 x the amplitude of a one-cycle sinusoid fitted over each
    step (plus offset and linear drift), in % leg length and in approximate cm.

    The head, not the hips: hip keypoints slide with the thigh and overstate bounce.
    """
    y = head_height(series)
    steps = events.steps()
    frames, sides, values = [], [], []
    for (frame, foot), (nxt, _) in pairwise(steps):
        start, stop = series.frames_to_rows(np.array([frame, nxt]))
        rows = np.arange(int(np.ceil(start)), int(np.floor(stop)) + 1)
        frames.append(frame)
        sides.append(foot)
        values.append(100.0 * _step_sine_p2p(y[rows], 2 * np.pi * (rows - start) / (stop - start)) / leg)
    assumed = height_cm is None
    leg_cm = LEG_FRACTION_OF_HEIGHT * (DEFAULT_HEIGHT_CM if height_cm is None else height_cm)
    note = (
        f"Centimetres assume a body height of {DEFAULT_HEIGHT_CM:.0f} cm; enter your height for a better "
        "estimate."
        if assumed
        else ""
    )
    cm = [v * leg_cm / 100.0 for v in values]
    return (
        summarise("vertical_oscillation_pct_leg", "% leg length", frames, sides, values),
        summarise("vertical_oscillation_cm", "cm", frames, sides, cm, note=note),
    )


def pelvic_drop_deg(series: PoseSeries, events: GaitEvents) -> MetricSummary:
    """Rear view: peak drop of the swing-side hip during each stance, relative to the clip's median hip
    line (a stand-in for the standing value). Always low confidence, with the reason in ``note``."""
    left, right = series.point(Landmark.LEFT_HIP), series.point(Landmark.RIGHT_HIP)
    # y down: positive when the right hip is lower than the left
    tilt = np.degrees(np.arctan2(right[:, 1] - left[:, 1], np.abs(right[:, 0] - left[:, 0])))
    base = float(np.nanmedian(tilt)) if np.isfinite(tilt).any() else np.nan
    half = 0.2 * (events.stride_period_frames or 0.0) / series.frame_step
    frames, sides, values = [], [], []
    for frame, foot in events.steps():
        row = float(series.frames_to_rows(np.array([frame]))[0])
        lo, hi = max(0, int(row - half)), min(series.n_frames, int(row + half) + 1)
        # left stance -> right (swing) side drops -> tilt rises; right stance -> tilt falls
        rel = (tilt[lo:hi] - base) * (1.0 if foot == "left" else -1.0)
        frames.append(frame)
        sides.append(foot)
        values.append(float(np.nanmax(rel)) if np.isfinite(rel).any() else np.nan)
    return summarise("pelvic_drop_deg", "deg", frames, sides, values, confidence="low", note=PELVIC_DROP_NOTE)


def step_windows(series: PoseSeries, events: GaitEvents) -> list[tuple[float, Foot, int, int]]:
    """(IC frame, foot, first row, row of the next IC) for every step that has a following contact."""
    steps = events.steps()
    out = []
    for (frame, foot), (nxt, _) in pairwise(steps):
        rows = series.frames_to_rows(np.array([frame, nxt]))
        out.append((frame, foot, int(np.floor(rows[0])), int(np.ceil(rows[1]))))
    return out


def _at_contacts(series: PoseSeries, events: GaitEvents) -> tuple[list[float], list[Foot], np.ndarray]:
    steps = events.steps()
    frames = [f for f, _ in steps]
    sides = [s for _, s in steps]
    return frames, sides, series.at_frames(np.array(frames, dtype=float))


def _mid_hip(kp: np.ndarray) -> np.ndarray:
    return np.asarray((kp[int(Landmark.LEFT_HIP)] + kp[int(Landmark.RIGHT_HIP)]) / 2.0)


def _mean_point(series: PoseSeries, landmarks: Sequence[Landmark]) -> np.ndarray:
    """(n, 2) mean of the landmarks present in each row (NaN if none)."""
    stack = np.stack([series.point(lm) for lm in landmarks])
    count = np.isfinite(stack).sum(axis=0)
    total = np.nansum(stack, axis=0)
    return np.asarray(np.where(count > 0, total / np.maximum(count, 1), np.nan))


def _from_vertical(forward: Any, up: Any) -> Any:
    """Angle in degrees of a vector (forward, up) from the upward/downward vertical, + when forward."""
    return np.degrees(np.arctan2(forward, up))


def _step_sine_p2p(y: np.ndarray, phase: np.ndarray) -> float:
    """Peak-to-peak (2 x amplitude) of a one-cycle sinusoid (``phase`` 0..2pi over the step) fitted to y
    with an offset and a linear drift."""
    ok = np.isfinite(y)
    if ok.sum() < 6:
        return float("nan")
    t = phase[ok]
    design = np.column_stack([np.ones_like(t), t, np.cos(t), np.sin(t)])
    coef, *_ = np.linalg.lstsq(design, y[ok], rcond=None)
    return float(2.0 * np.hypot(coef[2], coef[3]))
