"""The exercise items of a week: strength sessions (with their dose steps), daily mobility, the
pre-run warm-up, walks, rest and the "instead of running" choices (spec G, D.2). Pure.

Which records may be planned is decided in choice.py, from the records' structured attributes.
"""

from __future__ import annotations

from typing import TypedDict

from backstride.knowledge.exercises import Dosage, Exercise, exercises
from backstride.knowledge.plan_rules import plan_text

from .choice import Limits, avoided, gradual, pregnancy_version, usable
from .model import PlanInput, PlanItem
from .rules import plan_rules, sources_of

MAX_EXTRA_STEPS = 4  # app policy: at most 4 dose steps on one exercise before it must switch
HOLD_STEP_S, REPS_STEP, MINUTES_STEP = 10, 2, 5  # DOSE-UP: one step
CROSS_TRAINING = ("cycling", "swimming", "walking")  # D.2 red: seed 002


def why_of(*sentences: str, caution: str | None = None) -> str:
    """An item's "why": its sentences (plan_texts.yaml) joined by a space, then any caution."""
    if caution:
        sentences = (*sentences, plan_text("G-AVOID/caution", caution=caution))
    return " ".join(sentences)


# --- dosage -----------------------------------------------------------------------------------------


def _stepped(dosage: Dosage, extra: int) -> tuple[int | None, int | None, int | None]:
    reps, hold_s, duration = dosage.reps, dosage.hold_s, dosage.duration_min
    if extra and reps is None and hold_s is not None:
        hold_s += HOLD_STEP_S * extra
    elif extra and reps is not None:
        reps += REPS_STEP * extra
    elif extra and duration is not None:
        duration += MINUTES_STEP * extra
    return reps, hold_s, duration


class TimerFields(TypedDict):
    hold_s: int | None
    sets: int
    per_side: bool
    rest_s: int


def hold_of(exercise: Exercise, extra: int = 0) -> TimerFields:
    """The PlanItem timer fields for ``exercise`` after ``extra`` DOSE-UP steps. Only a timed hold
    gets the timer (a plank, a stretch); counted reps with a short pause each are counted, not timed."""
    reps, hold_s, _ = _stepped(exercise.dosage, extra)
    if reps is not None:
        hold_s = None
    d = exercise.dosage
    return {"hold_s": hold_s, "sets": d.sets, "per_side": d.per_side, "rest_s": d.rest_s}


def dose_text(exercise: Exercise, extra: int = 0) -> tuple[str, int]:
    """Plain dose (e.g. "3 x hold 20 s") with ``extra`` DOSE-UP steps, and a minutes estimate."""
    d = exercise.dosage
    reps, hold_s, duration = _stepped(d, extra)
    side = " each side" if d.per_side else ""
    if reps is not None:
        text = f"{d.sets} x {reps} reps{side}" + (f", hold {hold_s} s" if hold_s else "")
        work_s = reps * max(hold_s or 0, 3)
    elif hold_s is not None:
        text = f"{d.sets} x hold {hold_s} s{side}"
        work_s = hold_s
    else:
        minutes = duration or 1
        text = f"{minutes} min" if d.sets == 1 else f"{d.sets} x {minutes} min"
        work_s = minutes * 60
    if d.rest_s and d.sets > 1:
        text += f", rest {d.rest_s} s between sets"
    total = d.sets * work_s * (2 if d.per_side else 1) + (d.sets - 1) * d.rest_s
    return text, max(1, round(total / 60))


# --- strength ---------------------------------------------------------------------------------------


def _strength_item(
    base: Exercise,
    pattern: str,
    group: str,
    earned: int,
    dose_down: bool,
    used: set[str],
    extra_rules: tuple[str, ...],
    limits: Limits,
) -> PlanItem:
    """The slot's exercise after ``earned`` steps (minus one with DOSE-DOWN): +1 dose step, then a
    switch to the record's harder version (DOSE-SWITCH), and so on up the chain."""
    library = exercises()
    steps = max(0, earned - 1) if dose_down else max(0, earned)
    current, level_steps, switched = base, 0, False
    for _ in range(steps):
        target = library.get(current.progression) if current.progression else None
        can_switch = (
            target is not None
            and target.category in ("strength", "activation")
            and usable(target, pattern, limits)
            and target.id not in used
        )
        if level_steps >= 1 and can_switch and target is not None:
            current, level_steps, switched = target, 0, True
        else:
            level_steps = min(level_steps + 1, MAX_EXTRA_STEPS)
    dose, minutes = dose_text(current, level_steps)
    rules = ["G-all", "G-STRENGTH-DAYS", *extra_rules]
    sentences = [plan_text("G-all/core" if group == "core" else "G-all/hip")]
    if switched:
        rules.append("DOSE-SWITCH")
        sentences.append(plan_text("DOSE-SWITCH", easier=base.name.lower()))
    if level_steps:
        rules.append("DOSE-UP")
        sentences.append(plan_text("DOSE-UP/one" if level_steps == 1 else "DOSE-UP", steps=level_steps))
    if not switched and not level_steps:
        rules.append("DOSE-BASE")
    if dose_down and earned > 0:
        rules.append("DOSE-DOWN")
        sentences.append(plan_text("DOSE-DOWN/item"))
    caution = current.caution_for(pattern)
    why = why_of(*sentences, caution=caution)
    return PlanItem(
        kind="strength",
        exercise_id=current.id,
        title=current.name,
        dose=dose,
        minutes=minutes,
        why=why,
        rule_ids=tuple(dict.fromkeys(rules)),
        sources=sources_of(rules, current.sources),
        step_key=base.id,
        step=steps,
        caution=caution,
        **hold_of(current, level_steps),
    )


def _slot_choice(
    candidate: Exercise, pattern: str, limits: Limits, used: set[str]
) -> tuple[Exercise, tuple[str, ...]] | None:
    """The record a strength slot plans for this candidate and the rules that chose it, or None to
    try the slot's next candidate."""
    swap = pregnancy_version(candidate, pattern, limits)
    swapped: tuple[str, ...] = ("K6-PREGNANCY-SWAP",) if swap is not None else ()
    candidate = swap or candidate
    if not usable(candidate, pattern, limits):
        return None
    pattern_rule = f"G-{pattern}"
    extra: tuple[str, ...] = (pattern_rule,) if pattern in candidate.patterns else ()
    if gradual(candidate, pattern):
        easier = exercises().get(candidate.regression) if candidate.regression else None
        if easier is not None and usable(easier, pattern, limits) and easier.id not in used:
            candidate, extra = easier, ("G-GRADUAL", pattern_rule)
        elif easier is not None:
            return None  # its easier version is already in the session
        else:
            extra = ("G-GRADUAL", pattern_rule)
    if candidate.id in used:
        return None
    return candidate, (*extra, *swapped, *limits.exercise_rules)


def strength_session(
    inp: PlanInput, pattern: str, index: int, dose_down: bool, limits: Limits
) -> list[PlanItem]:
    """One strength session: one exercise per slot (plan_rules.yaml), the ``index``-th of the week."""
    library = exercises()
    used: set[str] = set()
    items: list[PlanItem] = []
    for slot in plan_rules().strength_slots:
        order = list(slot.candidates)
        if slot.rotate:
            shift = index % len(order)
            order = order[shift:] + order[:shift]
        for candidate_id in order:
            choice = _slot_choice(library[candidate_id], pattern, limits, used)
            if choice is None:
                continue
            candidate, extra = choice
            earned = inp.exercise_steps.get(candidate.id, 0)
            item = _strength_item(candidate, pattern, slot.group, earned, dose_down, used, extra, limits)
            used.update({candidate.id, item.exercise_id or ""})
            items.append(item)
            break
    return items


# --- every day ---------------------------------------------------------------------------------------


def mobility(pattern: str, limits: Limits) -> list[PlanItem]:
    """The pattern's daily mobility routine (plan_rules.yaml), within the section K limits."""
    items: list[PlanItem] = []
    for exercise_id in plan_rules().mobility.get(pattern, ()):
        ex = exercises()[exercise_id]
        swap = pregnancy_version(ex, pattern, limits)
        swapped: tuple[str, ...] = ("K6-PREGNANCY-SWAP",) if swap is not None else ()
        ex = swap or ex
        if not usable(ex, pattern, limits) or any(i.exercise_id == ex.id for i in items):
            continue
        dose, minutes = dose_text(ex)
        caution = ex.caution_for(pattern)
        rules = ("G-MOBILITY", f"G-{pattern}", *swapped, *limits.exercise_rules)
        why = why_of(plan_text("G-MOBILITY"), caution=caution)
        items.append(
            PlanItem(
                "mobility",
                ex.id,
                ex.name,
                dose,
                minutes,
                why,
                rules,
                sources_of(rules, ex.sources),
                caution=caution,
                **hold_of(ex),
            )
        )
    return items


def activation() -> PlanItem:
    ex = exercises()["glute-activation-warm-up"]
    dose, minutes = dose_text(ex)
    why = plan_text("G-ACTIVATION")
    rules = ("G-ACTIVATION",)
    return PlanItem(
        "activation",
        ex.id,
        ex.name,
        dose,
        minutes,
        why,
        rules,
        sources_of(rules, ex.sources),
        **hold_of(ex),
    )


def walk(pattern: str, rules: tuple[str, ...] | None = None) -> PlanItem:
    """An easy walk: on the days without a run for some patterns (G-WALK), or every day while
    running waits after a birth (``rules`` = K6-WALK-DAILY)."""
    ex = exercises()["walking"]
    caution = ex.caution_for(pattern)
    why = why_of(plan_text("G-WALK"), caution=caution)
    rules = rules or ("G-WALK", f"G-{pattern}")
    return PlanItem(
        "walk",
        ex.id,
        "Easy walk",
        "20-30 min at an easy pace, if comfortable",
        25,
        why,
        rules,
        sources_of(rules, ex.sources),
        caution=caution,
    )


def rest() -> PlanItem:
    rules = ("G-REST",)
    why = plan_text("G-REST")
    return PlanItem(
        "rest", None, "Rest day", "no training; gentle walking is fine", 0, why, rules, sources_of(rules)
    )


def instead_of_running(
    pattern: str, limits: Limits, choices: tuple[str, ...] = CROSS_TRAINING, rule_id: str = "RUN-TODAY-RED"
) -> list[PlanItem]:
    """ "Instead of running" choices, one of which is enough: on a red day (RUN-TODAY-RED), or on every
    run day while a bone stress injury is possible (K4-NO-RUN: cycling or swimming only)."""
    items = []
    for exercise_id in choices:
        ex = exercises()[exercise_id]
        if avoided(ex, pattern) or limits.excludes(ex):
            continue
        caution = ex.caution_for(pattern)
        rules = (rule_id,)
        why = why_of(plan_text(f"{rule_id}/instead"), caution=caution)
        kind = "walk" if exercise_id == "walking" else "cross_training"
        dose = "20-30 min, if comfortable" if kind == "walk" else "20-30 min at an easy effort"
        items.append(
            PlanItem(
                kind,
                ex.id,
                f"Instead of running: {ex.name.lower()}",
                dose,
                25,
                why,
                rules,
                sources_of(rules, ex.sources),
                caution=caution,
                alternative=True,
            )
        )
    return items
