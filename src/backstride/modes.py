"""Local mode or clinic mode, and what clinic mode needs from the environment before it may start.

Local mode (the default) is one runner on their own computer: SQLite, no login, 127.0.0.1 only.
Clinic mode (BACKSTRIDE_MODE=clinic, or `backstride serve --clinic`) is one server for a clinic's
staff and runners: PostgreSQL, accounts with passwords, a secret key and host names given by whoever
runs it. Nothing here imports Django: the settings module reads it."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from backstride.config import DB_ENV, StartupError

MODE_ENV = "BACKSTRIDE_MODE"
SECRET_KEY_ENV = "BACKSTRIDE_SECRET_KEY"
ALLOWED_HOSTS_ENV = "BACKSTRIDE_ALLOWED_HOSTS"
TLS_ENV = "BACKSTRIDE_TLS"
LOCAL = "local"
CLINIC = "clinic"
MODES = (LOCAL, CLINIC)
MIN_SECRET_KEY_CHARS = 50  # Django's own check (security.W009) asks for at least 50 characters

# How to set each variable, said the same way wherever it is missing or unusable.
HOW_TO_SET = {
    DB_ENV: f"export {DB_ENV}=postgresql://backstride:PASSWORD@127.0.0.1:5432/backstride",
    SECRET_KEY_ENV: (
        f"export {SECRET_KEY_ENV}=\"$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')\""
        " (keep it secret, and the same on every machine of the clinic)"
    ),
    ALLOWED_HOSTS_ENV: f"export {ALLOWED_HOSTS_ENV}=backstride.example-clinic.org,10.0.0.5",
}


def current_mode(environ: Mapping[str, str] = os.environ) -> str:
    """ "local" or "clinic"; any other value of BACKSTRIDE_MODE cannot start (exit 2)."""
    mode = environ.get(MODE_ENV, "").strip().lower() or LOCAL
    if mode not in MODES:
        raise StartupError(
            f"{MODE_ENV}={environ.get(MODE_ENV)!r} is not a mode: use local (the default) or clinic", 2
        )
    return mode


@dataclass(frozen=True)
class ClinicEnvironment:
    database_url: str
    secret_key: str
    allowed_hosts: list[str]
    tls: bool  # served over HTTPS (behind a proxy that terminates TLS): secure cookies and HSTS


def clinic_environment(environ: Mapping[str, str] = os.environ) -> ClinicEnvironment:
    """The three variables clinic mode cannot start without, or one StartupError that lists every
    one that is missing or unusable and how to set it (exit 2)."""
    problems: list[tuple[str, str]] = []
    url = environ.get(DB_ENV, "").strip()
    if not url:
        problems.append((DB_ENV, "is not set: give the clinic's PostgreSQL database URL"))
    elif not url.startswith(("postgresql://", "postgres://")):
        scheme = url.partition("://")[0] or url[:20]
        problems.append((DB_ENV, f"is {scheme!r}, not PostgreSQL: clinic mode keeps its data in PostgreSQL"))
    key = environ.get(SECRET_KEY_ENV, "").strip()
    if not key:
        problems.append((SECRET_KEY_ENV, "is not set: give a long random secret"))
    elif len(key) < MIN_SECRET_KEY_CHARS:
        short = f"has {len(key)} characters: it needs {MIN_SECRET_KEY_CHARS} or more"
        problems.append((SECRET_KEY_ENV, short))
    hosts = [host.strip() for host in environ.get(ALLOWED_HOSTS_ENV, "").split(",") if host.strip()]
    if not hosts:
        missing = "is not set: give the names the clinic's browsers use, comma-separated"
        problems.append((ALLOWED_HOSTS_ENV, missing))
    elif "*" in hosts:
        problems.append((ALLOWED_HOSTS_ENV, "contains '*': name each host the clinic uses"))
    if problems:
        lines = [f"  {name} {problem}; e.g. {HOW_TO_SET[name]}" for name, problem in problems]
        count = "1 setting is" if len(problems) == 1 else f"{len(problems)} settings are"
        raise StartupError(
            f"clinic mode cannot start: {count} missing or unusable:\n" + "\n".join(lines), exit_code=2
        )
    return ClinicEnvironment(
        database_url=url, secret_key=key, allowed_hosts=hosts, tls=environ.get(TLS_ENV, "").strip() == "1"
    )
