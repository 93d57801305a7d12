"""A full check done today counts as today's check-in for run-today (issue 13 item 4): the service,
the plan, the Today page and `backstride today --format json` agree, and the answer is never greener
than the diary alone or the check alone would give."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from click.testing import CliRunner
from django.utils import timezone
from tests.cases import EMERGENCY, SELF_MANAGE

from backstride.cli import main
from backstride.config import local_today
from backstride.core.diary import A8_ITEMS
from backstride.services.checks import check_symptoms
from backstride.services.diary import log_check_in
from backstride.services.plan import plan_view
from backstride.services.today import run_today
from backstride.services.users import local_user
from backstride.storage.models import SymptomCheck

pytestmark = pytest.mark.django_db
NO = {
    item: ("none" if item in ("leg_pain_side", "numbness_tingling", "leg_weakness") else False)
    for item in A8_ITEMS
}


def rules(data) -> list[str]:
    return [reason["rule"] for reason in data["reasons"]]


def test_a_full_check_today_without_a_diary_day_gives_todays_colour():
    check_symptoms(SELF_MANAGE, local_user())  # pain 2/10, last run settled
    data = run_today(local_user(), local_today())
    assert data["run_today"] == "green" and data["message"] is None
    assert data["based_on"] == ["full_check"]
    assert plan_view(local_user(), local_today(), local_today())["run_today"] == "green"


def test_a_check_yesterday_does_not_stand_in_for_today():
    check_symptoms(SELF_MANAGE, local_user())
    SymptomCheck.objects.update(created_at=timezone.now() - timedelta(days=1))
    data = run_today(local_user(), local_today())
    assert data["run_today"] is None and data["based_on"] == []
    assert data["message"].startswith("Log today's pain first")


@pytest.mark.parametrize(
    ("answers", "rule"),
    [
        ({"pain_now": 7}, "R4"),  # pain right now above the ceiling
        ({"socks_shoes_difficult": True}, "R3"),
        ({"pain_next_morning": 7}, "R5"),  # the check's own last run: not in the diary
        ({"pain_during_last_run": 7, "pain_next_morning": 4}, "R6"),
    ],
)
def test_the_checks_own_answers_count_even_where_the_diary_knows_nothing(answers, rule):
    check_symptoms({**SELF_MANAGE, **answers}, local_user())
    data = run_today(local_user(), local_today())
    assert data["run_today"] == "red" and rule in rules(data)
    assert plan_view(local_user(), local_today(), local_today())["run_today"] == "red"


def test_a_red_flag_answered_at_the_check_makes_today_red():
    check_symptoms(EMERGENCY, local_user())  # saddle numbness, answered at a completed check
    data = run_today(local_user(), local_today())
    assert data["run_today"] == "red" and "R1" in rules(data)
    assert data["escalation"] is not None


def test_never_greener_than_either_source_alone():
    user = local_user()
    check_symptoms({**SELF_MANAGE, "pain_now": 7}, user)  # the check: red (R4)
    log_check_in(user, {"day": local_today(), "pain_now": 1, "red_flags": NO}, local_today())  # diary: green
    data = run_today(user, local_today())
    assert data["run_today"] == "red" and "R4" in rules(data)
    assert data["based_on"] == ["diary", "full_check"]


def test_a_worse_diary_day_wins_over_a_calm_check():
    user = local_user()
    check_symptoms(SELF_MANAGE, user)  # the check: green
    log_check_in(user, {"day": local_today(), "pain_now": 4, "red_flags": NO}, local_today())
    data = run_today(user, local_today())
    assert data["run_today"] == "amber" and rules(data) == ["A1"]


def test_a_check_that_did_not_ask_the_pain_right_now_says_so():
    answers = {key: value for key, value in SELF_MANAGE.items() if key != "pain_now"}
    check_symptoms(answers, local_user())
    data = run_today(local_user(), local_today())
    assert data["run_today"] is None and data["based_on"] == []
    assert "did not ask how bad your pain is right now" in data["message"]


def test_the_cli_and_the_today_page_agree(client):
    check_symptoms({**SELF_MANAGE, "pain_now": 4}, local_user())
    result = CliRunner().invoke(main, ["today", "--format", "json"], catch_exceptions=False)
    data = json.loads(result.stdout)
    assert data["run_today"] == "amber" and data["based_on"] == ["full_check"] and rules(data) == ["A1"]
    text = CliRunner().invoke(main, ["today"], catch_exceptions=False).stdout
    assert "Run today: AMBER" in text
    page = client.get("/today/").content.decode()
    assert "Amber: run, but easier" in page and "counts as today's check-in" in page
    assert "Log today&#x27;s pain first" not in page


def test_today_and_the_plan_read_the_same_days_for_the_weekly_trend():
    """A full check three days ago with no diary entry that day stands in for that day in both, so
    the weekly trend (A5) and the colour agree on Today and the plan."""
    user = local_user()
    for back in (13, 12, 11, 10, 5, 4, 0):
        day = local_today() - timedelta(days=back)
        log_check_in(user, {"day": day, "pain_now": 1, "red_flags": NO}, local_today())
    check_symptoms({**SELF_MANAGE, "pain_now": 9}, user)
    SymptomCheck.objects.update(created_at=timezone.now() - timedelta(days=3))
    data = run_today(user, local_today())
    assert data["run_today"] == "amber" and "A5" in rules(data)  # pain worse than the week before
    assert data["based_on"] == ["diary"]
    assert plan_view(user, local_today(), local_today())["run_today"] == data["run_today"]
