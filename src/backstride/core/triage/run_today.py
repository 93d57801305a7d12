"""The run-today traffic light (spec D.2), built on Silbernagel's pain-monitoring model, with the
section K rules R7 (pain on hopping), R8 (after giving birth) and A7 (a young runner's extension pain).

Evaluated after urgency and pattern, because R1 depends on urgency and A6 on the pattern.
"""

from __future__ import annotations

from collections.abc import Collection

from .model import Answers, FiredRule, RunToday, Urgency
from .rules import (
    View,
    early_after_birth,
    hop_hurt,
    nerve_root_facts,
    pelvic_floor_not_cleared,
    young_extension_pain,
)

DEFAULT_BASELINE = 2  # app policy (spec D.2): pre-run pain when it was not rated
PAIN_CEILING = 6  # a rating >= 6 exceeds the model's "acceptable" zone of up to 5/10
# K.3: A6 also fires on P2's facts when one of these patterns won over nerve_root.
PATTERNS_OVER_NERVE_ROOT = ("not_from_the_back", "bone_stress", "pregnancy_related")


def _last_run_state(v: View) -> tuple[bool, bool]:
    """(exceeded, settled) as the spec defines them."""
    before = v.number("pain_before_last_run")
    baseline = before if before is not None else DEFAULT_BASELINE
    morning = v.number("pain_next_morning")
    if morning is None:
        morning = v.number("pain_now")
    settled = morning is None or morning <= baseline
    exceeded = v.at_least("pain_during_last_run", PAIN_CEILING) or v.at_least(
        "pain_after_last_run", PAIN_CEILING
    )
    return exceeded, settled


def _baseline(v: View) -> float:
    before = v.number("pain_before_last_run")
    return before if before is not None else DEFAULT_BASELINE


def run_today_rules(
    answers: Answers, urgency: Urgency, pattern: str, standing: Collection[str] = ()
) -> list[FiredRule]:
    """Every red and amber rule that fires. The colour is red if any red rule fired, else amber
    if any amber rule fired, else green (amber rules are listed only when no red rule fired).

    ``standing`` holds rule ids a full check left in force (the diary passes them, spec K: R7 after
    a painful hop, PN-1/PN-2 for R8, Y-1 for A7, until a new full check); a check finds the same
    rules from its own answers."""
    red_checks = (
        ("R1", lambda v: urgency >= Urgency.DOCTOR_SOON),
        ("R3", lambda v: v.yes("socks_shoes_difficult")),
        ("R4", lambda v: v.at_least("pain_now", PAIN_CEILING)),
        ("R5", lambda v: v.at_least("pain_next_morning", PAIN_CEILING)),
        ("R6", lambda v: _last_run_state(v) == (True, False)),
        ("R7", lambda v: hop_hurt(v) or "R7" in standing),
        (
            "R8",
            lambda v: (
                early_after_birth(v) or pelvic_floor_not_cleared(v) or bool({"PN-1", "PN-2"} & set(standing))
            ),
        ),
    )
    amber_checks = (
        ("A1", lambda v: v.between("pain_now", 3, 5)),
        ("A2", lambda v: _last_run_state(v) == (True, True)),
        (
            "A3",
            lambda v: v.between("pain_during_last_run", 3, 5) or v.between("pain_after_last_run", 3, 5),
        ),
        (
            "A4",
            lambda v: (morning := v.number("pain_next_morning")) is not None and morning > _baseline(v),
        ),
        ("A5", lambda v: v.is_("trend_week", "worse")),
        (
            "A6",
            lambda v: (
                pattern == "nerve_root" or (pattern in PATTERNS_OVER_NERVE_ROOT and nerve_root_facts(v))
            ),
        ),
        ("A7", lambda v: young_extension_pain(v) or "Y-1" in standing),
    )
    red = _fire(red_checks, answers, RunToday.RED)
    if red:
        return red
    return _fire(amber_checks, answers, RunToday.AMBER)


def _fire(checks, answers: Answers, colour: RunToday) -> list[FiredRule]:  # type: ignore[no-untyped-def]
    fired = []
    for rule_id, check in checks:
        v = View(answers)
        if check(v):
            fired.append(FiredRule(rule_id, "run_today", colour.code, dict(v.used)))
    return fired


def colour_of(fired: list[FiredRule]) -> RunToday:
    return max((RunToday[rule.outcome.upper()] for rule in fired), default=RunToday.GREEN)
