"""Two-step sign-in for clinic staff (issue 15, optional): after the password, a 6-digit code from an
authenticator app (TOTP, RFC 6238, with django-otp). A clinician or administrator turns it on for their
own account; from then on every sign-in asks for a code before any page.

The code is checked by django-otp's TOTPDevice, which also slows down guessing: each wrong code doubles
the wait before the next may be tried. A lost phone is handled by an administrator on the server
(`backstride reset-two-factor USERNAME`), never by a link that anyone could use."""

from __future__ import annotations

import base64
from dataclasses import dataclass

import django_otp
from django.contrib.auth.models import User
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from backstride.services.accounts import role_of
from backstride.services.errors import BackstrideError
from backstride.storage.models import Role

STAFF = (Role.CLINICIAN, Role.CLINIC_ADMIN)


class CodeRefused(BackstrideError):
    """A code that does not match, or tried too soon after wrong ones; the message says what to do."""

    exit_code = 2


@dataclass(frozen=True)
class Setup:
    secret: str  # base32, for typing into the app by hand
    uri: str  # otpauth://... for the QR code


def may_use(user: User) -> bool:
    return role_of(user) in STAFF


def is_on(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def start(user: User) -> Setup:
    """A new secret for the app, not in force until a code from it is typed (``confirm``)."""
    if not may_use(user):
        raise CodeRefused("two-step sign-in is for clinicians and administrators")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=False)
    return _setup(device)


def pending(user: User) -> Setup | None:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    return None if device is None else _setup(device)


def _setup(device: TOTPDevice) -> Setup:
    secret = base64.b32encode(device.bin_key).decode()
    return Setup(secret=secret, uri=device.config_url)  # names the app through OTP_TOTP_ISSUER


def _checked(device: TOTPDevice, code: str) -> None:
    allowed, details = device.verify_is_allowed()
    if not allowed:
        wait = 2 ** max(0, int((details or {}).get("failure_count", 1)) - 1)
        raise CodeRefused(f"too many wrong codes: wait {wait} seconds, then type the code your app shows now")
    digits = "".join(code.split())
    if not (digits.isdigit() and len(digits) == 6) or not device.verify_token(digits):
        raise CodeRefused(
            "that code does not match: type the 6 digits your authenticator app shows now "
            "(check the phone's clock is right)"
        )


def confirm(user: User, code: str) -> None:
    """Put the new secret in force once a code from the app matches; the old one (if any) ends."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        raise CodeRefused("start the set-up first: a new secret is made for your app")
    _checked(device, code)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])


def sign_in_with_code(request: HttpRequest, user: User, code: str) -> None:
    """The second step of signing in: the session counts as verified from now on."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return
    _checked(device, code)
    django_otp.login(request, device)


def remember_passed(request: HttpRequest, user: User) -> None:
    """This session has just shown a code (setting it up): it is not asked again until sign-out."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        django_otp.login(request, device)


def passed(session: SessionBase, user: User) -> bool:
    """Has this session done the second step (or does the account not need one)?"""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device is None or session.get(django_otp.DEVICE_ID_SESSION_KEY) == device.persistent_id


def turn_off(user: User, code: str | None = None) -> bool:
    """End two-step sign-in: with a current code from the person, or without one by an administrator
    on the server. True when it was on."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None and code is not None:
        _checked(device, code)
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    return device is not None and deleted > 0
