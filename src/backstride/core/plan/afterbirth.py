"""The months after a birth (spec K.6; Goom 2019): no running under 12 weeks (PN-1) or while pelvic
floor symptoms wait for a pelvic health physiotherapist (PN-2); pelvic floor training every day; and,
from 12 weeks, the load and impact checks before return-to-run stage 1. Pure.

The checks are ticked in the plan like exercises (ticks are the only record: a tick means "done
without pain, leaking or heaviness"). Today shows the checks not ticked on an earlier day (and each
past day the ones it showed then); the gate is passed on the day the last one is ticked, and stage 1
opens the next day. Ticks count from 12
weeks after the birth (the first day the checks are shown).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from backstride.knowledge.exercises import exercises
from backstride.knowledge.plan_rules import plan_text

from ..triage.standing import POSTNATAL_NO_RUN_DAYS, Standing
from .items import why_of
from .model import CheckDone, PlanItem, Readiness
from .rules import ReadinessCheck, plan_rules, sources_of

POSTNATAL_DAYS = 52 * 7  # K.6: the rules look at the first year after a birth
PELVIC_FLOOR_ID = "pelvic-floor-training"


@dataclass(frozen=True)
class AfterBirth:
    """What the latest check says about a birth, read day by day."""

    birth_day: date | None  # None: a PN rule without a known birth day (kept out of running)
    pelvic_floor_not_cleared: bool  # PN-2 in force
    early_rule: bool  # PN-1 in force today

    def early(self, day: date) -> bool:
        """PN-1 on ``day``: under 12 weeks since the birth (it lifts by itself)."""
        if self.birth_day is None:
            return self.early_rule
        return (day - self.birth_day).days < POSTNATAL_NO_RUN_DAYS

    def no_running(self, day: date) -> bool:
        return self.early(day) or self.pelvic_floor_not_cleared

    def gate_applies(self, day: date) -> bool:
        """The checks come before running on ``day``: 12 to 52 weeks after the birth, no PN-2."""
        return (
            self.birth_day is not None
            and not self.no_running(day)
            and (day - self.birth_day).days < POSTNATAL_DAYS
        )

    def gate_start(self) -> date | None:
        return None if self.birth_day is None else self.birth_day + timedelta(days=POSTNATAL_NO_RUN_DAYS)

    def first_year(self, day: date) -> bool:
        """Pelvic floor training every day: within 52 weeks of the birth, or while PN-2 holds."""
        if self.birth_day is None or self.pelvic_floor_not_cleared:
            return True
        return 0 <= (day - self.birth_day).days < POSTNATAL_DAYS


def after_birth_of(standing: Standing) -> AfterBirth | None:
    """None unless the latest check gave a birth day or left PN-1 or PN-2 in force."""
    pn1, pn2 = "PN-1" in standing.rules, "PN-2" in standing.rules
    if standing.birth_day is None and not (pn1 or pn2):
        return None
    return AfterBirth(standing.birth_day, pn2, pn1)


# --- the gate -----------------------------------------------------------------------------------------


def _first_ticks(after: AfterBirth, ticks: Sequence[tuple[date, str]]) -> dict[str, date]:
    """The first day each check was ticked, from the day the checks were first shown."""
    start = after.gate_start()
    first: dict[str, date] = {}
    for day, check_id in sorted(ticks):
        if start is not None and day >= start:
            first.setdefault(check_id, day)
    return first


def passed_on(after: AfterBirth, ticks: Sequence[tuple[date, str]]) -> date | None:
    """The day the last check was ticked (the gate is passed), or None."""
    first = _first_ticks(after, ticks)
    checks = plan_rules().readiness_checks
    if any(check.id not in first for check in checks):
        return None
    return max(first[check.id] for check in checks)


def stage_opens(after: AfterBirth, ticks: Sequence[tuple[date, str]]) -> date | None:
    """K6-READINESS-PASSED: stage 1 opens the day after the gate is passed."""
    passed = passed_on(after, ticks)
    return None if passed is None else passed + timedelta(days=1)


def readiness(after: AfterBirth, ticks: Sequence[tuple[date, str]]) -> Readiness:
    first = _first_ticks(after, ticks)
    checks = tuple(CheckDone(c.id, c.title, first.get(c.id)) for c in plan_rules().readiness_checks)
    passed = passed_on(after, ticks)
    return Readiness(checks, passed, None if passed is None else passed + timedelta(days=1))


def _check_item(check: ReadinessCheck) -> PlanItem:
    linked = exercises().get(check.exercise or "")  # a record not in the library yet: no link
    why = plan_text("K6-READINESS/check", tick_means=tick_means())
    if check.how:
        why = f"{check.how} {why}"
    rules = ("K6-READINESS",)
    return PlanItem(
        "readiness",
        linked.id if linked is not None else None,
        check.title,
        check.dose,
        check.minutes,
        why,
        rules,
        sources_of(rules),
        check_id=check.id,
    )


def tick_means() -> str:
    """What a ticked readiness check says (plan_texts.yaml): done without pain, leaking or heaviness."""
    return plan_text("K6-READINESS/tick-means")


def checks_due(after: AfterBirth, ticks: Sequence[tuple[date, str]], day: date) -> list[PlanItem]:
    """The checks ``day`` shows: those not ticked on an earlier day."""
    earlier = {check_id for check_id, first in _first_ticks(after, ticks).items() if first < day}
    return [_check_item(c) for c in plan_rules().readiness_checks if c.id not in earlier]


# --- every day after a birth -------------------------------------------------------------------------


def pelvic_floor() -> PlanItem:
    ex = exercises()[PELVIC_FLOOR_ID]
    rules = ("K6-PELVIC-FLOOR",)
    caution = ex.caution_for("all")
    return PlanItem(
        "pelvic_floor",
        ex.id,
        ex.name,
        "10 slow squeezes (hold up to 10 s) and 10 quick ones, 3 times a day",
        5,
        why_of(plan_text("K6-PELVIC-FLOOR"), caution=caution),
        rules,
        sources_of(rules, ex.sources),
        caution=caution,
    )
