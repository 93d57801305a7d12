"""The weekly plan's rules as data (knowledge/plan_rules.yaml) and the graded return-to-run stage
decision (spec clinical.md D.3, read with the D.2 definitions).

Pure: the rules are read, validated and cached by knowledge/plan_rules.py.

Choices made here (app policy, documented):

* A session's ``morning`` is its ``pain_next_morning``; when that is not rated, the ``pain_now`` of
  the diary entry of the next day stands in for it (D.2 reads ``pain_now`` the same way).
* ``baseline`` is the session's ``pain_before``, else 2 (D.2).
* A session whose morning is unknown cannot count as good: the stage is repeated
  (ADAPT-REPEAT-UNRATED) - the next-morning rating is what shows the back settled.
* "Caused by running" (R4-R6): the next-morning pain or the next day's ``pain_now`` is 6 or more,
  or the pain during or after went above 5 and had not settled by the next morning.
* The decision reads the most recent session; "2 consecutive sessions" are the last two sessions
  in date order, both at the current stage and both good.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal

from backstride.knowledge.plan_rules import (
    ACTIONS,
    FILENAME,
    FIRST_STAGE,
    LAST_STAGE,
    PlanRule,
    PlanRules,
    ReadinessCheck,
    Stage,
    StrengthSlot,
    plan_rules,
    plan_text,
    rules_from,
)

from ..diary import CheckIn

__all__ = [
    "ACTIONS",
    "FILENAME",
    "PlanRule",
    "PlanRules",
    "ReadinessCheck",
    "Stage",
    "StrengthSlot",
    "plan_rules",
    "rules_from",
]

PAIN_CEILING = 5  # D.1 rule 1/2: pain may reach 5/10 during and after
RED_PAIN = 6  # D.2 R4-R6
DEFAULT_BASELINE = 2  # D.2: baseline when pain before the run is not rated

Action = Literal["progress", "repeat", "step_back", "hold", "rest", "include"]


def rule(rule_id: str) -> PlanRule:
    """One rule; KeyError for an id plan_rules.yaml does not define."""
    return plan_rules().rules[rule_id]


def sources_of(rule_ids: Iterable[str], *extra: Iterable[str]) -> tuple[str, ...]:
    """The sources of these rules (and any extra source ids), de-duplicated in first-seen order."""
    seen: dict[str, None] = {}
    for rule_id in rule_ids:
        seen.update(dict.fromkeys(rule(rule_id).sources))
    for group in extra:
        seen.update(dict.fromkeys(group))
    return tuple(seen)


# --- the graded return to running (D.3) -------------------------------------------------------------


@dataclass(frozen=True)
class StageSession:
    """One return-to-run session done. Ratings are 0-10, None when not rated."""

    day: date
    stage: int
    pain_during: int | None = None
    pain_after: int | None = None
    pain_next_morning: int | None = None
    pain_before: int | None = None
    trend_worse: bool = False


Outcome = Literal["good", "amber", "red", "unrated"]


@dataclass(frozen=True)
class SessionResult:
    outcome: Outcome
    rule_id: str  # the adaptation rule this result points to
    because: str  # plain words, to follow "because" (plan_texts.yaml, RULE/variant)


@dataclass(frozen=True)
class StageDecision:
    stage: int | None  # the stage to do this week; None once stage 7 is complete
    action: str  # progress | repeat | step_back | hold
    rule_id: str
    reason: str
    previous_stage: int | None = None  # the stage of the last session, None before the first

    @property
    def completed(self) -> bool:
        """True when the graded return is complete (two good sessions at stage 7)."""
        return self.stage is None


def _next_day_pain(check_ins: Iterable[CheckIn], day: date) -> int | None:
    after = day + timedelta(days=1)
    found = [c.pain_now for c in check_ins if c.day == after]
    return found[-1] if found else None


def assess_session(session: StageSession, next_day_pain: int | None = None) -> SessionResult:
    """Classify one session by D.2's definitions: red (caused by running), amber, unrated or good."""
    baseline = session.pain_before if session.pain_before is not None else DEFAULT_BASELINE
    morning = session.pain_next_morning if session.pain_next_morning is not None else next_day_pain
    during, after = session.pain_during, session.pain_after
    exceeded = (during is not None and during >= RED_PAIN) or (after is not None and after >= RED_PAIN)
    peak = max((v for v in (during, after) if v is not None), default=None)
    if morning is not None and morning >= RED_PAIN:
        return _result("red", "ADAPT-STEP-BACK", "morning", morning=morning)
    if next_day_pain is not None and next_day_pain >= RED_PAIN:
        return _result("red", "ADAPT-STEP-BACK", "next-day", pain=next_day_pain)
    if exceeded and morning is not None and morning > baseline:
        return _result("red", "ADAPT-STEP-BACK", "not-settled", peak=peak, morning=morning, baseline=baseline)
    if exceeded:
        settled = "settled" if morning is not None else "unrated"
        return _result("amber", "ADAPT-REPEAT-AMBER", settled, peak=peak)
    if morning is not None and morning > baseline:
        return _result("amber", "ADAPT-REPEAT-MORNING", "because", morning=morning, baseline=baseline)
    if session.trend_worse:
        return _result("amber", "ADAPT-REPEAT-TREND", "session")
    if morning is None:
        return _result("unrated", "ADAPT-REPEAT-UNRATED", "because")
    return _result("good", "ADAPT-PROGRESS", "because")


def _result(outcome: Outcome, rule_id: str, variant: str, **values: object) -> SessionResult:
    """A session's result, its "because" the rule's ``variant`` text (plan_texts.yaml)."""
    return SessionResult(outcome, rule_id, plan_text(f"{rule_id}/{variant}", **values))


def replay_stages(sessions: Sequence[StageSession]) -> list[StageSession]:
    """The sessions in date order, each at the stage it was run at: replayed from the sessions before
    it with the same adaptation rules the plan uses (a session's own ``stage`` is ignored)."""
    replayed: list[StageSession] = []
    for session in sorted(sessions, key=lambda s: s.day):
        stage = decide_stage(replayed, session.day - timedelta(days=1)).stage or LAST_STAGE
        replayed.append(replace(session, stage=stage))
    return replayed


def _clamp(stage: int) -> int:
    return min(max(stage, FIRST_STAGE), LAST_STAGE)


def decide_stage(
    sessions: Sequence[StageSession],
    today: date,
    check_ins: Sequence[CheckIn] = (),
    trend_worse: bool = False,
) -> StageDecision:
    """The stage for this week (D.3): progress after 2 consecutive good sessions at the stage, repeat
    after any other amber (or an unrated morning), go back one stage after a red caused by running
    (never below stage 1). ``trend_worse`` (the diary's weekly trend) holds any progression.
    Sessions after ``today`` are ignored."""
    done = sorted((s for s in sessions if s.day <= today), key=lambda s: s.day)
    if not done:
        return StageDecision(FIRST_STAGE, "hold", "ADAPT-START", plan_text("ADAPT-START"))
    last = done[-1]
    stage = _clamp(last.stage)
    result = assess_session(last, _next_day_pain(check_ins, last.day))
    if result.outcome == "red":
        back_to = max(FIRST_STAGE, stage - 1)
        text_id = "ADAPT-STEP-BACK/first-stage" if stage == FIRST_STAGE else "ADAPT-STEP-BACK"
        reason = plan_text(text_id, stage=stage, back_to=back_to, because=result.because)
        return StageDecision(back_to, "step_back", "ADAPT-STEP-BACK", reason, stage)
    if result.outcome != "good":
        return _repeat(stage, result.rule_id, result.because)
    previous = done[-2] if len(done) >= 2 else None
    two_good = (
        previous is not None
        and _clamp(previous.stage) == stage
        and assess_session(previous, _next_day_pain(check_ins, previous.day)).outcome == "good"
    )
    if not two_good:
        return _repeat(stage, "ADAPT-REPEAT-ONE-GOOD", plan_text("ADAPT-REPEAT-ONE-GOOD/because"))
    if trend_worse:
        return _repeat(stage, "ADAPT-REPEAT-TREND", plan_text("ADAPT-REPEAT-TREND/week"))
    if stage == LAST_STAGE:
        reason = plan_text("ADAPT-STAGE-7-DONE")
        return StageDecision(None, "progress", "ADAPT-STAGE-7-DONE", reason, stage)
    reason = plan_text("ADAPT-PROGRESS", stage=stage, next_stage=stage + 1)
    return StageDecision(stage + 1, "progress", "ADAPT-PROGRESS", reason, stage)


def _repeat(stage: int, rule_id: str, because: str) -> StageDecision:
    """Stage ``stage`` again under ``rule_id``, its reason the rule's text with ``because``."""
    return StageDecision(stage, "repeat", rule_id, plan_text(rule_id, stage=stage, because=because), stage)
