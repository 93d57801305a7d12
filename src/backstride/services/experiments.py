"""Two-week experiments for the acting runner: start one (one open at a time), see how it goes, stop
it early, and list the finished ones with their verdicts. The rules and the statistics are in
core.experiments; this module reads the day records from the diary and the runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.contrib.auth.models import User
from django.db import transaction

from backstride.config import run_day
from backstride.core import experiments as core
from backstride.core.inputs import InvalidValue, parse_day
from backstride.storage.models import Activity, DiaryEntry, Experiment

from .errors import InputRefused, NotFound


class BadExperiment(InputRefused):
    what = "the experiment"


BASELINE_WEEKS = 4  # the runner's usual week (for "shorter long run"): the 4 weeks before the start


@dataclass(frozen=True)
class ExperimentView:
    id: int
    kind: core.Kind
    param: str
    rule: str
    start: date
    end: date  # the last of the 14 days (or the day it was stopped)
    stopped_early: bool
    is_open: bool
    days_done: int
    days_left: int
    adherence: core.Adherence
    verdict: core.Verdict | None  # None while open


def _last_day(experiment: Experiment) -> date:
    planned = experiment.start + timedelta(days=core.DAYS - 1)
    return min(planned, experiment.stopped_on) if experiment.stopped_on else planned


def _is_open(experiment: Experiment, today: date) -> bool:
    return experiment.stopped_on is None and today <= _last_day(experiment)


def open_experiment(user: User, today: date) -> Experiment | None:
    candidates = Experiment.objects.filter(owner=user, stopped_on__isnull=True).order_by("-start", "-id")
    return next((one for one in candidates if _is_open(one, today)), None)


def start_experiment(
    user: User, kind_key: str, param: str | None, start: str | None, today: date
) -> Experiment:
    """Start an experiment; BadExperiment names the field when the kind, parameter or day cannot be
    used, or when one is already running (one change at a time, or neither can be judged)."""
    try:
        kind, text = core.read_param(kind_key, param)
    except core.BadExperiment as error:
        raise BadExperiment([(error.field, error.message)]) from error
    try:
        first = parse_day(start, "the first day", today, ahead_days=7) if start else today
    except InvalidValue as error:
        raise BadExperiment([("from", error.message)]) from error
    with transaction.atomic():
        User.objects.select_for_update().filter(id=user.id).first()  # one start at a time per runner
        running = open_experiment(user, today)
        if running is not None:
            title = core.KINDS[running.kind].title if running.kind in core.KINDS else running.kind
            raise BadExperiment(
                [("kind", f"\u201c{title}\u201d is still running until {_last_day(running)}: stop it first, "
                  "so that each change is judged on its own")]
            )  # fmt: skip
        return Experiment.objects.create(owner=user, kind=kind.key, param=text, start=first)


def stop_experiment(user: User, today: date) -> ExperimentView:
    """Stop the open experiment today: what was measured so far is kept and judged."""
    experiment = open_experiment(user, today)
    if experiment is None:
        raise NotFound("no experiment is running: start one first")
    experiment.stopped_on = max(today, experiment.start)
    experiment.save(update_fields=["stopped_on"])
    return view(user, experiment, today)


def _records(user: User, first: date, last: date) -> list[core.DayRecord]:
    entries = {
        entry.day: entry for entry in DiaryEntry.objects.filter(owner=user, day__gte=first, day__lte=last)
    }
    runs: dict[date, list[core.Run]] = {}
    rows = Activity.objects.filter(
        owner=user,
        sport="running",
        start_time__gte=datetime.combine(first - timedelta(days=1), time(), UTC),
        start_time__lt=datetime.combine(last + timedelta(days=2), time(), UTC),
    ).select_related("shoe")
    for activity in rows:
        day = run_day(activity.start_time, activity.utc_offset_s, activity.source_format)
        if first <= day <= last:
            shoe = activity.shoe.name if activity.shoe else activity.gear_name
            runs.setdefault(day, []).append(
                core.Run((activity.distance_m or 0) / 1000, activity.elevation_gain_m, shoe)
            )
    records = []
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        entry = entries.get(day)
        pain = core.daily_pain(entry.pain_next_morning, entry.pain_now) if entry else None
        sitting = entry.sitting_hours if entry else None
        records.append(core.DayRecord(day, pain, sitting, tuple(runs.get(day, ()))))
    return records


def _weekly_km(user: User, start: date) -> float | None:
    before = _records(user, start - timedelta(weeks=BASELINE_WEEKS), start - timedelta(days=1))
    total = sum(run.distance_km for record in before for run in record.runs)
    return total / BASELINE_WEEKS if total else None


def view(user: User, experiment: Experiment, today: date) -> ExperimentView:
    kind = core.KINDS.get(experiment.kind) or core.KINDS["no_hills"]
    last = _last_day(experiment)
    is_open = _is_open(experiment, today)
    counted_to = min(last, today - timedelta(days=1)) if is_open else last  # today is not over yet
    during = _records(user, experiment.start, counted_to) if counted_to >= experiment.start else []
    kept = core.adherence(kind, experiment.param, during, _weekly_km(user, experiment.start))
    verdict = None
    if not is_open:
        before = _records(
            user, experiment.start - timedelta(days=core.DAYS), experiment.start - timedelta(days=1)
        )
        verdict = core.verdict([r.pain for r in before], [r.pain for r in during], kept, kind.title)
    planned_end = experiment.start + timedelta(days=core.DAYS - 1)
    return ExperimentView(
        id=experiment.id,
        kind=kind,
        param=experiment.param,
        rule=core.rule_text(kind, experiment.param),
        start=experiment.start,
        end=last,
        stopped_early=experiment.stopped_on is not None and experiment.stopped_on < planned_end,
        is_open=is_open,
        days_done=len(during),
        days_left=min(core.DAYS, (planned_end - today).days + 1) if is_open else 0,  # a start ahead: 14
        adherence=kept,
        verdict=verdict,
    )


def status(user: User, today: date) -> ExperimentView | None:
    experiment = open_experiment(user, today)
    return view(user, experiment, today) if experiment else None


def finished(user: User, today: date) -> list[ExperimentView]:
    experiments = Experiment.objects.filter(owner=user).order_by("-start", "-id")
    return [view(user, one, today) for one in experiments if not _is_open(one, today)]


def experiment_row(item: ExperimentView) -> dict[str, object]:
    """The JSON of one experiment (`backstride experiment ... --format json`; keys are a contract)."""
    kept = item.adherence
    verdict = item.verdict
    return {
        "id": item.id,
        "kind": item.kind.key,
        "title": item.kind.title,
        "param": item.param,
        "rule": item.rule,
        "start": item.start.isoformat(),
        "end": item.end.isoformat(),
        "open": item.is_open,
        "stopped_early": item.stopped_early,
        "days_done": item.days_done,
        "days_left": item.days_left,
        "adherence": {"kept": kept.kept, "counted": kept.counted, "unit": kept.unit, "share": kept.share,
                      "words": kept.words()},
        "verdict": None if verdict is None else {
            "verdict": verdict.verdict,
            "difference": verdict.difference,
            "low": verdict.low,
            "high": verdict.high,
            "before_days": verdict.before_days,
            "during_days": verdict.during_days,
            "before_mean": verdict.before_mean,
            "during_mean": verdict.during_mean,
            "words": verdict.words,
        },
    }  # fmt: skip


def experiment_by_id(user: User, experiment_id: int, today: date) -> ExperimentView:
    experiment = Experiment.objects.filter(owner=user, id=experiment_id).first()
    if experiment is None:
        raise NotFound("no such experiment")
    return view(user, experiment, today)
