"""The week's plan as the JSON that `backstride plan --format json`, the /plan/ page, the dashboard
and the calendar file read, with each shape a declared type: a key renamed here is a mypy error in
every reader, not a blank on a page (issue 12)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TypedDict

from backstride.core.adjustments import RULE_PREFIX, Adjustment, words
from backstride.core.plan import Adherence, DoneItem, PlanItem, Readiness, WeekPlan, adherence
from backstride.core.plan.afterbirth import tick_means
from backstride.knowledge import catalog

from .today import CitedSource

READINESS = "readiness"  # the PlanItem kind of the checks before running again after a birth
# The kinds of today's session (the session player): the plan's exercises done in one go at home.
# Runs, walks, cross-training and the readiness checks after a birth are done and ticked on their own.
SESSION_KINDS = ("activation", "mobility", "strength", "pelvic_floor")


class PlanItemRow(TypedDict):
    key: str
    done: bool
    kind: str
    exercise_id: str | None
    title: str
    dose: str
    minutes: int
    why: str
    rule_ids: list[str]
    sources: list[str]
    terrain: str | None
    caution: str | None
    hold_s: int | None
    sets: int
    per_side: bool
    rest_s: int
    alternative: bool
    step_key: str | None
    step: int
    check_id: str | None
    physio: str | None  # "Set by your physio (...): ..." when a clinician changed this item


class PlanDayRow(TypedDict):
    day: str  # ISO date
    weekday: str
    items: list[PlanItemRow]


class StageDecisionRow(TypedDict):
    stage: int | None
    action: str
    rule_id: str
    reason: str


class PlanNoteRow(TypedDict):
    text: str
    rule_ids: list[str]
    sources: list[str]
    physio: bool  # set by a clinician (shown with the adjustments, not under the plan)


class AdjustmentJson(TypedDict):
    """A clinician's adjustment in force (clinic mode), as the runner and `plan --format json` see it."""

    id: int
    rule_id: str
    kind: str
    set_by: str
    words: str
    exercise_id: str | None
    to_id: str | None
    sets: int | None
    reps: int | None
    hold_s: int | None
    note: str
    at_stage: int | None
    since: str  # ISO date


class KindCount(TypedDict):
    done: int
    planned: int


class AdherenceRow(TypedDict):
    through: str  # ISO date
    planned: int
    done: int
    percent: int | None
    by_kind: dict[str, KindCount]


class ReadinessCheckRow(TypedDict):
    id: str
    key: str
    title: str
    done_on: str | None  # ISO date


class ReadinessRow(TypedDict):
    tick_means: str
    done: int
    total: int
    passed_on: str | None  # ISO date
    stage_opens: str | None  # ISO date
    checks: list[ReadinessCheckRow]


class PlanView(TypedDict):
    week_start: str  # ISO date
    blocked: str | None
    blocked_rule: str | None
    stage: int | None
    stage_decision: StageDecisionRow | None
    run_today: str | None
    days: list[PlanDayRow]
    notes: list[PlanNoteRow]
    rule_ids: list[str]
    sources: list[CitedSource]
    plan_since: str | None  # ISO date
    readiness: ReadinessRow | None
    adherence: AdherenceRow | None
    adjustments: list[AdjustmentJson]


def adjustment_json(adjustment: Adjustment, plan: WeekPlan | None = None) -> AdjustmentJson:
    """``words``: the plan's own note for it when given (an advance waiting for safety says so)."""
    a = adjustment
    said = [n.text for n in (plan.notes if plan else ()) if a.rule_id in n.rule_ids]
    return {
        "id": a.id,
        "rule_id": a.rule_id,
        "kind": a.kind,
        "set_by": a.set_by,
        "words": said[0] if said else words(a),
        "exercise_id": a.exercise_id or None,
        "to_id": a.to_id or None,
        "sets": a.sets,
        "reps": a.reps,
        "hold_s": a.hold_s,
        "note": a.note,
        "at_stage": a.at_stage,
        "since": a.started_on.isoformat(),
    }


def plan_json(
    plan: WeekPlan, done: list[DoneItem] | None = None, through: date | None = None, since: date | None = None
) -> PlanView:
    """The plan as JSON. With ``done`` (the week's ticks) each item says whether it was done, and
    ``adherence`` counts the items planned up to ``through`` against those done."""
    ticked = {(d.day, d.key) for d in done or ()}

    def item_row(day: date, item: PlanItem) -> PlanItemRow:
        return {
            "key": item.key,
            "done": (day, item.key) in ticked,
            "kind": item.kind,
            "exercise_id": item.exercise_id,
            "title": item.title,
            "dose": item.dose,
            "minutes": item.minutes,
            "why": item.why,
            "rule_ids": list(item.rule_ids),
            "sources": list(item.sources),
            "terrain": item.terrain,
            "caution": item.caution,
            "hold_s": item.hold_s,
            "sets": item.sets,
            "per_side": item.per_side,
            "rest_s": item.rest_s,
            "alternative": item.alternative,
            "step_key": item.step_key,
            "step": item.step,
            "check_id": item.check_id,
            "physio": item.physio,
        }

    decision = plan.stage_decision
    source_ids = [s for item in plan.items() for s in item.sources] + [
        s for n in plan.notes for s in n.sources
    ]
    return {
        "week_start": plan.week_start.isoformat(),
        "blocked": plan.blocked,
        "blocked_rule": plan.blocked_rule,
        "stage": plan.stage,
        "stage_decision": None
        if decision is None
        else {
            "stage": decision.stage,
            "action": decision.action,
            "rule_id": decision.rule_id,
            "reason": decision.reason,
        },
        "run_today": plan.run_today.code if plan.run_today is not None else None,
        "days": [
            {
                "day": day.day.isoformat(),
                "weekday": day.weekday,
                "items": [item_row(day.day, i) for i in day.items],
            }
            for day in plan.days
        ],
        "notes": [
            {
                "text": n.text,
                "rule_ids": list(n.rule_ids),
                "sources": list(n.sources),
                "physio": any(r.startswith(RULE_PREFIX) for r in n.rule_ids),
            }
            for n in plan.notes
        ],
        "rule_ids": plan.rule_ids,
        "sources": [{"id": s.id, "citation": s.citation} for s in catalog.sources_for(source_ids)],
        "plan_since": since.isoformat() if since else None,
        "readiness": readiness_json(plan.readiness),
        "adherence": None
        if plan.blocked
        else adherence_json(
            adherence(plan, done or [], through or plan.week_start + timedelta(days=6), since)
        ),
        "adjustments": [adjustment_json(a, plan) for a in plan.adjustments],
    }


def readiness_json(state: Readiness | None) -> ReadinessRow | None:
    """The checks before running again after a birth (spec K.6): each check and the day it was first
    ticked, and when the return to running opens."""
    if state is None:
        return None
    return {
        "tick_means": tick_means(),
        "done": state.done,
        "total": len(state.checks),
        "passed_on": state.passed_on.isoformat() if state.passed_on else None,
        "stage_opens": state.stage_opens.isoformat() if state.stage_opens else None,
        "checks": [
            {
                "id": check.id,
                "key": f"{READINESS}:{check.id}",
                "title": check.title,
                "done_on": check.done_on.isoformat() if check.done_on else None,
            }
            for check in state.checks
        ],
    }


def adherence_json(result: Adherence) -> AdherenceRow:
    return {
        "through": result.through.isoformat(),
        "planned": result.planned,
        "done": result.done,
        "percent": result.percent,
        "by_kind": {kind: {"done": d, "planned": p} for kind, (d, p) in result.by_kind.items()},
    }


def session_items(items: list[PlanItemRow]) -> list[PlanItemRow]:
    """The items of a day's plan that make its session: its exercises, in the plan's order."""
    return [item for item in items if item["kind"] in SESSION_KINDS and item["exercise_id"]]
