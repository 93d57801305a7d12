"""Question flow: E-rule items first (spec H.2), stop early on an emergency (H.3), skip logic (H.2
plus the design decisions on leg_pain_side, leg_vs_back and pelvis_dimple_point), progress.
Section K's skip logic (K.7) is tested in test_flow_section_k.py."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from backstride.core.triage import applicable_items, emergency_found, evaluate, next_item, progress

from .conftest import (
    CES_ITEMS,
    E_RULE_ITEMS,
    INFLAMMATORY_BLOCK,
    ITEM_IDS,
    LAST_RUN_RATINGS,
    STARTBACK_ITEMS,
    minimal_answer,
)

GATED = {
    "neuro_worsening",
    "leg_pain_side",
    "leg_vs_back",
    "pelvis_dimple_point",
    *INFLAMMATORY_BLOCK,
    *LAST_RUN_RATINGS,
    # Section K.7 (and this app's trims), skipped on the minimal path: a 30-year-old woman, not
    # pregnant, 52 weeks after a birth, no symptoms, pain 0.
    "smoker_ever",  # age 60+
    "pregnancy_warning",  # pregnant
    "abdominal_pulsing",  # age 50+
    "pelvic_health_cleared",  # pelvic floor symptoms or a leak within 52 weeks of a birth
    "first_episode",  # age 50+ (only C7 reads it)
    "sitting_hours",  # worse when sitting
    "periods_missed",  # no birth in the last year
    "stress_fracture_history",  # the pain builds with each run, or hopping hurt
    "shoe_km",  # never asked: filled in from the shoe tracker when a shoe is tracked
}
# The items asked before anything else: About you and the safety questions (spec H.2, K.7).
SAFETY_BLOCK = E_RULE_ITEMS | {"stress_leak", "pain_not_mechanical", "urine_blood_or_burning"}


def walk(overrides: dict[str, object] | None = None, answer: Callable[[str], object] = minimal_answer):
    """Answer every question next_item asks (overrides first, else the minimal answer).
    Returns (answers, the asked items in order)."""
    overrides = overrides or {}
    answers: dict[str, object] = {}
    asked: list[str] = []
    for _ in range(len(ITEM_IDS) + 1):
        item = next_item(answers)
        if item is None:
            return answers, asked
        assert item not in answers
        asked.append(item)
        answers[item] = overrides[item] if item in overrides else answer(item)
    raise AssertionError("the flow did not end within len(questionnaire) questions")


def test_first_question_is_age_and_the_cauda_equina_items_follow_about_you():
    assert next_item({}) == "age"
    _, asked = walk({"sex": "male"})
    assert asked[:3] == ["age", "sex", "saddle_numbness"]


def test_every_item_is_in_the_flow():
    common = {
        "pain_extent": "below_knee",
        "numbness_tingling": "one_leg",
        "pain_side": "left",
        "morning_stiffness_over_30min": True,
        "ran_since_onset": True,
        "worse_sitting": True,
        "pain_now": 2,
    }
    runners = [
        {**common, "age": 65, "sex": "male"},  # smoking, a pulsing tummy, first episode
        {**common, "age": 30, "sex": "female", "pregnant": True},  # the pregnancy warning signs
        {
            **common,
            "age": 30,
            "sex": "female",
            "weeks_since_birth": 20,
            "stress_leak": True,
            "hop_pain": "yes",
        },
        {**common, "age": 30, "sex": "female"},  # periods
    ]
    asked = set().union(*(applicable_items(runner) for runner in runners))
    assert sorted(asked) == sorted(set(ITEM_IDS) - {"shoe_km"})  # shoe km comes from the shoe tracker


def test_emergency_stop_right_after_saddle_numbness():
    answers: dict[str, object] = {}
    while (item := next_item(answers)) != "saddle_numbness":
        assert item is not None
        answers[item] = False
    answers["saddle_numbness"] = True
    assert emergency_found(answers)
    assert next_item(answers) is None
    assert evaluate(answers).urgency.code == "emergency"


def test_saddle_numbness_no_continues():
    answers, asked = walk({"saddle_numbness": False})
    assert asked == applicable_items(answers) and len(asked) == 59  # every item that applies, in order


@pytest.mark.parametrize("item_id", CES_ITEMS)
def test_not_sure_does_not_stop_the_check(item_id):
    answers, asked = walk({item_id: "not_sure"})
    assert not emergency_found(answers)
    assert asked[-len(STARTBACK_ITEMS) :] == list(STARTBACK_ITEMS)
    assert evaluate(answers).urgency.code == "doctor_soon"


def test_e5_stops_when_the_second_of_its_two_answers_arrives():
    answers = {"age": 30, "sex": "male", "stress_leak": False, **{item: False for item in CES_ITEMS}}
    assert next_item(answers) == "pain_extent"
    answers["pain_extent"] = "below_knee"
    assert not emergency_found(answers)
    assert next_item(answers) == "leg_pain_side"
    answers["leg_pain_side"] = "both_legs"
    assert emergency_found(answers)
    assert next_item(answers) is None


def test_e5_one_leg_below_knee_does_not_stop():
    answers = {
        "age": 30,
        **{item: False for item in CES_ITEMS},
        "pain_extent": "below_knee",
        "leg_pain_side": "one_leg",
    }
    assert not emergency_found(answers)
    assert next_item(answers) is not None


@pytest.mark.parametrize(
    ("trigger", "value"),
    [
        ("numbness_tingling", "both_legs"),
        ("leg_weakness", "both_legs"),
        ("trauma", "major"),
        ("aaa_warning", True),
        ("chest_pain_breathless", True),
        ("bladder_change", True),
        ("bowel_change", True),
        ("sexual_change", True),
    ],
)
def test_each_single_answer_emergency_stops_the_flow(trigger, value):
    answers, asked = walk({trigger: value})
    assert asked[-1] == trigger
    assert emergency_found(answers)
    assert set(asked) <= SAFETY_BLOCK


@pytest.mark.parametrize(
    ("overrides", "last"),
    [
        ({"numbness_tingling": "one_leg", "neuro_worsening": True}, "neuro_worsening"),
        ({"leg_weakness": "one_leg", "cancer_history": True}, "cancer_history"),
        ({"numbness_tingling": "one_leg", "fever_chills": True}, "fever_chills"),
    ],
)
def test_two_answer_emergencies_stop_on_the_second(overrides, last):
    answers, asked = walk(overrides)
    assert asked[-1] == last
    assert emergency_found(answers)


def test_e_rule_items_are_asked_first():
    overrides = {
        "age": 65,  # opens smoker_ever and abdominal_pulsing (E14)
        "sex": "female",
        "pain_extent": "below_knee",
        "leg_pain_side": "one_leg",
        "numbness_tingling": "one_leg",
    }
    _, asked = walk(overrides)
    first = asked[: len(SAFETY_BLOCK) - 2]
    # Every E-rule item but the pregnancy ones (age 65), including the gated leg_pain_side and
    # neuro_worsening, comes in the first block, mixed only with K's safety-block items.
    assert set(first) == SAFETY_BLOCK - {"pregnant", "pregnancy_warning"}


def test_e_rule_items_come_before_all_others_on_a_no_path():
    _, asked = walk()
    e_positions = [i for i, item in enumerate(asked) if item in SAFETY_BLOCK]
    assert e_positions == list(range(len(e_positions)))


def test_full_no_path_asks_startback_last_and_ends():
    answers, asked = walk()
    assert asked[-len(STARTBACK_ITEMS) :] == list(STARTBACK_ITEMS)
    assert len(asked) == len(set(asked)) <= len(ITEM_IDS)
    assert not emergency_found(answers)
    assert next_item(answers) is None
    result = evaluate(answers)
    assert result.urgency.code == "self_manage"


def test_full_no_path_skips_the_gated_items():
    _, asked = walk({"pain_side": "middle"})
    assert not GATED & set(asked)
    assert len(asked) == len(ITEM_IDS) - len(GATED)


# --- skip logic -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("neuro", "asked"),
    [
        ({"numbness_tingling": "none", "leg_weakness": "none"}, False),
        ({"numbness_tingling": "one_leg", "leg_weakness": "none"}, True),
        ({"numbness_tingling": "none", "leg_weakness": "one_leg"}, True),
    ],
)
def test_neuro_worsening_only_with_leg_numbness_or_weakness(neuro, asked):
    _, order = walk(neuro)
    assert ("neuro_worsening" in order) is asked
    if asked:
        assert order.index("neuro_worsening") == order.index("leg_weakness") + 1


@pytest.mark.parametrize(("ran", "asked"), [(True, True), (False, False)])
def test_last_run_ratings_only_if_ran_since_onset(ran, asked):
    _, order = walk({"ran_since_onset": ran})
    for item in LAST_RUN_RATINGS:
        assert (item in order) is asked
    assert "trend_week" in order  # the weekly trend is for everyone (C3, C4, C7)
    if asked:
        start = order.index("ran_since_onset") + 1
        assert order[start : start + len(LAST_RUN_RATINGS)] == list(LAST_RUN_RATINGS)


@pytest.mark.parametrize(
    ("answers", "asked"),
    [
        ({"age": 40, "duration_days": 91}, True),  # entry criteria
        ({"age": 40, "duration_days": 90}, False),  # 90 days is not more than 3 months
        ({"age": 45.9, "duration_days": 365.25}, True),  # onset 44.9
        ({"age": 46, "duration_days": 365.25}, False),  # onset 45
        ({"age": 60, "duration_days": 10, "morning_stiffness_over_30min": True}, True),  # stiffness
        ({"age": 60, "duration_days": 10, "morning_stiffness_over_30min": False}, False),
        ({"morning_stiffness_over_30min": True}, True),
    ],
)
def test_inflammatory_block_gate(answers, asked):
    _, order = walk(answers)
    for item in INFLAMMATORY_BLOCK:
        assert (item in order) is asked
    for item in INFLAMMATORY_BLOCK:
        assert (item in applicable_items(answers)) is asked


@pytest.mark.parametrize(
    ("extent", "asked"), [("back_only", False), ("buttock", True), ("thigh", True), ("below_knee", True)]
)
def test_leg_questions_only_when_pain_spreads(extent, asked):
    _, order = walk({"pain_extent": extent})
    assert ("leg_pain_side" in order) is asked
    assert ("leg_vs_back" in order) is asked


@pytest.mark.parametrize(
    ("side", "asked"), [("left", True), ("right", True), ("both_sides", False), ("middle", False)]
)
def test_pelvis_dimple_only_for_one_sided_pain(side, asked):
    _, order = walk({"pain_side": side})
    assert ("pelvis_dimple_point" in order) is asked


def test_asked_items_are_not_asked_again():
    answers = {"age": 30, "sex": "male", "stress_leak": False, **{item: False for item in CES_ITEMS}}
    assert next_item(answers) == "pain_extent"
    assert next_item(answers, asked={"pain_extent"}) != "pain_extent"


def test_next_item_never_returns_an_answered_item():
    answers: dict[str, object] = {}
    seen = set()
    while (item := next_item(answers)) is not None:
        assert item not in seen
        seen.add(item)
        answers[item] = minimal_answer(item)


# --- progress ---------------------------------------------------------------------------------


# Before any answer: an unknown age or sex counts as "may apply" (ask rather than miss), so only the
# items that wait for a specific answer are off the path.
GATED_AT_START = {
    "neuro_worsening",
    "leg_pain_side",
    "leg_vs_back",
    "pelvis_dimple_point",
    *INFLAMMATORY_BLOCK,
    *LAST_RUN_RATINGS,
    "pregnancy_warning",
    "pelvic_floor_symptoms",
    "pelvic_health_cleared",
    "sitting_hours",
    "stress_fracture_history",
    "hop_pain",  # needs pain now of 3/10 or less
    "shoe_km",
}


def test_progress_at_start():
    assert progress({}) == (0, len(ITEM_IDS) - len(GATED_AT_START))


def test_progress_counts_answers_and_grows_with_opened_questions():
    answers: dict[str, object] = {"saddle_numbness": False}
    base_total = len(ITEM_IDS) - len(GATED_AT_START)
    assert progress(answers) == (1, base_total)
    answers["pain_extent"] = "thigh"  # opens leg_pain_side and leg_vs_back
    assert progress(answers) == (2, base_total + 2)
    answers["numbness_tingling"] = "one_leg"  # opens neuro_worsening
    assert progress(answers) == (3, base_total + 3)
    answers["ran_since_onset"] = True  # opens the four last-run ratings
    assert progress(answers) == (4, base_total + 7)
    answers["morning_stiffness_over_30min"] = True  # opens the inflammatory block
    answers["pain_side"] = "right"  # opens pelvis_dimple_point
    assert progress(answers) == (6, base_total + 7 + len(INFLAMMATORY_BLOCK) + 1)


def test_progress_counts_skipped_items_as_done():
    done, total = progress({}, asked={"age", "duration_days"})
    assert (done, total) == (2, len(ITEM_IDS) - len(GATED_AT_START))


def test_progress_ignores_answers_to_questions_not_on_the_path():
    # leg_vs_back was answered, then pain_extent changed to back_only
    done, _ = progress({"pain_extent": "back_only", "leg_vs_back": "leg_worse"})
    assert done == 1


def test_progress_at_the_end_of_a_full_walk():
    answers, asked = walk()
    assert progress(answers) == (len(asked), len(asked))


# --- the length of a typical path (spec K.7: at most 5 more answers for a man, 10 for a woman 15-55) ---

# The typical path (tests/cases.py SELF_MANAGE: 34, one-sided "ouch" spasm, ran since, pain 2) was
# 55 questions before section K (measured on commit f651829).
PATH_BEFORE_SECTION_K = 55


def _typical(sex: str) -> dict[str, object]:
    from tests.cases import SELF_MANAGE

    return {
        **SELF_MANAGE,
        "sex": sex,
        "stress_leak": False,
        "pregnant": False,
        "periods_missed": False,
        "pain_builds_each_run": False,
        "low_energy_intake": False,
        "hop_pain": "no",
    }


@pytest.mark.parametrize(("sex", "budget"), [("male", 5), ("female", 10)])
def test_a_typical_path_grows_within_the_section_k_budget(sex, budget):
    answers, asked = walk(_typical(sex), answer=lambda item: None)  # "not in the last year" for a birth
    assert not emergency_found(answers)
    assert len(asked) - PATH_BEFORE_SECTION_K <= budget, asked
    assert len(asked) - PATH_BEFORE_SECTION_K == {"male": 5, "female": 8}[sex]  # the README states these
