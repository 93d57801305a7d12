"""Clinic mode's accounts from the command line: `createadmin` (the first administrator), `adduser`
(an account and a link for its owner to set a password) and `reset-link` (a new one-time link).
No e-mail server is assumed: the administrator hands each link to its owner. All three refuse in
local mode, which has one user and no passwords."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import click

from backstride import bootstrap, modes
from backstride.cli.common import FORMAT, emit_json

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from backstride.services.accounts import ResetLink

ADMIN_PASSWORD_ENV = "BACKSTRIDE_ADMIN_PASSWORD"
BASE_URL_ENV = "BACKSTRIDE_BASE_URL"
ROLES = ("runner", "clinician", "clinic_admin")  # storage.models.Role (Django is not set up yet here)


class Refused(click.ClickException):
    """Bad input or the wrong mode: exit 2, nothing was made."""

    exit_code = 2


def require_clinic_mode(command: str) -> None:
    from django.conf import settings

    if settings.MODE != modes.CLINIC:
        raise Refused(
            f"{command} is for clinic mode: local mode has one user, who never signs in. For a clinic, "
            f"set {modes.MODE_ENV}=clinic with BACKSTRIDE_DB, {modes.SECRET_KEY_ENV} and "
            f"{modes.ALLOWED_HOSTS_ENV} (README: Run it for a clinic)"
        )


def default_base_url() -> str:
    """Where the clinic's browsers reach backstride: the first allowed host, https behind TLS."""
    from django.conf import settings

    host = settings.ALLOWED_HOSTS[0].lstrip(".")
    return f"https://{host}" if settings.SESSION_COOKIE_SECURE else f"http://{host}:8000"


BASE_URL = click.option(
    "--base-url",
    envvar=BASE_URL_ENV,
    metavar="URL",
    help=f"Where the clinic opens backstride (also {BASE_URL_ENV}); default: the first allowed host.",
)


def print_link(link: ResetLink, fmt: str, made: str = "") -> None:
    if fmt == "json":
        emit_json({"username": link.username, "url": link.url, "expires_at": link.expires_at.isoformat()})
        return
    until = link.expires_at.strftime("%Y-%m-%d %H:%M UTC")
    if made:
        click.echo(made)
    click.echo(f"A link for {link.username} to set a password (works once, until {until}):")
    click.echo(link.url)
    click.echo(f"Hand it to {link.username} yourself: whoever has it can set the password.")


@click.command("createadmin")
@click.option("--username", default="admin", show_default=True, help="The administrator's username.")
def createadmin(username: str) -> None:
    """Make the clinic's first administrator (clinic mode). Asks for the password twice, or reads
    it from BACKSTRIDE_ADMIN_PASSWORD for scripts."""
    require_clinic_mode("createadmin")
    bootstrap.setup()
    from backstride.services.accounts import AccountRefused, create_account

    password = os.environ.get(ADMIN_PASSWORD_ENV) or click.prompt(
        "Password", hide_input=True, confirmation_prompt="The same password again"
    )
    try:
        user = create_account(username, "clinic_admin", password)
    except AccountRefused as error:
        raise Refused(str(error)) from None
    click.echo(f"Made the clinic administrator {user.username}: sign in at /login/ with that password.")


@click.command("adduser")
@click.argument("username")
@click.option(
    "--role", type=click.Choice(ROLES), default="runner", show_default=True, help="What the account is for."
)
@BASE_URL
@FORMAT
def adduser(username: str, role: str, base_url: str | None, fmt: str) -> None:
    """Make an account (clinic mode) and print a one-time link for its owner to set a password."""
    require_clinic_mode("adduser")
    bootstrap.setup()
    from backstride.services.accounts import AccountRefused, create_account, reset_link

    try:
        user = create_account(username, role)
    except AccountRefused as error:
        raise Refused(str(error)) from None
    link = reset_link(user.username, base_url or default_base_url())
    print_link(link, fmt, made=f"Made the account {user.username} ({role}).")


@click.command("reset-link")
@click.argument("username")
@BASE_URL
@FORMAT
def reset_link_command(username: str, base_url: str | None, fmt: str) -> None:
    """Print a one-time link that lets USERNAME set a new password (clinic mode; valid 24 hours)."""
    require_clinic_mode("reset-link")
    bootstrap.setup()
    from backstride.services.accounts import AccountRefused, reset_link

    try:
        link = reset_link(username, base_url or default_base_url())
    except AccountRefused as error:
        raise Refused(str(error)) from None
    print_link(link, fmt)


def clinic_account(command: str, username: str, roles: tuple[str, ...]) -> User:
    """The clinic account a command acts as (``--as USERNAME``), which must have one of ``roles``.
    The command line runs on the clinic's server, so whoever runs it can read the database anyway:
    it asks no password, but it refuses in local mode and names a wrong role."""
    require_clinic_mode(command)
    bootstrap.setup()
    from django.contrib.auth.models import User as UserModel

    from backstride.services.accounts import ROLE_WORDS, role_of

    user = UserModel.objects.filter(username__iexact=username.strip()).first()
    if user is None or not user.is_active:
        raise Refused(
            f"there is no account named {username!r}: check the spelling (`backstride adduser` makes one)"
        )
    role = role_of(user)
    if role not in roles:
        wanted = " or ".join(ROLE_WORDS[name].lower() for name in roles)
        raise Refused(f"{command} acts as a {wanted}; {user.username} is a {ROLE_WORDS[role].lower()}")
    return user


AS_ACCOUNT = click.option(
    "--as",
    "as_username",
    required=True,
    metavar="USERNAME",
    help="The clinic account to act as (clinic mode).",
)


@click.command("reset-two-factor")
@click.argument("username")
def reset_two_factor(username: str) -> None:
    """Turn off USERNAME's two-step sign-in (a lost phone): they sign in with the password and can set
    it up again (clinic mode)."""
    user = clinic_account("reset-two-factor", username, ("clinician", "clinic_admin"))
    from backstride.services import two_factor

    if two_factor.turn_off(user):
        click.echo(f"Two-step sign-in is off for {user.username}: they sign in with their password only.")
    else:
        click.echo(f"{user.username} had no two-step sign-in: nothing changed.")
