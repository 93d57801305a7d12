"""`backstride log undo`: the latest delete from the command line comes back as it was, once, within
the undo minutes; otherwise it says why and changes nothing."""

from __future__ import annotations

import json
import time

import pytest
from click.testing import CliRunner

from backstride.cli import main
from backstride.cli.undo import undo_file
from backstride.config import local_today
from backstride.services.users import local_user
from backstride.storage.models import Activity, DiaryEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def own_data_folder(tmp_path, monkeypatch):
    # The kept delete is a file of the data folder: each test gets its own (tests run in parallel).
    monkeypatch.setenv("BACKSTRIDE_DATA_DIR", str(tmp_path))


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def test_a_deleted_run_comes_back_with_its_fields_and_id():
    run = json.loads(
        invoke("log", "run", "--distance", "8.2", "--duration", "45", "--rpe", "4", "--format", "json").stdout
    )
    deleted = invoke("log", "delete-run", str(run["id"]))
    assert deleted.exit_code == 0
    assert "backstride log undo" in deleted.output and "10 minutes" in deleted.output
    assert not Activity.objects.exists()
    undone = invoke("log", "undo")
    assert undone.exit_code == 0, undone.output
    assert "Put back the run of" in undone.output and "8.2 km" in undone.output
    back = Activity.objects.get()
    assert (back.id, back.distance_m, back.rpe) == (run["id"], 8200, 4)
    again = invoke("log", "undo")
    assert again.exit_code == 1 and "nothing to undo" in again.output
    assert Activity.objects.count() == 1


def test_a_deleted_check_in_comes_back_and_only_the_latest_delete_is_kept():
    invoke("log", "pain", "--pain", "3", "--no-red-flags")
    run = json.loads(invoke("log", "run", "--distance", "5", "--duration", "30", "--format", "json").stdout)
    assert invoke("log", "delete-day", local_today().isoformat()).exit_code == 0
    assert invoke("log", "delete-run", str(run["id"])).exit_code == 0
    assert "Put back the run" in invoke("log", "undo").output
    assert not DiaryEntry.objects.exists()  # the earlier delete was replaced by the later one
    assert invoke("log", "delete-day", local_today().isoformat()).exit_code == 1  # nothing to delete
    invoke("log", "pain", "--pain", "4", "--no-red-flags")
    assert invoke("log", "delete-day", local_today().isoformat()).exit_code == 0
    assert "today's check-in" in invoke("log", "undo").output
    assert DiaryEntry.objects.get().pain_now == 4


def test_too_late_or_taken_place_changes_nothing():
    run = json.loads(invoke("log", "run", "--distance", "5", "--duration", "30", "--format", "json").stdout)
    invoke("log", "delete-run", str(run["id"]))
    path = undo_file(local_user())
    kept = json.loads(path.read_text())
    path.write_text(json.dumps({**kept, "expires": time.time() - 1}))
    late = invoke("log", "undo")
    assert late.exit_code == 1 and "too late to undo" in late.output
    assert not Activity.objects.exists() and not path.exists()

    invoke("log", "pain", "--pain", "3", "--no-red-flags")
    invoke("log", "delete-day", local_today().isoformat())
    invoke("log", "pain", "--pain", "5", "--no-red-flags")  # a new check-in takes the day's place
    refused = invoke("log", "undo")
    assert refused.exit_code == 1 and "Nothing was changed" in refused.output
    assert DiaryEntry.objects.get().pain_now == 5


def test_a_damaged_kept_file_is_refused():
    undo_file(local_user()).write_text("{not json")
    result = invoke("log", "undo")
    assert result.exit_code == 1 and "could not be read" in result.output
