"""A clinician's caseload (issue 15 item 4): the runners who share their records with them, those who
need them most first.

The order, one place per runner:
1. an urgent result in the last URGENT_DAYS days (a check in the emergency or see-a-doctor-soon tier,
   or a check-in escalation), newest first;
2. a check-in escalation still open (no full check since) from before that, newest first;
3. rising pain: the diary's weekly trend is "worse" (the last 7 days' mean pain up by 1 point or more
   against the 7 before, core.diary.weekly_trend), the biggest rise first;
4. not seen (no check-in and no full check) for UNSEEN_DAYS days or more, the longest first;
5. everyone else, by name.

Each row's urgency, run-today colour and adherence come from the services the runner's own pages use
(the inputs services.plan reads for the runner's own plan and dashboard, here read for all runners at
once: services.plan.plan_inputs_each), so a colour here is never greener than the runner's own. What
decides the order, the access log and the plan's rows take a fixed number of queries for the whole
caseload; each runner costs the alert's reads (2 to 4 queries)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Max

from backstride.config import local_day, local_tz
from backstride.core.diary.series import weekly_trend
from backstride.core.triage import Urgency
from backstride.storage.models import DiaryEntry, Role, SymptomCheck

from . import access_log
from .plan import PlanInputs, adherence_last_days, plan_inputs_each
from .record_names import day_words
from .sharing import runners_of
from .today import run_today_from
from .todays_light import with_check_day

CLINICIAN = Role.CLINICIAN  # the role whose pages these are (views do not import models)
URGENT_DAYS = 14
UNSEEN_DAYS = 14
URGENT_CODES = (Urgency.DOCTOR_SOON.code, Urgency.EMERGENCY.code)

URGENT, ESCALATION, RISING, UNSEEN, REST = 1, 2, 3, 4, 5
TIER_WORDS = {
    URGENT: "Urgent result",
    ESCALATION: "Open escalation",
    RISING: "Pain rising",
    UNSEEN: "Not seen lately",
    REST: "No concerns flagged",
}
URGENCY_WORDS = {
    "emergency": "Emergency",
    "doctor_soon": "See a doctor soon",
    "clinician_if_no_better": "See a clinician if no better",
    "self_manage": "Self-manage",
}
RUN_TODAY_WORDS = {
    "green": "Green: run as planned",
    "amber": "Amber: run, but easier",
    "red": "Red: no running today",
}
TREND_WORDS = {"worse": ("↑", "Rising"), "better": ("↓", "Easing"), "same": ("→", "Steady")}
UNKNOWN_TREND = ("", "Not enough check-ins to tell")


@dataclass(frozen=True)
class CaseloadRow:
    """One runner in the caseload, in words (web/caseload.html; `backstride clinic caseload`)."""

    runner_id: int
    name: str
    place: int  # 1 for the runner who needs the clinician most
    tier: int  # URGENT .. REST
    tier_words: str
    reason: str  # why the runner is in this place: "Urgent result on Monday"
    urgency: str | None  # the urgency code now (latest check and open escalations); None before a check
    urgency_words: str
    run_today: str | None  # "green" | "amber" | "red"; None without today's check-in
    run_today_words: str
    pain_trend: str | None  # "worse" | "better" | "same"; None with too few check-ins
    pain_trend_arrow: str
    pain_trend_words: str
    pain_week: float | None  # mean pain of the last 7 days
    pain_week_before: float | None  # and of the 7 days before
    adherence_done: int
    adherence_planned: int
    adherence_percent: int | None
    adherence_words: str
    last_check_in: str | None  # ISO date of the last check-in or full check
    last_check_in_words: str

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Flags:
    """What decides the caseload's order, read for every runner at once."""

    urgent: dict[int, tuple[date, str]]  # runner id -> (newest day, what) of an urgent result
    open_escalation: dict[int, date]  # runner id -> newest still-open check-in escalation
    last_seen: dict[int, date]  # runner id -> last check-in or full check


def when_words(day: date, today: date) -> str:
    """The day in words for a reason: today, yesterday, "on Monday" within the week, else
    "on 3 November"."""
    days = (today - day).days
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if 1 < days < 7:
        return f"on {day:%A}"
    return f"on {day_words(day)}"


def last_seen_words(day: date | None, today: date) -> str:
    """The last check-in in words: Today, Yesterday, "Friday (3 days ago)", "17 November (20 days
    ago)", or Never."""
    if day is None:
        return "Never"
    days = (today - day).days
    if days <= 1:
        return "Today" if days == 0 else "Yesterday"
    return f"{day:%A} ({days} days ago)" if days < 7 else f"{day_words(day)} ({days} days ago)"


def _flags(ids: list[int], today: date) -> Flags:
    """Four queries whatever the number of runners."""
    first = today - timedelta(days=URGENT_DAYS - 1)
    start = datetime.combine(first, time.min, local_tz())
    urgent: dict[int, tuple[date, str]] = {}

    def keep(owner: int, day: date, what: str) -> None:
        if owner not in urgent or day > urgent[owner][0]:
            urgent[owner] = (day, what)

    checks = SymptomCheck.objects.filter(owner_id__in=ids, created_at__gte=start, urgency__in=URGENT_CODES)
    for owner, at, code in checks.values_list("owner_id", "created_at", "urgency"):
        keep(owner, local_day(at), "Emergency result" if code == "emergency" else "Urgent result")
    escalations = DiaryEntry.objects.filter(owner_id__in=ids, escalation__gt="")
    open_escalation: dict[int, date] = {}
    for owner, day, cleared in escalations.values_list("owner_id", "day", "escalation_cleared"):
        if day >= first:
            keep(owner, day, "Check-in escalation")
        elif not cleared:
            open_escalation[owner] = max(day, open_escalation.get(owner, day))
    seen: dict[int, date] = defaultdict(lambda: date.min)
    diary = DiaryEntry.objects.filter(owner_id__in=ids).values("owner_id").annotate(last=Max("day"))
    for row in diary:
        seen[row["owner_id"]] = max(seen[row["owner_id"]], row["last"])
    full = SymptomCheck.objects.filter(owner_id__in=ids).values("owner_id").annotate(last=Max("created_at"))
    for row in full:
        seen[row["owner_id"]] = max(seen[row["owner_id"]], local_day(row["last"]))
    return Flags(urgent, open_escalation, dict(seen))


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def _row(runner: User, inputs: PlanInputs, flags: Flags, today: date) -> tuple[tuple[Any, ...], CaseloadRow]:
    """(sort key, row) for one runner from the plan's inputs, for run-today and adherence."""
    light = run_today_from(
        today, inputs.urgency, inputs.alert, inputs.latest, inputs.check_ins, inputs.standing
    )
    diary = with_check_day(inputs.check_ins, inputs.latest)  # as the runner's plan reads it
    trend = weekly_trend(diary, today)
    split, first = today - timedelta(days=6), today - timedelta(days=13)
    week = _mean([c.pain_now for c in diary if split <= c.day <= today])
    before = _mean([c.pain_now for c in diary if first <= c.day < split])
    adherence = adherence_last_days(inputs, today)
    seen = flags.last_seen.get(runner.pk)
    unseen_days = (today - seen).days if seen else None
    name = runner.get_username()
    key: tuple[float, ...]
    if runner.pk in flags.urgent:
        day, what = flags.urgent[runner.pk]
        tier, reason, key = URGENT, f"{what} {when_words(day, today)}", (-day.toordinal(),)
    elif runner.pk in flags.open_escalation:
        day = flags.open_escalation[runner.pk]
        tier, reason = ESCALATION, f"Check-in escalation {when_words(day, today)}, no full check since"
        key = (-day.toordinal(),)
    elif trend == "worse":
        tier, reason = RISING, f"Pain rising: {before} to {week} on average this week"
        key = (-((week or 0) - (before or 0)),)
    elif unseen_days is None or unseen_days >= UNSEEN_DAYS:
        tier = UNSEEN
        reason = "No check-in yet" if unseen_days is None else f"No check-in for {unseen_days} days"
        key = (-(unseen_days if unseen_days is not None else 10**6),)
    else:
        tier, reason, key = REST, "", ()
    arrow, trend_words = TREND_WORDS.get(trend or "", UNKNOWN_TREND)
    has_check = inputs.latest is not None or inputs.urgency > Urgency.SELF_MANAGE
    done, planned, percent = adherence["done"], adherence["planned"], adherence["percent"]
    row = CaseloadRow(
        runner_id=runner.pk,
        name=name,
        place=0,
        tier=tier,
        tier_words=TIER_WORDS[tier],
        reason=reason,
        urgency=inputs.urgency.code if has_check else None,
        urgency_words=URGENCY_WORDS[inputs.urgency.code] if has_check else "No check yet",
        run_today=light["run_today"],
        run_today_words=RUN_TODAY_WORDS.get(light["run_today"] or "", "Not known: no check-in today"),
        pain_trend=trend,
        pain_trend_arrow=arrow,
        pain_trend_words=trend_words,
        pain_week=week,
        pain_week_before=before,
        adherence_done=done,
        adherence_planned=planned,
        adherence_percent=percent,
        adherence_words=f"{done} of {planned} done" if planned else "Nothing planned",
        last_check_in=seen.isoformat() if seen else None,
        last_check_in_words=last_seen_words(seen, today),
    )
    return (tier, *key, name.casefold()), row


def caseload(clinician: User, today: date) -> list[CaseloadRow]:
    """The clinician's runners in order of need; each one's access log says the clinician saw their
    summary (coalesced: a reload within minutes writes no new entry)."""
    runners = runners_of(clinician)
    flags = _flags([runner.pk for runner in runners], today)
    inputs = plan_inputs_each(runners, today)
    rows_of = (_row(runner, inputs[runner.pk], flags, today) for runner in runners)
    ranked = sorted(rows_of, key=lambda pair: pair[0])
    rows = []
    for place, (_, row) in enumerate(ranked, start=1):
        rows.append(CaseloadRow(**{**asdict(row), "place": place}))
    access_log.record_for_each(clinician, runners, "caseload")
    return rows
