"""services.triggers: how a runner's days are assembled from the diary and the runs, and the report on
the shared real activity files plus a simulated diary (issue 16's done-when)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from tests.triggers_demo import make_demo_runner

from backstride.config import local_today
from backstride.services import triggers
from backstride.services.users import local_user
from backstride.storage.models import Activity, DiaryEntry, Shoe

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_ok]


def run(user, day: date, km: float, climb: float | None = None, shoe: Shoe | None = None, hour: int = 7,
        **kw) -> Activity:  # fmt: skip
    return Activity.objects.create(
        owner=user, start_time=datetime.combine(day, time(hour), UTC), utc_offset_s=0, sport="running",
        distance_m=km * 1000, moving_time_s=km * 360, elevation_gain_m=climb, shoe=shoe,
        source_format="gpx", source_sha256=f"{day}{hour}", **kw,
    )  # fmt: skip


def entry(user, day: date, pain: int, **kw) -> DiaryEntry:
    return DiaryEntry.objects.create(owner=user, day=day, pain_now=pain, **kw)


def test_a_morning_is_the_next_morning_rating_of_the_day_before_else_that_days_check_in():
    user, today = local_user(), local_today()
    d1, d2, d3 = today - timedelta(days=3), today - timedelta(days=2), today - timedelta(days=1)
    entry(user, d1, 2, ran=True, pain_next_morning=6, pain_during_run=3, pain_after_run=4)
    entry(user, d2, 4)
    entry(user, d3, 1)
    by_day = {r.day: r for r in triggers.day_records(user, today)}
    assert by_day[d2].pain_morning == 6.0  # asked about that morning the day before
    assert by_day[d3].pain_morning == 1.0
    assert (by_day[d1].pain_during_run, by_day[d1].pain_after_run) == (3.0, 4.0)
    # The diary says a run with no activity behind it: a run whose numbers are unknown, not a rest day.
    assert by_day[d1].ran and by_day[d1].run_distance_m is None


def test_runs_of_a_day_add_up_and_the_shoe_carries_its_km():
    user, today = local_user(), local_today()
    shoe = Shoe.objects.create(owner=user, name="Pegasus", start_km=100)
    day = today - timedelta(days=2)
    run(user, day - timedelta(days=3), 10, 50, shoe)
    run(user, day, 8, 40, shoe, hour=6, avg_hr_bpm=150)
    run(user, day, 2, None, None, hour=18, avg_hr_bpm=130)
    records = triggers.day_records(user, today)
    by_day = {r.day: r for r in records}
    both = by_day[day]
    assert both.run_distance_m == pytest.approx(10_000)
    assert both.elevation_gain_m is None  # one run's climb is unknown: the day's total is too
    assert both.shoe == "Pegasus" and both.shoe_km == pytest.approx(110)  # 100 + the earlier 10 km
    assert both.heart_rate_bpm == pytest.approx((8 * 150 + 2 * 130) / 10)
    # Every day from the first run on has a record: a day without an activity had no run.
    assert not by_day[day - timedelta(days=1)].ran and by_day[day - timedelta(days=1)].pain_morning is None
    assert records[0].day == day - timedelta(days=3) and records[-1].day == today


def test_another_runners_days_are_never_read(django_user_model):
    other = django_user_model.objects.create(username="other")
    today = local_today()
    entry(other, today - timedelta(days=1), 9)
    run(other, today - timedelta(days=1), 5)
    assert triggers.day_records(local_user(), today) == []


def test_two_weeks_of_data_say_what_is_missing():
    user, today = local_user(), local_today()
    make_demo_runner(user, today, weeks=2)
    result = triggers.report(user, today)
    assert not result.ready and not result.findings
    assert result.missing[0].startswith("7 more weeks of check-ins with a morning pain rating")
    body = triggers.report_json(result)
    assert body["ready"] is False and body["findings"] == [] and body["missing"] == result.missing


def test_shared_activity_files_with_a_planted_diary_find_hilly_runs_with_an_interval():
    user, today = local_user(), local_today()
    make_demo_runner(user, today, weeks=16, effect=1.5)
    result = triggers.report(user, today)
    assert result.ready
    top = result.findings[0]
    assert (top.outcome, top.factor, top.lag) == ("next_morning", "hilly_run", 0)
    assert top.low <= 1.5 <= top.high and top.low > 0 and top.days >= 80
    row = triggers.report_json(result)["findings"][0]
    assert row["experiment"] == {"kind": "no_hills", "title": "Two weeks without hills"}
    assert row["days"] == top.days and row["units"] == "points" and row["factor_title"] == "Hilly runs"
    chart = row["chart"]
    assert len(chart["points"]) == top.days and {x for x, _ in chart["points"]} == {0.0, 1.0}
    (x0, fit0, low0, high0), (x1, fit1, low1, high1) = chart["line"]
    assert low1 < fit1 < high1
    assert (
        (x0, x1) == (0.0, 1.0) and low0 < fit0 < high0 and fit1 - fit0 == pytest.approx(top.effect, abs=0.01)
    )
    # Taken together, hilly runs keep their effect; a factor that only came with them (descent) does not.
    joint = {e.factor: e for e in result.joint.effects if e.outcome == "next_morning"}
    assert joint["hilly_run"].low > 0 and joint["hilly_run"].low <= 1.5 <= joint["hilly_run"].high
    assert all(e.low <= 0 <= e.high for key, e in joint.items() if key != "hilly_run")
    assert triggers.report_json(result)["joint"]["effects"][0]["factor"] == "hilly_run"
    # Nothing unrelated is reported: sleep, sitting and stiffness were drawn apart from pain.
    assert not {f.factor for f in result.findings} & {"sleep_hours", "sitting_hours", "stiffness"}


def test_without_a_planted_effect_nothing_is_reported():
    user, today = local_user(), local_today()
    make_demo_runner(user, today, weeks=16, effect=0.0)
    result = triggers.report(user, today)
    assert result.ready and result.findings == []


def test_a_run_without_a_distance_makes_the_days_numbers_unknown_not_a_rest_day():
    user, today = local_user(), local_today()
    day = today - timedelta(days=1)
    run(user, day - timedelta(days=1), 6, 30)
    treadmill = run(user, day, 5)
    Activity.objects.filter(id=treadmill.id).update(distance_m=None)
    by_day = {r.day: r for r in triggers.day_records(user, today)}
    assert by_day[day].ran and by_day[day].run_distance_m is None
    assert by_day[day - timedelta(days=1)].run_distance_m == pytest.approx(6000)


def test_each_findings_card_line_says_whether_it_still_stands_out_taken_together():
    user, today = local_user(), local_today()
    make_demo_runner(user, today, weeks=16, effect=1.5)
    result = triggers.report(user, today)
    notes = {(f.outcome, f.factor): triggers.together(result, f) for f in result.findings}
    assert notes[("next_morning", "hilly_run")].endswith(", it still stands out.")
    assert notes[("next_morning", "descent_per_km")] == (
        "Taken together with runs with over 15 m climb per km, this one no longer stands out: "
        "it may only have come along with it."
    )
    assert notes[("flare", "hilly_run")] == ""  # alone in its outcome's model: nothing to add
    rows = triggers.report_json(result)["findings"]
    assert [row["together"] for row in rows] == [triggers.together(result, f) for f in result.findings]
