"""Start Django for the CLI and the server: settings first, the schema brought up to date on first use."""

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

        django.setup()
        _django_ready = True
    if migrate and not _schema_ready:
        ensure_schema()
        _schema_ready = True


def ensure_schema() -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", interactive=False, verbosity=0)
