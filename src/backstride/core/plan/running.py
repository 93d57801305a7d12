"""The running part of a week: the run item (own running or a return-to-run stage), its terrain,
and today's amber or unknown version (spec D.2, D.3, K.5, K.6). Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from backstride.knowledge.exercises import exercises

from ..diary import LOG_TODAY_FIRST
from .afterbirth import AfterBirth
from .choice import Limits
from .model import PlanInput, PlanItem, Readiness
from .rules import LAST_STAGE, StageDecision, plan_rules, sources_of

# What a day's running part holds: a run (as today's colour allows), nothing (after a birth, until
# running is allowed), cycling or swimming instead (bone stress), or the checks before running again.
RUN, NO_RUN, CROSS_TRAIN, CHECKS = "run", "no_run", "cross_train", "checks"

PAIN_RULE = "Pain may reach 5/10 during and after but should settle by the next morning."
PAIN_FREE = "Run only if it is pain-free during and after, and stop if it hurts."  # K.5
IN_PREGNANCY = "In pregnancy, keep running if you ran before and it feels comfortable."  # K.6


@dataclass(frozen=True)
class Running:
    """The week's running: what each day's running part holds, and the return-to-run stage."""

    modes: dict[date, str]  # RUN | NO_RUN | CROSS_TRAIN | CHECKS
    decision: StageDecision | None
    readiness: Readiness | None = None
    after: AfterBirth | None = None

    @property
    def stage(self) -> int | None:
        return None if self.decision is None else self.decision.stage

    @property
    def has_runs(self) -> bool:
        return RUN in self.modes.values()


def _terrain(inp: PlanInput, pattern: str, returning: bool, limits: Limits) -> tuple[str, list[str], str]:
    """Terrain for run items, the pattern-adjustment rules and their plain words."""
    rules: list[str] = []
    words: list[str] = []
    no_up = inp.worse_uphill or pattern == "nerve_root"
    no_down = inp.worse_downhill or pattern == "facet"
    if pattern == "nerve_root":
        rules.append("PATTERN-NERVE-FLAT")
        words.append("Flat routes only, no uphill; stop if leg symptoms spread or numbness appears.")
    if pattern == "facet":
        rules.append("PATTERN-FACET-DOWNHILL")
        words.append("Leave downhill running until later.")
    if pattern == "disc":
        rules.append("PATTERN-DISC-SITTING")
        words.append("Avoid long sitting right before you run.")
    if inp.worse_uphill:
        rules.append("HILLS-UPHILL")
        words.append("Avoid hills: uphill makes your back worse.")
    if inp.worse_downhill:
        rules.append("HILLS-DOWNHILL")
        words.append("Avoid downhill stretches: they make your back worse.")
    if limits.young_extension:
        rules.append("K5-FLAT-PAIN-FREE")
        words.append("Flat routes, no hills or speed work.")
    if returning or pattern == "nerve_root" or (no_up and no_down) or limits.young_extension:
        terrain = "flat"
    elif no_up:
        terrain = "no_uphill"
    elif no_down:
        terrain = "no_downhill"
    else:
        terrain = "any"
    return terrain, rules, " ".join(words)


def _special(limits: Limits) -> tuple[list[str], str]:
    """The section K rules and words every run item carries (young runners, pregnancy)."""
    rules = ["K6-PREGNANCY-RUN"] if limits.pregnant else []
    return rules, (f" {IN_PREGNANCY}" if limits.pregnant else "")


def run_item(inp: PlanInput, pattern: str, stage: int | None, limits: Limits) -> PlanItem:
    terrain, rules, words = _terrain(inp, pattern, stage is not None, limits)
    special, special_words = _special(limits)
    pain = PAIN_FREE if limits.young_extension else PAIN_RULE
    if stage is not None:
        spec = plan_rules().stages[stage]
        ex = exercises()["walk-run"] if stage <= 5 else None
        all_rules = [f"D3-stage-{stage}", *rules, *special]
        why = (
            f"Stage {stage} of {LAST_STAGE} of the graded return to running: on flat ground, at a pace "
            f"you can talk at. {pain} {words}"
        ).strip() + special_words
        return PlanItem(
            "run",
            ex.id if ex else None,
            f"Return-to-run stage {stage}",
            spec.session,
            spec.minutes,
            why,
            tuple(all_rules),
            sources_of(all_rules, ex.sources if ex else ()),
            terrain=terrain,
            caution=ex.caution_for(pattern) if ex else None,
        )
    all_rules = ["RUN-OWN", "LOAD-2WK-30", *rules, *special]
    where = {"flat": "on flat routes", "no_uphill": "avoiding hills", "no_downhill": "avoiding downhill"}
    dose = "your usual easy run" + (f", {where[terrain]}" if terrain in where else "")
    within = (
        "Keep running within the run-today rule, but only if it is pain-free during and after, and stop "
        "if it hurts."
        if limits.young_extension
        else "Keep running within the run-today rule: pain up to 5/10 during and after, settled by the "
        "next morning, and not worse week to week."
    )
    why = f"{within} {words}".strip() + special_words
    return PlanItem(
        "run", None, "Easy run", dose, 30, why, tuple(all_rules), sources_of(all_rules), terrain=terrain
    )


def amber(item: PlanItem, limits: Limits) -> PlanItem:
    rules = (*item.rule_ids, "RUN-TODAY-AMBER")
    limit = (
        "and only if it is pain-free during and after"
        if limits.young_extension
        else "keep pain at 5/10 or below, and check it has settled tomorrow morning"
    )
    why = (
        f"Today is amber: run easy, flat and about half the planned time (or walk-run), {limit}. " + item.why
    )
    return PlanItem(
        item.kind,
        item.exercise_id,
        item.title,
        f"about half of: {item.dose}",
        max(1, item.minutes // 2),
        why,
        rules,
        sources_of(rules, item.sources),
        terrain="flat",
        caution=item.caution,
    )


def unknown_today(item: PlanItem) -> PlanItem:
    rules = (*item.rule_ids, "RUN-TODAY-UNKNOWN")
    why = f"{LOG_TODAY_FIRST} {item.why}"
    return PlanItem(
        item.kind,
        item.exercise_id,
        item.title,
        item.dose,
        item.minutes,
        why,
        rules,
        sources_of(rules, item.sources),
        terrain=item.terrain,
        caution=item.caution,
    )
