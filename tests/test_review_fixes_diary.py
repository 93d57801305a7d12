"""Regression tests for the second review (diary, run-today, load): each failed before its fix."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from click.testing import CliRunner
from tests.cases import SELF_MANAGE

from backstride.cli import main
from backstride.config import local_today
from backstride.core.diary import A8_ITEMS
from backstride.services.checks import check_symptoms
from backstride.services.diary import delete_entry, log_check_in
from backstride.services.errors import BadAnswers
from backstride.services.load import sessions
from backstride.services.today import run_today
from backstride.services.users import local_user
from backstride.storage.models import Activity, DiaryEntry

pytestmark = pytest.mark.django_db
TODAY = local_today()
NO = {
    item: ("none" if item in ("leg_pain_side", "numbness_tingling", "leg_weakness") else False)
    for item in A8_ITEMS
}


def check_in(day: date, **red_flags: object) -> None:
    log_check_in(local_user(), {"day": day, "pain_now": 1, "red_flags": {**NO, **red_flags}}, TODAY)


def test_a_check_stopped_by_an_emergency_answer_keeps_run_today_red():
    check_symptoms({"trauma": "major"}, local_user(), completed=False)
    check_in(TODAY)
    data = run_today(local_user(), TODAY)
    assert data["run_today"] == "red" and data["escalation"]["urgency"] == "emergency"


def test_saving_the_day_again_cannot_erase_an_escalation_and_it_cannot_be_deleted():
    check_in(TODAY, bladder_change=True)
    check_in(TODAY)  # same day, all "no"
    assert DiaryEntry.objects.get().escalation == "emergency"
    assert run_today(local_user(), TODAY)["run_today"] == "red"
    with pytest.raises(BadAnswers):
        delete_entry(local_user(), TODAY)
    check_symptoms(SELF_MANAGE, local_user())  # a full check clears it ...
    check_in(TODAY)  # ... and an unchanged edit does not bring it back
    assert run_today(local_user(), TODAY)["escalation"] is None


def test_the_most_urgent_escalation_is_shown_not_the_latest():
    check_in(TODAY - timedelta(days=2), saddle_numbness=True)
    check_in(TODAY - timedelta(days=1), bladder_change="not_sure")
    assert run_today(local_user(), TODAY)["escalation"]["urgency"] == "emergency"


def test_an_urgent_full_check_keeps_the_alert_after_clearing_check_in_escalations():
    check_in(TODAY, saddle_numbness=True)
    check_symptoms({**SELF_MANAGE, "saddle_numbness": True}, local_user())
    data = run_today(local_user(), TODAY)
    assert data["escalation"]["source"] == "check" and data["escalation"]["urgency"] == "emergency"


def test_an_urgent_answer_is_shown_even_when_the_rest_of_the_check_in_is_invalid(client):
    fields = {f"rf_{item}": ("none" if isinstance(value, str) else "false") for item, value in NO.items()}
    response = client.post(
        "/diary/",
        {**fields, "rf_bladder_change": "true", "pain_now": "3", "ran": "no", "pain_during_run": "4"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="urgent"' in page and "Emergency" in page
    result = CliRunner().invoke(
        main,
        ["log", "pain", "--pain", "3", "--during", "4", "--no-red-flags", "--red-flag", "bladder_change=yes"],
    )
    assert result.exit_code == 2 and "Emergency" in result.stderr


def test_editing_a_day_on_the_web_keeps_socks_next_morning_and_exercises(client):
    user = local_user()
    yesterday = TODAY - timedelta(days=1)
    log_check_in(
        user,
        {
            "day": yesterday,
            "pain_now": 2,
            "ran": True,
            "pain_before_run": 2,
            "pain_during_run": 7,
            "pain_after_run": 7,
            "socks_shoes_difficult": True,
            "exercises_done": True,
            "red_flags": NO,
        },
        TODAY,
    )
    log_check_in(
        user,
        {
            "day": yesterday,
            "pain_now": 2,
            "ran": True,
            "pain_before_run": 2,
            "pain_during_run": 7,
            "pain_after_run": 7,
            "pain_next_morning": 5,
            "socks_shoes_difficult": True,
            "exercises_done": True,
            "red_flags": NO,
        },
        TODAY + timedelta(days=1),
    )
    form = client.get(f"/diary/?day={yesterday.isoformat()}").content.decode()
    assert 'name="socks_shoes_difficult" value="yes" checked' in form
    assert 'name="exercises_done" value="yes" checked' in form
    assert 'name="pain_next_morning" inputmode="numeric" value="5"' in form


def test_an_escalation_without_an_entry_today_is_red_not_log_first():
    check_in(TODAY - timedelta(days=1), saddle_numbness=True)
    data = run_today(local_user(), TODAY)
    assert data["run_today"] == "red" and data["reasons"][0]["rule"] == "R1"


def test_no_red_flags_never_assumes_the_leg_side_when_pain_spreads():
    result = CliRunner().invoke(
        main, ["log", "pain", "--pain", "3", "--where", "below_knee", "--no-red-flags", "--format", "json"]
    )
    assert result.exit_code == 2
    assert "red_flags.leg_pain_side" in [p["item_id"] for p in json.loads(result.stdout)["problems"]]
    result = CliRunner().invoke(
        main,
        [
            "log",
            "pain",
            "--pain",
            "3",
            "--where",
            "below_knee",
            "--no-red-flags",
            "--red-flag",
            "leg_pain_side=both_legs",
            "--format",
            "json",
        ],
    )
    assert json.loads(result.stdout)["escalation"]["urgency"] == "emergency"  # E5


def test_editing_a_run_can_clear_its_values(client):
    client.post(
        "/activities/new-run/",
        {"day": TODAY.isoformat(), "distance_km": "8", "duration_min": "45", "terrain": "hilly", "rpe": "6"},
    )
    run = Activity.objects.get()
    client.post(
        f"/activities/{run.id}/edit/",
        {"day": TODAY.isoformat(), "distance_km": "8", "duration_min": "45", "terrain": "", "rpe": ""},
    )
    run.refresh_from_db()
    assert run.terrain == "" and run.rpe is None


def test_load_uses_elapsed_time_when_moving_time_is_missing():
    Activity.objects.create(
        owner=local_user(),
        start_time=datetime.now(UTC),
        sport="running",
        distance_m=10_000,
        moving_time_s=None,
        elapsed_time_s=3600,
        rpe=5,
        source_format="manual",
    )
    assert sessions(local_user())[0].duration_s == 3600


def test_today_is_the_runners_local_date(monkeypatch):
    monkeypatch.setenv("BACKSTRIDE_TZ", "Pacific/Kiritimati")  # UTC+14
    east = local_today()
    monkeypatch.setenv("BACKSTRIDE_TZ", "Pacific/Niue")  # UTC-11
    assert (east - local_today()).days >= 1
