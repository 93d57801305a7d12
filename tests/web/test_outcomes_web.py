"""My activities in the web app: the form (first time, re-rating, changing them), the prompt on the
result page and the dashboard, and the series on the history page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from tests.cases import SELF_MANAGE

from backstride.services import outcomes
from backstride.services.checks import check_symptoms
from backstride.services.users import local_user
from backstride.storage.models import OutcomeActivity, OutcomeRating

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_ok]

FIRST = {"activity_1": "run 5 km", "rating_1": "4", "activity_2": "sit through a meeting", "rating_2": "6"}


def page(response) -> str:
    return response.content.decode()


def test_first_visit_asks_for_up_to_three_activities_with_the_suggestions(client):
    text = page(client.get("/outcomes/"))
    assert 'name="activity_3"' in text
    for suggestion in ("run 5 km", "sit through a meeting", "lift my child"):
        assert f'placeholder="e.g. {suggestion}"' in text
    assert 'name="global_change"' not in text  # no second check yet


def test_naming_and_rating_saves_and_shows_the_result(client):
    response = client.post("/outcomes/", {"mode": "name", **FIRST})
    assert response.status_code == 302 and response["Location"] == "/outcomes/?saved=1"
    assert OutcomeRating.objects.get().mean == 5.0 and OutcomeRating.objects.get().source == "web"
    text = page(client.get(response["Location"]))
    assert "Saved: average 5.0 of 10" in text and "run 5 km: 4/10" in text


def test_a_refused_form_keeps_what_was_typed_and_says_what_to_do(client):
    response = client.post(
        "/outcomes/",
        {"mode": "name", "activity_1": "run 5 km", "rating_1": "4", "activity_3": "RUN 5 KM", "rating_3": ""},
    )
    assert response.status_code == 400
    text = page(response)
    assert "Nothing was saved" in text
    assert "Activity 3 repeats &#x27;run 5 km&#x27;: name each activity once." in text  # row 3, as shown
    assert "The rating of activity 3 is missing: choose a whole number from 0" in text
    assert 'value="RUN 5 KM"' in text and 'name="rating_1" value="4" checked' in text
    assert "activity_3:" not in text and "rating_3:" not in text  # no field names for the runner
    assert OutcomeRating.objects.count() == 0 and OutcomeActivity.objects.count() == 0


def test_a_later_visit_re_rates_each_activity(client):
    client.post("/outcomes/", {"mode": "name", **FIRST})
    text = page(client.get("/outcomes/"))
    assert "<legend>run 5 km</legend>" in text and 'name="activity_1"' in text
    response = client.post("/outcomes/", {**FIRST, "mode": "rate", "rating_1": "8"})
    assert response.status_code == 302
    text = page(client.get(response["Location"]))
    assert "a real change since its first rating" in text  # 4 -> 8


def test_changing_activities_keeps_a_reworded_one_and_restarts_a_replaced_one(client):
    client.post("/outcomes/", {"mode": "name", **FIRST})
    run, sit = outcomes.current_activities(local_user())
    text = page(client.get("/outcomes/?mode=change"))
    assert 'value="run 5 km"' in text and "Same activity" in text
    response = client.post(
        "/outcomes/",
        {"mode": "change", "activity_1": "run 5 km easy", "id_1": run.id, "keep_1": "1",
         "activity_2": "lift my child", "id_2": sit.id},
    )  # fmt: skip
    assert response.status_code == 302 and "changed=1" in response["Location"]
    first, second = outcomes.current_activities(local_user())
    assert (first.id, first.name) == (run.id, "run 5 km easy") and second.id != sit.id


def test_global_change_is_asked_from_a_second_check_result_and_stored_with_the_check(client):
    user = local_user()
    check_symptoms(SELF_MANAGE, user)
    second = check_symptoms(SELF_MANAGE, user).check_id
    text = page(client.get(f"/outcomes/?check={second}"))
    assert "Compared with your first check, your back is:" in text and 'value="much_better"' in text
    response = client.post(
        "/outcomes/", {"mode": "name", "check": second, **FIRST, "global_change": "better"}
    )
    assert response.status_code == 302
    rating = OutcomeRating.objects.get()
    assert rating.symptom_check_id == second and rating.source == "check" and rating.global_change == "better"


def test_a_check_that_is_not_the_runners_or_stopped_early_is_not_found(client):
    other = get_user_model().objects.create(username="clinic-runner-2")
    theirs = check_symptoms(SELF_MANAGE, other).check_id
    stopped = check_symptoms(SELF_MANAGE, local_user(), completed=False).check_id
    for check_id in (theirs, stopped, "abc"):
        assert client.get(f"/outcomes/?check={check_id}").status_code == 404


def test_the_result_page_invites_a_rating_after_a_completed_check_only(client):
    user = local_user()
    done = check_symptoms(SELF_MANAGE, user).check_id
    text = page(client.get(f"/checks/{done}/"))
    assert "How are your everyday activities?" in text and f'href="/outcomes/?check={done}"' in text
    assert text.index('id="outcomes-prompt"') < text.index('id="advice"')
    stopped = check_symptoms(SELF_MANAGE, user, completed=False).check_id
    assert 'id="outcomes-prompt"' not in page(client.get(f"/checks/{stopped}/"))


def test_the_dashboard_prompts_a_re_rating_after_two_weeks(client):
    client.post("/outcomes/", {"mode": "name", **FIRST})
    assert 'id="outcomes-due"' not in page(client.get("/today/"))
    OutcomeRating.objects.update(created_at=OutcomeRating.objects.get().created_at - timedelta(days=15))
    text = page(client.get("/today/"))
    assert 'id="outcomes-due"' in text and 'href="/outcomes/?from=diary"' in text
    client.post("/outcomes/", {"mode": "rate", "from": "diary", **FIRST})
    assert OutcomeRating.objects.order_by("-id").first().source == "diary"  # type: ignore[union-attr]


def test_history_shows_the_series_beside_roland_morris_with_the_thresholds(client):
    client.post("/rmdq/", {"ticked": ["1", "2", "3", "4", "5", "6"]})
    assert "No ratings yet" in page(client.get("/history/"))
    client.post("/outcomes/", {"mode": "name", **FIRST})
    client.post("/outcomes/", {**FIRST, "mode": "rate", "rating_1": "7", "rating_2": "7"})
    text = page(client.get("/history/"))
    assert "My activities and how your back has changed" in text
    assert "run 5 km: 7 (a real change)" in text and "sit through a meeting: 7<" in text
    assert "A change of 2 points in the average, or 3 points for one activity" in text
    assert "a real improvement" in text and "Beside it, Roland-Morris" in text and "5 points" in text
    assert "<svg" in text.split('id="my-activities"')[1]  # the chart, with the table beside it
