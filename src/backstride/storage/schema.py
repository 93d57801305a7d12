"""The schema brought up to date on first use, safely when many processes start at once, and a
database made by a newer backstride refused rather than used."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from backstride.config import StartupError
from backstride.storage.connection import (
    is_read_only_failure,
    opened_read_only,
    sqlite_file,
)

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.migrations.executor import MigrationExecutor

APP_LABEL = "backstride"
# pg_advisory_lock takes one 64-bit key: the bytes of "bkstride", so no other application's lock clashes.
POSTGRES_LOCK_KEY = int.from_bytes(b"bkstride", "big")


def ensure_schema(connection: BaseDatabaseWrapper) -> None:
    """Migrate when the schema is behind. Only one process migrates: the others wait on the lock,
    then find nothing left to do."""
    if not _pending(connection):
        return
    if opened_read_only(connection):
        raise _behind_but_read_only(connection)
    from django.core.management import call_command
    from django.db.utils import OperationalError

    with schema_lock(connection):
        if _pending(connection):  # another process may have migrated while this one waited
            try:
                call_command("migrate", interactive=False, verbosity=0)
            except OperationalError as error:
                if is_read_only_failure(error):
                    raise _behind_but_read_only(connection) from None
                raise


def _pending(connection: BaseDatabaseWrapper) -> bool:
    """Whether migrations are waiting; refuses a database with backstride migrations this code lacks."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    newer = _unknown_migrations(executor)
    if newer:
        raise StartupError(
            f"this database was made by a newer backstride (migration {APP_LABEL}.{newer[-1]}); "
            "upgrade backstride or use another database"
        )
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def _unknown_migrations(executor: MigrationExecutor) -> list[str]:
    loader = executor.loader
    known = {name for app, name in loader.disk_migrations if app == APP_LABEL}
    for migration in loader.disk_migrations.values():  # squashed away, but once applied
        known.update(name for app, name in migration.replaces if app == APP_LABEL)
    return sorted(name for app, name in loader.applied_migrations if app == APP_LABEL and name not in known)


def _behind_but_read_only(connection: BaseDatabaseWrapper) -> StartupError:
    where = sqlite_file(connection) or "this database"
    return StartupError(
        f"{where} needs its tables made or upgraded for this backstride, but it is read-only: "
        "open it once writable (without ?mode=ro), then read-only again"
    )


@contextmanager
def schema_lock(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """One migrating process at a time: a file lock beside a SQLite database, an advisory lock on
    PostgreSQL (held by this connection's session, released at the end or when it disconnects)."""
    path = sqlite_file(connection)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [POSTGRES_LOCK_KEY])
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [POSTGRES_LOCK_KEY])
    elif path is not None:
        with _file_lock(path.with_name(path.name + ".lock")):
            yield
    else:  # a database in memory: one process only
        yield


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """An exclusive lock on `path` (created for this user only, kept afterwards so that every process
    locks the same file); the system releases it if the holder dies."""
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as error:
        raise StartupError(
            f"cannot create the lock file {path} ({error.strerror}): make the database's folder writable"
        ) from None
    try:
        _lock_exclusively(descriptor)  # waits while another process migrates
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def _lock_exclusively(descriptor: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        while True:
            try:
                msvcrt.locking(descriptor, msvcrt.LK_LOCK, 1)  # tries for 10 s, then raises
                return
            except OSError:
                continue
    else:
        import fcntl

        fcntl.flock(descriptor, fcntl.LOCK_EX)
