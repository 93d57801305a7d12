"""Typed dates, numbers and text in the web forms (issue 11, items 4, 6 and 8): the same parser as the
command line (core.inputs); a bad value gives the form again (400) with its message and what was typed,
never a 500, and nothing stored; text is stored without NUL (PostgreSQL refused it with a 500)."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from backstride.config import local_today
from backstride.core.diary import A8_ITEMS
from backstride.services.users import local_user
from backstride.storage.models import Activity, DiaryEntry, OutcomeActivity, OutcomeRating, RmdqResponse, Shoe

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_ok]
ALL_NO = {
    "rf_" + item: ("none" if item in ("leg_pain_side", "numbness_tingling", "leg_weakness") else "false")
    for item in A8_ITEMS
}


def form_again(response, *texts: str) -> str:
    """A 400 that is the form again, with its message and what was typed."""
    assert response.status_code == 400, response.status_code
    page = response.content.decode()
    assert "<form" in page
    for text in texts:
        assert text in page, text
    return page


# --- the diary --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("pain_now", "²", "Back pain right now: choose a whole number from 0 to 10"),  # was a 500
        ("pain_now", "1e308", "Back pain right now: choose a whole number from 0 to 10"),
        ("stiffness", "9" * 400, "Stiffness: type a whole number from 0 to 10"),
        ("sleep_hours", "nan", "Hours of sleep: type a number from 0 to 24 hours"),
        ("sitting_hours", "inf", "Hours sitting today: type a number from 0 to 24 hours"),
        ("day", "0001-01-01", "is before 1970-01-01: check the year"),
        ("day", "9999-12-31", "is in the future"),
    ],
)
def test_a_check_in_with_an_impossible_value_is_shown_again_and_not_saved(client, field, typed, message):
    post = {**ALL_NO, "pain_now": "2", "ran": "no", field: typed}
    form_again(client.post("/diary/", post), message)
    assert DiaryEntry.objects.count() == 0


def test_a_note_with_a_nul_is_saved_without_it(client):
    response = client.post(
        "/diary/", {**ALL_NO, "pain_now": "2", "ran": "no", "note": "sore\x00 after\r\nhills"}
    )
    assert response.status_code == 302
    assert DiaryEntry.objects.get().note == "sore after\nhills"


def test_deleting_a_day_out_of_range_shows_the_form_with_the_reason(client):
    form_again(client.post("/diary/delete/", {"day": "0001-01-01"}), "before 1970")
    form_again(client.post("/diary/delete/", {"day": "²"}), "Day: choose a day on the calendar")


# --- runs ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("day", "0001-01-01", "before 1970"),
        ("distance_km", "1e308", "more than 0 and at most 400 km"),
        ("distance_km", "²", "more than 0 and at most 400 km"),
        ("duration_min", "nan", "more than 0 and at most 2880 minutes"),
        ("rpe", "-0.5", "from 0 to 10"),
    ],
)
def test_a_run_with_an_impossible_value_keeps_what_was_typed(client, field, typed, message):
    post = {"day": local_today().isoformat(), "distance_km": "5", "duration_min": "30", field: typed}
    form_again(client.post("/activities/new-run/", post), message, f'value="{typed}"')
    assert Activity.objects.count() == 0


def _run() -> Activity:
    return Activity.objects.create(
        owner=local_user(),
        start_time=datetime.combine(local_today(), time(12), UTC),
        sport="running",
        distance_m=5000,
        moving_time_s=1800,
        source_format="manual",
    )


@pytest.mark.parametrize("typed", ["²", "nan", "1e308", "11"])
def test_an_rpe_refused_shows_the_activity_with_the_message_and_the_value(client, typed):
    run = _run()
    page = form_again(
        client.post(f"/activities/{run.id}/rpe/", {"rpe": typed}), "Effort (RPE): type a number from 0 to 10"
    )
    assert f'name="rpe" inputmode="decimal" aria-label="Effort, RPE 0 to 10" value="{typed}"' in page
    run.refresh_from_db()
    assert run.rpe is None


def test_an_unknown_shoe_for_a_run_is_said_on_the_activity_page(client):
    run = _run()
    form_again(client.post(f"/activities/{run.id}/shoe/", {"shoe": "Ghost\x00"}), "no shoe named")
    run.refresh_from_db()
    assert run.shoe is None


# --- shoes --------------------------------------------------------------------------------------------


def test_a_shoe_named_with_a_nul_is_stored_without_it_and_found_again(client):
    response = client.post("/shoes/", {"action": "add", "name": "Daily\x00 trainer", "brand": "A\x00sics"})
    assert response.status_code == 302
    shoe = Shoe.objects.get()
    assert (shoe.name, shoe.brand) == ("Daily trainer", "Asics")
    assert client.post("/shoes/", {"action": "default", "shoe": "Daily\x00 trainer"}).status_code == 302
    assert client.post("/shoes/", {"action": "retire", "shoe": "Gh\x00ost"}).status_code == 404


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("start_km", "²", "Km already done in them: type a number from 0 to 20000 km"),
        ("start_km", "1e400", "Km already done in them: type a number from 0 to 20000 km"),
        ("replacement_km", "nan", "more than 0 and at most 20000 km"),
        ("bought", "0001-01-01", "before 1970"),
    ],
)
def test_a_shoe_with_an_impossible_value_is_shown_again(client, field, typed, message):
    post = {"action": "add", "name": "Pegasus", field: typed}
    form_again(client.post("/shoes/", post), message, f'value="{typed}"')
    assert Shoe.objects.count() == 0


def test_retiring_a_shoe_on_a_day_out_of_range(client):
    client.post("/shoes/", {"action": "add", "name": "Pegasus"})
    form_again(
        client.post("/shoes/", {"action": "retire", "shoe": "Pegasus", "retired": "9999-12-31"}), "future"
    )
    assert Shoe.objects.get().retired is None


# --- my activities, Roland-Morris, the plan --------------------------------------------------------


@pytest.mark.parametrize("typed", ["²", "١", "nan", "4.5"])
def test_an_activity_rating_that_is_not_0_to_10_is_shown_again(client, typed):
    post = {"activity_1": "run 5 km", "rating_1": typed}
    form_again(client.post("/outcomes/", post), "must be a whole number from 0")  # "²" was a 500
    assert OutcomeRating.objects.count() == 0 and OutcomeActivity.objects.count() == 0


def test_an_odd_check_link_is_not_found_rather_than_a_500(client):
    assert client.get("/outcomes/?check=²").status_code == 404
    assert client.post("/outcomes/", {"check": "٣", "activity_1": "x", "rating_1": "3"}).status_code == 404


def test_activity_names_are_stored_without_control_characters(client):
    assert client.post("/outcomes/", {"activity_1": "lift\x00 my child", "rating_1": "4"}).status_code == 302
    assert OutcomeActivity.objects.get().name == "lift my child"


@pytest.mark.parametrize("typed", ["²", "25", "1" * 400])
def test_roland_morris_statement_numbers_out_of_range(client, typed):
    sent = client.post("/rmdq/", {"ticked": ["1", typed]})
    page = form_again(sent, "Statements: the form sent", "whole number from 1 to 24")
    assert 'value="1" checked' in page  # the ticks stay
    assert RmdqResponse.objects.count() == 0


@pytest.mark.parametrize(
    ("week", "message"),
    [("9999-12-31", "more than a year ahead"), ("0001-01-01", "before 1970"), ("²", "YYYY-MM-DD")],
)
def test_a_plan_week_out_of_range_shows_this_week_and_says_why(client, week, message):
    page = client.get("/plan/", {"week": week}).content.decode()
    assert message in page and "Showing this week instead" in page


def test_ticking_a_plan_day_out_of_range_says_why(client):
    response = client.post("/plan/done/", {"day": "0001-01-01", "key": "run"}, follow=True)
    assert "before 1970" in response.content.decode()
