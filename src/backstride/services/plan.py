"""build_plan: the week's plan from the latest check, the diary and the return-to-run history."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import User

from backstride.core.plan import PlanInput, StageSession, WeekPlan, build_week, decide_stage
from backstride.knowledge import catalog
from backstride.storage.models import DiaryEntry

from .diary import check_ins_since
from .today import current_alert, episode_of

DIARY_DAYS = 56


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _stage_sessions(user: User, since: date | None, today: date) -> list[StageSession]:
    """Run days in the diary since the episode began, each at the stage it was run at: the stage is
    replayed from the sessions before it with the same adaptation rules the plan uses."""
    entries = DiaryEntry.objects.filter(owner=user, ran=True, day__lte=today).order_by("day")
    if since is not None:
        entries = entries.filter(day__gte=since)
    sessions: list[StageSession] = []
    for entry in entries:
        decision = decide_stage(sessions, entry.day - timedelta(days=1))
        stage = decision.stage or 7
        sessions.append(
            StageSession(
                day=entry.day,
                stage=stage,
                pain_during=entry.pain_during_run,
                pain_after=entry.pain_after_run,
                pain_next_morning=entry.pain_next_morning,
                pain_before=entry.pain_before_run,
            )
        )
    return sessions


def build_plan(user: User, week_start: date, today: date) -> WeekPlan:
    urgency, _, latest = current_alert(user)
    answers = latest.answers if latest else {}
    episode_start, _ = episode_of(latest)
    sessions = _stage_sessions(user, episode_start, today)
    finished = bool(sessions) and decide_stage(sessions, today).completed
    returning = (
        latest is not None and not finished and (answers.get("ran_since_onset") is not True or bool(sessions))
    )
    return build_week(
        PlanInput(
            week_start=monday_of(week_start),
            today=today,
            urgency=urgency,
            pattern=latest.likely_pattern if latest else None,
            startback_risk=latest.startback_risk if latest else None,
            returning=returning,
            stage_sessions=sessions,
            check_ins=check_ins_since(user, today - timedelta(days=DIARY_DAYS)),
            worse_uphill=answers.get("worse_uphill") is True,
            worse_downhill=answers.get("worse_downhill") is True,
            has_check=latest is not None,
            episode_start=episode_start,
        )
    )


def plan_json(plan: WeekPlan) -> dict[str, Any]:
    def item_row(item: Any) -> dict[str, Any]:
        return {
            "kind": item.kind,
            "exercise_id": item.exercise_id,
            "title": item.title,
            "dose": item.dose,
            "minutes": item.minutes,
            "why": item.why,
            "rule_ids": list(item.rule_ids),
            "sources": list(item.sources),
            "terrain": item.terrain,
            "caution": item.caution,
        }

    decision = plan.stage_decision
    source_ids = [s for item in plan.items() for s in item.sources] + [
        s for n in plan.notes for s in n.sources
    ]
    return {
        "week_start": plan.week_start.isoformat(),
        "blocked": plan.blocked,
        "blocked_rule": plan.blocked_rule,
        "stage": plan.stage,
        "stage_decision": None
        if decision is None
        else {
            "stage": decision.stage,
            "action": decision.action,
            "rule_id": decision.rule_id,
            "reason": decision.reason,
        },
        "run_today": plan.run_today.code if plan.run_today is not None else None,
        "days": [
            {"day": day.day.isoformat(), "weekday": day.weekday, "items": [item_row(i) for i in day.items]}
            for day in plan.days
        ],
        "notes": [
            {"text": n.text, "rule_ids": list(n.rule_ids), "sources": list(n.sources)} for n in plan.notes
        ],
        "rule_ids": plan.rule_ids,
        "sources": [{"id": s.id, "citation": s.citation} for s in catalog.sources_for(source_ids)],
    }
