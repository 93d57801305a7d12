"""The running part of a week: the run item (own running or a return-to-run stage), its terrain,
and today's amber or unknown version (spec D.2, D.3, K.5, K.6). Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from backstride.knowledge.exercises import exercises
from backstride.knowledge.plan_rules import plan_text

from .afterbirth import AfterBirth
from .choice import Limits
from .model import PlanInput, PlanItem, Readiness
from .rules import StageDecision, plan_rules, sources_of

# What a day's running part holds: a run (as today's colour allows), nothing (after a birth, until
# running is allowed), cycling or swimming instead (bone stress), or the checks before running again.
RUN, NO_RUN, CROSS_TRAIN, CHECKS = "run", "no_run", "cross_train", "checks"


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


def _terrain(inp: PlanInput, pattern: str, returning: bool, limits: Limits) -> tuple[str, list[str]]:
    """Terrain for run items and the pattern-adjustment rules (each says its words in the why)."""
    no_up = inp.worse_uphill or pattern == "nerve_root"
    no_down = inp.worse_downhill or pattern == "facet"
    applies = (
        (pattern == "nerve_root", "PATTERN-NERVE-FLAT"),
        (pattern == "facet", "PATTERN-FACET-DOWNHILL"),
        (pattern == "disc", "PATTERN-DISC-SITTING"),
        (inp.worse_uphill, "HILLS-UPHILL"),
        (inp.worse_downhill, "HILLS-DOWNHILL"),
        (limits.young_extension, "K5-FLAT-PAIN-FREE"),
    )
    rules = [rule_id for active, rule_id in applies if active]
    if returning or pattern == "nerve_root" or (no_up and no_down) or limits.young_extension:
        terrain = "flat"
    elif no_up:
        terrain = "no_uphill"
    elif no_down:
        terrain = "no_downhill"
    else:
        terrain = "any"
    return terrain, rules


def run_item(inp: PlanInput, pattern: str, stage: int | None, limits: Limits) -> PlanItem:
    terrain, rules = _terrain(inp, pattern, stage is not None, limits)
    special = ["K6-PREGNANCY-RUN"] if limits.pregnant else []  # K.6: every run item carries it
    # a run's why: what the run is, the pain rule (pain-free for a young runner, K.5), the terrain
    # rules' words, then pregnancy's
    words = [plan_text(rule_id) for rule_id in (*rules, *special)]
    if stage is not None:
        spec = plan_rules().stages[stage]
        ex = exercises()["walk-run"] if stage <= 5 else None
        all_rules = [f"D3-stage-{stage}", *rules, *special]
        pain = plan_text("K5-FLAT-PAIN-FREE/stage" if limits.young_extension else "ADAPT-PROGRESS/pain-rule")
        why = " ".join((plan_text(f"D3-stage-{stage}"), pain, *words))
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
    why = " ".join((plan_text("RUN-OWN/pain-free" if limits.young_extension else "RUN-OWN"), *words))
    return PlanItem(
        "run", None, "Easy run", dose, 30, why, tuple(all_rules), sources_of(all_rules), terrain=terrain
    )


def amber(item: PlanItem, limits: Limits) -> PlanItem:
    rules = (*item.rule_ids, "RUN-TODAY-AMBER")
    lead = plan_text("RUN-TODAY-AMBER/run-pain-free" if limits.young_extension else "RUN-TODAY-AMBER/run")
    why = f"{lead} {item.why}"
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
    why = f"{plan_text('RUN-TODAY-UNKNOWN')} {item.why}"
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
