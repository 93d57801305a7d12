"""`backstride export`, `restore`, `delete-all` and `backup` as real processes (issue 14): the round trip
export -> restore into a new database -> export gives the same records, on SQLite and PostgreSQL; a
second restore adds nothing; delete-all needs --yes; a damaged zip is refused with nothing written."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing

import pytest
from tests.cases import SELF_MANAGE
from tests.databases import KINDS, ON_POSTGRES, cli_env, fresh_database, query, run_cli
from tests.services.data_world import comparable

pytestmark = pytest.mark.postgres_ok


def ok(args, env):
    done = run_cli(args, env)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return done


def some_records(env, tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(SELF_MANAGE))
    ok(["check", "--answers", str(answers)], env)
    ok(["shoes", "add", "Pegasus", "--default"], env)
    ok(["log", "run", "--date", "2026-11-02", "--distance", "5", "--duration", "30"], env)
    ok(["log", "pain", "--pain", "3", "--date", "2026-11-02", "--no-red-flags"], env)
    ok(["outcomes", "rate", "--activity", "run 5 km=4"], env)
    ok(["rmdq", "--ticked", "1,2"], env)


@pytest.mark.parametrize("kind", KINDS)
def test_round_trip_into_a_new_database_gives_the_same_records(kind, tmp_path):
    first = tmp_path / "first.zip"
    with fresh_database(kind, tmp_path) as url:
        env = cli_env(tmp_path, url)
        some_records(env, tmp_path)
        out = json.loads(ok(["export", str(first), "--format", "json"], env).stdout)
        assert out["counts"]["activities"] == 1 and out["counts"]["checks"] == 1
    (tmp_path / "second").mkdir()
    with fresh_database(kind, tmp_path / "second") as url:
        env = cli_env(tmp_path / "second", url)
        ok(["shoes", "add", "Older shoe"], env)  # the new database has ids of its own already
        added = json.loads(ok(["restore", str(first), "--format", "json"], env).stdout)
        assert added["added"]["activities"] == 1 and added["added"]["shoes"] == 1
        # Only the settings were already here: the same (default) units and country.
        assert {k: n for k, n in added["already_present"].items() if n} in ({}, {"settings": 1})
        again = json.loads(ok(["restore", str(first), "--format", "json"], env).stdout)
        assert again["total_added"] == 0 and again["already_present"]["activities"] == 1
        assert query(url, "SELECT COUNT(*) FROM backstride_activity") == [(1,)]
        second = tmp_path / "second.zip"
        ok(["export", str(second)], env)
    mine, restored = comparable(first.read_bytes()), comparable(second.read_bytes())
    restored["records"]["shoes"] = [s for s in restored["records"]["shoes"] if s["name"] != "Older shoe"]
    assert restored["records"] == mine["records"]


def test_delete_all_needs_yes_then_says_what_went(tmp_path):
    env = cli_env(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite3'}")
    some_records(env, tmp_path)
    refused = run_cli(["delete-all"], env)
    assert refused.returncode == 2 and "--yes" in refused.stderr and "nothing was deleted" in refused.stderr
    gone = json.loads(ok(["delete-all", "--yes", "--format", "json"], env).stdout)
    assert (
        gone["records"]["activities"] == 1 and gone["records"]["checks"] == 1 and gone["total_records"] >= 6
    )
    text = ok(["delete-all", "--yes"], env).stdout
    assert text.startswith("Deleted 0 records")
    assert query(f"sqlite:///{tmp_path / 'db.sqlite3'}", "SELECT COUNT(*) FROM backstride_shoe") == [(0,)]


def test_a_damaged_zip_is_refused_and_nothing_written(tmp_path):
    env = cli_env(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite3'}")
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK\x03\x04 not really")
    done = run_cli(["restore", str(bad)], env)
    assert (
        done.returncode == 1 and "cannot be restored" in done.stderr and "Nothing was changed" in done.stderr
    )
    assert "Traceback" not in done.stderr


def test_backup_prints_the_path_of_a_sqlite_copy(tmp_path):
    env = cli_env(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite3'}")
    ok(["shoes", "add", "Kept"], env)
    path = ok(["backup"], env).stdout.strip()
    assert path.startswith(str(tmp_path / "data" / "backups" / "backstride-"))
    with closing(sqlite3.connect(path)) as copy:
        assert copy.execute("SELECT name FROM backstride_shoe").fetchall() == [("Kept",)]
    made = json.loads(ok(["backup", "--format", "json"], env).stdout)
    assert made["path"] == path and made["bytes"] > 0


def test_delete_all_leaves_no_trace_of_the_rows_in_the_sqlite_file(tmp_path):
    database = tmp_path / "db.sqlite3"
    env = cli_env(tmp_path, f"sqlite:///{database}")
    ok(["shoes", "add", "Unforgettable-Shoe-Name"], env)
    ok(["delete-all", "--yes"], env)
    on_disk = b"".join(path.read_bytes() for path in tmp_path.glob("db.sqlite3*"))
    assert b"Unforgettable-Shoe-Name" not in on_disk


@pytest.mark.django_db
@pytest.mark.skipif(ON_POSTGRES, reason="backups are of SQLite databases")
def test_serve_makes_the_days_backup_on_start(monkeypatch):
    from click.testing import CliRunner

    from backstride.cli import main
    from backstride.services import backup
    from backstride.web import server

    monkeypatch.setattr(server, "listen", lambda host, port: None)
    monkeypatch.setattr(server, "serve", lambda *args, **kwargs: None)
    monkeypatch.setattr(backup, "_checked_day", None)
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", tempfile.tempdir)
    today = backup.backup_path(backup.config.local_today())
    today.unlink(missing_ok=True)
    from django.core.signals import request_started

    try:
        assert CliRunner().invoke(main, ["serve"]).exit_code == 0
        assert today.is_file()
    finally:  # the rest of this process's tests serve no daily backup
        request_started.disconnect(dispatch_uid="backstride-daily-backup")
