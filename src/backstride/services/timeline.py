"""A shared runner's timeline for their clinician (issue 15 item 4): full checks, diary days, runs,
form checks and plan ticks interleaved, newest first, one heading per day. Bounded: the last
DEFAULT_WEEKS weeks unless asked for more (at most MAX_WEEKS), five queries whatever the history."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth.models import User

from backstride.config import local_day, local_tz
from backstride.core.pace import metres_per_unit
from backstride.knowledge import catalog
from backstride.storage.models import Activity, DiaryEntry, FormCheck, PlanItemDone, SymptomCheck

from . import access_log
from .caseload import RUN_TODAY_WORDS, URGENCY_WORDS
from .record_names import SPORT_WORDS, day_words
from .runs import day_of
from .sharing import shared_runner
from .users import units_of

DEFAULT_WEEKS = 12
MAX_WEEKS = 104
# Order within a day (newest first across days; within one day the check first, then the diary...).
KIND_ORDER = {"check": 0, "check_in": 1, "run": 2, "form_check": 3, "plan": 4}
FORM_STATUS_WORDS = {
    "queued": "Waiting to be analysed",
    "running": "Being analysed",
    "done": "Analysed",
    "failed": "Could not be analysed",
}


@dataclass(frozen=True)
class TimelineItem:
    kind: str  # "check" | "check_in" | "run" | "form_check" | "plan"
    title: str  # in words: "Full check", "Check-in", "Run 8.2 km"
    details: list[str]  # more words, one line each
    urgent: bool  # an emergency or see-a-doctor-soon result, or a check-in escalation
    record_id: int | None  # the check's, run's or form check's id; None for a diary day or ticks


@dataclass(frozen=True)
class TimelineDay:
    day: str  # ISO date
    day_words: str  # "Monday 7 December"
    items: list[TimelineItem] = field(default_factory=list)


@dataclass(frozen=True)
class Timeline:
    runner_id: int
    runner_name: str
    weeks: int
    first: str  # ISO date: the oldest day shown
    last: str  # ISO date: today
    days: list[TimelineDay]

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def bounded_weeks(weeks: int | None) -> int:
    """``?weeks=`` or ``--weeks``: DEFAULT_WEEKS when not given, at least 1 and at most MAX_WEEKS."""
    return DEFAULT_WEEKS if weeks is None else max(1, min(MAX_WEEKS, weeks))


def _checks(runner: User, start: datetime) -> list[tuple[date, TimelineItem]]:
    rows = SymptomCheck.objects.filter(owner=runner, created_at__gte=start).values_list(
        "id", "created_at", "urgency", "likely_pattern", "run_today", "pain_now", "completed"
    )
    items = []
    for check_id, at, urgency, pattern, run_today, pain, completed in rows:
        details = [URGENCY_WORDS.get(urgency, urgency)]
        if pattern and pattern in catalog.patterns():
            details.append(f"Likely pattern: {catalog.pattern(pattern).name}")
        if run_today:
            details.append(f"Run today: {RUN_TODAY_WORDS.get(run_today, run_today)}")
        if pain is not None:
            details.append(f"Pain {pain}/10")
        title = "Full check" if completed else "Check stopped by an emergency answer"
        urgent = urgency in ("doctor_soon", "emergency")
        items.append((local_day(at), TimelineItem("check", title, details, urgent, check_id)))
    return items


def _diary(runner: User, first: date) -> list[tuple[date, TimelineItem]]:
    rows = DiaryEntry.objects.filter(owner=runner, day__gte=first).values_list(
        "day", "pain_now", "ran", "pain_during_run", "pain_next_morning", "escalation", "escalation_cleared"
    )
    items = []
    for day, pain, ran, during, morning, escalation, cleared in rows:
        details = [f"Pain {pain}/10"]
        if ran and during is not None:
            details.append(f"During the run {during}/10")
        if morning is not None:
            details.append(f"Next morning {morning}/10")
        if escalation:
            still = "cleared by a later full check" if cleared else "open: no full check since"
            details.append(f"Escalation: {URGENCY_WORDS.get(escalation, escalation)} ({still})")
        items.append((day, TimelineItem("check_in", "Check-in", details, bool(escalation), None)))
    return items


def _runs(runner: User, start: datetime) -> list[tuple[date, TimelineItem]]:
    unit = units_of(runner)
    per_unit, unit_words = metres_per_unit(unit), "miles" if unit == "mile" else "km"
    items = []
    for activity in Activity.objects.filter(owner=runner, start_time__gte=start - timedelta(days=1)).only(
        "id", "start_time", "utc_offset_s", "source_format", "sport", "distance_m", "moving_time_s"
    ):
        what = SPORT_WORDS.get(activity.sport, "activity").capitalize()
        title = (
            what if not activity.distance_m else f"{what} {activity.distance_m / per_unit:.1f} {unit_words}"
        )
        details = [f"{round(activity.moving_time_s / 60)} min moving"] if activity.moving_time_s else []
        items.append((day_of(activity), TimelineItem("run", title, details, False, activity.pk)))
    return items


def _form_checks(runner: User, start: datetime) -> list[tuple[date, TimelineItem]]:
    rows = FormCheck.objects.filter(owner=runner, created_at__gte=start).values_list(
        "id", "created_at", "status", "view"
    )
    return [
        (
            local_day(at),
            TimelineItem(
                "form_check",
                f"Form check ({view} view)",
                [FORM_STATUS_WORDS.get(status, status)],
                False,
                check_id,
            ),
        )
        for check_id, at, status, view in rows
    ]


def _ticks(runner: User, first: date) -> list[tuple[date, TimelineItem]]:
    by_day: dict[date, list[str]] = defaultdict(list)
    for day, title, key in PlanItemDone.objects.filter(owner=runner, day__gte=first).values_list(
        "day", "title", "item_key"
    ):
        by_day[day].append(title or key)
    return [
        (
            day,
            TimelineItem(
                "plan",
                f"Plan: {len(titles)} {'item' if len(titles) == 1 else 'items'} done",
                titles,
                False,
                None,
            ),
        )
        for day, titles in by_day.items()
    ]


def timeline(clinician: User, runner_id: int, today: date, weeks: int | None = None) -> Timeline:
    """The runner's last ``weeks`` weeks, newest day first. NotShared (a 404) unless the runner
    shares with ``clinician`` now; the runner's access log says the clinician looked."""
    runner = shared_runner(clinician, runner_id)
    shown = bounded_weeks(weeks)
    first = today - timedelta(weeks=shown) + timedelta(days=1)
    start = datetime.combine(first, time.min, local_tz())
    found = [
        *_checks(runner, start),
        *_diary(runner, first),
        *_runs(runner, start),
        *_form_checks(runner, start),
        *_ticks(runner, first),
    ]
    by_day: dict[date, list[TimelineItem]] = defaultdict(list)
    for day, item in found:
        if first <= day <= today:
            by_day[day].append(item)
    days = [
        TimelineDay(
            day.isoformat(), day_words(day, weekday=True), sorted(items, key=lambda i: KIND_ORDER[i.kind])
        )
        for day, items in sorted(by_day.items(), reverse=True)
    ]
    access_log.record(clinician, runner, "timeline")
    return Timeline(runner.pk, runner.get_username(), shown, first.isoformat(), today.isoformat(), days)
