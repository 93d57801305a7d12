"""What the runner did of the plan: dose steps earned from ticked-off sessions, and adherence.

Pure. Ticks come in as ``DoneItem`` rows; the diary's check-ins decide whether a session counts
towards the next dose step (rule DOSE-EARN in plan_rules.yaml).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from ..diary import CheckIn
from .builder import WeekPlan

SESSIONS_PER_STEP = 2  # DOSE-EARN (app policy): two good sessions at a dose earn the next step
EARN_PAIN_MAX = 3  # DOSE-EARN: a session counts when that day's logged pain was 3/10 or less
TICKABLE = frozenset({"strength", "mobility", "activation", "run", "cross_training", "walk"})


@dataclass(frozen=True)
class DoneItem:
    """One ticked-off plan item: on ``day``, the item with ``key`` (PlanItem.key)."""

    day: date
    key: str
    step_key: str | None = None  # PlanItem.step_key for strength items: whose dose the tick advances


def earned_steps(done: Iterable[DoneItem], check_ins: Iterable[CheckIn]) -> dict[str, int]:
    """Dose steps earned per strength slot (PlanItem.step_key): one step for every
    ``SESSIONS_PER_STEP`` ticked sessions on days whose logged pain was at most ``EARN_PAIN_MAX``.
    A day with no diary entry counts: the weekly DOSE-DOWN rule still steps back when pain rises."""
    pain_on = {c.day: c.pain_now for c in check_ins}
    good: Counter[str] = Counter()
    seen: set[tuple[date, str]] = set()
    for item in done:
        if item.step_key is None or (item.day, item.step_key) in seen:
            continue
        seen.add((item.day, item.step_key))
        pain = pain_on.get(item.day)
        if pain is None or pain <= EARN_PAIN_MAX:
            good[item.step_key] += 1
    return {key: count // SESSIONS_PER_STEP for key, count in good.items() if count >= SESSIONS_PER_STEP}


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
    ``through``. Rest days have nothing to tick, and a red day's "instead of running" choices count
    as one item, done when any of them is."""
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
        items = [i for i in day.items if i.kind in TICKABLE]
        for item in items:
            if not item.alternative:
                count(item.kind, (day.day, item.key) in ticked)
        choices = [i for i in items if i.alternative]
        if choices:
            count("cross_training", any((day.day, i.key) in ticked for i in choices))
    return Adherence(plan.week_start, through, planned, done_count, by_kind)
