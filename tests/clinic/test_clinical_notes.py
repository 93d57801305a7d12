"""A clinician's private note on a shared runner (issue 15 item 4): only its author reads it. The
runner never does (not on their pages, not in their export), nor does another clinician who shares
the same runner; the runner's access log says a note was written, never what it says."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from click.testing import CliRunner
from django.urls import reverse

from backstride.cli import main
from backstride.services.access_log import entries_for
from backstride.services.clinical_notes import MAX_CHARS
from backstride.storage.models import ClinicalNote

from .caseload_world import day_ago, share
from .conftest import account, signed_in

pytestmark = [pytest.mark.clinic, pytest.mark.django_db, pytest.mark.postgres_ok]

SECRET = "Qx9 suspect central sensitisation, discuss with GP"


@pytest.fixture
def anna(clinic):
    runner = account("anna")
    day_ago(runner, 1, 3)
    share(runner, account("dr-lee", role="clinician"))
    share(runner, account("dr-ray", role="clinician"))
    return runner


def test_a_note_is_kept_and_listed_for_its_author(anna):
    client = signed_in("dr-lee")
    url = f"/caseload/{anna.pk}/notes/"
    assert "No notes yet." in client.get(url).content.decode()
    saved = client.post(url, {"text": f"  {SECRET}\nSecond line  "})
    assert saved.status_code == 302 and saved["Location"] == url
    page = client.get(url).content.decode()
    assert f"{SECRET}<br>Second line" in page and "Note saved. Only you can read it." in page
    assert ClinicalNote.objects.get().text == f"{SECRET}\nSecond line"


def test_a_refused_note_keeps_what_was_typed_and_says_what_to_do(anna):
    client = signed_in("dr-lee")
    url = f"/caseload/{anna.pk}/notes/"
    too_long = "x" * (MAX_CHARS + 1)
    response = client.post(url, {"text": too_long})
    page = response.content.decode()
    assert response.status_code == 400 and too_long in page
    assert f"Note has {MAX_CHARS + 1} characters; a note holds at most {MAX_CHARS}" in page
    assert 'aria-invalid="true"' in page
    empty = client.post(url, {"text": "   "})
    assert (
        empty.status_code == 400 and "Note is empty: type the note, then save it." in empty.content.decode()
    )
    assert not ClinicalNote.objects.exists()


def test_only_the_author_reads_a_note(anna):
    signed_in("dr-lee").post(f"/caseload/{anna.pk}/notes/", {"text": SECRET})
    other = signed_in("dr-ray")
    for url in (f"/caseload/{anna.pk}/notes/", f"/caseload/{anna.pk}/", "/caseload/"):
        response = other.get(url)
        assert response.status_code == 200 and SECRET not in response.content.decode(), url


def test_the_runner_never_sees_a_note_only_that_one_was_written(anna):
    signed_in("dr-lee").post(f"/caseload/{anna.pk}/notes/", {"text": SECRET})
    runner = signed_in("anna")
    report = reverse("report") + "?shown=1&sections=summary&sections=notes&sections=check"
    for url in ("/", "/today/", "/history/", "/plan/", "/diary/", report, "/data/"):
        response = runner.get(url)
        assert response.status_code in (200, 302) and SECRET.encode() not in response.content, url
    exported = runner.get("/data/export/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(exported.streaming_content)))
    for member in archive.namelist():
        assert SECRET.encode() not in archive.read(member), member
    assert runner.get(f"/caseload/{anna.pk}/notes/").status_code == 404
    logged = entries_for(anna)
    assert [entry.words for entry in logged] == ["dr-lee wrote a clinical note about you"]
    assert all(SECRET not in entry.detail and SECRET not in entry.words for entry in logged)


def test_the_command_line_writes_and_lists_notes(anna):
    wrote = CliRunner().invoke(
        main, ["clinic", "note", "anna", "--as", "dr-lee", "--text", SECRET, "--format", "json"]
    )
    assert wrote.exit_code == 0, wrote.output
    assert json.loads(wrote.output)["note"]["text"] == SECRET
    listed = CliRunner().invoke(main, ["clinic", "notes", "anna", "--as", "dr-lee", "--format", "json"])
    assert [note["text"] for note in json.loads(listed.output)["notes"]] == [SECRET]
    theirs = CliRunner().invoke(main, ["clinic", "notes", "anna", "--as", "dr-ray", "--format", "json"])
    assert json.loads(theirs.output) == {"notes": []}
    empty = CliRunner().invoke(main, ["clinic", "note", "anna", "--as", "dr-lee", "--text", " "])
    assert empty.exit_code == 2 and "Note: is empty" in empty.output


@pytest.mark.parametrize(
    "text",
    ["<script>alert(1)</script>", "a\x00b", "\r\n\t", "é" * MAX_CHARS, "🏃" * 10, "' OR 1=1 --", "x" * 70000],
    ids=["html", "null", "blank", "at-the-limit", "emoji", "sql", "huge"],
)
def test_hostile_notes_are_kept_as_text_or_refused_with_a_reason(anna, text):
    response = signed_in("dr-lee").post(f"/caseload/{anna.pk}/notes/", {"text": text})
    assert response.status_code in (302, 400), response.status_code
    if response.status_code == 302:
        assert ClinicalNote.objects.get().text == text.strip()
        page = signed_in("dr-lee").get(f"/caseload/{anna.pk}/notes/").content.decode()
        assert "<script>alert" not in page
    else:
        assert not ClinicalNote.objects.exists() and 'class="field-error"' in response.content.decode()
