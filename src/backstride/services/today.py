"""May I run today? The D.2 traffic light recomputed from the diary, with its reasons."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import TypedDict

from django.contrib.auth.models import User
from django.db.models import OuterRef, Q, Subquery

from backstride import config
from backstride.config import local_day
from backstride.core import diary
from backstride.core.diary import CheckIn
from backstride.core.triage import FiredRule, RunToday, Urgency
from backstride.core.triage.model import Answer
from backstride.core.triage.standing import Standing
from backstride.knowledge import snapshot
from backstride.storage.models import DiaryEntry, SymptomCheck

from .diary import check_ins_since, uncleared_escalations_each
from .standing import standing_from
from .todays_light import TodaysLight, todays_light
from .users import profile_for

# The knowledge texts come from knowledge.snapshot: `backstride today` shows them without loading the
# validators (pydantic, the YAML) once the snapshot is made.

DIARY_WINDOW_DAYS = 56  # enough for the weekly trend and the day-28/42 re-check reminders


class CitedSource(TypedDict):
    id: str
    citation: str


class Alert(TypedDict):
    """The most urgent unresolved result, from a full check or a check-in escalation."""

    source: str  # "check" | "check_in"
    day: str  # ISO date
    urgency: str  # an Urgency code
    urgency_when: str | None  # "now", "today", "24-48h", "1-2 weeks" or None
    headline: str
    action: str
    rules: list[str]


class RunTodayReason(TypedDict):
    rule: str
    text: str
    answers: dict[str, Answer]  # the answers (item id -> value) that made the rule fire


class RunTodayResult(TypedDict):
    """`backstride today --format json`, and the dashboard's run-today box."""

    date: str  # ISO date
    run_today: str | None  # a RunToday code; None until today's pain is logged
    message: str | None
    urgency: str
    reasons: list[RunTodayReason]
    escalation: Alert | None
    full_check_due: list[str]
    latest_full_check: str | None  # ISO date
    sources: list[CitedSource]
    # What today's answers came from: "diary" (today's check-in) and/or "full_check" (a full check
    # done today, which counts as today's check-in); [] before either.
    based_on: list[str]


def episode_of(latest: SymptomCheck | None) -> tuple[date | None, date | None]:
    """(episode start, day of the latest full check) from the latest completed check."""
    if latest is None:
        return None, None
    checked = local_day(latest.created_at)
    days = latest.answers.get("duration_days")
    start = checked - timedelta(days=int(days)) if isinstance(days, int | float) else checked
    return start, checked


def knowledge_cache() -> Path:
    """Where the knowledge snapshot is kept: the data folder's cache (derived data, no records)."""
    return config.data_dir() / "cache"


def _alert(source: str, day: date, code: str, rules: list[str], user: User) -> Alert:
    """The alert's words (its tier's or deciding rule's, with the user's emergency numbers), from the
    knowledge snapshot as the reasons are."""
    from .urgency_text import worded

    folder = knowledge_cache()
    urgency = Urgency.from_code(code)
    numbers = snapshot.emergency_numbers(profile_for(user).country or None, folder)
    said = worded(
        urgency,
        rules,
        numbers,
        lambda tier: snapshot.tier(tier, folder),
        lambda rule_id: snapshot.rule_words(rule_id, folder),
    )
    return {
        "source": source,
        "day": day.isoformat(),
        "urgency": code,
        "urgency_when": said.when,
        "headline": said.headline,
        "action": said.action,
        "rules": rules,
    }


def current_alert(user: User) -> tuple[Urgency, Alert | None, SymptomCheck | None]:
    """The highest urgency on record that no later full check has superseded: the latest completed
    check, any check stopped by an emergency answer after it, and every uncleared check-in
    escalation. (urgency, what to show, the latest completed check)."""
    return current_alerts([user])[user.pk]


def current_alerts(users: Sequence[User]) -> dict[int, tuple[Urgency, Alert | None, SymptomCheck | None]]:
    """``current_alert`` for several runners (a clinician's caseload), in the same three queries: the
    latest completed check of each, the checks stopped after it, the uncleared escalations."""
    owners = [user.pk for user in users]
    completed = SymptomCheck.objects.filter(completed=True)
    newest = completed.filter(owner_id=OuterRef("owner_id")).order_by("-created_at")
    latest_of: dict[int, SymptomCheck] = {
        check.owner_id: check
        for check in completed.filter(owner_id__in=owners, id=Subquery(newest.values("id")[:1]))
    }
    after = Q(owner_id__in=[])
    for owner in owners:
        latest = latest_of.get(owner)
        after |= Q(owner_id=owner) if latest is None else Q(owner_id=owner, created_at__gt=latest.created_at)
    stopped: dict[int, list[SymptomCheck]] = {owner: [] for owner in owners}
    for check in SymptomCheck.objects.filter(after, completed=False).order_by("owner_id", "-created_at"):
        if len(stopped[check.owner_id]) < STOPPED_SHOWN:
            stopped[check.owner_id].append(check)
    escalations = uncleared_escalations_each(owners)
    return {
        user.pk: _most_urgent(user, latest_of.get(user.pk), stopped[user.pk], escalations[user.pk])
        for user in users
    }


STOPPED_SHOWN = 5  # checks stopped by an emergency answer after the latest full one: the newest count


def _most_urgent(
    user: User, latest: SymptomCheck | None, stopped: list[SymptomCheck], escalations: list[DiaryEntry]
) -> tuple[Urgency, Alert | None, SymptomCheck | None]:
    checks = ([latest] if latest is not None else []) + stopped
    sources = [
        (
            "check",
            local_day(check.created_at),
            check.urgency,
            check.report.get("urgency_rules") or check.report.get("red_flags", []),
        )
        for check in checks
    ]
    sources += [("check_in", entry.day, entry.escalation, entry.escalation_rules) for entry in escalations]
    if not sources:
        return Urgency.SELF_MANAGE, None, latest
    # The first of the most urgent (the latest day among equals); worded only when it is shown.
    candidates = [(Urgency.from_code(code), day, -index) for index, (_, day, code, _) in enumerate(sources)]
    urgency, _, last = max(candidates)
    index = -last
    if urgency < Urgency.DOCTOR_SOON:
        return urgency, None, latest
    return urgency, _alert(*sources[index], user), latest


def run_today(user: User, today: date) -> RunTodayResult:
    urgency, alert, latest = current_alert(user)
    entries = check_ins_since(user, today - timedelta(days=DIARY_WINDOW_DAYS))
    return run_today_from(today, urgency, alert, latest, entries, standing_from(latest, today))


def run_today_from(
    today: date,
    urgency: Urgency,
    alert: Alert | None,
    latest: SymptomCheck | None,
    check_ins: list[CheckIn],
    in_force: Standing,
) -> RunTodayResult:
    """``run_today`` from what was already read (``current_alert``, the diary, the latest check as it
    stands today): the dashboard reads them once for this and for the plan. Only the diary's last
    DIARY_WINDOW_DAYS are used, whatever ``check_ins`` holds."""
    episode_start, last_check = episode_of(latest)
    window = today - timedelta(days=DIARY_WINDOW_DAYS)
    entries = [entry for entry in check_ins if entry.day >= window]
    # A full check done today counts as today's check-in, never greener than either (todays_light).
    light = todays_light(today, urgency, latest, entries, in_force, episode_start)
    colour, fired = light.colour, light.fired
    if colour is None and urgency >= Urgency.DOCTOR_SOON:
        # No entry today does not make an urgent result wait: no running until seen (R1).
        colour, fired = RunToday.RED, [FiredRule("R1", "run_today", "red", {})]
    folder = knowledge_cache()
    reasons: list[RunTodayReason] = [
        {"rule": rule.rule_id, "text": snapshot.rule(rule.rule_id, folder)[0], "answers": dict(rule.answers)}
        for rule in fired
    ]
    source_ids = [source for rule in fired for source in snapshot.rule(rule.rule_id, folder)[1]]
    recheck = diary.needs_full_recheck(entries, today, episode_start, last_check)
    return {
        "date": today.isoformat(),
        "run_today": colour.code if colour is not None else None,
        "message": _unknown_message(light) if colour is None else None,
        "urgency": urgency.code,
        "reasons": reasons,
        # The most urgent unresolved result, from a full check or a check-in (shown until a new check).
        "escalation": alert,
        "full_check_due": [snapshot.recheck_message(key, folder) for key in recheck],
        "latest_full_check": last_check.isoformat() if last_check else None,
        "sources": [
            {"id": source_id, "citation": citation}
            for source_id, citation in snapshot.citations(source_ids, folder)
        ],
        "based_on": light.based_on,
    }


def _unknown_message(light: TodaysLight) -> str:
    """Why there is no colour yet: today's pain is not logged (or today's full check did not ask it)."""
    text_id = "RUN-TODAY-UNKNOWN/check-no-pain" if light.check_without_pain else "RUN-TODAY-UNKNOWN"
    return snapshot.plan_text(text_id, knowledge_cache())
