"""Which factors go with the runner's pain (issue 16 item 3): one regression per outcome x factor x
lag (0-2 days), corrected for the number of tests, reported only once there are enough days.

The model, per test: ``pain[t] = a + trend * t + effect * factor[t - lag] + e[t]`` with AR(1) errors
on the calendar (``e[t] = rho * e[t-1] + noise``), fitted on the days where both are known. The
linear trend term keeps a runner who is slowly getting better (or worse) while changing their
training from showing up as a "trigger". Day-to-day pain is autocorrelated (a bad morning is
followed by another), which makes plain OLS intervals too narrow, most of all for slow-moving factors
such as the last 7 days' km or the shoe's km. Missing days are common, so the AR(1) is written for
uneven gaps: across a gap of k days the correlation is rho**k (Prais-Winsten whitening row by row);
rho is found by maximum likelihood on a grid, and the whitened rows are fitted by OLS (regression.py).
(statsmodels' GLSAR treats neighbouring rows as neighbouring days, wrong when days are missing or
for run-day-only outcomes; HAC (Newey-West) errors were tried first and gave 22% false alarms in the
simulation: too optimistic in 100-day samples at the small p-values a correction needs.)

Across every factor x lag x outcome test the p-values are corrected with Holm's method: it keeps
the chance of even one false "trigger" at the family level whatever the dependence between the tests
(lags of one factor, and related factors such as climb per km and hilly runs, are strongly
correlated: Benjamini-Hochberg does not allow for that, and Benjamini-Yekutieli pays for it with
less power than Holm when few factors are real). The family level is 2%, not 5%: at 5% the
simulation (tests/core/triggers/simulate.py) still gave about 10% false alarms, because the p-values
of ~100-day autocorrelated, rounded 0-10 ratings are somewhat optimistic far out in the tail. A
finding is shown only when its Holm-adjusted p-value is below that level. Every sentence says it
is an association.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from backstride.core.text import counted
from backstride.core.triggers.factors import (
    MIN_MINORITY_DAYS,
    DayRecord,
    Factor,
    FactorTable,
    Values,
    calendar,
    factor_table,
    screen,
)
from backstride.core.triggers.joint import JointResult, adjust
from backstride.core.triggers.outcomes import OUTCOMES, outcome_series
from backstride.core.triggers.regression import Estimate, fit_one
from backstride.core.triggers.words import sentence

# Before anything is reported (defined once; the service and pages say what is missing from these):
MIN_CHECKIN_DAYS = 56  # 8 weeks of next-morning ratings: enough for a trend and weekly patterns
MIN_RATED_RUNS = 20  # runs with pain during/after rated, for the run-pain outcome
MIN_FLARES = 4  # flare mornings, for the flare outcome
LAGS = (0, 1, 2)
FAMILY_ALPHA = 0.02  # Holm: chance of one or more false findings across all tests (see above)


@dataclass(frozen=True)
class Chart:
    """What a chart of one finding draws: the runner's days as points (the factor's value in its own
    units, the outcome's value in the outcome's units) and the fitted line with its 95% band, for a day
    in the middle of the runner's trend. Made for reported findings only (``analyse``)."""

    points: tuple[tuple[float, float], ...]
    line: tuple[tuple[float, float, float, float], ...]  # factor value, fitted, band low, band high


@dataclass(frozen=True)
class Finding(Estimate):
    """One outcome x factor x lag test (see ``Estimate``), with its Holm-adjusted p-value."""

    p_adjusted: float
    reported: bool
    sentence: str
    chart: Chart | None = None


@dataclass(frozen=True)
class TriggerReport:
    """``ready`` is False until ``MIN_CHECKIN_DAYS``; then ``findings`` (Holm-adjusted p < 0.05,
    strongest evidence first) may still be empty. ``missing`` says in words what is still needed;
    ``left_out`` gives each factor not tested and why; ``tests`` holds every test made."""

    ready: bool
    missing: list[str]
    findings: list[Finding]
    tests: list[Finding] = field(default_factory=list)
    left_out: dict[str, str] = field(default_factory=dict)
    checkin_days: int = 0
    rated_runs: int = 0
    flares: int = 0
    joint: JointResult = field(default_factory=lambda: JointResult([], []))  # the findings taken together


def paired_days(factor: Values, outcome: Values, lag: int) -> tuple[list[int], list[float], list[float]]:
    """The days (calendar index of the outcome), factor values ``lag`` days earlier and outcome
    values where both are known: what a test is fitted on, and what a chart shows as points."""
    idx: list[int] = []
    xs: list[float] = []
    ys: list[float] = []
    for t, x, y in zip(range(lag, len(outcome)), factor, outcome[lag:], strict=False):  # factor[t - lag]
        if x is not None and y is not None:
            idx.append(t)
            xs.append(x)
            ys.append(y)
    return idx, xs, ys


def _known(values: Values) -> tuple[np.ndarray, np.ndarray]:
    """A series as floats (NaN where unknown) and its known days."""
    array = np.array([np.nan if v is None else v for v in values], dtype=float)
    return array, ~np.isnan(array)


def _paired(
    factor: tuple[np.ndarray, np.ndarray], outcome: tuple[np.ndarray, np.ndarray], lag: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``paired_days`` on arrays made once per analysis (``_known``): the same days and values, without
    a Python loop over the calendar for each of the few hundred tests."""
    (x, x_known), (y, y_known) = factor, outcome
    length = min(len(x), len(y) - lag)
    if length <= 0:
        return np.empty(0, dtype=int), np.empty(0), np.empty(0)
    days = np.flatnonzero(x_known[:length] & y_known[lag : lag + length]) + lag
    return days, x[days - lag], y[days]


def _enough_variation(factor: Factor, xs: np.ndarray) -> bool:
    if not factor.binary:
        return True
    ones = int(np.count_nonzero(xs))
    return min(ones, len(xs) - ones) >= MIN_MINORITY_DAYS


def _weeks(days: int) -> str:
    weeks = math.ceil(days / 7)
    return f"{weeks} more week{'s' if weeks != 1 else ''} of check-ins"


def readiness(outcomes: dict[str, Values]) -> tuple[int, int, int, list[str]]:
    """Check-in days, rated runs, flares, and what is still missing, in words."""
    checkins = sum(1 for v in outcomes["next_morning"] if v is not None)
    runs = sum(1 for v in outcomes["run_pain"] if v is not None)
    flares = sum(1 for v in outcomes["flare"] if v)
    missing: list[str] = []
    if checkins < MIN_CHECKIN_DAYS:
        so_far = counted(checkins, "day")
        missing.append(f"{_weeks(MIN_CHECKIN_DAYS - checkins)} with a morning pain rating ({so_far} so far)")
    if runs < MIN_RATED_RUNS:
        more = counted(MIN_RATED_RUNS - runs, "more run")
        missing.append(f"{more} with pain during or after rated ({runs} so far)")
    if flares < MIN_FLARES:
        missing.append(f"at least {MIN_FLARES} flares, for the flare analysis ({flares} so far)")
    return checkins, runs, flares, missing


def run_tests(
    table: FactorTable, outcomes: dict[str, Values], factors: list[Factor], skip: set[str]
) -> list[Finding]:
    """Every outcome x factor x lag test, uncorrected (``p_adjusted`` is filled in by ``analyse``)."""
    tests: list[Finding] = []
    known = {factor.key: _known(table.values[factor.key]) for factor in factors}
    for outcome in OUTCOMES:
        if outcome.key in skip:
            continue
        outcome_known = _known(outcomes[outcome.key])
        for factor in factors:
            for lag in LAGS:
                days, xs, ys = _paired(known[factor.key], outcome_known, lag)
                if not _enough_variation(factor, xs):
                    continue
                fit = fit_one(days, xs, ys)
                if fit is None:
                    continue
                k = factor.unit * outcome.scale
                e, lo, hi = fit.effect * k, fit.low * k, fit.high * k
                text = sentence(outcome, factor, lag, e, lo, hi, fit.days, [])
                tests.append(
                    Finding(outcome.key, factor.key, lag, e, lo, hi, fit.days, fit.p, 1.0, False, text)
                )
    return tests


def holm(p_values: list[float]) -> list[float]:
    """Holm's step-down adjusted p-values, in the given order. (statsmodels' ``multipletests`` gives
    the same numbers, but its Holm branch runs a full garbage collection on every call: 60-100 ms in a
    web process; tests/core/triggers checks the two agree.)"""
    order = sorted(range(len(p_values)), key=lambda i: p_values[i])
    adjusted = [1.0] * len(p_values)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(p_values) - rank) * p_values[i]))
        adjusted[i] = running
    return adjusted


def correct(tests: list[Finding]) -> list[Finding]:
    """The tests with Holm-adjusted p-values and ``reported`` set."""
    if not tests:
        return []
    adjusted = holm([t.p for t in tests])
    reject = [a <= FAMILY_ALPHA for a in adjusted]
    return [
        Finding(
            t.outcome, t.factor, t.lag, t.effect, t.low, t.high, t.days, t.p, float(a), bool(r), t.sentence
        )
        for t, a, r in zip(tests, adjusted, reject, strict=True)
    ]


def with_chart(test: Finding, table: FactorTable, outcomes: dict[str, Values]) -> Finding:
    """A reported finding with its chart (points and fitted line, in the units it is reported in)."""
    if not test.reported:
        return test
    outcome = next(o for o in OUTCOMES if o.key == test.outcome)
    days, xs, ys = paired_days(table.values[test.factor], outcomes[test.outcome], test.lag)
    fit = fit_one(days, xs, ys, with_line=True)
    if fit is None:  # cannot happen for a reported test: it was fitted on the same days
        return test
    k = outcome.scale
    points = tuple((x, y * k) for x, y in zip(xs, ys, strict=True))
    line = tuple((x, f * k, lo * k, hi * k) for x, f, lo, hi in fit.line)
    return replace(test, chart=Chart(points, line))


def analyse(records: list[DayRecord]) -> TriggerReport:
    """The trigger report for one runner's day records (any order; one per day)."""
    table = factor_table(records)
    outcomes = outcome_series(calendar(records))
    if not records:
        outcomes = {o.key: [] for o in OUTCOMES}
    checkins, runs, flares, missing = readiness(outcomes)
    screened = screen(table)
    if checkins < MIN_CHECKIN_DAYS:
        return TriggerReport(False, missing, [], [], screened.left_out, checkins, runs, flares)
    skip = {"run_pain"} if runs < MIN_RATED_RUNS else set()
    if flares < MIN_FLARES:
        skip.add("flare")
    tests = [with_chart(t, table, outcomes) for t in correct(run_tests(table, outcomes, screened.kept, skip))]
    findings = sorted((t for t in tests if t.reported), key=lambda t: (t.p_adjusted, -abs(t.effect)))
    joint = adjust(table, outcomes, findings)
    return TriggerReport(True, missing, findings, tests, screened.left_out, checkins, runs, flares, joint)
