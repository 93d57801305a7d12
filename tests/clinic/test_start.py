"""Clinic mode refuses to start without its three variables and says, in one message, which are
missing and how to set each; with them (and PostgreSQL) it starts and asks everyone to sign in."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest
from tests.databases import CLI, ON_POSTGRES, cli_env, fresh_database, run_cli

from backstride import modes
from backstride.config import StartupError

pytestmark = pytest.mark.clinic

PG_URL = "postgresql://backstride:secret@127.0.0.1:5432/backstride"
KEY = "k" * 60
HOSTS = "clinic.example,127.0.0.1"
VARIABLES = {"BACKSTRIDE_DB": PG_URL, "BACKSTRIDE_SECRET_KEY": KEY, "BACKSTRIDE_ALLOWED_HOSTS": HOSTS}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def clinic_env(tmp_path, **variables: str) -> dict[str, str]:
    env = cli_env(tmp_path, PYTHONUNBUFFERED="1")
    for name in (*VARIABLES, "BACKSTRIDE_MODE", "BACKSTRIDE_TLS"):
        env.pop(name, None)
    env.update(variables)
    return env


def test_without_any_variable_one_message_names_all_three_and_how_to_set_them(tmp_path):
    done = run_cli(["serve", "--clinic", "--port", str(free_port())], clinic_env(tmp_path))
    assert done.returncode == 2
    assert "clinic mode cannot start: 3 settings are missing" in done.stderr
    for name in VARIABLES:
        assert f"{name} is not set" in done.stderr
        assert f"export {name}=" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("missing", list(VARIABLES))
def test_each_missing_variable_is_named_alone(tmp_path, missing):
    given = {name: value for name, value in VARIABLES.items() if name != missing}
    done = run_cli(["serve", "--clinic"], clinic_env(tmp_path, **given))
    assert done.returncode == 2
    assert "1 setting is missing" in done.stderr
    assert f"{missing} is not set" in done.stderr
    assert [name for name in VARIABLES if f"{name} is not set" in done.stderr] == [missing]


def test_the_mode_variable_refuses_for_every_command_not_only_serve(tmp_path):
    done = run_cli(["history"], clinic_env(tmp_path, BACKSTRIDE_MODE="clinic"))
    assert done.returncode == 2
    assert "BACKSTRIDE_SECRET_KEY is not set" in done.stderr


@pytest.mark.parametrize(
    ("variable", "value", "words"),
    [
        ("BACKSTRIDE_DB", "sqlite:///tmp/x.sqlite3", "'sqlite', not PostgreSQL"),
        ("BACKSTRIDE_SECRET_KEY", "short", "has 5 characters: it needs 50 or more"),
        ("BACKSTRIDE_ALLOWED_HOSTS", "*", "contains '*'"),
        ("BACKSTRIDE_ALLOWED_HOSTS", " , ", "BACKSTRIDE_ALLOWED_HOSTS is not set"),
    ],
)
def test_an_unusable_value_is_refused_in_words(variable, value, words):
    environ = {**VARIABLES, variable: value}
    with pytest.raises(StartupError) as refused:
        modes.clinic_environment(environ)
    assert words in str(refused.value)
    assert refused.value.exit_code == 2


def test_an_unknown_mode_is_refused():
    with pytest.raises(StartupError, match="is not a mode: use local"):
        modes.current_mode({"BACKSTRIDE_MODE": "clnic"})
    assert modes.current_mode({}) == "local"
    assert modes.current_mode({"BACKSTRIDE_MODE": "Clinic"}) == "clinic"


def test_tls_turns_on_with_the_variable_only():
    assert modes.clinic_environment(VARIABLES).tls is False
    assert modes.clinic_environment({**VARIABLES, "BACKSTRIDE_TLS": "1"}).tls is True


def _get(port: int, path: str, timeout: float = 60) -> tuple[int, dict[str, str], str]:
    """Status, headers and body, without following redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    deadline = time.monotonic() + timeout
    while True:
        try:
            with opener.open(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


@pytest.mark.skipif(not ON_POSTGRES, reason="needs scripts/with-postgres.sh")
def test_with_the_three_variables_it_starts_on_postgresql_and_every_page_asks_to_sign_in(tmp_path):
    port = free_port()
    with fresh_database("postgresql", tmp_path) as url:
        env = clinic_env(tmp_path, **{**VARIABLES, "BACKSTRIDE_DB": url})
        server = subprocess.Popen(
            [*CLI, "serve", "--clinic", "--port", str(port), "--processes", "1"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            status, _, body = _get(port, "/login/")
            assert status == 200 and "Sign in" in body
            status, headers, _ = _get(port, "/today/")
            assert status == 302 and headers["Location"] == "/login/?next=/today/"
            status, headers, _ = _get(port, "/manifest.webmanifest")
            assert status == 200
            assert headers["X-Frame-Options"] == "DENY"
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.kill(server.pid, signal.SIGTERM)
            out, err = server.communicate(timeout=20)
        assert "running in clinic mode at" in out, err
        assert "wait for `backstride worker`" in out  # a clinic's jobs go to the queue by default


SHOW_SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(*(s.MODE, s.DEBUG, ','.join(s.ALLOWED_HOSTS), s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
    "s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_AGE, s.PASSWORD_HASHERS[0]))"
)


@pytest.mark.parametrize("tls", ["1", ""])
def test_clinic_settings_never_debug_and_secure_cookies_and_hsts_behind_tls(tmp_path, tls):
    env = clinic_env(tmp_path, **VARIABLES, BACKSTRIDE_MODE="clinic", BACKSTRIDE_TLS=tls)
    env["BACKSTRIDE_DEBUG"] = "1"  # ignored in clinic mode
    env["DJANGO_SETTINGS_MODULE"] = "backstride.web.settings"
    shown = subprocess.run(
        [CLI[0], "-c", SHOW_SETTINGS], env=env, capture_output=True, text=True, timeout=120, check=True
    ).stdout.split()
    mode, debug, hosts, secure, csrf_secure, hsts, httponly, age, hasher = shown
    assert (mode, debug, hosts) == ("clinic", "False", "clinic.example,127.0.0.1")
    assert (secure, csrf_secure) == (("True", "True") if tls else ("False", "False"))
    assert hsts == ("31536000" if tls else "0")
    assert (httponly, age) == ("True", str(12 * 3600))
    assert hasher == "django.contrib.auth.hashers.Argon2PasswordHasher"
