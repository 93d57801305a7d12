"""The daily check-in: one entry per day (editing replaces it), with the repeated red-flag screen
(spec A.8). An escalation is stored with the entry and stays on the dashboard until a new full
symptom check clears it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F, Q

from backstride.core import diary
from backstride.core.triage import TriageResult, Urgency, evaluate, find_problems
from backstride.core.triage.model import Answer
from backstride.storage.models import DiaryEntry

from .errors import BadCheckIn, NotFound
from .standing import standing
from .undo import Removed, rows_of

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


def log_check_in(user: User, raw: Mapping[str, object], today: date) -> CheckInOutcome:
    """Validate, screen, store (one transaction). A second entry for the same day replaces the first."""
    context = standing(user, today).context  # age, sex, smoking, pregnancy from the full check
    try:
        check_in = diary.validate_check_in(raw, today, context)
    except diary.InvalidCheckIn as error:
        bad = BadCheckIn(error.problems)
        bad.urgent = urgent_despite_errors(raw, context)
        raise bad from error
    escalated = diary.escalation(check_in, context)
    values: dict[str, object] = {name: getattr(check_in, name) for name in ENTRY_FIELDS}
    values.update(locations=sorted(check_in.locations), red_flags=dict(check_in.red_flags))
    with transaction.atomic():
        previous = DiaryEntry.objects.select_for_update().filter(owner=user, day=check_in.day).first()
        values.update(_sticky_escalation(previous, escalated))
        entry, _ = DiaryEntry.objects.update_or_create(owner=user, day=check_in.day, defaults=values)
    return CheckInOutcome(entry, escalated)


def _sticky_escalation(previous: DiaryEntry | None, escalated: TriageResult | None) -> dict[str, object]:
    """Saving a day again may raise its escalation, never erase it: only a new full check clears
    one (and a cleared one is not brought back by a later edit that adds nothing new)."""
    old_code = previous.escalation if previous else ""
    old_rank = Urgency.from_code(old_code) if old_code else None
    new_rank = escalated.urgency if escalated else None
    if escalated is not None and new_rank is not None and (old_rank is None or new_rank > old_rank):
        return {
            "escalation": new_rank.code,
            "escalation_rules": list(escalated.red_flags),
            "escalation_cleared": False,
        }
    if previous is not None and old_code:
        return {
            "escalation": old_code,
            "escalation_rules": previous.escalation_rules,
            "escalation_cleared": previous.escalation_cleared,
        }
    return {"escalation": "", "escalation_rules": [], "escalation_cleared": False}


def urgent_despite_errors(
    raw: Mapping[str, object], context: Mapping[str, Answer] | None = None
) -> TriageResult | None:
    """The triage of whatever well-formed safety answers a refused check-in holds, when urgent."""
    flags = raw.get("red_flags")
    if not isinstance(flags, Mapping):
        return None
    answers = {
        item: value
        for item, value in flags.items()
        if item in diary.A8_ITEMS and not find_problems({item: value})
    }
    locations = raw.get("locations")
    if isinstance(locations, list | tuple):
        extent = diary.pain_extent_of(place for place in locations if place in diary.LOCATIONS)
        if extent:
            answers["pain_extent"] = extent
    result = evaluate({**(context or {}), **answers})
    return result if result.urgency >= Urgency.DOCTOR_SOON else None


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


CHECK_IN_FIELDS = tuple(field.name for field in fields(diary.CheckIn))  # DiaryEntry has each of them


def check_ins_since(user: User, since: date) -> list[diary.CheckIn]:
    """The diary from ``since`` on, oldest first. Read as plain rows with CheckIn's fields, not as
    model instances: the plan and the dashboard read a year of days on every request, write none."""
    return check_ins_since_each({user.pk: since})[user.pk]


def check_ins_since_each(since: Mapping[int, date]) -> dict[int, list[diary.CheckIn]]:
    """``check_ins_since`` for several runners (id -> first day) in one query: a clinician's caseload."""
    wanted = Q()
    for owner, first in since.items():
        wanted |= Q(owner_id=owner, day__gte=first)
    checks: dict[int, list[diary.CheckIn]] = {owner: [] for owner in since}
    if not since:
        return checks
    rows = DiaryEntry.objects.filter(wanted).order_by("owner_id", "day")
    for owner, *row in rows.values_list("owner_id", *CHECK_IN_FIELDS):
        values = dict(zip(CHECK_IN_FIELDS, row, strict=True))
        values["locations"] = frozenset(values["locations"])
        checks[owner].append(diary.CheckIn(**values))
    return checks


def uncleared_escalations_each(owners: list[int]) -> dict[int, list[DiaryEntry]]:
    """Each runner's check-in escalations no full check has cleared yet (only ever a few), in one query."""
    found: dict[int, list[DiaryEntry]] = {owner: [] for owner in owners}
    for entry in DiaryEntry.objects.filter(owner_id__in=owners, escalation__gt="", escalation_cleared=False):
        found[entry.owner_id].append(entry)
    return found


def clear_escalations(user: User) -> int:
    """A new full symptom check supersedes earlier check-in escalations. The days keep their
    ``updated_at``: it is when the runner saved the day, which ``plan.plan_since`` compares with the
    check's time (stamping the clearing would make the clearing check come before the escalation).
    So the data version does not move here; nothing remembered per version reads ``escalation_cleared``
    (the alert and the plan are read afresh on every visit)."""
    return DiaryEntry.objects.filter(owner=user, escalation__gt="", escalation_cleared=False).update(
        escalation_cleared=True, updated_at=F("updated_at")
    )


def delete_entry(user: User, day: date) -> Removed[DiaryEntry]:
    """Delete a day's check-in (not one holding an unresolved escalation). Returns what was removed,
    so that it can be put back (services.undo)."""
    with transaction.atomic():
        return _delete_entry(user, day)


def _delete_entry(user: User, day: date) -> Removed[DiaryEntry]:
    entry = DiaryEntry.objects.filter(owner=user, day=day).first()
    if entry is None:
        raise NotFound(f"no diary entry for {day}")
    if entry.escalation and not entry.escalation_cleared:
        raise BadCheckIn(
            [
                (
                    "day",
                    f"{day} holds a safety answer that needs a doctor: do a full check before deleting it",
                )
            ],
        )
    rows = rows_of([entry])
    entry.delete()
    return Removed(entry, rows)


def entry_for(user: User, day: date) -> DiaryEntry | None:
    return DiaryEntry.objects.filter(owner=user, day=day).first()
