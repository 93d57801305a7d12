"""A setting, data folder or database that cannot be used (issue 11, items 2, 8 and 9): one line that
says what to do, exit 2 (a value that cannot be used as given) or 1 (the world refuses), never a
traceback, and nothing written. Each case runs `backstride` as a real process."""

from __future__ import annotations

import ctypes
import os
import socket
import sqlite3
import subprocess
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest
from tests.databases import KINDS, ON_POSTGRES, SERVER, cli_env, fresh_database, query, run_cli

READ = ["history", "--format", "json"]


def write(day: str = "2024-01-02") -> list[str]:
    return ["log", "pain", "--pain", "3", "--date", day, "--no-red-flags"]


WRITE = write()
CAP_DAC_OVERRIDE, PR_CAPBSET_DROP = 1, 24


def assert_refused(done: subprocess.CompletedProcess[str], status: int, *fragments: str) -> None:
    assert done.returncode == status, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("Error: ") and done.stderr.count("\n") == 1, done.stderr
    for fragment in fragments:
        assert fragment in done.stderr


def as_plain_user() -> Callable[[], None] | None:
    """Root writes any file whatever its mode: drop that power in the child so permissions count."""
    if os.geteuid() != 0:
        return None

    def drop() -> None:
        if ctypes.CDLL(None, use_errno=True).prctl(PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl")

    return drop


def sqlite_url(path: Path, query_string: str = "") -> str:
    return f"sqlite:///{path}{query_string}"


def diary_rows(path: Path) -> int:
    with closing(sqlite3.connect(path)) as db:
        return int(db.execute("SELECT COUNT(*) FROM backstride_diaryentry").fetchone()[0])


def made_database(tmp_path: Path) -> Path:
    path = tmp_path / "made.sqlite3"
    done = run_cli(WRITE, cli_env(tmp_path, sqlite_url(path)))
    assert done.returncode == 0, done.stderr
    return path


# --- the URL itself cannot be used: exit 2 ----------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "says"),
    [
        (
            "foo://somewhere/db",
            "Error: --db / BACKSTRIDE_DB: unknown kind of database 'foo://'; "
            "use sqlite:///path/to/backstride.sqlite3 or postgresql://user:password@host:5432/dbname\n",
        ),
        ("backstride.sqlite3", "is not a database URL"),
        ("postgresql://me:s3cret@host:notaport/db", "cannot be read as a URL"),
        ("mysql://me@host/db", "works with SQLite and PostgreSQL, not 'mysql://'"),
        ("postgresql://me@host", "names no PostgreSQL database"),
        ("sqlite://", "names no file"),
        ("sqlite:///{tmp}/db.sqlite3?cache=shared", "the only SQLite option read is ?mode=ro"),
        ("sqlite:///{tmp}/db.sqlite3?mode=memory", "the only SQLite option read is ?mode=ro"),
        ("sqlite:///{tmp}", "is a folder: give a database file, e.g. sqlite:///"),
    ],
)
def test_a_database_url_that_cannot_be_used_is_refused_with_exit_2(url, says, tmp_path):
    done = run_cli(READ, cli_env(tmp_path, url.format(tmp=tmp_path)))
    assert_refused(done, 2, says)
    assert "s3cret" not in done.stderr  # never the password
    assert done.stdout == ""


def test_serve_refuses_to_start_with_the_same_message(tmp_path):
    done = run_cli(["serve", "--port", "1"], cli_env(tmp_path, "foo://somewhere/db"))
    assert_refused(done, 2, "unknown kind of database 'foo://'")
    assert "running at" not in done.stdout


def test_a_time_zone_that_does_not_exist_is_refused_with_exit_2(tmp_path):
    done = run_cli(WRITE, cli_env(tmp_path, BACKSTRIDE_TZ="Mars/Olympus_Mons"))
    assert_refused(done, 2, "BACKSTRIDE_TZ='Mars/Olympus_Mons' is not a time zone")


# --- the world refuses: exit 1 ------------------------------------------------------------------------


def test_a_database_in_a_folder_that_does_not_exist_is_refused(tmp_path):
    done = run_cli(READ, cli_env(tmp_path, sqlite_url(tmp_path / "nowhere" / "db.sqlite3")))
    assert_refused(done, 1, f"the folder {tmp_path / 'nowhere'} does not exist: create it")


def test_an_unreachable_postgresql_server_is_one_line(tmp_path):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    done = run_cli(READ, cli_env(tmp_path, f"postgresql://me:s3cret@127.0.0.1:{port}/backstride"))
    assert_refused(
        done, 1, f"cannot connect to PostgreSQL at 127.0.0.1:{port}/backstride", "is the server running"
    )
    assert "s3cret" not in done.stderr


@pytest.mark.skipif(not ON_POSTGRES, reason="needs scripts/with-postgres.sh")
@pytest.mark.parametrize(
    ("change", "says"),
    [
        (("postgres@", "nobody_here@"), 'role "nobody_here" does not exist; check the user and password'),
        (("/backstride", "/no_such_db"), 'database "no_such_db" does not exist; create it (createdb'),
    ],
)
def test_a_postgresql_server_that_refuses_the_login_is_one_line(change, says, tmp_path):
    done = run_cli(WRITE, cli_env(tmp_path, SERVER.replace(*change)))
    assert_refused(done, 1, "cannot connect to PostgreSQL at", says)


@pytest.mark.parametrize("folder", ["/proc/backstride", "/proc", "{tmp}/a-file/data", "{tmp}/locked"])
def test_a_data_folder_that_cannot_be_written_is_refused(folder, tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    (tmp_path / "locked").mkdir(mode=0o500)
    folder = folder.format(tmp=tmp_path)
    done = run_cli(WRITE, cli_env(tmp_path, BACKSTRIDE_DATA_DIR=folder), preexec_fn=as_plain_user())
    assert_refused(done, 1, f"cannot use the data folder {folder} (", "set BACKSTRIDE_DATA_DIR to a folder")


# --- read-only databases: reading works, writing is refused and nothing changes --------------------------


def test_mode_ro_reads_and_refuses_writes(tmp_path):
    path = made_database(tmp_path)
    read_only = cli_env(tmp_path, sqlite_url(path, "?mode=ro"))
    assert run_cli(READ, read_only).returncode == 0
    done = run_cli(write("2024-01-03"), read_only)
    assert_refused(done, 1, f"{path} is read-only: nothing was saved; to save changes, drop ?mode=ro")
    assert diary_rows(path) == 1


def test_a_read_only_file_reads_and_refuses_writes(tmp_path):
    path = made_database(tmp_path)
    path.chmod(0o444)
    env = cli_env(tmp_path, sqlite_url(path))
    assert run_cli(READ, env, preexec_fn=as_plain_user()).returncode == 0
    done = run_cli(write("2024-01-03"), env, preexec_fn=as_plain_user())
    assert_refused(done, 1, f"{path} is read-only: nothing was saved", "make the file and its folder")
    assert diary_rows(path) == 1


def test_mode_ro_never_creates_or_migrates_a_database(tmp_path):
    missing = tmp_path / "missing.sqlite3"
    assert_refused(run_cli(READ, cli_env(tmp_path, sqlite_url(missing, "?mode=ro"))), 1, "does not exist")
    assert not missing.exists()
    empty = tmp_path / "empty.sqlite3"
    with closing(sqlite3.connect(empty)) as db:
        db.execute("PRAGMA journal_mode=WAL")
    done = run_cli(READ, cli_env(tmp_path, sqlite_url(empty, "?mode=ro")))
    assert_refused(done, 1, "needs its tables made or upgraded", "open it once writable")


# --- a database from a newer backstride ------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_database_made_by_a_newer_backstride_is_refused_not_used(kind, tmp_path):
    with fresh_database(kind, tmp_path) as url:
        env = cli_env(tmp_path, url)
        assert run_cli(WRITE, env).returncode == 0
        applied = datetime.now(UTC).isoformat(sep=" ")
        future = (
            "INSERT INTO django_migrations (app, name, applied) "
            f"VALUES ('backstride', '9999_later', '{applied}')"
        )
        if kind == "sqlite":
            with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as db, db:
                db.execute(future)
        else:
            import psycopg

            with psycopg.connect(url) as db:
                db.execute(future)  # type: ignore[arg-type]
        newer = "this database was made by a newer backstride (migration backstride.9999_later); "
        for command in (READ, write("2024-01-03"), ["serve", "--port", "1"]):
            assert_refused(run_cli(command, env), 1, newer + "upgrade backstride or use another database")
        assert query(url, "SELECT COUNT(*) FROM backstride_diaryentry") == [(1,)]
