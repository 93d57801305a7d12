"""What the runner did of the plan: dose steps earned from ticked-off sessions, and adherence.

Pure. Ticks come in as ``DoneItem`` rows; the diary's check-ins decide whether a session counts
towards the next dose step (rule DOSE-EARN in plan_rules.yaml). Doses only ever go up on green days
while pain is not rising: safety before progress.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ..diary import CheckIn, run_today_from_diary
from ..triage.model import RunToday, Urgency
from .builder import pain_rose
from .model import WeekPlan

SESSIONS_PER_STEP = 2  # DOSE-EARN (app policy): two good sessions at a dose earn the next step
TICKABLE = frozenset(
    {"strength", "mobility", "activation", "run", "cross_training", "walk", "pelvic_floor", "readiness"}
)
# The checks before running again after a birth are ticked but not training: they stay out of adherence.
NOT_COUNTED = frozenset({"readiness"})


@dataclass(frozen=True)
class DoneItem:
    """One ticked-off plan item: on ``day``, the item with ``key`` (PlanItem.key)."""

    day: date
    key: str
    step_key: str | None = None  # PlanItem.step_key for strength items: whose dose the tick advances


def earned_steps(
    done: Iterable[DoneItem],
    check_ins: Sequence[CheckIn],
    *,
    since: date | None = None,
    urgency: Urgency = Urgency.SELF_MANAGE,
    pattern: str | None = None,
    episode_start: date | None = None,
) -> dict[str, int]:
    """Dose steps earned per strength slot (PlanItem.step_key), rule DOSE-EARN: a session counts only
    on a day the diary shows green on the run-today rule while pain was not rising (no DOSE-DOWN that
    day); every ``SESSIONS_PER_STEP`` counted sessions earn one step, at most one step per calendar
    week. Ticks before ``since`` (the episode's or the resumed plan's start) do not count."""
    colour_memo: dict[date, RunToday | None] = {}

    def good(day: date) -> bool:
        if day not in colour_memo:
            colour, _ = run_today_from_diary(check_ins, day, urgency, pattern, episode_start)
            rose = colour == RunToday.GREEN and pain_rose(check_ins, day, urgency, pattern, episode_start)
            colour_memo[day] = None if rose else colour
        return colour_memo[day] == RunToday.GREEN

    days_by_key: dict[str, set[date]] = {}
    for item in done:
        if item.step_key is not None and (since is None or item.day >= since):
            days_by_key.setdefault(item.step_key, set()).add(item.day)
    earned: dict[str, int] = {}
    for key, days in days_by_key.items():
        sessions = steps = 0
        last_step_week: date | None = None
        for day in sorted(days):
            if not good(day):
                continue
            sessions += 1
            week = day - timedelta(days=day.weekday())
            if sessions >= SESSIONS_PER_STEP and week != last_step_week:
                steps, sessions, last_step_week = steps + 1, 0, week
        if steps:
            earned[key] = steps
    return earned


@dataclass(frozen=True)
class Adherence:
    """Planned items up to and including ``through`` against the ones ticked off."""

    week_start: date
    through: date
    planned: int
    done: int
    by_kind: dict[str, tuple[int, int]]  # kind -> (done, planned)

    @property
    def percent(self) -> int | None:
        return None if self.planned == 0 else round(100 * self.done / self.planned)


def adherence(
    plan: WeekPlan, done: Sequence[DoneItem], through: date, since: date | None = None
) -> Adherence:
    """How much of ``plan`` was done on the days from ``since`` (when the runner's plan began) up to
    ``through``. Rest days have nothing to tick, a red day's "instead of running" choices count
    as one item, done when any of them is, and the readiness checks after a birth do not count."""
    ticked = {(d.day, d.key) for d in done}
    planned = done_count = 0
    by_kind: dict[str, tuple[int, int]] = {}

    def count(kind: str, hit: bool) -> None:
        nonlocal planned, done_count
        planned += 1
        done_count += hit
        was_done, was_planned = by_kind.get(kind, (0, 0))
        by_kind[kind] = (was_done + hit, was_planned + 1)

    for day in plan.days:
        if day.day > through or (since is not None and day.day < since):
            continue
        items = [i for i in day.items if i.kind in TICKABLE - NOT_COUNTED]
        for item in items:
            if not item.alternative:
                count(item.kind, (day.day, item.key) in ticked)
        choices = [i for i in items if i.alternative]
        if choices:
            count("cross_training", any((day.day, i.key) in ticked for i in choices))
    return Adherence(plan.week_start, through, planned, done_count, by_kind)
