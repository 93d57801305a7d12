"""Consent-based sharing (issue 15 item 3): invite links both ways, used once; the runner sees who
sees their records and every look; stopping ends a clinician's access on their very next request."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from click.testing import CliRunner
from django.utils import timezone

from backstride.cli import main
from backstride.services import access_log, sharing
from backstride.storage.models import CareInvite, CareLink

from .conftest import account, signed_in

pytestmark = [pytest.mark.clinic, pytest.mark.django_db, pytest.mark.postgres_ok]
BASE = "http://testserver"


def _token(url: str) -> str:
    return url.rstrip("/").rsplit("/invite/", 1)[1]


def _invite_url_on(page: str) -> str:
    found = re.search(r'value="(http://testserver/invite/[^"]+)"', page)
    assert found, page[:2000]
    return found.group(1)


def test_a_clinicians_invite_accepted_by_a_runner_shares_that_runner_only(clinic):
    lee, anna, ben = account("lee", "clinician"), account("anna"), account("ben")
    made = sharing.make_invite(lee, BASE)
    sharing.accept(anna, _token(made.url))
    assert sharing.shared_runner(lee, anna.pk) == anna
    with pytest.raises(sharing.NotShared):
        sharing.shared_runner(lee, ben.pk)
    with pytest.raises(sharing.NotShared):
        sharing.shared_runner(lee, 999_999)
    assert [s.clinician_name for s in sharing.clinicians_of(anna)] == ["lee"]
    assert [line.words for line in access_log.entries_for(anna)] == ["lee started seeing your records"]


def test_an_invite_works_once_and_only_for_the_other_side(clinic):
    lee, kim = account("lee", "clinician"), account("kim", "clinician")
    anna, ben = account("anna"), account("ben")
    token = _token(sharing.make_invite(lee, BASE).url)
    with pytest.raises(sharing.InviteRefused, match="for a runner"):
        sharing.accept(kim, token)
    with pytest.raises(sharing.InviteRefused, match="your own invite"):
        sharing.accept(lee, token)
    sharing.accept(anna, token)
    with pytest.raises(sharing.InviteRefused, match="used already"):
        sharing.accept(ben, token)
    with pytest.raises(sharing.InviteRefused, match="not known"):
        sharing.accept(ben, token + "x")
    assert not CareLink.objects.filter(runner=ben).exists()
    assert not CareInvite.objects.filter(token_sha256__contains=token).exists()  # only its hash is kept


def test_an_invite_runs_out_after_a_week(clinic):
    lee, anna = account("lee", "clinician"), account("anna")
    token = _token(sharing.make_invite(lee, BASE).url)
    invite = CareInvite.objects.get()
    assert invite.expires_at - invite.created_at == timedelta(days=sharing.INVITE_DAYS)
    CareInvite.objects.update(expires_at=timezone.now() - timedelta(minutes=1))  # a week later
    with pytest.raises(sharing.InviteRefused, match="ran out after 7 days"):
        sharing.accept(anna, token)


def test_a_runner_shares_with_several_clinicians_and_ends_one(clinic):
    lee, kim, anna = account("lee", "clinician"), account("kim", "clinician"), account("anna")
    sharing.accept(lee, _token(sharing.make_invite(anna, BASE).url))  # the runner invites
    sharing.accept(kim, _token(sharing.make_invite(anna, BASE).url))
    assert {s.clinician_name for s in sharing.clinicians_of(anna)} == {"lee", "kim"}
    link = next(s for s in sharing.clinicians_of(anna) if s.clinician_name == "lee")
    with pytest.raises(sharing.NotShared):
        sharing.end(kim, link.link_id)  # another clinician cannot end it
    sharing.end(anna, link.link_id)
    with pytest.raises(sharing.NotShared):
        sharing.shared_runner(lee, anna.pk)
    assert sharing.shared_runner(kim, anna.pk) == anna
    # Shared again later: a new link, the old one kept in the runner's history.
    sharing.accept(anna, _token(sharing.make_invite(lee, BASE).url))
    assert len(sharing.clinicians_of(anna, include_ended=True)) == 3


def test_the_access_log_does_not_repeat_a_reload_but_keeps_each_kind(clinic):
    lee, anna = account("lee", "clinician"), account("anna")
    for _ in range(5):
        access_log.record(lee, anna, "timeline")
    access_log.record(lee, anna, "plan_changed", "removed an exercise")
    access_log.record(lee, anna, "plan_changed", "removed an exercise")
    actions = [line.action for line in access_log.entries_for(anna)]
    assert actions.count("timeline") == 1 and actions.count("plan_changed") == 2


def test_the_runner_shares_from_the_web_and_revoking_ends_access_at_once(clinic):
    lee, anna = account("lee", "clinician"), account("anna")
    runner, clinician = signed_in("anna"), signed_in("lee")
    page = runner.get("/sharing/").content.decode()
    assert "Nobody: your records are yours alone." in page
    made = runner.post("/sharing/invite/")
    assert made.status_code == 200
    url = _invite_url_on(made.content.decode())
    shown = clinician.get(url.removeprefix(BASE))
    assert shown.status_code == 200 and "anna" in shown.content.decode()
    accepted = clinician.post(url.removeprefix(BASE))
    assert accepted.status_code == 302 and accepted["Location"] == "/caseload/"
    assert sharing.shared_runner(lee, anna.pk) == anna
    page = runner.get("/sharing/").content.decode()
    assert "<strong>lee</strong>" in page and "lee started seeing your records" in page
    link = CareLink.objects.get(runner=anna, clinician=lee)
    # Another runner cannot end it; the runner can.
    account("ben")
    assert signed_in("ben").post(f"/sharing/{link.pk}/end/").status_code == 404
    ended = runner.post(f"/sharing/{link.pk}/end/")
    assert ended.status_code == 302
    with pytest.raises(sharing.NotShared):
        sharing.shared_runner(lee, anna.pk)
    page = runner.get("/sharing/").content.decode()
    assert "lee no longer sees your records." in page and "Sharing you stopped" in page
    assert "lee stopped seeing your records" in page


def test_a_clinician_invites_from_the_caseload_and_the_runner_accepts(clinic):
    account("lee", "clinician")
    anna = account("anna")
    clinician, runner = signed_in("lee"), signed_in("anna")
    made = clinician.post("/caseload/invite/")
    assert made.status_code == 200
    url = _invite_url_on(made.content.decode()).removeprefix(BASE)
    assert "lee</strong> asks to see your records" in runner.get(url).content.decode()
    accepted = runner.post(url)
    assert accepted.status_code == 302 and accepted["Location"] == "/sharing/"
    again = runner.post(url)
    assert again.status_code == 400 and "used already" in again.content.decode()
    assert [s.clinician_name for s in sharing.clinicians_of(anna)] == ["lee"]
    # A runner cannot make a clinician's invite; a clinician has no Sharing page.
    assert runner.post("/caseload/invite/").status_code == 404
    assert clinician.get("/sharing/").status_code == 404


def test_an_invite_link_needs_a_signed_in_account(clinic):
    lee = account("lee", "clinician")
    url = sharing.make_invite(lee, BASE).url.removeprefix(BASE)
    from django.test import Client

    response = Client().get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=")


def test_sharing_pages_do_not_exist_in_local_mode(client):
    assert client.get("/sharing/").status_code == 404
    assert client.post("/sharing/invite/").status_code == 404
    assert client.post("/caseload/invite/").status_code == 404
    assert "Sharing" not in client.get("/more/").content.decode()


def test_sharing_from_the_command_line(clinic):
    clinic.ALLOWED_HOSTS = ["clinic.example", "testserver"]
    account("lee", "clinician")
    anna = account("anna")
    cli = CliRunner()
    made = cli.invoke(main, ["sharing", "invite", "--as", "lee", "--format", "json"])
    assert made.exit_code == 0, made.output
    url = json.loads(made.output)["url"]
    accepted = cli.invoke(main, ["sharing", "accept", url, "--as", "anna", "--format", "json"])
    assert accepted.exit_code == 0, accepted.output
    assert json.loads(accepted.output)["clinician_name"] == "lee"
    listed = json.loads(cli.invoke(main, ["sharing", "list", "--as", "lee", "--format", "json"]).output)
    assert [s["runner_name"] for s in listed["sharings"]] == ["anna"]
    link_id = listed["sharings"][0]["link_id"]
    wrong = cli.invoke(main, ["sharing", "log", "--as", "lee"])
    assert wrong.exit_code == 2 and "lee is a clinician" in wrong.output
    ended = cli.invoke(main, ["sharing", "end", str(link_id), "--as", "anna"])
    assert ended.exit_code == 0 and "lee no longer sees the records of anna" in ended.output
    log = json.loads(cli.invoke(main, ["sharing", "log", "--as", "anna", "--format", "json"]).output)
    assert [entry["action"] for entry in log["entries"]] == ["sharing_ended", "sharing_started"]
    assert not sharing.clinicians_of(anna)


def test_sharing_commands_refuse_in_local_mode():
    result = CliRunner().invoke(main, ["sharing", "list", "--as", "anna"])
    assert result.exit_code == 2 and "sharing list is for clinic mode" in result.output
