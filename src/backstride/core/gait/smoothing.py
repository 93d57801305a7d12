"""Gap filling and zero-lag low-pass filtering of keypoint tracks (spec gait.md, "Gait events").

A zero-lag filter (filtfilt) matters: a one-way filter delays every peak and so every gait event.
"""

from __future__ import annotations

import numpy as np
from scipy.signal import butter, sosfiltfilt

from backstride.core.gait.keypoints import PoseSeries

WALKING_CUTOFF_HZ = 6.0
RUNNING_CUTOFF_HZ = 8.0
MAX_GAP_S = 0.15
# Keep the cutoff safely below Nyquist: at 15 rows/s an 8 Hz cutoff is impossible.
MAX_CUTOFF_FRACTION_OF_NYQUIST = 0.8
FILTER_ORDER = 2


def regularise(series: PoseSeries) -> PoseSeries:
    """Put rows on an even grid of original frames, inserting NaN rows for frames the backend skipped.

    Filtering and peak distances assume evenly spaced rows; dropped frames would otherwise squeeze time.
    """
    step = series.frame_step
    first, last = int(series.frame_index[0]), int(series.frame_index[-1])
    grid = np.arange(first, last + 1, step)
    if len(grid) == series.n_frames and np.array_equal(grid, series.frame_index):
        return series
    on_grid = (series.frame_index - first) % step == 0
    rows = (series.frame_index[on_grid] - first) // step
    xy = np.full((len(grid), *series.xy.shape[1:]), np.nan)
    vis = np.zeros((len(grid), series.visibility.shape[1]))
    xy[rows] = series.xy[on_grid]
    vis[rows] = series.visibility[on_grid]
    return PoseSeries(series.fps, series.width, series.height, xy, vis, grid)


def fill_gaps(values: np.ndarray, max_gap: int) -> np.ndarray:
    """Linearly interpolate interior NaN runs of at most ``max_gap`` rows along axis 0.

    Longer runs and NaN at the ends stay NaN: inventing a whole step would invent an event.
    """
    out = np.array(values, dtype=float, copy=True)
    flat = out.reshape(out.shape[0], -1)
    idx = np.arange(flat.shape[0])
    for col in range(flat.shape[1]):
        y = flat[:, col]
        missing = np.isnan(y)
        if not missing.any() or missing.all():
            continue
        for start, stop in _runs(missing):
            if start == 0 or stop == len(y) or stop - start > max_gap:
                continue
            y[start:stop] = np.interp(idx[start:stop], idx[~missing], y[~missing])
    return out


def effective_cutoff(cutoff_hz: float, sample_rate: float) -> float:
    """The requested cutoff, lowered if needed to stay below Nyquist for low frame rates."""
    return min(cutoff_hz, MAX_CUTOFF_FRACTION_OF_NYQUIST * sample_rate / 2.0)


def lowpass(values: np.ndarray, sample_rate: float, cutoff_hz: float) -> np.ndarray:
    """Zero-lag Butterworth low-pass along axis 0, applied to each finite run separately.

    Runs too short for the filter's padding are left as they are.
    """
    wn = effective_cutoff(cutoff_hz, sample_rate) / (sample_rate / 2.0)
    sos = butter(FILTER_ORDER, wn, output="sos")
    out = np.array(values, dtype=float, copy=True)
    flat = out.reshape(out.shape[0], -1)
    padlen = 3 * (2 * len(sos) + 1)
    for col in range(flat.shape[1]):
        y = flat[:, col]
        for start, stop in _runs(~np.isnan(y)):
            if stop - start > padlen:
                y[start:stop] = sosfiltfilt(sos, y[start:stop])
    return out


def smooth_series(series: PoseSeries, cutoff_hz: float, max_gap_s: float = MAX_GAP_S) -> PoseSeries:
    """Fill short gaps and low-pass every landmark (x and y) of a series."""
    max_gap = max(1, round(max_gap_s * series.sample_rate))
    xy = lowpass(fill_gaps(series.xy, max_gap), series.sample_rate, cutoff_hz)
    return series.with_xy(xy)


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """[start, stop) of each run of True values."""
    padded = np.concatenate(([False], mask.astype(bool), [False]))
    edges = np.flatnonzero(np.diff(padded.astype(int)))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]
