"""build_plan from stored data, `backstride plan`, and the /plan/ page with its calendar file."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from click.testing import CliRunner
from icalendar import Calendar
from tests.cases import EMERGENCY, SELF_MANAGE

from backstride.cli import main
from backstride.config import local_today
from backstride.core.diary import A8_ITEMS
from backstride.services.calendar_export import sessions_of
from backstride.services.checks import check_symptoms
from backstride.services.diary import log_check_in
from backstride.services.plan import build_plan, monday_of
from backstride.services.users import local_user

pytestmark = pytest.mark.django_db
NO = {
    item: ("none" if item in ("leg_pain_side", "numbness_tingling", "leg_weakness") else False)
    for item in A8_ITEMS
}


def test_no_check_means_no_plan_yet():
    plan = build_plan(local_user(), local_today(), local_today())
    assert plan.blocked and "symptom check" in plan.blocked.lower() and not plan.days


def test_an_urgent_check_gets_no_training_plan_until_a_new_check():
    check_symptoms(EMERGENCY, local_user(), completed=False)
    assert build_plan(local_user(), local_today(), local_today()).blocked
    check_symptoms(SELF_MANAGE, local_user())
    assert build_plan(local_user(), local_today(), local_today()).blocked is None


def test_returning_runner_progresses_after_two_good_sessions_logged_in_the_diary():
    user = local_user()
    check_symptoms({**SELF_MANAGE, "ran_since_onset": False, "duration_days": 10}, user)
    assert build_plan(user, local_today(), local_today()).stage == 1
    for days_ago in (4, 2):
        day = local_today() - timedelta(days=days_ago)
        run_day = {
            "day": day,
            "pain_now": 1,
            "ran": True,
            "pain_before_run": 1,
            "pain_during_run": 2,
            "pain_after_run": 1,
            "red_flags": NO,
        }
        log_check_in(user, run_day, local_today())  # logged on the run day ...
        log_check_in(
            user, {**run_day, "pain_next_morning": 1}, day + timedelta(days=1)
        )  # ... and the next morning
    plan = build_plan(user, local_today(), local_today())
    assert plan.stage == 2 and plan.stage_decision.rule_id == "ADAPT-PROGRESS"


def test_cli_plan_json_and_ics(tmp_path):
    check_symptoms(SELF_MANAGE, local_user())
    ics = tmp_path / "week.ics"
    result = CliRunner().invoke(main, ["plan", "--format", "json", "--ics", str(ics)])
    data = json.loads(result.stdout)
    assert data["week_start"] == monday_of(local_today()).isoformat() and len(data["days"]) == 7
    assert all(item["why"] and item["rule_ids"] for day in data["days"] for item in day["items"])
    events = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    # One event per session, not per exercise (issue 13 item 7).
    assert len(events) == sum(len(sessions_of(day["items"])) for day in data["days"])


def test_plan_page_and_calendar_download(client):
    check_symptoms(SELF_MANAGE, local_user())
    page = client.get("/plan/").content.decode()
    assert page.count("card plan-day") == 7 and "/exercises/glute-bridge/" in page
    response = client.get("/plan.ics")
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert events
    days = {event.decoded("dtstart") for event in events}
    assert all(sum(event.decoded("dtstart") == day for event in events) <= 3 for day in days)
