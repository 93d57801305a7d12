"""The run-today traffic light (spec D.2): R1, R3-R6 (red), A1-A6 (amber), green otherwise.

Definitions under test: baseline = pain_before_last_run, else 2; morning = pain_next_morning, else
pain_now; settled = morning <= baseline (true when morning is unknown); exceeded = during or after
>= 6. Amber rules are listed only when no red rule fired.
"""

from __future__ import annotations

import pytest

from backstride.core.triage import RunToday, Urgency

from .conftest import triage

RED, AMBER, GREEN = RunToday.RED, RunToday.AMBER, RunToday.GREEN
RED_IDS = {"R1", "R3", "R4", "R5", "R6"}
AMBER_IDS = {f"A{n}" for n in range(1, 7)}

# (rule id, answers, colour, must fire?)
CASES = [
    # R1: urgency emergency or doctor_soon
    ("R1", {"bladder_change": True}, RED, True),
    ("R1", {"cancer_history": True}, RED, True),
    ("R1", {"saddle_numbness": "not_sure"}, RED, True),
    ("R1", {"trend_week": "worse"}, AMBER, False),  # clinician tier is not R1
    ("R1", {"pain_now": 8}, RED, False),  # C6 is clinician: red comes from R4 only
    # R3: socks and shoes
    ("R3", {"socks_shoes_difficult": True}, RED, True),
    ("R3", {"socks_shoes_difficult": False}, GREEN, False),
    # R4: pain_now >= 6 (5 vs 6)
    ("R4", {"pain_now": 6}, RED, True),
    ("R4", {"pain_now": 10}, RED, True),
    ("R4", {"pain_now": 5}, AMBER, False),
    # R5: pain_next_morning >= 6 (6 vs 5)
    ("R5", {"pain_next_morning": 6}, RED, True),
    ("R5", {"pain_next_morning": 5}, AMBER, False),
    ("R5", {"pain_next_morning": 5, "pain_before_last_run": 5}, GREEN, False),
    # R6: exceeded and not settled
    ("R6", {"pain_during_last_run": 6, "pain_before_last_run": 2, "pain_next_morning": 4}, RED, True),
    ("R6", {"pain_after_last_run": 6, "pain_before_last_run": 2, "pain_next_morning": 3}, RED, True),
    ("R6", {"pain_during_last_run": 7, "pain_next_morning": 3}, RED, True),  # default baseline 2
    ("R6", {"pain_during_last_run": 7, "pain_now": 3}, RED, True),  # morning falls back to pain_now
    ("R6", {"pain_during_last_run": 5, "pain_after_last_run": 5, "pain_next_morning": 4}, AMBER, False),
    ("R6", {"pain_during_last_run": 6, "pain_before_last_run": 2, "pain_next_morning": 2}, AMBER, False),
    # A1: pain_now 3-5
    ("A1", {"pain_now": 3}, AMBER, True),
    ("A1", {"pain_now": 4}, AMBER, True),
    ("A1", {"pain_now": 5}, AMBER, True),
    ("A1", {"pain_now": 2}, GREEN, False),
    ("A1", {"pain_now": 0}, GREEN, False),
    # A2: exceeded and settled
    ("A2", {"pain_during_last_run": 6, "pain_before_last_run": 2, "pain_next_morning": 2}, AMBER, True),
    ("A2", {"pain_after_last_run": 10, "pain_next_morning": 0}, AMBER, True),
    ("A2", {"pain_during_last_run": 7, "pain_next_morning": 2}, AMBER, True),  # default baseline 2
    ("A2", {"pain_during_last_run": 7, "pain_before_last_run": 3, "pain_next_morning": 3}, AMBER, True),
    ("A2", {"pain_during_last_run": 7}, AMBER, True),  # morning unknown: settled
    ("A2", {"pain_during_last_run": 7, "pain_now": 2}, AMBER, True),  # morning = pain_now 2
    ("A2", {"pain_during_last_run": 7, "pain_before_last_run": 3, "pain_next_morning": 4}, RED, False),
    ("A2", {"pain_during_last_run": 5, "pain_after_last_run": 5}, AMBER, False),  # 5 is not exceeded
    # A3: during or after 3-5
    ("A3", {"pain_during_last_run": 3}, AMBER, True),
    ("A3", {"pain_during_last_run": 5}, AMBER, True),
    ("A3", {"pain_after_last_run": 3}, AMBER, True),
    ("A3", {"pain_after_last_run": 5}, AMBER, True),
    ("A3", {"pain_during_last_run": 2, "pain_after_last_run": 2}, GREEN, False),
    ("A3", {"pain_during_last_run": 6}, AMBER, False),  # exceeded: A2, not A3
    # A4: pain_next_morning > baseline
    ("A4", {"pain_next_morning": 3}, AMBER, True),  # default baseline 2
    ("A4", {"pain_next_morning": 2}, GREEN, False),
    ("A4", {"pain_before_last_run": 4, "pain_next_morning": 5}, AMBER, True),
    ("A4", {"pain_before_last_run": 0, "pain_next_morning": 1}, AMBER, True),
    ("A4", {"pain_before_last_run": 4, "pain_next_morning": 4}, GREEN, False),
    ("A4", {"pain_before_last_run": 4, "pain_next_morning": 3}, GREEN, False),
    # A5: trend worse
    ("A5", {"trend_week": "worse"}, AMBER, True),
    ("A5", {"trend_week": "same"}, GREEN, False),
    # A6: nerve_root
    ("A6", {"numbness_tingling": "one_leg"}, AMBER, True),
    ("A6", {"pain_extent": "below_knee", "leg_pain_side": "one_leg"}, AMBER, True),
    ("A6", {"pain_extent": "thigh", "worse_sitting": True}, GREEN, False),  # disc
]


def _case_id(case: tuple) -> str:
    rule_id, answers, _colour, fires = case
    return f"{rule_id}-{'fires' if fires else 'silent'}-" + "-".join(f"{k}={v}" for k, v in answers.items())


@pytest.mark.parametrize(("rule_id", "answers", "colour", "fires"), CASES, ids=[_case_id(c) for c in CASES])
def test_run_today_rule(rule_id, answers, colour, fires):
    result = triage(answers)
    assert (rule_id in result.rule_ids) is fires
    assert result.run_today is colour


def test_every_run_rule_has_a_firing_case_and_a_near_miss():
    fired = {c[0] for c in CASES if c[3]}
    silent = {c[0] for c in CASES if not c[3]}
    assert fired == silent == RED_IDS | AMBER_IDS


def test_green_when_everything_is_low_settled_and_not_worse():
    result = triage(
        pain_now=2,
        ran_since_onset=True,
        pain_before_last_run=2,
        pain_during_last_run=2,
        pain_after_last_run=2,
        pain_next_morning=2,
        trend_week="same",
    )
    assert result.run_today is GREEN
    assert not set(result.rule_ids) & (RED_IDS | AMBER_IDS)
    assert result.run_today.code == "green"


def test_amber_rules_are_not_listed_when_a_red_rule_fires():
    result = triage(pain_now=6, trend_week="worse", pain_during_last_run=4, numbness_tingling="one_leg")
    assert result.run_today is RED
    assert "R4" in result.rule_ids
    assert not set(result.rule_ids) & AMBER_IDS


def test_all_red_rules_that_fire_are_listed():
    result = triage(
        socks_shoes_difficult=True, pain_now=7, pain_during_last_run=8, pain_next_morning=6, weight_loss=True
    )
    assert {"R1", "R3", "R4", "R5", "R6"} <= set(result.rule_ids)
    assert all(rule.outcome == "red" for rule in result.run_today_rules)


def test_all_amber_rules_that_fire_are_listed():
    result = triage(
        pain_now=4,
        pain_during_last_run=4,
        pain_next_morning=3,
        trend_week="worse",
        numbness_tingling="one_leg",
    )
    assert result.run_today is AMBER
    assert {"A1", "A3", "A4", "A5", "A6"} <= set(result.rule_ids)
    assert all(rule.outcome == "amber" for rule in result.run_today_rules)


def test_r1_overrides_an_otherwise_green_day():
    result = triage(thoracic_pain=True, pain_now=0, trend_week="better")
    assert result.urgency is Urgency.DOCTOR_SOON
    assert result.run_today is RED
    assert [rule.rule_id for rule in result.run_today_rules] == ["R1"]


def test_colour_codes_and_order():
    assert (GREEN.code, AMBER.code, RED.code) == ("green", "amber", "red")
    assert GREEN < AMBER < RED


@pytest.mark.parametrize(("morning", "rule"), [(2, "A2"), (3, "R6")])
def test_default_baseline_2_when_pre_run_pain_unanswered(morning, rule):
    """Spec D.2: baseline = pain_before_last_run if answered, otherwise 2 (app policy)."""
    result = triage(pain_during_last_run=6, pain_next_morning=morning)
    assert rule in result.rule_ids


@pytest.mark.parametrize(("before", "rule"), [(3, "A2"), (2, "R6")])
def test_answered_baseline_replaces_the_default(before, rule):
    result = triage(pain_during_last_run=6, pain_before_last_run=before, pain_next_morning=3)
    assert rule in result.rule_ids
