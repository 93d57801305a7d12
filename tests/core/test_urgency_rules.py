"""Urgency rules of spec/clinical.md section A: every E, D and C rule (A.2-A.4), SCOPE-1, the
"not sure" cauda equina answer (A.8), the combination list (A.6) and the non-flags (A.7).

Every rule has a minimal case that fires it and a near-miss that does not (spec H.7). Each case is
checked twice: with nothing else answered, and on top of a complete "all no" background (QUIET),
because the spec's conventions say unanswered yes/no and choice items count as "no".
"""

from __future__ import annotations

import pytest

from backstride.core.triage import RunToday, Urgency

from .conftest import QUIET, triage

EMERGENCY = Urgency.EMERGENCY
DOCTOR = Urgency.DOCTOR_SOON
CLINICIAN = Urgency.CLINICIAN_IF_NO_BETTER
SELF = Urgency.SELF_MANAGE
RED, AMBER, GREEN = RunToday.RED, RunToday.AMBER, RunToday.GREEN

BACKGROUNDS = [pytest.param({}, id="nothing-else"), pytest.param(QUIET, id="all-no")]

STARTBACK_TOTAL_4 = {
    "sb_leg_pain": True,
    "sb_shoulder_neck": True,
    "sb_walk_short": True,
    "sb_dress_slow": True,
}
STARTBACK_TOTAL_3 = {"sb_leg_pain": True, "sb_shoulder_neck": True, "sb_walk_short": True}
# Entry criteria met (onset age 46 - 730.5/365.25 = 44) and exactly 3 NICE NG65 features, 0 ASAS.
# trend_week = better keeps C3 (duration >= 42) out of the way.
NICE_3 = {
    "age": 46,
    "duration_days": 730.5,
    "nsaid_helps_48h": True,
    "spa_family_history": True,
    "spa_personal_history": True,
    "trend_week": "better",
}

# (rule id, minimal answers, expected tier, expected run-today colour)
FIRES = [
    ("E1", {"saddle_numbness": True}, EMERGENCY, RED),
    ("E2", {"bladder_change": True}, EMERGENCY, RED),
    ("E3", {"bowel_change": True}, EMERGENCY, RED),
    ("E4", {"sexual_change": True}, EMERGENCY, RED),
    ("E5", {"leg_pain_side": "both_legs", "pain_extent": "below_knee"}, EMERGENCY, RED),
    ("E5", {"numbness_tingling": "both_legs"}, EMERGENCY, RED),
    ("E5", {"leg_weakness": "both_legs"}, EMERGENCY, RED),
    ("E6", {"neuro_worsening": True, "numbness_tingling": "one_leg"}, EMERGENCY, RED),
    ("E6", {"neuro_worsening": True, "leg_weakness": "one_leg"}, EMERGENCY, RED),
    ("E7", {"trauma": "major"}, EMERGENCY, RED),
    ("E8", {"aaa_warning": True}, EMERGENCY, RED),
    ("E9", {"chest_pain_breathless": True}, EMERGENCY, RED),
    ("E10", {"cancer_history": True, "numbness_tingling": "one_leg"}, EMERGENCY, RED),
    ("E10", {"cancer_history": True, "leg_weakness": "one_leg"}, EMERGENCY, RED),
    ("E11", {"fever_chills": True, "leg_weakness": "one_leg"}, EMERGENCY, RED),
    ("E11", {"fever_chills": True, "numbness_tingling": "one_leg"}, EMERGENCY, RED),
    ("D1", {"trauma": "minor", "age": 65}, DOCTOR, RED),
    ("D1", {"trauma": "minor", "osteoporosis": True}, DOCTOR, RED),
    ("D1", {"trauma": "minor", "steroid_use": True}, DOCTOR, RED),
    ("D2", {"osteoporosis": True, "onset": "sudden_ouch_moment"}, DOCTOR, RED),
    ("D2", {"steroid_use": True, "onset": "sudden_ouch_moment"}, DOCTOR, RED),
    ("D3", {"cancer_history": True}, DOCTOR, RED),
    ("D4", {"weight_loss": True}, DOCTOR, RED),
    ("D5", {"fever_chills": True}, DOCTOR, RED),
    ("D6", {"night_pain": "constant_no_position_eases_it"}, DOCTOR, RED),
    ("D7", {"thoracic_pain": True}, DOCTOR, RED),
    ("D8", {"leg_weakness": "one_leg"}, DOCTOR, RED),
    ("D8", {"leg_weakness": "one_leg", "neuro_worsening": False}, DOCTOR, RED),
    ("D9", {"infection_risk": True}, DOCTOR, RED),
    ("CES-UNSURE", {"saddle_numbness": "not_sure"}, DOCTOR, RED),
    ("CES-UNSURE", {"bladder_change": "not_sure"}, DOCTOR, RED),
    ("CES-UNSURE", {"bowel_change": "not_sure"}, DOCTOR, RED),
    ("CES-UNSURE", {"sexual_change": "not_sure"}, DOCTOR, RED),
    ("C1", {"numbness_tingling": "one_leg"}, CLINICIAN, AMBER),
    ("C1", {"pain_extent": "below_knee", "leg_pain_side": "one_leg"}, CLINICIAN, AMBER),
    ("C2", {**NICE_3, "pain_extent": "buttock"}, CLINICIAN, GREEN),
    ("C3", {"duration_days": 42, "trend_week": "same"}, CLINICIAN, GREEN),
    ("C3", {"duration_days": 42, "trend_week": "worse"}, CLINICIAN, AMBER),
    ("C4", {"trend_week": "worse"}, CLINICIAN, AMBER),
    ("C5", STARTBACK_TOTAL_4, CLINICIAN, GREEN),
    ("C6", {"pain_now": 8}, CLINICIAN, RED),
    ("C7", {"age": 50, "first_episode": True, "duration_days": 28, "trend_week": "same"}, CLINICIAN, GREEN),
    ("C8", NICE_3, CLINICIAN, GREEN),
    ("SCOPE-1", {"age": 15}, CLINICIAN, GREEN),
]

# (rule id that must stay silent, near-miss answers, expected tier, expected colour)
NEAR_MISSES = [
    ("E1", {"saddle_numbness": False}, SELF, GREEN),
    ("E2", {"bladder_change": False}, SELF, GREEN),
    ("E3", {"bowel_change": False}, SELF, GREEN),
    ("E4", {"sexual_change": False}, SELF, GREEN),
    # A.6 item 6: below the knee on one side is C1, not E5.
    ("E5", {"leg_pain_side": "one_leg", "pain_extent": "below_knee"}, CLINICIAN, AMBER),
    # A.7: aching in both buttocks/thighs that stops above the knee, no numbness: not bilateral sciatica.
    ("E5", {"leg_pain_side": "both_legs", "pain_extent": "thigh"}, SELF, GREEN),
    ("E5", {"leg_pain_side": "both_legs", "pain_extent": "buttock"}, SELF, GREEN),
    ("E5", {"numbness_tingling": "one_leg"}, CLINICIAN, AMBER),
    ("E5", {"leg_weakness": "one_leg"}, DOCTOR, RED),
    ("E6", {"neuro_worsening": True}, SELF, GREEN),
    ("E6", {"neuro_worsening": True, "numbness_tingling": "none", "leg_weakness": "none"}, SELF, GREEN),
    ("E6", {"neuro_worsening": False, "numbness_tingling": "one_leg"}, CLINICIAN, AMBER),
    ("E7", {"trauma": "minor"}, SELF, GREEN),
    ("E8", {"aaa_warning": False}, SELF, GREEN),
    ("E9", {"chest_pain_breathless": False}, SELF, GREEN),
    ("E10", {"cancer_history": True}, DOCTOR, RED),
    ("E10", {"cancer_history": True, "numbness_tingling": "none", "leg_weakness": "none"}, DOCTOR, RED),
    ("E10", {"cancer_history": False, "numbness_tingling": "one_leg"}, CLINICIAN, AMBER),
    ("E11", {"fever_chills": True}, DOCTOR, RED),
    ("E11", {"fever_chills": False, "leg_weakness": "one_leg"}, DOCTOR, RED),
    ("D1", {"trauma": "minor", "age": 64}, SELF, GREEN),  # spec: age 64 vs 65 after a minor fall
    ("D1", {"age": 80}, SELF, GREEN),  # A.7 age alone
    ("D1", {"osteoporosis": True}, SELF, GREEN),  # A.6 item 2
    ("D1", {"steroid_use": True}, SELF, GREEN),
    ("D1", {"trauma": "none", "age": 70, "osteoporosis": True}, SELF, GREEN),
    ("D2", {"osteoporosis": True, "onset": "gradual"}, SELF, GREEN),
    ("D2", {"steroid_use": True, "onset": "not_sure"}, SELF, GREEN),
    ("D2", {"onset": "sudden_ouch_moment"}, SELF, GREEN),
    ("D3", {"cancer_history": False}, SELF, GREEN),
    ("D4", {"weight_loss": False}, SELF, GREEN),
    ("D5", {"fever_chills": False}, SELF, GREEN),
    ("D6", {"night_pain": "wakes_me_but_eases_when_i_get_up_and_move"}, SELF, GREEN),  # A.6 item 8
    ("D6", {"night_pain": "no_night_pain"}, SELF, GREEN),
    ("D7", {"thoracic_pain": False}, SELF, GREEN),
    ("D8", {"leg_weakness": "one_leg", "neuro_worsening": True}, EMERGENCY, RED),  # becomes E6
    ("D8", {"leg_weakness": "none"}, SELF, GREEN),
    ("D9", {"infection_risk": False}, SELF, GREEN),
    ("CES-UNSURE", {"saddle_numbness": False, "bladder_change": False}, SELF, GREEN),
    # C1 needs "no E/D rule firing": one-leg weakness is D8 (nerve_root pattern, but no C1).
    ("C1", {"leg_weakness": "one_leg"}, DOCTOR, RED),
    ("C1", {"numbness_tingling": "one_leg", "bladder_change": "not_sure"}, DOCTOR, RED),
    ("C1", {"numbness_tingling": "both_legs"}, EMERGENCY, RED),
    ("C1", {"pain_extent": "thigh", "leg_pain_side": "one_leg"}, SELF, GREEN),
    ("C2", NICE_3, CLINICIAN, GREEN),  # 3 NICE features: C8, not C2
    ("C3", {"duration_days": 41, "trend_week": "same"}, SELF, GREEN),
    ("C3", {"duration_days": 42, "trend_week": "better"}, SELF, GREEN),
    ("C4", {"trend_week": "same"}, SELF, GREEN),
    ("C4", {"trend_week": "better"}, SELF, GREEN),
    ("C5", STARTBACK_TOTAL_3, SELF, GREEN),  # STarT total 3 vs 4
    ("C6", {"pain_now": 7}, SELF, RED),
    ("C7", {"age": 49, "first_episode": True, "duration_days": 28, "trend_week": "same"}, SELF, GREEN),
    ("C7", {"age": 50, "first_episode": False, "duration_days": 28, "trend_week": "same"}, SELF, GREEN),
    ("C7", {"age": 50, "first_episode": True, "duration_days": 27, "trend_week": "same"}, SELF, GREEN),
    ("C7", {"age": 50, "first_episode": True, "duration_days": 28, "trend_week": "better"}, SELF, GREEN),
    ("C8", {**NICE_3, "spa_personal_history": False}, SELF, GREEN),  # only 2 NICE features
    ("C8", {**NICE_3, "pain_extent": "buttock"}, CLINICIAN, GREEN),  # 4 features: IBP-1 met, C2
    ("SCOPE-1", {"age": 16}, SELF, GREEN),
]


def _case_id(param: tuple) -> str:
    rule_id, answers, *_ = param
    return f"{rule_id}-" + "-".join(f"{k}={v}" for k, v in answers.items())


@pytest.mark.parametrize("background", BACKGROUNDS)
@pytest.mark.parametrize(("rule_id", "answers", "tier", "colour"), FIRES, ids=[_case_id(p) for p in FIRES])
def test_rule_fires_on_its_minimal_case(rule_id, answers, tier, colour, background):
    result = triage({**background, **answers})
    assert rule_id in result.rule_ids
    assert result.urgency is tier
    assert result.run_today is colour


@pytest.mark.parametrize("background", BACKGROUNDS)
@pytest.mark.parametrize(
    ("rule_id", "answers", "tier", "colour"), NEAR_MISSES, ids=[_case_id(p) for p in NEAR_MISSES]
)
def test_rule_stays_silent_on_its_near_miss(rule_id, answers, tier, colour, background):
    result = triage({**background, **answers})
    assert rule_id not in result.rule_ids
    assert result.urgency is tier
    assert result.run_today is colour


def test_every_spec_rule_id_has_a_firing_case_and_a_near_miss():
    spec_ids = {
        *(f"E{n}" for n in range(1, 12)),
        *(f"D{n}" for n in range(1, 10)),
        *(f"C{n}" for n in range(1, 9)),
        "SCOPE-1",
        "CES-UNSURE",
    }
    assert {p[0] for p in FIRES} == spec_ids
    assert {p[0] for p in NEAR_MISSES} == spec_ids


def test_nothing_answered_is_self_manage_green_nonspecific():
    result = triage({})
    assert result.urgency is SELF
    assert result.run_today is GREEN
    assert result.likely_pattern == "nonspecific"
    assert result.red_flags == ()


def test_quiet_background_fires_nothing():
    result = triage(QUIET)
    assert result.urgency is SELF
    assert result.run_today is GREEN
    assert result.rule_ids == ("P8",)


@pytest.mark.parametrize(
    ("tier", "code"),
    [
        (EMERGENCY, "emergency"),
        (DOCTOR, "doctor_soon"),
        (CLINICIAN, "clinician_if_no_better"),
        (SELF, "self_manage"),
    ],
)
def test_tier_codes_are_the_spec_codes(tier, code):
    assert tier.code == code


def test_tiers_are_ordered():
    assert SELF < CLINICIAN < DOCTOR < EMERGENCY


def test_highest_tier_wins():
    result = triage(aaa_warning=True, weight_loss=True, pain_now=9, trend_week="worse")
    assert {"E8", "D4", "C6", "C4"} <= set(result.rule_ids)
    assert result.urgency is EMERGENCY


def test_doctor_tier_beats_clinician_tier():
    result = triage(weight_loss=True, duration_days=60, trend_week="worse", **STARTBACK_TOTAL_4)
    assert {"D4", "C3", "C4", "C5"} <= set(result.rule_ids)
    assert result.urgency is DOCTOR


def test_red_flags_lists_e_and_d_rules_and_ces_unsure_only():
    result = triage(
        thoracic_pain=True,
        sexual_change="not_sure",
        pain_now=9,
        trend_week="worse",
    )
    assert set(result.red_flags) == {"D7", "CES-UNSURE"}
    # K.1: CES-UNSURE is a "not sure" with no E rule; with an emergency it is not listed.
    emergency = triage(chest_pain_breathless=True, thoracic_pain=True, sexual_change="not_sure")
    assert set(emergency.red_flags) == {"E9", "D7"}


def test_unanswered_trend_does_not_fire_c3_or_c7():
    """C3/C7 "trend_week != better" with trend_week unanswered: the rules do not fire.

    Resolution of a conflict (see test_properties): the brief said an unanswered trend counts as
    not better, but then answering "better" later would lower the tier, and the spec says nothing
    can lower a tier. The engine now reads "!= better" as "same or worse", which keeps the tier
    monotone; the flows always ask the trend.
    """
    unanswered = triage(age=60, first_episode=True, duration_days=50)
    assert not {"C3", "C7"} & set(unanswered.rule_ids)
    assert unanswered.urgency is SELF
    for trend in ("same", "worse"):
        answered = triage(age=60, first_episode=True, duration_days=50, trend_week=trend)
        assert {"C3", "C7"} <= set(answered.rule_ids)
        assert answered.urgency is CLINICIAN
    better = triage(age=60, first_episode=True, duration_days=50, trend_week="better")
    assert not {"C3", "C7"} & set(better.rule_ids)


def test_unknown_numbers_do_not_fire_rules_that_need_them():
    """Conventions: an unanswered number/scale is unknown and a rule that needs it does not fire."""
    result = triage(trauma="minor", first_episode=True)  # no age: no D1, no C7, no SCOPE-1
    assert not {"D1", "C7", "SCOPE-1", "C3", "C6"} & set(result.rule_ids)
    assert result.urgency is SELF


# --- A.6 combinations that escalate, one by one ----------------------------------------------


def test_a6_1_minor_fall_alone_no_flag_with_risk_factor_d1():
    alone = triage(trauma="minor", age=40)
    assert alone.urgency is SELF and alone.red_flags == ()
    for risk in ({"age": 65}, {"osteoporosis": True}, {"steroid_use": True}):
        result = triage(trauma="minor", **risk)
        assert "D1" in result.rule_ids and result.urgency is DOCTOR


def test_a6_2_steroids_or_osteoporosis_alone_no_flag_with_sudden_onset_d2():
    for risk in ({"osteoporosis": True}, {"steroid_use": True}):
        alone = triage(risk)
        assert alone.urgency is SELF and alone.red_flags == ()
        result = triage(risk, onset="sudden_ouch_moment")
        assert "D2" in result.rule_ids and result.urgency is DOCTOR


@pytest.mark.parametrize("neuro", [{"numbness_tingling": "one_leg"}, {"leg_weakness": "one_leg"}])
def test_a6_3_past_cancer_d3_with_leg_neuro_e10(neuro):
    alone = triage(cancer_history=True)
    assert alone.red_flags == ("D3",) and alone.urgency is DOCTOR
    result = triage(neuro, cancer_history=True)
    assert "E10" in result.rule_ids and result.urgency is EMERGENCY


@pytest.mark.parametrize("neuro", [{"numbness_tingling": "one_leg"}, {"leg_weakness": "one_leg"}])
def test_a6_4_fever_d5_with_leg_neuro_e11(neuro):
    alone = triage(fever_chills=True)
    assert alone.red_flags == ("D5",) and alone.urgency is DOCTOR
    result = triage(neuro, fever_chills=True)
    assert "E11" in result.rule_ids and result.urgency is EMERGENCY


def test_a6_5_one_leg_weakness_d8_worsening_e6_both_legs_e5():
    one = triage(leg_weakness="one_leg")
    assert one.red_flags == ("D8",) and one.urgency is DOCTOR
    worse = triage(leg_weakness="one_leg", neuro_worsening=True)
    assert "E6" in worse.rule_ids and worse.urgency is EMERGENCY
    both = triage(leg_weakness="both_legs")
    assert "E5" in both.rule_ids and both.urgency is EMERGENCY


def test_a6_6_one_side_c1_both_sides_e5():
    below_one = triage(pain_extent="below_knee", leg_pain_side="one_leg")
    assert "C1" in below_one.rule_ids and below_one.urgency is CLINICIAN and below_one.red_flags == ()
    below_both = triage(pain_extent="below_knee", leg_pain_side="both_legs")
    assert "E5" in below_both.rule_ids and below_both.urgency is EMERGENCY
    tingle_one = triage(numbness_tingling="one_leg")
    assert "C1" in tingle_one.rule_ids and tingle_one.urgency is CLINICIAN and tingle_one.red_flags == ()
    tingle_both = triage(numbness_tingling="both_legs")
    assert "E5" in tingle_both.rule_ids and tingle_both.urgency is EMERGENCY


@pytest.mark.parametrize(
    ("extra", "rule_id"),
    [
        ({"weight_loss": True}, "D4"),
        ({"cancer_history": True}, "D3"),
        ({"night_pain": "constant_no_position_eases_it"}, "D6"),
        ({"fever_chills": True}, "D5"),
    ],
)
def test_a6_7_age_50_alone_nothing_with_first_episode_c7_with_flags_d(extra, rule_id):
    alone = triage(age=50)
    assert alone.urgency is SELF and alone.rule_ids == ("P8",)
    c7 = triage(age=50, first_episode=True, duration_days=28, trend_week="same")
    assert "C7" in c7.rule_ids and c7.urgency is CLINICIAN
    flagged = triage(extra, age=50)
    assert rule_id in flagged.rule_ids and flagged.urgency is DOCTOR


def test_a6_8_night_pain_that_eases_is_not_a_flag_but_counts_for_ibp_constant_is_d6():
    eases = {"night_pain": "wakes_me_but_eases_when_i_get_up_and_move"}
    alone = triage(eases)
    assert alone.urgency is SELF and alone.red_flags == ()
    # more than 3 months of pain that began before 45: it counts toward both IBP-1 counts
    base = {"age": 40, "duration_days": 200, "trend_week": "better"}
    without, with_it = triage(base), triage(base, **eases)
    assert with_it.inflammatory.entry_met
    assert with_it.inflammatory.nice_count == without.inflammatory.nice_count + 1
    assert with_it.inflammatory.asas_count == without.inflammatory.asas_count + 1
    constant = triage(night_pain="constant_no_position_eases_it")
    assert "D6" in constant.rule_ids and constant.urgency is DOCTOR


E_AND_D_CASES = [p for p in FIRES if p[0][0] in "ED" or p[0] == "CES-UNSURE"]


@pytest.mark.parametrize(
    ("rule_id", "answers", "tier", "colour"), E_AND_D_CASES, ids=[_case_id(p) for p in E_AND_D_CASES]
)
def test_a6_9_any_e_or_d_rule_forces_run_red_via_r1(rule_id, answers, tier, colour):
    # with everything else pointing to green
    result = triage({**QUIET, **answers})
    assert result.run_today is RED
    assert "R1" in result.rule_ids


# --- A.7 alarming-looking but not red flags ---------------------------------------------------


def test_a7_severe_pain_with_spasm_after_ouch_is_c6_only():
    result = triage(pain_now=8, muscle_tight_spasm=True, onset="sudden_ouch_moment", pain_extent="back_only")
    assert result.urgency is CLINICIAN
    assert result.red_flags == ()
    assert [r.rule_id for r in result.urgency_rules] == ["C6"]
    assert result.likely_pattern == "muscular"
    assert result.run_today is RED  # pain_now >= 6 (R4), not R1
    assert "R1" not in result.rule_ids


def test_a7_socks_difficult_is_run_red_but_not_a_red_flag():
    result = triage(socks_shoes_difficult=True)
    assert result.run_today is RED
    assert "R3" in result.rule_ids
    assert result.red_flags == ()
    assert result.urgency is SELF


@pytest.mark.parametrize("extent", ["buttock", "thigh"])
def test_a7_both_buttocks_or_thighs_above_knee_without_numbness_is_not_e5(extent):
    result = triage(
        pain_extent=extent, leg_pain_side="both_legs", numbness_tingling="none", leg_weakness="none"
    )
    assert "E5" not in result.rule_ids
    assert result.red_flags == ()
    assert result.urgency is SELF


def test_a7_cough_sneeze_is_used_only_for_patterns():
    alone = triage(worse_cough_sneeze=True)
    assert alone.urgency is SELF and alone.red_flags == ()
    disc = triage(worse_cough_sneeze=True, pain_extent="buttock")
    assert disc.likely_pattern == "disc" and disc.urgency is SELF


def test_a7_morning_stiffness_alone():
    result = triage(morning_stiffness_over_30min=True)
    assert result.urgency is SELF
    assert result.rule_ids == ("P8",)


@pytest.mark.parametrize("age", [16, 35, 50, 65, 80, 120])
def test_a7_age_alone(age):
    result = triage(age=age)
    assert result.urgency is SELF
    assert result.red_flags == ()


def test_a7_one_sided_sciatica_with_tingling_normal_strength_and_bladder_is_c1():
    result = triage(
        pain_extent="below_knee",
        leg_pain_side="one_leg",
        leg_vs_back="leg_worse",
        numbness_tingling="one_leg",
        leg_weakness="none",
        bladder_change=False,
    )
    assert result.urgency is CLINICIAN
    assert [r.rule_id for r in result.urgency_rules] == ["C1"]
    assert result.red_flags == ()
