"""Upload in the web app: a background job (inline in tests), its progress page, the list, one activity."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.conftest import SHARED

from backstride.config import local_today
from backstride.services.users import local_user
from backstride.storage.models import Activity, ImportJob

pytestmark = pytest.mark.django_db

DATA = SHARED / "data" / "activities"


@pytest.fixture(autouse=True)
def inline_jobs(monkeypatch):
    monkeypatch.setenv("BACKSTRIDE_JOBS_INLINE", "1")


def upload(client, *paths):
    files = [SimpleUploadedFile(path.name, path.read_bytes()) for path in paths]
    return client.post("/activities/upload/", {"files": files})


def test_upload_several_files_then_see_progress_list_and_charts(client):
    response = upload(
        client,
        DATA / "fit" / "fitparse__garmin-fenix-5-run.fit",
        DATA / "bad" / "gpsbabel__trackfilter_discard_err.gpx",
    )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == "done" and job.result["imported"] == 1
    page = client.get(response["Location"]).content.decode()
    assert "1 activity imported, 0 duplicates skipped, 1 file could not be read." in page
    assert "trackfilter_discard_err.gpx" in page
    assert "uploads" not in page  # our private folder is not shown
    listing = client.get("/activities/").content.decode()
    activity = Activity.objects.get()
    assert f"/activities/{activity.id}/" in listing
    detail = client.get(f"/activities/{activity.id}/").content.decode()
    for chart in ("chart-pace", "chart-elevation", "chart-cadence", "chart-heart_rate"):
        assert chart in detail
    assert "<svg" in detail


def test_progress_fragment_for_htmx_polls_while_running(client):
    job = ImportJob.objects.create(owner=local_user(), status="running", total_files=10, processed_files=4)
    fragment = client.get(f"/imports/{job.id}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in fragment and "4 of 10" in fragment


def test_empty_upload_is_refused_on_the_form(client):
    response = client.post("/activities/upload/", {})
    assert response.status_code == 400
    assert "Files: choose one or more" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_upload_names_cannot_escape_the_upload_folder(client, tmp_path):
    data = (DATA / "fit" / "fitparse__garmin-fenix-5-run.fit").read_bytes()
    response = client.post("/activities/upload/", {"files": [SimpleUploadedFile("../../../evil.fit", data)]})
    assert response.status_code == 302
    assert Activity.objects.count() == 1


def test_stored_activity_names_the_uploaded_file_not_the_private_folder(client):
    upload(client, DATA / "fit" / "fitparse__garmin-fenix-5-run.fit")
    assert Activity.objects.get().source_file == "fitparse__garmin-fenix-5-run.fit"


def test_upload_a_whole_strava_export_zip(client, tmp_path):
    import shutil

    archive = shutil.make_archive(
        str(tmp_path / "export_123"), "zip", SHARED / "data" / "strava-export-sample"
    )
    response = upload(client, tmp_path / "export_123.zip")
    assert response.status_code == 302 and archive
    job = ImportJob.objects.get()
    assert job.result["imported"] == 1 and job.result["failed"] == []
    activity = Activity.objects.get()
    assert activity.external_id == "strava:12070555079"
    assert activity.source_file == "export_123.zip!activities/12866632127.fit.gz"


def test_log_a_run_on_the_web_form_and_add_rpe_later(client):
    response = client.post(
        "/activities/new-run/",
        {
            "day": "2026-11-01",
            "distance_km": "10",
            "duration_min": "55",
            "terrain": "flat",
            "surface": "road",
            "rpe": "",
        },
    )
    activity = Activity.objects.get()
    assert response["Location"] == f"/activities/{activity.id}/"
    client.post(f"/activities/{activity.id}/rpe/", {"rpe": "5"})
    activity.refresh_from_db()
    assert activity.rpe == 5 and activity.distance_m == 10_000


def test_impossible_run_values_are_named_on_the_form_and_nothing_is_saved(client):
    response = client.post(
        "/activities/new-run/", {"day": "2099-01-01", "distance_km": "-2", "duration_min": "30"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was saved" in page and "in the future" in page and "distance_km" in page
    assert Activity.objects.count() == 0


def test_edit_a_hand_logged_run_and_assign_its_shoe(client):
    from backstride.storage.models import Shoe

    shoe = Shoe.objects.create(owner=local_user(), name="Tempo")
    client.post("/activities/new-run/", {"day": "2026-11-01", "distance_km": "10", "duration_min": "55"})
    run = Activity.objects.get()
    form = client.get(f"/activities/{run.id}/edit/").content.decode()
    assert 'value="10"' in form and 'value="55"' in form
    response = client.post(
        f"/activities/{run.id}/edit/", {"day": "2026-11-01", "distance_km": "12", "duration_min": "60"}
    )
    assert response["Location"] == f"/activities/{run.id}/"
    assert (
        client.post(
            f"/activities/{run.id}/edit/", {"day": "2026-11-01", "distance_km": "-1", "duration_min": "60"}
        ).status_code
        == 400
    )
    client.post(f"/activities/{run.id}/shoe/", {"shoe": "Tempo"})
    run.refresh_from_db()
    assert run.distance_m == 12_000 and run.shoe == shoe


def test_imported_runs_cannot_be_edited_by_hand(client):
    upload(client, DATA / "fit" / "fitparse__garmin-fenix-5-run.fit")
    run = Activity.objects.get()
    assert client.get(f"/activities/{run.id}/edit/").status_code == 404


def test_editing_a_run_can_clear_its_values(client):
    today = local_today().isoformat()
    client.post(
        "/activities/new-run/",
        {"day": today, "distance_km": "8", "duration_min": "45", "terrain": "hilly", "rpe": "6"},
    )
    run = Activity.objects.get()
    assert (run.terrain, run.rpe) == ("hilly", 6)
    client.post(
        f"/activities/{run.id}/edit/",
        {"day": today, "distance_km": "8", "duration_min": "45", "terrain": "", "rpe": ""},
    )
    run.refresh_from_db()
    assert run.terrain == "" and run.rpe is None


def test_a_shoe_for_an_activity_that_is_not_there_is_a_404_and_changes_nothing(client):
    from backstride.storage.models import Shoe

    Shoe.objects.create(owner=local_user(), name="Tempo")
    response = client.post("/activities/999999/shoe/", {"shoe": "Tempo"})
    assert response.status_code == 404
    client.post("/activities/new-run/", {"day": "2026-11-01", "distance_km": "10", "duration_min": "55"})
    run = Activity.objects.get()
    missing_shoe = client.post(f"/activities/{run.id}/shoe/", {"shoe": "Nope"})
    assert (
        missing_shoe.status_code == 400
        and "Choose one of the shoes in the list" in missing_shoe.content.decode()
    )
    run.refresh_from_db()
    assert run.shoe is None
