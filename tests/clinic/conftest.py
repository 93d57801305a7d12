"""Clinic mode in the test client: the settings a clinic server has (backstride.modes, settings.py),
switched on for one test; and accounts made the way `backstride adduser` makes them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from backstride.services.accounts import create_account

PASSWORD = "amber-kestrel-river-42"


@pytest.fixture
def clinic(settings):
    """Clinic mode for this test (the variables it needs at start are tested in test_start.py)."""
    settings.MODE = "clinic"
    settings.AXES_ENABLED = True
    settings.SESSION_COOKIE_AGE = 12 * 3600
    settings.SESSION_SAVE_EVERY_REQUEST = True
    return settings


def account(username: str, role: str = "runner", password: str = PASSWORD) -> User:
    return create_account(username, role, password)


def signed_in(username: str, password: str = PASSWORD) -> Client:
    """A browser that signed in through the sign-in page (so django-axes sees it)."""
    client = Client()
    response = client.post("/login/", {"username": username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return client
