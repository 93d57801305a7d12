"""The regression behind every trigger test (issue 16 item 3): pain on an intercept, the runner's
trend and one or more factors, with AR(1) errors on the calendar. Written for uneven gaps: across a
gap of k days the correlation is rho**k (Prais-Winsten whitening row by row); rho is found by maximum
likelihood on a grid and the whitened rows are fitted by ordinary least squares as statsmodels' OLS
does it (pseudo-inverse, Student t intervals and p-values), written out: building statsmodels'
model and results objects cost more than half of each of the few hundred fits an analysis makes, and
a test keeps the figures equal to statsmodels'. (statsmodels' GLSAR treats neighbouring rows as
neighbouring days, wrong when days are missing; see analysis for why not HAC.)
``fit_factors`` serves both the per-factor tests (one column) and the joint model (several)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.special import stdtr, stdtrit

from backstride.core.triggers.factors import MIN_FACTOR_DAYS


@dataclass(frozen=True)
class Estimate:
    """One factor's association with one outcome at one lag, as reported: ``effect``, ``low`` and
    ``high`` (95%) per ``factor.unit`` of the factor, in the outcome's units; ``days`` behind it; its
    own p-value. A per-factor test (analysis.Finding) and a joint effect (joint.JointEffect) are one."""

    outcome: str
    factor: str
    lag: int
    effect: float
    low: float
    high: float
    days: int
    p: float


Series = Sequence[float] | np.ndarray  # one value per fitted day (lists or arrays alike)
RHO_GRID = tuple(i / 20 for i in range(20))  # AR(1) coefficients tried: 0 to 0.95
LEVEL = 0.95  # the intervals shown


@dataclass(frozen=True)
class Fit:
    effect: float
    se: float
    low: float
    high: float
    p: float
    days: int
    line: tuple[tuple[float, float, float, float], ...] = ()  # see Chart.line; only when asked


LINE_STEPS = 12  # points along a chart's fitted line (a yes/no factor: just 0 and 1)


def whiten(
    design: np.ndarray, y: np.ndarray, days: np.ndarray, rho: float
) -> tuple[np.ndarray, np.ndarray, float]:
    """Prais-Winsten whitening for a daily AR(1) seen on uneven days; also the log-determinant term
    (the sum of log scale factors) the likelihood needs."""
    gap = np.concatenate([[np.inf], np.diff(days)])
    carry = np.where(np.isinf(gap), 0.0, rho ** np.where(np.isinf(gap), 1.0, gap))
    scale = np.sqrt(1.0 - carry * carry)
    xw = design.copy()
    yw = y.copy()
    xw[1:] -= carry[1:, None] * design[:-1]
    yw[1:] -= carry[1:] * y[:-1]
    return xw / scale[:, None], yw / scale, float(np.log(scale).sum())


def best_rho(design: np.ndarray, y: np.ndarray, days: np.ndarray) -> float | None:
    """The AR(1) coefficient of ``RHO_GRID`` with the highest likelihood (concentrated over the
    coefficients and the noise variance); None when the design is rank-deficient or the outcome is
    fitted exactly.

    All grid values at once, without whitening the rows for each: a whitened row is
    (x_t - c x_{t-1}) / s with c = rho ** gap and s = sqrt(1 - c^2), so every product the normal
    equations need (X'X, X'y, y'y of the whitened rows) is a weighted sum of the raw rows' own,
    crossed and lagged products, with weights 1/s^2, c/s^2 and c^2/s^2 that depend only on the gap
    to the day before. Those products are summed once per distinct gap (a diary has few: mostly 1),
    and each grid value weighs the sums: a few small matrix products instead of twenty whitened
    copies of the data (tests/core/triggers checks it picks what whitening picks)."""
    n, k = design.shape
    if np.linalg.matrix_rank(design) < k:
        return None
    gaps, gap_of_row = np.unique(np.diff(days), return_inverse=True)
    rows_per_gap = np.zeros((len(gaps), n - 1))
    rows_per_gap[gap_of_row, np.arange(n - 1)] = 1.0
    cur, prev, y_cur, y_prev = design[1:], design[:-1], y[1:], y[:-1]
    own_xx = (design[:, :, None] * design[:, None, :]).reshape(n, k * k)
    cross_xx = (cur[:, :, None] * prev[:, None, :] + prev[:, :, None] * cur[:, None, :]).reshape(n - 1, k * k)
    own_xy = design * y[:, None]
    terms = np.hstack(
        [
            own_xx[1:], cross_xx, own_xx[:-1],  # X'X: own, crossed, lagged
            own_xy[1:], cur * y_prev[:, None] + prev * y_cur[:, None], own_xy[:-1],  # X'y
            np.column_stack([y_cur * y_cur, 2 * y_cur * y_prev, y_prev * y_prev]),  # y'y
        ]
    )  # fmt: skip
    summed = rows_per_gap @ terms  # (gaps, terms)
    carry = np.asarray(RHO_GRID)[:, None] ** gaps[None, :]  # (grid, gaps)
    own = 1.0 / (1.0 - carry * carry)
    crossed, lagged = carry * own, carry * carry * own

    def weighed(first: int, width: int) -> np.ndarray:
        """One product's three sums (own, crossed, lagged) weighed for every grid value."""
        parts = summed[:, first : first + 3 * width]
        return own @ parts[:, :width] - crossed @ parts[:, width : 2 * width] + lagged @ parts[:, 2 * width :]

    # The first day has no day before: its row is used as it is (weight 1) for every grid value.
    gram = (own_xx[0] + weighed(0, k * k)).reshape(-1, k, k)
    xty = own_xy[0] + weighed(3 * k * k, k)
    yty = y[0] * y[0] + weighed(3 * k * k + 3 * k, 1)[:, 0]
    coef = np.linalg.solve(gram, xty[:, :, None])[:, :, 0]
    rss = yty - (coef * xty).sum(axis=1)
    if (rss <= 1e-12).any():
        return None
    # The log-determinant term: -sum(log s) = -0.5 * sum(log(1 - c^2)), per gap times its rows.
    loglik = -n / 2 * np.log(rss / n) - 0.5 * (np.log(1.0 - carry * carry) @ rows_per_gap.sum(axis=1))
    return float(RHO_GRID[int(np.argmax(loglik))])


def fit_factors(
    days: Series, columns: Sequence[Series], ys: Series, with_line: bool = False
) -> list[Fit] | None:
    """Trend + factor columns with AR(1) errors: one ``Fit`` per column, in order. None when there
    are too few days, a column does not vary, the design is rank-deficient or the outcome is fitted
    exactly (nothing to test). ``with_line`` adds the fitted line (one column only)."""
    n = len(ys)
    xs = [np.asarray(c, dtype=float) for c in columns]
    if n < MIN_FACTOR_DAYS or not xs or any(np.ptp(x) == 0 for x in xs):
        return None
    t = np.asarray(days, dtype=float)
    y = np.asarray(ys, dtype=float)
    design = np.column_stack([np.ones(n), t / 365.0, *xs])
    rho = best_rho(design, y, t)
    if rho is None:
        return None
    xw, yw, _ = whiten(design, y, t, rho)
    result = least_squares(xw, yw)
    fits: list[Fit] = []
    for j in range(2, design.shape[1]):
        p = float(result.p[j])
        if not math.isfinite(p):
            return None
        line = _fitted_line(result, float(t.mean()) / 365.0, xs[0]) if with_line and len(xs) == 1 else ()
        fits.append(
            Fit(
                float(result.params[j]),
                float(result.se[j]),
                float(result.low[j]),
                float(result.high[j]),
                p,
                n,
                line,
            )
        )
    return fits


@dataclass(frozen=True)
class LeastSquares:
    """An OLS fit's figures, as statsmodels' ``OLS(y, x).fit()`` gives them."""

    params: np.ndarray
    cov: np.ndarray  # of the coefficients
    se: np.ndarray
    p: np.ndarray  # two-sided, Student t
    low: np.ndarray  # the LEVEL interval
    high: np.ndarray
    df_resid: int
    t_quantile: float  # Student t at (1 + LEVEL) / 2 on df_resid: the half-width of a band per se


def least_squares(x: np.ndarray, y: np.ndarray) -> LeastSquares:
    """Ordinary least squares of a full-rank design, as statsmodels fits it (``method="pinv"``)."""
    n, k = x.shape
    pinv = np.linalg.pinv(x)
    params = pinv @ y
    resid = y - x @ params
    df_resid = n - k
    cov = (pinv @ pinv.T) * float(resid @ resid) / df_resid
    se = np.sqrt(np.diag(cov))
    with np.errstate(divide="ignore", invalid="ignore"):  # a zero se gives a NaN p, refused by the caller
        p = 2 * stdtr(df_resid, -np.abs(params / se))
    t_quantile = float(stdtrit(df_resid, 0.5 + LEVEL / 2))
    half = se * t_quantile
    return LeastSquares(params, cov, se, p, params - half, params + half, df_resid, t_quantile)


def fit_one(days: Series, xs: Series, ys: Series, with_line: bool = False) -> Fit | None:
    """One factor's fit (see ``fit_factors``)."""
    fits = fit_factors(days, [xs], ys, with_line)
    return None if fits is None else fits[0]


def _fitted_line(
    result: LeastSquares, trend_at: float, x: np.ndarray
) -> tuple[tuple[float, float, float, float], ...]:
    """The fitted mean and its 95% band along the factor's range, the trend held at its middle.
    Whitening leaves the coefficients' meaning unchanged, so their covariance applies as is."""
    binary = set(np.unique(x).tolist()) <= {0.0, 1.0}
    grid = np.array([0.0, 1.0]) if binary else np.linspace(float(x.min()), float(x.max()), LINE_STEPS)
    rows = np.column_stack([np.ones(len(grid)), np.full(len(grid), trend_at), grid])
    fitted = rows @ result.params
    se = np.sqrt(np.einsum("ij,jk,ik->i", rows, result.cov, rows))
    half = se * result.t_quantile
    return tuple(
        (float(g), float(f), float(f - h), float(f + h)) for g, f, h in zip(grid, fitted, half, strict=True)
    )
