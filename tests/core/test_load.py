"""Training load (core/load/, worded by services/load_text.py): known answers worked out by hand from
spec activity.md section 4, plus hypothesis properties (lengths, conservation, no exceptions, no
negative ratios)."""

from __future__ import annotations

import json
import math
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backstride.core.load import (
    AcwrGap,
    DayLoad,
    MonotonyGap,
    ProgressionCase,
    Session,
    SpikeCase,
    acwr,
    daily_loads,
    latest_spike,
    run_spike,
    two_week_progression,
    week_start,
    weekly_loads,
)
from backstride.services.load_json import acwr_json, load_report
from backstride.services.load_text import (
    ACWR_NOTE,
    acwr_reason,
    monotony_reason,
    progression_reason,
    spike_reason,
)

MON = date(2025, 3, 3)  # a Monday
PROPERTY = settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


def run(day: date, km: float | None = None, minutes: float | None = None, rpe: float | None = None, **kw):
    return Session(
        day=day,
        sport=kw.pop("sport", "running"),
        distance_m=None if km is None else km * 1000,
        duration_s=None if minutes is None else minutes * 60,
        rpe=rpe,
        **kw,
    )


def day_n(n: int) -> date:
    return MON + timedelta(days=n)


def constant_days(first: date, last: date, metres: float) -> list[DayLoad]:
    out, d = [], first
    while d <= last:
        out.append(DayLoad(day=d, distance_m=metres, sessions=1))
        d += timedelta(days=1)
    return out


# ---------------------------------------------------------------------------------------------- daily


def test_rest_days_are_materialised_as_zeros():
    sessions = [run(day_n(0), 5, 30), run(day_n(2), 8, 48), run(day_n(4), 5, 30)]
    daily = daily_loads(sessions, MON, day_n(6))
    assert [d.day for d in daily] == [day_n(i) for i in range(7)]
    zeros = [d for d in daily if d.sessions == 0]
    assert len(zeros) == 4
    assert all(d.distance_m == 0 and d.duration_s == 0 and d.srpe_au == 0 for d in zeros)
    assert [d.distance_m for d in daily] == [5000, 0, 8000, 0, 5000, 0, 0]


def test_daily_filters_sports_and_range_and_sums_same_day():
    sessions = [
        run(day_n(0), 5, 30),
        run(day_n(0), 3, 20),  # a second run the same day adds up
        run(day_n(0), 10, 120, sport="walking"),
        run(day_n(-1), 7, 40),  # before the range
        run(day_n(7), 7, 40),  # after the range
    ]
    daily = daily_loads(sessions, MON, day_n(6))
    assert daily[0].distance_m == 8000 and daily[0].sessions == 2 and daily[0].duration_s == 3000
    assert sum(d.sessions for d in daily) == 2
    everything = daily_loads(sessions, MON, day_n(6), sports=None)
    assert everything[0].distance_m == 18000 and everything[0].sessions == 3
    assert daily_loads(sessions, day_n(6), MON) == []


def test_srpe_is_rpe_times_minutes_and_unrated_sessions_are_counted():
    sessions = [
        run(day_n(0), 5, 30, rpe=4),  # 120 AU
        run(day_n(0), 3, 20, rpe=None),  # unrated: adds nothing
        run(day_n(1), 10, 45.5, rpe=6),  # 273 AU
        run(day_n(2), 4, None, rpe=5),  # no duration: cannot be rated
        run(day_n(3), 4, 20, rpe=11),  # outside CR-10: treated as missing
    ]
    daily = daily_loads(sessions, MON, day_n(6))
    assert daily[0].srpe_au == pytest.approx(120) and daily[0].unrated_sessions == 1
    assert daily[0].rated_sessions == 1
    assert daily[1].srpe_au == pytest.approx(273) and daily[1].unrated_sessions == 0
    assert daily[2].srpe_au == 0 and daily[2].unrated_sessions == 1
    assert daily[3].srpe_au == 0 and daily[3].unrated_sessions == 1


def test_bad_numbers_are_treated_as_missing():
    sessions = [
        Session(MON, "running", -5000.0, float("nan"), 5.0, elevation_gain_m=float("inf"), uphill_share=1.5)
    ]
    (day,) = daily_loads(sessions, MON, MON)
    assert day.distance_m == 0 and day.duration_s == 0 and day.srpe_au == 0
    assert day.unrated_sessions == 1 and day.elevation_gain_m is None and day.uphill_measured_s == 0


# --------------------------------------------------------------------------------------------- weekly


def test_weekly_sums_and_monday_starts():
    sessions = [run(day_n(0), 5, 30, rpe=3), run(day_n(6), 12, 75, rpe=5), run(day_n(7), 6, 36, rpe=4)]
    weeks = weekly_loads(daily_loads(sessions, MON, day_n(13)))
    assert [w.week_start for w in weeks] == [MON, day_n(7)]
    assert weeks[0].distance_m == 17000 and weeks[0].duration_s == 105 * 60 and weeks[0].sessions == 2
    assert weeks[0].srpe_au == pytest.approx(3 * 30 + 5 * 75)
    assert weeks[1].distance_m == 6000 and weeks[1].sessions == 1
    assert all(w.complete and w.days_in_range == 7 for w in weeks)


def test_week_starts_across_a_year_boundary():
    # 2025-01-01 is a Wednesday: its week starts Monday 2024-12-30.
    assert week_start(date(2025, 1, 1)) == date(2024, 12, 30)
    assert week_start(date(2024, 12, 30)) == date(2024, 12, 30)
    assert week_start(date(2025, 1, 5)) == date(2024, 12, 30)  # Sunday
    sessions = [run(date(2024, 12, 31), 5), run(date(2025, 1, 2), 7), run(date(2025, 1, 6), 9)]
    weeks = weekly_loads(daily_loads(sessions, date(2024, 12, 28), date(2025, 1, 8)))
    assert [w.week_start for w in weeks] == [date(2024, 12, 23), date(2024, 12, 30), date(2025, 1, 6)]
    assert [w.distance_m for w in weeks] == [0, 12000, 9000]
    assert [w.complete for w in weeks] == [False, True, False]
    assert [w.days_in_range for w in weeks] == [2, 7, 3]
    assert weeks[0].monotony is None and "partly" in (monotony_reason(weeks[0]) or "")


def test_monotony_and_strain_on_a_constructed_week():
    # daily sRPE loads: 300, 0, 300, 0, 300, 0, 500 (RPE 5 x 60 min, RPE 5 x 100 min)
    sessions = [run(day_n(i), 10, 60, rpe=5) for i in (0, 2, 4)] + [run(day_n(6), 16, 100, rpe=5)]
    (week,) = weekly_loads(daily_loads(sessions, MON, day_n(6)))
    loads = [300, 0, 300, 0, 300, 0, 500]
    mean = sum(loads) / 7  # 200
    # deviations +100, -200, +100, -200, +100, -200, +300: population SD = sqrt(240000 / 7) = 185.16
    sd = math.sqrt(sum((x - mean) ** 2 for x in loads) / 7)
    assert mean == 200 and sd == pytest.approx(math.sqrt(240000 / 7))
    assert week.srpe_au == pytest.approx(1400)
    assert week.monotony == pytest.approx(200 / sd) and week.monotony == pytest.approx(1.0801, abs=1e-4)
    assert week.strain == pytest.approx(1400 * 200 / sd)  # 1512.1
    assert monotony_reason(week) is None


def test_monotony_none_when_every_day_equal_or_no_rpe():
    every_day = [run(day_n(i), 8, 45, rpe=4) for i in range(7)]
    (week,) = weekly_loads(daily_loads(every_day, MON, day_n(6)))
    assert week.monotony is None and week.strain is None and "SD = 0" in (monotony_reason(week) or "")

    no_rpe = [run(day_n(i), 8, 45) for i in (0, 3)]
    (week,) = weekly_loads(daily_loads(no_rpe, MON, day_n(6)))
    assert week.monotony is None and "no session this week has an RPE" in (monotony_reason(week) or "")

    one_unrated = [run(day_n(0), 8, 45, rpe=4), run(day_n(3), 8, 45)]
    (week,) = weekly_loads(daily_loads(one_unrated, MON, day_n(6)))
    assert week.monotony is None and "1 of 2 sessions" in (monotony_reason(week) or "")

    (week,) = weekly_loads(daily_loads([], MON, day_n(6)))
    assert week.monotony is None and monotony_reason(week) == "no sessions this week"


def test_monotony_is_capped_at_ten():
    # six days at 100 AU and one at 101: mean/SD is about 264, shown as 10
    sessions = [run(day_n(i), 5, 20, rpe=5) for i in range(6)] + [run(day_n(6), 5, 20.2, rpe=5)]
    (week,) = weekly_loads(daily_loads(sessions, MON, day_n(6)))
    assert week.monotony == 10.0 and week.strain == pytest.approx(week.srpe_au * 10)


def test_elevation_per_km_and_duration_weighted_uphill_share():
    sessions = [
        run(day_n(0), 10, 60, elevation_gain_m=200, uphill_share=0.5),
        run(day_n(1), 5, 30, elevation_gain_m=None, uphill_share=0.2),
        run(day_n(2), 5, 90),  # neither: ignored by both figures
    ]
    (week,) = weekly_loads(daily_loads(sessions, MON, day_n(6)))
    assert week.elevation_gain_m == 200
    assert week.elevation_per_km == pytest.approx(20.0)  # 200 m over the 10 km that report it
    assert week.uphill_share == pytest.approx((0.5 * 60 + 0.2 * 30) / 90)  # 0.4
    (empty,) = weekly_loads(daily_loads([], MON, day_n(6)))
    assert empty.elevation_gain_m is None and empty.elevation_per_km is None and empty.uphill_share is None


# ---------------------------------------------------------------------------------------- progression


def _two_weeks(previous_km: float, recent_km: float) -> tuple[list[DayLoad], date]:
    today = day_n(13)
    sessions = [run(day_n(0), previous_km), run(day_n(10), recent_km)]
    return daily_loads(sessions, MON, today), today


@pytest.mark.parametrize(
    ("recent_km", "percent", "flagged", "category"),
    [
        (12.9, 29.0, False, "10_to_30_percent"),
        (13.0, 30.0, False, "10_to_30_percent"),  # exactly 30 %: not "> 30 %"
        (13.1, 31.0, True, "over_30_percent"),
        (10.5, 5.0, False, "up_to_10_percent"),
        (8.0, -20.0, False, "less_or_same"),
    ],
)
def test_two_week_progression_known_answers(recent_km, percent, flagged, category):
    daily, today = _two_weeks(10, recent_km)
    p = two_week_progression(daily, today)
    assert p.previous_m == 10000 and p.recent_m == pytest.approx(recent_km * 1000)
    assert p.percent == percent and p.flagged is flagged and p.category == category
    assert p.ratio == pytest.approx(recent_km / 10, abs=1e-3)
    assert ("Nielsen 2014" in progression_reason(p)) and (
        ("more than 30 %" in progression_reason(p)) is flagged
    )


def test_progression_windows_are_the_last_7_days_and_the_7_before():
    today = day_n(13)
    sessions = [run(day_n(-1), 50), run(day_n(0), 10), run(day_n(6), 5), run(day_n(7), 4), run(day_n(13), 4)]
    p = two_week_progression(daily_loads(sessions, day_n(-5), today), today)
    assert p.previous_m == 15000 and p.recent_m == 8000  # day_n(-1) is 15 days back: outside


def test_progression_reason_when_the_earlier_week_is_empty():
    daily, today = _two_weeks(0, 12)
    p = two_week_progression(daily, today)
    assert p.ratio is None and p.percent is None and p.category is None and not p.flagged
    assert "no running recorded in 2025-03-03..2025-03-09" in progression_reason(p)
    empty = two_week_progression(daily_loads([], MON, day_n(13)), day_n(13))
    assert empty.ratio is None and progression_reason(empty) == "no running recorded in the last 14 days"
    # days the daily list does not cover count as rest days
    assert (
        progression_reason(two_week_progression([], day_n(13))) == "no running recorded in the last 14 days"
    )


# ---------------------------------------------------------------------------------------------- spike


@pytest.mark.parametrize(
    ("km", "ratio", "band"),
    [
        (10.0, 1.0, "none"),
        (11.0, 1.1, "none"),  # exactly 110 %: the spec flags "> 110 %"
        (11.01, 1.101, "small"),
        (13.0, 1.3, "small"),  # upper edge inclusive
        (13.01, 1.301, "moderate"),
        (20.0, 2.0, "moderate"),
        (20.01, 2.001, "large"),
        (35.0, 3.5, "large"),
    ],
)
def test_spike_bands_at_the_boundaries(km, ratio, band):
    history = [run(day_n(0), 10), run(day_n(5), 6), run(day_n(10), 8)]
    target = run(day_n(20), km)
    spike = run_spike([*history, target], target)
    assert spike.longest_previous_m == 10000 and spike.longest_previous_day == day_n(0)
    assert spike.ratio == ratio and spike.band == band
    assert spike.flagged is (band != "none")
    assert ("Frandsen 2025" in spike_reason(spike)) is spike.flagged


def test_spike_window_is_the_30_days_before_the_run_day():
    target = run(day_n(40), 12)
    too_old = run(day_n(9), 30)  # 31 days before
    oldest_in = run(day_n(10), 10)  # exactly 30 days before: inside
    same_day = run(day_n(40), 50)  # same day: not "before"
    walk = run(day_n(30), 40, sport="walking")
    spike = run_spike([too_old, oldest_in, same_day, walk, target], target)
    assert spike.longest_previous_m == 10000 and spike.ratio == 1.2 and spike.band == "small"


def test_spike_without_history():
    target = run(day_n(40), 12)
    spike = run_spike([run(day_n(0), 30), target], target)
    assert spike.band == "no_history" and spike.ratio is None and spike.longest_previous_m is None
    assert "no run with a distance recorded in 2025-03-13..2025-04-11" in spike_reason(spike)
    assert not spike.flagged
    no_distance = run_spike([run(day_n(39), 5)], run(day_n(40), None, 30))
    assert (
        no_distance.ratio is None
        and no_distance.band == "none"
        and "no distance" in spike_reason(no_distance)
    )


def test_latest_spike_takes_the_most_recent_run_on_or_before_today():
    sessions = [
        run(day_n(0), 10),
        run(day_n(5), 12),
        run(day_n(5), 6),  # the shorter run of the same day is not the one judged
        run(day_n(6), 30, sport="cycling"),
        run(day_n(9), 50),  # after today
    ]
    spike = latest_spike(sessions, day_n(7))
    assert spike is not None and spike.run_day == day_n(5) and spike.distance_m == 12000
    assert spike.ratio == 1.2 and spike.band == "small"
    assert latest_spike(sessions, day_n(-1)) is None
    assert latest_spike([], day_n(7)) is None


# ----------------------------------------------------------------------------------------------- ACWR


def test_acwr_constant_load_is_one():
    today = day_n(59)
    a = acwr(constant_days(MON, today, 5000), today)
    assert a.rolling_coupled == pytest.approx(1.0)  # 35 km / (140 km / 4)
    assert a.rolling_uncoupled == pytest.approx(1.0)
    assert a.ewma == pytest.approx(1.0)
    assert a.acute_7d == 35000 and a.chronic_28d == 140000 and acwr_reason(a) is None
    note = acwr_json(a)["note"]
    assert note == ACWR_NOTE and "Impellizzeri" in note and "Frandsen" in note


def test_acwr_uncoupled_doubled_last_week_is_two():
    today = day_n(27)
    daily = constant_days(MON, day_n(20), 5000) + constant_days(day_n(21), today, 10000)
    a = acwr(daily, today)
    assert a.rolling_uncoupled == pytest.approx(2.0)  # (70/7) / (105/21)
    assert a.rolling_coupled == pytest.approx(70 / (175 / 4))  # 1.6: the acute week is in the chronic too


def test_acwr_ewma_converges_to_one_on_a_constant_series():
    today = day_n(299)
    daily = [DayLoad(day=MON, distance_m=30000, sessions=1), *constant_days(day_n(1), today, 5000)]
    early = acwr(daily, day_n(28))
    late = acwr(daily, today)
    assert early.ewma is not None and late.ewma is not None
    assert abs(late.ewma - 1.0) < 1e-6 < abs(early.ewma - 1.0)


def test_acwr_ewma_by_hand():
    # seed 10 on day 0, then zeros: EWMA7 = 10 x 0.75^27, EWMA28 = 10 x (27/29)^27 on day 27
    daily = [DayLoad(day=MON, distance_m=10.0, sessions=1)]
    a = acwr(daily, day_n(27))
    assert a.coverage_days == 28
    assert a.ewma == pytest.approx(0.75**27 / (27 / 29) ** 27)


def test_acwr_coverage_27_days_none_28_days_value():
    first = MON
    daily = constant_days(first, day_n(27), 5000)
    short = acwr(daily, day_n(26))
    assert short.coverage_days == 27
    assert short.rolling_coupled is None and short.rolling_uncoupled is None and short.ewma is None
    assert acwr_reason(short) == "not enough data: 27 of 28 days recorded (first session on 2025-03-03)"
    full = acwr(daily, day_n(27))
    assert (
        full.coverage_days == 28 and full.rolling_coupled == pytest.approx(1.0) and acwr_reason(full) is None
    )


def test_acwr_all_zero_chronic_window_is_none_with_reason():
    daily = [DayLoad(day=MON, distance_m=5000, sessions=1), *constant_days(day_n(1), day_n(60), 0.0)]
    daily = [daily[0]] + [DayLoad(day=d.day) for d in daily[1:]]
    a = acwr(daily, day_n(60))
    assert a.rolling_coupled is None and a.rolling_uncoupled is None and a.ewma is None
    assert acwr_reason(a) is not None and "no load in the last 28 days" in acwr_reason(a)
    assert acwr_reason(acwr([], day_n(60))) == "not enough data: no session recorded"


def test_acwr_uncoupled_none_when_only_the_acute_week_has_load():
    daily = [DayLoad(day=MON, distance_m=1000, sessions=1)] + [DayLoad(day=day_n(i)) for i in range(1, 40)]
    daily[35] = DayLoad(day=day_n(35), distance_m=8000, sessions=1)
    a = acwr(daily, day_n(39))
    assert a.rolling_coupled == pytest.approx(4.0) and a.rolling_uncoupled is None
    assert acwr_reason(a) == "uncoupled: no load in days 8-28 before today"


def test_acwr_srpe_history_starts_at_the_first_rated_session():
    sessions = [run(day_n(i), 5, 30) for i in range(20)] + [
        run(day_n(i), 5, 30, rpe=4) for i in range(20, 50)
    ]
    daily = daily_loads(sessions, MON, day_n(49))
    srpe = acwr(daily, day_n(40), metric="srpe_au")
    assert srpe.coverage_days == 21 and srpe.ewma is None
    assert "first session with an RPE on 2025-03-23" in (acwr_reason(srpe) or "")
    assert acwr(daily, day_n(40), metric="duration_s").rolling_coupled == pytest.approx(1.0)
    with pytest.raises(ValueError):
        acwr(daily, day_n(40), metric="trimp")


def test_the_core_names_each_case_and_leaves_the_words_to_services():
    """No sentence in the core: a figure says which case it is and carries the numbers to word it."""
    (week,) = weekly_loads(daily_loads([], MON, day_n(6)))
    assert week.monotony_gap is MonotonyGap.NO_SESSIONS
    assert two_week_progression([], day_n(13)).case is ProgressionCase.NO_RUNNING
    short = acwr(constant_days(MON, day_n(26), 1000), day_n(26))
    assert short.gaps == (AcwrGap.SHORT_HISTORY,) and short.first_day == MON and short.coverage_days == 27
    lone = run_spike([], run(day_n(40), 5))
    assert lone.case is SpikeCase.NO_HISTORY and (lone.window_first, lone.window_last) == (
        day_n(10),
        day_n(39),
    )
    assert run_spike([], run(day_n(40), 0)).case is SpikeCase.NO_DISTANCE


# --------------------------------------------------------------------------------------------- report


def test_load_report_is_json_and_explains_every_none():
    sessions = [run(day_n(i), 5 + (i % 3), 30, rpe=4) for i in range(0, 60, 2)] + [run(day_n(60), 15, 80)]
    report = load_report(sessions, day_n(49), day_n(62), today=day_n(60))
    text = json.dumps(report)
    assert set(report) >= {"daily", "weekly", "spike", "progression", "acwr", "sources"}
    assert len(report["daily"]) == 14 and report["daily"][0]["day"] == "2025-04-21"
    assert report["spike"]["band"] == "large" and report["spike"]["flagged"] is True
    assert report["acwr"]["coverage_days"] == 61 and report["acwr"]["note"] == ACWR_NOTE
    assert {s["id"] for s in report["sources"]} >= {"nielsen2014", "frandsen2025", "impellizzeri2021"}
    assert "NaN" not in text

    def nones_explained(row: dict, path: str) -> None:
        for key, value in row.items():
            if value is None and not key.endswith("reason"):
                explained = row.get("reason") or (row.get("reasons") or {}).get(key)
                assert explained, f"{path}.{key} is None without a reason"

    for i, row in enumerate(report["daily"]):
        nones_explained(row, f"daily[{i}]")
    for i, row in enumerate(report["weekly"]):
        nones_explained(row, f"weekly[{i}]")
    nones_explained(report["progression"], "progression")
    nones_explained(report["acwr"], "acwr")
    nones_explained(report["spike"], "spike")

    empty = load_report([], MON, day_n(6), today=day_n(6))
    assert empty["spike"] is None and empty["reasons"]["spike"]
    assert empty["acwr"]["reason"] and empty["progression"]["reason"]
    json.dumps(empty)


# ----------------------------------------------------------------------------------------- properties

DAYS = st.dates(min_value=date(2024, 11, 1), max_value=date(2025, 3, 31))
MAYBE = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True, min_value=None, max_value=None))
SESSIONS = st.lists(
    st.builds(
        Session,
        day=DAYS,
        sport=st.sampled_from(["running", "walking", "cycling"]),
        distance_m=st.one_of(st.none(), st.floats(0, 100_000), MAYBE),
        duration_s=st.one_of(st.none(), st.floats(0, 30_000), MAYBE),
        rpe=st.one_of(st.none(), st.floats(0, 10), MAYBE),
        elevation_gain_m=st.one_of(st.none(), st.floats(0, 3_000), MAYBE),
        uphill_share=st.one_of(st.none(), st.floats(0, 1), MAYBE),
    ),
    max_size=40,
)
RANGE_START = st.dates(min_value=date(2024, 12, 1), max_value=date(2025, 2, 28))


@PROPERTY
@given(SESSIONS, RANGE_START, st.integers(0, 60))
def test_daily_length_and_conservation(sessions, start, span):
    end = start + timedelta(days=span)
    daily = daily_loads(sessions, start, end)
    assert len(daily) == (end - start).days + 1
    assert [d.day for d in daily] == [start + timedelta(days=i) for i in range(span + 1)]
    inside = [
        s
        for s in sessions
        if start <= s.day <= end
        and s.sport == "running"
        and s.distance_m is not None
        and math.isfinite(s.distance_m)
        and 0 <= s.distance_m <= 1e7
    ]
    assert sum(d.distance_m for d in daily) == pytest.approx(sum(s.distance_m for s in inside))
    assert sum(d.sessions for d in daily) == sum(
        1 for s in sessions if start <= s.day <= end and s.sport == "running"
    )
    weeks = weekly_loads(daily)
    assert sum(w.distance_m for w in weeks) == pytest.approx(sum(d.distance_m for d in daily))
    assert sum(w.days_in_range for w in weeks) == len(daily)
    assert all(w.week_start.weekday() == 0 for w in weeks)


@PROPERTY
@given(SESSIONS, RANGE_START, st.integers(0, 60), st.sampled_from(["distance_m", "duration_s", "srpe_au"]))
def test_no_exceptions_and_no_negative_ratios(sessions, start, span, metric):
    end = start + timedelta(days=span)
    today = end
    daily = daily_loads(sessions, start - timedelta(days=40), today, sports=None)
    for w in weekly_loads(daily):
        for value in (w.monotony, w.strain, w.elevation_per_km, w.uphill_share):
            assert value is None or (math.isfinite(value) and value >= 0)
        assert w.monotony is None or w.monotony <= 10
        assert (w.monotony is None) == (monotony_reason(w) is not None)
    p = two_week_progression(daily, today)
    assert p.ratio is None or p.ratio >= 0
    assert (p.ratio is None) == (p.percent is None) and progression_reason(p)
    a = acwr(daily, today, metric)
    for value in (a.rolling_coupled, a.rolling_uncoupled, a.ewma):
        assert value is None or (math.isfinite(value) and value >= 0)
    if None in (a.rolling_coupled, a.rolling_uncoupled, a.ewma):
        assert acwr_reason(a)
    spike = latest_spike(sessions, today)
    assert spike is None or spike.ratio is None or spike.ratio >= 0
    for s in sessions:
        sp = run_spike(sessions, s)
        assert sp.ratio is None or sp.ratio >= 0
        assert (sp.ratio is None) == (sp.band == "no_history" or sp.distance_m < 1)
    json.dumps(load_report(sessions, start, end, today))
