"""Ticking plan items off from the service, the CLI (`log done`) and the web (/plan/done/), and the
adherence the dashboard shows (issue 5, 'Doing it')."""

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
from backstride.services.errors import BackstrideError, NotFound
from backstride.services.plan import build_plan, monday_of, plan_view, set_done
from backstride.services.users import local_user
from backstride.storage.models import PlanItemDone, SymptomCheck

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_ok]
NO = {
    item: ("none" if item in ("leg_pain_side", "numbness_tingling", "leg_weakness") else False)
    for item in A8_ITEMS
}


def check_two_weeks_ago(user=None):
    """A check dated two weeks back, so last week's plan existed and can be ticked off."""
    check_symptoms(SELF_MANAGE, user or local_user())
    SymptomCheck.objects.update(created_at=timezone.now() - timedelta(days=14))


def first_strength_day(plan):
    return next(d for d in plan.days if d.has("strength"))


def test_ticks_before_a_week_raise_that_weeks_dose_and_ticks_within_it_do_not():
    user = local_user()
    check_two_weeks_ago(user)
    last_week = monday_of(local_today()) - timedelta(days=7)
    old = build_plan(user, last_week, local_today())
    slot = next(i for i in old.items("strength") if i.step_key)
    days = [d.day for d in old.days if any(i.step_key == slot.step_key for i in d.items)][:2]
    assert len(days) == 2
    for day in days:
        log_check_in(user, {"day": day, "pain_now": 1, "red_flags": NO}, local_today())  # green days
        set_done(user, day, slot.key, local_today())
    again = next(
        i for i in build_plan(user, last_week, local_today()).items("strength") if i.step_key == slot.step_key
    )
    assert again.dose == slot.dose  # the week being done keeps its doses
    now = next(
        i
        for i in build_plan(user, local_today(), local_today()).items("strength")
        if i.step_key == slot.step_key
    )
    assert "DOSE-UP" in now.rule_ids and now.dose != slot.dose


def test_a_tick_is_refused_for_the_future_an_unknown_item_and_without_a_plan():
    user = local_user()
    with pytest.raises(BackstrideError, match="symptom check"):
        set_done(user, local_today(), "run", local_today())
    check_two_weeks_ago(user)
    with pytest.raises(BackstrideError, match="future"):
        set_done(user, local_today() + timedelta(days=1), "rest:-", local_today())
    with pytest.raises(NotFound, match="Items that day"):
        set_done(user, local_today(), "strength:no-such-exercise", local_today())
    rest_day = monday_of(local_today()) - timedelta(days=1)  # last Sunday: rest and mobility only
    with pytest.raises(NotFound):
        set_done(user, rest_day, "rest:-", local_today())  # nothing to tick on a rest item
    assert not PlanItemDone.objects.exists()
    check_symptoms(EMERGENCY, user, completed=False)
    with pytest.raises(BackstrideError, match="doctor"):
        set_done(user, monday_of(local_today()), "mobility", local_today())


def test_ticking_by_exercise_id_untick_and_adherence_in_the_json():
    user = local_user()
    check_two_weeks_ago(user)
    day = first_strength_day(build_plan(user, monday_of(local_today()) - timedelta(days=7), local_today()))
    item = next(i for i in day.items if i.kind == "strength")
    set_done(user, day.day, item.exercise_id, local_today())
    set_done(user, day.day, item.exercise_id, local_today())  # twice is still one tick
    assert PlanItemDone.objects.get().item_key == item.key
    data = plan_view(user, day.day, local_today())
    row = next(
        i for d in data["days"] if d["day"] == day.day.isoformat() for i in d["items"] if i["key"] == item.key
    )
    assert row["done"] is True
    # Last week is over: every item on its days was due (one strength item of them done).
    due = [i["kind"] for d in data["days"] for i in d["items"] if i["kind"] != "rest"]
    assert (data["adherence"]["done"], data["adherence"]["planned"]) == (1, len(due))
    strength = data["adherence"]["by_kind"]["strength"]
    assert (strength["done"], strength["planned"]) == (1, due.count("strength"))
    set_done(user, day.day, item.key, local_today(), done=False)
    assert not PlanItemDone.objects.exists()
    assert plan_view(user, day.day, local_today())["adherence"]["done"] == 0


def test_cli_log_done_then_plan_shows_the_tick(tmp_path):
    check_two_weeks_ago()
    day = first_strength_day(
        build_plan(local_user(), monday_of(local_today()) - timedelta(days=7), local_today())
    )
    item = next(i for i in day.items if i.kind == "strength")
    runner = CliRunner()
    result = runner.invoke(main, ["log", "done", item.key, "--date", day.day.isoformat(), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["done"] is True and data["adherence"]["done"] == 1
    text = runner.invoke(main, ["plan", "--week", day.day.isoformat()]).output
    assert f"[x] {item.title}" in text and "Done so far this week: 1 of" in text
    undo = runner.invoke(main, ["log", "done", item.key, "--date", day.day.isoformat(), "--undo"])
    assert undo.exit_code == 0 and "Unticked" in undo.output
    bad = runner.invoke(main, ["log", "done", "strength:nope", "--date", day.day.isoformat()])
    assert bad.exit_code == 1 and "Items that day" in bad.output
    future = runner.invoke(
        main, ["log", "done", "run", "--date", (local_today() + timedelta(days=3)).isoformat()]
    )
    assert future.exit_code == 2 and "future" in future.output  # bad input (core.inputs)
    wrong = runner.invoke(main, ["log", "done", "run", "--date", "yesterday"])
    assert wrong.exit_code == 2 and "YYYY-MM-DD" in wrong.output


def test_web_tick_redirects_back_and_the_dashboard_shows_todays_items_and_adherence(client):
    check_symptoms(SELF_MANAGE, local_user())
    plan = build_plan(local_user(), local_today(), local_today())
    today_items = [i for d in plan.days if d.day == local_today() for i in d.items if i.kind != "rest"]
    item = today_items[0]
    page = client.get("/today/").content.decode()
    assert 'id="today-plan"' in page and item.title in page and "Mark " in page
    response = client.post(
        "/plan/done/", {"day": local_today().isoformat(), "key": item.key, "done": "1", "next": "/today/"}
    )
    assert response.status_code == 302 and response["Location"] == "/today/"
    page = client.get("/today/").content.decode()
    counts = plan_view(local_user(), local_today(), local_today())["adherence"]
    assert counts["done"] == 1 and counts["planned"] >= len(today_items)
    assert f"1 of {counts['planned']} planned items done" in page and "✓ done" in page
    plan_page = client.get("/plan/").content.decode()
    assert "✓ done" in plan_page and "hold timer" in plan_page
    evil = client.post(
        "/plan/done/", {"day": local_today().isoformat(), "key": item.key, "next": "https://evil.example/"}
    )
    assert evil["Location"].startswith("/plan/?week=")
    bad = client.post(
        "/plan/done/", {"day": local_today().isoformat(), "key": "strength:nope", "next": "/today/"}
    )
    assert bad.status_code == 302 and bad["Location"] == "/today/"
    shown = client.get("/today/").content.decode()
    assert "Items that day" in shown and shown.index("Items that day") > shown.index('id="today-plan"')
    bad_day = client.post("/plan/done/", {"day": "tomorrow", "key": item.key}, follow=True)
    assert "YYYY-MM-DD" in bad_day.content.decode() and bad_day.redirect_chain[-1][0].startswith("/plan/")
    for week in ("0001-01-01", "9999-12-31", "not-a-date"):
        assert client.get(f"/plan/?week={week}").status_code == 200
    assert client.post("/plan/done/", {"day": "0001-01-01", "key": item.key}).status_code == 302
    assert client.get("/plan/done/").status_code == 405


def test_adherence_starts_on_the_day_of_the_first_check():
    check_symptoms(SELF_MANAGE, local_user())  # today: nothing was planned before it
    last_week = plan_view(local_user(), monday_of(local_today()) - timedelta(days=7), local_today())
    assert last_week["adherence"]["planned"] == 0 and last_week["adherence"]["percent"] is None
    this_week = plan_view(local_user(), local_today(), local_today())
    todays = [i for d in this_week["days"] if d["day"] == local_today().isoformat() for i in d["items"]]
    assert this_week["adherence"]["planned"] == sum(1 for i in todays if i["kind"] != "rest")


def test_days_before_the_first_check_cannot_be_ticked():
    check_symptoms(SELF_MANAGE, local_user())
    with pytest.raises(BackstrideError, match="plan runs from"):
        set_done(local_user(), local_today() - timedelta(days=1), "mobility", local_today())


def test_after_an_urgent_result_the_plan_resumes_from_the_new_check_only():
    """Days under a see-a-doctor result cannot be ticked afterwards, and steps start again."""
    user = local_user()
    check_two_weeks_ago(user)
    old_day = monday_of(local_today()) - timedelta(days=7)
    slot = next(i for i in build_plan(user, old_day, local_today()).items("strength") if i.step_key)
    days = [
        d.day
        for d in build_plan(user, old_day, local_today()).days
        if any(i.key == slot.key for i in d.items)
    ][:2]
    for day in days:
        log_check_in(user, {"day": day, "pain_now": 1, "red_flags": NO}, local_today())
        set_done(user, day, slot.key, local_today())
    stepped = next(
        i
        for i in build_plan(user, local_today(), local_today()).items("strength")
        if i.step_key == slot.step_key
    )
    assert "DOSE-UP" in stepped.rule_ids
    stopped = check_symptoms(EMERGENCY, user, completed=False)
    assert stopped is not None
    SymptomCheck.objects.filter(completed=False).update(created_at=timezone.now() - timedelta(days=3))
    check_symptoms(SELF_MANAGE, user)  # seen and cleared: a new check today
    after = next(
        i
        for i in build_plan(user, local_today(), local_today()).items("strength")
        if i.step_key == slot.step_key
    )
    assert "DOSE-UP" not in after.rule_ids  # the old steps belong to before the urgent result
    with pytest.raises(BackstrideError, match="plan runs from"):
        set_done(user, local_today() - timedelta(days=3), "mobility", local_today())
    assert (
        plan_view(user, local_today(), local_today())["plan_since"]
        == (local_today() - timedelta(days=2)).isoformat()
    )


@pytest.mark.parametrize("stopped", [True, False])
def test_an_urgent_check_then_a_self_manage_check_the_same_day_can_be_ticked_that_day(client, stopped):
    """Issue 13 item 4: after an emergency (stopped or completed) and then a new self-manage check the
    same day, the plan shown today has its Done buttons, and a tick is saved."""
    user = local_user()
    check_symptoms(EMERGENCY, user, completed=not stopped)
    SymptomCheck.objects.update(created_at=timezone.now() - timedelta(minutes=30))
    check_symptoms(SELF_MANAGE, user)
    assert plan_view(user, local_today(), local_today())["plan_since"] == local_today().isoformat()
    page = client.get("/plan/").content.decode()
    assert "Done ✓" in page and "Ticking" not in page
    today = client.get("/today/").content.decode()
    assert "Done ✓" in today
    item = next(
        i
        for d in build_plan(user, local_today(), local_today()).days
        if d.day == local_today()
        for i in d.items
        if i.kind != "rest"
    )
    assert set_done(user, local_today(), item.key, local_today()) == item.title


def test_a_check_in_escalation_cleared_by_a_check_the_same_day_can_be_ticked_that_day():
    user = local_user()
    check_two_weeks_ago(user)
    log_check_in(
        user,
        {"day": local_today(), "pain_now": 2, "red_flags": {**NO, "saddle_numbness": True}},
        local_today(),
    )
    assert plan_view(user, local_today(), local_today())["blocked"]
    check_symptoms(SELF_MANAGE, user)
    assert plan_view(user, local_today(), local_today())["plan_since"] == local_today().isoformat()
