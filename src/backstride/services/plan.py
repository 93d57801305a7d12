"""build_plan: the week's plan from the latest check, the diary and the return-to-run history."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import TypedDict

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max, Min, Q

from backstride.config import local_day
from backstride.core.adjustments import Adjustment
from backstride.core.diary import CheckIn
from backstride.core.plan import (
    Adherence,
    DoneItem,
    PlanInput,
    PlanItem,
    StageSession,
    WeekPlan,
    adherence,
    build_week,
    decide_stage,
    earned_steps,
)
from backstride.core.plan.progress import TICKABLE
from backstride.core.plan.rules import replay_stages
from backstride.core.triage.model import Urgency
from backstride.core.triage.standing import Standing
from backstride.storage.models import DiaryEntry, PlanItemDone, SymptomCheck

from .adjustments import active_for_each
from .diary import check_ins_since_each
from .errors import BackstrideError, NotFound
from .plan_json import (
    READINESS,
    AdherenceRow,
    AdjustmentJson,
    PlanItemRow,
    PlanView,
    adherence_json,
    plan_json,
    session_items,
)
from .record_names import day_words
from .standing import standing_from
from .today import Alert, current_alerts, episode_of
from .todays_light import FULL_CHECK, todays_light, with_check_day

DIARY_DAYS = 56
PROGRESS_DAYS = 400  # ticks older than this no longer count towards dose steps
DAY_LOOKBACK = 19  # days before a day that its colour and DOSE-DOWN read (6 + the 13 of the trend)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _stage_sessions(user: User, since: date | None, today: date) -> list[StageSession]:
    """Run days in the diary since the episode began, each at the stage it was run at: the stage is
    replayed from the sessions before it with the same adaptation rules the plan uses."""
    entries = DiaryEntry.objects.filter(owner=user, ran=True, day__lte=today).order_by("day")
    if since is not None:
        entries = entries.filter(day__gte=since)
    ratings = ("pain_during_run", "pain_after_run", "pain_next_morning", "pain_before_run")
    return _replayed(entries.values_list("day", *ratings))


def _replayed(
    rows: Iterable[tuple[date, int | None, int | None, int | None, int | None]],
) -> list[StageSession]:
    """(day, pain during, after, next morning, before) of each run day, oldest first, as sessions."""
    return replay_stages(
        [
            StageSession(
                day=day,
                stage=1,  # replayed
                pain_during=during,
                pain_after=after,
                pain_next_morning=next_morning,
                pain_before=before,
            )
            for day, during, after, next_morning, before in rows
        ]
    )


def _sessions_in(check_ins: list[CheckIn], since: date, today: date) -> list[StageSession]:
    """``_stage_sessions`` from the diary already read (it reaches back past ``since``): no query."""
    return _replayed(
        (c.day, c.pain_during_run, c.pain_after_run, c.pain_next_morning, c.pain_before_run)
        for c in check_ins
        if c.ran and since <= c.day <= today
    )


@dataclass(frozen=True)
class PlanInputs:
    """What every week's plan reads from storage, read once (the dashboard builds two weeks)."""

    urgency: Urgency
    alert: Alert | None  # what current_alert says to show (the dashboard reuses it)
    latest: SymptomCheck | None
    standing: Standing  # the latest check as it stands today (spec K: the rules still in force)
    episode_start: date | None
    sessions: list[StageSession]
    check_ins: list[CheckIn]  # from diary_start(): every day the plan's rules can read
    done: list[DoneItem]  # the last PROGRESS_DAYS, up to today
    plan_since: date | None  # first check, or the day after the last urgent result: the plan ran from here
    adjustments: list[Adjustment]  # a clinician's (clinic mode), ended ones too: each knows its days


def diary_start(today: date, episode_start: date | None) -> date:
    """The first diary day a plan built today can read. A day's colour reads that day, the runs
    since the episode began and the 13 days before it (the weekly trend); DOSE-DOWN reads the colours
    of the 6 days before, so a day reaches back 19 days, or to the episode's start for the last run.
    The plan asks about the last DIARY_DAYS and the days ticked since the episode began (earlier
    ticks do not count), so nothing before the episode's start minus 19 days is ever read. Without a
    check (no episode) the last PROGRESS_DAYS, as before. Reading only these keeps a long diary from
    slowing every page down."""
    oldest = today - timedelta(days=PROGRESS_DAYS)
    if episode_start is None:
        return oldest
    needed = min(today - timedelta(days=DIARY_DAYS), episode_start - timedelta(days=DAY_LOOKBACK))
    return max(oldest, needed)


def _inputs(user: User, today: date) -> PlanInputs:
    return plan_inputs_each([user], today)[user.pk]


def plan_inputs_each(users: Sequence[User], today: date) -> dict[int, PlanInputs]:
    """``plan_inputs`` for several runners: each kind of row read once for all of them, not once per
    runner (a clinician's caseload)."""
    owners = [user.pk for user in users]
    alerts = current_alerts(users)
    episodes = {owner: episode_of(alerts[owner][2])[0] for owner in owners}
    first_days = {owner: diary_start(today, episodes[owner]) for owner in owners}
    check_ins = check_ins_since_each(first_days)
    done = done_items_each(owners, today - timedelta(days=PROGRESS_DAYS), today)
    began = plans_since(owners)
    adjustments = active_for_each(owners, include_ended=True)
    inputs = {}
    for user in users:
        urgency, alert, latest = alerts[user.pk]
        episode_start = episodes[user.pk]
        # The run days since the episode began are in the diary just read, unless it began too long ago.
        in_reach = episode_start is not None and episode_start >= first_days[user.pk]
        inputs[user.pk] = PlanInputs(
            urgency=urgency,
            alert=alert,
            latest=latest,
            standing=standing_from(latest, today),
            episode_start=episode_start,
            sessions=(
                _sessions_in(check_ins[user.pk], episode_start, today)
                if in_reach and episode_start is not None
                else _stage_sessions(user, episode_start, today)
            ),
            check_ins=check_ins[user.pk],
            done=done[user.pk],
            plan_since=began[user.pk],
            adjustments=adjustments[user.pk],
        )
    return inputs


def plan_since(user: User) -> date | None:
    """The day the current plan began: the first symptom check, or the day after the last result
    that said to see a doctor (a check, a check stopped by an emergency answer, or a check-in
    escalation), whichever is later. None before any check. No plan existed before it.

    A new full check later on the same day as that result starts the plan again that same day: the
    plan it shows today can be ticked today (issue 13 item 4). Days in between stay as before.

    At most three queries whatever the history holds (only dates are read: no answers, no report):
    the first and the last urgent check, the escalated diary days, and the full checks no longer
    urgent after those results."""
    return plans_since([user.pk])[user.pk]


def plans_since(owners: list[int]) -> dict[int, date | None]:
    """``plan_since`` for several runners, in the same three queries (a clinician's caseload)."""
    urgent_codes = [Urgency.DOCTOR_SOON.code, Urgency.EMERGENCY.code]
    found = {
        row["owner_id"]: (row["first"], row["urgent"])
        for row in SymptomCheck.objects.filter(owner_id__in=owners)
        .order_by()
        .values("owner_id")
        .annotate(
            first=Min("created_at", filter=Q(completed=True)),
            urgent=Max("created_at", filter=Q(urgency__in=urgent_codes)),
        )
        if row["first"] is not None
    }
    escalated: dict[int, tuple[date, bool, datetime]] = {}  # the latest escalated day of each
    rows = (
        DiaryEntry.objects.filter(owner_id__in=list(found), escalation__gt="")  # non-empty: see the index
        .order_by("owner_id", "-day")
        .values_list("owner_id", "day", "escalation_cleared", "updated_at")
    )
    for owner, day, was_cleared, saved_at in rows:
        escalated.setdefault(owner, (day, was_cleared, saved_at))
    # After what each runner's plan waits for a full check no longer urgent: the latest urgent check,
    # and a cleared escalation from the time it was saved (an uncleared one waits for a check).
    urgent = {owner: at for owner, (_, at) in found.items() if at is not None}
    saved = {owner: at for owner, (_, cleared, at) in escalated.items() if cleared}
    # Asked even when nothing waits (after NEVER): the page's query count does not depend on the data.
    wanted = Q(owner_id__in=[])
    for owner in found:
        wanted |= Q(owner_id=owner, created_at__gt=min(urgent.get(owner, NEVER), saved.get(owner, NEVER)))
    later: dict[int, list[datetime]] = defaultdict(list)  # their full checks no longer urgent, in order
    if found:
        checks = SymptomCheck.objects.filter(wanted, completed=True).exclude(urgency__in=urgent_codes)
        for owner, at in checks.order_by("created_at").values_list("owner_id", "created_at"):
            later[owner].append(at)

    def first_after(owner: int, moment: datetime | None) -> datetime | None:
        return None if moment is None else next((at for at in later[owner] if at > moment), None)

    since_of: dict[int, date | None] = {owner: None for owner in owners}
    for owner, (first, urgent_at) in found.items():
        since = local_day(first)
        if urgent_at is not None:
            since = max(since, _restart_after(local_day(urgent_at), first_after(owner, urgent_at)))
        if owner in escalated:
            day = escalated[owner][0]
            since = max(since, _restart_after(day, first_after(owner, saved.get(owner))))
        since_of[owner] = since
    return since_of


NEVER = datetime(9999, 1, 1, tzinfo=UTC)  # a time no check is after: "no such result" in the same query


def _restart_after(urgent_day: date, cleared: datetime | None) -> date:
    """The day the plan starts again after an urgent result on ``urgent_day``: the same day when the
    first full check done after it that no longer says to see a doctor (``cleared``) was that day,
    else the next day."""
    if cleared is not None and local_day(cleared) == urgent_day:
        return urgent_day
    return urgent_day + timedelta(days=1)


def _week(inputs: PlanInputs, week_start: date, today: date) -> WeekPlan:
    latest, sessions = inputs.latest, inputs.sessions
    answers = latest.answers if latest else {}
    week_start = monday_of(week_start)
    finished = bool(sessions) and decide_stage(sessions, today).completed
    returning = (
        latest is not None and not finished and (answers.get("ran_since_onset") is not True or bool(sessions))
    )
    # Doses follow the ticks from before the week, so a week's plan stays put while it is being done.
    starts = [d for d in (inputs.plan_since, inputs.episode_start) if d is not None]
    # The latest full check counts as its day's check-in when the diary has none that day; a check
    # done today gives today's colour with the diary, never greener than either (todays_light).
    check_ins = with_check_day(inputs.check_ins, latest)
    recent = [c for c in inputs.check_ins if c.day >= today - timedelta(days=DIARY_DAYS)]
    light = todays_light(today, inputs.urgency, latest, recent, inputs.standing, inputs.episode_start)
    steps = earned_steps(
        [d for d in inputs.done if d.day < week_start],
        check_ins,
        since=max(starts) if starts else None,
        urgency=inputs.urgency,
        pattern=latest.likely_pattern if latest else None,
        episode_start=inputs.episode_start,
    )
    return built_week(
        PlanInput(
            week_start=week_start,
            today=today,
            urgency=inputs.urgency,
            pattern=latest.likely_pattern if latest else None,
            startback_risk=latest.startback_risk if latest else None,
            returning=returning,
            stage_sessions=sessions,
            check_ins=[c for c in check_ins if c.day >= today - timedelta(days=DIARY_DAYS)],
            run_today=light.colour if FULL_CHECK in light.based_on else None,
            exercise_steps=steps,
            worse_uphill=answers.get("worse_uphill") is True,
            worse_downhill=answers.get("worse_downhill") is True,
            has_check=latest is not None,
            episode_start=inputs.episode_start,
            standing=inputs.standing,
            readiness_ticks=readiness_ticks(inputs.done),
            adjustments=inputs.adjustments,
        )
    )


@dataclass(frozen=True, eq=False)
class _ByContent:
    """A plan input compared by what it holds: its repr names every field's value (dates, numbers,
    words, enums, frozen dataclasses), so two inputs with the same repr give the same plan."""

    inp: PlanInput
    key: str

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _ByContent) and other.key == self.key


def built_week(inp: PlanInput) -> WeekPlan:
    """core.plan.build_week, remembered on its whole input. The builder is pure (no storage, no
    clock), so the same input is the same plan: last week's plan, rebuilt day by day as it stood
    then (eight builds), is built once, not on every dashboard request. Any write that changes a
    plan changes its input (a diary day, a tick, a check, an adjustment, the day), so nothing has
    to be invalidated. The plan is frozen (tuples of frozen dataclasses): sharing it is safe."""
    return _built(_ByContent(inp, repr(inp)))


@lru_cache(maxsize=256)
def _built(wrapped: _ByContent) -> WeekPlan:
    return build_week(wrapped.inp)


def readiness_ticks(done: list[DoneItem]) -> list[tuple[date, str]]:
    """The readiness checks ticked (spec K.6), as (day, check id): a tick means it was done without
    pain, leaking or heaviness; no row means not (yet)."""
    prefix = f"{READINESS}:"
    return [(d.day, d.key.removeprefix(prefix)) for d in done if d.key.startswith(prefix)]


def build_plan(user: User, week_start: date, today: date) -> WeekPlan:
    return _week(_inputs(user, today), week_start, today)


def done_items(user: User, since: date, until: date) -> list[DoneItem]:
    return done_items_each([user.pk], since, until)[user.pk]


def done_items_each(owners: list[int], since: date, until: date) -> dict[int, list[DoneItem]]:
    """The items ticked off from ``since`` to ``until``, per runner, oldest first: one query."""
    rows = (
        PlanItemDone.objects.filter(owner_id__in=owners, day__gte=since, day__lte=until)
        .order_by("day")
        .values_list("owner_id", "day", "item_key", "step_key")
    )
    done: dict[int, list[DoneItem]] = {owner: [] for owner in owners}
    for owner, day, key, step_key in rows:
        done[owner].append(DoneItem(day, key, step_key or None))
    return done


def set_done(user: User, day: date, item_key: str, today: date, done: bool = True) -> str:
    """Tick a plan item off (or untick it) on ``day``; the item must be in that day's plan. Returns
    the item's title, for the "Done: ..." feedback."""
    return set_many_done(user, day, [item_key], today, done)[0]


def set_many_done(user: User, day: date, item_keys: list[str], today: date, done: bool = True) -> list[str]:
    """Tick several of a day's plan items off (or untick them) in one transaction: all or none (the
    session player's "Mark done"). Every key must name an item in that day's plan. Their titles."""
    if day > today:
        raise BackstrideError(f"{day} is in the future: tick an item off on the day you did it or later.")
    inputs = _inputs(user, today)
    plan = _week(inputs, day, today)
    if plan.blocked:
        raise BackstrideError(plan.blocked)
    began = inputs.plan_since
    if began is not None and day < began:
        raise BackstrideError(
            f"Your plan runs from {began} (your first symptom check, or the check after a result that "
            "said to see a doctor): tick off days from then on."
        )
    day_plan = next(d for d in plan.days if d.day == day)
    tickable = [i for i in day_plan.items if i.kind in TICKABLE]
    items = [_one_item(tickable, key, day) for key in item_keys]
    with transaction.atomic():
        for item in items:
            if done:
                PlanItemDone.objects.update_or_create(
                    owner=user,
                    day=day,
                    item_key=item.key,
                    defaults={"step_key": item.step_key or "", "title": item.title, "dose": item.dose},
                )
            else:
                PlanItemDone.objects.filter(owner=user, day=day, item_key=item.key).delete()
    return [item.title for item in items]


def _one_item(tickable: list[PlanItem], item_key: str, day: date) -> PlanItem:
    """A full key ("strength:front-plank"), or an exercise id, check id or kind when only one item matches."""
    matches = [i for i in tickable if i.key == item_key] or [
        i for i in tickable if item_key in (i.exercise_id, i.kind, i.check_id)
    ]
    keys = ", ".join(i.key for i in tickable) or "none"
    if not matches:
        raise NotFound(f"{item_key!r} is not in the plan for {day}. Items that day: {keys}.")
    if len(matches) > 1:
        raise NotFound(f"{item_key!r} matches more than one item on {day}; use one of: {keys}.")
    return matches[0]


def _view(inputs: PlanInputs, week: date, today: date) -> PlanView:
    plan = _week(inputs, week, today)
    end = plan.week_start + timedelta(days=6)
    ticks = [d for d in inputs.done if plan.week_start <= d.day <= end]
    return plan_json(plan, ticks, min(today, end), inputs.plan_since)


def plan_view(user: User, week: date, today: date) -> PlanView:
    """The week's plan as JSON with what was ticked off, as the CLI, web and calendar show it."""
    return _view(_inputs(user, today), week, today)


def plan_inputs(user: User, today: date) -> PlanInputs:
    """Everything a week's plan reads, read once: the dashboard shares it with run-today."""
    return _inputs(user, today)


def ticking_off(since: str | None, today: date) -> str | None:
    """Why today's plan shows no Done buttons, in one sentence; None when today can be ticked. The
    plan starts again the day after a result that said to see a doctor (``plan_since``)."""
    if since is None or date.fromisoformat(since) <= today:
        return None
    return (
        f"Ticking is off today because your last check said to get seen by a doctor: the plan starts "
        f"again on {day_words(date.fromisoformat(since))}, or with a new symptom check."
    )


class TodayPlan(TypedDict):
    """Today's part of the plan, as the dashboard shows it."""

    blocked: str | None
    today: str  # ISO date
    plan_since: str | None  # ISO date
    ticking_off: str | None  # why today's items cannot be ticked, when they are shown and cannot
    session_size: int  # the exercises of today's session (the session player), 0 for none
    session_done: int  # how many of them are ticked off today
    items: list[PlanItemRow]
    this_week: AdherenceRow | None
    last_week: AdherenceRow | None
    adjustments: list[AdjustmentJson]  # a clinician's, in force today (clinic mode)


def today_and_adherence(user: User, today: date, inputs: PlanInputs | None = None) -> TodayPlan:
    """For the dashboard: today's plan items with their ticks, and adherence this week and last."""
    inputs = inputs or _inputs(user, today)
    this_week = _view(inputs, today, today)
    last_week = _view(inputs, monday_of(today) - timedelta(days=7), today)
    items: list[PlanItemRow] = next(
        (d["items"] for d in this_week["days"] if d["day"] == today.isoformat()), []
    )
    return {
        "blocked": this_week["blocked"],
        "today": today.isoformat(),
        "plan_since": this_week["plan_since"],
        "ticking_off": ticking_off(this_week["plan_since"], today),
        "session_size": 0 if this_week["blocked"] else len(session_items(items)),
        "session_done": sum(1 for item in session_items(items) if item["done"]),
        "items": items,
        "this_week": this_week["adherence"],
        "last_week": last_week["adherence"],
        "adjustments": this_week["adjustments"],
    }


def adherence_last_days(inputs: PlanInputs, today: date, days: int = 7) -> AdherenceRow:
    """The plan's own adherence count (core.plan.adherence) over the last ``days`` days up to today,
    across the one or two weeks they fall in (a clinician's caseload reads "the last 7 days")."""
    first = today - timedelta(days=days - 1)
    since = max(first, inputs.plan_since) if inputs.plan_since else first
    planned = done = 0
    by_kind: dict[str, tuple[int, int]] = {}
    for week in sorted({monday_of(first), monday_of(today)}):
        counted = adherence(_week(inputs, week, today), inputs.done, today, since)
        planned, done = planned + counted.planned, done + counted.done
        for kind, (kind_done, kind_planned) in counted.by_kind.items():
            was_done, was_planned = by_kind.get(kind, (0, 0))
            by_kind[kind] = (was_done + kind_done, was_planned + kind_planned)
    return adherence_json(Adherence(first, today, planned, done, by_kind))
