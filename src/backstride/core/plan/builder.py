"""Build one week (Monday to Sunday) of the exercise and running plan (spec clinical.md D.2, D.3, G).

Pure: reads the packaged exercise library and plan_rules.yaml, no clock (``today`` is an input).

Layout (app policy): strength on Monday, Wednesday and Friday (Monday and Friday when there are two
sessions), runs or return-to-run sessions on Tuesday, Thursday and Saturday (alternate days, D.3),
Sunday a rest day; short mobility every day; the glute activation warm-up right before every run.
Every item and note names its rule ids (plan_rules.yaml) and its sources (sources.yaml).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import TypedDict

from backstride.knowledge.exercises import Dosage, Exercise, exercises

from ..diary import LOG_TODAY_FIRST, CheckIn, run_today_from_diary, weekly_trend
from ..triage.model import PATTERNS, RunToday, Urgency
from .rules import (
    LAST_STAGE,
    StageDecision,
    StageSession,
    decide_stage,
    plan_rules,
    sources_of,
)

KINDS = ("strength", "mobility", "activation", "run", "cross_training", "rest", "walk")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
STRENGTH_DAYS = {3: (0, 2, 4), 2: (0, 4)}  # Mon/Wed/Fri, or Mon/Fri
RUN_DAYS = (1, 3, 5)  # Tue/Thu/Sat: alternate days (D.3)
REST_DAY = 6  # Sunday
MAX_EXTRA_STEPS = 4  # app policy: at most 4 dose steps on one exercise before it must switch
HOLD_STEP_S, REPS_STEP, MINUTES_STEP = 10, 2, 5  # DOSE-UP: one step
WALK_PATTERNS = frozenset({"disc", "nerve_root", "nonspecific"})  # G-WALK
EASING_PATTERNS = frozenset({"nerve_root"})  # two strength sessions while easing in
_AVOID_MARKERS = ("skip until", "no loaded flexion until", "out until then", "leave it out")
_GRADUAL_MARKERS = ("gradual", "only after")
_CROSS_TRAINING = ("cycling", "swimming", "walking")  # D.2 red: seed 002

# Patterns whose plan waits for a doctor (they come with an urgent result; held here too).
DOCTOR_FIRST_PATTERNS = frozenset({"bone_or_serious", "not_from_the_back", "not_assessed"})
# Section K patterns without an exercise list of their own: planned from the general list, with the
# restrictions of their rules (spec K.4, K.6).
PLANNED_AS = {"bone_stress": "nonspecific", "pregnancy_related": "nonspecific"}

BLOCKED_URGENT = (
    "Your latest check says to get seen by a doctor first, so there is no training plan for now. "
    "Follow the advice of that check; the plan resumes after a new symptom check."
)
BLOCKED_NO_CHECK = "Do a symptom check first: the plan depends on it."


# --- types ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanInput:
    week_start: date  # a Monday
    today: date
    urgency: Urgency = Urgency.SELF_MANAGE  # latest full check, or a check-in escalation
    pattern: str | None = None  # latest full check's likely pattern
    startback_risk: str | None = None  # "low" | "medium" | "high"
    returning: bool = False  # in the graded return (D.3)
    stage_sessions: Sequence[StageSession] = ()
    check_ins: Sequence[CheckIn] = ()
    exercise_steps: Mapping[str, int] = field(default_factory=dict)  # PlanItem.step_key -> steps earned
    worse_uphill: bool = False
    worse_downhill: bool = False
    has_check: bool = True  # False: no symptom check on record
    run_today: RunToday | None = None  # None: computed from the diary
    episode_start: date | None = None


@dataclass(frozen=True)
class PlanItem:
    kind: str  # one of KINDS
    exercise_id: str | None
    title: str
    dose: str
    minutes: int
    why: str
    rule_ids: tuple[str, ...]
    sources: tuple[str, ...]
    step_key: str | None = None  # the exercise_steps key this item's dose follows
    step: int = 0  # dose steps applied (after DOSE-DOWN)
    terrain: str | None = None  # run items: "flat" | "no_uphill" | "no_downhill" | "any"
    caution: str | None = None
    hold_s: int | None = None  # seconds per hold, for the hold timer
    sets: int = 1
    per_side: bool = False
    rest_s: int = 0  # between sets
    alternative: bool = False  # one of several "instead of running" choices: doing one is enough

    @property
    def key(self) -> str:
        """Identifies the item within its day, for ticking it off."""
        return f"{self.kind}:{self.exercise_id or '-'}"


@dataclass(frozen=True)
class DayPlan:
    day: date
    items: tuple[PlanItem, ...]
    is_today: bool = False

    @property
    def weekday(self) -> str:
        return WEEKDAYS[self.day.weekday()]

    def has(self, kind: str) -> bool:
        return any(item.kind == kind for item in self.items)

    @property
    def is_rest_day(self) -> bool:
        return self.has("rest") and not self.has("strength") and not self.has("run")


@dataclass(frozen=True)
class PlanNote:
    text: str
    rule_ids: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class WeekPlan:
    week_start: date
    days: tuple[DayPlan, ...]  # Monday..Sunday; empty when blocked
    blocked: str | None = None
    blocked_rule: str | None = None
    notes: tuple[PlanNote, ...] = ()
    stage: int | None = None  # this week's return-to-run stage; None when not returning
    stage_decision: StageDecision | None = None
    run_today: RunToday | None = None  # today's colour, when today is in this week
    dose_down: bool = False

    def items(self, kind: str | None = None) -> list[PlanItem]:
        return [i for d in self.days for i in d.items if kind is None or i.kind == kind]

    @property
    def strength_days(self) -> list[date]:
        return [d.day for d in self.days if d.has("strength")]

    @property
    def run_days(self) -> list[date]:
        return [d.day for d in self.days if d.has("run")]

    @property
    def rule_ids(self) -> list[str]:
        ids = [r for i in self.items() for r in i.rule_ids] + [r for n in self.notes for r in n.rule_ids]
        if self.stage_decision is not None:
            ids.append(self.stage_decision.rule_id)
        if self.blocked_rule is not None:
            ids.append(self.blocked_rule)
        return list(dict.fromkeys(ids))


def _note(text: str, *rule_ids: str) -> PlanNote:
    return PlanNote(text, rule_ids, sources_of(rule_ids))


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


# --- exercise choice --------------------------------------------------------------------------------


def _avoided(exercise: Exercise, pattern: str) -> bool:
    if exercise.id in plan_rules().pattern_avoid.get(pattern, frozenset()):
        return True
    caution = (exercise.caution_for(pattern) or "").lower()
    return any(marker in caution for marker in _AVOID_MARKERS)


def _gradual(exercise: Exercise, pattern: str) -> bool:
    caution = (exercise.cautions.get(pattern) or "").lower()
    return any(marker in caution for marker in _GRADUAL_MARKERS)


def _usable(exercise: Exercise, pattern: str) -> bool:
    return exercise.suits(pattern) and not _avoided(exercise, pattern)


def _strength_item(
    base: Exercise,
    pattern: str,
    group: str,
    earned: int,
    dose_down: bool,
    used: set[str],
    extra_rules: tuple[str, ...],
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
            and _usable(target, pattern)
            and target.id not in used
        )
        if level_steps >= 1 and can_switch and target is not None:
            current, level_steps, switched = target, 0, True
        else:
            level_steps = min(level_steps + 1, MAX_EXTRA_STEPS)
    dose, minutes = dose_text(current, level_steps)
    rules = ["G-all", "G-STRENGTH-DAYS", *extra_rules]
    focus = "core" if group == "core" else "hip and glute"
    why = f"Core and hip strength 2-3 times a week; this one is {focus} work."
    if switched:
        rules.append("DOSE-SWITCH")
        why += f" You have earned the step up from {base.name.lower()} to this harder version."
    if level_steps:
        rules.append("DOSE-UP")
        why += (
            f" Dose raised by {level_steps} step{'s' if level_steps > 1 else ''} for the progress you logged."
        )
    if not switched and not level_steps:
        rules.append("DOSE-BASE")
    if dose_down and earned > 0:
        rules.append("DOSE-DOWN")
        why += " One step easier this week because your pain rose."
    caution = current.caution_for(pattern)
    if caution:
        why += f" Caution: {caution}"
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


def _strength_session(inp: PlanInput, pattern: str, index: int, dose_down: bool) -> list[PlanItem]:
    library = exercises()
    used: set[str] = set()
    items: list[PlanItem] = []
    pattern_rule = f"G-{pattern}"
    for slot in plan_rules().strength_slots:
        order = list(slot.candidates)
        if slot.rotate:
            shift = index % len(order)
            order = order[shift:] + order[:shift]
        for candidate_id in order:
            candidate = library[candidate_id]
            if not _usable(candidate, pattern):
                continue
            extra: tuple[str, ...] = (pattern_rule,) if pattern in candidate.patterns else ()
            if _gradual(candidate, pattern):
                easier = library.get(candidate.regression) if candidate.regression else None
                if easier is not None and _usable(easier, pattern) and easier.id not in used:
                    candidate, extra = easier, ("G-GRADUAL", pattern_rule)
                elif easier is not None:
                    continue  # its easier version is already in the session
                else:
                    extra = ("G-GRADUAL", pattern_rule)
            if candidate.id in used:
                continue
            earned = inp.exercise_steps.get(candidate.id, 0)
            item = _strength_item(candidate, pattern, slot.group, earned, dose_down, used, extra)
            used.update({candidate.id, item.exercise_id or ""})
            items.append(item)
            break
    return items


def _mobility(pattern: str) -> list[PlanItem]:
    library = exercises()
    items = []
    for exercise_id in plan_rules().mobility.get(pattern, ()):
        ex = library[exercise_id]
        if not _usable(ex, pattern):
            continue
        dose, minutes = dose_text(ex)
        caution = ex.caution_for(pattern)
        rules = ("G-MOBILITY", f"G-{pattern}")
        why = "A short daily mobility routine that suits your pattern of back pain."
        if caution:
            why += f" Caution: {caution}"
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


def _activation() -> PlanItem:
    ex = exercises()["glute-activation-warm-up"]
    dose, minutes = dose_text(ex)
    why = "Wakes up the glutes before you run, so they share the load with your back."
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


def _walk(pattern: str) -> PlanItem:
    ex = exercises()["walking"]
    caution = ex.caution_for(pattern)
    why = "Walking is usually comfortable and keeps you active; break up long sitting with it."
    if caution:
        why += f" Caution: {caution}"
    rules = ("G-WALK", f"G-{pattern}")
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


def _rest() -> PlanItem:
    rules = ("G-REST",)
    why = "A day without strength work or running lets your back and legs recover."
    return PlanItem(
        "rest", None, "Rest day", "no training; gentle walking is fine", 0, why, rules, sources_of(rules)
    )


def _terrain(inp: PlanInput, pattern: str, returning: bool) -> tuple[str, list[str], str]:
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
    if returning or pattern == "nerve_root" or (no_up and no_down):
        terrain = "flat"
    elif no_up:
        terrain = "no_uphill"
    elif no_down:
        terrain = "no_downhill"
    else:
        terrain = "any"
    return terrain, rules, " ".join(words)


def _run_item(inp: PlanInput, pattern: str, stage: int | None) -> PlanItem:
    terrain, rules, words = _terrain(inp, pattern, stage is not None)
    if stage is not None:
        spec = plan_rules().stages[stage]
        ex = exercises()["walk-run"] if stage <= 5 else None
        all_rules = [f"D3-stage-{stage}", *rules]
        why = (
            f"Stage {stage} of {LAST_STAGE} of the graded return to running: on flat ground, at a pace "
            f"you can talk at. Pain may reach 5/10 during and after but should settle by the next morning. "
            f"{words}"
        ).strip()
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
    all_rules = ["RUN-OWN", "LOAD-2WK-30", *rules]
    where = {"flat": "on flat routes", "no_uphill": "avoiding hills", "no_downhill": "avoiding downhill"}
    dose = "your usual easy run" + (f", {where[terrain]}" if terrain in where else "")
    why = (
        "Keep running within the run-today rule: pain up to 5/10 during and after, settled by the next "
        f"morning, and not worse week to week. {words}"
    ).strip()
    return PlanItem(
        "run", None, "Easy run", dose, 30, why, tuple(all_rules), sources_of(all_rules), terrain=terrain
    )


def _amber(item: PlanItem) -> PlanItem:
    rules = (*item.rule_ids, "RUN-TODAY-AMBER")
    why = (
        "Today is amber: run easy, flat and about half the planned time (or walk-run), keep pain at 5/10 "
        "or below, and check it has settled tomorrow morning. " + item.why
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


def _unknown_today(item: PlanItem) -> PlanItem:
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


def _cross_training(pattern: str) -> list[PlanItem]:
    items = []
    for exercise_id in _CROSS_TRAINING:
        ex = exercises()[exercise_id]
        if _avoided(ex, pattern):
            continue
        caution = ex.caution_for(pattern)
        rules = ("RUN-TODAY-RED",)
        why = (
            "Today is red: no running. Choose one of these instead if pain allows, and re-check tomorrow."
            + (f" Caution: {caution}" if caution else "")
        )
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


# --- the week ---------------------------------------------------------------------------------------


def pain_rose(
    check_ins: Sequence[CheckIn],
    today: date,
    urgency: Urgency = Urgency.SELF_MANAGE,
    pattern: str | None = None,
    episode_start: date | None = None,
) -> bool:
    """DOSE-DOWN: the weekly trend is worse, or a day in the last 7 (today included) was red."""
    if weekly_trend(check_ins, today) == "worse":
        return True
    logged = {c.day for c in check_ins}
    for back in range(7):
        day = today - timedelta(days=back)
        if day in logged:
            colour, _ = run_today_from_diary(check_ins, day, urgency, pattern, episode_start)
            if colour == RunToday.RED:
                return True
    return False


def _pain_rose(inp: PlanInput) -> bool:
    return pain_rose(inp.check_ins, inp.today, inp.urgency, inp.pattern, inp.episode_start)


def build_week(inp: PlanInput) -> WeekPlan:
    """The plan for the week starting ``inp.week_start`` (a Monday); see the module docstring.

    Days before ``inp.today`` are shown as they were planned on that day (that day's colour, dose and
    stage), so what the runner ticked off then still matches; later days follow today's data."""
    plan = _build(inp)
    past = [i for i, day in enumerate(plan.days) if day.day < inp.today]
    if not past:
        return plan
    days = list(plan.days)
    for index in past:
        as_then = _build(replace(inp, today=days[index].day, run_today=None), unknown_today=False)
        days[index] = replace(as_then.days[index], is_today=False)
    return replace(plan, days=tuple(days))


def _build(inp: PlanInput, unknown_today: bool = True) -> WeekPlan:
    """The week as seen on ``inp.today``. ``unknown_today``: mark today's run "log today first" when
    the diary has no entry (for the real today, not for a past day rebuilt)."""
    if inp.week_start.weekday() != 0:
        raise ValueError(
            f"week_start must be a Monday, got {inp.week_start} ({WEEKDAYS[inp.week_start.weekday()]})"
        )
    if inp.pattern is not None and inp.pattern not in PATTERNS:
        raise ValueError(f"unknown pattern {inp.pattern!r}; expected one of {list(PATTERNS)}")
    if inp.urgency >= Urgency.DOCTOR_SOON or inp.pattern in DOCTOR_FIRST_PATTERNS:
        return WeekPlan(inp.week_start, (), BLOCKED_URGENT, "BLOCK-URGENT")
    if not inp.has_check:
        return WeekPlan(inp.week_start, (), BLOCKED_NO_CHECK, "BLOCK-NO-CHECK")

    pattern = PLANNED_AS.get(inp.pattern or "nonspecific", inp.pattern or "nonspecific")
    notes: list[PlanNote] = []
    week = [inp.week_start + timedelta(days=i) for i in range(7)]
    trend_worse = weekly_trend(inp.check_ins, inp.today) == "worse"
    dose_down = _pain_rose(inp)

    decision: StageDecision | None = None
    stage: int | None = None
    if inp.returning:
        decision = decide_stage(inp.stage_sessions, inp.today, inp.check_ins, trend_worse)
        stage = decision.stage
        if decision.rule_id == "ADAPT-START":
            notes.append(
                _note(
                    "Before the first session, check you can: keep pain at 3/10 or less, walk briskly for 30 "
                    "minutes without pain rising above 3/10 (settled next morning), put on socks and shoes "
                    "without real difficulty, and hop 10 times on each leg with back pain of 3/10 or less.",
                    "D3-ENTRY",
                )
            )
    if stage is None:
        notes.append(
            _note(
                "Add running volume gradually: avoid rises of more than 30% over 2 weeks (there is no "
                "evidence that the '10% rule' prevents injury), and keep any single run within about "
                "110% of your longest run of the last 30 days - the load report flags both.",
                "LOAD-2WK-30",
                "LOAD-LONGEST-110",
            )
        )
        notes.append(_note("Bring back hills and speed last, one at a time.", "AFTER-7-HILLS-SPEED"))

    colour: RunToday | None = None
    today_in_week = week[0] <= inp.today <= week[-1]
    if today_in_week:
        colour = inp.run_today
        if colour is None:
            colour, _ = run_today_from_diary(
                inp.check_ins, inp.today, inp.urgency, inp.pattern, inp.episode_start
            )

    sessions = 2 if (pattern in EASING_PATTERNS or inp.startback_risk == "high" or dose_down) else 3
    strength_days = STRENGTH_DAYS[sessions]
    mobility = _mobility(pattern)
    days: list[DayPlan] = []
    for index, day in enumerate(week):
        items: list[PlanItem] = []
        is_today = day == inp.today
        if index in strength_days:
            items.extend(_strength_session(inp, pattern, strength_days.index(index), dose_down))
        if index in RUN_DAYS:
            run = _run_item(inp, pattern, stage)
            if is_today and colour == RunToday.RED:
                items.extend(_cross_training(pattern))
            else:
                if is_today and colour == RunToday.AMBER:
                    run = _amber(run)
                elif is_today and colour is None and unknown_today:
                    run = _unknown_today(run)
                items.extend([_activation(), run])
        if index == REST_DAY:
            items.append(_rest())
        items.extend(mobility)
        if pattern in WALK_PATTERNS and index not in RUN_DAYS:
            items.append(_walk(pattern))
        days.append(DayPlan(day, tuple(items), is_today))

    notes.append(
        _note(
            {
                "muscular": "Muscular pattern: gentle stretches for the lower back and hips each day.",
                "facet": "Facet pattern: bending-forward mobility first; extension work such as the locust "
                "pose is built up gradually.",
                "disc": "Disc pattern: break up long sitting, walk, and bring in loaded bending only "
                "gradually.",
                "sacroiliac": "Sacroiliac pattern: glute bridges, side planks and pelvic drops, with "
                "single-leg work kept within the pain rule.",
                "nerve_root": "Nerve root pattern: gentle walking and positions that ease the leg; no loaded "
                "bending or hills until the leg pain centralises.",
                "nonspecific": "Graded activity: build up a little at a time.",
            }[pattern],
            f"G-{pattern}",
        )
    )
    if inp.startback_risk == "high" or pattern == "nonspecific":
        notes.append(
            _note(
                "Pain does not mean damage. Back pain is common in runners and usually settles; staying "
                "active and building up gradually helps you recover.",
                "REASSURE",
            )
        )
    if inp.urgency == Urgency.CLINICIAN_IF_NO_BETTER or pattern == "nerve_root":
        notes.append(
            _note(
                "Book a routine review with a clinician (GP or physiotherapist), especially if you are not "
                "getting better.",
                "CLINICIAN-REVIEW",
            )
        )
    if dose_down:
        notes.append(
            _note(
                "Your pain rose in the last week, so the exercises are one step easier and there are two "
                "strength sessions this week.",
                "DOSE-DOWN",
            )
        )
    if colour == RunToday.RED:
        notes.append(
            _note("Today is red: no running today. Cross-train or walk if comfortable.", "RUN-TODAY-RED")
        )
    elif colour == RunToday.AMBER:
        notes.append(_note("Today is amber: if you run, run easy, flat and shorter.", "RUN-TODAY-AMBER"))
    elif today_in_week and colour is None:
        notes.append(_note(LOG_TODAY_FIRST, "RUN-TODAY-UNKNOWN"))
    notes.append(
        _note(
            "Belts or corsets, foot orthotics, rocker-sole shoes, traction, acupuncture and electrotherapy "
            "are not recommended for low back pain (NICE NG59).",
            "G-NOT-OFFERED",
        )
    )
    return WeekPlan(
        week_start=inp.week_start,
        days=tuple(days),
        notes=tuple(notes),
        stage=stage,
        stage_decision=decision,
        run_today=colour,
        dose_down=dose_down,
    )
