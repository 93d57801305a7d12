"""A one-time link from an administrator sets a password: it works once, and not after 24 hours."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from backstride.services.accounts import AccountRefused, create_account, reset_link

from .conftest import signed_in

pytestmark = [pytest.mark.clinic, pytest.mark.django_db, pytest.mark.postgres_ok]

NEW = "copper-heron-lantern-88"
USED_UP = "This link does not work any more"


def _set_password(path: str, password: str = NEW) -> Client:
    client = Client()
    opened = client.get(path)
    assert opened.status_code == 302  # Django moves the token out of the address, into the session
    form_page = opened["Location"]
    assert "Set your password" in client.get(form_page).content.decode()
    done = client.post(form_page, {"new_password1": password, "new_password2": password})
    assert done.status_code == 302 and done["Location"] == "/login/", done.content.decode()[:800]
    return client


def test_a_new_account_sets_its_password_with_the_link_once(clinic):
    create_account("anna", "runner")  # no password yet: cannot sign in
    link = reset_link("anna", "https://clinic.example/")
    assert link.url.startswith("https://clinic.example/reset/")
    assert timedelta(hours=23, minutes=59) < link.expires_at - timezone.now() <= timedelta(hours=24)
    path = urlsplit(link.url).path
    _set_password(path)
    signed_in("anna", NEW)
    again = Client().get(path, follow=True)
    assert USED_UP in again.content.decode()


def test_a_link_does_not_work_after_24_hours(clinic):
    create_account("anna", "runner", "amber-kestrel-river-42")
    path = urlsplit(reset_link("anna", "http://testserver").url).path
    with time_machine.travel(timezone.now() + timedelta(hours=24, minutes=1), tick=False):
        assert USED_UP in Client().get(path, follow=True).content.decode()


def test_a_weak_or_mismatched_password_is_refused_in_words(clinic):
    create_account("anna", "runner")
    client = Client()
    form_page = client.get(urlsplit(reset_link("anna", "http://testserver").url).path)["Location"]
    short = client.post(form_page, {"new_password1": "abc", "new_password2": "abc"}).content.decode()
    assert "The password was not set" in short and "too short" in short
    other = client.post(form_page, {"new_password1": NEW, "new_password2": NEW + "x"}).content.decode()
    assert "The two passwords are not the same" in other
    _ = client.post(form_page, {"new_password1": NEW, "new_password2": NEW})
    signed_in("anna", NEW)  # the link still worked after the refusals


def test_a_link_for_nobody_is_refused():
    with pytest.raises(AccountRefused, match="there is no account named 'nobody'"):
        reset_link("nobody", "http://testserver")
