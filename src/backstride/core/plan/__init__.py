"""The weekly exercise and running plan (issue 5; spec clinical.md D.2, D.3, G). Pure.

``build_week(PlanInput(...)) -> WeekPlan``; the rules live in knowledge/plan_rules.yaml.
"""

from .builder import (
    BLOCKED_NO_CHECK,
    BLOCKED_URGENT,
    DOCTOR_FIRST_PATTERNS,
    KINDS,
    DayPlan,
    PlanInput,
    PlanItem,
    PlanNote,
    WeekPlan,
    build_week,
    dose_text,
)
from .progress import Adherence, DoneItem, adherence, earned_steps
from .rules import (
    PlanRule,
    SessionResult,
    StageDecision,
    StageSession,
    assess_session,
    decide_stage,
    plan_rules,
    rule,
)

__all__ = [
    "BLOCKED_NO_CHECK",
    "BLOCKED_URGENT",
    "DOCTOR_FIRST_PATTERNS",
    "KINDS",
    "Adherence",
    "DayPlan",
    "DoneItem",
    "PlanInput",
    "PlanItem",
    "PlanNote",
    "PlanRule",
    "SessionResult",
    "StageDecision",
    "StageSession",
    "WeekPlan",
    "adherence",
    "assess_session",
    "build_week",
    "decide_stage",
    "dose_text",
    "earned_steps",
    "plan_rules",
    "rule",
]
