"""The triage rules of spec/clinical.md, one predicate per rule id.

Conventions (spec, "Conventions"): an unanswered yes/no or choice item counts as "no"/absent; an
unanswered number or scale is unknown, and a rule that needs it does not fire. The rule ids and
their outcomes are the spec's; the lay texts and sources for each id live in knowledge/rules.yaml.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .answers import CES_ITEMS, NOT_SURE
from .model import Answer, Answers, FiredRule, InflammatoryScreen, StartBackScore, Urgency


class View:
    """Read answers the way the spec's conventions say, and remember which ones were read."""

    def __init__(self, answers: Answers):
        self._answers = answers
        self.used: dict[str, Answer] = {}

    def _read(self, item_id: str) -> Answer | None:
        value = self._answers.get(item_id)
        if value is not None:
            self.used[item_id] = value
        return value

    def yes(self, item_id: str) -> bool:
        return self._read(item_id) is True

    def no(self, item_id: str) -> bool:
        """Answered "no" (an unanswered item is neither yes nor no here)."""
        return self._read(item_id) is False

    def choice(self, item_id: str) -> str | None:
        value = self._read(item_id)
        return value if isinstance(value, str) else None

    def number(self, item_id: str) -> float | None:
        value = self._read(item_id)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        return value

    def is_(self, item_id: str, *choices: str) -> bool:
        return self.choice(item_id) in choices

    def at_least(self, item_id: str, threshold: float) -> bool:
        value = self.number(item_id)
        return value is not None and value >= threshold

    def between(self, item_id: str, low: float, high: float) -> bool:
        value = self.number(item_id)
        return value is not None and low <= value <= high


# --- derived variables (spec H.1: computed first) -------------------------------------------


def leg_neuro(v: View) -> bool:
    """Any leg numbness/tingling or weakness ("leg numbness or weakness" in E6, E10, E11)."""
    numb = v.choice("numbness_tingling") not in (None, "none")
    weak = v.choice("leg_weakness") not in (None, "none")
    return numb or weak


def fracture_minor_trauma(v: View) -> bool:  # FX-1
    return v.is_("trauma", "minor") and (
        v.at_least("age", 65) or v.yes("osteoporosis") or v.yes("steroid_use")
    )


def fracture_sudden_onset(v: View) -> bool:  # FX-2
    return (v.yes("osteoporosis") or v.yes("steroid_use")) and v.is_("onset", "sudden_ouch_moment")


def nerve_root_facts(v: View) -> bool:
    """P2's trigger (spec E.1): pain below the knee, a numb or weak leg, or a cauda equina "yes".
    K.3: the cauda equina warning list and the nerve-root running limits follow these facts,
    whatever pattern wins."""
    return v.is_("pain_extent", "below_knee") or leg_neuro(v) or any(v.yes(item) for item in CES_ITEMS)


def not_female(v: View) -> bool:
    """K.3's "sex != female": answered male, or other / prefer not to say. Unanswered does not count
    (the check always asks it; reading a missing answer as "not female" would let a later "female"
    lower the tier, and nothing may lower a tier)."""
    return v.is_("sex", "male", "other_or_prefer_not")


def older_at_risk(v: View) -> bool:
    """K.3 E14/T3: aged 60 or over AND (ever smoked OR not female): the aneurysm risk group."""
    return v.at_least("age", 60) and (v.yes("smoker_ever") or not_female(v))


def bone_stress_risk(v: View) -> bool:
    """K.4 `bse_risk`: low energy availability, menstrual change, past bone stress injury, thin
    bones, or a rapid rise in training."""
    return (
        v.yes("periods_missed")
        or v.yes("low_energy_intake")
        or v.yes("stress_fracture_history")
        or v.yes("osteoporosis")
        or v.is_("weekly_distance_change", "over_30_percent")
    )


def hop_hurt(v: View) -> bool:
    """K.4: hopping brought on the pain ("did_not_try" is unknown, never a yes)."""
    return v.is_("hop_pain", "yes")


def bone_stress_likely(v: View) -> bool:  # BS-1
    return (hop_hurt(v) or v.yes("pain_builds_each_run")) and bone_stress_risk(v)


def low_energy(v: View) -> bool:  # RED-1's trigger
    return v.yes("periods_missed") or v.yes("low_energy_intake")


def young_extension_pain(v: View) -> bool:  # Y-1
    return (
        (age := v.number("age")) is not None
        and age < 20
        and v.yes("worse_bending_backward")
        and v.at_least("duration_days", 14)
    )


def early_after_birth(v: View) -> bool:  # PN-1: under 12 weeks since giving birth
    weeks = v.number("weeks_since_birth")
    return weeks is not None and weeks < 12


def pelvic_floor_not_cleared(v: View) -> bool:  # PN-2
    weeks = v.number("weeks_since_birth")
    return (
        weeks is not None
        and weeks < 52
        and (v.yes("pelvic_floor_symptoms") or v.yes("stress_leak"))
        and not v.yes("pelvic_health_cleared")
    )


def inflammatory_screen(answers: Answers) -> tuple[InflammatoryScreen, dict[str, Answer]]:
    """IBP-1 (spec A.5) with the answers it read."""
    v = View(answers)
    age, days = v.number("age"), v.number("duration_days")
    onset_age = age - days / 365.25 if age is not None and days is not None else None
    entry = days is not None and days > 90 and onset_age is not None and onset_age < 45
    eases_at_night = v.is_("night_pain", "wakes_me_but_eases_when_i_get_up_and_move")
    moves_better = v.yes("improves_with_movement")
    nice = [
        onset_age is not None and onset_age < 35,
        eases_at_night,
        v.choice("pain_extent") not in (None, "back_only"),  # buttock pain
        moves_better,
        v.yes("nsaid_helps_48h"),
        v.yes("spa_family_history"),
        v.yes("spa_personal_history"),
    ]
    asas = [
        onset_age is not None and onset_age < 40,
        v.is_("onset", "gradual"),
        moves_better,
        v.yes("not_better_with_rest"),
        eases_at_night,
    ]
    screen = InflammatoryScreen(
        entry_met=entry, onset_age=onset_age, nice_count=sum(nice), asas_count=sum(asas)
    )
    return screen, v.used


STARTBACK_TOTAL_ONLY = ("sb_leg_pain", "sb_shoulder_neck", "sb_walk_short", "sb_dress_slow")
STARTBACK_SUBSCALE_AGREE = ("sb_unsafe_active", "sb_worry", "sb_never_better", "sb_no_enjoy")
STARTBACK_ITEMS = (*STARTBACK_TOTAL_ONLY, *STARTBACK_SUBSCALE_AGREE, "sb_bothersome")


def startback_score(answers: Answers) -> StartBackScore:
    """Keele STarT Back scoring (spec B.2). Items 5-9 form the psychosocial subscale."""
    agree_items, subscale_agree, all_items = STARTBACK_TOTAL_ONLY, STARTBACK_SUBSCALE_AGREE, STARTBACK_ITEMS
    bothersome = answers.get("sb_bothersome") in ("very_much", "extremely")
    psychosocial = sum(answers.get(item) is True for item in subscale_agree) + bothersome
    total = sum(answers.get(item) is True for item in agree_items) + psychosocial
    if total <= 3:
        risk = "low"
    elif psychosocial <= 3:
        risk = "medium"
    else:
        risk = "high"
    answered = sum(answers.get(item) is not None for item in all_items)
    if not answered:
        risk = "not_asked"  # no item answered (e.g. a check stopped early): not "low (0)"
    return StartBackScore(total=total, psychosocial=psychosocial, risk=risk, items_answered=answered)


# --- urgency rules (spec A.2, A.3, A.4) ------------------------------------------------------


@dataclass(frozen=True)
class UrgencyRule:
    rule_id: str
    tier: Urgency
    fires: Callable[[View], bool]
    kind: str = "urgency"  # "condition": a rule with no tier of its own (PN-1), shown as a reason


E = Urgency.EMERGENCY
D = Urgency.DOCTOR_SOON
C = Urgency.CLINICIAN_IF_NO_BETTER

SERIOUS_FLAG_RULES: tuple[UrgencyRule, ...] = (
    UrgencyRule("E1", E, lambda v: v.yes("saddle_numbness")),
    UrgencyRule("E2", E, lambda v: v.yes("bladder_change")),
    UrgencyRule("E3", E, lambda v: v.yes("bowel_change")),
    UrgencyRule("E4", E, lambda v: v.yes("sexual_change")),
    UrgencyRule(
        "E5",
        E,
        lambda v: (
            (v.is_("leg_pain_side", "both_legs") and v.is_("pain_extent", "below_knee"))
            or v.is_("numbness_tingling", "both_legs")
            or v.is_("leg_weakness", "both_legs")
        ),
    ),
    UrgencyRule("E6", E, lambda v: v.yes("neuro_worsening") and leg_neuro(v)),
    UrgencyRule("E7", E, lambda v: v.is_("trauma", "major")),
    UrgencyRule("E8", E, lambda v: v.yes("aaa_warning")),
    UrgencyRule("E9", E, lambda v: v.yes("chest_pain_breathless")),
    UrgencyRule("E10", E, lambda v: v.yes("cancer_history") and leg_neuro(v)),
    UrgencyRule("E11", E, lambda v: v.yes("fever_chills") and leg_neuro(v)),
    # Section K: look-alikes from outside the spine and pregnancy (K.3, K.6).
    UrgencyRule("E12", E, lambda v: v.yes("loin_colic") and v.yes("fever_chills")),
    UrgencyRule("E13", E, lambda v: v.yes("pregnant") and v.yes("pregnancy_warning")),
    UrgencyRule("E14", E, lambda v: older_at_risk(v) and (v.yes("abdominal_pulsing") or v.yes("loin_colic"))),
    UrgencyRule("D1", D, fracture_minor_trauma),
    UrgencyRule("D2", D, fracture_sudden_onset),
    UrgencyRule("D3", D, lambda v: v.yes("cancer_history")),
    UrgencyRule("D4", D, lambda v: v.yes("weight_loss")),
    UrgencyRule("D5", D, lambda v: v.yes("fever_chills")),
    UrgencyRule("D6", D, lambda v: v.is_("night_pain", "constant_no_position_eases_it")),
    UrgencyRule("D7", D, lambda v: v.yes("thoracic_pain")),
    UrgencyRule("D8", D, lambda v: v.is_("leg_weakness", "one_leg") and not v.yes("neuro_worsening")),
    UrgencyRule("D9", D, lambda v: v.yes("infection_risk")),
    # Spec K.1: "not sure" to a cauda equina question means a same-day call.
    UrgencyRule("CES-UNSURE", D, lambda v: any(v.choice(item) == NOT_SURE for item in CES_ITEMS)),
    UrgencyRule(
        "T1",
        D,
        lambda v: (
            v.yes("loin_colic")
            or (v.yes("urine_blood_or_burning") and (v.yes("pain_not_mechanical") or v.yes("fever_chills")))
        ),
    ),
    UrgencyRule(
        "T2", D, lambda v: v.at_least("age", 50) and v.yes("abdominal_pulsing") and not v.yes("aaa_warning")
    ),
    UrgencyRule(
        "T3",
        D,
        lambda v: (
            older_at_risk(v) and v.yes("pain_not_mechanical") and v.is_("pain_side", "middle", "both_sides")
        ),
    ),
    UrgencyRule("D11", D, lambda v: v.yes("pain_not_mechanical")),
    UrgencyRule("BS-1", D, bone_stress_likely),
    UrgencyRule(
        "PG-2",
        D,
        lambda v: (
            v.yes("pregnant")
            and (v.yes("loin_colic") or v.yes("urine_blood_or_burning") or v.yes("fever_chills"))
        ),
    ),
)

# K.1: the D rules that mean "contact a doctor today", not "within 24-48 hours".
TODAY_RULES = frozenset({"CES-UNSURE", "D8", "T1", "T2", "T3", "PG-2"})
# K.3: the rules that set the pattern `not_from_the_back`.
NOT_FROM_THE_BACK_RULES = ("E14", "T1", "T2", "T3", "D11")


def _not_better(v: View) -> bool:
    """C3/C7's "trend_week != better". An unanswered trend does not fire them: were it read as
    "not better", answering "better" later would lower the tier, and nothing may lower a tier.
    Both flows always ask the trend, so this only matters for answer files that leave it out."""
    return v.is_("trend_week", "same", "worse")


CLINICIAN_RULES: tuple[UrgencyRule, ...] = (
    UrgencyRule("C3", C, lambda v: v.at_least("duration_days", 42) and _not_better(v)),
    UrgencyRule("C4", C, lambda v: v.is_("trend_week", "worse")),
    UrgencyRule("C6", C, lambda v: v.at_least("pain_now", 8)),
    UrgencyRule(
        "C7",
        C,
        lambda v: (
            v.at_least("age", 50)
            and v.yes("first_episode")
            and v.at_least("duration_days", 28)
            and _not_better(v)
        ),
    ),
    UrgencyRule("SCOPE-1", C, lambda v: (age := v.number("age")) is not None and age < 16),
    # Section K (K.4-K.6).
    UrgencyRule("BS-2", C, lambda v: hop_hurt(v) and not bone_stress_likely(v)),
    UrgencyRule("RED-1", C, lambda v: low_energy(v) and not bone_stress_likely(v) and not hop_hurt(v)),
    UrgencyRule("Y-1", C, young_extension_pain),
    UrgencyRule(
        "Y-2",
        C,
        lambda v: (age := v.number("age")) is not None and age < 20 and v.at_least("duration_days", 21),
    ),
    UrgencyRule("PG-1", C, lambda v: v.yes("pregnant")),
    UrgencyRule("PN-2", C, pelvic_floor_not_cleared),
    UrgencyRule("PN-1", C, early_after_birth, kind="condition"),
)


def urine_check_rule(answers: Answers, fired: list[FiredRule]) -> FiredRule | None:
    """U-1: blood in the urine or burning, when no T or E rule already covers it (K.3)."""
    if any(rule.rule_id.startswith(("T", "E")) for rule in fired):
        return None
    v = View(answers)
    if not v.yes("urine_blood_or_burning"):
        return None
    return FiredRule("U-1", "urgency", C.code, dict(v.used))


def run_urgency_rules(rules: tuple[UrgencyRule, ...], answers: Answers) -> list[FiredRule]:
    fired = []
    for rule in rules:
        v = View(answers)
        if rule.fires(v):
            outcome = rule.tier.code if rule.kind == "urgency" else "met"
            fired.append(FiredRule(rule.rule_id, rule.kind, outcome, dict(v.used)))
    return fired


# --- pain pattern (spec E.1): the first matching rule wins ----------------------------------


def serious_pathology_flag(v: View, ibp_met: bool) -> bool:
    """SPF: the non-neural serious flags that make the pattern bone_or_serious (P1)."""
    return (
        v.is_("trauma", "major")
        or fracture_minor_trauma(v)
        or fracture_sudden_onset(v)
        or v.yes("cancer_history")
        or v.yes("weight_loss")
        or v.yes("fever_chills")
        or v.yes("infection_risk")
        or v.is_("night_pain", "constant_no_position_eases_it")
        or v.yes("thoracic_pain")
        or v.yes("aaa_warning")
        or v.yes("chest_pain_breathless")
        or ibp_met
    )


PATTERN_RULES: tuple[tuple[str, str, Callable[[View], bool]], ...] = (
    ("P2", "nerve_root", nerve_root_facts),
    (
        "P3",
        "sacroiliac",
        lambda v: (
            v.is_("pain_side", "left", "right")
            and v.yes("pelvis_dimple_point")
            and not v.is_("pain_extent", "below_knee")
        ),
    ),
    (
        "P4",
        "disc",
        lambda v: (
            v.is_("pain_extent", "buttock", "thigh")
            and (v.yes("worse_bending_forward") or v.yes("worse_sitting") or v.yes("worse_cough_sneeze"))
        ),
    ),
    (
        "P5",
        "muscular",
        lambda v: (
            v.is_("pain_extent", "back_only")
            and (v.is_("onset", "sudden_ouch_moment") or v.yes("muscle_tight_spasm"))
        ),
    ),
    (
        "P6",
        "facet",
        lambda v: (
            v.yes("worse_bending_backward")
            and not v.yes("worse_bending_forward")
            and (v.yes("worse_standing") or v.yes("worse_twisting") or v.yes("worse_downhill"))
        ),
    ),
    ("P7", "disc", lambda v: v.yes("worse_bending_forward") and v.yes("worse_sitting")),
)


def likely_pattern(
    answers: Answers, ibp_met: bool, ibp_answers: Mapping[str, Answer], fired: list[FiredRule]
) -> FiredRule:
    """The first matching pattern rule, in K.3's precedence: P1 > not_from_the_back > bone_stress >
    P2 > pregnancy_related > P3 ... P8. `ibp_answers` are the items behind IBP-1, cited when the
    inflammatory screen is what makes the pattern bone_or_serious; `fired` holds the urgency rules
    already found (E14, T1-T3, D11, BS-1 and PG-1 set the section K patterns)."""
    v = View(answers)
    if serious_pathology_flag(v, ibp_met):
        used = dict(v.used)
        if ibp_met:
            used.update(ibp_answers)
        return FiredRule("P1", "pattern", "bone_or_serious", used)
    by_id = {rule.rule_id: rule for rule in fired}
    look_alikes = [by_id[rule_id] for rule_id in NOT_FROM_THE_BACK_RULES if rule_id in by_id]
    if look_alikes:
        return FiredRule("P-NOT-FROM-BACK", "pattern", "not_from_the_back", _merged(look_alikes))
    if "BS-1" in by_id:
        return FiredRule("P-BONE-STRESS", "pattern", "bone_stress", dict(by_id["BS-1"].answers))
    v = View(answers)
    if nerve_root_facts(v):
        return FiredRule("P2", "pattern", "nerve_root", dict(v.used))
    if "PG-1" in by_id:
        return FiredRule("P-PREGNANCY", "pattern", "pregnancy_related", dict(by_id["PG-1"].answers))
    for rule_id, pattern, matches in PATTERN_RULES[1:]:
        v = View(answers)
        if matches(v):
            return FiredRule(rule_id, "pattern", pattern, dict(v.used))
    return FiredRule("P8", "pattern", "nonspecific", {})


def _merged(rules: list[FiredRule]) -> dict[str, Answer]:
    merged: dict[str, Answer] = {}
    for rule in rules:
        merged.update(rule.answers)
    return merged
