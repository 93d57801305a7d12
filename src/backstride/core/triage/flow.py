"""Which question comes next (spec H.2 skip logic, H.3 stop early on an emergency).

The order puts every item an E rule reads first, so an emergency is found as early as possible.
The flow is a pure function of the answers so far: the CLI and the web ask the same questions.
"""

from __future__ import annotations

from collections.abc import Callable

from .model import Answer, Answers, Urgency
from .rules import SERIOUS_FLAG_RULES, run_urgency_rules

SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Safety questions",
        (
            "saddle_numbness",
            "bladder_change",
            "bowel_change",
            "sexual_change",
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
        ),
    ),
    (
        "About you and this episode",
        (
            "age",
            "duration_days",
            "first_episode",
            "onset",
            "osteoporosis",
            "steroid_use",
            "weight_loss",
            "infection_risk",
            "thoracic_pain",
            "night_pain",
        ),
    ),
    (
        "Your pain",
        (
            "pain_side",
            "pelvis_dimple_point",
            "leg_vs_back",
            "worse_bending_forward",
            "worse_bending_backward",
            "worse_twisting",
            "worse_sitting",
            "worse_standing",
            "worse_cough_sneeze",
            "muscle_tight_spasm",
            "worse_uphill",
            "worse_downhill",
            "morning_stiffness_over_30min",
        ),
    ),
    (
        "Inflammatory back pain check",
        (
            "improves_with_movement",
            "not_better_with_rest",
            "nsaid_helps_48h",
            "spa_personal_history",
            "spa_family_history",
        ),
    ),
    (
        "Today and your last run",
        (
            "socks_shoes_difficult",
            "pain_now",
            "ran_since_onset",
            "pain_before_last_run",
            "pain_during_last_run",
            "pain_after_last_run",
            "pain_next_morning",
            "trend_week",
        ),
    ),
    ("Your training", ("weekly_distance_change", "terrain_change", "shoe_km", "sitting_hours")),
    (
        "STarT Back (Keele University)",
        (
            "sb_leg_pain",
            "sb_shoulder_neck",
            "sb_walk_short",
            "sb_dress_slow",
            "sb_unsafe_active",
            "sb_worry",
            "sb_never_better",
            "sb_no_enjoy",
            "sb_bothersome",
        ),
    ),
)

ORDER: tuple[str, ...] = tuple(item for _, items in SECTIONS for item in items)
SECTION_OF: dict[str, str] = {item: title for title, items in SECTIONS for item in items}


def _leg_neuro(a: Answers) -> bool:
    return a.get("numbness_tingling") not in (None, "none") or a.get("leg_weakness") not in (None, "none")


def _pain_spreads(a: Answers) -> bool:
    return a.get("pain_extent") not in (None, "back_only")


def inflammatory_gate(a: Answers) -> bool:
    """Spec H.2: ask the inflammatory block when IBP entry criteria hold or stiffness > 30 min."""
    if a.get("morning_stiffness_over_30min") is True:
        return True
    age, days = a.get("age"), a.get("duration_days")
    if isinstance(age, int | float) and isinstance(days, int | float):
        return days > 90 and age - days / 365.25 < 45
    return False


INFLAMMATORY_BLOCK = SECTIONS[3][1]
LAST_RUN_RATINGS = (
    "pain_before_last_run",
    "pain_during_last_run",
    "pain_after_last_run",
    "pain_next_morning",
)

CONDITIONS: dict[str, Callable[[Answers], bool]] = {
    "neuro_worsening": _leg_neuro,
    "leg_pain_side": _pain_spreads,
    "leg_vs_back": _pain_spreads,
    "pelvis_dimple_point": lambda a: a.get("pain_side") in ("left", "right"),
    **{item: inflammatory_gate for item in INFLAMMATORY_BLOCK},
    **{item: (lambda a: a.get("ran_since_onset") is True) for item in LAST_RUN_RATINGS},
}


def is_applicable(item_id: str, answers: Answers) -> bool:
    condition = CONDITIONS.get(item_id)
    return condition is None or condition(answers)


def applicable_items(answers: Answers) -> list[str]:
    """The items that would be asked given these answers, in asking order."""
    return [item for item in ORDER if is_applicable(item, answers)]


def emergency_found(answers: Answers) -> bool:
    """True as soon as any E rule fires on the answers so far: the check stops there."""
    return any(
        rule.outcome == Urgency.EMERGENCY.code for rule in run_urgency_rules(SERIOUS_FLAG_RULES, answers)
    )


def next_item(answers: Answers, asked: set[str] | frozenset[str] = frozenset()) -> str | None:
    """The next item to ask, or None when done or when an emergency answer stops the check.

    `asked` holds items already shown (answered or skipped with "don't know"), so a skipped
    number is not asked again; an answered item counts as asked too.
    """
    if emergency_found(answers):
        return None
    for item in applicable_items(answers):
        if item not in answers and item not in asked:
            return item
    return None


def progress(answers: Answers, asked: set[str] | frozenset[str] = frozenset()) -> tuple[int, int]:
    """(questions done, questions in total on the current path)."""
    path = applicable_items(answers)
    done = sum(1 for item in path if item in answers or item in asked)
    return done, len(path)


def prune(answers: Answers) -> dict[str, Answer]:
    """Drop answers to questions that no longer apply (after the person went back and changed
    an earlier answer), so the result never rests on a question that was skipped."""
    return {key: value for key, value in answers.items() if key not in ORDER or is_applicable(key, answers)}
