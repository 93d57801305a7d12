"""Daily local backups (issue 14 item 5): the SQLite database copied with SQLite's online backup API
(a consistent copy while the app keeps writing) to <data folder>/backups/backstride-YYYY-MM-DD.sqlite3,
once a day when the web app runs, and on demand (`backstride backup`). The last 7 are kept.
On PostgreSQL (a clinic) `backstride backup` copies nothing: pg_dump does this job. A clinic's workers
run it once a day as a background task (backup_jobs.py, issue 15 item 5): back_up_whole_database writes
<data folder>/backups/backstride-YYYY-MM-DD.dump (pg_dump's custom format) and keeps the last 7 too."""

from __future__ import annotations

import logging
import os
import re
import shutil
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import connection

from backstride import config
from backstride.storage.connection import sqlite_file

from .errors import BackstrideError

KEEP = 7
NAME = re.compile(r"^backstride-(\d{4}-\d{2}-\d{2})\.(?:sqlite3|dump)$")
PG_DUMP_SECONDS = 6 * 3600  # a clinic's database of years of streams takes a while; never forever
POSTGRES_ADVICE = (
    "backups are for SQLite: on PostgreSQL use pg_dump (e.g. pg_dump -Fc backstride > backstride.dump)"
)
log = logging.getLogger(__name__)

_lock = threading.Lock()
_checked_day: date | None = None  # the day this process last looked: at most one look a day


class BackupUnavailable(BackstrideError):
    """No backup can be made here (PostgreSQL); the message says what to use instead."""


@dataclass(frozen=True)
class Backup:
    path: Path
    day: date
    size: int


def backup_folder() -> Path:
    return config.data_dir() / "backups"


def backup_path(day: date) -> Path:
    return backup_folder() / f"backstride-{day.isoformat()}.sqlite3"


def backups() -> list[Backup]:
    """The backups in the folder, oldest first."""
    folder = backup_folder()
    found = []
    for entry in folder.iterdir() if folder.is_dir() else []:
        match = NAME.match(entry.name)
        if match and entry.is_file():
            try:
                day = date.fromisoformat(match.group(1))
            except ValueError:
                continue
            found.append(Backup(entry, day, entry.stat().st_size))
    return sorted(found, key=lambda backup: backup.day)


def latest_backup() -> Backup | None:
    found = backups()
    return found[-1] if found else None


def can_back_up() -> bool:
    return connection.vendor == "sqlite"


def back_up(day: date | None = None) -> Backup:
    """Copy the database now to today's backup file (replacing one made earlier today); then keep the
    last KEEP. BackupUnavailable on PostgreSQL."""
    if not can_back_up():
        raise BackupUnavailable(POSTGRES_ADVICE)
    day = day or config.local_today()
    target = backup_path(day)
    target.parent.mkdir(mode=0o700, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        with _source() as source, closing(sqlite3.connect(partial)) as copy:
            source.backup(copy)
        partial.replace(target)  # whole or not at all: a crash never leaves half a backup
    finally:
        partial.unlink(missing_ok=True)
    _prune()
    return Backup(target, day, target.stat().st_size)


@contextmanager
def _source() -> Iterator[sqlite3.Connection]:
    """A connection of its own to the database file: it reads what is committed (WAL) and never waits
    on a transaction of the app's. An in-memory database (tests) is read through Django's connection."""
    path = sqlite_file(connection)
    if path is None:
        # Through an image: a backup from a connection inside a write transaction never finishes.
        connection.ensure_connection()
        with closing(sqlite3.connect(":memory:")) as image:
            image.deserialize(connection.connection.serialize())
            yield image
        return
    with closing(sqlite3.connect(path)) as own:
        yield own


def back_up_whole_database(day: date | None = None) -> Backup:
    """The whole database to today's backup file, whichever database it is: SQLite as back_up does,
    PostgreSQL with pg_dump (it must be on this machine). BackupUnavailable with the reason if not."""
    if can_back_up():
        return back_up(day)
    day = day or config.local_today()
    target = backup_folder() / f"backstride-{day.isoformat()}.dump"
    target.parent.mkdir(mode=0o700, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        _pg_dump(partial)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    _prune()
    return Backup(target, day, target.stat().st_size)


def _pg_dump(into: Path) -> None:
    """pg_dump of the app's database. The connection goes in the environment (PGHOST, PGPASSWORD ...),
    never on the command line, where other users of the machine could read the password."""
    program = shutil.which("pg_dump")
    if program is None:
        raise BackupUnavailable("pg_dump is not installed on this machine: install postgresql-client")
    # Django's own connection settings: the database this process really uses.
    database = connection.settings_dict
    given = {
        "PGHOST": database.get("HOST"),
        "PGPORT": database.get("PORT"),
        "PGUSER": database.get("USER"),
        "PGPASSWORD": database.get("PASSWORD"),
        "PGDATABASE": database.get("NAME"),
        "PGSSLMODE": (database.get("OPTIONS") or {}).get("sslmode"),
    }
    env = {**os.environ, **{name: str(value) for name, value in given.items() if value}}
    done = subprocess.run(
        [program, "--format=custom", "--no-password", f"--file={into}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=PG_DUMP_SECONDS,
        check=False,
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupUnavailable(f"pg_dump stopped (exit {done.returncode}): {last[:300]}")


def _prune() -> None:
    for old in backups()[:-KEEP]:
        old.path.unlink(missing_ok=True)


def back_up_if_due() -> Backup | None:
    """Today's backup unless this process already looked today or the file is there (a cheap check,
    made on `serve` start and with requests). Never raises: a failed backup is logged, the app goes on."""
    global _checked_day
    today = config.local_today()
    if _checked_day == today or not can_back_up():
        return None
    with _lock:
        if _checked_day == today:
            return None
        _checked_day = today
        try:
            if backup_path(today).exists():
                return None
            return back_up(today)
        except Exception as error:
            log.warning("the daily backup could not be made: %s", error)
            return None


def on_request(**_signal: object) -> None:
    """Connected to Django's request_started by `serve`: a server left running for days still makes
    one backup a day. Only of a database file (an in-memory one is a test's, shared across threads)."""
    if can_back_up() and sqlite_file(connection) is not None:
        back_up_if_due()
