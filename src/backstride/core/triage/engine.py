"""evaluate(answers) -> TriageResult, in the spec's order (H.1):
derived variables -> STarT Back -> serious flags -> pattern -> urgency -> run-today.

The highest tier any rule triggers wins, and nothing can lower it: urgency is a max() over the
fired rules, and no rule can remove another's result.
"""

from __future__ import annotations

from .answers import CES_ITEMS
from .model import Answers, FiredRule, RunToday, TriageResult, Urgency
from .rules import (
    CLINICIAN_RULES,
    SERIOUS_FLAG_RULES,
    STARTBACK_ITEMS,
    View,
    inflammatory_screen,
    likely_pattern,
    run_urgency_rules,
    startback_score,
)
from .run_today import colour_of, run_today_rules

LEG_PATTERNS = ("nerve_root", "disc")
SHOE_KM_PROMPT = 500  # spec F: conventional replacement range starts about 500 km (weak evidence)
SITTING_HOURS_PROMPT = 6  # app policy: when "a lot of sitting" earns the break-it-up advice


def evaluate(answers: Answers) -> TriageResult:
    """Triage a (validated) set of answers. Unanswered items are simply absent."""
    startback = startback_score(answers)
    inflammatory, ibp_answers = inflammatory_screen(answers)
    fired: list[FiredRule] = run_urgency_rules(SERIOUS_FLAG_RULES, answers)
    serious = bool(fired)

    pattern_rule = likely_pattern(answers, inflammatory.met, ibp_answers)
    pattern = pattern_rule.outcome

    if pattern == "nerve_root" and not serious:
        fired.append(FiredRule("C1", "urgency", Urgency.CLINICIAN_IF_NO_BETTER.code, pattern_rule.answers))
    if inflammatory.met:
        fired.append(FiredRule("IBP-1", "inflammatory", "met", ibp_answers))
        fired.append(FiredRule("C2", "urgency", Urgency.CLINICIAN_IF_NO_BETTER.code, ibp_answers))
    elif inflammatory.borderline:
        fired.append(FiredRule("C8", "urgency", Urgency.CLINICIAN_IF_NO_BETTER.code, ibp_answers))
    fired.extend(run_urgency_rules(CLINICIAN_RULES, answers))
    if startback.risk in ("medium", "high"):
        fired.append(
            FiredRule(
                "C5",
                "urgency",
                Urgency.CLINICIAN_IF_NO_BETTER.code,
                {item: value for item, value in answers.items() if item in STARTBACK_ITEMS},
            )
        )

    urgency = max(
        (Urgency.from_code(rule.outcome) for rule in fired if rule.kind == "urgency"),
        default=Urgency.SELF_MANAGE,
    )
    run_rules = run_today_rules(answers, urgency, pattern)
    run_today = colour_of(run_rules)
    all_fired = (*fired, pattern_rule, *run_rules)
    return TriageResult(
        urgency=urgency,
        likely_pattern=pattern,
        pattern_rule=pattern_rule.rule_id,
        run_today=run_today,
        startback=startback,
        inflammatory=inflammatory,
        fired=tuple(all_fired),
        advice_ids=tuple(
            _advice_for(answers, urgency, pattern, run_today, run_rules, startback.risk, all_fired)
        ),
    )


def _advice_for(
    answers: Answers,
    urgency: Urgency,
    pattern: str,
    run_today: RunToday,
    run_rules: list[FiredRule],
    startback_risk: str,
    fired: tuple[FiredRule, ...],
) -> list[str]:
    """Advice card ids (knowledge/advice.yaml), most important first."""
    v = View(answers)
    ids = {rule.rule_id for rule in fired}
    cards: list[str] = []
    # Leg facts decide, not the winning pattern: a serious flag (P1) can mask a nerve-root picture,
    # and the doctor_soon advice itself points to "the emergency warning list" (spec A.8).
    leg_facts = (
        v.choice("pain_extent") not in (None, "back_only")
        or v.choice("numbness_tingling") not in (None, "none")
        or v.choice("leg_weakness") not in (None, "none")
        or any(answers.get(item) in (True, "not_sure") for item in CES_ITEMS)
    )
    if pattern in LEG_PATTERNS or leg_facts or urgency >= Urgency.DOCTOR_SOON or ids & {"E5", "E6"}:
        cards.append("ces-safety-net")
    if urgency >= Urgency.DOCTOR_SOON:
        cards.append("run-red-urgent")
        return cards  # R1: follow the urgency advice only; training tips would distract
    cards.append(f"run-{run_today.code}")
    if run_today is RunToday.RED:
        cards.append("cross-training")
    cards.append("see-whom")
    if "SCOPE-1" in ids:
        cards.append("under-16")
    if ids & {"C2", "C8"}:
        cards.append("inflammatory-referral")
    cards.append(f"startback-{startback_risk}")
    cards.append("rest-not-first")
    if startback_risk == "high" or pattern == "nonspecific":
        cards.append("pain-not-damage")
    cards.append("no-routine-imaging")
    if v.yes("worse_uphill") or pattern == "nerve_root":
        cards.append("hills-caution")
    if v.yes("worse_downhill") or pattern == "facet":
        cards.append("downhill-caution")
    if v.is_("weekly_distance_change", "over_30_percent"):
        cards.append("mileage-progression")
    if v.yes("terrain_change"):
        cards.append("terrain-change")
    if v.at_least("shoe_km", SHOE_KM_PROMPT):
        cards.append("shoe-mileage")
    if v.at_least("sitting_hours", SITTING_HOURS_PROMPT) or pattern == "disc":
        cards.append("break-up-sitting")
    if not v.yes("ran_since_onset") and run_today is not RunToday.RED:
        cards.append("return-to-run")
    cards.append("medicines")
    return cards
