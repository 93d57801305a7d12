"""Trigger analysis on 100 + 100 seeded synthetic runners (tests/core/triggers/simulate.py).

Prints, for the analysis as shipped (trend + AR(1) errors, Holm across all tests):
  * detection: the planted factor (a hilly run raises next-morning pain by 1.5 points) reported
    with the right sign, and its 95% interval covering 1.5;
  * false alarms: any factor reported for a runner with no planted effect;
and the baseline measured in the same run: plain OLS (no AR errors, no trend) with no correction,
p < 0.05 per test, its false-alarm rate and its time, as the ratio of ours to it. Last, the joint
model (core/triggers/joint.py) on as many two-factor runners (hills and sitting planted, trail runs a
confounder of the hills): how often both planted effects' joint intervals cover the truth, and how
often the per-factor tests report trail runs and the joint interval of trail runs covers 0.

Run: .venv/bin/python bench/trigger_bench.py [runs]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
from statsmodels.regression.linear_model import OLS

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "core" / "triggers"))

from simulate import (
    CONFOUNDER,
    JOINT_HILL_EFFECT,
    PLANTED_EFFECT,
    PLANTED_FACTOR,
    PLANTED_OUTCOME,
    SITTING_EFFECT,
    SITTING_FACTOR,
    simulate,
    simulate_joint,
)

from backstride.core.triggers import analyse
from backstride.core.triggers.analysis import LAGS, paired_days
from backstride.core.triggers.factors import (
    MIN_FACTOR_DAYS,
    calendar,
    factor_table,
    screen,
)
from backstride.core.triggers.joint import adjust
from backstride.core.triggers.outcomes import outcome_series
from peak_memory import own_peak_mb


def plain_ols_alarm(records: list) -> bool:  # type: ignore[type-arg]
    """Baseline: plain OLS per outcome x factor x lag, no trend, no AR errors, no correction."""
    table = factor_table(records)
    outcomes = outcome_series(calendar(records))
    for values in outcomes.values():
        for factor in screen(table).kept:
            for lag in LAGS:
                _, xs, ys = paired_days(table.values[factor.key], values, lag)
                x = np.asarray(xs, dtype=float)
                if len(ys) < MIN_FACTOR_DAYS or np.ptp(x) == 0 or np.ptp(ys) == 0:
                    continue
                fit = OLS(np.asarray(ys, dtype=float), np.column_stack([np.ones(len(x)), x])).fit()
                if fit.pvalues[1] < 0.05:
                    return True
    return False


def joint_checks(seed: int) -> tuple[bool, bool, bool]:
    """On one two-factor runner: both planted effects covered by their joint intervals; trail runs
    reported by the per-factor tests; and their joint interval covering 0."""
    records = simulate_joint(seed)
    findings = analyse(records).findings
    result = adjust(factor_table(records), outcome_series(calendar(records)), findings)
    joint = {e.factor: e for e in result.effects if e.outcome == PLANTED_OUTCOME}

    def covers(key: str, truth: float) -> bool:
        return key in joint and joint[key].low <= truth <= joint[key].high

    both = covers(PLANTED_FACTOR, JOINT_HILL_EFFECT) and covers(SITTING_FACTOR, SITTING_EFFECT)
    reported = any(f.outcome == PLANTED_OUTCOME and f.factor == CONFOUNDER for f in findings)
    return both, reported, covers(CONFOUNDER, 0.0)


def main(runs: int) -> None:
    detected = covered = alarms = base_alarms = 0
    ours = base = 0.0
    for seed in range(runs):
        planted = simulate(seed)
        start = time.perf_counter()
        report = analyse(planted)
        ours += time.perf_counter() - start
        test = next(
            t for t in report.tests if (t.outcome, t.factor, t.lag) == (PLANTED_OUTCOME, PLANTED_FACTOR, 0)
        )
        detected += test.reported and test.effect > 0
        covered += test.reported and test.low <= PLANTED_EFFECT <= test.high
        null = simulate(10_000 + seed, effect=0.0)
        start = time.perf_counter()
        alarms += bool(analyse(null).findings)
        ours += time.perf_counter() - start
        start = time.perf_counter()
        base_alarms += plain_ols_alarm(null)
        base += time.perf_counter() - start
    per = ours / (2 * runs)
    print(f"{runs} planted + {runs} null runners, {len(report.tests)} tests each")
    print(f"detection (right sign, reported): {detected}/{runs} = {detected / runs:.0%}")
    print(f"interval covers {PLANTED_EFFECT}: {covered}/{runs} = {covered / runs:.0%}")
    print(f"false alarms (any factor reported, no effect planted): {alarms}/{runs} = {alarms / runs:.0%}")
    rate = base_alarms / runs
    print(f"baseline, plain OLS p<0.05 uncorrected: false alarms {base_alarms}/{runs} = {rate:.0%}")
    base_ms = base / runs * 1000
    ours_ms = per * 1000
    print(f"time per runner: ours {ours_ms:.0f} ms, baseline {base_ms:.0f} ms, {ours_ms / base_ms:.1f}x")
    both = trail_found = trail_zero = 0
    for seed in range(runs):
        covered_both, found, zero = joint_checks(seed)
        both, trail_found, trail_zero = both + covered_both, trail_found + found, trail_zero + zero
    print(
        f"joint model, two-factor runners: intervals cover both planted effects (hills {JOINT_HILL_EFFECT}, "
        f"sitting {SITTING_EFFECT}) {both}/{runs} = {both / runs:.0%}; confounder (trail runs) reported "
        f"per factor {trail_found}/{runs}, its joint interval covers 0 {trail_zero}/{runs} = "
        f"{trail_zero / runs:.0%}"
    )
    print(f"peak memory (max RSS of this process): {own_peak_mb():.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
