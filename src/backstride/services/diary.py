"""The daily check-in: one entry per day (editing replaces it), with the repeated red-flag screen
(spec A.8). An escalation is stored with the entry and stays on the dashboard until a new full
symptom check clears it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User
from django.db import transaction

from backstride.core import diary
from backstride.core.triage import TriageResult
from backstride.storage.models import DiaryEntry

from .errors import BadAnswers, NotFound

ENTRY_FIELDS = (
    "pain_now",
    "stiffness",
    "sitting_hours",
    "sleep_hours",
    "note",
    "socks_shoes_difficult",
    "ran",
    *diary.RUN_RATINGS,
    "exercises_done",
)


@dataclass(frozen=True)
class CheckInOutcome:
    entry: DiaryEntry
    escalation: TriageResult | None


def _bad(error: diary.InvalidCheckIn) -> BadAnswers:
    problems = [(problem.field, problem.message) for problem in error.problems]
    return BadAnswers(f"{len(problems)} problem(s); nothing was saved", problems)


def log_check_in(user: User, raw: Mapping[str, object], today: date) -> CheckInOutcome:
    """Validate, screen, store (one transaction). A second entry for the same day replaces the first."""
    try:
        check_in = diary.validate_check_in(raw, today)
    except diary.InvalidCheckIn as error:
        raise _bad(error) from error
    escalated = diary.escalation(check_in)
    values: dict[str, object] = {name: getattr(check_in, name) for name in ENTRY_FIELDS}
    values.update(
        locations=sorted(check_in.locations),
        red_flags=dict(check_in.red_flags),
        escalation=escalated.urgency.code if escalated else "",
        escalation_rules=list(escalated.red_flags) if escalated else [],
        escalation_cleared=False,
    )
    with transaction.atomic():
        entry, _ = DiaryEntry.objects.update_or_create(owner=user, day=check_in.day, defaults=values)
    return CheckInOutcome(entry, escalated)


def set_next_morning(user: User, run_day: date, pain: object, today: date) -> DiaryEntry:
    """Add the next-morning rating to a run day's entry (asked the morning after)."""
    entry = DiaryEntry.objects.filter(owner=user, day=run_day).first()
    if entry is None:
        raise NotFound(f"no diary entry for {run_day}: log that day first")
    raw = {**entry_as_raw(entry), "pain_next_morning": pain}
    # Validated as of the day after the run, when the morning rating exists.
    return log_check_in(user, raw, max(today, run_day)).entry


def entry_as_raw(entry: DiaryEntry) -> dict[str, object]:
    raw: dict[str, object] = {name: getattr(entry, name) for name in ENTRY_FIELDS}
    raw.update(
        day=entry.day, locations=list(entry.locations), red_flags=dict(entry.red_flags), note=entry.note
    )
    return {key: value for key, value in raw.items() if value is not None}


def as_check_in(entry: DiaryEntry) -> diary.CheckIn:
    return diary.CheckIn(
        day=entry.day,
        pain_now=entry.pain_now,
        locations=frozenset(entry.locations),
        stiffness=entry.stiffness,
        sitting_hours=entry.sitting_hours,
        sleep_hours=entry.sleep_hours,
        note=entry.note,
        socks_shoes_difficult=entry.socks_shoes_difficult,
        ran=entry.ran,
        pain_before_run=entry.pain_before_run,
        pain_during_run=entry.pain_during_run,
        pain_after_run=entry.pain_after_run,
        pain_next_morning=entry.pain_next_morning,
        exercises_done=entry.exercises_done,
        red_flags=dict(entry.red_flags),
    )


def check_ins_since(user: User, since: date) -> list[diary.CheckIn]:
    return [
        as_check_in(entry) for entry in DiaryEntry.objects.filter(owner=user, day__gte=since).order_by("day")
    ]


def active_escalation(user: User) -> DiaryEntry | None:
    return (
        DiaryEntry.objects.filter(owner=user, escalation_cleared=False)
        .exclude(escalation="")
        .order_by("-day")
        .first()
    )


def clear_escalations(user: User) -> int:
    """A new full symptom check supersedes earlier check-in escalations."""
    return (
        DiaryEntry.objects.filter(owner=user, escalation_cleared=False)
        .exclude(escalation="")
        .update(escalation_cleared=True)
    )


def delete_entry(user: User, day: date) -> None:
    deleted, _ = DiaryEntry.objects.filter(owner=user, day=day).delete()
    if not deleted:
        raise NotFound(f"no diary entry for {day}")


def entry_for(user: User, day: date) -> DiaryEntry | None:
    return DiaryEntry.objects.filter(owner=user, day=day).first()
