"""Day records in, candidate factors out (issue 16 item 1).

A ``DayRecord`` is one calendar day as the service will assemble it from the diary check-in and the
day's activities; every field is optional. ``factor_table`` lays the records on a gap-free calendar
(a day with no record is all None) and computes each candidate factor per day; ``screen`` leaves out
factors with too few known days or too little variation, each with the reason in words.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

Values = list[float | None]

MIN_FACTOR_DAYS = 28  # a factor known on fewer days is left out: too few for a trend + lag model
MIN_MINORITY_DAYS = 6  # a yes/no factor needs at least this many days on its rarer side
MAX_SAME_SHARE = 0.9  # a factor with one value on 90% or more of its days has too little variation
HILLY_CLIMB_PER_KM = 15.0  # m gained per km: "hilly run" (issue 16's example wording)
SPIKE_RATIO = 1.1  # Frandsen et al. 2025: a run over 110% of the longest in the last 30 days
SPIKE_WINDOW_DAYS = 30


@dataclass(frozen=True)
class DayRecord:
    """One day: the morning's pain, the day's run (if any) and the day's other check-in answers."""

    day: date
    pain_morning: float | None = None  # 0-10, the check-in's pain that morning
    pain_during_run: float | None = None
    pain_after_run: float | None = None
    run_distance_m: float | None = None  # None or 0: no run that day
    run_duration_s: float | None = None
    elevation_gain_m: float | None = None
    descent_m: float | None = None
    surface: str | None = None  # e.g. road, trail, track, treadmill
    terrain: str | None = None  # e.g. flat, rolling, hilly
    srpe: float | None = None  # session RPE, 0-10 (CR-10)
    heart_rate_bpm: float | None = None  # the run's average
    shoe: str | None = None  # the name of the shoe worn (the longest run's)
    shoe_km: float | None = None  # the worn shoe's km before this run
    cadence_spm: float | None = None
    sitting_hours: float | None = None
    sleep_hours: float | None = None
    stiffness: float | None = None  # 0-10
    plan_adherence: float | None = None  # 0-1: share of the planned session done
    ran_unmeasured: bool = False  # the diary says a run, but no activity gives its numbers

    @property
    def ran(self) -> bool:
        return bool(self.run_distance_m) or self.ran_unmeasured


@dataclass(frozen=True)
class Factor:
    """A candidate factor: ``per`` says what one step of it is, for the finding's sentence
    ("for every 10 km more run in the last 7 days" / "after a hilly run ...")."""

    key: str
    per: str
    unit: float = 1.0  # effects are reported per this many of the factor's units
    binary: bool = False
    title: str = ""  # a short name for a list or a chart's heading
    axis: str = ""  # the factor with its unit, for a chart's axis


@dataclass(frozen=True)
class FactorTable:
    days: list[date]  # gap-free calendar, first record's day to last
    values: dict[str, Values]  # factor key -> one value per day (None: unknown)
    factors: dict[str, Factor]


@dataclass(frozen=True)
class Screened:
    kept: list[Factor]
    left_out: dict[str, str]  # factor key -> the reason, in words


def calendar(records: Sequence[DayRecord]) -> list[DayRecord | None]:
    """The records on a gap-free calendar (None for a day without a record); the last record wins."""
    if not records:
        return []
    by_day = {r.day: r for r in records}
    first, last = min(by_day), max(by_day)
    return [by_day.get(first + timedelta(days=i)) for i in range((last - first).days + 1)]


def _run_value(rec: DayRecord | None, get: Callable[[DayRecord], float | None]) -> float | None:
    """A run's value on a run day, 0 on a recorded day without a run, None when unknown."""
    if rec is None:
        return None
    if not rec.ran:
        return 0.0
    return get(rec)


def _on_run_days(rec: DayRecord | None, value: float | None) -> float | None:
    return value if rec is not None and rec.ran else None


def _window(series: Values, end: int, length: int, min_known: int) -> list[float] | None:
    """The known values of ``series[end - length + 1 : end + 1]``, or None with too few known."""
    start = max(0, end - length + 1)
    known = [v for v in series[start : end + 1] if v is not None]
    return known if len(known) >= min_known and end - length + 1 >= 0 else None


def _per_km(rec: DayRecord | None, metres: float | None) -> float | None:
    if rec is None:
        return None
    if not rec.ran:
        return 0.0
    return None if metres is None else metres / (rec.run_distance_m or 1.0) * 1000.0


def _speed(rec: DayRecord | None) -> float | None:
    if rec is None or not rec.run_distance_m or not rec.run_duration_s:
        return None
    return rec.run_distance_m / rec.run_duration_s * 3.6


def _load_factors(cal: list[DayRecord | None], out: dict[str, Values]) -> None:
    """Distance and time: the day's run, the last 7 days, the change, the spike, the long-run share."""
    km = [
        _run_value(r, lambda r: None if r.run_distance_m is None else r.run_distance_m / 1000.0) for r in cal
    ]
    minutes = [
        _run_value(r, lambda r: None if r.run_duration_s is None else r.run_duration_s / 60) for r in cal
    ]
    out["run_km"], out["run_min"] = km, minutes
    out["km_7d"], out["min_7d"], out["km_change_pct"] = [], [], []
    out["spike"], out["long_run_share_pct"], out["days_since_rest"] = [], [], []
    for i, _rec in enumerate(cal):
        week = _window(km, i, 7, 5)
        week_min = _window(minutes, i, 7, 5)
        km_7d = None if week is None else sum(week) * 7 / len(week)
        out["km_7d"].append(km_7d)
        out["min_7d"].append(None if week_min is None else sum(week_min) * 7 / len(week_min))
        before = _window(km, i - 7, 21, 15) if i >= 7 else None
        weekly_before = None if before is None else sum(before) * 7 / len(before)
        change = None  # no change is computed against under 1 km a week before
        if km_7d is not None and weekly_before is not None and weekly_before >= 1.0:
            change = (km_7d / weekly_before - 1) * 100
        out["km_change_pct"].append(change)
        prior = _window(km, i - 1, SPIKE_WINDOW_DAYS, 20) if i >= 1 else None
        today = km[i]
        spike: float | None = None
        if prior and today is not None and max(prior) > 0:
            spike = 1.0 if today > SPIKE_RATIO * max(prior) else 0.0
        out["spike"].append(spike)
        longest = _window(km, i, 7, 5)
        share = None
        if longest is not None and km_7d:
            share = max(longest) / sum(longest) * 100
        out["long_run_share_pct"].append(share)
        out["days_since_rest"].append(_days_since_rest(cal, i))


def _days_since_rest(cal: list[DayRecord | None], i: int) -> float | None:
    count = 0
    while i - count >= 0:
        rec = cal[i - count]
        if rec is None:
            return None
        if not rec.ran:
            return float(count)
        count += 1
    return None


# A yes/no factor per value seen of these day fields: its key is "<prefix><value>".
CATEGORY_PREFIXES = {"surface": "surface_", "terrain": "terrain_", "shoe": "in_shoe_"}


def category_factor(key: str) -> Factor | None:
    """The yes/no factor of a key such as "surface_trail" or "shoe_Pegasus 40", else None."""
    for field, prefix in CATEGORY_PREFIXES.items():
        if key.startswith(prefix):
            name = key[len(prefix) :]
            words = {
                "surface": f"a run on {name}",
                "terrain": f"a run on {name} terrain",
                "shoe": f"a run in {name}",
            }[field]
            heading = words[0].upper() + words[1:]  # not capitalize(): a shoe's name keeps its capitals
            return Factor(key, words, binary=True, title=heading, axis=heading)
    return None


def _category_factors(cal: list[DayRecord | None], field: str, out: dict[str, Factor]) -> dict[str, Values]:
    """A yes/no factor per surface, terrain or shoe seen: 1 on a run with it, 0 on every other recorded
    day."""
    seen = sorted({getattr(r, field) for r in cal if r is not None and r.ran and getattr(r, field)})
    values: dict[str, Values] = {}
    for name in seen:
        factor = category_factor(CATEGORY_PREFIXES[field] + name)
        assert factor is not None
        out[factor.key] = factor
        values[factor.key] = [None if r is None else float(r.ran and getattr(r, field) == name) for r in cal]
    return values


def factor_by_key(key: str) -> Factor | None:
    """Any factor by its key: one of ``FACTORS`` or a per-surface, -terrain or -shoe one."""
    return next((f for f in FACTORS if f.key == key), None) or category_factor(key)


FACTORS: tuple[Factor, ...] = (
    Factor("run_km", "every 5 km more run that day", 5.0, title="The day's run", axis="Run that day (km)"),
    Factor("run_min", "every 30 minutes more run that day", 30.0, title="Time running that day",
           axis="Run that day (minutes)"),
    Factor("km_7d", "every 10 km more run in the last 7 days", 10.0, title="Last 7 days' distance",
           axis="Run in the last 7 days (km)"),
    Factor("min_7d", "every 60 minutes more run in the last 7 days", 60.0, title="Last 7 days' running time",
           axis="Run in the last 7 days (minutes)"),
    Factor("km_change_pct", "every 10% more km in the last 7 days than in the 3 weeks before", 10.0,
           title="Change in weekly distance", axis="Last 7 days against the 3 weeks before (%)"),
    Factor("spike", "a run over 110% of the longest in the 30 days before", binary=True,
           title="A run longer than any lately", axis="Run over 110% of the longest in 30 days"),
    Factor("long_run_share_pct", "every 10 percentage points more of the week's km in its longest run", 10.0,
           title="Long run's share of the week", axis="Longest run's share of the week (%)"),
    Factor("speed_kmh", "every 1 km/h faster average pace", 1.0, title="Pace", axis="Average speed (km/h)"),
    Factor("climb_per_km", "every 10 m more climb per km", 10.0, title="Climb per km",
           axis="Climb (m per km)"),
    Factor("hilly_run", f"a run with over {HILLY_CLIMB_PER_KM:.0f} m climb per km", binary=True,
           title="Hilly runs", axis=f"Run with over {HILLY_CLIMB_PER_KM:.0f} m climb per km"),
    Factor("descent_per_km", "every 10 m more descent per km", 10.0, title="Descent per km",
           axis="Descent (m per km)"),
    Factor("srpe", "every 2 points more session effort (sRPE)", 2.0, title="How hard the run felt",
           axis="Session effort (0-10)"),
    Factor("heart_rate", "every 10 beats per minute more average heart rate", 10.0, title="Heart rate",
           axis="Average heart rate (beats per minute)"),
    Factor("shoe_km", "every 200 km more on the shoe worn", 200.0, title="Shoe mileage",
           axis="Km on the shoe worn"),
    Factor("cadence", "every 10 steps per minute more cadence", 10.0, title="Step rate",
           axis="Cadence (steps per minute)"),
    Factor("sitting_hours", "every 2 hours more sitting", 2.0, title="Sitting", axis="Sitting (hours)"),
    Factor("sleep_hours", "every hour more sleep", 1.0, title="Sleep", axis="Sleep (hours)"),
    Factor("stiffness", "every 2 points more stiffness", 2.0, title="Stiffness", axis="Stiffness (0-10)"),
    Factor("days_since_rest", "every day more since the last rest day", 1.0, title="Days without a rest day",
           axis="Days since the last rest day"),
    Factor("plan_adherence", "every 25 percentage points more of the planned session done", 0.25,
           title="Doing the plan's exercises", axis="Share of the planned exercises done"),
)  # fmt: skip


def factor_table(records: Sequence[DayRecord]) -> FactorTable:
    """Every candidate factor per calendar day (see ``FACTORS``; each surface, terrain and shoe seen
    adds one)."""
    cal = calendar(records)
    values: dict[str, Values] = {}
    _load_factors(cal, values)
    values["speed_kmh"] = [_on_run_days(r, _speed(r)) for r in cal]
    values["climb_per_km"] = [_per_km(r, r.elevation_gain_m if r else None) for r in cal]
    values["hilly_run"] = [
        None if c is None else float(c > HILLY_CLIMB_PER_KM) for c in values["climb_per_km"]
    ]
    values["descent_per_km"] = [_per_km(r, r.descent_m if r else None) for r in cal]
    values["srpe"] = [_on_run_days(r, r.srpe if r else None) for r in cal]
    values["heart_rate"] = [_on_run_days(r, r.heart_rate_bpm if r else None) for r in cal]
    values["shoe_km"] = [_on_run_days(r, r.shoe_km if r else None) for r in cal]
    values["cadence"] = [_on_run_days(r, r.cadence_spm if r else None) for r in cal]
    values["sitting_hours"] = [r.sitting_hours if r else None for r in cal]
    values["sleep_hours"] = [r.sleep_hours if r else None for r in cal]
    values["stiffness"] = [r.stiffness if r else None for r in cal]
    values["plan_adherence"] = [r.plan_adherence if r else None for r in cal]
    factors = {f.key: f for f in FACTORS}
    values.update(_category_factors(cal, "surface", factors))
    values.update(_category_factors(cal, "terrain", factors))
    values.update(_category_factors(cal, "shoe", factors))
    first = min((r.day for r in records), default=None)  # once: inside the loop it cost n x n steps
    days = [] if first is None else [first + timedelta(days=i) for i in range(len(cal))]
    return FactorTable(days, values, factors)


def screen(table: FactorTable) -> Screened:
    """The factors worth testing, and the others with the reason each is left out."""
    kept: list[Factor] = []
    left_out: dict[str, str] = {}
    for key, factor in table.factors.items():
        known = [v for v in table.values.get(key, []) if v is not None]
        reason = _too_little(known, factor)
        if reason:
            left_out[key] = reason
        else:
            kept.append(factor)
    return Screened(kept, left_out)


def _too_little(known: list[float], factor: Factor) -> str | None:
    if len(known) < MIN_FACTOR_DAYS:
        return f"known on only {len(known)} days (needs {MIN_FACTOR_DAYS})"
    value, count = Counter(known).most_common(1)[0]
    if factor.binary:
        rarer = min(count, len(known) - count)
        if rarer < MIN_MINORITY_DAYS:
            return f"only {rarer} of {len(known)} days differ (needs {MIN_MINORITY_DAYS})"
        return None
    if count >= MAX_SAME_SHARE * len(known):
        return f"the same ({value:g}) on {count} of {len(known)} days: too little variation"
    return None
