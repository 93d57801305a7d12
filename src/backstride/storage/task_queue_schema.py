"""Procrastinate's tables (the clinic's job queue, services/task_queue.py), made on first use of a
PostgreSQL database with the app's own, so nobody runs `procrastinate schema --apply` by hand.
SQLite has no job queue: local mode runs its jobs in the app itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

from backstride.storage.schema import schema_lock

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

JOBS_TABLE = "procrastinate_jobs"


def ensure_task_queue_schema(connection: BaseDatabaseWrapper) -> None:
    """Apply Procrastinate's schema once (one process at a time, as migrations are)."""
    if connection.vendor != "postgresql" or _present(connection):
        return
    from procrastinate.schema import SchemaManager

    with schema_lock(connection):
        if _present(connection):  # another process made it while this one waited
            return
        with connection.cursor() as cursor:
            cursor.execute(SchemaManager.get_schema())  # no parameters: its % signs stay as written


def _present(connection: BaseDatabaseWrapper) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [JOBS_TABLE])
        row = cursor.fetchone()
    return bool(row and row[0])
