"""What goes with the acting runner's flare-ups (issue 16): one ``DayRecord`` per day from the diary
and the runs, then the pure analysis of core.triggers.

How a day is assembled (the only place this is decided):

* the morning's pain of day D is the "next morning" rating given on D-1's check-in when there is one
  (it is what the morning was asked about), else D's own check-in pain;
* the day's runs are the running activities whose local day is D: distances, times, climbs and
  descents add up; surface, terrain, the shoe and its km are the longest run's; heart rate and
  cadence are distance-weighted; the hardest session effort is kept;
* when the runner has any activities in the window, every day of it gets a record, and a day with no
  activity is a day without a run (unless the diary says a run: then its numbers are unknown).
  Without activities, only the diary's days are known;
* sitting, sleep and stiffness come from D's check-in, and "exercises done" stands for plan adherence.

Only the last ``WINDOW_DAYS`` are analysed: patterns change, and a year is plenty for the model.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Sum

from backstride.config import run_day
from backstride.core.experiments import KINDS
from backstride.core.experiments import kind_for_factor as experiment_kind_for
from backstride.core.triggers import DayRecord, Finding, TriggerReport, analyse
from backstride.core.triggers.factors import Factor, factor_by_key
from backstride.core.triggers.joint import JointEffect
from backstride.core.triggers.outcomes import OUTCOMES
from backstride.core.triggers.words import together_note
from backstride.storage.models import Activity, DiaryEntry, Shoe

from .data_version import Version, data_version, remembered

WINDOW_DAYS = 365
LEAD_IN_DAYS = 35  # runs before the window, for the 7-day, 3-week and 30-day factors of its first days


@dataclass(frozen=True)
class _Run:
    day: date
    km: float
    minutes: float | None
    climb_m: float | None
    descent_m: float | None
    surface: str
    terrain: str
    rpe: float | None
    heart_rate: float | None
    cadence: float | None
    shoe: str
    shoe_km: float | None  # the shoe's km before this run


RUN_FIELDS = (
    "start_time", "utc_offset_s", "source_format", "distance_m", "moving_time_s", "elapsed_time_s",
    "elevation_gain_m", "elevation_loss_m", "surface", "terrain", "rpe", "avg_hr_bpm", "avg_cadence_spm",
    "shoe_id", "gear_name",
)  # fmt: skip
ENTRY_FIELDS = (
    "day", "pain_now", "pain_next_morning", "pain_during_run", "pain_after_run", "ran", "stiffness",
    "sitting_hours", "sleep_hours", "exercises_done",
)  # fmt: skip
Entry = dict[str, Any]  # a diary row's ENTRY_FIELDS, read as values: nothing here is written


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


def _runs(user: User, first: date, last: date) -> dict[date, list[_Run]]:
    """Each day's runs, with the worn shoe's km before each run: the runs before the window count as
    one sum per shoe (one grouped query), the window's own are read one by one."""
    shoes = {row["id"]: row for row in Shoe.objects.filter(owner=user).values("id", "name", "start_km")}
    runs = Activity.objects.filter(owner=user, sport="running")
    cutoff = _midnight(first - timedelta(days=1))  # a day early: a run's local day may differ from UTC
    shoe_km: dict[object, float] = {}
    earlier = (
        runs.filter(start_time__lt=cutoff).values("shoe_id", "gear_name").annotate(metres=Sum("distance_m"))
    )
    for total in earlier:
        key: object = total["shoe_id"] or (total["gear_name"] or None)
        if key is not None:
            shoe_km[key] = shoe_km.get(key, 0.0) + (total["metres"] or 0.0) / 1000
    for shoe_id, known in shoes.items():
        shoe_km[shoe_id] = shoe_km.get(shoe_id, 0.0) + known["start_km"]
    rows = (
        runs.filter(start_time__gte=cutoff, start_time__lt=_midnight(last + timedelta(days=2)))
        .order_by("start_time", "id")
        .values(*RUN_FIELDS)
    )
    by_day: dict[date, list[_Run]] = defaultdict(list)
    for row in rows:
        km = (row["distance_m"] or 0.0) / 1000
        key = row["shoe_id"] or (row["gear_name"] or None)
        shoe = shoes.get(row["shoe_id"])
        before = shoe_km.get(key, 0.0) if key is not None else None
        if key is not None:
            shoe_km[key] = (before or 0.0) + km
        day = run_day(row["start_time"], row["utc_offset_s"], row["source_format"])
        if first <= day <= last:
            seconds = row["moving_time_s"] or row["elapsed_time_s"]
            by_day[day].append(
                _Run(day, km, None if seconds is None else seconds / 60, row["elevation_gain_m"],
                     row["elevation_loss_m"], row["surface"], row["terrain"], row["rpe"], row["avg_hr_bpm"],
                     row["avg_cadence_spm"], shoe["name"] if shoe else row["gear_name"], before)
            )  # fmt: skip
    return by_day


def _total(values: list[float | None]) -> float | None:
    return None if any(v is None for v in values) else sum(v for v in values if v is not None)


def _weighted(runs: list[_Run], values: list[float | None]) -> float | None:
    known = [(r.km, v) for r, v in zip(runs, values, strict=True) if v]
    weight = sum(km for km, _ in known)
    return sum(km * v for km, v in known) / weight if weight else None


def _day(day: date, runs: list[_Run], entry: Entry | None, morning: float | None) -> DayRecord:
    """One day's record. A run without a distance (or one only the diary knows) makes a run day whose
    numbers are unknown, never a rest day."""
    measured = [r for r in runs if r.km > 0]
    unmeasured = len(measured) < len(runs) or (not runs and entry is not None and entry["ran"])
    runs = [] if unmeasured else measured
    longest = max(runs, key=lambda r: r.km) if runs else None
    efforts = [r.rpe for r in runs if r.rpe is not None]
    return DayRecord(
        day=day,
        pain_morning=morning,
        pain_during_run=None if entry is None else _rating(entry["pain_during_run"]),
        pain_after_run=None if entry is None else _rating(entry["pain_after_run"]),
        run_distance_m=sum(r.km for r in runs) * 1000 if runs else None,
        run_duration_s=None if not runs else _seconds(_total([r.minutes for r in runs])),
        elevation_gain_m=_total([r.climb_m for r in runs]) if runs else None,
        descent_m=_total([r.descent_m for r in runs]) if runs else None,
        surface=(longest.surface or None) if longest else None,
        terrain=(longest.terrain or None) if longest else None,
        srpe=max(efforts) if efforts else None,
        heart_rate_bpm=_weighted(runs, [r.heart_rate for r in runs]) if runs else None,
        shoe=(longest.shoe or None) if longest else None,
        shoe_km=longest.shoe_km if longest else None,
        cadence_spm=_weighted(runs, [r.cadence for r in runs]) if runs else None,
        sitting_hours=None if entry is None else entry["sitting_hours"],
        sleep_hours=None if entry is None else entry["sleep_hours"],
        stiffness=None if entry is None else _rating(entry["stiffness"]),
        plan_adherence=None
        if entry is None or entry["exercises_done"] is None
        else float(entry["exercises_done"]),
        ran_unmeasured=unmeasured,
    )


def _rating(value: int | None) -> float | None:
    return None if value is None else float(value)


def _seconds(minutes: float | None) -> float | None:
    return None if minutes is None else minutes * 60


def day_records(user: User, today: date) -> list[DayRecord]:
    """The runner's days of the last ``WINDOW_DAYS`` up to today (see the module docstring)."""
    first = today - timedelta(days=WINDOW_DAYS - 1)
    rows = DiaryEntry.objects.filter(owner=user, day__gte=first - timedelta(days=1), day__lte=today)
    entries: dict[date, Entry] = {row["day"]: row for row in rows.values(*ENTRY_FIELDS)}
    runs = _runs(user, first - timedelta(days=LEAD_IN_DAYS), today)
    if runs:  # activities are imported for the whole stretch: a day without one had no run
        start = min(min(runs), *(entries or [today]))
        days = [start + timedelta(days=i) for i in range((today - start).days + 1)]
    else:
        days = sorted(d for d in entries if d >= first)
    records = []
    for day in days:
        entry = entries.get(day)
        yesterday = entries.get(day - timedelta(days=1))
        morning = _rating(yesterday["pain_next_morning"]) if yesterday else None
        if morning is None and entry is not None:
            morning = float(entry["pain_now"])
        records.append(_day(day, runs.get(day, []), entry, morning))
    return records


READS = (Activity, DiaryEntry, Shoe)  # the tables the report is made of, for its data version


def report(user: User, today: date, version: Version | None = None) -> TriggerReport:
    """The trigger report of the runner's last year, remembered per data version of ``READS`` (pass
    ``version`` when it was just read). The analysis is also remembered for the same days' records: a
    change that leaves them alone (a bike ride, another shoe) does not run it again (a few hundred
    milliseconds on a year of days)."""
    return _report(user, today, version or data_version(user, *READS))


@remembered()
def _report(user: User, today: date, version: Version) -> TriggerReport:
    return _analysed(tuple(day_records(user, today)))


@lru_cache(maxsize=32)
def _analysed(records: tuple[DayRecord, ...]) -> TriggerReport:
    return analyse(list(records))


def factor_of(key: str) -> Factor:
    """A factor by key, also for the per-surface, -terrain and -shoe ones the table adds."""
    return factor_by_key(key) or Factor(key, key, title=key, axis=key)


def experiment_for(finding: Finding) -> str | None:
    """The two-week experiment that would test a finding, when one fits (more of the factor went
    with more pain, and an experiment kind changes that factor)."""
    if finding.effect <= 0:
        return None
    return experiment_kind_for(finding.factor)


def joint_of(result: TriggerReport, finding: Finding) -> JointEffect | None:
    """The finding's effect in the joint model (None when it was left out of it)."""
    return next(
        (
            e
            for e in result.joint.effects
            if (e.outcome, e.factor, e.lag) == (finding.outcome, finding.factor, finding.lag)
        ),
        None,
    )


def together(result: TriggerReport, finding: Finding) -> str:
    """The joint model's line for a finding's card ("" when it stood alone or was left out)."""
    effect = joint_of(result, finding)
    return "" if effect is None else together_note(effect)


def finding_row(finding: Finding, result: TriggerReport | None = None) -> dict[str, object]:
    """One finding as JSON (`backstride triggers --format json`; keys are a contract)."""
    factor = factor_of(finding.factor)
    outcome = next(o for o in OUTCOMES if o.key == finding.outcome)
    kind = experiment_for(finding)
    row: dict[str, object] = {
        "outcome": finding.outcome,
        "outcome_words": outcome.words[finding.lag],
        "factor": finding.factor,
        "factor_title": factor.title,
        "per": factor.per,
        "lag_days": finding.lag,
        "effect": round(finding.effect, 3),
        "low": round(finding.low, 3),
        "high": round(finding.high, 3),
        "units": outcome.units,
        "days": finding.days,
        "p": finding.p,
        "p_adjusted": finding.p_adjusted,
        "sentence": finding.sentence,
        "experiment": None if kind is None else {"kind": kind, "title": KINDS[kind].title},
        "together": "" if result is None else together(result, finding),
    }
    if finding.chart is not None:
        row["chart"] = {
            "x_label": factor.axis,
            "points": [[round(x, 3), round(y, 3)] for x, y in finding.chart.points],
            "line": [[round(v, 3) for v in step] for step in finding.chart.line],
        }
    return row


def report_json(result: TriggerReport) -> dict[str, object]:
    """The whole report as JSON (a contract: add keys, never rename or remove)."""
    return {
        "ready": result.ready,
        "missing": result.missing,
        "checkin_days": result.checkin_days,
        "rated_runs": result.rated_runs,
        "flares": result.flares,
        "findings": [finding_row(f, result) for f in result.findings],
        "tests": len(result.tests),
        "left_out": [
            {"factor": key, "factor_title": factor_of(key).title, "reason": reason}
            for key, reason in sorted(result.left_out.items())
        ],
        "joint": {
            "effects": [
                {"outcome": e.outcome, "factor": e.factor, "factor_title": factor_of(e.factor).title,
                 "lag_days": e.lag, "effect": round(e.effect, 3), "low": round(e.low, 3),
                 "high": round(e.high, 3), "days": e.days, "p": e.p, "others": list(e.others),
                 "sentence": e.sentence}
                for e in result.joint.effects
            ],
            "dropped": [
                {"outcome": d.outcome, "factor": d.factor, "factor_title": factor_of(d.factor).title,
                 "lag_days": d.lag, "reason": d.reason}
                for d in result.joint.dropped
            ],
        },
        "association_not_cause": True,
    }  # fmt: skip
