"""Every advice card is wired to the rules or answers that make it relevant (issue 10, spec K.9):
no card in knowledge/advice.yaml that the engine can never pick, and the section K cards appear for
their rules and not without them."""

from __future__ import annotations

import pytest
from tests.cases import EMERGENCY, SELF_MANAGE

from backstride.core.triage import evaluate
from backstride.knowledge import catalog
from backstride.services.check_report import build_check_report

from .conftest import QUIET, check_case

# A calm runner (self_manage, green) the triggers below build on.
CALM = {**QUIET, "pain_side": "left", "onset": "sudden_ouch_moment", "ran_since_onset": True, "pain_now": 1}

# card id -> answers that make the engine pick it (minimal changes to CALM).
TRIGGERS: dict[str, dict[str, object]] = {
    "ces-safety-net": {"pain_extent": "thigh", "leg_pain_side": "one_leg"},
    "run-green": {},
    "run-amber": {"pain_now": 4},
    "run-red": {"pain_now": 7},
    "run-red-urgent": {"weight_loss": True},
    "cross-training": {"pain_now": 7},
    "see-whom": {},
    "under-16": {"age": 15, "duration_days": 3},
    "young-runner": {"age": 17, "duration_days": 21},
    "inflammatory-referral": {
        "age": 30,
        "duration_days": 400,
        "morning_stiffness_over_30min": True,
        "improves_with_movement": True,
        "nsaid_helps_48h": True,
        "spa_family_history": True,
    },
    "startback-low": {"sb_leg_pain": False},
    "startback-medium": {
        "sb_leg_pain": True,
        "sb_shoulder_neck": True,
        "sb_walk_short": True,
        "sb_worry": True,
    },
    "startback-high": {
        "sb_unsafe_active": True,
        "sb_worry": True,
        "sb_never_better": True,
        "sb_no_enjoy": True,
    },
    "rest-not-first": {},
    "pain-not-damage": {"onset": "not_sure"},  # nonspecific pattern
    "no-routine-imaging": {},
    "running-is-not-bad-for-backs": {},
    "flare-up-plan": {"trend_week": "worse"},
    "past-back-pain": {"trend_week": "better"},
    "hills-caution": {"worse_uphill": True},
    "downhill-caution": {"worse_downhill": True},
    "mileage-progression": {"weekly_distance_change": "over_30_percent"},
    "terrain-change": {"terrain_change": True},
    "shoe-mileage": {"shoe_km": 650},
    "choosing-shoes": {"shoe_km": 650},
    "break-up-sitting": {"sitting_hours": 8},
    "posture": {"worse_sitting": True},
    "strength-and-mobility": {},
    "comfort-measures": {},
    "manual-therapy": {"pain_now": 8},  # C6: seeing a clinician
    "return-to-run": {"ran_since_onset": False},
    "medicines": {},
    # Section K
    "kidney-warning": {"loin_colic": True},
    "aneurysm-warning": {"age": 55, "abdominal_pulsing": True},
    "see-gp-urine": {"urine_blood_or_burning": True},
    "bone-stress": {"hop_pain": "yes"},
    "energy-and-bone": {"low_energy_intake": True},
    "pregnancy": {"pregnant": True, "weeks_since_birth": None},
    "after-birth": {"weeks_since_birth": 20},
    "pelvic-floor": {"stress_leak": True},
}

# Section K cards that must NOT appear without their trigger (the near misses).
NEAR_MISSES: list[tuple[str, dict[str, object]]] = [
    ("kidney-warning", {"urine_blood_or_burning": True}),  # U-1 only: the GP card instead
    ("aneurysm-warning", {"age": 49, "abdominal_pulsing": True}),  # under 50: a felt pulse is normal
    ("see-gp-urine", {"urine_blood_or_burning": True, "pain_not_mechanical": True}),  # T1 covers it
    ("bone-stress", {"hop_pain": "did_not_try"}),
    ("energy-and-bone", {"stress_fracture_history": True}),
    ("young-runner", {"age": 20, "duration_days": 30, "worse_bending_backward": True}),
    ("pregnancy", {"pregnant": False}),
    ("after-birth", {"weeks_since_birth": 52}),
    ("pelvic-floor", {"stress_leak": False}),
    ("no-routine-imaging", {"age": 17, "duration_days": 14, "worse_bending_backward": True}),  # K.5
    ("pain-not-damage", {"hop_pain": "yes", "onset": "not_sure"}),  # possible bone stress: not "no damage"
    ("rest-not-first", {"hop_pain": "yes"}),  # rest from impact is the treatment there
    ("medicines", {"pregnant": True, "weeks_since_birth": None}),  # the midwife or pharmacist decides
]


def _case(changes: dict[str, object]) -> dict[str, object]:
    case = {**CALM, **changes}
    case = {key: value for key, value in case.items() if value is not None}
    check_case(case)
    return case


def test_every_card_in_the_knowledge_files_has_a_trigger():
    assert set(TRIGGERS) == set(catalog.advice_cards()), "a card nobody can reach is dead advice (K.9)"


@pytest.mark.parametrize("card_id", sorted(TRIGGERS))
def test_the_engine_picks_each_card_for_its_trigger(card_id):
    assert card_id in evaluate(_case(TRIGGERS[card_id])).advice_ids


@pytest.mark.parametrize(
    ("card_id", "changes"), NEAR_MISSES, ids=[f"{c}-{i}" for i, (c, _) in enumerate(NEAR_MISSES)]
)
def test_section_k_cards_stay_away_without_their_trigger(card_id, changes):
    assert card_id not in evaluate(_case(changes)).advice_ids


def test_an_urgent_result_shows_only_what_helps_now():
    kidney = evaluate(_case({"loin_colic": True})).advice_ids
    assert kidney[:2] == ("run-red-urgent", "kidney-warning")  # its own warning signs before the general list
    assert "comfort-measures" not in kidney and "run-green" not in kidney
    stress = evaluate(_case({"hop_pain": "yes", "pain_builds_each_run": True, "low_energy_intake": True}))
    assert stress.urgency.code == "doctor_soon"
    assert {"bone-stress", "energy-and-bone"} <= set(stress.advice_ids)
    assert "running-is-not-bad-for-backs" not in stress.advice_ids


def test_comfort_measures_card_gives_heat_its_evidence():
    card = catalog.advice("comfort-measures")
    text = " ".join([card.title, *card.body]).lower()
    assert "heat" in text and "qaseem-2017" in card.sources


@pytest.mark.parametrize(
    ("answers", "urgency"),
    [(EMERGENCY, "emergency"), ({**SELF_MANAGE, "leg_weakness": "one_leg"}, "doctor_soon")],
)
def test_urgent_reports_carry_no_routine_pattern_self_care(answers, urgency):
    report = build_check_report(evaluate(answers), answers)
    assert report["urgency"] == urgency
    assert report["pattern_self_care"] == [] and report["pattern_summary"] is None


def test_a_self_managed_report_carries_its_patterns_self_care():
    calm = build_check_report(evaluate(SELF_MANAGE), SELF_MANAGE)
    assert calm["pattern_self_care"] and calm["pattern_summary"]
