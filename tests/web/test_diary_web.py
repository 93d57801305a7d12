"""The daily check-in form and the dashboard in the web app."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from backstride.cli import main
from backstride.config import local_today
from backstride.core.diary import A8_ITEMS
from backstride.services.diary import log_check_in
from backstride.services.users import local_user
from backstride.storage.models import Activity, DiaryEntry, Shoe

pytestmark = pytest.mark.django_db
ALL_NO = {
    "rf_" + item: ("none" if item in ("leg_pain_side", "numbness_tingling", "leg_weakness") else "false")
    for item in A8_ITEMS
}
NO_RED_FLAGS = {
    item: ("none" if ALL_NO[f"rf_{item}"] == "none" else False) for item in A8_ITEMS
}  # as the service takes them


def test_check_in_saves_and_the_dashboard_shows_todays_colour(client):
    response = client.post("/diary/", {**ALL_NO, "pain_now": "2", "locations": ["central"], "ran": "no"})
    assert response.status_code == 302 and response["Location"] == "/today/"
    assert DiaryEntry.objects.get().pain_now == 2
    page = client.get("/today/").content.decode()
    assert "Green: run as planned" in page


def test_missing_safety_answers_and_impossible_values_are_named_and_nothing_saved(client):
    response = client.post("/diary/", {"pain_now": "11", "locations": ["knee"]})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was saved" in page and "Back pain right now: choose a whole number from 0 to 10" in page
    # Neither "None of these" nor "Yes, or not sure": one sentence for the listed signs.
    assert "Safety questions: choose “None of these”, or “Yes, or not sure”" in page
    assert DiaryEntry.objects.count() == 0
    response = client.post("/diary/", {"pain_now": "3", "safety": "each"})
    page = response.content.decode()
    assert "Safety questions: answer the 9 questions marked below" in page  # one by one: each is marked
    assert 'id="rf_saddle_numbness-error"' in page and "red_flags." not in page
    assert DiaryEntry.objects.count() == 0


def test_a_red_flag_at_check_in_shows_a_banner_until_a_full_check(client):
    response = client.post("/diary/", {**ALL_NO, "rf_bladder_change": "true", "pain_now": "3", "ran": "no"})
    assert response["Location"] == "/today/#escalation"
    page = client.get("/today/").content.decode()
    assert 'id="escalation"' in page and "Red: no running today" in page


def test_dashboard_chart_weeks_and_shoes_with_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    user = local_user()
    shoe = Shoe.objects.create(owner=user, name="Daily trainer", replacement_km=700, start_km=600)
    for days_ago, km in ((40, 5), (20, 6), (9, 6), (2, 9)):
        Activity.objects.create(
            owner=user,
            start_time=datetime.combine(local_today() - timedelta(days=days_ago), datetime.min.time(), UTC),
            sport="running",
            distance_m=km * 1000,
            moving_time_s=km * 330,
            rpe=5,
            shoe=shoe,
            source_format="manual",
        )
    for days_ago in range(10):
        DiaryEntry.objects.create(
            owner=user, day=local_today() - timedelta(days=days_ago), pain_now=days_ago % 4
        )
    client.get("/today/")  # warm caches (knowledge files, session)
    DiaryEntry.objects.filter(owner=user, day=local_today()).update(pain_now=3)  # a change: figures again
    # 17 + 1 for the My activities re-rating reminder (one indexed read of the latest rating) + 1 read
    # of the data version (shared by the figures and the trigger report)
    with django_assert_max_num_queries(19):
        page = client.get("/today/").content.decode()
    assert "<svg" in page and "Pain and weekly running distance" in page
    assert "Daily trainer" in page and "626 of 700 km" in page  # 600 + 26
    assert "spike" in page.lower()  # 9 km after a longest of 6 km in 30 days
    assert 'id="this-week"' in page
    for days_ago in range(10, 200):
        DiaryEntry.objects.create(owner=user, day=local_today() - timedelta(days=days_ago), pain_now=1)
    with django_assert_max_num_queries(19):
        client.get("/today/")
    # Nothing changed since: the figures are remembered, one read of the data version checks that.
    with django_assert_max_num_queries(12):
        assert client.get("/today/").content.decode().count("626 of 700 km") == 1


def test_edit_an_earlier_day_then_delete_it_and_the_colour_follows(client):
    yesterday = (local_today() - timedelta(days=1)).isoformat()
    client.post("/diary/", {**ALL_NO, "day": yesterday, "pain_now": "4", "ran": "no"})
    form = client.get(f"/diary/?day={yesterday}").content.decode()
    assert 'value="4" checked' in form and 'name="rf_saddle_numbness" value="false" checked' in form
    client.post("/diary/", {**ALL_NO, "day": yesterday, "pain_now": "1", "ran": "no"})
    assert list(DiaryEntry.objects.values_list("pain_now", flat=True)) == [1]
    client.post("/diary/", {**ALL_NO, "pain_now": "7", "ran": "no"})  # today: pain 7 -> red (R4)
    assert "Red: no running today" in client.get("/today/").content.decode()
    client.post("/diary/delete/", {"day": local_today().isoformat()})
    assert "Log today" in client.get("/today/").content.decode()


def test_deleting_a_run_updates_shoe_km(client):
    user = local_user()
    shoe = Shoe.objects.create(owner=user, name="Racer", replacement_km=700)
    run = Activity.objects.create(
        owner=user,
        start_time=datetime.now(UTC),
        sport="running",
        distance_m=10_000,
        moving_time_s=3000,
        shoe=shoe,
        source_format="manual",
    )
    assert "10 of 700 km" in client.get("/today/").content.decode()
    assert client.post(f"/activities/{run.id}/delete/").status_code == 302
    assert "0 of 700 km" in client.get("/today/").content.decode()
    assert client.post(f"/activities/{run.id}/delete/").status_code == 404


def test_an_urgent_answer_is_shown_even_when_the_rest_of_the_check_in_is_invalid(client):
    response = client.post(
        "/diary/",
        {**ALL_NO, "rf_bladder_change": "true", "pain_now": "3", "ran": "no", "pain_during_run": "4"},
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
    today = local_today()
    yesterday = today - timedelta(days=1)
    ran = {
        "day": yesterday,
        "pain_now": 2,
        "ran": True,
        "pain_before_run": 2,
        "pain_during_run": 7,
        "pain_after_run": 7,
        "socks_shoes_difficult": True,
        "exercises_done": True,
        "red_flags": NO_RED_FLAGS,
    }
    log_check_in(user, ran, today)
    log_check_in(user, {**ran, "pain_next_morning": 5}, today + timedelta(days=1))
    form = client.get(f"/diary/?day={yesterday.isoformat()}").content.decode()
    assert 'name="socks_shoes_difficult" value="yes" checked' in form
    assert 'name="exercises_done" value="yes" checked' in form
    assert 'name="pain_next_morning" inputmode="numeric" value="5"' in form
