"""Two-step sign-in for clinic staff (issue 15, optional): set up with a code from the app, then every
sign-in asks for a code before any page; wrong codes are refused and slowed down; an administrator
turns it off for a lost phone."""

from __future__ import annotations

import re
from base64 import b32decode

import pytest
from click.testing import CliRunner
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from backstride.cli import main
from backstride.services import two_factor

from .conftest import account, signed_in

pytestmark = [pytest.mark.clinic, pytest.mark.django_db, pytest.mark.postgres_ok]
STEP = 30


def _code(secret: str, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows (a later step's: each step's code works only once)."""
    return f"{totp(b32decode(secret), step=STEP, t0=-STEP * steps_ahead):06d}"


def _turn_on(client) -> str:
    page = client.post("/account/two-step/", {"action": "start"}).content.decode()
    secret = re.search(r'<p class="secret-key">([A-Z2-7=]+)</p>', page).group(1)
    qr = page[page.index('<div class="qr-code">') :]
    assert qr.index("<svg") < qr.index("</div>") and "<script" not in qr[: qr.index("</div>")]  # drawn inline
    done = client.post("/account/two-step/", {"action": "confirm", "code": _code(secret)})
    assert done.status_code == 302
    return secret


def test_a_clinician_turns_it_on_and_the_next_sign_in_asks_for_a_code(clinic):
    lee = account("lee", "clinician")
    client = signed_in("lee")
    assert "Off." in client.get("/account/two-step/").content.decode()
    secret = _turn_on(client)
    assert two_factor.is_on(lee)
    assert "On." in client.get("/account/two-step/").content.decode()  # this session showed a code
    fresh = signed_in("lee")  # the password alone
    to_code = fresh.get("/caseload/")
    assert to_code.status_code == 302 and to_code["Location"].startswith("/login/code/?next=/caseload/")
    assert fresh.get("/account/two-step/").status_code == 302
    wrong = fresh.post("/login/code/", {"code": "000000", "next": "/caseload/"})
    assert wrong.status_code == 400 and "that code does not match" in wrong.content.decode().lower()
    assert 'value="/caseload/"' in wrong.content.decode()  # where it was going is kept
    assert fresh.get("/caseload/").status_code == 302
    TOTPDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    right = fresh.post("/login/code/", {"code": _code(secret, 1), "next": "/caseload/"})
    assert right.status_code == 302 and right["Location"] == "/caseload/"
    assert fresh.get("/caseload/").status_code == 200


def test_wrong_codes_are_slowed_down(clinic):
    account("lee", "clinician")
    client = signed_in("lee")
    secret = _turn_on(client)
    fresh = signed_in("lee")
    fresh.post("/login/code/", {"code": "111111"})
    slowed = fresh.post("/login/code/", {"code": _code(secret, 1)})  # right, but too soon after a wrong one
    assert slowed.status_code == 400 and "too many wrong codes: wait" in slowed.content.decode().lower()


def test_the_code_page_does_not_redirect_elsewhere(clinic):
    account("lee", "clinician")
    secret = _turn_on(signed_in("lee"))
    fresh = signed_in("lee")
    done = fresh.post("/login/code/", {"code": _code(secret, 1), "next": "https://evil.example/"})
    assert done.status_code == 302 and done["Location"] == "/"


def test_runners_have_no_two_step_page_and_are_never_asked(clinic):
    account("anna")
    runner = signed_in("anna")
    assert runner.get("/account/two-step/").status_code == 404
    assert runner.get("/today/").status_code == 200


def test_turning_it_off_needs_a_current_code(clinic):
    lee = account("lee", "clinician")
    client = signed_in("lee")
    secret = _turn_on(client)
    refused = client.post("/account/two-step/", {"action": "off", "code": "123456"})
    assert refused.status_code == 400 and two_factor.is_on(lee)
    TOTPDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    client.post("/account/two-step/", {"action": "off", "code": _code(secret, 1)})
    assert not two_factor.is_on(lee)


def test_an_administrator_turns_it_off_for_a_lost_phone(clinic):
    lee = account("lee", "clinician")
    _turn_on(signed_in("lee"))
    result = CliRunner().invoke(main, ["reset-two-factor", "lee"])
    assert result.exit_code == 0 and "Two-step sign-in is off for lee" in result.output
    assert not two_factor.is_on(lee)
    assert signed_in("lee").get("/caseload/").status_code == 200
    again = CliRunner().invoke(main, ["reset-two-factor", "lee"])
    assert "had no two-step sign-in" in again.output


def test_two_step_pages_do_not_exist_in_local_mode(client):
    assert client.get("/account/two-step/").status_code == 404
    assert client.get("/login/code/").status_code == 404
