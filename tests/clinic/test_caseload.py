"""The clinician's caseload (issue 15 item 4): runners in order of need, each row in words, every
runner's access log written once, and a bounded number of queries whatever the caseload's size."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from click.testing import CliRunner
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from tests.cases import EMERGENCY, SEE_A_DOCTOR, SELF_MANAGE

from backstride.cli import main
from backstride.config import local_today
from backstride.core.triage import Urgency
from backstride.services.caseload import caseload
from backstride.services.checks import check_symptoms
from backstride.services.plan import plan_inputs, plan_inputs_each
from backstride.services.sharing import runners_of
from backstride.services.today import run_today
from backstride.storage.models import AccessLogEntry, DiaryEntry, PlanAdjustment, PlanItemDone

from .caseload_world import ORDER, checked, day_ago, share, tiered_caseload
from .conftest import account, signed_in

pytestmark = [pytest.mark.clinic, pytest.mark.django_db, pytest.mark.postgres_ok]


def test_runners_come_in_order_of_need_with_the_reason_in_words(clinic):
    lee = account("dr-lee", role="clinician")
    tiered_caseload(lee)
    rows = caseload(lee, local_today())
    assert [row.name for row in rows] == ORDER
    assert [row.place for row in rows] == list(range(1, 8))
    reasons = {row.name: row.reason for row in rows}
    assert reasons["zara"] == "Urgent result today"
    assert re.fullmatch(r"Check-in escalation on \w+day", reasons["bruno"]), reasons["bruno"]
    assert reasons["yusuf"].startswith("Check-in escalation on ")
    assert reasons["yusuf"].endswith(", no full check since")
    assert reasons["xena"] == "Pain rising: 2.0 to 5.0 on average this week"
    assert reasons["walt"] == "No check-in for 30 days"
    assert reasons["ann"] == reasons["carl"] == ""
    xena = rows[3]
    assert (xena.pain_trend, xena.pain_trend_arrow, xena.pain_trend_words) == ("worse", "↑", "Rising")
    assert rows[0].urgency_words == "See a doctor soon" and rows[0].urgency == "doctor_soon"
    assert rows[-1].urgency is None and rows[-1].urgency_words == "No check yet"


def test_the_newest_urgent_result_comes_first(clinic):
    lee = account("dr-lee", role="clinician")
    for name, days in (("amy", 9), ("bea", 2), ("cy", 5)):
        runner = account(name)
        share(runner, lee)
        day_ago(runner, days, 6, escalation="doctor_soon")
    assert [row.name for row in caseload(lee, local_today())] == ["bea", "cy", "amy"]


def test_a_colour_is_never_greener_than_the_runners_own(clinic):
    lee = account("dr-lee", role="clinician")
    runners = tiered_caseload(lee)
    today = local_today()
    for row in caseload(lee, today):
        assert row.run_today == run_today(runners[row.name], today)["run_today"], row.name
    assert caseload(lee, today)[0].run_today == "red"  # zara's urgent result: no running until seen


def test_every_runner_listed_gets_one_access_log_entry_however_often_the_page_is_opened(clinic):
    lee = account("dr-lee", role="clinician")
    runners = tiered_caseload(lee)
    client = signed_in("dr-lee")
    for _ in range(3):
        assert client.get("/caseload/").status_code == 200
    for runner in runners.values():
        entries = AccessLogEntry.objects.filter(runner=runner, actor=lee)
        assert list(entries.values_list("action", flat=True)) == ["caseload"], runner.username


def test_the_page_lists_each_runner_with_their_facts_and_links(clinic):
    lee = account("dr-lee", role="clinician")
    runners = tiered_caseload(lee)
    page = signed_in("dr-lee").get("/caseload/").content.decode()
    positions = [page.index(f">{name}</a>") for name in ORDER]
    assert positions == sorted(positions)
    assert "7 runners share their records with you" in page
    zara = runners["zara"].pk
    for url in (f"/caseload/{zara}/", f"/caseload/{zara}/report/", f"/caseload/{zara}/notes/"):
        assert f'href="{url}"' in page
    expected = ("Urgent result today", "See a doctor soon", "Red: no running today", "Rising", "No check yet")
    for words in expected:
        assert words in page, words
    # The lead's invite view (web/views/sharing.py): the button posts to it.
    assert 'action="/caseload/invite/"' in page and ">Invite a runner</button>" in page


def test_a_runner_and_an_administrator_find_no_caseload(clinic):
    account("anna")
    account("boss", role="clinic_admin")
    assert signed_in("anna").get("/caseload/").status_code == 404
    assert signed_in("boss").get("/caseload/").status_code == 404


def test_the_caseload_of_30_runners_takes_a_bounded_number_of_queries(clinic):
    """Measured (SQLite): 1 runner 19 queries, 30 runners 135, 4 per runner (was 8 while each
    runner's plan inputs were read one by one). What decides the order, the access log and the plan's
    rows (diary, ticks, the day the plan began, a physio's changes) take a fixed number for the whole
    caseload; each runner costs only their alert's reads (the checks and escalations that decide
    what is urgent)."""
    lee = account("dr-lee", role="clinician")
    first = account("runner-00")
    share(first, lee)
    day_ago(first, 1, 3)
    with CaptureQueriesContext(connection) as one:
        caseload(lee, local_today())
    for number in range(1, 30):
        runner = account(f"runner-{number:02d}")
        share(runner, lee)
        day_ago(runner, 1, 3)
    with CaptureQueriesContext(connection) as thirty:
        rows = caseload(lee, local_today())
    assert len(rows) == 30
    per_runner = (len(thirty) - len(one)) / 29
    fixed = len(one) - per_runner
    print(f"caseload queries: 1 runner {len(one)}, 30 runners {len(thirty)}, {per_runner:.1f} per runner")
    assert fixed >= 8 and per_runner <= 4, (len(one), len(thirty))
    assert len(thirty) < 15 * len(one)


def test_the_plan_inputs_read_for_all_runners_at_once_are_each_runners_own(clinic):
    """The caseload reads the plan's rows for every runner in one query per kind: each runner must get
    exactly what their own plan and dashboard read (plan_inputs), with nobody's rows mixed in."""
    lee = account("dr-lee", role="clinician")
    runners = tiered_caseload(lee)
    today = local_today()
    # What the tiered world lacks: a cleared escalation then a full check, ticks, a physio's changes.
    day_ago(runners["ann"], 9, 6, escalation="doctor_soon")
    escalated = DiaryEntry.objects.filter(owner=runners["ann"], day=today - timedelta(days=9))
    escalated.update(escalation_cleared=True)
    checked(runners["ann"], SELF_MANAGE, days=2)
    day_ago(runners["ann"], 70, 1)  # before what her plan reads (56 days), within a check-less runner's 400
    checked(runners["carl"], SELF_MANAGE, days=40)  # an episode the plan's diary reaches back to
    checked(runners["walt"], SEE_A_DOCTOR, days=5)  # an urgent result, then a full check that clears it
    checked(runners["walt"], SELF_MANAGE, days=3)
    stopped = check_symptoms(EMERGENCY, runners["xena"], completed=False)  # stopped by an emergency answer
    assert stopped.check_id is not None
    for days, key in ((0, "walk-1"), (1, "walk-1"), (3, "dead-bug")):
        PlanItemDone.objects.create(owner=runners["carl"], day=today - timedelta(days=days), item_key=key)
    PlanItemDone.objects.create(owner=runners["bruno"], day=today, item_key="bird-dog")
    by_lee = {"clinician": lee, "clinician_name": "dr-lee"}
    PlanAdjustment.objects.create(runner=runners["carl"], kind="remove", exercise_id="dead-bug", **by_lee)
    PlanAdjustment.objects.create(runner=runners["bruno"], kind="remove", exercise_id="bird-dog", **by_lee)
    PlanAdjustment.objects.filter(runner=runners["bruno"]).update(ended_at=timezone.now())  # one ended ...
    PlanAdjustment.objects.create(runner=runners["bruno"], kind="remove", exercise_id="curl-up", **by_lee)
    together = plan_inputs_each(runners_of(lee), today)
    assert set(together) == {runner.pk for runner in runners.values()}
    for name, runner in runners.items():
        assert together[runner.pk] == plan_inputs(runner, today), name
    carl = together[runners["carl"].pk]
    assert [d.key for d in carl.done] == ["dead-bug", "walk-1", "walk-1"] and len(carl.adjustments) == 1
    assert [a.ended_on is None for a in together[runners["bruno"].pk].adjustments] == [False, True]
    assert together[runners["ann"].pk].plan_since == today - timedelta(days=2)
    assert together[runners["walt"].pk].urgency == Urgency.SELF_MANAGE  # the latest check, not the urgent one
    xena = together[runners["xena"].pk]
    assert xena.urgency == Urgency.EMERGENCY and xena.alert is not None and xena.latest is None


def test_the_command_line_prints_the_caseload_as_json(clinic):
    lee = account("dr-lee", role="clinician")
    tiered_caseload(lee)
    result = CliRunner().invoke(main, ["clinic", "caseload", "--as", "dr-lee", "--format", "json"])
    assert result.exit_code == 0, result.output
    runners = json.loads(result.output)["runners"]
    assert [row["name"] for row in runners] == ORDER
    assert {"runner_id", "place", "reason", "urgency", "run_today", "pain_trend", "adherence_percent"} <= set(
        runners[0]
    )
    text = CliRunner().invoke(main, ["clinic", "caseload", "--as", "dr-lee"])
    assert text.exit_code == 0 and "1. zara - Urgent result today" in text.output


def test_the_command_line_acts_as_a_clinician_only(clinic):
    account("anna")
    result = CliRunner().invoke(main, ["clinic", "caseload", "--as", "anna"])
    assert result.exit_code == 2 and "acts as a clinician" in result.output
