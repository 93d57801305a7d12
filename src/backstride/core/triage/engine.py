"""evaluate(answers) -> TriageResult, in the spec's order (H.1):
derived variables -> STarT Back -> serious flags -> pattern -> urgency -> run-today.

The highest tier any rule triggers wins, and nothing can lower it: urgency is a max() over the
fired rules, and no rule can remove another's result.
"""

from __future__ import annotations

from collections.abc import Sequence

from .advice import advice_for
from .model import WHEN_ORDER, Answers, FiredRule, TriageResult, Urgency
from .rules import (
    CLINICIAN_RULES,
    SERIOUS_FLAG_RULES,
    STARTBACK_ITEMS,
    TODAY_RULES,
    inflammatory_screen,
    likely_pattern,
    run_urgency_rules,
    startback_score,
    urine_check_rule,
)
from .run_today import colour_of, run_today_rules

# The rule engine's version, stored with every check so a result can be traced to the rules that made it.
ENGINE_VERSION = "2026.12.1"
# A check stopped at an emergency answer asked nothing about the pattern: none is named (issue 10).
NOT_ASSESSED = FiredRule("P-NOT-ASKED", "pattern", "not_assessed", {})


def evaluate(answers: Answers, *, stopped: bool = False) -> TriageResult:
    """Triage a (validated) set of answers. Unanswered items are simply absent.

    ``stopped``: the check stopped early at an emergency answer (spec H.3), so the pattern was never
    asked about; the result names no pattern rather than one read off the emergency answer alone."""
    startback = startback_score(answers)
    inflammatory, ibp_answers = inflammatory_screen(answers)
    fired: list[FiredRule] = run_urgency_rules(SERIOUS_FLAG_RULES, answers)
    if any(rule.outcome == Urgency.EMERGENCY.code for rule in fired):
        # K.1: CES-UNSURE is a "not sure" answer with no E rule; an emergency already covers it.
        fired = [rule for rule in fired if rule.rule_id != "CES-UNSURE"]
    serious = bool(fired)
    clinician = run_urgency_rules(CLINICIAN_RULES, answers)

    pattern_rule = (
        NOT_ASSESSED if stopped else likely_pattern(answers, inflammatory.met, ibp_answers, fired + clinician)
    )
    pattern = pattern_rule.outcome

    if pattern == "nerve_root" and not serious:
        fired.append(FiredRule("C1", "urgency", Urgency.CLINICIAN_IF_NO_BETTER.code, pattern_rule.answers))
    if inflammatory.met:
        fired.append(FiredRule("IBP-1", "inflammatory", "met", ibp_answers))
        fired.append(FiredRule("C2", "urgency", Urgency.CLINICIAN_IF_NO_BETTER.code, ibp_answers))
    elif inflammatory.borderline:
        fired.append(FiredRule("C8", "urgency", Urgency.CLINICIAN_IF_NO_BETTER.code, ibp_answers))
    fired.extend(clinician)
    if startback.risk in ("medium", "high"):
        fired.append(
            FiredRule(
                "C5",
                "urgency",
                Urgency.CLINICIAN_IF_NO_BETTER.code,
                {item: value for item, value in answers.items() if item in STARTBACK_ITEMS},
            )
        )
    urine = urine_check_rule(answers, fired)
    if urine is not None:
        fired.append(urine)

    urgency = max(
        (Urgency.from_code(rule.outcome) for rule in fired if rule.kind == "urgency"),
        default=Urgency.SELF_MANAGE,
    )
    standing = {rule.rule_id for rule in fired}
    run_rules = run_today_rules(answers, urgency, pattern, standing)
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
        advice_ids=tuple(advice_for(answers, urgency, pattern, run_today, startback.risk, all_fired)),
        urgency_when=urgency_when(urgency, [rule.rule_id for rule in fired if rule.kind == "urgency"]),
    )


def timing_of(rule_id: str, tier: Urgency) -> str | None:
    """Spec K.1: every E rule is "now", the D rules marked *today* "today", other D rules
    "24-48h", C rules "1-2 weeks"."""
    if tier is Urgency.EMERGENCY:
        return "now"
    if tier is Urgency.DOCTOR_SOON:
        return "today" if rule_id in TODAY_RULES else "24-48h"
    if tier is Urgency.CLINICIAN_IF_NO_BETTER:
        return "1-2 weeks"
    return None


_TIERS = {rule.rule_id: rule.tier for rule in (*SERIOUS_FLAG_RULES, *CLINICIAN_RULES)}


def tier_of(rule_id: str) -> Urgency:
    """The tier an urgency rule sets. C1, C2, C5, C8 and U-1 are found outside the rule tables; all
    are clinician_if_no_better."""
    return _TIERS.get(rule_id, Urgency.CLINICIAN_IF_NO_BETTER)


def urgency_when(urgency: Urgency, rule_ids: Sequence[str]) -> str | None:
    """The soonest timing among the fired rules of the winning tier (K.1). ``rule_ids`` are the
    urgency rules that fired, of any tier (other ids are passed over)."""
    if urgency is Urgency.SELF_MANAGE:
        return None
    timings = [timing_of(rule_id, urgency) for rule_id in rule_ids if tier_of(rule_id) is urgency]
    known = [when for when in timings if when is not None]
    if not known:
        return timing_of("", urgency)
    return min(known, key=WHEN_ORDER.index)
