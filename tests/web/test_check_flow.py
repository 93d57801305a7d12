"""The step-by-step web check: skip logic, the emergency interrupt, htmx and no-JavaScript paths."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from tests.cases import EMERGENCY, SEE_A_DOCTOR, SELF_MANAGE

from backstride.core.triage import flow
from backstride.knowledge.questionnaire import questionnaire_items
from backstride.storage.models import SymptomCheck

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def form_value(value: object) -> str:
    return {True: "true", False: "false"}.get(value, str(value)) if isinstance(value, bool) else str(value)


def start(client: Client) -> None:
    response = client.post("/check/")
    assert response.status_code == 302 and response["Location"] == "/check/question/"


def answer_all(client: Client, answers: dict, htmx: bool = False) -> tuple[object, list[str]]:
    """Answer whatever the app asks, from `answers` (or "I don't know"/the first option when absent).
    Returns the final response and the item ids in the order they were asked."""
    start(client)
    asked: list[str] = []
    items = questionnaire_items()
    extra = HTMX if htmx else {}
    response = client.get("/check/question/")
    for _ in range(80):
        if response.status_code in (302, 204):
            return response, asked
        html = response.content.decode()
        item_id = html.split('name="item" value="', 1)[1].split('"', 1)[0]
        asked.append(item_id)
        if item_id in answers:
            data = {"item": item_id, "value": form_value(answers[item_id])}
        elif items[item_id].type == "number":
            data = {"item": item_id, "dont_know": "1"}
        elif items[item_id].type == "scale_0_10":
            data = {"item": item_id, "value": "0"}
        else:
            data = {
                "item": item_id,
                "value": "false" if items[item_id].type == "yes_no" else items[item_id].choices[0],
            }
        response = client.post("/check/question/", data, **extra)
    raise AssertionError("the check did not finish within 80 questions")


def result_url(response) -> str:
    return response["HX-Redirect"] if response.status_code == 204 else response["Location"]


def test_self_manage_journey_ends_on_a_saved_result_page(client):
    response, asked = answer_all(client, SELF_MANAGE)
    # About you first (a man of 34: no pregnancy questions), then the safety questions.
    assert asked[:3] == ["age", "sex", "saddle_numbness"]
    assert "neuro_worsening" not in asked  # no leg symptoms: not asked
    assert "leg_pain_side" not in asked  # pain stays in the back
    assert "improves_with_movement" not in asked  # inflammatory block gated off
    assert asked[-9:] == list(flow.SECTIONS[-1][1])  # STarT Back last
    check = SymptomCheck.objects.get()
    assert check.completed and check.urgency == "self_manage" and check.run_today == "green"
    page = client.get(result_url(response)).content.decode()
    # The result leads with urgency, then run-today, then the pattern with its disclaimer.
    assert page.index('id="urgency"') < page.index('id="run-today"') < page.index('id="pattern"')
    assert (
        page.index('id="pattern"')
        < page.index('id="reasons"')
        < page.index('id="advice"')
        < page.index('id="sources"')
    )
    assert "cannot diagnose" in page


def test_emergency_answer_interrupts_at_once_without_javascript(client):
    start(client)
    response = client.post("/check/question/", {"item": "saddle_numbness", "value": "true"})
    assert response.status_code == 302
    check = SymptomCheck.objects.get()
    assert check.urgency == "emergency" and not check.completed
    page = client.get(response["Location"]).content.decode()
    assert "Call" in page and "E1" in page


def test_emergency_answer_interrupts_at_once_with_htmx(client):
    start(client)
    response = client.post("/check/question/", {"item": "saddle_numbness", "value": "true"}, **HTMX)
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/checks/")


def test_emergency_number_follows_the_country_setting(client):
    client.post("/settings/", {"country": "US"})
    response, _ = answer_all(client, EMERGENCY)
    page = client.get(result_url(response)).content.decode()
    assert "911" in page and "999" not in page
    client.post("/settings/", {"country": "GB"})
    response, _ = answer_all(client, EMERGENCY)
    assert "999" in client.get(result_url(response)).content.decode()


def test_see_a_doctor_journey_over_htmx(client):
    response, _ = answer_all(client, SEE_A_DOCTOR, htmx=True)
    assert response.status_code == 204
    check = SymptomCheck.objects.get()
    assert check.urgency == "doctor_soon" and check.run_today == "red"
    page = client.get(result_url(response)).content.decode()
    assert "D4" in page


def test_htmx_question_is_a_fragment_and_plain_get_is_a_full_page(client):
    start(client)
    fragment = client.get("/check/question/", **HTMX).content.decode()
    full = client.get("/check/question/").content.decode()
    assert fragment.lstrip().startswith('<section id="step"')
    assert "<html" in full and 'id="step"' in full


def test_wrong_answer_type_is_refused_on_the_form_and_not_stored(client):
    start(client)
    for item_id in flow.ORDER[:4]:
        client.post("/check/question/", {"item": item_id, "value": "false"})
    response = client.post("/check/question/", {"item": "pain_extent", "value": "to_the_moon"})
    assert response.status_code == 400
    assert "must be one of" in response.content.decode()
    assert "pain_extent" not in client.session["check_draft"]["answers"]


def test_back_button_removes_the_last_answer(client):
    start(client)
    client.post("/check/question/", {"item": "age", "value": "40"})
    client.post("/check/question/", {"item": "sex", "value": "male"})
    client.post("/check/question/", {"item": "saddle_numbness", "value": "false"})
    client.post("/check/question/", {"item": "bladder_change", "value": "false"})
    client.post("/check/question/", {"item": "bowel_change", "back": "1"})
    assert client.session["check_draft"]["answers"] == {"age": 40, "sex": "male", "saddle_numbness": False}
    assert (
        "bladder_change"
        in client.get("/check/question/").content.decode().split('name="item" value="')[1][:20]
    )


def test_progress_is_shown(client):
    start(client)
    page = client.get("/check/question/").content.decode()
    assert "Question 1 of" in page and 'role="progressbar"' in page


def test_startback_questions_show_keele_wording_and_copyright(client):
    answers = {**SELF_MANAGE}
    start(client)
    # Walk to the first STarT Back item.
    response = client.get("/check/question/")
    for _ in range(80):
        html = response.content.decode()
        item_id = html.split('name="item" value="', 1)[1].split('"', 1)[0]
        if item_id.startswith("sb_"):
            break
        value = answers.get(item_id)
        data = (
            {"item": item_id, "value": form_value(value)}
            if value is not None
            else {"item": item_id, "dont_know": "1"}
        )
        response = client.post("/check/question/", data)
    assert "Keele" in html
    assert "spread down one or both legs at some point? (agree = yes)" not in html  # not the paraphrase


def test_requests_from_other_machines_are_refused_in_local_mode():
    response = Client(REMOTE_ADDR="192.0.2.10").get("/")
    assert response.status_code == 403


def test_history_page_shows_checks_and_rmdq_with_chart(client):
    answer_all(client, SELF_MANAGE)
    answer_all(client, {**SELF_MANAGE, "pain_now": 4})
    client.post("/rmdq/", {"ticked": ["1", "2", "3", "4", "5", "6"]})
    response = client.post("/rmdq/", {"ticked": ["1"]})
    assert "real improvement" in response.content.decode()
    page = client.get("/history/").content.decode()
    assert "<svg" in page and "Pain and disability over time" in page
    # One link per stored check, newest first.
    links = re.findall(r'href="(/checks/\d+/)"', page)
    assert links == [
        f"/checks/{pk}/" for pk in SymptomCheck.objects.order_by("-id").values_list("id", flat=True)
    ]
    assert len(links) == 2


def test_rmdq_bad_input_is_refused(client):
    response = client.post("/rmdq/", {"ticked": ["0", "30"]})
    assert response.status_code == 400
    from backstride.storage.models import RmdqResponse

    assert RmdqResponse.objects.count() == 0


def test_other_users_checks_are_not_visible(client, django_user_model):
    from backstride.services.checks import check_symptoms

    stranger = django_user_model.objects.create(username="someone-else")
    theirs = check_symptoms(SELF_MANAGE, stranger).check_id
    assert client.get(f"/checks/{theirs}/").status_code == 404


def test_shoe_km_comes_from_the_shoe_tracker_not_a_question(client):
    from backstride.services.users import local_user
    from backstride.storage.models import Shoe

    Shoe.objects.create(owner=local_user(), name="Old faithful", start_km=650, is_default=True)
    _, asked = answer_all(client, SELF_MANAGE)
    assert "shoe_km" not in asked
    check = SymptomCheck.objects.get()
    assert check.answers["shoe_km"] == 650
    assert "shoe-mileage" in [card["id"] for card in check.report["advice"]]


def test_without_a_tracked_shoe_nothing_is_assumed(client):
    _, asked = answer_all(client, SELF_MANAGE)
    assert "shoe_km" not in asked and "shoe_km" not in SymptomCheck.objects.get().answers


def test_web_refuses_a_duration_longer_than_the_age_at_the_question(client):
    client.post("/check/")
    client.post("/check/question/", {"item": "age", "value": "30"})
    response = client.post("/check/question/", {"item": "duration_days", "value": "20000"})
    assert response.status_code == 400 and "longer than your age" in response.content.decode()
    assert "duration_days" not in client.session["check_draft"]["answers"]


def test_stored_emergency_page_uses_the_country_set_now(client):
    client.post("/check/")
    response = client.post("/check/question/", {"item": "saddle_numbness", "value": "true"})
    client.post("/settings/", {"country": "GB"})
    page = client.get(response["Location"]).content.decode()
    assert 'href="tel:999"' in page
