"""Plan adjustments by a clinician (issue 15 item 4): the service (sharing asked on every call, the
access log, an ended change no longer applied) and the pages (the clinician's plan page, the
runner's plan, Today and session player showing "Set by your physio")."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from tests.cases import SELF_MANAGE

from backstride.config import local_today
from backstride.services import adjustments, sharing
from backstride.services.checks import check_symptoms
from backstride.services.plan import plan_view
from backstride.services.plan_json import session_items
from backstride.storage.models import AccessLogEntry, CareLink, PlanAdjustment

from .conftest import account, signed_in

pytestmark = [pytest.mark.clinic, pytest.mark.django_db, pytest.mark.postgres_ok]


@pytest.fixture
def pair(clinic) -> tuple[User, User]:
    """A clinician and a runner with a symptom check on record who shares with them."""
    physio, runner = account("dr_lee", "clinician"), account("anna")
    check_symptoms(SELF_MANAGE, runner)
    CareLink.objects.create(runner=runner, clinician=physio)
    return physio, runner


def _planned(runner: User) -> tuple[str, str]:
    """An exercise in today's plan (a strength one when today has one: a weekend may have none) and one
    from the library that is not planned this week (a replacement)."""
    today = local_today().isoformat()
    todays = [i for i in _items(runner) if i["day"] == today and i["exercise_id"]]
    assert todays, _items(runner)
    old = next((i for i in todays if i["kind"] == "strength"), todays[0])["exercise_id"]
    planned = {i["exercise_id"] for i in _items(runner)}
    spare = next(e for e in ("bird-dog", "curl-up", "hip-thrust", "banded-row") if e not in planned)
    return old, spare


def _items(runner: User) -> list[dict]:
    """This week's plan items from today on: a change made today applies from today (each adjustment
    knows its days), so the week's earlier days keep the plan they had (a test run on a Tuesday saw
    Monday's)."""
    today = local_today()
    days = plan_view(runner, today, today)["days"]
    return [{**i, "day": day["day"]} for day in days if day["day"] >= today.isoformat() for i in day["items"]]


# --- the service -------------------------------------------------------------------------------------


def test_add_applies_a_replacement_and_logs_it(pair):
    physio, runner = pair
    before = _items(runner)
    old, new = _planned(runner)
    made = adjustments.add(
        physio, runner.pk, "replace", exercise_id=old, to_id=new, note="Easier on the back."
    )
    assert made.rule_id == f"PHYSIO-{made.id}" and made.set_by == "dr_lee"
    after = _items(runner)
    assert not any(i["exercise_id"] == old for i in after)
    replaced = [i for i in after if i["exercise_id"] == new and i["physio"]]
    assert replaced and replaced[0]["physio"].startswith("Set by your physio (dr_lee): do ")
    assert made.rule_id in replaced[0]["rule_ids"]
    assert len(after) == len(before)
    log = AccessLogEntry.objects.get(runner=runner, action="plan_changed")
    assert log.actor_name == "dr_lee" and made.rule_id in log.detail
    view = plan_view(runner, local_today(), local_today())
    assert [a["rule_id"] for a in view["adjustments"]] == [made.rule_id]
    assert view["adjustments"][0]["words"].endswith("Easier on the back.")


def test_a_plan_without_adjustments_is_as_before(pair):
    physio, runner = pair
    before = plan_view(runner, local_today(), local_today())
    made = adjustments.add(physio, runner.pk, "note", note="Hello")
    adjustments.end(physio, runner.pk, made.id)
    PlanAdjustment.objects.all().delete()
    assert plan_view(runner, local_today(), local_today()) == before
    assert before["adjustments"] == []


def test_an_ended_adjustment_is_no_longer_applied(pair):
    physio, runner = pair
    old, _ = _planned(runner)
    made = adjustments.add(physio, runner.pk, "remove", exercise_id=old)
    assert not any(i["exercise_id"] == old for i in _items(runner))
    ended = adjustments.end(physio, runner.pk, made.id)
    assert ended.ended_at is not None
    assert any(i["exercise_id"] == old for i in _items(runner))
    assert adjustments.active_for(runner) == []
    assert [row.id for row in adjustments.history_for(runner)] == [made.id]
    with pytest.raises(adjustments.NotFound):
        adjustments.end(physio, runner.pk, made.id)  # ended already
    assert AccessLogEntry.objects.filter(runner=runner, action="plan_changed").count() == 2


def test_an_unshared_runner_is_refused(pair):
    physio, _ = pair
    stranger = account("ben")
    check_symptoms(SELF_MANAGE, stranger)
    with pytest.raises(sharing.NotShared):
        adjustments.add(physio, stranger.pk, "note", note="Hello")
    with pytest.raises(sharing.NotShared):
        adjustments.add(physio, 987654, "note", note="Hello")
    assert not PlanAdjustment.objects.exists()


def test_a_runner_who_revoked_is_refused(pair):
    physio, runner = pair
    made = adjustments.add(physio, runner.pk, "note", note="Hello")
    link = CareLink.objects.get(runner=runner, clinician=physio)
    sharing.end(runner, link.pk)
    with pytest.raises(sharing.NotShared):
        adjustments.add(physio, runner.pk, "note", note="Again")
    with pytest.raises(sharing.NotShared):
        adjustments.end(physio, runner.pk, made.id)
    assert PlanAdjustment.objects.count() == 1


def test_another_clinicians_runner_is_refused(pair):
    _physio, runner = pair
    other = account("dr_kim", "clinician")
    with pytest.raises(sharing.NotShared):
        adjustments.add(other, runner.pk, "note", note="Hello")


def test_a_refused_adjustment_names_the_field_and_saves_nothing(pair):
    physio, runner = pair
    with pytest.raises(adjustments.BadAdjustment) as refused:
        adjustments.add(physio, runner.pk, "dose", exercise_id="dead-bug", sets=12)
    assert refused.value.problems == [("sets", "Sets must be 1 to 10: type a number in that range.")]
    with pytest.raises(adjustments.BadAdjustment) as refused:
        adjustments.add(physio, runner.pk, "hold_stage")
    assert "not in the graded return" in str(refused.value)
    assert not PlanAdjustment.objects.exists() and not AccessLogEntry.objects.filter(action="plan_changed")


# --- the pages ---------------------------------------------------------------------------------------


def test_the_clinician_adds_a_replacement_and_the_runner_sees_it(pair):
    _physio, runner = pair
    old, new = _planned(runner)
    browser = signed_in("dr_lee")
    page = browser.get(f"/caseload/{runner.pk}/plan/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Plan of anna" in html and "No changes" in html
    assert AccessLogEntry.objects.filter(runner=runner, action="plan_viewed").count() == 1
    saved = browser.post(f"/caseload/{runner.pk}/plan/", {"kind": "replace", "exercise": old, "to": new})
    assert saved.status_code == 302 and saved["Location"] == f"/caseload/{runner.pk}/plan/"
    made = PlanAdjustment.objects.get(runner=runner)
    html = browser.get(f"/caseload/{runner.pk}/plan/").content.decode()
    assert f"PHYSIO-{made.pk}" in html and "Set by your physio (dr_lee)" in html

    anna = signed_in("anna")
    plan = anna.get("/plan/").content.decode()
    assert "From your physio" in plan and "Set by your physio (dr_lee): do " in plan
    assert f"PHYSIO-{made.pk}" in plan  # in the clinician fold
    assert f"/exercises/{new}/" in plan
    today = anna.get("/today/").content.decode()
    assert "Set by your physio (dr_lee)" in today


def test_the_session_player_shows_the_physios_dose(pair):
    physio, runner = pair
    today = local_today()
    todays = next(day for day in plan_view(runner, today, today)["days"] if day["day"] == today.isoformat())
    first = session_items(todays["items"])[0]["exercise_id"]  # the session player's step 1
    adjustments.add(physio, runner.pk, "dose", exercise_id=first, sets=4, reps=7)
    page = signed_in("anna").get("/plan/session/?step=1").content.decode()
    assert "4 x 7 reps" in page and "Set by your physio (dr_lee)" in page and 'id="session-physio"' in page


def test_errors_keep_what_was_typed(pair):
    _physio, runner = pair
    browser = signed_in("dr_lee")
    response = browser.post(
        f"/caseload/{runner.pk}/plan/",
        {"kind": "dose", "exercise": "dead-bug", "sets": "twelve", "reps": "60", "note": "Slowly please"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Sets must be a whole number from 1 to 10" in html
    assert 'value="twelve"' in html and 'value="60"' in html and "Slowly please" in html
    assert 'aria-invalid="true"' in html
    again = browser.post(
        f"/caseload/{runner.pk}/plan/", {"kind": "replace", "exercise": "dead-bug", "to": "dead-bug"}
    )
    assert again.status_code == 400 and "same exercise" in again.content.decode()
    assert not PlanAdjustment.objects.exists()


def test_the_end_button_ends_it(pair):
    physio, runner = pair
    made = adjustments.add(physio, runner.pk, "note", note="Rest well")
    browser = signed_in("dr_lee")
    ended = browser.post(f"/caseload/{runner.pk}/plan/{made.id}/end/")
    assert ended.status_code == 302
    assert PlanAdjustment.objects.get(pk=made.id).ended_at is not None
    assert "Rest well" not in signed_in("anna").get("/plan/").content.decode()
    assert browser.post(f"/caseload/{runner.pk}/plan/{made.id}/end/").status_code == 404
    assert browser.get(f"/caseload/{runner.pk}/plan/{made.id}/end/").status_code == 405


def test_pages_are_404_without_sharing_and_for_runners(pair):
    physio, runner = pair
    made = adjustments.add(physio, runner.pk, "note", note="Rest well")
    stranger = account("dr_kim", "clinician")
    kim = signed_in("dr_kim")
    assert kim.get(f"/caseload/{runner.pk}/plan/").status_code == 404
    assert kim.post(f"/caseload/{runner.pk}/plan/", {"kind": "note", "note": "x"}).status_code == 404
    assert kim.post(f"/caseload/{runner.pk}/plan/{made.id}/end/").status_code == 404
    anna = signed_in("anna")
    assert anna.get(f"/caseload/{runner.pk}/plan/").status_code == 404
    sharing.end(runner, CareLink.objects.get(runner=runner, clinician=physio).pk)
    lee = signed_in("dr_lee")
    assert lee.get(f"/caseload/{runner.pk}/plan/").status_code == 404
    assert lee.post(f"/caseload/{runner.pk}/plan/{made.id}/end/").status_code == 404
    assert PlanAdjustment.objects.get(pk=made.id).ended_at is None
    assert not AccessLogEntry.objects.filter(actor=stranger).exists()


@pytest.mark.parametrize(
    "posted",
    [
        {"kind": "nope\x00"},
        {"kind": "note", "note": "x" * 5000},
        {"kind": "dose", "exercise": "dead-bug", "sets": "9" * 400, "reps": "-1", "hold": "²"},
        {"kind": "replace", "exercise": "moon\x00walk", "to": "../../etc"},
        {"kind": "advance_stage"},
        {},
    ],
)
def test_hostile_posts_are_refused_with_a_400_and_save_nothing(pair, posted):
    _, runner = pair
    response = signed_in("dr_lee").post(f"/caseload/{runner.pk}/plan/", posted)
    assert response.status_code == 400
    assert 'id="problems"' in response.content.decode()
    assert not PlanAdjustment.objects.exists()


def test_hold_and_advance_the_stage_of_a_runner_in_the_graded_return(clinic):
    physio, runner = account("dr_lee", "clinician"), account("anna")
    check_symptoms({**SELF_MANAGE, "ran_since_onset": False}, runner)  # not run since: the graded return
    CareLink.objects.create(runner=runner, clinician=physio)
    today = local_today()
    assert plan_view(runner, today, today)["stage"] == 1
    moved = adjustments.add(physio, runner.pk, "advance_stage")
    assert moved.at_stage == 1
    view = plan_view(runner, today, today)
    decision = view["stage_decision"]
    if view["run_today"] in ("amber", "red"):  # safety first: the plan says why it waits
        assert view["stage"] == 1 and "Not yet" in view["adjustments"][0]["words"]
    else:
        assert view["stage"] == 2 and decision is not None and decision["rule_id"] == moved.rule_id
    adjustments.end(physio, runner.pk, moved.id)
    held = adjustments.add(physio, runner.pk, "hold_stage")
    assert held.at_stage == 1 and plan_view(runner, today, today)["stage"] == 1
    with pytest.raises(adjustments.BadAdjustment):
        adjustments.add(physio, runner.pk, "advance_stage", note="x" * 501)
