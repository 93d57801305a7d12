"""Gait events and cadence from keypoints (spec gait.md, "Gait events and cadence").

Side view: facing direction d = sign(median(toe_x - heel_x)); initial contact (IC) = peaks of
d·(heel_x - pelvis_x) (Zeni et al. 2008); toe-off (TO) = troughs of d·(toe_x - pelvis_x), or peak knee
extension (Fellin et al. 2010). Pelvis-relative signals work on a treadmill too, where a foot-speed rule
fails because the foot moves with the belt.

The Zeni peak finds each contact reliably but lands at foot-flat, when the foot stops moving forward,
which is a frame or two after the heel touches (spec: about 1.7 frames on the walking clip). So each Zeni
peak only *detects* a contact; its time is then refined with the heel's height (Fellin et al. 2010: heel
height / vertical velocity for footstrike): at the Zeni peak the heel is on the ground, so the contact
is the last moment before the peak at which the heel was still clearly above that level (by more than
1 % of leg length), searched no further back than 15 % of a stride. Heel height works on a treadmill as
well as overground (the belt moves the foot backwards, not up or down). When the heel's track is
missing, or it did not come down from the air inside the window, the Zeni peak is kept.

Rear view: the stance foot is the lower one in the image, so the events are the peaks of the vertical
heel difference: approximately mid-stance, good for cadence and stance windows, not for contact timing.

The functions here expect a prepared series (regular rows, swaps repaired, filtered: see
``analysis.prepare``). Event times are ORIGINAL frame numbers (``frame_index``), fractional because
each peak is refined with a parabola through its three samples.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

import numpy as np
from scipy.signal import find_peaks
from scipy.stats import trim_mean

from backstride.core.gait.keypoints import Landmark, PoseSeries

Foot = Literal["left", "right"]
FEET: tuple[Foot, Foot] = ("left", "right")
ToeOffMethod = Literal["zeni", "knee"]

MIN_STRIDE_S = 0.4  # 300 steps/min: faster than any runner
MAX_STRIDE_S = 2.5  # 48 steps/min: slower than a slow walk
PROMINENCE_LEG = 0.15  # a contact peak must stand out by 15 % of leg length
MIN_DISTANCE_STRIDE = 0.6  # same-foot events at least 0.6 stride apart
CADENCE_TRIM = 0.2  # trimmed mean drops the 20 % shortest and longest step intervals
# IC timing refinement from the heel's height (see the module docstring)
TOUCHDOWN_WINDOW_STRIDE = 0.15  # look for the touchdown up to 15 % of a stride before the Zeni peak
ON_GROUND_LEG = 0.01  # "on the ground": within 1 % of leg length of the heel level at the Zeni peak
MIN_DESCENT_LEG = 0.03  # the heel must come down at least 3 % of leg length inside the window

HEEL: dict[Foot, Landmark] = {"left": Landmark.LEFT_HEEL, "right": Landmark.RIGHT_HEEL}
TOE: dict[Foot, Landmark] = {"left": Landmark.LEFT_FOOT_INDEX, "right": Landmark.RIGHT_FOOT_INDEX}
HIP: dict[Foot, Landmark] = {"left": Landmark.LEFT_HIP, "right": Landmark.RIGHT_HIP}
KNEE: dict[Foot, Landmark] = {"left": Landmark.LEFT_KNEE, "right": Landmark.RIGHT_KNEE}
ANKLE: dict[Foot, Landmark] = {"left": Landmark.LEFT_ANKLE, "right": Landmark.RIGHT_ANKLE}


@dataclass(frozen=True)
class GaitEvents:
    """Per-foot events in original frame numbers (float, sorted)."""

    direction: int  # +1 running towards +x (image right), -1 towards -x, 0 not known (rear view)
    contacts: dict[Foot, np.ndarray]
    toe_offs: dict[Foot, np.ndarray]
    stride_period_frames: float | None  # in original frames

    def steps(self) -> list[tuple[float, Foot]]:
        """All contacts of both feet in time order, as (frame, foot)."""
        both = [(float(f), foot) for foot in FEET for f in self.contacts[foot]]
        return sorted(both)


def pelvis(series: PoseSeries) -> np.ndarray:
    """(n, 2) mid-point of the two hips."""
    return np.asarray((series.point(Landmark.LEFT_HIP) + series.point(Landmark.RIGHT_HIP)) / 2.0)


def leg_lengths(series: PoseSeries) -> np.ndarray:
    """Per-row, per-side leg length hip-knee + knee-ankle in pixels, shape (n, 2) (left, right)."""
    cols = []
    for foot in FEET:
        hip, knee, ankle = series.point(HIP[foot]), series.point(KNEE[foot]), series.point(ANKLE[foot])
        cols.append(np.linalg.norm(hip - knee, axis=1) + np.linalg.norm(knee - ankle, axis=1))
    return np.stack(cols, axis=1)


def leg_length(series: PoseSeries) -> float:
    """Median leg length over the clip, both sides (pixels); NaN if never visible."""
    values = leg_lengths(series)
    values = values[np.isfinite(values)]
    return float(np.median(values)) if len(values) else float("nan")


def facing_direction(series: PoseSeries) -> int:
    """+1 if the runner faces image right (+x), -1 if left, 0 if unknown: sign of median(toe_x - heel_x)."""
    diffs = np.concatenate(
        [series.point(TOE[f])[:, 0] - series.point(HEEL[f])[:, 0] for f in FEET],
    )
    diffs = diffs[np.isfinite(diffs)]
    if not len(diffs):
        return 0
    return int(np.sign(np.median(diffs)))


def stride_period_rows(signals: list[np.ndarray], sample_rate: float) -> float | None:
    """Stride period in rows from the autocorrelation of stride-periodic signals (None if aperiodic).

    The first autocorrelation peak that is nearly as high as the best one is taken, so a multiple of the
    period (also a peak) is not chosen by accident.
    """
    n = min(len(s) for s in signals)
    lo, hi = int(MIN_STRIDE_S * sample_rate), min(int(MAX_STRIDE_S * sample_rate), n - 2)
    if hi <= lo + 2:
        return None
    acf = np.zeros(hi + 1)
    used = 0
    for s in signals:
        x = np.asarray(s, dtype=float)
        ok = np.isfinite(x)
        if ok.sum() < 2 * lo:
            continue
        x = np.where(ok, x - np.nanmean(x), 0.0)
        acf += _autocorr(x, ok, hi)
        used += 1
    if not used:
        return None
    acf /= used
    peaks, _ = find_peaks(acf[: hi + 1])
    peaks = peaks[(peaks >= lo) & (acf[peaks] > 0.2)]
    if not len(peaks):
        return None
    best = acf[peaks].max()
    first = int(peaks[np.argmax(acf[peaks] >= 0.8 * best)])
    return first + _parabolic_offset(acf, first)


def detect_side_events(
    series: PoseSeries,
    toe_off: ToeOffMethod = "zeni",
    stride_rows: float | None = None,
) -> GaitEvents:
    """Side-view ICs (Zeni) and toe-offs (Zeni troughs, or Fellin peak knee extension) per foot."""
    d = facing_direction(series) or 1
    centre = pelvis(series)[:, 0]
    heel_rel = {f: d * (series.point(HEEL[f])[:, 0] - centre) for f in FEET}
    toe_rel = {f: d * (series.point(TOE[f])[:, 0] - centre) for f in FEET}
    if stride_rows is None:
        stride_rows = stride_period_rows(list(heel_rel.values()), series.sample_rate)
    distance = _min_distance(stride_rows, series.sample_rate)
    leg = leg_length(series)
    prominence = PROMINENCE_LEG * leg
    # without a stride estimate, the shortest plausible stride keeps the search window short
    window = TOUCHDOWN_WINDOW_STRIDE * (stride_rows or MIN_STRIDE_S * series.sample_rate)
    contacts: dict[Foot, np.ndarray] = {}
    toe_offs: dict[Foot, np.ndarray] = {}
    for f in FEET:
        zeni_rows = _peaks(heel_rel[f], distance, prominence)
        ic_rows = refine_contacts(series.point(HEEL[f])[:, 1], zeni_rows, window, leg)
        if toe_off == "knee":
            to_rows = _knee_extension_peaks(series, f, ic_rows, stride_rows)
        else:
            to_rows = _peaks(-toe_rel[f], distance, prominence)
        contacts[f] = series.rows_to_frames(ic_rows)
        toe_offs[f] = series.rows_to_frames(to_rows)
    return GaitEvents(d, contacts, toe_offs, _rows_to_frame_span(series, stride_rows))


def refine_contacts(heel_y: np.ndarray, zeni_rows: np.ndarray, window_rows: float, leg: float) -> np.ndarray:
    """Move each Zeni contact back to the heel's touchdown (rows, fractional); keep it when unsure.

    ``heel_y`` is the heel's image y (down), filtered. At the Zeni peak the foot is flat on the ground;
    the touchdown is where the heel last came within ``ON_GROUND_LEG`` of that level, linearly
    interpolated, at most ``window_rows`` before the peak.
    """
    y = np.asarray(heel_y, dtype=float)
    rows = np.arange(len(y), dtype=float)
    out = []
    for peak in np.asarray(zeni_rows, dtype=float):
        out.append(_touchdown(y, rows, float(peak), window_rows, leg))
    return np.array(out, dtype=float)


def _touchdown(y: np.ndarray, rows: np.ndarray, peak: float, window_rows: float, leg: float) -> float:
    last = int(np.floor(peak))
    if not np.isfinite(leg) or last + 1 >= len(y) or not np.isfinite(y[last : last + 2]).all():
        return peak
    # the window, cut short at the clip's start or a gap in the heel's track
    start = max(int(np.floor(peak - window_rows)), 0)
    missing = np.flatnonzero(~np.isfinite(y[start : last + 1]))
    if len(missing):
        start += int(missing[-1]) + 1
    seg = y[start : last + 2]
    level = float(np.interp(peak, rows[start : last + 2], seg))
    # y is down: the heel in the air has a smaller y than on the ground
    if level - float(seg.min()) < MIN_DESCENT_LEG * leg:
        return peak  # no clear descent from the air: nothing to refine against
    threshold = level - ON_GROUND_LEG * leg
    i = last
    while i >= start and y[i] >= threshold:
        i -= 1
    if i < start:
        return peak
    # y[i] < threshold <= y(i + 1) (or the level at the peak, if the peak is before row i + 1)
    nxt, y_next = (i + 1.0, y[i + 1]) if i + 1 <= peak else (peak, level)
    crossing = i + (threshold - y[i]) / (y_next - y[i]) * (nxt - i)
    return float(min(crossing, peak))


def detect_rear_events(series: PoseSeries, stride_rows: float | None = None) -> GaitEvents:
    """Rear-view step events: peaks of the vertical heel difference (approximate mid-stance)."""
    # y is down: left heel lower in the image (stance) -> positive
    diff = series.point(Landmark.LEFT_HEEL)[:, 1] - series.point(Landmark.RIGHT_HEEL)[:, 1]
    if stride_rows is None:
        stride_rows = stride_period_rows([diff], series.sample_rate)
    distance = _min_distance(stride_rows, series.sample_rate)
    # The heel-height difference is scaled by hip width, which shrinks as the runner moves away.
    width = np.abs(series.point(Landmark.LEFT_HIP)[:, 0] - series.point(Landmark.RIGHT_HIP)[:, 0])
    scale = np.nanmedian(width) if np.isfinite(width).any() else np.nan
    scaled = diff / np.where(width > 0.25 * scale, width, scale)
    prominence = 0.3 * float(np.nanpercentile(np.abs(scaled), 90)) if np.isfinite(scaled).any() else 0.0
    contacts: dict[Foot, np.ndarray] = {
        "left": series.rows_to_frames(_peaks(scaled, distance, prominence)),
        "right": series.rows_to_frames(_peaks(-scaled, distance, prominence)),
    }
    empty: dict[Foot, np.ndarray] = {"left": np.array([]), "right": np.array([])}
    return GaitEvents(0, contacts, empty, _rows_to_frame_span(series, stride_rows))


def step_intervals(events: GaitEvents) -> np.ndarray:
    """Frames between consecutive contacts of alternating feet; a same-foot pair (a missed contact of
    the other foot) is skipped rather than counted as one long step."""
    steps = events.steps()
    return np.array([b[0] - a[0] for a, b in pairwise(steps) if a[1] != b[1]], dtype=float)


def cadence_spm(events: GaitEvents, fps: float) -> float | None:
    """Steps per minute = 60·fps / trimmed mean of step intervals (frames at the source fps).

    A trimmed mean of fractional intervals, not the median: the median of whole-frame intervals is
    quantised and biases cadence by a few steps/min (spec).
    """
    intervals = step_intervals(events)
    if len(intervals) < 2:
        return None
    return float(60.0 * fps / trim_mean(intervals, CADENCE_TRIM))


def _peaks(signal: np.ndarray, distance: float, prominence: float) -> np.ndarray:
    """Fractional rows of the prominent peaks of a signal that may contain NaN runs."""
    x = np.asarray(signal, dtype=float)
    out: list[float] = []
    ok = np.isfinite(x)
    padded = np.concatenate(([False], ok, [False])).astype(int)
    edges = np.flatnonzero(np.diff(padded))
    for start, stop in zip(edges[::2], edges[1::2], strict=True):
        seg = x[start:stop]
        if len(seg) < 3:
            continue
        idx, _ = find_peaks(seg, distance=max(1.0, distance), prominence=max(prominence, 1e-9))
        out.extend(start + i + _parabolic_offset(seg, int(i)) for i in idx)
    return np.array(out, dtype=float)


def _knee_extension_peaks(
    series: PoseSeries, foot: Foot, ic_rows: np.ndarray, stride_rows: float | None
) -> np.ndarray:
    """Fellin TO: the knee's most extended moment in the late-stance window after each contact."""
    if stride_rows is None or not len(ic_rows):
        return np.array([])
    angle = knee_angle(series, foot)
    out = []
    for ic in ic_rows:
        # running stance is about 35-40 % of the stride; skip the extension at contact itself
        lo, hi = int(ic + 0.15 * stride_rows), int(ic + 0.55 * stride_rows) + 1
        window = angle[lo:hi]
        if hi > len(angle) or not np.isfinite(window).any():
            continue
        i = int(np.nanargmax(window))
        out.append(lo + i + _parabolic_offset(window, i))
    return np.array(out, dtype=float)


def knee_angle(series: PoseSeries, foot: Foot) -> np.ndarray:
    """Inner hip-knee-ankle angle in degrees per row (180 = straight)."""
    hip, knee, ankle = series.point(HIP[foot]), series.point(KNEE[foot]), series.point(ANKLE[foot])
    return angle_between(hip - knee, ankle - knee)


def angle_between(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Unsigned angle in degrees between row vectors a and b."""
    cross = a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]
    dot = (a * b).sum(axis=-1)
    return np.asarray(np.degrees(np.abs(np.arctan2(cross, dot))))


def _parabolic_offset(y: np.ndarray, i: int) -> float:
    """Sub-sample offset of a peak at i from the parabola through y[i-1], y[i], y[i+1]."""
    if i <= 0 or i >= len(y) - 1:
        return 0.0
    a, b, c = float(y[i - 1]), float(y[i]), float(y[i + 1])
    denom = a - 2 * b + c
    if not np.isfinite(denom) or denom == 0:
        return 0.0
    return float(np.clip(0.5 * (a - c) / denom, -0.5, 0.5))


def _autocorr(x: np.ndarray, ok: np.ndarray, max_lag: int) -> np.ndarray:
    """Normalised autocorrelation for lags 0..max_lag, each lag averaged over the pairs present."""
    out = np.zeros(max_lag + 1)
    var = float((x[ok] ** 2).mean())
    if var == 0:
        return out
    for lag in range(max_lag + 1):
        both = ok[: len(x) - lag] & ok[lag:]
        if both.sum() > 2:
            out[lag] = float((x[: len(x) - lag] * x[lag:])[both].mean()) / var
    return out


def _min_distance(stride_rows: float | None, sample_rate: float) -> float:
    if stride_rows is None:
        return MIN_STRIDE_S * sample_rate
    return MIN_DISTANCE_STRIDE * stride_rows


def _rows_to_frame_span(series: PoseSeries, rows: float | None) -> float | None:
    return None if rows is None else float(rows * series.frame_step)
