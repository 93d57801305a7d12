"""Today's session, one exercise at a time (issue 13 item 4): the exercises of today's plan in the
plan's order, each with its animated figure, its dose and how to do it, and "Mark done" that ticks
them all off in one transaction (the same service as the plan's Done buttons)."""

from __future__ import annotations

from datetime import date
from typing import TypedDict

from django.contrib.auth.models import User

from backstride.knowledge.exercises import exercise

from . import exercises as library
from .errors import BackstrideError
from .plan import plan_inputs, set_many_done, ticking_off, today_and_adherence
from .plan_json import AdjustmentJson, PlanItemRow, session_items


class SessionStep(TypedDict):
    number: int  # 1, 2, ...
    item: PlanItemRow
    how: list[str]  # the exercise's steps
    motion: str  # the animated figure (SVG)
    still: str  # start and end positions one above the other (SVG), when motion is reduced


class Session(TypedDict):
    today: str  # ISO date
    blocked: str | None  # no plan today, and why
    ticking_off: str | None  # why "Mark done" cannot tick today, when it cannot
    steps: list[SessionStep]
    done: int  # steps already ticked off today
    adjustments: list[AdjustmentJson]  # a clinician's, in force today (clinic mode)


def todays_session(user: User, today: date) -> Session:
    plan = today_and_adherence(user, today, plan_inputs(user, today))
    items = [] if plan["blocked"] else session_items(plan["items"])
    return {
        "today": today.isoformat(),
        "blocked": plan["blocked"],
        "ticking_off": ticking_off(plan["plan_since"], today),
        "steps": [step(number, item) for number, item in enumerate(items, start=1)],
        "done": sum(1 for item in items if item["done"]),
        "adjustments": plan["adjustments"],
    }


def step(number: int, item: PlanItemRow) -> SessionStep:
    exercise_id = item["exercise_id"] or ""
    return {
        "number": number,
        "item": item,
        "how": list(exercise(exercise_id).steps),
        "motion": library.motion_picture(exercise_id),
        "still": library.body_picture(exercise_id, stacked=True),
    }


def finish_session(user: User, today: date) -> list[str]:
    """Tick off every exercise of today's session (those already ticked stay ticked): one transaction,
    all or none. The titles ticked; a refusal says why in words (no plan today, or ticking is off)."""
    plan = today_and_adherence(user, today, plan_inputs(user, today))
    refusal = plan["blocked"] or plan["ticking_off"]
    if refusal:
        raise BackstrideError(refusal)
    keys = [item["key"] for item in session_items(plan["items"])]
    return set_many_done(user, today, keys, today) if keys else []
