"""The weekly exercise and running plan (issue 5; spec clinical.md D.2, D.3, G, K.4-K.6). Pure.

``build_week(PlanInput(...)) -> WeekPlan``; the rules live in knowledge/plan_rules.yaml and the plan's
sentences to the runner (every note, item "why" and stage decision reason, by rule id, read with
``plan_text``) in knowledge/plan_texts.yaml: the core picks a text and fills in its values.
"""

from backstride.knowledge.plan_rules import plan_text

from .builder import DOCTOR_FIRST_PATTERNS, build_week
from .items import dose_text
from .model import KINDS, CheckDone, DayPlan, PlanInput, PlanItem, PlanNote, Readiness, WeekPlan
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
    "DOCTOR_FIRST_PATTERNS",
    "KINDS",
    "Adherence",
    "CheckDone",
    "DayPlan",
    "DoneItem",
    "PlanInput",
    "PlanItem",
    "PlanNote",
    "PlanRule",
    "Readiness",
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
    "plan_text",
    "rule",
]
