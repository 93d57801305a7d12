"""Label-swap repair, gap filling, filtering and even rows."""

from __future__ import annotations

import numpy as np
import pytest
from tests.core.gait.synthetic import side_gait

from backstride.core.gait.keypoints import PoseSeries
from backstride.core.gait.sides import LEFT_CHAIN, RIGHT_CHAIN, repair_label_swaps
from backstride.core.gait.smoothing import effective_cutoff, fill_gaps, lowpass, regularise

LEGS = [int(p) for p in (*LEFT_CHAIN, *RIGHT_CHAIN)]


@pytest.mark.parametrize("fps", [30.0, 60.0])
def test_swapped_leg_labels_are_swapped_back(fps):
    swaps = (20, 21, 22, 23, 47, 90, 91)
    syn = side_gait(fps=fps, swaps=swaps, noise_px=1.0, seed=1)
    repaired, mask = repair_label_swaps(syn.series)
    assert set(np.flatnonzero(mask)) == set(swaps)
    error = np.abs(repaired.xy[:, LEGS] - syn.clean.xy[:, LEGS])
    assert np.nanmax(error) < 8.0  # only the noise remains


def test_a_clip_that_starts_swapped_is_repaired_to_the_majority_labels():
    swaps = tuple(range(0, 12))
    syn = side_gait(swaps=swaps)
    repaired, mask = repair_label_swaps(syn.series)
    assert set(np.flatnonzero(mask)) == set(swaps)
    assert np.allclose(repaired.xy[:, LEGS], syn.clean.xy[:, LEGS])


def test_clean_clip_is_left_alone():
    syn = side_gait(noise_px=2.0, seed=5)
    repaired, mask = repair_label_swaps(syn.series)
    assert not mask.any()
    assert np.array_equal(repaired.xy, syn.series.xy, equal_nan=True)


@pytest.mark.parametrize("at", [30, 46, 62])
def test_a_gap_in_both_legs_does_not_flip_the_labels_for_the_rest_of_the_clip(at):
    """Regression: both legs missing for a few frames (an occlusion, a dropped detection) left the
    tracker predicting from stale positions; when the legs came back it "repaired" 34-70 frames of
    correct labels (the walking clip lost two steps that way)."""
    syn = side_gait(cadence_spm=110.0, fps=30.0, treadmill=False, noise_px=1.5, seed=1, swaps=(100, 101))
    xy = syn.series.xy.copy()
    xy[at : at + 6, LEGS] = np.nan
    _, mask = repair_label_swaps(syn.series.with_xy(xy))
    assert set(np.flatnonzero(mask)) == {100, 101}  # the real swaps are still repaired


def test_a_long_run_of_other_labels_is_left_alone_but_short_swaps_inside_it_are_fixed():
    """A tracker that follows the opposite labels for longer than a real swap lasts has lost the legs:
    trust the detector's labels there. Here rows 50-89 come with exchanged labels (a long, stable
    run), and rows 120-121 have a real two-frame swap."""
    syn = side_gait(fps=30.0, noise_px=1.0, seed=4, swaps=(*range(50, 90), 120, 121))
    _, mask = repair_label_swaps(syn.series)
    assert set(np.flatnonzero(mask)) == {120, 121}


def test_a_near_tie_at_a_leg_crossing_is_not_a_swap():
    """Swapping needs a margin relative to leg length, not only a ratio: with the legs side by side a
    few pixels of noise must not swap them."""
    syn = side_gait(fps=60.0, noise_px=4.0, seed=7)
    _, mask = repair_label_swaps(syn.series)
    assert not mask.any()


def test_fill_gaps_fills_short_interior_runs_only():
    x = np.arange(20, dtype=float)
    x[[0, 1]] = np.nan  # at the start: stays
    x[5:8] = np.nan  # short: filled
    x[10:16] = np.nan  # long: stays
    out = fill_gaps(x, max_gap=3)
    assert np.isnan(out[:2]).all()
    assert np.allclose(out[5:8], [5, 6, 7])
    assert np.isnan(out[10:16]).all()


def test_lowpass_has_no_lag_and_removes_noise():
    t = np.arange(600) / 60.0
    clean = np.sin(2 * np.pi * 1.5 * t)
    noisy = clean + np.random.default_rng(0).normal(0, 0.1, len(t))
    out = lowpass(noisy, 60.0, 8.0)
    inner = slice(30, -30)
    assert np.std(out[inner] - clean[inner]) < 0.05
    # zero lag: the filtered clean wave peaks at the same sample
    assert np.argmax(lowpass(clean, 60.0, 8.0)[100:140]) == np.argmax(clean[100:140])


def test_lowpass_keeps_nan_runs_and_works_below_nyquist():
    x = np.sin(np.arange(100) / 3.0)
    x[40:50] = np.nan
    out = lowpass(x, 12.0, 8.0)  # 8 Hz is above Nyquist (6 Hz) at 12 rows/s
    assert np.isnan(out[40:50]).all() and np.isfinite(out[:40]).all()
    assert effective_cutoff(8.0, 12.0) < 6.0


def test_regularise_inserts_rows_for_dropped_frames():
    syn = side_gait(frame_step=2, seconds=2.0)
    s = syn.series
    keep = np.ones(s.n_frames, dtype=bool)
    keep[[5, 6]] = False
    gappy = PoseSeries(s.fps, s.width, s.height, s.xy[keep], s.visibility[keep], s.frame_index[keep])
    even = regularise(gappy)
    assert np.array_equal(even.frame_index, s.frame_index)
    assert np.isnan(even.xy[[5, 6]]).all()
    assert np.array_equal(even.xy[7], s.xy[7], equal_nan=True)
    assert even.sample_rate == 30.0
