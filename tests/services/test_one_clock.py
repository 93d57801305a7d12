"""One clock (issue 12): "today" and the day of a stored moment are the runner's local calendar day
everywhere, also a few minutes either side of local midnight in zones far from UTC (BACKSTRIDE_TZ).

The process itself runs on UTC (Django sets it from settings.TIME_ZONE), so any day read another way
(the UTC date of a stored time, date.today()) lands on the wrong side of midnight in some of these
cases: at 23:50 in Los Angeles it is already tomorrow in UTC, at 00:10 in Auckland still yesterday."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from click.testing import CliRunner
from django.utils import timezone
from tests.cases import EMERGENCY, SELF_MANAGE

from backstride.cli import main
from backstride.config import local_today
from backstride.core.diary import A8_ITEMS
from backstride.services import gait
from backstride.services.checks import check_symptoms, list_checks, summary_row
from backstride.services.dashboard import dashboard
from backstride.services.diary import log_check_in
from backstride.services.imports import activity_row
from backstride.services.load import sessions
from backstride.services.plan import plan_view
from backstride.services.runs import day_of, log_run
from backstride.services.shoes import add_shoe, retire_shoe
from backstride.services.today import current_alert, episode_of, run_today
from backstride.services.users import local_user
from backstride.storage.models import Activity, DiaryEntry, FormCheck, SymptomCheck

pytestmark = pytest.mark.django_db

DAY = date(2026, 12, 7)  # Auckland on summer time (UTC+13), Los Angeles on standard time (UTC-8)
MOMENTS = [
    ("Pacific/Auckland", time(23, 50)),
    ("Pacific/Auckland", time(0, 10)),
    ("America/Los_Angeles", time(23, 50)),
    ("America/Los_Angeles", time(0, 10)),
]
NO = {
    item: ("none" if item in ("leg_pain_side", "numbness_tingling", "leg_weakness") else False)
    for item in A8_ITEMS
}


@pytest.fixture(params=MOMENTS, ids=[f"{zone}-{at:%H%M}" for zone, at in MOMENTS])
def near_midnight(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[datetime]:
    """The runner lives in the zone and the clock stands still at that local time on DAY."""
    zone, at = request.param
    monkeypatch.setenv("BACKSTRIDE_TZ", zone)
    moment = datetime.combine(DAY, at, tzinfo=ZoneInfo(zone))
    with time_machine.travel(moment.astimezone(UTC), tick=False):
        assert local_today() == DAY
        yield moment


def test_a_check_near_midnight_is_on_its_local_day_in_today_history_and_the_episode(near_midnight):
    outcome = check_symptoms({**SELF_MANAGE, "duration_days": 4}, local_user())
    check = SymptomCheck.objects.get(id=outcome.check_id)
    assert episode_of(check) == (DAY - timedelta(days=4), DAY)
    assert run_today(local_user(), local_today())["latest_full_check"] == DAY.isoformat()
    shown = f"{DAY.isoformat()}T{near_midnight:%H:%M}"
    assert outcome.report["created_at"][:16] == shown
    assert summary_row(list_checks(local_user())[0])["created_at"][:16] == shown


def test_an_urgent_answer_near_midnight_is_dated_on_its_local_day(near_midnight):
    check_symptoms(EMERGENCY, local_user(), completed=False)
    _, alert, _ = current_alert(local_user())
    assert alert is not None and alert["day"] == DAY.isoformat()
    assert run_today(local_user(), local_today())["escalation"]["day"] == DAY.isoformat()


def test_run_today_the_plan_and_the_dashboard_agree_on_today(near_midnight):
    user = local_user()
    check_symptoms(SELF_MANAGE, user)
    log_check_in(user, {"day": local_today(), "pain_now": 1, "red_flags": NO}, local_today())
    today = run_today(user, local_today())
    plan = plan_view(user, local_today(), local_today())
    board = dashboard(user, local_today())
    assert today["date"] == board["today"]["date"] == DAY.isoformat()
    assert today["run_today"] == plan["run_today"] == board["today"]["run_today"] == "green"
    assert plan["plan_since"] == today["latest_full_check"] == DAY.isoformat()
    assert DAY.isoformat() in [day["day"] for day in plan["days"]]


def test_a_diary_entry_saved_today_is_todays(near_midnight):
    result = CliRunner().invoke(main, ["log", "pain", "--pain", "2", "--no-red-flags"])
    assert result.exit_code == 0, result.output
    assert DiaryEntry.objects.get().day == DAY


def test_a_form_check_is_on_its_local_day(near_midnight):
    FormCheck.objects.create(owner=local_user(), status="done", view="side")
    assert gait.history(local_user())[0]["day"] == DAY.isoformat()


def test_runs_are_on_the_day_typed_or_their_own_local_day(near_midnight):
    typed = log_run(local_user(), {"day": local_today(), "distance_km": 5, "duration_min": 30}, local_today())
    # A file without a UTC offset: the runner's local day; with one: the day where it was run.
    bare = Activity.objects.create(
        owner=local_user(), start_time=timezone.now(), sport="running", source_format="gpx"
    )
    abroad = Activity.objects.create(
        owner=local_user(),
        start_time=datetime(2026, 12, 7, 23, 30, tzinfo=UTC),
        utc_offset_s=9 * 3600,  # Tokyo: already 8 December there
        sport="running",
        source_format="fit",
    )
    assert day_of(typed) == day_of(bare) == DAY and day_of(abroad) == date(2026, 12, 8)
    assert activity_row(bare)["day"] == activity_row(typed)["day"] == DAY.isoformat()
    assert sorted(session.day for session in sessions(local_user())) == [DAY, DAY, date(2026, 12, 8)]


def test_a_shoe_retired_today_without_saying_the_day(near_midnight):
    add_shoe(local_user(), {"name": "Daily", "replacement_km": 700}, local_today())
    assert retire_shoe(local_user(), "Daily", DAY).retired == DAY


def test_the_cli_history_and_today_show_the_local_day(near_midnight):
    check_symptoms(SELF_MANAGE, local_user())
    runner = CliRunner()
    history = runner.invoke(main, ["history"])
    assert history.exit_code == 0 and f"{DAY.isoformat()}T{near_midnight:%H:%M}" in history.output
    today = json.loads(runner.invoke(main, ["today", "--format", "json"]).output)
    assert today["date"] == today["latest_full_check"] == DAY.isoformat()


def test_the_history_page_shows_the_local_time_and_day(near_midnight, client):
    check_symptoms(SELF_MANAGE, local_user())
    page = client.get("/history/").content.decode()
    assert f"{DAY.day} Dec 2026 {near_midnight:%H:%M}" in page
    home = client.get("/").content.decode()
    assert f"{DAY.day} Dec 2026, {near_midnight:%H:%M}" in home
