"""One runner, no login (issue 11, item 9): requests without a cookie store no session; the check's
draft still lives in a session from its first answer on, and CSRF still guards every form."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_ok]

PAGES = ["/", "/today/", "/check/", "/history/", "/plan/", "/activities/", "/settings/", "/diary/", "/shoes/"]


def test_two_hundred_cookieless_requests_store_no_session():
    for number in range(200):
        response = Client().get(PAGES[number % len(PAGES)])
        assert response.status_code == 200, PAGES[number % len(PAGES)]
        assert "sessionid" not in response.cookies
    assert Session.objects.count() == 0


def _item_asked(client: Client) -> str:
    html = client.get("/check/question/").content.decode()
    return html.split('name="item" value="', 1)[1].split('"', 1)[0]


def test_the_check_keeps_its_draft_in_one_session_and_csrf_still_guards_it():
    client = Client(enforce_csrf_checks=True)
    client.get("/check/")
    token = client.cookies["csrftoken"].value
    assert Client(enforce_csrf_checks=True).post("/check/").status_code == 403  # no token, no check
    assert client.post("/check/", {"csrfmiddlewaretoken": token}).status_code == 302
    first = _item_asked(client)
    answer = {"item": first, "value": "34", "csrfmiddlewaretoken": token}
    assert client.post("/check/question/", answer).status_code == 200  # the next question
    assert _item_asked(client) != first  # the answer was kept between requests
    assert client.session["check_draft"]["answers"][first] == 34
    assert Session.objects.count() == 1
