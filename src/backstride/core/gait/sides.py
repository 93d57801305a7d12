"""Left/right leg label-swap repair for side views (spec gait.md, "Picking the runner").

From the side the two legs overlap and pose models now and then give the left leg's points the right
leg's labels for a few frames. At each frame we predict both leg chains from the frames before it
(constant velocity) and note whether the *raw* frame fits the swapped labelling clearly better; whole
chains swap together. That per-frame check is a tracker, and a tracker can lose the legs' identity
(after a gap, at a crossing, on a bad frame), after which every later frame looks "swapped". So:

- a frame counts as swapped only when the swapped labelling is better by a ratio *and* by an absolute
  margin relative to leg length (near crossings both labellings fit about equally well);
- predictions come only from recent frames: after a gap in the legs' track the tracker restarts from
  the raw labels instead of comparing with stale positions;
- only short runs are swaps. The detector is right most of the time, and a real label swap lasts a few
  frames; a long run of "swapped" frames means the tracker, not the detector, changed labels, and the
  raw labels are kept there. Short runs are judged against the long runs around them, so a clip that
  *starts* swapped is repaired to the labels of the rest of the clip.
"""

from __future__ import annotations

from itertools import pairwise

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
# Swap only when it is clearly better: the swapped labelling's summed distance to the prediction must be
# below SWAP_MARGIN x the kept labelling's, and smaller by at least MIN_GAIN_LEG leg lengths.
SWAP_MARGIN = 0.7
MIN_GAIN_LEG = 0.15
MAX_SWAP_S = 0.25  # a run of swapped frames longer than this is a tracking error, not a label swap
MAX_PREDICT_GAP = 2  # predict only from positions seen at most this many rows ago


def repair_label_swaps(series: PoseSeries) -> tuple[PoseSeries, np.ndarray]:
    """Undo L/R leg-chain label swaps. Returns the repaired series and a per-row "was swapped" mask."""
    left = [int(p) for p in LEFT_CHAIN]
    right = [int(p) for p in RIGHT_CHAIN]
    raw = series.xy
    flips = _tracked_flips(raw, left, right, _leg_length(raw, left, right))
    max_run = max(1, round(MAX_SWAP_S * series.sample_rate))
    swapped = _short_runs_only(flips, max_run)
    fixed = raw.copy()
    rows = np.flatnonzero(swapped)[:, None]
    fixed[rows, np.array(left + right)] = raw[rows, np.array(right + left)]
    return series.with_xy(fixed), swapped


def _tracked_flips(raw: np.ndarray, left: list[int], right: list[int], leg: float) -> np.ndarray:
    """Per row: does the raw frame fit the tracked legs clearly better with L and R exchanged?"""
    n = len(raw)
    flips = np.zeros(n, dtype=bool)
    # the tracked positions (raw labels, exchanged where the tracker says so) and their row numbers
    track = np.full_like(raw, np.nan)
    seen_at = np.full(raw.shape[:2], -(10**9), dtype=int)
    min_gain = MIN_GAIN_LEG * leg if np.isfinite(leg) else 0.0
    for t in range(n):
        pred = _predict(track, seen_at, t)
        flip = False
        if pred is not None:
            keep, swap = _costs(raw[t, left], raw[t, right], pred[left], pred[right])
            flip = bool(np.isfinite(keep) and swap < SWAP_MARGIN * keep and keep - swap > min_gain)
        flips[t] = flip
        row = raw[t].copy()
        if flip:
            row[left + right] = raw[t, right + left]
        present = np.isfinite(row).all(axis=1)
        track[t] = np.where(present[:, None], row, track[t - 1] if t else np.nan)
        seen_at[t] = np.where(present, t, seen_at[t - 1] if t else -(10**9))
    return flips


def _predict(track: np.ndarray, seen_at: np.ndarray, t: int) -> np.ndarray | None:
    """Constant-velocity prediction of row t from recent rows; NaN for landmarks not seen recently."""
    if t == 0:
        return None
    fresh = (t - seen_at[t - 1]) <= MAX_PREDICT_GAP
    if not fresh.any():
        return None
    last = track[t - 1]
    if t >= 3:
        velocity = (track[t - 1] - track[t - 3]) / 2.0  # two-frame difference: less jitter-sensitive
    elif t == 2:
        velocity = track[t - 1] - track[t - 2]
    else:
        velocity = np.zeros_like(last)
    # a velocity across carried-over (unseen) positions is not a velocity
    moving = fresh & (seen_at[t - 1] == t - 1) & (t >= 3) & (seen_at[max(t - 3, 0)] == t - 3)
    velocity = np.where(moving[:, None] & np.isfinite(velocity), velocity, 0.0)
    return np.asarray(np.where(fresh[:, None], last + velocity, np.nan))


def _short_runs_only(flips: np.ndarray, max_run: int) -> np.ndarray:
    """Rows to swap: short runs that disagree with the long runs ("regimes") around them.

    Each run of equal ``flips`` longer than ``max_run`` is a regime whose labels are the raw ones
    (a tracker that follows the opposite labels for that long has lost the legs, not the detector).
    Rows between regimes take the regime before them (after them at the clip's start), and are swapped
    when they differ from it. With no long run at all, the majority decides.
    """
    n = len(flips)
    if not n:
        return flips.copy()
    bounds = np.flatnonzero(np.diff(flips.astype(int))) + 1
    edges = [0, *bounds.tolist(), n]
    runs = [(a, b, bool(flips[a])) for a, b in pairwise(edges)]
    regimes = [(a, b, v) for a, b, v in runs if b - a > max_run]
    if not regimes:
        base = np.full(n, bool(flips.mean() > 0.5))
    else:
        base = np.empty(n, dtype=bool)
        first = regimes[0]
        base[: first[0]] = first[2]
        for (a, _, v), nxt in zip(regimes, [*regimes[1:], (n, n, False)], strict=True):
            base[a : nxt[0]] = v
    return np.asarray(flips != base)


def _leg_length(xy: np.ndarray, left: list[int], right: list[int]) -> float:
    """Median hip-knee + knee-ankle length over both legs (pixels); NaN if never seen."""
    values = []
    for chain in (left, right):
        hip, knee, ankle = xy[:, chain[0]], xy[:, chain[1]], xy[:, chain[2]]
        values.append(np.linalg.norm(hip - knee, axis=1) + np.linalg.norm(knee - ankle, axis=1))
    both = np.concatenate(values)
    both = both[np.isfinite(both)]
    return float(np.median(both)) if len(both) else float("nan")


def _costs(
    raw_l: np.ndarray, raw_r: np.ndarray, pred_l: np.ndarray, pred_r: np.ndarray
) -> tuple[float, float]:
    """Summed distances to the prediction with the labels kept and exchanged, over the chain positions
    where all four points are known (the same points for both); (inf, inf) when there are none."""
    ok = np.isfinite(raw_l).all(axis=1) & np.isfinite(raw_r).all(axis=1)
    ok &= np.isfinite(pred_l).all(axis=1) & np.isfinite(pred_r).all(axis=1)
    if not ok.any():
        return float("inf"), float("inf")

    def dist(a: np.ndarray, b: np.ndarray) -> float:
        return float(np.linalg.norm(a[ok] - b[ok], axis=1).sum())

    return dist(raw_l, pred_l) + dist(raw_r, pred_r), dist(raw_l, pred_r) + dist(raw_r, pred_l)
