"""Start Django for the CLI and the server: settings first, the schema brought up to date on first use.

A setting, data folder or database that cannot be used raises config.StartupError, one line that
says what to do (the CLI prints it and exits 2 or 1; `serve` refuses to start with it)."""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

_django_ready = False
_schema_ready = False


def setup(migrate: bool = True) -> None:
    """Idempotent. With migrate, creates or upgrades the database schema quietly when it is behind."""
    global _django_ready, _schema_ready
    if not _django_ready:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backstride.web.settings")
        import django

        django.setup()  # reads the settings: bad --db / BACKSTRIDE_DB or data folder -> StartupError
        _django_ready = True
    if migrate and not _schema_ready:
        ensure_schema()
        _schema_ready = True


def ensure_schema() -> None:
    from django.db import connection
    from django.db.utils import Error

    from backstride.storage import schema
    from backstride.storage.connection import connection_failure
    from backstride.storage.task_queue_schema import ensure_task_queue_schema

    open_connection(connection, Error, connection_failure)
    if not schema_is_current(connection):  # the full check (and the migration) only when it may matter
        schema.ensure_schema(connection)
    ensure_task_queue_schema(connection)  # PostgreSQL only: the job queue `backstride worker` takes from


# A new SQLite database is switched to WAL by the first connection that opens it; another process
# opening it at that very moment can be refused at once ("database is locked", without waiting out the
# busy timeout), so opening is tried a few times before it is reported.
CONNECT_ATTEMPTS = 8
CONNECT_PAUSE_S = 0.1


def open_connection(connection: BaseDatabaseWrapper, errors: type[Exception], failure: Any) -> None:
    """Connect, trying again a few times while a new SQLite database is being switched to WAL."""
    for attempt in range(1, CONNECT_ATTEMPTS + 1):
        try:
            connection.ensure_connection()
            return
        except errors as error:
            locked = connection.vendor == "sqlite" and "database is locked" in str(error)
            if not locked or attempt == CONNECT_ATTEMPTS:
                raise failure(connection, error) from None
            connection.close()
            time.sleep(CONNECT_PAUSE_S * attempt)


def schema_is_current(connection: BaseDatabaseWrapper) -> bool:
    """True when the database has applied exactly the migrations found on disk: then nothing is
    pending and nothing is newer than this code. One query and a folder listing per app, where the
    full check (storage.schema) imports every migration module and builds their graph on each start.
    False whenever it cannot tell (no table yet, a squashed or missing file, a module without
    source): storage.schema then decides, as before."""
    import importlib.util

    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return False
    on_disk: set[tuple[str, str]] = set()
    for app in apps.get_app_configs():
        module_name, _ = MigrationLoader.migrations_module(app.label)
        if module_name is None:
            continue
        try:
            spec = importlib.util.find_spec(module_name)
        except (ImportError, ValueError):
            return False
        if spec is None or not spec.submodule_search_locations:
            continue  # an app without migrations
        for folder in spec.submodule_search_locations:
            for entry in os.scandir(folder):
                stem, dot, suffix = entry.name.rpartition(".")
                if dot and suffix == "py" and entry.is_file() and stem[:1] not in ("_", "~", ""):
                    on_disk.add((app.label, stem))
    return set(recorder.applied_migrations()) == on_disk
