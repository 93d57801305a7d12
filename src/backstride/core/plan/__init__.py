"""The weekly exercise and running plan (issue 5; spec clinical.md D.2, D.3, G). Pure.

``build_week(PlanInput(...)) -> WeekPlan``; the rules live in knowledge/plan_rules.yaml.
"""

from .builder import (
    BLOCKED_NO_CHECK,
    BLOCKED_URGENT,
    KINDS,
    DayPlan,
    PlanInput,
    PlanItem,
    PlanNote,
    WeekPlan,
    build_week,
    dose_text,
)
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
    "KINDS",
    "DayPlan",
    "PlanInput",
    "PlanItem",
    "PlanNote",
    "PlanRule",
    "SessionResult",
    "StageDecision",
    "StageSession",
    "WeekPlan",
    "assess_session",
    "build_week",
    "decide_stage",
    "dose_text",
    "plan_rules",
    "rule",
]
