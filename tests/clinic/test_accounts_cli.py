"""`backstride createadmin`, `adduser` and `reset-link`: clinic mode only, with a reason otherwise."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from django.contrib.auth.models import User

from backstride.cli import main
from backstride.services.accounts import role_of

from .conftest import PASSWORD, account, signed_in

pytestmark = [pytest.mark.clinic, pytest.mark.django_db, pytest.mark.postgres_ok]


@pytest.fixture
def clinic_hosts(clinic):
    clinic.ALLOWED_HOSTS = ["clinic.example", "testserver"]
    return clinic


@pytest.mark.parametrize(
    "args", [["createadmin"], ["adduser", "anna"], ["reset-link", "anna"]], ids=lambda a: a[0]
)
def test_local_mode_refuses_with_a_reason(args):
    result = CliRunner().invoke(main, args, input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 2
    assert f"{args[0]} is for clinic mode: local mode has one user, who never signs in" in result.output
    assert "BACKSTRIDE_MODE=clinic" in result.output
    assert not User.objects.exclude(username="local").exists()


def test_createadmin_asks_for_the_password_twice(clinic_hosts):
    result = CliRunner().invoke(main, ["createadmin"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "Made the clinic administrator admin" in result.output
    admin = User.objects.get(username="admin")
    assert role_of(admin) == "clinic_admin"
    assert admin.password.startswith("argon2$")
    signed_in("admin")


def test_createadmin_reads_the_password_from_the_environment_for_scripts(clinic_hosts, monkeypatch):
    monkeypatch.setenv("BACKSTRIDE_ADMIN_PASSWORD", PASSWORD)
    result = CliRunner().invoke(main, ["createadmin", "--username", "boss"])
    assert result.exit_code == 0, result.output
    assert role_of(User.objects.get(username="boss")) == "clinic_admin"
    again = CliRunner().invoke(main, ["createadmin", "--username", "boss"])
    assert again.exit_code == 2
    assert "there is already an account named 'boss'" in again.output


def test_createadmin_refuses_a_weak_password(clinic_hosts, monkeypatch):
    monkeypatch.setenv("BACKSTRIDE_ADMIN_PASSWORD", "12345")
    result = CliRunner().invoke(main, ["createadmin"])
    assert result.exit_code == 2
    assert "that password cannot be used" in result.output and "too short" in result.output
    assert not User.objects.filter(username="admin").exists()


def test_adduser_prints_a_link_that_sets_the_password(clinic_hosts):
    result = CliRunner().invoke(main, ["adduser", "dr-lee", "--role", "clinician"])
    assert result.exit_code == 0, result.output
    assert "Made the account dr-lee (clinician)." in result.output
    url = next(line for line in result.output.splitlines() if line.startswith("http"))
    assert url.startswith("http://clinic.example:8000/reset/")
    assert role_of(User.objects.get(username="dr-lee")) == "clinician"
    assert not User.objects.get(username="dr-lee").has_usable_password()


def test_reset_link_prints_json_with_its_expiry(clinic_hosts):
    account("anna")
    result = CliRunner().invoke(
        main, ["reset-link", "anna", "--base-url", "https://backstride.clinic.example", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["username"] == "anna"
    assert urlsplit(data["url"]).netloc == "backstride.clinic.example"
    assert data["expires_at"]
    missing = CliRunner().invoke(main, ["reset-link", "nobody"])
    assert missing.exit_code == 2 and "there is no account named 'nobody'" in missing.output
