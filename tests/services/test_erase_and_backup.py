"""Delete my data (issue 14 item 4): no row of the runner in any table and no stored file left (the
data folder and every table listed afterwards), the user kept; and the daily backups (item 5)."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db import connection
from tests.services.data_world import fill

from backstride import config
from backstride.services import backup
from backstride.services.erase import erase_all
from backstride.services.users import local_user
from backstride.storage.models import FormCheck, ImportJob, Shoe

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_ok]


@pytest.fixture(autouse=True)
def own_data_folder(tmp_path, monkeypatch):
    # The tests list the data folder: each gets its own, so files other tests leave (an undo file of
    # another runner, an import's upload) cannot make them fail in one order and pass in another.
    monkeypatch.setenv("BACKSTRIDE_DATA_DIR", str(tmp_path))


def files_in(folder: Path) -> set[str]:
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()}


def stored_files(user: User) -> list[Path]:
    """A clip, an upload folder, a temporary upload file, the CLI's undo file and a backup."""
    root = config.data_dir()
    clip = root / "videos" / "clip-1.mp4"
    upload = root / "uploads" / "job-1" / "00000-run.fit"
    made = [clip, upload, root / "tmp" / "upload-part", root / f"last-delete-{user.id}.json"]
    made.append(root / "backups" / "backstride-2026-12-01.sqlite3")
    for path in made:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"data")
    FormCheck.objects.filter(owner=user).update(video_path=str(clip))
    ImportJob.objects.create(owner=user, upload_dir=str(upload.parent), status="done")
    return made


def test_delete_all_leaves_no_row_and_no_file_of_the_runner():
    user = local_user()
    fill(user)
    made = stored_files(user)
    root = config.data_dir()
    erased = erase_all(user)
    assert erased.records["activities"] == 4 and erased.records["form_check_images"] == 2
    assert erased.records["import_jobs"] == 1 and erased.records["settings"] == 1
    # At least these (other tests of this process may have left files in the shared data folder).
    assert erased.files >= len(made) and erased.file_bytes >= 4 * len(made)
    assert not any(path.exists() for path in made)
    leftovers = files_in(root) - {"secret_key"}
    assert not {name for name in leftovers if not name.startswith("backstride.sqlite3")}, leftovers
    for model in apps.get_app_config("backstride").get_models():
        assert not model.objects.exists(), f"{model.__name__} still has rows"
    assert User.objects.filter(id=user.id).exists()  # the user stays, with nothing


def test_delete_all_keeps_another_runners_records_and_files():
    other = User.objects.create(username="other")
    Shoe.objects.create(owner=other, name="Theirs")
    clip = config.data_dir() / "videos" / "theirs.mp4"
    clip.parent.mkdir(parents=True, exist_ok=True)
    clip.write_bytes(b"x")
    FormCheck.objects.create(owner=other, video_path=str(clip))
    user = local_user()
    fill(user)
    erase_all(user)
    assert clip.exists() and Shoe.objects.filter(owner=other).count() == 1
    clip.unlink()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="backups are of SQLite databases")
def test_a_backup_opens_as_sqlite_with_the_records_and_the_eighth_removes_the_oldest():
    user = local_user()
    Shoe.objects.create(owner=user, name="Backed up")
    made = backup.back_up(date(2026, 12, 1))
    assert made.path.name == "backstride-2026-12-01.sqlite3"
    with closing(sqlite3.connect(made.path)) as copy:
        assert copy.execute("SELECT name FROM backstride_shoe").fetchall() == [("Backed up",)]
    for number in range(1, 8):
        backup.back_up(date(2026, 12, 1) + timedelta(days=number))
    kept = [item.day for item in backup.backups()]
    assert kept == [date(2026, 12, 1) + timedelta(days=n) for n in range(1, 8)]
    assert backup.latest_backup().day == date(2026, 12, 7) + timedelta(days=1)
    assert not list(backup.backup_folder().glob(".*partial"))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="backups are of SQLite databases")
def test_the_daily_backup_is_made_once_a_day(monkeypatch):
    monkeypatch.setattr(backup, "_checked_day", None)
    today = config.local_today()
    backup.backup_path(today).unlink(missing_ok=True)
    assert backup.back_up_if_due() is not None and backup.backup_path(today).exists()
    assert backup.back_up_if_due() is None  # already looked today: not even a look at the folder
    monkeypatch.setattr(backup, "_checked_day", None)
    assert backup.back_up_if_due() is None  # today's file is there


@pytest.mark.skipif(connection.vendor == "sqlite", reason="the PostgreSQL refusal")
def test_on_postgresql_a_backup_says_to_use_pg_dump():
    with pytest.raises(backup.BackupUnavailable, match="pg_dump"):
        backup.back_up()
    assert backup.back_up_if_due() is None


def test_the_export_schema_json_is_valid_json():
    from backstride.services.data_schema import schema

    assert json.loads(json.dumps(schema()))["kinds"]
