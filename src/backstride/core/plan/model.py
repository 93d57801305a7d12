"""The plan's types: what a week is built from (PlanInput) and what it holds (WeekPlan). Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from ..adjustments import Adjustment
from ..diary import CheckIn
from ..triage.model import RunToday, Urgency
from ..triage.standing import Standing
from .rules import StageDecision, StageSession, sources_of

KINDS = (
    "strength",
    "mobility",
    "activation",
    "run",
    "cross_training",
    "rest",
    "walk",
    "pelvic_floor",  # daily after a birth (spec K.6)
    "readiness",  # a check before running again after a birth (spec K.6)
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


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
    standing: Standing = field(default_factory=Standing)  # the latest full check as it stands today
    readiness_ticks: Sequence[tuple[date, str]] = ()  # (day, readiness check id) ticked after a birth
    adjustments: Sequence[Adjustment] = ()  # a clinician's, applied after the rules (physio.py)


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
    check_id: str | None = None  # readiness items: which check (rules.ReadinessCheck.id)
    physio: str | None = None  # "Set by your physio (...): ..." when a clinician changed this item

    @property
    def key(self) -> str:
        """Identifies the item within its day, for ticking it off."""
        if self.check_id is not None:
            return f"{self.kind}:{self.check_id}"
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


def note(text: str, *rule_ids: str) -> PlanNote:
    return PlanNote(text, rule_ids, sources_of(rule_ids))


@dataclass(frozen=True)
class CheckDone:
    """One readiness check and the day it was first ticked (None: not yet)."""

    id: str
    title: str
    done_on: date | None


@dataclass(frozen=True)
class Readiness:
    """The checks before running again after a birth (spec K.6), as they stand on the plan's today."""

    checks: tuple[CheckDone, ...]
    passed_on: date | None  # the day the last check was ticked
    stage_opens: date | None  # the day after: return-to-run stage 1 may start

    @property
    def done(self) -> int:
        return sum(check.done_on is not None for check in self.checks)


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
    readiness: Readiness | None = None  # after a birth, from 12 weeks: the checks before running
    adjustments: tuple[Adjustment, ...] = ()  # a clinician's, in force on the plan's today

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
