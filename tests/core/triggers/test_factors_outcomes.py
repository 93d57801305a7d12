"""Candidate factors, screening, outcomes and the flare baseline, and what too little data says."""

from __future__ import annotations

from datetime import date, timedelta

from tests.core.triggers.simulate import simulate

from backstride.core.triggers import DayRecord, analyse
from backstride.core.triggers.analysis import MIN_CHECKIN_DAYS, MIN_FLARES
from backstride.core.triggers.factors import factor_by_key, factor_table, screen
from backstride.core.triggers.outcomes import (
    BASELINE_MIN_VALUES,
    FLARE_RISE,
    outcome_series,
    rolling_baseline,
)

START = date(2026, 3, 2)


def day(i: int, **kw: object) -> DayRecord:
    return DayRecord(day=START + timedelta(days=i), **kw)  # type: ignore[arg-type]


def test_spike_is_a_run_over_110_percent_of_the_longest_in_30_days() -> None:
    records = [day(i, pain_morning=2, run_distance_m=10_000 if i % 3 == 0 else None) for i in range(40)]
    records[39] = day(39, pain_morning=2, run_distance_m=12_100)  # > 110% of 10.9 km
    records[36] = day(36, pain_morning=2, run_distance_m=10_900)
    spike = factor_table(records).values["spike"]
    assert spike[39] == 1.0
    assert spike[36] == 0.0  # 109%: not a spike
    assert spike[5] is None  # fewer than 20 days known before it


def test_climb_hilly_and_7_day_km() -> None:
    records = [day(i, run_distance_m=10_000, elevation_gain_m=200 if i == 6 else 50) for i in range(7)]
    values = factor_table(records).values
    assert values["climb_per_km"][6] == 20.0
    assert values["hilly_run"][6] == 1.0 and values["hilly_run"][5] == 0.0
    assert values["km_7d"][6] == 70.0
    assert values["days_since_rest"][6] is None  # never seen a rest day


def test_gaps_in_the_calendar_are_unknown_days() -> None:
    records = [day(0, pain_morning=1), day(3, pain_morning=4)]
    table = factor_table(records)
    assert len(table.days) == 4
    assert table.values["run_km"] == [0.0, None, None, 0.0]


def test_factors_with_too_little_variation_are_left_out_with_a_reason() -> None:
    records = [day(i, pain_morning=2, sitting_hours=8.0, sleep_hours=6 + i % 3) for i in range(60)]
    left_out = screen(factor_table(records)).left_out
    assert left_out["sitting_hours"] == "the same (8) on 60 of 60 days: too little variation"
    assert "sleep_hours" not in left_out
    assert left_out["cadence"] == "known on only 0 days (needs 28)"


def test_baseline_needs_7_of_the_previous_14_days_and_a_flare_is_2_points_above() -> None:
    morning: list[float | None] = [2.0] * BASELINE_MIN_VALUES + [None, 4.0, 3.0]
    base = rolling_baseline(morning)
    assert base[BASELINE_MIN_VALUES - 1] is None and base[BASELINE_MIN_VALUES] == 2.0
    records = [day(i, pain_morning=v) for i, v in enumerate(morning) if v is not None]
    flare = outcome_series([r for r in records[:7]] + [None] + records[7:])["flare"]
    assert flare[7] == 1.0  # the morning after day 7 is 4 = baseline 2 + FLARE_RISE
    assert flare[8] == 0.0
    assert FLARE_RISE == 2.0


def test_run_pain_is_the_higher_of_during_and_after() -> None:
    rec = day(0, run_distance_m=5000, pain_during_run=3, pain_after_run=5)
    assert outcome_series([rec, day(1)])["run_pain"] == [5, None]


def test_two_weeks_say_what_is_missing() -> None:
    report = analyse(simulate(1, days=15))
    assert not report.ready and report.findings == []
    assert (
        report.missing[0]
        == f"7 more weeks of check-ins with a morning pain rating ({report.checkin_days} days so far)"
    )
    assert any(f"at least {MIN_FLARES} flares" in m for m in report.missing)
    assert MIN_CHECKIN_DAYS == 56


def test_no_records() -> None:
    report = analyse([])
    assert not report.ready and report.checkin_days == 0


def test_pace_is_the_runs_average_speed_and_each_shoe_is_a_yes_no_factor() -> None:
    records = [
        day(i, run_distance_m=10_000, run_duration_s=3000, shoe="Pegasus 40" if i % 2 else "km")
        if i % 3
        else day(i, pain_morning=2)
        for i in range(9)
    ]
    table = factor_table(records)
    assert table.values["speed_kmh"][:3] == [None, 12.0, 12.0]  # 10 km in 50 minutes; no run: unknown
    assert table.values["in_shoe_Pegasus 40"][:4] == [0.0, 1.0, 0.0, 0.0]
    # A shoe named "km" is its own factor, never confused with the shoe's km.
    assert table.values["in_shoe_km"][:3] == [0.0, 0.0, 1.0] and "shoe_km" in table.values
    shoe = factor_by_key("in_shoe_Pegasus 40")
    assert shoe is not None and shoe.binary and shoe.title == "A run in Pegasus 40"
    assert factor_by_key("speed_kmh") is not None and factor_by_key("nothing") is None
