"""A clinician's adjustments applied to a week (issue 15 item 4; core/adjustments.py says what each
kind means). Pure. The plan engine calls these after its own rules, so an adjustment changes the
week the rules built, each under its own rule id ``PHYSIO-<id>``.

Safety wins over a clinician: ``advance_stage`` moves the stage on only when nothing in the runner's
own data says not now (an amber or red day today, a last run whose pain said repeat or step back, an
urgent result). A clinician cannot override a safety rule from a distance: the runner's pain today
is newer information than the adjustment. The week then says why the stage did not move.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from backstride.knowledge.exercises import exercises

from ..adjustments import Adjustment, words
from ..triage.model import RunToday, Urgency
from .items import dose_text, hold_of
from .model import DayPlan, PlanItem, PlanNote
from .rules import StageDecision

# Items a clinician may change: the exercises. Runs, rest and the readiness checks after a birth
# follow the safety rules alone.
ADJUSTABLE_KINDS = frozenset({"strength", "mobility", "activation", "pelvic_floor", "walk", "cross_training"})
# Stage decisions that come from the runner's pain (D.2): a clinician's advance waits for them.
PAIN_SAYS_WAIT = frozenset(
    {"ADAPT-STEP-BACK", "ADAPT-REPEAT-AMBER", "ADAPT-REPEAT-MORNING", "ADAPT-REPEAT-TREND"}
)


def physio_note(adjustment: Adjustment, text: str | None = None) -> PlanNote:
    """A plan note set by the clinician: no sources (a clinician's judgement, not a paper)."""
    return PlanNote(text or words(adjustment), (adjustment.rule_id,), ())


# --- the exercises ----------------------------------------------------------------------------------


def _replaced(item: PlanItem, adjustment: Adjustment) -> PlanItem:
    new = exercises()[adjustment.to_id]
    dose, minutes = dose_text(new)
    line = words(adjustment)
    return PlanItem(
        kind=item.kind,
        exercise_id=new.id,
        title=new.name,
        dose=dose,
        minutes=minutes,
        why=line,
        rule_ids=(adjustment.rule_id,),
        sources=tuple(new.sources),
        physio=line,
        **hold_of(new),
    )


def _dosed(item: PlanItem, adjustment: Adjustment) -> PlanItem:
    exercise = exercises()[adjustment.exercise_id]
    d = exercise.dosage
    dosage = replace(
        d,
        sets=adjustment.sets if adjustment.sets is not None else d.sets,
        reps=adjustment.reps if adjustment.reps is not None else d.reps,
        hold_s=adjustment.hold_s if adjustment.hold_s is not None else d.hold_s,
    )
    dosed = replace(exercise, dosage=dosage)
    dose, minutes = dose_text(dosed)
    line = words(adjustment)
    # The clinician's dose replaces the dose steps the plan earned (step_key kept: ticks still count).
    return replace(
        item,
        dose=dose,
        minutes=minutes,
        why=f"{line} {item.why}",
        rule_ids=(*item.rule_ids, adjustment.rule_id),
        physio=line,
        **hold_of(dosed),
    )


def _adjust_items(items: Sequence[PlanItem], adjustment: Adjustment) -> list[PlanItem]:
    out: list[PlanItem] = []
    present = {i.exercise_id for i in items}
    for item in items:
        if item.kind not in ADJUSTABLE_KINDS or item.exercise_id != adjustment.exercise_id:
            out.append(item)
        elif adjustment.kind == "remove":
            continue
        elif adjustment.kind == "replace":
            if adjustment.to_id not in present:  # already planned that day: once is enough
                out.append(_replaced(item, adjustment))
        elif adjustment.kind == "dose":
            out.append(_dosed(item, adjustment))
        else:
            out.append(item)
    return out


def adjust_days(days: Sequence[DayPlan], adjustments: Sequence[Adjustment]) -> tuple[DayPlan, ...]:
    """Each day with the exercise adjustments in force that day, applied in the order they were set."""
    result = []
    for day in days:
        items = list(day.items)
        for adjustment in adjustments:
            if adjustment.in_force(day.day) and adjustment.exercise_id:
                items = _adjust_items(items, adjustment)
        result.append(replace(day, items=tuple(items)))
    return tuple(result)


# --- the return-to-run stage ------------------------------------------------------------------------


def _safety_says_wait(decision: StageDecision, colour: RunToday | None, urgency: Urgency) -> str | None:
    """Why a clinician's advance cannot apply now, in the runner's words; None when it can."""
    if urgency >= Urgency.DOCTOR_SOON:
        return "your last check said to see a doctor first"
    if colour == RunToday.RED:
        return "today is a red day"
    if colour == RunToday.AMBER:
        return "today is an amber day"
    if decision.rule_id in PAIN_SAYS_WAIT:
        return "your pain after your last run says to wait"
    return None


def adjust_stage(
    decision: StageDecision | None,
    adjustments: Sequence[Adjustment],
    colour: RunToday | None,
    urgency: Urgency,
) -> tuple[StageDecision | None, dict[int, str]]:
    """The stage decision after the stage adjustments in force (``adjustments`` already filtered to
    today), and, by adjustment id, why an advance waits. A hold wins over an advance (the safer one)."""
    if decision is None:
        return None, {}
    if decision.action == "step_back":  # a hold adds nothing, an advance must wait
        because = "your pain after your last run says to step back"
        return decision, {a.id: _waiting(a, because) for a in adjustments if a.kind == "advance_stage"}
    for adjustment in adjustments:
        held = adjustment.at_stage
        if adjustment.kind == "hold_stage" and held is not None:
            if decision.stage is None or decision.stage > held:
                reason = words(adjustment).rstrip(".")  # the page adds the full stop
                return StageDecision(held, "hold", adjustment.rule_id, reason, decision.previous_stage), {}
            return decision, {}
    waiting: dict[int, str] = {}
    for adjustment in adjustments:
        target = adjustment.target_stage
        if adjustment.kind != "advance_stage" or target is None:
            continue
        if decision.stage is None or decision.stage >= target:
            continue  # the runner is there already: nothing left to do
        wait = _safety_says_wait(decision, colour, urgency)
        if wait is not None:
            waiting[adjustment.id] = _waiting(adjustment, wait)
            continue
        reason = words(adjustment).rstrip(".")
        decision = StageDecision(target, "progress", adjustment.rule_id, reason, decision.previous_stage)
    return decision, waiting


def _waiting(adjustment: Adjustment, because: str) -> str:
    return (
        f"{words(adjustment)} Not yet: {because}, and that comes first "
        f"(a safety rule is never overridden). Stage {adjustment.target_stage} follows when it settles."
    )


def week_notes(adjustments: Sequence[Adjustment], waiting: dict[int, str]) -> list[PlanNote]:
    """One note for every adjustment in force, as the runner reads it; an advance that waits for a
    safety rule says so."""
    return [physio_note(a, waiting.get(a.id)) for a in adjustments]
