"""Clinic mode: every page but sign-in, reset links and the app shell asks to sign in; passwords are
hashed with Argon2; five wrong passwords lock the username out for 15 minutes, said in words. Local
mode keeps its one user and no sign-in at all."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from .conftest import PASSWORD, account, signed_in

pytestmark = [pytest.mark.clinic, pytest.mark.django_db, pytest.mark.postgres_ok]

RUNNER_PAGES = ["/", "/today/", "/diary/", "/plan/", "/check/", "/history/", "/activities/", "/more/"]
OPEN_PAGES = ["/login/", "/manifest.webmanifest", "/sw.js", "/offline/", "/static/css/backstride.css"]


@pytest.mark.parametrize("page", RUNNER_PAGES)
def test_clinic_mode_sends_everyone_not_signed_in_to_sign_in(clinic, page):
    response = Client().get(page)
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={page}"


def test_a_post_and_an_unknown_address_also_need_sign_in(clinic):
    assert Client().post("/diary/", {"pain_now": "3"})["Location"].startswith("/login/")
    assert Client().get("/no-such-page/")["Location"].startswith("/login/")
    htmx = Client().get("/today/", headers={"HX-Request": "true"})
    assert htmx["HX-Redirect"] == "/login/?next=/today/"


@pytest.mark.parametrize("page", OPEN_PAGES)
def test_sign_in_and_the_app_shell_open_without_signing_in(clinic, page):
    assert Client().get(page).status_code == 200


@pytest.mark.parametrize("page", ["/today/", "/plan/", "/activities/"])
def test_local_mode_needs_no_sign_in(page):
    assert Client().get(page).status_code == 200


@pytest.mark.parametrize("page", ["/login/", "/caseload/", "/reset/MQ/set-password/"])
def test_the_account_pages_do_not_exist_in_local_mode(page):
    assert Client().get(page).status_code == 404
    assert Client().post("/logout/").status_code == 404


def test_passwords_are_hashed_with_argon2(clinic):
    user = account("anna")
    assert user.password.startswith("argon2$")
    assert User.objects.get(username="anna").check_password(PASSWORD)


def test_a_runner_signs_in_sees_their_pages_and_signs_out(clinic):
    account("anna")
    client = Client()
    response = client.post("/login/", {"username": "anna", "password": PASSWORD, "next": "/plan/"})
    assert response.status_code == 302 and response["Location"] == "/plan/"
    assert client.get("/today/").status_code == 200
    more = client.get("/more/").content.decode()
    assert "Signed in as <strong>anna</strong>" in more and "Your data stays on your clinic's server" in more
    assert client.post("/logout/")["Location"] == "/login/"
    assert client.get("/today/").status_code == 302


def test_a_wrong_password_says_so_and_keeps_the_username_typed(clinic):
    account("anna")
    response = Client().post("/login/", {"username": "anna", "password": "wrong-password-1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "That username and password do not match an account" in html
    assert 'value="anna"' in html
    assert 'type="password" autocomplete="current-password" required aria-invalid="true"' in html
    empty = Client().post("/login/", {"username": "", "password": ""}).content.decode()
    assert "Type your username." in empty and "Type your password." in empty


def test_five_wrong_passwords_lock_the_username_out_for_15_minutes_in_words(clinic):
    account("anna")
    client = Client()
    for _ in range(4):
        assert client.post("/login/", {"username": "anna", "password": "nope-nope-nope"}).status_code == 200
    locked = client.post("/login/", {"username": "anna", "password": "nope-nope-nope"})
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "signing in is locked for 15 minutes" in html
    assert 'value="anna"' in html
    # Locked means locked: the right password is refused too until the time is up.
    assert client.post("/login/", {"username": "anna", "password": PASSWORD}).status_code == 429
    assert client.get("/today/").status_code == 302
    # Another account behind the same address is not locked out by anna's typos.
    account("ben")
    signed_in("ben")


def test_the_lockout_ends_after_15_minutes(clinic):
    import time_machine
    from django.utils import timezone

    account("anna")
    client = Client()
    for _ in range(5):
        client.post("/login/", {"username": "anna", "password": "nope-nope-nope"})
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=16), tick=False):
        assert client.post("/login/", {"username": "anna", "password": PASSWORD}).status_code == 302


def test_sessions_end_after_12_hours_idle_and_cookies_are_httponly(clinic):
    account("anna")
    client = signed_in("anna")
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == 12 * 3600
    response = client.get("/today/")
    assert response["X-Frame-Options"] == "DENY"
    assert "sessionid" in response.cookies  # saved on every page: 12 hours from the last one


def test_a_clinician_finds_the_caseload_and_no_runner_pages(clinic):
    account("dr-lee", role="clinician")
    client = signed_in("dr-lee")
    home = client.get("/")
    assert home.status_code == 302 and home["Location"] == "/caseload/"
    page = client.get("/caseload/").content.decode()
    assert "No runner shares their data with you yet." in page
    assert "Signed in as <strong>dr-lee</strong>" in page
    for runner_page in ["/today/", "/diary/", "/plan/", "/activities/1/"]:
        assert client.get(runner_page).status_code == 404, runner_page


def test_a_runner_has_no_caseload(clinic):
    account("anna")
    assert signed_in("anna").get("/caseload/").status_code == 404
