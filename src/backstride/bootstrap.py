"""Start Django for the CLI and the server: settings first, the schema brought up to date on first use.

A setting, data folder or database that cannot be used raises config.StartupError, one line that
says what to do (the CLI prints it and exits 2 or 1; `serve` refuses to start with it)."""

from __future__ import annotations

import os

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

    try:
        connection.ensure_connection()
    except Error as error:
        raise connection_failure(connection, error) from None
    schema.ensure_schema(connection)
    ensure_task_queue_schema(connection)  # PostgreSQL only: the job queue `backstride worker` takes from
