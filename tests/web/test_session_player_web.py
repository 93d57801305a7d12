"""The session player (issue 13 item 4): "Start today's session" on Today and Plan opens today's
exercises one at a time (figure, dose, timer, Next and Back as links), and "Mark done" ticks them all
off in one transaction, with a toast."""

from __future__ import annotations

import re

import pytest
from tests.cases import SELF_MANAGE

from backstride.config import local_today
from backstride.services.checks import check_symptoms
from backstride.services.errors import NotFound
from backstride.services.plan import plan_view, set_many_done
from backstride.services.plan_json import session_items
from backstride.services.plan_session import todays_session
from backstride.services.users import local_user
from backstride.storage.models import PlanItemDone

pytestmark = pytest.mark.django_db


def todays_items():
    data = plan_view(local_user(), local_today(), local_today())
    return next(day["items"] for day in data["days"] if day["day"] == local_today().isoformat())


@pytest.fixture
def with_plan():
    check_symptoms(SELF_MANAGE, local_user())
    items = session_items(todays_items())
    assert items, "every day's plan has exercises (mobility at least)"
    return items


@pytest.mark.parametrize("url", ["/today/", "/plan/"])
def test_today_and_plan_start_the_session(client, with_plan, url):
    page = client.get(url).content.decode()
    assert 'href="/plan/session/"' in page and "Start today&#x27;s session" not in page
    assert "Start today's session" in page
    count = len(with_plan)
    assert f"{count} exercise{'s' if count != 1 else ''}, one at a time" in page


def test_one_exercise_at_a_time_with_next_and_back_as_links(client, with_plan):
    first = client.get("/plan/session/").content.decode()
    item = with_plan[0]
    assert f'<h1 class="session-title">{item["title"]}' in first.replace("&#x27;", "'")
    assert item["dose"] in first.replace("&#x27;", "'")
    assert f"Exercise 1 of {len(with_plan)}" in first
    assert 'class="bs-' in first and "<svg" in first  # the figure
    assert 'href="?step=2"' in first and 'rel="prev"' not in first
    assert "<title>" in first and item["title"].split(" (")[0] in re.search(
        r"<title>(.*?)</title>", first
    ).group(1)
    if len(with_plan) > 1:
        second = client.get("/plan/session/?step=2").content.decode()
        assert 'href="?step=1"' in second and 'rel="prev"' in second
    for wrong in ("abc", "0", "999", "-1"):
        assert (
            f"Exercise 1 of {len(with_plan)}" in client.get(f"/plan/session/?step={wrong}").content.decode()
        )


def test_a_hold_has_the_hold_timer_and_sets_of_reps_a_rest_timer(client, with_plan):
    for number, item in enumerate(with_plan, start=1):
        page = client.get(f"/plan/session/?step={number}").content.decode()
        if item["hold_s"]:
            assert f'data-hold="{item["hold_s"]}"' in page and "hold timer" in page
        elif item["sets"] > 1 and item["rest_s"]:
            assert f'data-rest="{item["rest_s"]}"' in page and "rest-timer" in page
    assert 'src="/static/js/session.js"' in page


def test_mark_done_ticks_every_exercise_in_one_go_with_a_toast(client, with_plan):
    end = client.get(f"/plan/session/?step={len(with_plan) + 1}").content.decode()
    assert "Mark done ✓" in end and 'action="/plan/session/done/"' in end
    assert "Mark done ✓" in client.get("/plan/session/?step=end").content.decode()
    response = client.post("/plan/session/done/", {"next": "/today/"}, follow=True)
    assert response.redirect_chain[-1][0] == "/today/"
    page = response.content.decode()
    count = len(with_plan)
    assert (
        f"Saved: today&#x27;s session done, {count} exercise{'s' if count != 1 else ''} ticked off." in page
    )
    assert set(PlanItemDone.objects.values_list("item_key", flat=True)) == {i["key"] for i in with_plan}
    assert todays_session(local_user(), local_today())["done"] == count
    for url in ("/today/", "/plan/"):
        shown = client.get(url).content.decode()
        assert "✓ Today&#x27;s session is done." not in shown and "✓ Today's session is done." in shown
        assert "Go through it again" in shown and "Start today's session" not in shown
    client.post("/plan/session/done/")  # again: still one tick each
    assert PlanItemDone.objects.count() == count
    assert client.get("/plan/session/done/").status_code == 405


def test_ticking_is_all_or_none(with_plan):
    keys = [item["key"] for item in with_plan]
    with pytest.raises(NotFound):
        set_many_done(local_user(), local_today(), [*keys, "strength:no-such-exercise"], local_today())
    assert not PlanItemDone.objects.exists()


def test_without_a_plan_the_player_says_why(client):
    page = client.get("/plan/session/").content.decode()
    assert "Do a symptom check first" in page and "Mark done" not in page
    assert 'href="/plan/session/"' not in client.get("/today/").content.decode()
    response = client.post("/plan/session/done/", follow=True)
    assert "Do a symptom check first" in response.content.decode()
    assert not PlanItemDone.objects.exists()
