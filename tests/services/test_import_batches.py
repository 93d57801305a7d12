"""Storing in batches (issue 17): one transaction and one bulk insert for many files, with the same
identity rules as file by file, whatever the batch holds."""

from __future__ import annotations

import shutil
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.services.activity_files import gpx_run, run_start, write_runs

from backstride.services import imports
from backstride.services.users import local_user
from backstride.storage.models import Activity

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_ok]


def _inserts(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("INSERT")]


def test_a_folder_is_stored_with_one_insert_for_its_batch(tmp_path, monkeypatch):
    monkeypatch.setattr(imports, "STORE_BATCH_S", 60.0)  # one batch however slow the machine
    write_runs(tmp_path / "runs", 12)
    with CaptureQueriesContext(connection) as queries:
        report = imports.import_paths(local_user(), [tmp_path / "runs"], workers=1)
    assert report["imported"] == 12 and report["failed"] == []
    assert len([sql for sql in _inserts(queries) if "backstride_activity" in sql]) == 1
    assert sorted(row["name"] for row in report["activities"]) == sorted(f"Run {n}" for n in range(12))
    assert all(isinstance(row["id"], int) for row in report["activities"])  # the bulk insert gave ids
    assert Activity.objects.count() == 12


def test_duplicates_inside_one_batch_are_stored_once(tmp_path):
    folder = tmp_path / "runs"
    write_runs(folder, 3)
    shutil.copyfile(folder / "a-001.gpx", folder / "copy-of-a-001.gpx")  # the same file twice
    # The same run as a-002 from another watch: 20 s later, 1% longer (the same-run rule)...
    (folder / "b-002.gpx").write_bytes(gpx_run(run_start(2) + timedelta(seconds=20), (5000 + 74) * 1.01))
    # ...and a different run the same morning: 2 hours later.
    (folder / "c-002.gpx").write_bytes(gpx_run(run_start(2) + timedelta(hours=2), 5074))
    report = imports.import_paths(local_user(), [folder], workers=1)
    assert (report["imported"], report["skipped_duplicates"], report["failed"]) == (4, 2, [])
    assert Activity.objects.count() == 4


def test_a_batch_sees_what_earlier_imports_stored(tmp_path):
    write_runs(tmp_path / "first", 5)
    write_runs(tmp_path / "second", 5, shift_s=30, stretch=1.02, tag="b")
    user = local_user()
    assert imports.import_paths(user, [tmp_path / "first"], workers=1)["imported"] == 5
    again = imports.import_paths(user, [tmp_path / "first", tmp_path / "second"], workers=1)
    assert (again["imported"], again["skipped_duplicates"]) == (0, 10)


def test_progress_hears_of_files_once_they_are_stored(tmp_path):
    write_runs(tmp_path / "runs", 5)
    seen: list[tuple[int, int, int]] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total, Activity.objects.count()))

    imports.import_paths(local_user(), [tmp_path / "runs"], progress, workers=1)
    assert seen[-1] == (5, 5, 5)
    assert all(stored >= done for done, _, stored in seen)  # never ahead of what is stored
