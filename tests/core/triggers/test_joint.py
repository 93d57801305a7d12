"""The joint model (issue 16 item 3): one regression per outcome on all its reported factors.

The simulated two-factor runner (simulate.simulate_joint) has hills and sitting planted and trail
runs as a confounder: mostly hilly, with no effect of their own. The per-factor tests report trail
runs too; the joint model must keep the planted effects and shrink the trail effect towards 0."""

from __future__ import annotations

import math
import re
from dataclasses import replace
from datetime import timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.core.triggers.simulate import (
    CONFOUNDER,
    JOINT_HILL_EFFECT,
    PLANTED_FACTOR,
    PLANTED_OUTCOME,
    SITTING_EFFECT,
    SITTING_FACTOR,
    simulate,
    simulate_joint,
)

from backstride.core.triggers import DayRecord, Finding, analyse
from backstride.core.triggers.analysis import _known, _paired, paired_days
from backstride.core.triggers.factors import FACTORS, MIN_FACTOR_DAYS, calendar, factor_table
from backstride.core.triggers.joint import MAX_CORRELATION, JointEffect, JointResult, adjust
from backstride.core.triggers.outcomes import OUTCOMES, outcome_series
from backstride.core.triggers.regression import RHO_GRID, best_rho, fit_factors, fit_one, whiten
from backstride.core.triggers.words import NAMES, factor_name, sentence

SEEDS = 10
NEEDED = 8


def joint_of(records: list[DayRecord], findings: list[Finding] | None = None) -> JointResult:
    table = factor_table(records)
    outcomes = outcome_series(calendar(records))
    return adjust(table, outcomes, analyse(records).findings if findings is None else findings)


def morning_effects(result: JointResult) -> dict[str, JointEffect]:
    return {e.factor: e for e in result.effects if e.outcome == PLANTED_OUTCOME}


def test_joint_model_keeps_planted_effects_and_shrinks_the_confounder() -> None:
    """Per seed: the per-factor tests report the hills and trail runs; the joint model's intervals
    cover both planted effects, and the trail effect shrinks to an interval that covers 0."""
    good = 0
    counts = {"both reported": 0, "hills": 0, "sitting": 0, "trail shrunk": 0}
    for seed in range(SEEDS):
        records = simulate_joint(seed)
        findings = analyse(records).findings
        morning = sorted((f for f in findings if f.outcome == PLANTED_OUTCOME), key=lambda f: -f.p_adjusted)
        single = {f.factor: f for f in morning}  # each factor's strongest finding
        joint = morning_effects(joint_of(records, findings))
        hills, sitting, trail = (joint.get(k) for k in (PLANTED_FACTOR, SITTING_FACTOR, CONFOUNDER))
        checks = {
            "both reported": PLANTED_FACTOR in single and CONFOUNDER in single,
            "hills": hills is not None and hills.low <= JOINT_HILL_EFFECT <= hills.high,
            "sitting": sitting is not None and sitting.low <= SITTING_EFFECT <= sitting.high,
            "trail shrunk": trail is not None
            and trail.low <= 0 <= trail.high
            and abs(trail.effect) < abs(single[CONFOUNDER].effect),
        }
        for name, ok in checks.items():
            counts[name] += ok
        good += all(checks.values())
    assert good >= NEEDED, f"{good} of {SEEDS}: {counts}"


def forced(tests: list[Finding], outcome: str, factor: str, lag: int, p_adjusted: float) -> Finding:
    """A test of the analysis made a reported finding of the given strength."""
    test = next(t for t in tests if (t.outcome, t.factor, t.lag) == (outcome, factor, lag))
    return replace(test, reported=True, p_adjusted=p_adjusted)


REASON = re.compile(r"moves together with (.+) \(correlation (-?\d\.\d\d)\): its effect cannot be told apart")


def test_collinear_pair_keeps_the_stronger_and_says_why_the_other_is_left_out() -> None:
    records = simulate(3)
    tests = analyse(records).tests
    for strong, weak in (("km_7d", "min_7d"), ("min_7d", "km_7d")):
        findings = [
            forced(tests, PLANTED_OUTCOME, strong, 0, 0.001),
            forced(tests, PLANTED_OUTCOME, weak, 0, 0.002),
        ]
        result = joint_of(records, findings)
        kept = findings[0]
        assert result.effects == [
            JointEffect(kept.outcome, strong, 0, kept.effect, kept.low, kept.high, kept.days, kept.p, (), "")
        ]
        [dropped] = result.dropped
        assert (dropped.outcome, dropped.factor, dropped.lag) == (PLANTED_OUTCOME, weak, 0)
        match = REASON.fullmatch(dropped.reason)
        assert match, dropped.reason
        assert match[1] == NAMES[strong]
        assert abs(float(match[2])) >= MAX_CORRELATION


def test_hills_climb_and_descent_are_one_factor_in_the_joint_model() -> None:
    """The plain runner's hills are reported three ways (hilly runs, climb and descent per km): the
    joint model keeps the strongest and leaves the other two out, naming the one kept."""
    records = simulate(3)
    findings = analyse(records).findings
    result = joint_of(records, findings)
    hill_keys = {PLANTED_FACTOR, "climb_per_km", "descent_per_km"}
    reported = {f.factor for f in findings if f.outcome == PLANTED_OUTCOME} & hill_keys
    assert len(reported) == 3
    kept = [e for e in morning_effects(result).values() if e.factor in hill_keys]
    assert len(kept) == 1
    left = [d for d in result.dropped if d.outcome == PLANTED_OUTCOME]
    assert {d.factor for d in left} == reported - {kept[0].factor}
    table = factor_table(records)
    for d in left:
        match = REASON.fullmatch(d.reason)
        assert match and match[1] == factor_name(table.factors[kept[0].factor]), d.reason


def test_a_single_finding_is_its_own_joint_effect() -> None:
    records = simulate(3)
    report = analyse(records)
    top = next(
        f for f in report.findings if (f.outcome, f.factor, f.lag) == (PLANTED_OUTCOME, PLANTED_FACTOR, 0)
    )
    result = joint_of(records, [top])
    expected = JointEffect(top.outcome, top.factor, 0, top.effect, top.low, top.high, top.days, top.p, (), "")
    assert result == JointResult([expected], [])


def _rho_by_loop(design: np.ndarray, y: np.ndarray, t: np.ndarray) -> float:
    """The AR(1) coefficient found one grid value at a time with lstsq: what best_rho batches."""
    best: tuple[float, float] | None = None
    for rho in RHO_GRID:
        xw, yw, log_scale = whiten(design, y, t, rho)
        coef, *_ = np.linalg.lstsq(xw, yw, rcond=None)
        rss = float(((yw - xw @ coef) ** 2).sum())
        loglik = -len(y) / 2 * math.log(rss / len(y)) - log_scale
        if best is None or loglik > best[0]:
            best = (loglik, rho)
    assert best is not None
    return best[1]


def test_the_batched_grid_picks_the_rho_a_plain_loop_picks_with_one_or_more_factors() -> None:
    records = simulate(4)
    table = factor_table(records)
    outcomes = outcome_series(calendar(records))
    compared = 0
    for factor in (PLANTED_FACTOR, "km_7d", "sleep_hours", "srpe", "surface_trail"):
        for lag in (0, 2):
            days, xs, ys = paired_days(table.values[factor], outcomes[PLANTED_OUTCOME], lag)
            t, y = np.asarray(days, dtype=float), np.asarray(ys, dtype=float)
            design = np.column_stack([np.ones(len(ys)), t / 365.0, xs, np.sin(t)])  # a second column too
            assert best_rho(design[:, :3], y, t) == _rho_by_loop(design[:, :3], y, t)
            assert best_rho(design, y, t) == _rho_by_loop(design, y, t)
            single = fit_one(days, xs, ys)
            assert single is not None and fit_factors(days, [xs], ys) == [single]
            compared += 1
    assert compared == 10


@settings(max_examples=150, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    n=st.integers(min_value=20, max_value=400),
    columns=st.integers(min_value=1, max_value=3),
    binary=st.booleans(),
    rho=st.floats(min_value=0.0, max_value=0.97),
    spread=st.integers(min_value=1, max_value=4),
)
def test_the_grid_picks_what_whitening_picks_on_uneven_days(
    seed: int, n: int, columns: int, binary: bool, rho: float, spread: int
) -> None:
    # Days with gaps of 1 to ``spread`` (missed check-ins), AR(1) noise, 0-10 ratings like the diary's.
    rng = np.random.default_rng(seed)
    t = np.cumsum(rng.integers(1, spread + 1, size=n)).astype(float)
    x = (rng.random((n, columns)) < 0.3).astype(float) if binary else rng.normal(size=(n, columns))
    noise = np.zeros(n)
    for i in range(1, n):
        noise[i] = rho ** (t[i] - t[i - 1]) * noise[i - 1] + rng.normal()
    y = np.clip(np.round(3 + 0.6 * x[:, 0] + noise), 0, 10)
    design = np.column_stack([np.ones(n), t / 365.0, x])
    if np.linalg.matrix_rank(design) < design.shape[1]:
        assert best_rho(design, y, t) is None
    else:
        assert best_rho(design, y, t) == _rho_by_loop(design, y, t)


def test_each_factor_once_at_the_lag_of_its_strongest_finding() -> None:
    records = simulate_joint(0)
    tests = analyse(records).tests
    findings = [
        forced(tests, PLANTED_OUTCOME, PLANTED_FACTOR, 1, 0.004),
        forced(tests, PLANTED_OUTCOME, PLANTED_FACTOR, 0, 0.001),
        forced(tests, PLANTED_OUTCOME, SITTING_FACTOR, 0, 0.002),
        forced(tests, PLANTED_OUTCOME, SITTING_FACTOR, 2, 0.003),
    ]
    result = joint_of(records, findings)
    assert [(e.factor, e.lag, e.others) for e in result.effects] == [
        (PLANTED_FACTOR, 0, (SITTING_FACTOR,)),
        (SITTING_FACTOR, 0, (PLANTED_FACTOR,)),
    ]
    assert result.dropped == []
    hills = result.effects[0]
    assert hills.days == result.effects[1].days <= min(findings[1].days, findings[2].days)  # both known
    assert hills.sentence.startswith(
        "Taking sitting into account as well, after a run with over 15 m climb per km, "
        "next-morning pain was on average "
    )
    assert hills.sentence.endswith(f"; {hills.days} days; an association, not proof of cause.")
    assert "points higher, likely between" in hills.sentence


def test_too_few_days_with_both_known_drops_the_factor_known_on_fewer() -> None:
    records = simulate(5, days=120)
    first = records[0].day
    records = [
        replace(
            r,
            sleep_hours=r.sleep_hours if (r.day - first).days < 50 else None,
            sitting_hours=r.sitting_hours if (r.day - first).days >= 40 else None,
        )
        for r in records
    ]
    assert records[-1].day - first >= timedelta(days=110)
    tests = analyse(records).tests
    sleep = forced(tests, PLANTED_OUTCOME, "sleep_hours", 0, 0.001)
    sitting = forced(tests, PLANTED_OUTCOME, SITTING_FACTOR, 0, 0.002)
    result = joint_of(records, [sleep, sitting])
    assert [(e.factor, e.others, e.sentence) for e in result.effects] == [(SITTING_FACTOR, (), "")]
    assert result.effects[0].effect == sitting.effect
    [dropped] = result.dropped
    assert dropped.factor == "sleep_hours"
    match = re.fullmatch(
        r"known together with the pain rating on only (\d+) days; with it, only (\d+) days have all the "
        rf"factors known \(needs {MIN_FACTOR_DAYS}\)",
        dropped.reason,
    )
    assert match, dropped.reason
    assert int(match[1]) == sleep.days < sitting.days
    assert int(match[2]) < MIN_FACTOR_DAYS


def test_no_findings_no_joint_model() -> None:
    records = simulate(10_001, effect=0.0)
    report = analyse(records)
    assert joint_of(records, []) == JointResult([], [])
    assert not any(t.reported for t in report.tests)
    assert joint_of(records, report.tests) == JointResult([], [])  # tests not reported are ignored


def test_every_factor_has_a_short_name() -> None:
    table = factor_table(simulate(3))
    for factor in (*FACTORS, *table.factors.values()):
        assert factor.key in NAMES or factor.per.startswith("a run "), factor.key
    assert factor_name(table.factors["surface_trail"]) == "runs on trail"
    assert factor_name(table.factors[PLANTED_FACTOR]) == "runs with over 15 m climb per km"


def test_with_nothing_held_constant_the_sentence_is_the_findings_own() -> None:
    """So the per-factor sentence and the joint one can be written by one function."""
    records = simulate_joint(1)
    table = factor_table(records)
    outcomes = {o.key: o for o in OUTCOMES}
    tests = analyse(records).tests
    assert len({t.outcome for t in tests}) == 3
    for t in tests:
        factor = table.factors[t.factor]
        words = sentence(outcomes[t.outcome], factor, t.lag, t.effect, t.low, t.high, t.days, [])
        assert words == t.sentence


@settings(max_examples=200, deadline=None)
@given(
    factor=st.lists(st.one_of(st.none(), st.floats(-5, 50, allow_nan=False)), max_size=60),
    outcome=st.lists(st.one_of(st.none(), st.integers(0, 10).map(float)), max_size=60),
    lag=st.sampled_from((0, 1, 2)),
)
def test_pairing_on_arrays_gives_the_days_and_values_the_plain_pairing_gives(factor, outcome, lag) -> None:
    days, xs, ys = _paired(_known(factor), _known(outcome), lag)
    assert (days.tolist(), xs.tolist(), ys.tolist()) == paired_days(factor, outcome, lag)
