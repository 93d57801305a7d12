"""The "Your data" page (issue 14): export as a download, restore from an upload (a damaged file is
refused in words and nothing is written), the latest backup, and delete-all only after typing DELETE,
then a page saying what went."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.services.data_world import fill

from backstride.services.users import local_user
from backstride.storage.models import Activity, DiaryEntry, Shoe

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_ok]


def download(client) -> bytes:
    response = client.get("/data/export/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert 'attachment; filename="backstride-export-' in response["Content-Disposition"]
    return b"".join(response.streaming_content)


def test_the_page_offers_export_restore_backups_and_delete(client):
    page = client.get("/data/").content.decode()
    for words in ("Download my data (.zip)", "Restore from this file", "Backups", "Delete my data"):
        assert words in page
    assert 'name="export"' in page and 'enctype="multipart/form-data"' in page


def test_export_downloads_a_zip_with_every_kind(client):
    fill(local_user())
    files = zipfile.ZipFile(io.BytesIO(download(client))).namelist()
    assert "manifest.json" in files and "schema.json" in files and "activities.csv" in files


def test_restore_after_delete_puts_the_records_back_and_says_so_in_a_toast(client):
    fill(local_user())
    data = download(client)
    client.post("/data/delete/", {"confirm": "DELETE"})
    assert not Activity.objects.exists()
    upload = SimpleUploadedFile("backstride-export.zip", data, content_type="application/zip")
    response = client.post("/data/restore/", {"export": upload}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain == [("/data/", 302)]
    assert 'class="toast"' in page and "Restored: " in page and "4 activities" in page
    assert Activity.objects.count() == 4 and DiaryEntry.objects.count() == 2


def test_a_second_restore_adds_nothing_and_says_they_were_already_here(client):
    fill(local_user())
    data = download(client)
    upload = SimpleUploadedFile("export.zip", data)
    page = client.post("/data/restore/", {"export": upload}, follow=True).content.decode()
    assert "Restored: nothing new;" in page and "already here, not added again." in page


def test_a_damaged_file_is_refused_in_words_and_nothing_is_written(client):
    Shoe.objects.create(owner=local_user(), name="Mine")
    upload = SimpleUploadedFile("holiday.jpg", b"\xff\xd8\xff not a zip")
    response = client.post("/data/restore/", {"export": upload})
    page = response.content.decode()
    assert response.status_code == 400 and "This file cannot be restored" in page
    assert "Nothing was changed" in page and 'aria-invalid="true"' in page
    assert "Choose the export zip again" in page
    assert Shoe.objects.count() == 1


def test_restore_without_a_file_says_what_to_choose(client):
    response = client.post("/data/restore/", {})
    assert response.status_code == 400 and "Choose the export zip" in response.content.decode()


def test_a_foreign_zip_lists_what_is_wrong_in_a_fold(client):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("manifest.json", json.dumps({"format": "strava"}))
    response = client.post("/data/restore/", {"export": SimpleUploadedFile("x.zip", out.getvalue())})
    assert response.status_code == 400 and "not a backstride export" in response.content.decode()


def test_delete_asks_for_the_word_and_keeps_what_was_typed(client):
    fill(local_user())
    asked = client.get("/data/delete/").content.decode()
    assert "Type DELETE to confirm" in asked and "cannot be undone" in asked
    response = client.post("/data/delete/", {"confirm": "delete please"})
    page = response.content.decode()
    assert response.status_code == 400 and 'value="delete please"' in page
    assert "Type DELETE in capital letters to confirm. Nothing was deleted." in page
    assert Activity.objects.count() == 4


def test_delete_then_says_what_was_removed(client):
    fill(local_user())
    response = client.post("/data/delete/", {"confirm": "DELETE"})
    page = response.content.decode()
    assert response.status_code == 200 and "Your data was deleted" in page
    assert "4 activities" in page and "1 pair of shoes" not in page and "2 pairs of shoes" in page
    assert "2 diary days" in page and "1 symptom check" in page
    assert not Activity.objects.exists() and not Shoe.objects.exists()


def test_back_up_now_shows_the_latest_backup(client, settings):
    from django.db import connection

    if connection.vendor != "sqlite":
        assert "pg_dump" in client.get("/data/").content.decode()
        return
    page = client.post("/data/backup/", follow=True).content.decode()
    assert "Backed up: backstride-" in page and "Latest backup:" in page
