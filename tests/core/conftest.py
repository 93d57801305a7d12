"""Shared helpers for the triage tests, written from spec/clinical.md and spec/questionnaire.json.

The helpers here read the questionnaire JSON themselves and check every test case against it
(ids, answer types, choices) without going through the engine's own validator, so a typo in a
test case fails loudly instead of silently testing "unanswered".
"""

from __future__ import annotations

import json
from pathlib import Path

from backstride.core.triage import evaluate

REPO = Path(__file__).resolve().parents[2]
PACKAGED_QUESTIONNAIRE = REPO / "src" / "backstride" / "knowledge" / "questionnaire.json"
SPEC_QUESTIONNAIRE = REPO.parent / "shared" / "spec" / "questionnaire.json"

QUESTIONNAIRE: list[dict] = json.loads(PACKAGED_QUESTIONNAIRE.read_text("utf-8"))
ITEMS: dict[str, dict] = {item["id"]: item for item in QUESTIONNAIRE}
ITEM_IDS: tuple[str, ...] = tuple(ITEMS)

# Spec A.2 E1-E4 (cauda equina); the UX suggestion of A.8 adds a "not_sure" answer to these four.
CES_ITEMS = ("saddle_numbness", "bladder_change", "bowel_change", "sexual_change")

# Every item an E rule reads (spec A.2, and K: E12 loin_colic with fever, E13 pregnancy_warning,
# E14 age, sex, smoking, a pulsing tummy or loin colic). Spec H.2: asked first, in the safety block.
E_RULE_ITEMS = frozenset(
    {
        *CES_ITEMS,
        "age",
        "sex",
        "smoker_ever",
        "pregnant",
        "pregnancy_warning",
        "loin_colic",
        "abdominal_pulsing",
        "pain_extent",
        "leg_pain_side",
        "numbness_tingling",
        "leg_weakness",
        "neuro_worsening",
        "trauma",
        "aaa_warning",
        "chest_pain_breathless",
        "cancer_history",
        "fever_chills",
    }
)

STARTBACK_ITEMS = (
    "sb_leg_pain",
    "sb_shoulder_neck",
    "sb_walk_short",
    "sb_dress_slow",
    "sb_unsafe_active",
    "sb_worry",
    "sb_never_better",
    "sb_no_enjoy",
    "sb_bothersome",
)
STARTBACK_SUBSCALE = ("sb_unsafe_active", "sb_worry", "sb_never_better", "sb_no_enjoy", "sb_bothersome")

INFLAMMATORY_BLOCK = (
    "improves_with_movement",
    "not_better_with_rest",
    "nsaid_helps_48h",
    "spa_personal_history",
    "spa_family_history",
)
LAST_RUN_RATINGS = (
    "pain_before_last_run",
    "pain_during_last_run",
    "pain_after_last_run",
    "pain_next_morning",
)

NUMBER_RANGES = {
    "age": (0, 120),
    "duration_days": (0, 36_500),
    "shoe_km": (0, 20_000),
    "sitting_hours": (0, 24),
    "weeks_since_birth": (0, 52),
}

# A complete, unremarkable background: every item answered "no" or with a harmless value.
# Chosen so that no rule of sections A, D or E fires (onset "not_sure" keeps the ASAS count at 0).
QUIET: dict[str, object] = {
    **{item_id: False for item_id, item in ITEMS.items() if item["type"] == "yes_no"},
    "age": 30,
    "duration_days": 10,
    "shoe_km": 100,
    "sitting_hours": 2,
    "onset": "not_sure",
    "trauma": "none",
    "pain_side": "middle",
    "pain_extent": "back_only",
    "leg_pain_side": "none",
    "leg_vs_back": "no_leg_pain",
    "night_pain": "no_night_pain",
    "numbness_tingling": "none",
    "leg_weakness": "none",
    "pain_now": 0,
    "trend_week": "same",
    "weekly_distance_change": "less_or_same",
    "sb_bothersome": "not_at_all",
    # Section K: a woman, 52 weeks after a birth (past PN-1 and PN-2), whose hop was painless.
    "sex": "female",
    "weeks_since_birth": 52,
    "hop_pain": "no",
}


def check_case(answers: dict[str, object]) -> None:
    """Fail if a test case uses an id or a value that questionnaire.json does not allow."""
    for item_id, value in answers.items():
        assert item_id in ITEMS, f"test case uses unknown item id {item_id!r}"
        kind = ITEMS[item_id]["type"]
        if kind == "yes_no":
            ok = isinstance(value, bool) or value in ITEMS[item_id].get("also_accepts", ())
        elif kind == "scale_0_10":
            ok = type(value) is int and 0 <= value <= 10
        elif kind == "number":
            low, high = NUMBER_RANGES[item_id]
            ok = isinstance(value, int | float) and not isinstance(value, bool) and low <= value <= high
        else:
            ok = value in ITEMS[item_id]["choices"]
        assert ok, f"test case value {value!r} is not allowed for {item_id} ({kind})"


def triage(answers: dict[str, object] | None = None, **more: object):
    """evaluate() on a test case, after checking the case against the questionnaire."""
    case = {**(answers or {}), **more}
    check_case(case)
    return evaluate(case)


def minimal_answer(item_id: str) -> object:
    """The "no"/minimal answer used to walk the whole questionnaire without firing anything."""
    item = ITEMS[item_id]
    if item["type"] == "yes_no":
        return False
    if item["type"] == "scale_0_10":
        return 0
    if item["type"] == "number":
        # 52 weeks since birth: answered, but past the year in which PN-1 and PN-2 apply.
        return {"age": 30, "duration_days": 10, "shoe_km": 100, "sitting_hours": 2, "weeks_since_birth": 52}[
            item_id
        ]
    if item_id == "hop_pain":
        return "no"  # its first choice, "yes", fires R7 and BS-2
    return item["choices"][0]  # no other first choice fires a rule on its own (e.g. "none", "back_only")
