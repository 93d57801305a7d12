"""Confirm-or-undo for every delete (issue 13 item 7): a run or a day's check-in is deleted at once
and the next page offers Undo, which puts back exactly the rows that went (same ids, same fields,
the shoe link); a form check asks first (its video cannot be put back)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client

from backstride.config import local_today
from backstride.core.diary import A8_ITEMS
from backstride.services.diary import log_check_in
from backstride.services.runs import delete_activity
from backstride.services.undo import UndoRefused, restore_rows
from backstride.services.users import local_user
from backstride.storage.models import Activity, DiaryEntry, FormCheck, FormCheckImage, Shoe
from backstride.web.views.undo import SESSION_KEY

pytestmark = pytest.mark.django_db
NO_RED_FLAGS = {
    item: ("none" if item in ("leg_pain_side", "numbness_tingling", "leg_weakness") else False)
    for item in A8_ITEMS
}
TOKEN = re.compile(r'name="token" value="([^"]+)"')


def _run(day_offset: int = 1) -> Activity:
    user = local_user()
    shoe = Shoe.objects.create(owner=user, name="Racer", replacement_km=700)
    start = datetime.combine(local_today() - timedelta(days=day_offset), datetime.min.time(), UTC)
    return Activity.objects.create(
        owner=user,
        start_time=start.replace(hour=8),
        sport="running",
        distance_m=8_200,
        moving_time_s=2_700,
        rpe=6,
        shoe=shoe,
        source_format="fit",
        source_sha256="a" * 64,
        stream={"t": [0, 1, 2], "hr": [120, 125, 130]},
    )


def _rows() -> dict[str, list[dict[str, object]]]:
    """Every row the delete could touch, as stored."""
    return {
        "activities": list(Activity.objects.order_by("pk").values()),
        "diary": list(DiaryEntry.objects.order_by("pk").values()),
        "shoes": list(Shoe.objects.order_by("pk").values()),
        "form_checks": list(FormCheck.objects.order_by("pk").values()),
        "images": list(FormCheckImage.objects.order_by("pk").values()),
    }


def _undo_token(page: str) -> str:
    found = TOKEN.search(page)
    assert found, "no Undo button on the page"
    return found.group(1)


def test_deleting_a_run_offers_undo_which_puts_back_the_same_rows(client):
    run = _run()
    before = _rows()
    response = client.post(f"/activities/{run.id}/delete/", follow=True)
    page = response.content.decode()
    assert not Activity.objects.exists()
    day = (local_today() - timedelta(days=1)).day
    assert f"Deleted the run of {day} " in page and ", 8.2 km. You can undo this for 10 minutes." in page
    assert 'class="toast toast-undo"' in page and ">Undo</button>" in page
    undone = client.post("/undo/", {"token": _undo_token(page)}, follow=True)
    assert undone.redirect_chain[-1][0] == f"/activities/{run.id}/"
    assert _rows() == before  # the same id, stream, RPE and shoe link
    assert "Restored the run of" in undone.content.decode()
    # Used once: a second tap changes nothing and says so.
    again = client.post("/undo/", {"token": _undo_token(page)})
    assert again.status_code == 404 and "nothing to undo" in again.content.decode()
    assert _rows() == before


def test_deleting_a_check_in_offers_undo_which_puts_back_the_same_row(client):
    yesterday = local_today() - timedelta(days=1)
    raw = {"day": yesterday.isoformat(), "pain_now": 3, "locations": ["central"], "ran": True}
    log_check_in(
        local_user(), {**raw, "pain_after_run": 4, "note": "hills", "red_flags": NO_RED_FLAGS}, local_today()
    )
    before = _rows()
    response = client.post("/diary/delete/", {"day": yesterday.isoformat()}, follow=True)
    page = response.content.decode()
    assert not DiaryEntry.objects.exists() and "Deleted the check-in of" in page
    undone = client.post("/undo/", {"token": _undo_token(page)})
    assert undone.status_code == 302 and undone["Location"] == f"/diary/?day={yesterday.isoformat()}"
    assert _rows() == before


def test_undo_after_the_time_is_up_says_so_and_changes_nothing(client):
    run = _run()
    page = client.post(f"/activities/{run.id}/delete/", follow=True).content.decode()
    token = _undo_token(page)
    session = client.session
    offers = session[SESSION_KEY]
    offers[token]["expires"] -= 11 * 60  # eleven minutes later
    session[SESSION_KEY] = offers
    session.save()
    response = client.post("/undo/", {"token": token})
    text = response.content.decode()
    assert response.status_code == 400 and "Too late to undo" in text and "more than 10 minutes ago" in text
    assert 'class="error"' in text and f'href="/activities/{run.id}/"' in text
    assert not Activity.objects.exists()


def test_an_undo_token_from_another_session_or_user_does_nothing(client):
    run = _run()
    page = client.post(f"/activities/{run.id}/delete/", follow=True).content.decode()
    token = _undo_token(page)
    other_browser = Client(REMOTE_ADDR="127.0.0.1")
    response = other_browser.post("/undo/", {"token": token})
    assert response.status_code == 404 and "nothing to undo" in response.content.decode()
    assert not Activity.objects.exists()
    # The offer names its user: in this session, but made for someone else, it does nothing either.
    someone = User.objects.create(username="someone-else")
    session = client.session
    offers = session[SESSION_KEY]
    offers[token]["user"] = someone.id
    session[SESSION_KEY] = offers
    session.save()
    assert client.post("/undo/", {"token": token}).status_code == 404
    assert not Activity.objects.exists()


def test_the_service_refuses_rows_another_user_owns():
    run = _run()
    removed = delete_activity(local_user(), run.id)
    someone = User.objects.create(username="someone-else")
    with pytest.raises(UndoRefused, match="someone else"):
        restore_rows(someone, removed.rows)
    assert not Activity.objects.exists()
    assert restore_rows(local_user(), removed.rows) == 1
    assert Activity.objects.get().id == run.id


def test_undo_never_overwrites_what_was_saved_since(client):
    yesterday = local_today() - timedelta(days=1)
    raw = {"day": yesterday.isoformat(), "pain_now": 3, "ran": False, "red_flags": NO_RED_FLAGS}
    log_check_in(local_user(), raw, local_today())
    page = client.post("/diary/delete/", {"day": yesterday.isoformat()}, follow=True).content.decode()
    log_check_in(local_user(), {**raw, "pain_now": 5}, local_today())  # a new entry for that day
    response = client.post("/undo/", {"token": _undo_token(page)})
    assert (
        response.status_code == 400 and "something saved since takes its place" in response.content.decode()
    )
    assert list(DiaryEntry.objects.values_list("pain_now", flat=True)) == [5]


@pytest.mark.parametrize("token", ["", "\x00", "x" * 3000, "<script>", "undo"])
def test_hostile_tokens_are_refused_with_words(client, token):
    response = client.post("/undo/", {"token": token})
    text = response.content.decode()
    assert response.status_code == 404 and 'role="alert"' in text and "Nothing was changed" in text
    assert "<script>" not in text.split("<main", 1)[1]


def test_a_day_holding_an_unresolved_escalation_still_refuses_deletion(client):
    today = local_today()
    flags = {**NO_RED_FLAGS, "bladder_change": True}
    log_check_in(
        local_user(), {"day": today.isoformat(), "pain_now": 3, "ran": False, "red_flags": flags}, today
    )
    response = client.post("/diary/delete/", {"day": today.isoformat()})
    assert response.status_code == 400 and DiaryEntry.objects.count() == 1
    assert SESSION_KEY not in client.session


def _form_check() -> FormCheck:
    check = FormCheck.objects.create(owner=local_user(), status="failed", filename="clip.mp4", view="side")
    FormCheckImage.objects.create(form_check=check, kind="selection", frame=3, png=b"png")
    return check


def test_a_form_check_asks_before_it_is_deleted(client):
    check = _form_check()
    page = client.get(f"/form/{check.id}/").content.decode()
    assert f'href="/form/{check.id}/delete/"' in page
    confirm = client.get(f"/form/{check.id}/delete/")
    text = confirm.content.decode()
    assert confirm.status_code == 200 and "Delete the form check of" in text and "(side view)?" in text
    assert "This cannot be undone." in text and 'class="danger"' in text and "Keep it" in text
    assert FormCheck.objects.count() == 1  # asking deleted nothing
    done = client.post(f"/form/{check.id}/delete/", follow=True)
    assert not FormCheck.objects.exists() and not FormCheckImage.objects.exists()
    assert "Deleted: the form check of" in done.content.decode()
    assert client.get(f"/form/{check.id}/delete/").status_code == 404


def test_deleting_a_form_check_video_asks_first(client, tmp_path):
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"video")
    check = FormCheck.objects.create(
        owner=local_user(), status="failed", filename="clip.mp4", view="rear", video_path=str(clip)
    )
    confirm = client.get(f"/form/{check.id}/delete-video/").content.decode()
    assert "Delete the video of the form check of" in confirm and "(rear view)?" in confirm
    assert clip.exists()
    client.post(f"/form/{check.id}/delete-video/")
    assert not clip.exists() and FormCheck.objects.get().video_path == ""


def test_the_rows_of_a_delete_include_what_cascades_and_come_back_together():
    from django.db import transaction

    from backstride.services.undo import rows_of

    check = _form_check()
    before = _rows()
    with transaction.atomic():
        rows = rows_of([check])
        check.delete()
    assert not FormCheckImage.objects.exists()
    assert restore_rows(local_user(), rows) == 2
    assert _rows() == before
