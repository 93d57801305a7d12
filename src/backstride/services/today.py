"""May I run today? The D.2 traffic light recomputed from the diary, with its reasons."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import User

from backstride.core import diary
from backstride.core.triage import Urgency
from backstride.knowledge import catalog
from backstride.storage.models import SymptomCheck

from .diary import active_escalation, check_ins_since

DIARY_WINDOW_DAYS = 56  # enough for the weekly trend and the day-28/42 re-check reminders


def _episode(latest: SymptomCheck | None) -> tuple[date | None, date | None]:
    """(episode start, day of the latest full check) from the latest completed check."""
    if latest is None:
        return None, None
    checked = latest.created_at.date()
    days = latest.answers.get("duration_days")
    start = checked - timedelta(days=int(days)) if isinstance(days, int | float) else checked
    return start, checked


def run_today(user: User, today: date) -> dict[str, Any]:
    latest = SymptomCheck.objects.filter(owner=user, completed=True).order_by("-created_at").first()
    urgency = Urgency.from_code(latest.urgency) if latest else Urgency.SELF_MANAGE
    escalated = active_escalation(user)
    if escalated is not None:
        urgency = max(urgency, Urgency.from_code(escalated.escalation))
    pattern = latest.likely_pattern if latest else None
    episode_start, last_check = _episode(latest)
    entries = check_ins_since(user, today - timedelta(days=DIARY_WINDOW_DAYS))
    colour, fired = diary.run_today_from_diary(entries, today, urgency, pattern, episode_start)
    reasons = [
        {"rule": rule.rule_id, "text": catalog.rule(rule.rule_id).title, "answers": dict(rule.answers)}
        for rule in fired
    ]
    source_ids = [source for rule in fired for source in catalog.rule(rule.rule_id).sources]
    recheck = diary.needs_full_recheck(entries, today, episode_start, last_check)
    return {
        "date": today.isoformat(),
        "run_today": colour.code if colour is not None else None,
        "message": diary.LOG_TODAY_FIRST if colour is None else None,
        "urgency": urgency.code,
        "reasons": reasons,
        "escalation": None
        if escalated is None
        else {
            "day": escalated.day.isoformat(),
            "urgency": escalated.escalation,
            "rules": escalated.escalation_rules,
        },
        "full_check_due": [diary.RECHECK_MESSAGES[key] for key in recheck],
        "latest_full_check": last_check.isoformat() if last_check else None,
        "sources": [{"id": s.id, "citation": s.citation} for s in catalog.sources_for(source_ids)],
    }
