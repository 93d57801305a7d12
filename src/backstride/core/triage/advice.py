"""Which advice cards (knowledge/advice.yaml) a result shows, most important first.

Every card is wired to the rules or answers that make it relevant (issue 10: no card the engine can
never pick). An urgent result shows only what helps right now: the warning list, the no-running
card, and what would make it an emergency.
"""

from __future__ import annotations

from collections.abc import Collection

from .answers import CES_ITEMS, NOT_SURE
from .model import Answers, FiredRule, RunToday, Urgency
from .rules import View, low_energy, nerve_root_facts

LEG_PATTERNS = ("nerve_root", "disc")
SHOE_KM_PROMPT = 500  # spec F: conventional replacement range starts about 500 km (weak evidence)
SITTING_HOURS_PROMPT = 6  # app policy: when "a lot of sitting" earns the break-it-up advice
BONE_STRESS_RULES = frozenset({"BS-1", "BS-2"})
LOOK_ALIKE_CARDS = (  # doctor_soon rules -> the card that says what would make it an emergency
    ("T1", "kidney-warning"),
    ("T2", "aneurysm-warning"),
    ("T3", "aneurysm-warning"),
    ("BS-1", "bone-stress"),
    ("PG-2", "pregnancy"),
)
MECHANICAL = frozenset({"muscular", "facet", "sacroiliac", "disc", "nerve_root", "nonspecific"})


def advice_for(
    answers: Answers,
    urgency: Urgency,
    pattern: str,
    run_today: RunToday,
    startback_risk: str,
    fired: Collection[FiredRule],
) -> list[str]:
    v = View(answers)
    ids = {rule.rule_id for rule in fired}
    cards: list[str] = []
    # Leg facts decide, not the winning pattern: a serious flag (P1) or a section K pattern can mask a
    # nerve-root picture, and the doctor_soon advice itself points to "the emergency warning list".
    unsure = any(answers.get(item) == NOT_SURE for item in CES_ITEMS)
    leg_facts = v.choice("pain_extent") not in (None, "back_only") or nerve_root_facts(v) or unsure
    legs = pattern in LEG_PATTERNS or leg_facts or bool(ids & {"E5", "E6"})
    if legs:
        cards.append("ces-safety-net")
    if urgency >= Urgency.DOCTOR_SOON:
        cards.append("run-red-urgent")
        if urgency is Urgency.DOCTOR_SOON:
            # The card for the cause the result points to, with its own warning signs, comes before
            # the general warning list (which the doctor_soon advice refers to).
            cards.extend(card for rule_id, card in LOOK_ALIKE_CARDS if rule_id in ids)
            if "BS-1" in ids and low_energy(v):
                cards.append("energy-and-bone")
        if "U-1" in ids:  # K.3: blood in the urine still needs its GP check
            cards.append("see-gp-urine")
        cards.append("ces-safety-net")
        return _unique(cards)  # R1: follow the urgency advice only; training tips would distract

    bone_stress = bool(ids & BONE_STRESS_RULES)
    pregnant = v.yes("pregnant")
    cards.append(f"run-{run_today.code}")
    if run_today is RunToday.RED and "PN-1" not in ids:
        cards.append("cross-training")
    cards.append("see-whom")
    cards.extend(_special_groups(v, ids))
    if ids & {"C2", "C8"}:
        cards.append("inflammatory-referral")
    if startback_risk != "not_asked":
        cards.append(f"startback-{startback_risk}")
    if not bone_stress:  # rest from impact is the treatment for a possible bone stress injury
        cards.append("rest-not-first")
        cards.append("running-is-not-bad-for-backs")
        if startback_risk == "high" or pattern == "nonspecific":
            cards.append("pain-not-damage")
    if not bone_stress and not ids & {"Y-1"}:  # K.5: imaging may be right there; the doctor decides
        cards.append("no-routine-imaging")
    if pattern in MECHANICAL and (
        v.is_("trend_week", "worse") or run_today is not RunToday.GREEN or v.no("first_episode")
    ):
        cards.append("flare-up-plan")
    if v.yes("worse_uphill") or pattern == "nerve_root" or "Y-1" in ids:
        cards.append("hills-caution")
    if v.yes("worse_downhill") or pattern == "facet":
        cards.append("downhill-caution")
    if v.is_("weekly_distance_change", "over_30_percent"):
        cards.append("mileage-progression")
    if v.yes("terrain_change"):
        cards.append("terrain-change")
    if v.at_least("shoe_km", SHOE_KM_PROMPT):
        cards.extend(["shoe-mileage", "choosing-shoes"])
    sitting_a_lot = v.at_least("sitting_hours", SITTING_HOURS_PROMPT)
    if sitting_a_lot or pattern == "disc":
        cards.append("break-up-sitting")
    if sitting_a_lot or v.yes("worse_sitting") or v.yes("worse_standing"):
        cards.append("posture")
    if not bone_stress:
        cards.append("strength-and-mobility")
        cards.append("comfort-measures")
    if urgency is Urgency.CLINICIAN_IF_NO_BETTER and pattern in MECHANICAL:
        cards.append("manual-therapy")
    if v.no("first_episode") or v.is_("trend_week", "better"):
        cards.append("past-back-pain")
    if not v.yes("ran_since_onset") and run_today is not RunToday.RED:
        cards.append("return-to-run")
    if not pregnant:  # medicines in pregnancy are for the midwife or pharmacist (the pregnancy card)
        cards.append("medicines")
    return _unique(cards)


def _special_groups(v: View, ids: set[str]) -> list[str]:
    """Cards for the runners section K looks after: the young, bone stress and low energy, urine
    symptoms, pregnancy and the year after birth."""
    cards = []
    if "SCOPE-1" in ids:
        cards.append("under-16")
    if ids & {"Y-1", "Y-2"}:
        cards.append("young-runner")
    if ids & BONE_STRESS_RULES:
        cards.append("bone-stress")
    if "RED-1" in ids or (ids & BONE_STRESS_RULES and low_energy(v)):
        cards.append("energy-and-bone")
    if "U-1" in ids:
        cards.append("see-gp-urine")
    if "PG-1" in ids:
        cards.append("pregnancy")
    weeks = v.number("weeks_since_birth")
    if weeks is not None and weeks < 52:
        cards.append("after-birth")
    if v.yes("stress_leak") or v.yes("pelvic_floor_symptoms") or "PN-2" in ids:
        cards.append("pelvic-floor")
    return cards


def _unique(cards: list[str]) -> list[str]:
    return list(dict.fromkeys(cards))
