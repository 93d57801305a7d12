"""Clinic accounts: who may sign in and in which role, and one-time links to set a password.

No e-mail server is assumed: an administrator makes a link (`backstride reset-link`) and hands it to
the person, who sets their own password with it. A link works for 24 hours (PASSWORD_RESET_TIMEOUT)
and only once: Django's token is made from the password hash and the last sign-in, so setting the
password, or signing in, ends it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from backstride.services.errors import BackstrideError
from backstride.services.users import profile_for
from backstride.storage.models import Role

ROLE_WORDS = dict(Role.choices)


class AccountRefused(BackstrideError):
    """An account that cannot be made or found as asked; the message says what to do instead."""


def role_of(user: User) -> str:
    return profile_for(user).role


def is_runner(user: User) -> bool:
    return role_of(user) == Role.RUNNER


def is_clinician(user: User) -> bool:
    return role_of(user) == Role.CLINICIAN


def password_problems(password: str, user: User | None = None) -> list[str]:
    """What is wrong with a new password, in words (empty: it can be used)."""
    try:
        validate_password(password, user)
    except ValidationError as error:
        return list(error.messages)
    return []


def create_account(username: str, role: str, password: str | None = None) -> User:
    """A new account in ``role``. Without a password it cannot sign in until its owner sets one with
    a reset link."""
    username = username.strip()
    if role not in ROLE_WORDS:
        raise AccountRefused(f"unknown role {role!r}: choose one of {', '.join(ROLE_WORDS)}")
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        raise AccountRefused(
            f"{username!r} cannot be a username: use letters, digits and @ . + - _ only"
        ) from None
    if not username or len(username) > 150:
        raise AccountRefused("a username has 1 to 150 characters")
    if User.objects.filter(username__iexact=username).exists():
        raise AccountRefused(
            f"there is already an account named {username!r}: choose another name, or give its "
            f"owner a new password link with `backstride reset-link {username}`"
        )
    candidate = User(username=username)
    if password is not None:
        problems = password_problems(password, candidate)
        if problems:
            raise AccountRefused("that password cannot be used: " + " ".join(problems))
    try:
        with transaction.atomic():
            user = User.objects.create_user(username=username, password=password)
            profile = profile_for(user)
            profile.role = role
            profile.save(update_fields=["role"])
    except IntegrityError:  # made by another process in the meantime
        raise AccountRefused(f"there is already an account named {username!r}") from None
    return user


@dataclass(frozen=True)
class ResetLink:
    username: str
    url: str
    expires_at: datetime


def reset_link(username: str, base_url: str) -> ResetLink:
    """A one-time link that lets ``username`` set a new password (valid for 24 hours)."""
    try:
        user = User.objects.get(username__iexact=username.strip())
    except User.DoesNotExist:
        raise AccountRefused(f"there is no account named {username!r}: check the spelling") from None
    if not user.is_active:
        raise AccountRefused(f"the account {user.username!r} is switched off: it cannot sign in")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset", kwargs={"uidb64": uid, "token": token})
    expires = timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    return ResetLink(username=user.username, url=base_url.rstrip("/") + path, expires_at=expires)
