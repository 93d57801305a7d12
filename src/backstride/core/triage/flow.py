"""Which question comes next (spec H.2 and K.7 skip logic, H.3 stop early on an emergency).

The order puts every item an E rule reads first (age and sex included: E13 and E14 read them), so an
emergency is found as early as possible.
The flow is a pure function of the answers so far: the CLI and the web ask the same questions.
"""

from __future__ import annotations

from collections.abc import Callable

from .model import Answer, Answers, FiredRule, Urgency
from .rules import SERIOUS_FLAG_RULES, View, bone_stress_risk, run_urgency_rules

SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    # Age and sex come first: the aneurysm (E14) and pregnancy (E13) emergencies read them, and
    # they decide which of the questions below apply (spec K.7).
    ("About you", ("age", "sex", "smoker_ever", "pregnant", "pregnancy_warning")),
    (
        "Safety questions",
        (
            "saddle_numbness",
            "bladder_change",
            "stress_leak",  # K.2: straight after bladder_change
            "bowel_change",
            "sexual_change",
            "pain_extent",
            "leg_pain_side",
            "numbness_tingling",
            "leg_weakness",
            "neuro_worsening",
            "trauma",
            "pain_not_mechanical",
            "loin_colic",
            "urine_blood_or_burning",
            "abdominal_pulsing",
            "aaa_warning",
            "chest_pain_breathless",
            "cancer_history",
            "fever_chills",
        ),
    ),
    ("After giving birth", ("weeks_since_birth", "pelvic_floor_symptoms", "pelvic_health_cleared")),
    (
        "About this episode",
        (
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
    # shoe_km is not asked: the shoe tracker knows it (services/checks.py fills it in when a shoe is
    # tracked), and the check stays within K.7's budget of added questions. Answer files may give it.
    ("Your training", ("weekly_distance_change", "terrain_change", "sitting_hours")),
    (
        # K.4: stress_fracture_history feeds only BS-1, so it is asked once the pain builds with each
        # run or hopping hurt; when the pain builds, it comes before the hop so that nobody with a
        # likely bone stress injury is asked to hop.
        "Bones and energy",
        (
            "pain_builds_each_run",
            "periods_missed",
            "low_energy_intake",
            "stress_fracture_history",
            "hop_pain",
        ),
    ),
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


INFLAMMATORY_BLOCK: tuple[str, ...] = dict(SECTIONS)["Inflammatory back pain check"]
LAST_RUN_RATINGS = (
    "pain_before_last_run",
    "pain_during_last_run",
    "pain_after_last_run",
    "pain_next_morning",
)


def _age_between(a: Answers, low: float, high: float) -> bool:
    """An unknown age counts as in range: when in doubt, ask (the question is cheap, a miss is not)."""
    age = a.get("age")
    return not isinstance(age, int | float) or isinstance(age, bool) or low <= age <= high


def _age_at_least(a: Answers, low: float) -> bool:
    return _age_between(a, low, float("inf"))


def _may_be_female(a: Answers) -> bool:
    return a.get("sex") != "male"


def _may_be_pregnant(a: Answers) -> bool:
    """K.6: asked if sex != male and age 15-55."""
    return _may_be_female(a) and _age_between(a, 15, 55)


def _after_birth(a: Answers) -> bool:
    return _may_be_pregnant(a) and a.get("pregnant") is not True


def _periods_asked(a: Answers) -> bool:
    """K.4: sex != male, age 12-45, not pregnant, and no birth in the last year."""
    return (
        _may_be_female(a)
        and _age_between(a, 12, 45)
        and a.get("pregnant") is not True
        and a.get("weeks_since_birth") is None
    )


def _pelvic_floor_unclear(a: Answers) -> bool:
    """K.6 pelvic_health_cleared: asked when PN-2's other conditions hold (the app's reading of
    "PN-2 fired at an earlier check": whoever PN-2 would stop from running is asked whether a pelvic
    health physiotherapist has already cleared them)."""
    weeks = a.get("weeks_since_birth")
    return (
        isinstance(weeks, int | float)
        and weeks < 52
        and (a.get("pelvic_floor_symptoms") is True or a.get("stress_leak") is True)
    )


def _bone_stress_asked(a: Answers) -> bool:
    """stress_fracture_history only feeds BS-1, which needs the pain to build with runs or a
    painful hop."""
    return a.get("pain_builds_each_run") is True or a.get("hop_pain") == "yes"


def _hop_test_safe(a: Answers) -> bool:
    """K.4: ask for the hop test only when pain now is 3/10 or less, not pregnant, not under 12
    weeks after birth, no osteoporosis, no E or D rule so far, and not already a likely bone stress
    injury (the pain builds with each run and a bone risk factor is present)."""
    pain = a.get("pain_now")
    weeks = a.get("weeks_since_birth")
    if not isinstance(pain, int) or isinstance(pain, bool) or pain > 3:
        return False
    if a.get("pregnant") is True or a.get("osteoporosis") is True:
        return False
    if isinstance(weeks, int | float) and weeks < 12:
        return False
    if any(rule.outcome in (Urgency.EMERGENCY.code, Urgency.DOCTOR_SOON.code) for rule in _serious(a)):
        return False
    v = View(a)
    return not (v.yes("pain_builds_each_run") and bone_stress_risk(v))


def _serious(a: Answers) -> list[FiredRule]:
    return run_urgency_rules(SERIOUS_FLAG_RULES, a)


CONDITIONS: dict[str, Callable[[Answers], bool]] = {
    "smoker_ever": lambda a: _age_at_least(a, 60),
    "pregnant": _may_be_pregnant,
    "pregnancy_warning": lambda a: a.get("pregnant") is True,
    "neuro_worsening": _leg_neuro,
    "leg_pain_side": _pain_spreads,
    "leg_vs_back": _pain_spreads,
    # Under 50 a felt pulse is usually the normal aorta: no rule reads it (K.3 T2, E14).
    "abdominal_pulsing": lambda a: _age_at_least(a, 50),
    "weeks_since_birth": _after_birth,
    "pelvic_floor_symptoms": lambda a: a.get("weeks_since_birth") is not None,
    "pelvic_health_cleared": _pelvic_floor_unclear,
    # first_episode is read only by C7 (age 50 and over).
    "first_episode": lambda a: _age_at_least(a, 50),
    "pelvis_dimple_point": lambda a: a.get("pain_side") in ("left", "right"),
    **{item: inflammatory_gate for item in INFLAMMATORY_BLOCK},
    **{item: (lambda a: a.get("ran_since_onset") is True) for item in LAST_RUN_RATINGS},
    # Sitting hours earn the break-up-sitting advice; asked when sitting makes the pain worse (the
    # diary records sitting every day).
    "sitting_hours": lambda a: a.get("worse_sitting") is True,
    "periods_missed": _periods_asked,
    "stress_fracture_history": _bone_stress_asked,
    "hop_pain": _hop_test_safe,
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
