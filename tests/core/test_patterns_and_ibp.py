"""Likely pattern (spec E.1, first matching rule wins) and the inflammatory screen (spec A.5:
IBP-1 entry criteria, NICE NG65 and ASAS counts, C2 and C8), plus the A.8 safety net."""

from __future__ import annotations

import pytest

from backstride.core.triage import RunToday, Urgency, evaluate

from .conftest import QUIET, triage

SPF_CASES = [
    {"trauma": "major"},
    {"trauma": "minor", "age": 65},  # FX-1
    {"trauma": "minor", "osteoporosis": True},  # FX-1
    {"steroid_use": True, "onset": "sudden_ouch_moment"},  # FX-2
    {"cancer_history": True},
    {"weight_loss": True},
    {"fever_chills": True},
    {"infection_risk": True},
    {"night_pain": "constant_no_position_eases_it"},
    {"thoracic_pain": True},
    {"aaa_warning": True},
    {"chest_pain_breathless": True},
]

# IBP-1 met through the NICE route: onset age 44 (entry met), 4 NICE features, 0 ASAS features.
IBP_NICE_4 = {
    "age": 46,
    "duration_days": 730.5,
    "pain_extent": "buttock",
    "nsaid_helps_48h": True,
    "spa_family_history": True,
    "spa_personal_history": True,
    "trend_week": "better",
}

# (expected rule, expected pattern, answers)
PATTERN_CASES = [
    *[("P1", "bone_or_serious", case) for case in SPF_CASES],
    ("P1", "bone_or_serious", IBP_NICE_4),
    ("P2", "nerve_root", {"pain_extent": "below_knee"}),
    ("P2", "nerve_root", {"numbness_tingling": "one_leg"}),
    ("P2", "nerve_root", {"numbness_tingling": "both_legs"}),
    ("P2", "nerve_root", {"leg_weakness": "one_leg"}),
    ("P2", "nerve_root", {"leg_weakness": "both_legs"}),
    ("P2", "nerve_root", {"saddle_numbness": True}),
    ("P2", "nerve_root", {"bladder_change": True}),
    ("P2", "nerve_root", {"bowel_change": True}),
    ("P2", "nerve_root", {"sexual_change": True}),
    ("P3", "sacroiliac", {"pain_side": "left", "pelvis_dimple_point": True}),
    ("P3", "sacroiliac", {"pain_side": "right", "pelvis_dimple_point": True, "pain_extent": "thigh"}),
    ("P4", "disc", {"pain_extent": "buttock", "worse_bending_forward": True}),
    ("P4", "disc", {"pain_extent": "thigh", "worse_sitting": True}),
    ("P4", "disc", {"pain_extent": "buttock", "worse_cough_sneeze": True}),
    ("P5", "muscular", {"pain_extent": "back_only", "onset": "sudden_ouch_moment"}),
    ("P5", "muscular", {"pain_extent": "back_only", "muscle_tight_spasm": True}),
    ("P6", "facet", {"worse_bending_backward": True, "worse_standing": True}),
    ("P6", "facet", {"worse_bending_backward": True, "worse_twisting": True}),
    ("P6", "facet", {"worse_bending_backward": True, "worse_downhill": True}),
    ("P6", "facet", {"worse_bending_backward": True, "worse_standing": True, "pain_extent": "back_only"}),
    ("P7", "disc", {"worse_bending_forward": True, "worse_sitting": True}),
    ("P7", "disc", {"worse_bending_forward": True, "worse_sitting": True, "pain_extent": "back_only"}),
    ("P8", "nonspecific", {}),
    # near-misses of each rule fall through to P8
    ("P8", "nonspecific", {"trauma": "minor", "age": 64}),
    ("P8", "nonspecific", {"osteoporosis": True, "steroid_use": True}),
    ("P8", "nonspecific", {"night_pain": "wakes_me_but_eases_when_i_get_up_and_move"}),
    ("P8", "nonspecific", {"pain_extent": "thigh", "leg_pain_side": "both_legs"}),
    ("P8", "nonspecific", {"numbness_tingling": "none", "leg_weakness": "none", "neuro_worsening": True}),
    ("P8", "nonspecific", {"pain_side": "both_sides", "pelvis_dimple_point": True}),
    ("P8", "nonspecific", {"pain_side": "middle", "pelvis_dimple_point": True}),
    ("P8", "nonspecific", {"pain_side": "left", "pelvis_dimple_point": False}),
    ("P8", "nonspecific", {"pain_extent": "buttock"}),
    ("P8", "nonspecific", {"pain_extent": "back_only", "worse_cough_sneeze": True}),
    ("P8", "nonspecific", {"pain_extent": "buttock", "muscle_tight_spasm": True}),
    ("P8", "nonspecific", {"pain_extent": "back_only", "onset": "gradual"}),
    ("P8", "nonspecific", {"muscle_tight_spasm": True}),  # pain_extent unanswered is not back_only
    ("P8", "nonspecific", {"worse_bending_backward": True}),
    ("P8", "nonspecific", {"worse_standing": True, "worse_twisting": True, "worse_downhill": True}),
    ("P8", "nonspecific", {"worse_bending_forward": True}),
    ("P8", "nonspecific", {"worse_sitting": True}),
    ("P8", "nonspecific", {"morning_stiffness_over_30min": True}),
    ("P8", "nonspecific", QUIET),
    # precedence: first match wins
    ("P1", "bone_or_serious", {"cancer_history": True, "numbness_tingling": "one_leg"}),
    ("P1", "bone_or_serious", {"weight_loss": True, "pain_extent": "below_knee"}),
    ("P1", "bone_or_serious", {**IBP_NICE_4, "numbness_tingling": "one_leg"}),
    ("P2", "nerve_root", {"pain_extent": "thigh", "worse_sitting": True, "numbness_tingling": "one_leg"}),
    ("P2", "nerve_root", {"pain_side": "left", "pelvis_dimple_point": True, "pain_extent": "below_knee"}),
    ("P2", "nerve_root", {"pain_extent": "back_only", "muscle_tight_spasm": True, "leg_weakness": "one_leg"}),
    (
        "P3",
        "sacroiliac",
        {"pain_side": "left", "pelvis_dimple_point": True, "pain_extent": "buttock", "worse_sitting": True},
    ),
    (
        "P3",
        "sacroiliac",
        {
            "pain_side": "right",
            "pelvis_dimple_point": True,
            "pain_extent": "back_only",
            "onset": "sudden_ouch_moment",
        },
    ),
    (
        "P4",
        "disc",
        {
            "pain_extent": "buttock",
            "worse_sitting": True,
            "worse_bending_backward": True,
            "worse_standing": True,
        },
    ),
    ("P4", "disc", {"pain_extent": "thigh", "worse_bending_forward": True, "worse_sitting": True}),
    (
        "P5",
        "muscular",
        {
            "pain_extent": "back_only",
            "muscle_tight_spasm": True,
            "worse_bending_backward": True,
            "worse_twisting": True,
        },
    ),
    (
        "P5",
        "muscular",
        {
            "pain_extent": "back_only",
            "onset": "sudden_ouch_moment",
            "worse_bending_forward": True,
            "worse_sitting": True,
        },
    ),
    (
        "P7",
        "disc",
        {
            "worse_bending_backward": True,
            "worse_bending_forward": True,
            "worse_standing": True,
            "worse_sitting": True,
        },
    ),
    (
        "P8",
        "nonspecific",
        {"worse_bending_backward": True, "worse_bending_forward": True, "worse_standing": True},
    ),
]


@pytest.mark.parametrize(("rule_id", "pattern", "answers"), PATTERN_CASES)
def test_pattern_first_match_wins(rule_id, pattern, answers):
    result = triage(answers)
    assert result.pattern_rule == rule_id
    assert result.likely_pattern == pattern
    pattern_rules = [r for r in result.rule_ids if r.startswith("P") and r[1:].isdigit()]
    assert pattern_rules == [rule_id]  # exactly one P rule is listed


def test_every_pattern_rule_has_a_case():
    assert {case[0] for case in PATTERN_CASES} == {f"P{n}" for n in range(1, 9)}


@pytest.mark.parametrize(
    "answers",
    [
        {"saddle_numbness": True},
        {"numbness_tingling": "both_legs"},
        {"neuro_worsening": True, "leg_weakness": "one_leg"},
    ],
)
def test_cauda_equina_and_neural_emergencies_are_nerve_root_not_bone_or_serious(answers):
    """E.1: cauda equina sits under nerve_root; its urgency comes from the E rules."""
    result = triage(answers)
    assert result.likely_pattern == "nerve_root"
    assert result.urgency is Urgency.EMERGENCY
    assert "C1" not in result.rule_ids  # C1 only when no E/D rule fires


def test_nerve_root_pattern_without_flags_is_c1_and_run_amber_a6():
    result = triage(numbness_tingling="one_leg", pain_now=0)
    assert result.likely_pattern == "nerve_root"
    assert "C1" in result.rule_ids and "A6" in result.rule_ids
    assert result.run_today is RunToday.AMBER


# --- A.8 safety net -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "pattern"),
    [
        ({"numbness_tingling": "one_leg"}, "nerve_root"),
        ({"pain_extent": "below_knee", "leg_pain_side": "one_leg"}, "nerve_root"),
        ({"leg_weakness": "one_leg"}, "nerve_root"),  # nerve_root with D8: still shown
        ({"pain_extent": "buttock", "worse_sitting": True}, "disc"),  # P4
        ({"worse_bending_forward": True, "worse_sitting": True}, "disc"),  # P7
    ],
)
def test_a8_leg_pain_patterns_get_the_ces_safety_net(answers, pattern):
    result = triage(answers)
    assert result.likely_pattern == pattern
    assert "ces-safety-net" in result.advice_ids


@pytest.mark.parametrize(
    "answers",
    [
        {"numbness_tingling": "one_leg", "infection_risk": True},  # P1 masks the nerve-root picture
        {"cancer_history": True, "pain_extent": "below_knee"},
        {"weight_loss": True},  # doctor_soon: its advice points to the warning list
    ],
)
def test_safety_net_list_is_shown_when_a_serious_flag_masks_leg_symptoms(answers):
    assert "ces-safety-net" in evaluate(answers).advice_ids


# --- A.5 inflammatory back pain (IBP-1) ------------------------------------------------------


def _entry(age: float, days: float) -> dict:
    return {"age": age, "duration_days": days, "trend_week": "better"}


# four NICE features that do not depend on the onset age
NICE_FEATURES_4 = {
    "pain_extent": "buttock",
    "nsaid_helps_48h": True,
    "spa_family_history": True,
    "spa_personal_history": True,
}


@pytest.mark.parametrize(("days", "met"), [(91, True), (90, False), (90.5, True)])
def test_ibp_entry_needs_more_than_90_days(days, met):
    result = triage(_entry(30, days), **NICE_FEATURES_4)
    assert result.inflammatory.entry_met is met
    assert ("IBP-1" in result.rule_ids) is met
    assert ("C2" in result.rule_ids) is met
    assert "C8" not in result.rule_ids
    assert result.urgency is (Urgency.CLINICIAN_IF_NO_BETTER if met else Urgency.SELF_MANAGE)
    assert (result.likely_pattern == "bone_or_serious") is met


@pytest.mark.parametrize(("age", "met"), [(45.9, True), (46, False)])
def test_ibp_entry_needs_onset_before_45(age, met):
    """Onset age = age - duration_days / 365.25: 45.9 - 1 = 44.9 (met) vs 46 - 1 = 45 (not met)."""
    result = triage(_entry(age, 365.25), **NICE_FEATURES_4)
    assert result.inflammatory.onset_age == pytest.approx(age - 1)
    assert result.inflammatory.entry_met is met
    assert ("IBP-1" in result.rule_ids) is met
    assert ("C2" in result.rule_ids) is met


def test_ibp_entry_unknown_without_age_or_duration():
    for answers in ({"duration_days": 400}, {"age": 30}):
        result = triage(answers, **NICE_FEATURES_4, trend_week="better")
        assert not result.inflammatory.entry_met
        assert "IBP-1" not in result.rule_ids


NICE_ONLY_FEATURES = [
    {"pain_extent": "buttock"},
    {"pain_extent": "thigh"},
    {"pain_extent": "below_knee"},
    {"nsaid_helps_48h": True},
    {"spa_family_history": True},
    {"spa_personal_history": True},
]
ASAS_ONLY_FEATURES = [{"onset": "gradual"}, {"not_better_with_rest": True}]
BOTH_FEATURES = [
    {"improves_with_movement": True},
    {"night_pain": "wakes_me_but_eases_when_i_get_up_and_move"},
]


@pytest.mark.parametrize("feature", NICE_ONLY_FEATURES + ASAS_ONLY_FEATURES + BOTH_FEATURES)
def test_each_inflammatory_feature_counts_once_in_the_right_count(feature):
    base = _entry(46, 730.5)  # onset 44: neither onset feature
    before = triage(base).inflammatory
    after = triage(base, **feature).inflammatory
    assert (before.nice_count, before.asas_count) == (0, 0)
    assert after.nice_count == (1 if feature in NICE_ONLY_FEATURES + BOTH_FEATURES else 0)
    assert after.asas_count == (1 if feature in ASAS_ONLY_FEATURES + BOTH_FEATURES else 0)


@pytest.mark.parametrize(
    ("age", "nice", "asas"),
    [(46, 0, 0), (41, 0, 0), (40.9, 0, 1), (36, 0, 1), (35.9, 1, 1), (20, 1, 1)],
)
def test_onset_age_features(age, nice, asas):
    """NICE: onset before 35; ASAS: onset before 40 (duration 365.25 days, onset = age - 1)."""
    screen = triage(_entry(age, 365.25)).inflammatory
    assert (screen.nice_count, screen.asas_count) == (nice, asas)


@pytest.mark.parametrize(
    "answers",
    [
        {"pain_extent": "back_only"},
        {"onset": "sudden_ouch_moment"},
        {"onset": "not_sure"},
        {"night_pain": "no_night_pain"},
        {"night_pain": "constant_no_position_eases_it"},
        {"morning_stiffness_over_30min": True},  # A.5: opens the block but is not scored
        {"improves_with_movement": False, "not_better_with_rest": False, "nsaid_helps_48h": False},
    ],
)
def test_non_features_do_not_count(answers):
    screen = triage(_entry(46, 730.5), **answers).inflammatory
    assert (screen.nice_count, screen.asas_count) == (0, 0)


def test_ibp_met_through_nice_route_only():
    result = triage(_entry(46, 730.5), **NICE_FEATURES_4)
    assert (result.inflammatory.nice_count, result.inflammatory.asas_count) == (4, 0)
    assert result.inflammatory.met
    assert {"IBP-1", "C2"} <= set(result.rule_ids)
    assert result.likely_pattern == "bone_or_serious"
    assert result.pattern_rule == "P1"
    assert result.urgency is Urgency.CLINICIAN_IF_NO_BETTER
    assert result.run_today is RunToday.GREEN  # A.5: running not restricted on this basis
    assert result.red_flags == ()


ASAS_4 = {"onset": "gradual", "improves_with_movement": True, "not_better_with_rest": True}


def test_ibp_met_through_asas_route_only():
    # onset 38: ASAS onset < 40, not NICE onset < 35
    result = triage(_entry(39, 365.25), **ASAS_4)
    assert (result.inflammatory.nice_count, result.inflammatory.asas_count) == (1, 4)
    assert result.inflammatory.met
    assert {"IBP-1", "C2"} <= set(result.rule_ids)
    assert "C8" not in result.rule_ids
    assert result.likely_pattern == "bone_or_serious"
    assert result.urgency is Urgency.CLINICIAN_IF_NO_BETTER


def test_asas_3_nice_1_is_neither_met_nor_borderline():
    result = triage(_entry(39, 365.25), onset="gradual", improves_with_movement=True)
    assert (result.inflammatory.nice_count, result.inflammatory.asas_count) == (1, 3)
    assert not result.inflammatory.met and not result.inflammatory.borderline
    assert not {"IBP-1", "C2", "C8"} & set(result.rule_ids)
    assert result.urgency is Urgency.SELF_MANAGE


def test_ibp_features_without_entry_criteria_do_nothing():
    # onset about 44.5, but only 60 days of pain
    result = triage(_entry(44.7, 60), **NICE_FEATURES_4, **ASAS_4)
    assert not result.inflammatory.entry_met
    assert not {"IBP-1", "C2", "C8"} & set(result.rule_ids)
    assert result.likely_pattern == "nonspecific"  # not P1: IBP-1 is not met


def test_c8_borderline_exactly_three_nice_features():
    three = {"nsaid_helps_48h": True, "spa_family_history": True, "spa_personal_history": True}
    result = triage(_entry(46, 730.5), **three)
    assert result.inflammatory.nice_count == 3
    assert result.inflammatory.borderline and not result.inflammatory.met
    assert "C8" in result.rule_ids
    assert not {"IBP-1", "C2"} & set(result.rule_ids)
    assert result.urgency is Urgency.CLINICIAN_IF_NO_BETTER
    assert result.likely_pattern == "nonspecific"  # borderline does not make the pattern P1


def test_c8_not_with_two_features_or_without_entry():
    two = triage(_entry(46, 730.5), nsaid_helps_48h=True, spa_family_history=True)
    assert two.inflammatory.nice_count == 2 and "C8" not in two.rule_ids
    three_no_entry = triage(
        _entry(46, 90), nsaid_helps_48h=True, spa_family_history=True, spa_personal_history=True
    )
    assert three_no_entry.inflammatory.nice_count == 3
    assert not three_no_entry.inflammatory.entry_met
    assert "C8" not in three_no_entry.rule_ids


def test_nice_3_with_asas_4_is_met_not_borderline():
    # onset 38 (ASAS only), gradual, improves (both), not better with rest, nsaid + family (NICE)
    result = triage(_entry(39, 365.25), **ASAS_4, nsaid_helps_48h=True, spa_family_history=True)
    assert (result.inflammatory.nice_count, result.inflammatory.asas_count) == (3, 4)
    assert result.inflammatory.met and not result.inflammatory.borderline
    assert "C2" in result.rule_ids and "C8" not in result.rule_ids


def test_morning_stiffness_is_not_scored():
    base = {**_entry(46, 730.5), "nsaid_helps_48h": True, "spa_family_history": True}
    without, with_it = triage(base), triage(base, morning_stiffness_over_30min=True)
    assert (without.inflammatory.nice_count, without.inflammatory.asas_count) == (
        with_it.inflammatory.nice_count,
        with_it.inflammatory.asas_count,
    )
    assert without.urgency is with_it.urgency
