"""Issue 16 item 6: the analysis finds a planted effect and stays quiet without one.

The suite runs 30 + 30 seeded simulations (about 15 s); bench/trigger_bench.py runs 100 + 100 and
its numbers are in the README. Thresholds here are the issue's 90%, on 30 runs: at least 27 of 30."""

from __future__ import annotations

from tests.core.triggers.simulate import PLANTED_EFFECT, PLANTED_FACTOR, PLANTED_OUTCOME, simulate

from backstride.core.triggers import analyse

RUNS = 30
NEEDED = 27  # 90% of 30


def test_planted_effect_found_with_right_sign_and_covering_interval() -> None:
    good = 0
    for seed in range(RUNS):
        report = analyse(simulate(seed))
        assert report.ready
        test = next(
            t for t in report.tests if (t.outcome, t.factor, t.lag) == (PLANTED_OUTCOME, PLANTED_FACTOR, 0)
        )
        good += test.reported and test.effect > 0 and test.low <= PLANTED_EFFECT <= test.high
    assert good >= NEEDED, f"{good} of {RUNS}"


def test_no_factor_reported_without_a_planted_effect() -> None:
    quiet = sum(not analyse(simulate(10_000 + seed, effect=0.0)).findings for seed in range(RUNS))
    assert quiet >= NEEDED, f"{quiet} of {RUNS}"


def test_finding_sentence_is_plain_and_says_association() -> None:
    report = analyse(simulate(3))
    top = next(f for f in report.findings if f.factor == PLANTED_FACTOR and f.lag == 0)
    assert top.sentence.startswith(
        "After a run with over 15 m climb per km, next-morning pain was on average"
    )
    assert "points higher, likely between" in top.sentence
    assert f"; {top.days} days; an association, not proof of cause." in top.sentence
    assert report.findings == sorted(report.findings, key=lambda f: (f.p_adjusted, -abs(f.effect)))
