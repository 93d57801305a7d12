"""Left/right leg label-swap repair for side views (spec gait.md, "Picking the runner").

From the side the two legs overlap and pose models now and then give the left leg's points the right
leg's labels. At each frame we predict both leg chains from the repaired previous frames (constant
velocity) and keep whichever labelling of the *raw* frame is closer; whole chains swap together.
"""

from __future__ import annotations

import numpy as np

from backstride.core.gait.keypoints import Landmark, PoseSeries

LEFT_CHAIN = (
    Landmark.LEFT_HIP,
    Landmark.LEFT_KNEE,
    Landmark.LEFT_ANKLE,
    Landmark.LEFT_HEEL,
    Landmark.LEFT_FOOT_INDEX,
)
RIGHT_CHAIN = (
    Landmark.RIGHT_HIP,
    Landmark.RIGHT_KNEE,
    Landmark.RIGHT_ANKLE,
    Landmark.RIGHT_HEEL,
    Landmark.RIGHT_FOOT_INDEX,
)
# Swap only when it is clearly better: the detector is right most of the time, and near leg crossings
# both labellings fit about equally well.
SWAP_MARGIN = 0.7


def repair_label_swaps(series: PoseSeries) -> tuple[PoseSeries, np.ndarray]:
    """Undo L/R leg-chain label swaps. Returns the repaired series and a per-row "was swapped" mask."""
    left = [int(p) for p in LEFT_CHAIN]
    right = [int(p) for p in RIGHT_CHAIN]
    raw = series.xy
    fixed = raw.copy()
    swapped = np.zeros(series.n_frames, dtype=bool)
    # `seen` carries each landmark's last known position forward, so a gap does not end the tracking.
    seen = raw.copy()
    for t in range(series.n_frames):
        pred = _predict(seen, t)
        if pred is not None:
            keep = _cost(raw[t, left], pred[left]) + _cost(raw[t, right], pred[right])
            swap = _cost(raw[t, left], pred[right]) + _cost(raw[t, right], pred[left])
            if np.isfinite(keep) and swap < SWAP_MARGIN * keep:
                fixed[t, left], fixed[t, right] = raw[t, right], raw[t, left]
                swapped[t] = True
        seen[t] = fixed[t]
        if t > 0:
            seen[t] = np.where(np.isnan(seen[t]), seen[t - 1], seen[t])
    # If the clip *started* swapped, the repair followed the wrong labelling: the detector is right in
    # most frames, so flip the whole result when it disagrees with the raw labels more often than not.
    if swapped.sum() > series.n_frames / 2:
        fixed[:, left + right] = fixed[:, right + left]
        swapped = ~swapped
    return series.with_xy(fixed), swapped


def _predict(xy: np.ndarray, t: int) -> np.ndarray | None:
    """Constant-velocity prediction of row t from the rows before it (None for the first row)."""
    if t == 0:
        return None
    last = xy[t - 1]
    if t >= 3:
        velocity = (xy[t - 1] - xy[t - 3]) / 2.0  # two-frame difference: less jitter-sensitive
    elif t == 2:
        velocity = xy[t - 1] - xy[t - 2]
    else:
        velocity = np.zeros_like(last)
    pred = last + np.where(np.isnan(velocity), 0.0, velocity)
    return np.asarray(pred)


def _cost(points: np.ndarray, pred: np.ndarray) -> float:
    """Summed distance over the landmarks present in both; inf when none are."""
    d = np.linalg.norm(points - pred, axis=-1)
    d = d[np.isfinite(d)]
    return float(d.sum()) if len(d) else float("inf")
