"""Build one week (Monday to Sunday) of the exercise and running plan (spec clinical.md D.2, D.3, G,
and section K's limits: K.4 bone stress, K.5 young runners, K.6 pregnancy and after birth).

Pure: reads the packaged exercise library and plan_rules.yaml, no clock (``today`` is an input).

Layout (app policy): strength on Monday, Wednesday and Friday (Monday and Friday when there are two
sessions), runs or return-to-run sessions on Tuesday, Thursday and Saturday (alternate days, D.3),
Sunday a rest day; short mobility every day; the glute activation warm-up right before every run.
Each day's running part follows the latest check's section K rules: cycling or swimming instead
(bone stress), nothing (after a birth, until running is allowed), or the checks before running again
after a birth. Every item and note names its rule ids (plan_rules.yaml) and its sources; the words of
the notes and of a blocked week are the rules' texts there (``plan_text``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from backstride.knowledge.plan_rules import plan_text

from ..diary import CheckIn, run_today_from_diary, weekly_trend
from ..triage.model import PATTERNS, RunToday, Urgency
from .afterbirth import after_birth_of, checks_due, pelvic_floor, readiness, stage_opens
from .choice import Limits, limits_of
from .items import activation, instead_of_running, mobility, rest, strength_session, walk
from .model import WEEKDAYS, DayPlan, PlanInput, PlanItem, WeekPlan
from .notes import week_notes
from .physio import adjust_days, adjust_stage
from .physio import week_notes as physio_notes
from .rules import StageDecision, StageSession, decide_stage, replay_stages
from .running import CHECKS, CROSS_TRAIN, NO_RUN, RUN, Running, amber, run_item, unknown_today

STRENGTH_DAYS = {3: (0, 2, 4), 2: (0, 4)}  # Mon/Wed/Fri, or Mon/Fri
RUN_DAYS = (1, 3, 5)  # Tue/Thu/Sat: alternate days (D.3)
REST_DAY = 6  # Sunday
WALK_PATTERNS = frozenset({"disc", "nerve_root", "nonspecific"})  # G-WALK
EASING_PATTERNS = frozenset({"nerve_root"})  # two strength sessions while easing in
BONE_STRESS_CARDIO = ("cycling", "swimming")  # K.4: pain-free non-impact cardio only

# Patterns whose plan waits for a doctor (they come with an urgent result; held here too).
DOCTOR_FIRST_PATTERNS = frozenset({"bone_or_serious", "not_from_the_back", "not_assessed"})
# Section K patterns without an exercise list of their own: planned from the general list, within
# the limits of their rules (choice.py: K4-NO-LOAD, K6-PREGNANCY).
EXERCISE_LIST_OF = {"bone_stress": "nonspecific", "pregnancy_related": "nonspecific"}


# --- the week ---------------------------------------------------------------------------------------


def pain_rose(
    check_ins: Sequence[CheckIn],
    today: date,
    urgency: Urgency = Urgency.SELF_MANAGE,
    pattern: str | None = None,
    episode_start: date | None = None,
    colour_on: Callable[[date], RunToday | None] | None = None,
) -> bool:
    """DOSE-DOWN: the weekly trend is worse, or a day in the last 7 (today included) was red. The
    rules a full check leaves in force (R7, R8, A7) are not read here: they are not pain rising.
    ``colour_on``: a day's colour from the same inputs, when the caller has it (remembered)."""
    if weekly_trend(check_ins, today) == "worse":
        return True
    logged = {c.day for c in check_ins}
    for back in range(7):
        day = today - timedelta(days=back)
        if day in logged:
            if colour_on is not None:
                colour = colour_on(day)
            else:
                colour, _ = run_today_from_diary(check_ins, day, urgency, pattern, episode_start)
            if colour == RunToday.RED:
                return True
    return False


DayColour = Callable[[date, bool], RunToday | None]


def _colours(inp: PlanInput) -> DayColour:
    """A day's run-today colour (with or without the rules the latest check left in force), worked
    out once per ``build_week``: the plans of the week's past days ask about the same days again,
    and a day's colour depends on the diary up to that day, not on which day the plan is built for."""
    memo: dict[tuple[date, bool], RunToday | None] = {}

    def colour(day: date, with_standing: bool) -> RunToday | None:
        key = (day, with_standing)
        if key not in memo:
            standing = inp.standing if with_standing else None
            memo[key], _ = run_today_from_diary(
                inp.check_ins, day, inp.urgency, inp.pattern, inp.episode_start, standing
            )
        return memo[key]

    return colour


def build_week(inp: PlanInput) -> WeekPlan:
    """The plan for the week starting ``inp.week_start`` (a Monday); see the module docstring.

    Days before ``inp.today`` are shown as they were planned on that day (that day's colour, dose and
    stage), so what the runner ticked off then still matches; later days follow today's data."""
    colours = _colours(inp)
    plan = _build(inp, colours=colours)
    past = [i for i, day in enumerate(plan.days) if day.day < inp.today]
    if not past:
        return plan
    days = list(plan.days)
    for index in past:
        as_then = _build(
            replace(inp, today=days[index].day, run_today=None), unknown_today=False, colours=colours
        )
        days[index] = replace(as_then.days[index], is_today=False)
    return replace(plan, days=tuple(days))


def _stage_decision(inp: PlanInput, sessions: Sequence[StageSession] | None = None) -> StageDecision:
    trend_worse = weekly_trend(inp.check_ins, inp.today) == "worse"
    done = inp.stage_sessions if sessions is None else sessions
    return decide_stage(done, inp.today, inp.check_ins, trend_worse)


def _running(inp: PlanInput, week: list[date], limits: Limits) -> Running:
    after = after_birth_of(inp.standing)
    if limits.bone_stress:  # K4-NO-RUN: no stage until a new check shows no bone stress rule
        return Running(dict.fromkeys(week, CROSS_TRAIN), None, None, after)
    if after is None:
        return Running(dict.fromkeys(week, RUN), _stage_decision(inp) if inp.returning else None)
    opens = stage_opens(after, inp.readiness_ticks)
    modes: dict[date, str] = {}
    for day in week:
        if after.no_running(day):
            modes[day] = NO_RUN
        elif after.gate_applies(day) and (opens is None or day < opens):
            modes[day] = CHECKS
        else:
            modes[day] = RUN
    gated = [d for d in week if modes[d] == RUN and after.gate_applies(d)]
    if gated and opens is not None:  # after the checks: the graded return from stage 1 (K.6)
        since = replay_stages([s for s in inp.stage_sessions if s.day >= opens])
        decision: StageDecision | None = _stage_decision(inp, since)
    elif any(modes[d] == RUN for d in week) and inp.returning:
        decision = _stage_decision(inp)
    else:
        decision = None
    shown = any(after.gate_applies(d) for d in week)
    return Running(modes, decision, readiness(after, inp.readiness_ticks) if shown else None, after)


def _today_colour(inp: PlanInput, colours: DayColour) -> RunToday | None:
    """Today's run-today colour, with the rules the latest check left in force (R7, R8, A7)."""
    if inp.run_today is not None:
        return inp.run_today
    return colours(inp.today, True)


@dataclass(frozen=True)
class _Week:
    """What every day of the week is built from."""

    inp: PlanInput
    pattern: str  # the exercise list planned from
    limits: Limits
    running: Running
    colour: RunToday | None
    dose_down: bool
    strength_days: tuple[int, ...]
    mobility: tuple[PlanItem, ...]
    unknown_today: bool


def _run_part(w: _Week, index: int, day: date) -> list[PlanItem]:
    """The day's running part: a run (as today's colour allows), its replacements, or nothing."""
    mode, is_today = w.running.modes[day], day == w.inp.today
    if mode == CHECKS and w.running.after is not None:
        # The checks not yet ticked are due today; a later day cannot be ticked yet, so it shows none
        # (the week's readiness lists them all). No impact checks on a red day.
        if day > w.inp.today or (is_today and w.colour == RunToday.RED):
            return []
        return checks_due(w.running.after, w.inp.readiness_ticks, day)
    if index not in RUN_DAYS or mode == NO_RUN:
        return []
    if mode == CROSS_TRAIN:
        return instead_of_running(w.pattern, w.limits, BONE_STRESS_CARDIO, "K4-NO-RUN")
    if is_today and w.colour == RunToday.RED:
        return instead_of_running(w.pattern, w.limits)
    run = run_item(w.inp, w.pattern, w.running.stage, w.limits)
    if is_today and w.colour == RunToday.AMBER:
        run = amber(run, w.limits)
    elif is_today and w.colour is None and w.unknown_today:
        run = unknown_today(run)
    return [activation(), run]


def _walk_part(w: _Week, index: int, day: date) -> list[PlanItem]:
    after = w.running.after
    if w.limits.bone_stress:  # K.4: cycling or swimming only
        return []
    if after is not None and after.no_running(day):
        return [walk(w.pattern, ("K6-WALK-DAILY",))]  # every day while running waits (K.6)
    if w.pattern in WALK_PATTERNS and index not in RUN_DAYS:
        return [walk(w.pattern)]
    return []


def _day(w: _Week, index: int, day: date) -> DayPlan:
    items: list[PlanItem] = []
    if index in w.strength_days:
        session = w.strength_days.index(index)
        items.extend(strength_session(w.inp, w.pattern, session, w.dose_down, w.limits))
    items.extend(_run_part(w, index, day))
    if index == REST_DAY:
        items.append(rest())
    items.extend(w.mobility)
    if w.running.after is not None and w.running.after.first_year(day):
        items.append(pelvic_floor())
    items.extend(_walk_part(w, index, day))
    return DayPlan(day, tuple(items), day == w.inp.today)


def _blocked_by(rule_id: str, week_start: date) -> WeekPlan:
    """A week with no plan, saying why in the words of its rule (its text in plan_texts.yaml)."""
    return WeekPlan(week_start, (), plan_text(rule_id), rule_id)


def _blocked(inp: PlanInput) -> WeekPlan | None:
    if inp.week_start.weekday() != 0:
        raise ValueError(
            f"week_start must be a Monday, got {inp.week_start} ({WEEKDAYS[inp.week_start.weekday()]})"
        )
    if inp.pattern is not None and inp.pattern not in PATTERNS:
        raise ValueError(f"unknown pattern {inp.pattern!r}; expected one of {list(PATTERNS)}")
    if inp.urgency >= Urgency.DOCTOR_SOON or inp.pattern in DOCTOR_FIRST_PATTERNS:
        return _blocked_by("BLOCK-URGENT", inp.week_start)
    if not inp.has_check:
        return _blocked_by("BLOCK-NO-CHECK", inp.week_start)
    return None


def _build(inp: PlanInput, unknown_today: bool = True, colours: DayColour | None = None) -> WeekPlan:
    """The week as seen on ``inp.today``. ``unknown_today``: mark today's run "log today first" when
    the diary has no entry (for the real today, not for a past day rebuilt). ``colours``: the days'
    colours, shared by the builds of one week."""
    blocked = _blocked(inp)
    if blocked is not None:
        # A paused plan gives no exercises, but the physio's notes still reach the runner.
        notes = tuple(a for a in inp.adjustments if a.kind == "note" and a.in_force(inp.today))
        return replace(blocked, adjustments=notes) if notes else blocked
    colours = colours or _colours(inp)
    pattern = EXERCISE_LIST_OF.get(inp.pattern or "nonspecific", inp.pattern or "nonspecific")
    limits = limits_of(inp.standing, inp.pattern)
    week = [inp.week_start + timedelta(days=i) for i in range(7)]
    running = _running(inp, week, limits)
    dose_down = pain_rose(
        inp.check_ins,
        inp.today,
        inp.urgency,
        inp.pattern,
        inp.episode_start,
        colour_on=lambda day: colours(day, False),
    )
    today_in_week = week[0] <= inp.today <= week[-1]
    colour = _today_colour(inp, colours) if today_in_week else None
    # A clinician's adjustments come after the rules (physio.py; safety still wins).
    in_force = tuple(a for a in inp.adjustments if a.in_force(inp.today))
    decision, waiting = adjust_stage(running.decision, in_force, colour, inp.urgency)
    if decision is not running.decision:
        running = replace(running, decision=decision)
    sessions = 2 if (pattern in EASING_PATTERNS or inp.startback_risk == "high" or dose_down) else 3
    daily = tuple(mobility(pattern, limits))
    w = _Week(inp, pattern, limits, running, colour, dose_down, STRENGTH_DAYS[sessions], daily, unknown_today)
    days = adjust_days([_day(w, index, day) for index, day in enumerate(week)], inp.adjustments)
    notes = physio_notes(in_force, waiting)
    notes += week_notes(inp, pattern, limits, running, colour, dose_down, today_in_week)
    return WeekPlan(
        week_start=inp.week_start,
        days=days,
        notes=tuple(notes),
        stage=running.stage,
        stage_decision=running.decision,
        run_today=colour,
        dose_down=dose_down,
        readiness=running.readiness,
        adjustments=in_force,
    )
