"""Section K of spec/clinical.md (spec v2), written from the spec, not from the engine.

Every rule of section K has a minimal case that fires it and a near miss that does not, each checked
twice: with nothing else answered, and on top of the complete "all no" background QUIET (a 30-year-old
woman, 52 weeks after a birth, painless hop), as tests/core/test_urgency_rules.py does for section A.

Covered: K.1 urgency timing (`urgency_when`, every tier, "today beats 24-48h", the headlines),
CES-UNSURE; K.2 the narrowed E2 and `stress_leak`; K.3 E8 (narrowed), E12, E14, T1-T3, D11, U-1, the
new pattern precedence and the safety net; K.4 BS-1, BS-2, RED-1, R7 and the D.3 hop criterion;
K.5 Y-1, Y-2, A7 and the imaging card; K.6 E13, PG-1, PG-2, PN-1, PN-2, R8; K.7 skip logic; and the
stopped emergency check.

Readings of the spec that are not spelled out there are written next to the case that tests them.
"""

from __future__ import annotations

import re

import pytest

from backstride.core.triage import (
    RunToday,
    Urgency,
    applicable_items,
    emergency_found,
    evaluate,
    next_item,
)
from backstride.services.check_report import build_check_report

from .conftest import QUIET, check_case, triage

EMERGENCY = Urgency.EMERGENCY
DOCTOR = Urgency.DOCTOR_SOON
CLINICIAN = Urgency.CLINICIAN_IF_NO_BETTER
SELF = Urgency.SELF_MANAGE
RED, AMBER, GREEN = RunToday.RED, RunToday.AMBER, RunToday.GREEN

# K.1 timings: every E rule "now"; CES-UNSURE, D8, T1, T2, T3, PG-2 "today"; other D rules "24-48h";
# C rules "1-2 weeks"; self_manage None.
NOW, TODAY, H48, WEEKS = "now", "today", "24-48h", "1-2 weeks"

P1 = "bone_or_serious"
NFTB = "not_from_the_back"
BONE = "bone_stress"
NERVE = "nerve_root"
PREG = "pregnancy_related"
NONSPEC = "nonspecific"

BACKGROUNDS = [pytest.param({}, id="nothing-else"), pytest.param(QUIET, id="all-no")]

# K.4: bse_risk = periods_missed OR low_energy_intake OR stress_fracture_history OR osteoporosis OR
# weekly_distance_change = over_30_percent. One entry per risk factor.
BSE_RISKS = {
    "periods_missed": {"periods_missed": True},
    "low_energy_intake": {"low_energy_intake": True},
    "stress_fracture_history": {"stress_fracture_history": True},
    "osteoporosis": {"osteoporosis": True},
    "over_30_percent": {"weekly_distance_change": "over_30_percent"},
}
# K.4: the two ways into BS-1.
BS1_WAYS_IN = {
    "hop_pain": {"hop_pain": "yes"},
    "builds_each_run": {"pain_builds_each_run": True},
}

# A last run that was painless and settled, the person now pain-free and getting better: every
# D.2 rating green (for the D.3 hop criterion: any pain on hopping stops running anyway).
ALL_GREEN_RUN = {
    "pain_now": 0,
    "ran_since_onset": True,
    "pain_before_last_run": 0,
    "pain_during_last_run": 0,
    "pain_after_last_run": 0,
    "pain_next_morning": 0,
    "trend_week": "better",
}

Y1 = {"age": 19, "worse_bending_backward": True, "duration_days": 14}


def _short(value: object) -> str:
    return {True: "yes", False: "no"}.get(value, str(value)) if isinstance(value, bool) else str(value)


def _case_id(rule_id: str, answers: dict) -> str:
    return f"{rule_id}:" + ",".join(f"{k}={_short(v)}" for k, v in answers.items())


def fires(rule_id, answers, tier, when, colour, pattern=None, cards=()):
    """A case where `rule_id` must fire, with the spec's tier, K.1 timing, colour and (if K names one)
    the likely pattern and the advice cards that must be shown."""
    return pytest.param(rule_id, answers, tier, when, colour, pattern, cards, id=_case_id(rule_id, answers))


def misses(rule_id, answers, tier, when, colour, pattern=None, instead=(), cards=()):
    """A near miss: `rule_id` must stay silent; `instead` lists the rules that fire in its place."""
    return pytest.param(
        rule_id, answers, tier, when, colour, pattern, instead, cards, id=_case_id(rule_id, answers)
    )


FIRES = [
    # --- K.1 CES-UNSURE: any of the four cauda equina items "not_sure", no E rule: doctor_soon today.
    # "not_sure" is not a P2 cauda-equina item, so the pattern stays nonspecific.
    fires("CES-UNSURE", {"saddle_numbness": "not_sure"}, DOCTOR, TODAY, RED, NONSPEC),
    fires("CES-UNSURE", {"bladder_change": "not_sure"}, DOCTOR, TODAY, RED, NONSPEC),
    fires("CES-UNSURE", {"bowel_change": "not_sure"}, DOCTOR, TODAY, RED, NONSPEC),
    fires("CES-UNSURE", {"sexual_change": "not_sure"}, DOCTOR, TODAY, RED, NONSPEC),
    # "not_sure is never read as no": a stress leak does not explain an unsure bladder answer away.
    fires("CES-UNSURE", {"bladder_change": "not_sure", "stress_leak": True}, DOCTOR, TODAY, RED, NONSPEC),
    # A today rule beats a 24-48h rule of the same tier (D3).
    fires("CES-UNSURE", {"saddle_numbness": "not_sure", "cancer_history": True}, DOCTOR, TODAY, RED, P1),
    # --- K.2: a stress leak together with a new bladder change is still E2 (safety first).
    fires("E2", {"bladder_change": True, "stress_leak": True}, EMERGENCY, NOW, RED),
    fires("E2", {"bladder_change": True, "stress_leak": False}, EMERGENCY, NOW, RED),
    # --- K.3 E8 narrowed: sudden severe pain with faintness or collapse. aaa_warning stays in P1.
    fires("E8", {"aaa_warning": True}, EMERGENCY, NOW, RED, P1),
    fires("E8", {"aaa_warning": True, "abdominal_pulsing": True, "age": 55}, EMERGENCY, NOW, RED, P1),
    # --- E12: loin colic AND fever. Fever is a serious flag, so P1 wins the pattern (K.3).
    fires("E12", {"loin_colic": True, "fever_chills": True}, EMERGENCY, NOW, RED, P1),
    # --- E13: pregnant AND a pregnancy warning sign. (K names no pattern for it.)
    fires("E13", {"pregnant": True, "pregnancy_warning": True}, EMERGENCY, NOW, RED),
    # --- E14: age >= 60 AND (smoker OR sex != female) AND (pulsing OR loin colic): not_from_the_back.
    fires("E14", {"age": 60, "smoker_ever": True, "abdominal_pulsing": True}, EMERGENCY, NOW, RED, NFTB),
    fires("E14", {"age": 60, "sex": "male", "abdominal_pulsing": True}, EMERGENCY, NOW, RED, NFTB),
    fires(
        "E14", {"age": 60, "sex": "other_or_prefer_not", "abdominal_pulsing": True}, EMERGENCY, NOW, RED, NFTB
    ),
    fires("E14", {"age": 60, "smoker_ever": True, "loin_colic": True}, EMERGENCY, NOW, RED, NFTB),
    fires("E14", {"age": 71, "sex": "male", "loin_colic": True}, EMERGENCY, NOW, RED, NFTB),
    fires(
        "E14",
        {"age": 75, "sex": "female", "smoker_ever": True, "loin_colic": True},
        EMERGENCY,
        NOW,
        RED,
        NFTB,
    ),
    # --- T1 (today): loin colic, OR urine blood/burning AND (non-mechanical pain OR fever).
    fires("T1", {"loin_colic": True}, DOCTOR, TODAY, RED, NFTB),
    fires("T1", {"urine_blood_or_burning": True, "pain_not_mechanical": True}, DOCTOR, TODAY, RED, NFTB),
    # Fever is a P1 flag (it gives D5 too): P1 beats not_from_the_back; T1's "today" beats D5's 24-48h.
    fires("T1", {"urine_blood_or_burning": True, "fever_chills": True}, DOCTOR, TODAY, RED, P1),
    fires("T1", {"loin_colic": True, "cancer_history": True}, DOCTOR, TODAY, RED, P1),
    # --- T2 (today): age >= 50 AND pulsing AND NOT aaa_warning. Boundary 49 / 50 (near misses below).
    fires("T2", {"age": 50, "abdominal_pulsing": True}, DOCTOR, TODAY, RED, NFTB),
    fires("T2", {"age": 50, "abdominal_pulsing": True, "aaa_warning": False}, DOCTOR, TODAY, RED, NFTB),
    # E14's boundary: a man of 59 with a pulsing tummy is T2, not E14.
    fires("T2", {"age": 59, "sex": "male", "abdominal_pulsing": True}, DOCTOR, TODAY, RED, NFTB),
    # --- T3 (today): age >= 60 AND (smoker OR sex != female) AND non-mechanical AND central pain.
    # D11 fires with it (24-48h); T3's "today" wins.
    fires(
        "T3",
        {"age": 60, "sex": "male", "pain_not_mechanical": True, "pain_side": "middle"},
        DOCTOR,
        TODAY,
        RED,
        NFTB,
    ),
    fires(
        "T3",
        {"age": 60, "smoker_ever": True, "pain_not_mechanical": True, "pain_side": "both_sides"},
        DOCTOR,
        TODAY,
        RED,
        NFTB,
    ),
    fires(
        "T3",
        {"age": 71, "sex": "other_or_prefer_not", "pain_not_mechanical": True, "pain_side": "middle"},
        DOCTOR,
        TODAY,
        RED,
        NFTB,
    ),
    # --- D11: non-mechanical pain, whatever the worse_* answers: doctor_soon 24-48h, not_from_the_back.
    fires("D11", {"pain_not_mechanical": True}, DOCTOR, H48, RED, NFTB),
    fires(
        "D11",
        {
            "pain_not_mechanical": True,
            "worse_bending_forward": True,
            "worse_sitting": True,
            "worse_twisting": True,
            "worse_standing": True,
        },
        DOCTOR,
        H48,
        RED,
        NFTB,
    ),
    # T3's age boundary: at 59 the same answers are D11 only, 24-48h.
    fires(
        "D11",
        {"age": 59, "sex": "male", "pain_not_mechanical": True, "pain_side": "middle"},
        DOCTOR,
        H48,
        RED,
        NFTB,
    ),
    # --- U-1: urine blood/burning with no T or E rule: clinician + card see-gp-urine. U-1 sets no pattern.
    fires("U-1", {"urine_blood_or_burning": True}, CLINICIAN, WEEKS, GREEN, NONSPEC, ("see-gp-urine",)),
    # Reading: "with no T or E rule" means a D rule (here D3) does not silence U-1; the tier is D3's.
    # U-1's outcome is "clinician_if_no_better + card see-gp-urine": the card is part of what the rule
    # does, so it is shown whenever U-1 fires. (D.2's "If R1, follow the urgency advice only" is the
    # red light's running advice; it does not remove a card that tells a doctor about blood in the urine.)
    fires(
        "U-1",
        {"urine_blood_or_burning": True, "cancer_history": True},
        DOCTOR,
        H48,
        RED,
        P1,
        ("see-gp-urine",),
    ),
    # --- BS-1: (hop pain OR pain builds each run) AND bse_risk: each way in x each risk factor.
    # doctor_soon, not a "today" rule, so 24-48h (K.1 "other D rules"); pattern bone_stress; red.
    # (The hop test is not asked with osteoporosis (K.4), but the rule itself is pure logic.)
    *(
        fires("BS-1", {**way, **risk}, DOCTOR, H48, RED, BONE)
        for way in BS1_WAYS_IN.values()
        for risk in BSE_RISKS.values()
    ),
    # did_not_try is unknown for the hop, but the other way in still works.
    fires(
        "BS-1",
        {"hop_pain": "did_not_try", "pain_builds_each_run": True, "low_energy_intake": True},
        DOCTOR,
        H48,
        RED,
        BONE,
    ),
    # --- BS-2: hop pain without BS-1: clinician; red through R7; no bone_stress pattern.
    fires("BS-2", {"hop_pain": "yes"}, CLINICIAN, WEEKS, RED, NONSPEC),
    fires("BS-2", {"hop_pain": "yes", "weekly_distance_change": "10_to_30_percent"}, CLINICIAN, WEEKS, RED),
    # --- RED-1: missed periods OR low energy intake, no BS rule: clinician + card energy-and-bone.
    # K gives RED-1 no run-today rule, so the colour stays green.
    fires("RED-1", {"periods_missed": True}, CLINICIAN, WEEKS, GREEN, NONSPEC, ("energy-and-bone",)),
    fires("RED-1", {"low_energy_intake": True}, CLINICIAN, WEEKS, GREEN, NONSPEC, ("energy-and-bone",)),
    fires("RED-1", {"low_energy_intake": True, "hop_pain": "did_not_try"}, CLINICIAN, WEEKS, GREEN),
    fires("RED-1", {"periods_missed": True, "hop_pain": "no"}, CLINICIAN, WEEKS, GREEN),
    # --- Y-1: age < 20 AND worse bending backward AND duration >= 14: clinician; A7 makes it amber.
    fires("Y-1", Y1, CLINICIAN, WEEKS, AMBER, NONSPEC),
    fires("Y-1", {"age": 16, "worse_bending_backward": True, "duration_days": 20}, CLINICIAN, WEEKS, AMBER),
    # --- Y-2: age < 20 AND duration >= 21 (any pattern): clinician; no A7 without Y-1, so green.
    fires("Y-2", {"age": 19, "duration_days": 21}, CLINICIAN, WEEKS, GREEN, NONSPEC),
    fires("Y-2", {"age": 16, "duration_days": 30}, CLINICIAN, WEEKS, GREEN),
    fires("Y-2", {**Y1, "duration_days": 21}, CLINICIAN, WEEKS, AMBER),  # with Y-1 (A7)
    # --- PG-1: pregnant: clinician, pattern pregnancy_related. K gives it no run-today rule: green.
    fires("PG-1", {"pregnant": True}, CLINICIAN, WEEKS, GREEN, PREG),
    # --- PG-2 (today): pregnant AND (loin colic OR urine blood/burning OR fever).
    fires("PG-2", {"pregnant": True, "urine_blood_or_burning": True}, DOCTOR, TODAY, RED, PREG),
    fires("PG-2", {"pregnant": True, "fever_chills": True}, DOCTOR, TODAY, RED, P1),
    fires("PG-2", {"pregnant": True, "loin_colic": True}, DOCTOR, TODAY, RED, NFTB),
    # --- PN-1: weeks since birth < 12: R8 red. K.6 gives PN-1 no urgency tier, so self_manage, no timing.
    fires("PN-1", {"weeks_since_birth": 11.9}, SELF, None, RED),
    fires("PN-1", {"weeks_since_birth": 0}, SELF, None, RED),
    # --- PN-2: weeks < 52 AND (pelvic floor symptoms OR stress leak) AND NOT cleared: clinician, red (R8).
    fires(
        "PN-2", {"weeks_since_birth": 51, "stress_leak": True}, CLINICIAN, WEEKS, RED, None, ("pelvic-floor",)
    ),
    fires("PN-2", {"weeks_since_birth": 20, "pelvic_floor_symptoms": True}, CLINICIAN, WEEKS, RED),
    fires(
        "PN-2",
        {"weeks_since_birth": 20, "pelvic_floor_symptoms": True, "pelvic_health_cleared": False},
        CLINICIAN,
        WEEKS,
        RED,
    ),
    fires("PN-2", {"weeks_since_birth": 6, "stress_leak": True}, CLINICIAN, WEEKS, RED),  # with PN-1
    # --- R7: hop pain = yes -> red, whatever else (also next to BS-1's R1).
    fires("R7", {"hop_pain": "yes"}, CLINICIAN, WEEKS, RED),
    fires("R7", {"hop_pain": "yes", "stress_fracture_history": True}, DOCTOR, H48, RED, BONE),
    # D.3 as changed by K: any pain on hopping stops running, even when every rating is green.
    fires("R7", {**ALL_GREEN_RUN, "hop_pain": "yes"}, CLINICIAN, WEEKS, RED),
    # --- R8: PN-1 or PN-2 -> red.
    fires("R8", {"weeks_since_birth": 11.9}, SELF, None, RED),
    fires("R8", {"weeks_since_birth": 30, "stress_leak": True}, CLINICIAN, WEEKS, RED),
    fires(
        "R8", {**ALL_GREEN_RUN, "weeks_since_birth": 30, "pelvic_floor_symptoms": True}, CLINICIAN, WEEKS, RED
    ),
    # --- A7: Y-1 fired -> at least amber: green becomes amber.
    fires("A7", Y1, CLINICIAN, WEEKS, AMBER),
    fires("A7", {**Y1, **ALL_GREEN_RUN}, CLINICIAN, WEEKS, AMBER),
]

NEAR_MISSES = [
    # --- CES-UNSURE
    misses(
        "CES-UNSURE",
        {"saddle_numbness": False, "bladder_change": False, "bowel_change": False, "sexual_change": False},
        SELF,
        None,
        GREEN,
    ),
    # K.1 defines the trigger as "any of the four answered not_sure, and no E rule": with E1 firing,
    # CES-UNSURE is not met and must not be listed among the fired rules (the tier is E1's either way).
    misses(
        "CES-UNSURE",
        {"saddle_numbness": True, "bladder_change": "not_sure"},
        EMERGENCY,
        NOW,
        RED,
        None,
        ("E1",),
    ),
    # --- E2 (K.2): a stress leak alone is never E2.
    misses("E2", {"stress_leak": True}, SELF, None, GREEN, NONSPEC, (), ("pelvic-floor",)),
    misses(
        "E2",
        {"stress_leak": True, "bladder_change": False},
        SELF,
        None,
        GREEN,
        NONSPEC,
        (),
        ("pelvic-floor",),
    ),
    misses(
        "E2",
        {"stress_leak": True, "bladder_change": "not_sure"},
        DOCTOR,
        TODAY,
        RED,
        NONSPEC,
        ("CES-UNSURE",),
    ),
    misses("E2", {"stress_leak": True, "weeks_since_birth": 20}, CLINICIAN, WEEKS, RED, None, ("PN-2",)),
    # --- E8 narrowed: a pulsing tummy alone is not E8 (under 50 it is no rule at all).
    misses("E8", {"abdominal_pulsing": True}, SELF, None, GREEN, NONSPEC),
    misses("E8", {"age": 30, "abdominal_pulsing": True}, SELF, None, GREEN, NONSPEC),
    misses("E8", {"age": 50, "abdominal_pulsing": True}, DOCTOR, TODAY, RED, NFTB, ("T2",)),
    # --- E12
    misses("E12", {"loin_colic": True}, DOCTOR, TODAY, RED, NFTB, ("T1",)),
    misses("E12", {"fever_chills": True}, DOCTOR, H48, RED, P1, ("D5",)),
    misses("E12", {"loin_colic": True, "urine_blood_or_burning": True}, DOCTOR, TODAY, RED, NFTB, ("T1",)),
    # --- E13
    misses("E13", {"pregnant": True}, CLINICIAN, WEEKS, GREEN, PREG, ("PG-1",)),
    misses("E13", {"pregnant": True, "pregnancy_warning": False}, CLINICIAN, WEEKS, GREEN, PREG, ("PG-1",)),
    # The flow never asks the warning of someone not pregnant; the rule needs both anyway.
    misses("E13", {"pregnant": False, "pregnancy_warning": True}, SELF, None, GREEN),
    # --- E14: boundary 59 / 60; a non-smoking woman; no pulsing and no colic.
    misses("E14", {"age": 59, "sex": "male", "abdominal_pulsing": True}, DOCTOR, TODAY, RED, NFTB, ("T2",)),
    misses("E14", {"age": 59, "smoker_ever": True, "loin_colic": True}, DOCTOR, TODAY, RED, NFTB, ("T1",)),
    misses(
        "E14",
        {"age": 60, "sex": "female", "smoker_ever": False, "abdominal_pulsing": True},
        DOCTOR,
        TODAY,
        RED,
        NFTB,
        ("T2",),
    ),
    misses(
        "E14",
        {"age": 60, "sex": "female", "smoker_ever": False, "loin_colic": True},
        DOCTOR,
        TODAY,
        RED,
        NFTB,
        ("T1",),
    ),
    # Documented reading: an unanswered sex is not "sex != female" (alone, sex is unanswered here).
    misses(
        "E14", {"age": 60, "smoker_ever": False, "abdominal_pulsing": True}, DOCTOR, TODAY, RED, NFTB, ("T2",)
    ),
    misses("E14", {"age": 60, "sex": "male", "smoker_ever": True}, SELF, None, GREEN),
    # Blood in the urine is not loin colic.
    misses(
        "E14",
        {"age": 60, "sex": "male", "urine_blood_or_burning": True},
        CLINICIAN,
        WEEKS,
        GREEN,
        None,
        ("U-1",),
    ),
    # --- T1
    misses("T1", {"urine_blood_or_burning": True}, CLINICIAN, WEEKS, GREEN, NONSPEC, ("U-1",)),
    misses("T1", {"pain_not_mechanical": True}, DOCTOR, H48, RED, NFTB, ("D11",)),
    misses("T1", {"pain_not_mechanical": True, "fever_chills": True}, DOCTOR, H48, RED, P1, ("D11", "D5")),
    misses("T1", {"loin_colic": False, "urine_blood_or_burning": False}, SELF, None, GREEN),
    # --- T2: boundary 49 / 50 (a felt pulse under 50 is no rule); aaa_warning makes it E8 instead.
    misses("T2", {"age": 49, "abdominal_pulsing": True}, SELF, None, GREEN, NONSPEC),
    misses(
        "T2", {"age": 50, "abdominal_pulsing": True, "aaa_warning": True}, EMERGENCY, NOW, RED, P1, ("E8",)
    ),
    misses("T2", {"age": 70, "abdominal_pulsing": False}, SELF, None, GREEN),
    # --- T3: boundary 59 / 60; one-sided pain; a non-smoking woman; sex unanswered; mechanical pain.
    misses(
        "T3",
        {"age": 59, "sex": "male", "pain_not_mechanical": True, "pain_side": "middle"},
        DOCTOR,
        H48,
        RED,
        NFTB,
        ("D11",),
    ),
    misses(
        "T3",
        {"age": 60, "sex": "male", "pain_not_mechanical": True, "pain_side": "left"},
        DOCTOR,
        H48,
        RED,
        NFTB,
        ("D11",),
    ),
    misses(
        "T3",
        {"age": 60, "sex": "male", "pain_not_mechanical": True, "pain_side": "right"},
        DOCTOR,
        H48,
        RED,
        NFTB,
        ("D11",),
    ),
    misses(
        "T3",
        {
            "age": 60,
            "sex": "female",
            "smoker_ever": False,
            "pain_not_mechanical": True,
            "pain_side": "middle",
        },
        DOCTOR,
        H48,
        RED,
        NFTB,
        ("D11",),
    ),
    misses(
        "T3",
        {"age": 60, "smoker_ever": False, "pain_not_mechanical": True, "pain_side": "middle"},
        DOCTOR,
        H48,
        RED,
        NFTB,
        ("D11",),
    ),
    misses(
        "T3",
        {"age": 60, "sex": "male", "smoker_ever": True, "pain_not_mechanical": False, "pain_side": "middle"},
        SELF,
        None,
        GREEN,
    ),
    # --- D11
    misses("D11", {"pain_not_mechanical": False}, SELF, None, GREEN, NONSPEC),
    misses(
        "D11",
        {"pain_not_mechanical": False, "worse_bending_forward": True, "worse_sitting": True},
        SELF,
        None,
        GREEN,
    ),
    # --- U-1 does NOT fire when a T or an E rule fired.
    misses(
        "U-1",
        {"urine_blood_or_burning": True, "pain_not_mechanical": True},
        DOCTOR,
        TODAY,
        RED,
        NFTB,
        ("T1",),
    ),
    misses("U-1", {"urine_blood_or_burning": True, "fever_chills": True}, DOCTOR, TODAY, RED, P1, ("T1",)),
    misses("U-1", {"urine_blood_or_burning": True, "loin_colic": True}, DOCTOR, TODAY, RED, NFTB, ("T1",)),
    misses(
        "U-1",
        {"urine_blood_or_burning": True, "age": 50, "abdominal_pulsing": True},
        DOCTOR,
        TODAY,
        RED,
        NFTB,
        ("T2",),
    ),
    misses(
        "U-1",
        {
            "urine_blood_or_burning": True,
            "age": 60,
            "sex": "male",
            "pain_not_mechanical": True,
            "pain_side": "middle",
        },
        DOCTOR,
        TODAY,
        RED,
        NFTB,
        ("T1", "T3"),
    ),
    misses(
        "U-1", {"urine_blood_or_burning": True, "saddle_numbness": True}, EMERGENCY, NOW, RED, None, ("E1",)
    ),
    misses(
        "U-1",
        {"urine_blood_or_burning": True, "chest_pain_breathless": True},
        EMERGENCY,
        NOW,
        RED,
        P1,
        ("E9",),
    ),
    misses("U-1", {"urine_blood_or_burning": False}, SELF, None, GREEN),
    # --- BS-1: no risk factor; a smaller mileage rise; did_not_try counts as unknown; a painless hop.
    misses("BS-1", {"hop_pain": "yes"}, CLINICIAN, WEEKS, RED, NONSPEC, ("BS-2", "R7")),
    misses("BS-1", {"pain_builds_each_run": True}, SELF, None, GREEN, NONSPEC),
    misses(
        "BS-1",
        {"pain_builds_each_run": True, "weekly_distance_change": "10_to_30_percent"},
        SELF,
        None,
        GREEN,
    ),
    misses("BS-1", {"hop_pain": "did_not_try", "stress_fracture_history": True}, SELF, None, GREEN),
    misses(
        "BS-1", {"hop_pain": "did_not_try", "periods_missed": True}, CLINICIAN, WEEKS, GREEN, None, ("RED-1",)
    ),
    misses("BS-1", {"hop_pain": "no", "osteoporosis": True}, SELF, None, GREEN),
    misses("BS-1", {"hop_pain": "no", "weekly_distance_change": "over_30_percent"}, SELF, None, GREEN),
    misses("BS-1", {"pain_builds_each_run": False, "stress_fracture_history": True}, SELF, None, GREEN),
    # --- BS-2
    misses("BS-2", {"hop_pain": "no"}, SELF, None, GREEN),
    misses("BS-2", {"hop_pain": "did_not_try"}, SELF, None, GREEN),
    misses(
        "BS-2", {"hop_pain": "yes", "stress_fracture_history": True}, DOCTOR, H48, RED, BONE, ("BS-1", "R7")
    ),
    # --- RED-1: not with a BS rule; other bse_risk factors are not RED-1.
    misses(
        "RED-1", {"periods_missed": True, "pain_builds_each_run": True}, DOCTOR, H48, RED, BONE, ("BS-1",)
    ),
    misses("RED-1", {"low_energy_intake": True, "hop_pain": "yes"}, DOCTOR, H48, RED, BONE, ("BS-1", "R7")),
    misses("RED-1", {"stress_fracture_history": True}, SELF, None, GREEN),
    misses("RED-1", {"weekly_distance_change": "over_30_percent"}, SELF, None, GREEN),
    misses("RED-1", {"periods_missed": False, "low_energy_intake": False}, SELF, None, GREEN),
    # --- Y-1: boundaries age 19 / 20 and 13 / 14 days; no extension pain; duration unknown.
    misses("Y-1", {**Y1, "age": 20}, SELF, None, GREEN, NONSPEC),
    misses("Y-1", {**Y1, "duration_days": 13}, SELF, None, GREEN, NONSPEC),
    misses("Y-1", {**Y1, "worse_bending_backward": False}, SELF, None, GREEN),
    # --- Y-2: boundaries 20 / 21 days and age 19 / 20; Y-1's 14 days are not Y-2's 21.
    misses("Y-2", {"age": 19, "duration_days": 20}, SELF, None, GREEN),
    misses("Y-2", {"age": 20, "duration_days": 21}, SELF, None, GREEN),
    misses("Y-2", Y1, CLINICIAN, WEEKS, AMBER, None, ("Y-1", "A7")),
    # --- PG-1
    misses("PG-1", {"pregnant": False}, SELF, None, GREEN, NONSPEC),
    # --- PG-2: not pregnant; pregnant with non-mechanical pain (D11, not PG-2). not_from_the_back
    # outranks pregnancy_related (K.3).
    misses(
        "PG-2", {"pregnant": False, "urine_blood_or_burning": True}, CLINICIAN, WEEKS, GREEN, None, ("U-1",)
    ),
    misses("PG-2", {"pregnant": False, "fever_chills": True}, DOCTOR, H48, RED, P1, ("D5",)),
    misses("PG-2", {"pregnant": False, "loin_colic": True}, DOCTOR, TODAY, RED, NFTB, ("T1",)),
    misses("PG-2", {"pregnant": True, "pain_not_mechanical": True}, DOCTOR, H48, RED, NFTB, ("D11", "PG-1")),
    # --- PN-1: boundary 11.9 / 12 weeks.
    misses("PN-1", {"weeks_since_birth": 12}, SELF, None, GREEN),
    misses("PN-1", {"weeks_since_birth": 52}, SELF, None, GREEN),
    # --- PN-2: boundary 51 / 52 weeks; pelvic_health_cleared; no symptoms; no birth answered.
    misses(
        "PN-2", {"weeks_since_birth": 52, "stress_leak": True}, SELF, None, GREEN, None, (), ("pelvic-floor",)
    ),
    misses("PN-2", {"weeks_since_birth": 52, "pelvic_floor_symptoms": True}, SELF, None, GREEN),
    misses(
        "PN-2",
        {"weeks_since_birth": 30, "stress_leak": True, "pelvic_health_cleared": True},
        SELF,
        None,
        GREEN,
    ),
    misses(
        "PN-2",
        {"weeks_since_birth": 30, "pelvic_floor_symptoms": True, "pelvic_health_cleared": True},
        SELF,
        None,
        GREEN,
    ),
    misses(
        "PN-2",
        {"weeks_since_birth": 30, "stress_leak": False, "pelvic_floor_symptoms": False},
        SELF,
        None,
        GREEN,
    ),
    # Cleared for PN-2, but still under 12 weeks: PN-1 (R8) still says no running.
    misses(
        "PN-2",
        {"weeks_since_birth": 6, "stress_leak": True, "pelvic_health_cleared": True},
        SELF,
        None,
        RED,
        None,
        ("PN-1", "R8"),
    ),
    # --- R7: did_not_try counts as unknown.
    misses("R7", {"hop_pain": "did_not_try"}, SELF, None, GREEN),
    misses("R7", {"hop_pain": "no"}, SELF, None, GREEN),
    misses("R7", {**ALL_GREEN_RUN, "hop_pain": "did_not_try"}, SELF, None, GREEN),
    # --- R8
    misses("R8", {"weeks_since_birth": 12}, SELF, None, GREEN),
    misses(
        "R8",
        {"weeks_since_birth": 30, "pelvic_floor_symptoms": True, "pelvic_health_cleared": True},
        SELF,
        None,
        GREEN,
    ),
    # --- A7: Y-2 alone does not trigger A7; over 20 with extension pain neither.
    misses("A7", {"age": 19, "duration_days": 21}, CLINICIAN, WEEKS, GREEN, None, ("Y-2",)),
    misses("A7", {"age": 20, "worse_bending_backward": True, "duration_days": 30}, SELF, None, GREEN),
]

K_RULE_IDS = {
    "CES-UNSURE",
    "E2",
    "E8",
    "E12",
    "E13",
    "E14",
    "T1",
    "T2",
    "T3",
    "D11",
    "U-1",
    "BS-1",
    "BS-2",
    "RED-1",
    "Y-1",
    "Y-2",
    "PG-1",
    "PG-2",
    "PN-1",
    "PN-2",
    "R7",
    "R8",
    "A7",
}


def _describe(result) -> str:
    return (
        f"fired {result.rule_ids}, tier {result.urgency.code}, when {result.urgency_when!r}, "
        f"pattern {result.likely_pattern}, run {result.run_today.code}, cards {result.advice_ids}"
    )


@pytest.mark.parametrize("background", BACKGROUNDS)
@pytest.mark.parametrize(("rule_id", "answers", "tier", "when", "colour", "pattern", "cards"), FIRES)
def test_k_rule_fires_on_its_minimal_case(rule_id, answers, tier, when, colour, pattern, cards, background):
    result = triage({**background, **answers})
    got = _describe(result)
    assert rule_id in result.rule_ids, f"{rule_id} should fire on {answers}; {got}"
    assert result.urgency is tier, f"{rule_id}: tier should be {tier.code}; {got}"
    assert result.urgency_when == when, f"{rule_id}: K.1 urgency_when should be {when!r}; {got}"
    assert result.run_today is colour, f"{rule_id}: run-today should be {colour.code}; {got}"
    if pattern is not None:
        assert result.likely_pattern == pattern, f"{rule_id}: pattern should be {pattern}; {got}"
    for card in cards:
        assert card in result.advice_ids, f"{rule_id}: card {card} should be shown; {got}"


@pytest.mark.parametrize("background", BACKGROUNDS)
@pytest.mark.parametrize(
    ("rule_id", "answers", "tier", "when", "colour", "pattern", "instead", "cards"), NEAR_MISSES
)
def test_k_rule_stays_silent_on_its_near_miss(
    rule_id, answers, tier, when, colour, pattern, instead, cards, background
):
    result = triage({**background, **answers})
    got = _describe(result)
    assert rule_id not in result.rule_ids, f"{rule_id} should NOT fire on near miss {answers}; {got}"
    for other in instead:
        assert other in result.rule_ids, f"near miss of {rule_id}: {other} should fire instead; {got}"
    assert result.urgency is tier, f"near miss of {rule_id}: tier should be {tier.code}; {got}"
    assert result.urgency_when == when, f"near miss of {rule_id}: urgency_when should be {when!r}; {got}"
    assert result.run_today is colour, f"near miss of {rule_id}: run-today should be {colour.code}; {got}"
    if pattern is not None:
        assert result.likely_pattern == pattern, f"near miss of {rule_id}: pattern should be {pattern}; {got}"
    for card in cards:
        assert card in result.advice_ids, f"near miss of {rule_id}: card {card} should be shown; {got}"


def test_every_section_k_rule_has_a_firing_case_and_a_near_miss():
    assert {p.values[0] for p in FIRES} == K_RULE_IDS
    assert {p.values[0] for p in NEAR_MISSES} == K_RULE_IDS


def test_bs1_cases_cover_each_way_in_times_each_risk_factor():
    bs1 = [p.values[1] for p in FIRES if p.values[0] == "BS-1"]
    for way in BS1_WAYS_IN.values():
        for risk in BSE_RISKS.values():
            assert {**way, **risk} in bs1


# --- K.1 CES-UNSURE: "not_sure" is never read as "no" ---------------------------------------------

CES_ITEMS = ("saddle_numbness", "bladder_change", "bowel_change", "sexual_change")


@pytest.mark.parametrize("background", BACKGROUNDS)
@pytest.mark.parametrize("item", CES_ITEMS)
def test_not_sure_is_never_read_as_no(item, background):
    no = triage({**background, item: False})
    unsure = triage({**background, item: "not_sure"})
    assert "CES-UNSURE" not in no.rule_ids
    assert "CES-UNSURE" in unsure.rule_ids, f"CES-UNSURE: {item}=not_sure read as no; {_describe(unsure)}"
    assert unsure.urgency is DOCTOR and unsure.urgency_when == TODAY, f"CES-UNSURE: {_describe(unsure)}"
    # Not sure does not stop the check like an emergency answer would.
    assert not emergency_found({**background, item: "not_sure"})


@pytest.mark.parametrize("background", BACKGROUNDS)
@pytest.mark.parametrize("item", CES_ITEMS)
@pytest.mark.parametrize(
    ("more", "pattern"),
    [
        pytest.param({}, NONSPEC, id="nothing"),
        # not_sure is not a P2 item: the pregnancy pattern, not nerve_root, wins.
        pytest.param({"pregnant": True}, PREG, id="pregnant"),
        # ... and the sacroiliac pattern (P3) is not displaced by it.
        pytest.param({"pain_side": "left", "pelvis_dimple_point": True}, "sacroiliac", id="P3"),
    ],
)
def test_not_sure_is_not_a_p2_cauda_equina_item(item, more, pattern, background):
    result = triage({**background, item: "not_sure", **more})
    got = _describe(result)
    assert result.likely_pattern == pattern, f"CES-UNSURE: not_sure counted as a P2 item; {got}"
    assert "C1" not in result.rule_ids, f"CES-UNSURE: C1 needs nerve_root; {got}"


# --- K.3 pattern precedence: P1 > not_from_the_back > bone_stress > nerve_root > pregnancy_related > P3..P8

PRECEDENCE = [
    # P1 > not_from_the_back (and its control: without the P1 flag, not_from_the_back)
    pytest.param({"pain_not_mechanical": True, "weight_loss": True}, P1, id="P1>nftb:D11+weight_loss"),
    pytest.param({"loin_colic": True, "cancer_history": True}, P1, id="P1>nftb:T1+cancer"),
    pytest.param(
        {"age": 60, "sex": "male", "abdominal_pulsing": True, "aaa_warning": True}, P1, id="P1>nftb:E14+E8"
    ),
    pytest.param({"pain_not_mechanical": True}, NFTB, id="control:nftb"),
    # not_from_the_back > bone_stress
    pytest.param(
        {"pain_not_mechanical": True, "pain_builds_each_run": True, "stress_fracture_history": True},
        NFTB,
        id="nftb>bone_stress:D11+BS-1",
    ),
    pytest.param(
        {"loin_colic": True, "hop_pain": "yes", "periods_missed": True}, NFTB, id="nftb>bone_stress:T1+BS-1"
    ),
    pytest.param(
        {"pain_builds_each_run": True, "stress_fracture_history": True}, BONE, id="control:bone_stress"
    ),
    # bone_stress > nerve_root
    pytest.param(
        {"pain_builds_each_run": True, "stress_fracture_history": True, "numbness_tingling": "one_leg"},
        BONE,
        id="bone_stress>nerve_root:tingling",
    ),
    pytest.param(
        {
            "hop_pain": "yes",
            "low_energy_intake": True,
            "pain_extent": "below_knee",
            "leg_pain_side": "one_leg",
        },
        BONE,
        id="bone_stress>nerve_root:below_knee",
    ),
    pytest.param({"numbness_tingling": "one_leg"}, NERVE, id="control:nerve_root"),
    # nerve_root > pregnancy_related
    pytest.param(
        {"pregnant": True, "numbness_tingling": "one_leg"}, NERVE, id="nerve_root>pregnancy:tingling"
    ),
    pytest.param(
        {"pregnant": True, "pain_extent": "below_knee", "leg_pain_side": "one_leg"},
        NERVE,
        id="nerve_root>pregnancy:below_knee",
    ),
    pytest.param({"pregnant": True}, PREG, id="control:pregnancy"),
    # pregnancy_related > P3 ... P8
    pytest.param(
        {"pregnant": True, "pain_side": "left", "pelvis_dimple_point": True}, PREG, id="pregnancy>P3"
    ),
    pytest.param({"pain_side": "left", "pelvis_dimple_point": True}, "sacroiliac", id="control:P3"),
    pytest.param(
        {"pregnant": True, "pain_extent": "buttock", "worse_sitting": True}, PREG, id="pregnancy>P4"
    ),
    pytest.param(
        {"pregnant": True, "pain_extent": "back_only", "onset": "sudden_ouch_moment"}, PREG, id="pregnancy>P5"
    ),
    pytest.param(
        {"pregnant": True, "worse_bending_backward": True, "worse_standing": True}, PREG, id="pregnancy>P6"
    ),
    pytest.param(
        {"pregnant": True, "worse_bending_forward": True, "worse_sitting": True}, PREG, id="pregnancy>P7"
    ),
    # not_from_the_back also outranks P3 ... P8 (D11 "whatever the worse_* answers").
    pytest.param(
        {"pain_not_mechanical": True, "worse_bending_forward": True, "worse_sitting": True},
        NFTB,
        id="nftb>P7",
    ),
]


@pytest.mark.parametrize("background", BACKGROUNDS)
@pytest.mark.parametrize(("answers", "pattern"), PRECEDENCE)
def test_k3_pattern_precedence(answers, pattern, background):
    result = triage({**background, **answers})
    assert result.likely_pattern == pattern, f"K.3 precedence: expected {pattern}; {_describe(result)}"


# --- K.3 safety net: P2's trigger met but a new pattern wins ------------------------------------
#
# Reading: the CES warning card (A.8, `ces-safety-net`) is shown whenever P2's trigger is met. A6
# "also fires" under the new patterns; every reachable not_from_the_back or bone_stress result is
# doctor_soon or emergency and so red (R1), and D.2 lists amber rules only when no red rule fires, so
# what can be checked of A6 here is that running is at least amber (it is red). pregnancy_related with
# P2's trigger cannot happen: nerve_root outranks it (K.3 precedence), tested above.

SAFETY_NET = [
    pytest.param({"pain_not_mechanical": True, "numbness_tingling": "one_leg"}, NFTB, id="D11+tingling"),
    pytest.param(
        {"loin_colic": True, "pain_extent": "below_knee", "leg_pain_side": "one_leg"},
        NFTB,
        id="T1+below_knee",
    ),
    pytest.param({"age": 55, "abdominal_pulsing": True, "leg_weakness": "one_leg"}, NFTB, id="T2+weakness"),
    pytest.param(
        {"pain_builds_each_run": True, "periods_missed": True, "numbness_tingling": "one_leg"},
        BONE,
        id="BS-1+tingling",
    ),
    pytest.param(
        {
            "hop_pain": "yes",
            "stress_fracture_history": True,
            "pain_extent": "below_knee",
            "leg_pain_side": "one_leg",
        },
        BONE,
        id="BS-1+below_knee",
    ),
]


@pytest.mark.parametrize("background", BACKGROUNDS)
@pytest.mark.parametrize(("answers", "pattern"), SAFETY_NET)
def test_k3_safety_net_when_p2_trigger_is_met_under_a_new_pattern(answers, pattern, background):
    result = triage({**background, **answers})
    got = _describe(result)
    assert result.likely_pattern == pattern, f"safety net: pattern should be {pattern}; {got}"
    assert "ces-safety-net" in result.advice_ids, (
        f"safety net: P2 trigger met, CES warning card missing; {got}"
    )
    assert result.run_today >= AMBER, f"safety net: A6 means at least amber; {got}"


# --- K.5: A7 with a red result stays red ----------------------------------------------------------

A7_RED = [
    pytest.param({"pain_now": 6}, "R4", id="R4-pain_now6"),
    pytest.param({"hop_pain": "yes"}, "R7", id="R7-hop"),
    pytest.param({"weeks_since_birth": 6}, "R8", id="R8-PN-1"),
    pytest.param({"socks_shoes_difficult": True}, "R3", id="R3-socks"),
]


@pytest.mark.parametrize("background", BACKGROUNDS)
@pytest.mark.parametrize(("more", "red_rule"), A7_RED)
def test_a7_red_stays_red(more, red_rule, background):
    result = triage({**background, **Y1, **more})
    got = _describe(result)
    assert "Y-1" in result.rule_ids, f"A7: Y-1 should fire; {got}"
    assert red_rule in result.rule_ids, f"A7: {red_rule} should fire; {got}"
    assert result.run_today is RED, f"A7: 'at least amber' must not lower red; {got}"


@pytest.mark.parametrize("background", BACKGROUNDS)
def test_a7_amber_stays_amber(background):
    result = triage({**background, **Y1, "pain_now": 4})
    assert result.run_today is AMBER, f"A7: {_describe(result)}"


# --- K.5: no-routine-imaging card is not shown with Y-1 ------------------------------------------


@pytest.mark.parametrize("background", BACKGROUNDS)
@pytest.mark.parametrize(
    "more",
    [
        pytest.param({}, id="Y-1"),
        pytest.param({"duration_days": 40}, id="Y-1+Y-2"),
        pytest.param({"age": 16, "pain_extent": "back_only", "muscle_tight_spasm": True}, id="Y-1+muscular"),
        pytest.param({"worse_standing": True}, id="Y-1+facet"),
    ],
)
def test_k5_no_routine_imaging_card_not_shown_with_y1(more, background):
    result = triage({**background, **Y1, **more})
    assert "Y-1" in result.rule_ids, f"Y-1 should fire; {_describe(result)}"
    assert "no-routine-imaging" not in result.advice_ids, (
        f"K.5: imaging card shown with Y-1; {_describe(result)}"
    )


# --- K.2 cards ------------------------------------------------------------------------------------


@pytest.mark.parametrize("background", BACKGROUNDS)
@pytest.mark.parametrize(
    "answers",
    [
        pytest.param({"stress_leak": True}, id="leak"),
        pytest.param({"stress_leak": True, "weeks_since_birth": 20}, id="leak-postnatal"),
        pytest.param({"stress_leak": True, "bladder_change": True}, id="leak+E2"),
    ],
)
def test_k2_stress_leak_gives_the_pelvic_floor_card_and_never_e2_by_itself(answers, background):
    result = triage({**background, **answers})
    if answers.get("bladder_change") is True:
        assert "E2" in result.rule_ids, (
            f"K.2: stress leak + new bladder change is still E2; {_describe(result)}"
        )
    else:
        assert "E2" not in result.rule_ids and result.urgency < EMERGENCY, f"K.2: {_describe(result)}"
        assert "pelvic-floor" in result.advice_ids, f"K.2: pelvic-floor card missing; {_describe(result)}"


# --- K.1 urgency_when for section A's rules (K.1 changes A: D8 becomes "today") ----------------

A_TIMINGS = [
    pytest.param("E1", {"saddle_numbness": True}, NOW, id="E1-now"),
    pytest.param("E5", {"numbness_tingling": "both_legs"}, NOW, id="E5-now"),
    pytest.param("E7", {"trauma": "major"}, NOW, id="E7-now"),
    pytest.param("E9", {"chest_pain_breathless": True}, NOW, id="E9-now"),
    pytest.param("D1", {"trauma": "minor", "age": 65}, H48, id="D1-48h"),
    pytest.param("D3", {"cancer_history": True}, H48, id="D3-48h"),
    pytest.param("D4", {"weight_loss": True}, H48, id="D4-48h"),
    pytest.param("D5", {"fever_chills": True}, H48, id="D5-48h"),
    pytest.param("D6", {"night_pain": "constant_no_position_eases_it"}, H48, id="D6-48h"),
    pytest.param("D7", {"thoracic_pain": True}, H48, id="D7-48h"),
    pytest.param("D8", {"leg_weakness": "one_leg"}, TODAY, id="D8-today"),
    pytest.param("D9", {"infection_risk": True}, H48, id="D9-48h"),
    pytest.param("D8", {"leg_weakness": "one_leg", "weight_loss": True}, TODAY, id="D8+D4-today-wins"),
    pytest.param("C4", {"trend_week": "worse"}, WEEKS, id="C4-weeks"),
    pytest.param("C6", {"pain_now": 8}, WEEKS, id="C6-weeks"),
    pytest.param("P8", {}, None, id="self_manage-None"),
    # The soonest timing of the *winning* tier: an E rule is "now" even next to a "today" rule.
    pytest.param("E12", {"loin_colic": True, "fever_chills": True}, NOW, id="E12+T1-now"),
    pytest.param("E1", {"saddle_numbness": True, "leg_weakness": "one_leg"}, NOW, id="E1+D8-now"),
    # A 24-48h D rule wins over the C rules' 1-2 weeks.
    pytest.param("D4", {"weight_loss": True, "trend_week": "worse"}, H48, id="D4+C4-48h"),
]


@pytest.mark.parametrize("background", BACKGROUNDS)
@pytest.mark.parametrize(("rule_id", "answers", "when"), A_TIMINGS)
def test_k1_urgency_when_of_section_a_rules(rule_id, answers, when, background):
    result = triage({**background, **answers})
    assert rule_id in result.rule_ids, f"{rule_id} should fire; {_describe(result)}"
    assert result.urgency_when == when, f"K.1: {rule_id} should say {when!r}; {_describe(result)}"


# --- K.1 headlines ----------------------------------------------------------------------------------

TWENTY_FOUR_48 = re.compile(r"24\s*(?:[–—-]|to)\s*48")

TODAY_RESULTS = [
    pytest.param({"bladder_change": "not_sure"}, id="CES-UNSURE"),
    pytest.param({"leg_weakness": "one_leg"}, id="D8"),
    pytest.param({"loin_colic": True}, id="T1"),
    pytest.param({"age": 55, "abdominal_pulsing": True}, id="T2"),
    pytest.param({"age": 65, "sex": "male", "pain_not_mechanical": True, "pain_side": "middle"}, id="T3+D11"),
    pytest.param({"pregnant": True, "urine_blood_or_burning": True}, id="PG-2"),
    pytest.param({"loin_colic": True, "cancer_history": True}, id="T1+D3"),
]
H48_RESULTS = [
    pytest.param({"cancer_history": True}, id="D3"),
    pytest.param({"pain_not_mechanical": True}, id="D11"),
    pytest.param({"pain_builds_each_run": True, "stress_fracture_history": True}, id="BS-1"),
    pytest.param({"weight_loss": True, "thoracic_pain": True}, id="D4+D7"),
]


@pytest.mark.parametrize("background", BACKGROUNDS)
@pytest.mark.parametrize("answers", TODAY_RESULTS)
def test_k1_doctor_soon_today_headline_never_says_24_48_hours(answers, background):
    case = {**background, **answers}
    result = triage(case)
    report = build_check_report(result, case, "GB")
    headline = report["urgency_headline"]
    assert result.urgency is DOCTOR and result.urgency_when == TODAY, _describe(result)
    assert report["urgency_when"] == TODAY
    assert "today" in headline.lower(), f"K.1: a 'today' result must say today: {headline!r}"
    assert not TWENTY_FOUR_48.search(headline), (
        f"K.1: a 'today' result must not say 24-48 hours: {headline!r}"
    )


@pytest.mark.parametrize("background", BACKGROUNDS)
@pytest.mark.parametrize("answers", H48_RESULTS)
def test_k1_doctor_soon_24_48h_headline_says_24_48_hours(answers, background):
    case = {**background, **answers}
    result = triage(case)
    report = build_check_report(result, case, "GB")
    headline = report["urgency_headline"]
    assert result.urgency is DOCTOR and result.urgency_when == H48, _describe(result)
    assert report["urgency_when"] == H48
    assert TWENTY_FOUR_48.search(headline) and "hour" in headline.lower(), (
        f"K.1: a 24-48h result must say 'within 24-48 hours': {headline!r}"
    )


@pytest.mark.parametrize("background", BACKGROUNDS)
def test_k6_e13_headline_names_the_maternity_unit(background):
    case = {**background, "pregnant": True, "pregnancy_warning": True}
    report = build_check_report(triage(case), case, "GB")
    assert report["urgency_when"] == NOW
    assert "maternity unit" in report["urgency_headline"].lower(), (
        f"E13: 'call your maternity unit or the emergency number now': {report['urgency_headline']!r}"
    )


@pytest.mark.parametrize("background", BACKGROUNDS)
def test_k6_pg2_names_the_maternity_unit_and_today(background):
    case = {**background, "pregnant": True, "fever_chills": True}
    report = build_check_report(triage(case), case, "GB")
    said = f"{report['urgency_headline']} {report['urgency_action']}".lower()
    assert "maternity" in said, f"PG-2: 'call your maternity unit or GP today': {said!r}"
    assert "today" in report["urgency_headline"].lower()


@pytest.mark.parametrize("background", BACKGROUNDS)
def test_k7_e12_message_says_emergency_department(background):
    case = {**background, "loin_colic": True, "fever_chills": True}
    report = build_check_report(triage(case), case, "GB")
    said = f"{report['urgency_headline']} {report['urgency_action']}".lower()
    assert "emergency department" in said, f"E12: 'go to the emergency department now': {said!r}"


# --- K.7 skip logic, as seen through applicable_items -------------------------------------------

WOMAN_30 = {"age": 30, "sex": "female"}
# hop_pain's base case: every ask-if condition of K.4 holds (pain 3, not pregnant, no birth in
# 12 weeks, no osteoporosis, no E/D rule, pain does not build each run with a bone risk factor).
HOP_BASE = {"age": 30, "sex": "female", "pregnant": False, "pain_now": 3}

SKIP = [
    # smoker_ever: only at 60+.
    ("smoker_ever", {"age": 60}, True),
    ("smoker_ever", {"age": 75, "sex": "female"}, True),
    ("smoker_ever", {"age": 59}, False),
    ("smoker_ever", {"age": 30, "sex": "male"}, False),
    # pregnant / weeks_since_birth: sex != male and age 15-55.
    ("pregnant", {"age": 15, "sex": "female"}, True),
    ("pregnant", {"age": 55, "sex": "female"}, True),
    ("pregnant", {"age": 30, "sex": "other_or_prefer_not"}, True),
    ("pregnant", {"age": 14, "sex": "female"}, False),
    ("pregnant", {"age": 56, "sex": "female"}, False),
    ("pregnant", {"age": 30, "sex": "male"}, False),
    ("weeks_since_birth", {"age": 15, "sex": "female", "pregnant": False}, True),
    ("weeks_since_birth", {"age": 55, "sex": "other_or_prefer_not", "pregnant": False}, True),
    ("weeks_since_birth", {"age": 30, "sex": "female", "pregnant": True}, False),
    ("weeks_since_birth", {"age": 14, "sex": "female", "pregnant": False}, False),
    ("weeks_since_birth", {"age": 56, "sex": "female", "pregnant": False}, False),
    ("weeks_since_birth", {"age": 30, "sex": "male"}, False),
    # pregnancy_warning: only if pregnant.
    ("pregnancy_warning", {**WOMAN_30, "pregnant": True}, True),
    ("pregnancy_warning", {**WOMAN_30, "pregnant": False}, False),
    ("pregnancy_warning", {"age": 30, "sex": "male"}, False),
    # pelvic_floor_symptoms: if weeks_since_birth answered (K.6 items: sex != male, 15-55).
    ("pelvic_floor_symptoms", {**WOMAN_30, "pregnant": False, "weeks_since_birth": 20}, True),
    ("pelvic_floor_symptoms", {**WOMAN_30, "pregnant": False, "weeks_since_birth": 52}, True),
    ("pelvic_floor_symptoms", {**WOMAN_30, "pregnant": False}, False),
    ("pelvic_floor_symptoms", {"age": 30, "sex": "male"}, False),
    # pelvic_health_cleared: documented reading: asked when PN-2's other conditions hold.
    (
        "pelvic_health_cleared",
        {**WOMAN_30, "pregnant": False, "weeks_since_birth": 20, "stress_leak": True},
        True,
    ),
    (
        "pelvic_health_cleared",
        {**WOMAN_30, "pregnant": False, "weeks_since_birth": 51, "pelvic_floor_symptoms": True},
        True,
    ),
    (
        "pelvic_health_cleared",
        {
            **WOMAN_30,
            "pregnant": False,
            "weeks_since_birth": 20,
            "stress_leak": False,
            "pelvic_floor_symptoms": False,
        },
        False,
    ),
    (
        "pelvic_health_cleared",
        {**WOMAN_30, "pregnant": False, "weeks_since_birth": 52, "stress_leak": True},
        False,
    ),
    # periods_missed: sex != male, age 12-45, not pregnant, weeks_since_birth not answered.
    ("periods_missed", {**WOMAN_30, "pregnant": False}, True),
    ("periods_missed", {"age": 12, "sex": "female"}, True),
    ("periods_missed", {"age": 45, "sex": "female", "pregnant": False}, True),
    ("periods_missed", {"age": 30, "sex": "other_or_prefer_not", "pregnant": False}, True),
    ("periods_missed", {"age": 11, "sex": "female"}, False),
    ("periods_missed", {"age": 46, "sex": "female", "pregnant": False}, False),
    ("periods_missed", {"age": 30, "sex": "male"}, False),
    ("periods_missed", {**WOMAN_30, "pregnant": True}, False),
    ("periods_missed", {**WOMAN_30, "pregnant": False, "weeks_since_birth": 20}, False),
    ("periods_missed", {**WOMAN_30, "pregnant": False, "weeks_since_birth": 52}, False),
    # hop_pain: the base case and one near miss for each ask-if condition.
    ("hop_pain", HOP_BASE, True),
    ("hop_pain", {"age": 30, "sex": "male", "pain_now": 0}, True),
    ("hop_pain", {**HOP_BASE, "weeks_since_birth": 12}, True),
    ("hop_pain", {**HOP_BASE, "pain_now": 4}, False),
    ("hop_pain", {**HOP_BASE, "pregnant": True}, False),
    ("hop_pain", {**HOP_BASE, "weeks_since_birth": 11}, False),
    ("hop_pain", {**HOP_BASE, "osteoporosis": True}, False),
    ("hop_pain", {**HOP_BASE, "cancer_history": True}, False),  # D3
    ("hop_pain", {**HOP_BASE, "pain_not_mechanical": True}, False),  # D11
    # Reading: "no E or D rule" means no emergency or doctor_soon rule, as K.1 itself says
    # "other D rules" of every doctor_soon rule that is not "today" (so T1, CES-UNSURE count).
    ("hop_pain", {**HOP_BASE, "loin_colic": True}, False),  # T1
    ("hop_pain", {**HOP_BASE, "bowel_change": "not_sure"}, False),  # CES-UNSURE
    ("hop_pain", {**HOP_BASE, "chest_pain_breathless": True}, False),  # E9
    ("hop_pain", {**HOP_BASE, "pain_builds_each_run": True}, True),  # builds, no bone risk
    ("hop_pain", {**HOP_BASE, "stress_fracture_history": True}, True),  # bone risk, does not build
    ("hop_pain", {**HOP_BASE, "pain_builds_each_run": True, "stress_fracture_history": True}, False),
    # stress_leak is asked of everyone (K.2); sex of everyone (K.7, About you).
    ("stress_leak", {"age": 30, "sex": "male"}, True),
    ("stress_leak", WOMAN_30, True),
    ("sex", {"age": 70}, True),
]


def _skip_id(param: tuple) -> str:
    item, answers, asked = param
    return f"{item}-{'asked' if asked else 'skipped'}:" + ",".join(
        f"{k}={_short(v)}" for k, v in answers.items()
    )


@pytest.mark.parametrize(("item", "answers", "asked"), SKIP, ids=[_skip_id(p) for p in SKIP])
def test_k7_skip_logic(item, answers, asked):
    check_case(answers)
    items = applicable_items(answers)
    assert (item in items) is asked, f"K.7: {item} should {'' if asked else 'not '}be asked given {answers}"


@pytest.mark.parametrize("risk", BSE_RISKS.values(), ids=list(BSE_RISKS))
@pytest.mark.parametrize("pain_now", [0, 3])
def test_k4_hop_test_never_asked_when_pain_builds_each_run_with_a_bone_risk_factor(risk, pain_now):
    answers = {**HOP_BASE, "pain_now": pain_now, "pain_builds_each_run": True, **risk}
    check_case(answers)
    assert "hop_pain" not in applicable_items(answers), f"K.4: hop test asked despite builds + {risk}"
    assert next_item(answers) != "hop_pain"


@pytest.mark.parametrize("sex", ["male", "female"])
def test_k2_stress_leak_is_asked_straight_after_bladder_change(sex):
    items = applicable_items({"age": 30, "sex": sex})
    assert "bladder_change" in items and "stress_leak" in items
    assert items.index("stress_leak") == items.index("bladder_change") + 1, items


# --- K.7 any E rule (E12, E13, E14 included) stops the check; a stopped check names no pattern ---

STOPPING = [
    pytest.param({"age": 40, "sex": "male", "saddle_numbness": True}, id="E1"),
    pytest.param({"age": 40, "sex": "male", "aaa_warning": True}, id="E8"),
    pytest.param({"age": 40, "sex": "female", "loin_colic": True, "fever_chills": True}, id="E12"),
    pytest.param({"age": 30, "sex": "female", "pregnant": True, "pregnancy_warning": True}, id="E13"),
    pytest.param({"age": 66, "sex": "male", "abdominal_pulsing": True}, id="E14-man"),
    pytest.param({"age": 66, "sex": "female", "smoker_ever": True, "loin_colic": True}, id="E14-smoker"),
]


@pytest.mark.parametrize("answers", STOPPING)
def test_k7_an_e_rule_stops_the_check_at_once(answers):
    check_case(answers)
    assert emergency_found(answers), f"K.7: an E rule should stop the check: {answers}"
    assert next_item(answers) is None


@pytest.mark.parametrize("answers", STOPPING)
def test_stopped_emergency_check_names_not_assessed_and_startback_not_asked(answers):
    check_case(answers)
    result = evaluate(answers, stopped=True)
    assert result.urgency is EMERGENCY and result.urgency_when == NOW, _describe(result)
    assert result.likely_pattern == "not_assessed", f"stopped check: pattern {result.likely_pattern}"
    assert result.startback.risk == "not_asked", f"stopped check: STarT Back {result.startback.risk}"
    assert result.run_today is RED
