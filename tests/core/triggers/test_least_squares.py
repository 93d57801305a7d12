"""The OLS behind every trigger fit is written out (statsmodels' objects cost more than half of each fit):
it must give statsmodels' coefficients, standard errors, p-values, intervals and covariance."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.regression.linear_model import OLS

from backstride.core.triggers.regression import LEVEL, _fitted_line, least_squares


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    n=st.integers(min_value=8, max_value=400),
    factors=st.integers(min_value=1, max_value=4),
    effect=st.floats(min_value=-3, max_value=3),
)
def test_least_squares_agrees_with_statsmodels(seed: int, n: int, factors: int, effect: float) -> None:
    rng = np.random.default_rng(seed)
    x = np.column_stack([np.ones(n), np.arange(n) / 365.0, rng.normal(size=(n, factors))])
    y = 2.0 + effect * x[:, 2] + rng.normal(scale=1.5, size=n)
    ours, theirs = least_squares(x, y), OLS(y, x).fit()
    bounds = theirs.conf_int(alpha=1 - LEVEL)
    assert ours.df_resid == theirs.df_resid
    for mine, expected in (
        (ours.params, theirs.params),
        (ours.se, theirs.bse),
        (ours.p, theirs.pvalues),
        (ours.low, bounds[:, 0]),
        (ours.high, bounds[:, 1]),
        (ours.cov, theirs.cov_params()),
    ):
        assert np.allclose(mine, expected, rtol=1e-9, atol=1e-12)


def test_a_clear_effect_by_hand() -> None:
    # y = 1 + 2x exactly, plus a known alternating residual: the slope is 2 and clearly non-zero.
    x = np.column_stack([np.ones(6), np.arange(6.0)])
    y = 1 + 2 * np.arange(6.0) + np.array([0.1, -0.1, 0.1, -0.1, 0.1, -0.1])
    fit = least_squares(x, y)
    assert abs(fit.params[1] - 2) < 0.05 and fit.p[1] < 1e-6 and fit.low[1] < 2 < fit.high[1]


def test_the_fitted_band_is_statsmodels_mean_confidence_band() -> None:
    # The line drawn under a factor's chart: the fitted mean with its 95% band, the trend held fixed.
    rng = np.random.default_rng(7)
    n = 120
    factor = rng.uniform(0, 10, size=n)
    x = np.column_stack([np.ones(n), np.arange(n) / 365.0, factor])
    y = 1.0 + 0.3 * factor + rng.normal(scale=1.0, size=n)
    line = _fitted_line(least_squares(x, y), 0.15, factor)
    rows = np.array([[1.0, 0.15, grid] for grid, _, _, _ in line])
    expected = OLS(y, x).fit().get_prediction(rows)
    bounds = expected.conf_int(alpha=1 - LEVEL)
    assert np.allclose([fitted for _, fitted, _, _ in line], expected.predicted_mean, rtol=1e-9)
    assert np.allclose([low for _, _, low, _ in line], bounds[:, 0], rtol=1e-9)
    assert np.allclose([high for _, _, _, high in line], bounds[:, 1], rtol=1e-9)
