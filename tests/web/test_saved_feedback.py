"""Every save says so (issue 13 item 7): a toast (Django messages, base.html) naming what was saved,
never shown as an error."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from tests.cases import SELF_MANAGE

from backstride.config import local_today
from backstride.core.diary import A8_ITEMS
from backstride.services.checks import check_symptoms
from backstride.services.plan import build_plan
from backstride.services.users import local_user
from backstride.storage.models import Activity, Shoe

pytestmark = pytest.mark.django_db
ALL_NO = {
    "rf_" + item: ("none" if item in ("leg_pain_side", "numbness_tingling", "leg_weakness") else "false")
    for item in A8_ITEMS
}


def toasts(response) -> list[str]:
    """The texts of the toasts on the page the save led to."""
    page = response.content.decode()
    assert response.status_code == 200, page[:300]
    box = page.split('<div class="toasts" id="toasts">', 1)[1].split("</div>\n<main", 1)[0]
    return [re.sub(r"<[^>]+>", "", part.split("</", 1)[0]) for part in box.split('role="status">')[1:]]


def saved_in(response, text: str) -> None:
    shown = toasts(response)
    assert any(text in toast for toast in shown), shown
    assert f'class="error" role="alert">{text}' not in response.content.decode()  # not as an error


def test_a_check_in_says_saved_with_the_day_and_pain(client):
    response = client.post("/diary/", {**ALL_NO, "pain_now": "3", "ran": "no"}, follow=True)
    saved_in(response, "Saved: today&#x27;s check-in (pain 3).")
    two_days_ago = local_today() - timedelta(days=2)
    response = client.post(
        "/diary/", {**ALL_NO, "day": two_days_ago.isoformat(), "pain_now": "1", "ran": "no"}, follow=True
    )
    saved_in(response, f"Saved: the check-in of {two_days_ago.day} {two_days_ago:%B}")


def test_a_run_logged_edited_rated_and_shod_says_saved(client):
    Shoe.objects.create(owner=local_user(), name="Racer")
    day = local_today() - timedelta(days=1)
    logged = client.post(
        "/activities/new-run/",
        {"day": day.isoformat(), "distance_km": "8.2", "duration_min": "45"},
        follow=True,
    )
    words = f"the run of {day.day} {day:%B}"
    saved_in(logged, f"Saved: {words}, 8.2 km.")
    run = Activity.objects.get()
    edited = client.post(
        f"/activities/{run.id}/edit/",
        {"day": day.isoformat(), "distance_km": "10", "duration_min": "50"},
        follow=True,
    )
    saved_in(edited, f"Saved: changes to {words}, 10.0 km.")
    rated = client.post(f"/activities/{run.id}/rpe/", {"rpe": "6"}, follow=True)
    saved_in(rated, f"Saved: effort (RPE) 6 of 10 for {words}, 10.0 km.")
    shod = client.post(f"/activities/{run.id}/shoe/", {"shoe": "Racer"}, follow=True)
    saved_in(shod, f"Saved: {words}, 10.0 km, ran in Racer.")


def test_each_shoe_form_says_saved(client):
    added = client.post("/shoes/", {"action": "add", "name": "Pegasus", "replacement_km": "600"}, follow=True)
    saved_in(added, "Saved: Pegasus added to your shoes.")
    edited = client.post(
        "/shoes/", {"action": "edit", "shoe": "Pegasus", "replacement_km": "800"}, follow=True
    )
    saved_in(edited, "Saved: Pegasus is due for replacing at 800 km.")
    default = client.post("/shoes/", {"action": "default", "shoe": "Pegasus"}, follow=True)
    saved_in(default, "Saved: new runs now go to Pegasus.")
    retired = client.post("/shoes/", {"action": "retire", "shoe": "Pegasus"}, follow=True)
    saved_in(retired, "Saved: Pegasus retired")


def test_a_plan_tick_says_saved_with_and_without_htmx(client):
    check_symptoms(SELF_MANAGE, local_user())
    plan = build_plan(local_user(), local_today(), local_today())
    item = next(i for d in plan.days if d.day == local_today() for i in d.items if i.kind != "rest")
    post = {"day": local_today().isoformat(), "key": item.key, "done": "1", "next": "/plan/"}
    saved_in(client.post("/plan/done/", post, follow=True), f"Saved: {item.title} done today.")
    # htmx follows the redirect and swaps the toasts in out of band (hx-select-oob="#toasts").
    again = client.post("/plan/done/", {**post, "done": "0"}, follow=True, HTTP_HX_REQUEST="true")
    saved_in(again, f"Saved: {item.title} not done today.")
    assert 'hx-select-oob="#toasts"' in again.content.decode()


def test_outcome_ratings_and_roland_morris_say_saved(client):
    first = {
        "activity_1": "run 5 km",
        "rating_1": "4",
        "activity_2": "sit through a meeting",
        "rating_2": "6",
    }
    saved_in(
        client.post("/outcomes/", {"mode": "name", **first}, follow=True),
        "Saved: your ratings of 2 activities.",
    )
    changed = client.post("/outcomes/", {"mode": "change", "activity_1": "run 10 km"}, follow=True)
    saved_in(changed, "Saved: your list of 1 activity.")
    rmdq = client.post("/rmdq/", {"ticked": ["1", "2", "3"]})
    saved_in(rmdq, "Saved: your Roland-Morris score, 3 of 24.")


def test_an_imported_run_is_named_by_its_sport_and_year(client):
    start = datetime(2024, 5, 3, 7, 0, tzinfo=UTC)
    ride = Activity.objects.create(
        owner=local_user(), start_time=start, sport="cycling", distance_m=20_000, source_format="fit"
    )
    page = client.post(f"/activities/{ride.id}/delete/", follow=True)
    saved_in(page, "Deleted the ride of 3 May 2024, 20.0 km.")
