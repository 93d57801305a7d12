"""Isolation of the clinician's pages (issue 15 items 4 and 6). Every URL pattern that starts with
``caseload/<int:runner_id>`` (found in the resolver, so a page added later is covered without being
named here) is asked, by GET and by POST, as a clinician about:

(a) a runner who never shared with them, (b) a runner who shared and then revoked, (c) a runner id
that does not exist, (d) a runner who shares with another clinician only;

and as a runner (about themselves and about a runner who shares with the clinician) and as an
administrator. Each answer is 404 (a 405 only for a method the page never takes, e.g. a GET of a
POST-only page: its clinician gets the same 405 about a shared runner, so it says nothing about the
id), shows nothing of the runner, and changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from backstride.services import sharing
from backstride.storage.models import AccessLogEntry, CareLink, ClinicalNote, DiaryEntry, PlanAdjustment

from .caseload_world import day_ago, share
from .conftest import account, signed_in

pytestmark = [pytest.mark.clinic, pytest.mark.django_db, pytest.mark.postgres_ok]

PREFIX = "caseload/<int:runner_id>"
MARKER = "Kv4-runner-marker"
POST_BODY = {"text": f"Note {MARKER}", "kind": "note", "note": MARKER, "exercise_id": "bird-dog"}


def _runner_patterns(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(name, route) of every pattern whose route starts with PREFIX."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from _runner_patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and (prefix + str(entry.pattern)).startswith(PREFIX):
            assert entry.name, entry.pattern
            yield entry.name, prefix + str(entry.pattern)


PATTERNS = sorted(_runner_patterns())


def test_the_clinicians_pages_are_found():
    names = {name for name, _ in PATTERNS}
    assert {"clinic_runner", "clinic_report", "clinic_report_pdf", "clinic_notes"} <= names


def _url(name: str, runner_id: int, adjustment_id: int) -> str:
    """The pattern's URL about ``runner_id``; any other number in it names the runner's adjustment."""
    pattern = next(route for pattern_name, route in PATTERNS if pattern_name == name)
    kwargs: dict[str, Any] = {"runner_id": runner_id}
    if "<int:adjustment_id>" in pattern:
        kwargs["adjustment_id"] = adjustment_id
    return reverse(name, kwargs=kwargs)


def _state() -> dict[str, object]:
    """What a page could change: notes, adjustments, sharing, the diary (not the access log, which
    the shared runner's own page writes)."""
    return {
        "notes": list(ClinicalNote.objects.order_by("pk").values()),
        "adjustments": list(PlanAdjustment.objects.order_by("pk").values()),
        "links": list(CareLink.objects.order_by("pk").values()),
        "diary": list(DiaryEntry.objects.order_by("pk").values()),
    }


def _marked(runner: User, clinician: User) -> int:
    """A runner whose records carry MARKER, with a plan adjustment by ``clinician``; its id."""
    entry = day_ago(runner, 1, 3)
    entry.note = MARKER
    entry.save(update_fields=["note"])
    adjustment = PlanAdjustment.objects.create(
        runner=runner,
        clinician=clinician,
        clinician_name=clinician.username,
        kind="note",
        value={"text": MARKER},
    )
    return adjustment.pk


@pytest.fixture
def world(clinic) -> dict[str, Any]:
    lee = account("dr-lee", role="clinician")
    ray = account("dr-ray", role="clinician")
    account("boss", role="clinic_admin")
    shared, never, revoked, theirs = (account(name) for name in ("shared", "never", "revoked", "theirs"))
    share(shared, lee)
    link = share(revoked, lee)
    sharing.end(revoked, link.pk)
    share(theirs, ray)
    ids = {
        runner.username: (runner.pk, _marked(runner, lee if runner is not theirs else ray))
        for runner in (shared, never, revoked, theirs)
    }
    ids["missing"] = (max(ids[name][0] for name in ids) + 1000, 999999)
    return ids


def _methods(name: str, world: dict[str, Any]) -> dict[str, int]:
    """The page's answer to each method about the shared runner, in a browser of its own (a message
    its POST leaves, e.g. "Added: <text>", is shown on that browser's next page)."""
    probe = signed_in("dr-lee")
    return {
        method: response.status_code for method, response in _answers(probe, _url(name, *world["shared"]))
    }


def _answers(client: Any, url: str) -> Iterator[tuple[str, Any]]:
    yield "GET", client.get(url)
    yield "POST", client.post(url, POST_BODY)


@pytest.mark.parametrize("name", [name for name, _ in PATTERNS])
def test_a_clinician_finds_no_runner_who_does_not_share_with_them(world, name):
    lee = signed_in("dr-lee")
    allowed = _methods(name, world)
    before = _state()
    logged = AccessLogEntry.objects.count()
    for case in ("never", "revoked", "missing", "theirs"):
        url = _url(name, *world[case])
        for method, response in _answers(lee, url):
            expected = {404, 405} if allowed[method] == 405 else {404}
            assert response.status_code in expected, (case, method, url, response.status_code)
            assert response.status_code == 404 or allowed[method] == 405
            assert MARKER.encode() not in response.content, (case, method, url)
    assert _state() == before
    assert AccessLogEntry.objects.count() == logged  # nothing is logged about a runner not seen


@pytest.mark.parametrize("name", [name for name, _ in PATTERNS])
def test_a_runner_and_an_administrator_find_none_of_these_pages(world, name):
    allowed = _methods(name, world)
    before = _state()
    for username, cases in (
        ("shared", ("shared",)),
        ("boss", ("shared", "theirs")),
        ("theirs", ("theirs", "shared")),
    ):
        client = signed_in(username)
        for case in cases:
            url = _url(name, *world[case])
            for method, response in _answers(client, url):
                # 405 only for a method the page never takes (the same answer whatever the id)
                expected = {404, 405} if allowed[method] == 405 else {404}
                assert response.status_code in expected, (username, case, method, url, response.status_code)
                assert MARKER.encode() not in response.content
    assert _state() == before


def test_revoking_ends_access_at_the_next_request(world):
    allowed = {name: _methods(name, world) for name, _ in PATTERNS}
    lee = signed_in("dr-lee")
    runner_id = world["shared"][0]
    assert lee.get(f"/caseload/{runner_id}/").status_code == 200
    link = CareLink.objects.get(runner_id=runner_id, ended_at__isnull=True)
    sharing.end(User.objects.get(pk=runner_id), link.pk)
    for name, _ in PATTERNS:
        for method, response in _answers(lee, _url(name, runner_id, world["shared"][1])):
            expected = {404, 405} if allowed[name][method] == 405 else {404}
            assert response.status_code in expected, (name, method, response.status_code)
    assert "shared" not in lee.get("/caseload/").content.decode()
