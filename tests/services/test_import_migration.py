"""Migration 0011 on a database that already holds the same file-less export entry twice: every row
is kept, and from then on the database itself refuses a third copy."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres_ok]

BEFORE = [("backstride", "0010_outcomes")]
AFTER = [("backstride", "0011_import_identity")]


def _migrate(targets: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_existing_repeated_entries_are_kept_and_the_constraint_holds_from_then_on():
    old = _migrate(BEFORE)
    try:
        owner = old.get_model("auth", "User").objects.create(username="runner")
        Activity = old.get_model("backstride", "Activity")
        start = datetime(2024, 6, 1, 7, 0, tzinfo=UTC)
        common = {"owner_id": owner.id, "start_time": start, "sport": "running", "source_format": "manual"}
        first = Activity.objects.create(external_id="strava:9", **common).id
        second = Activity.objects.create(external_id="strava:9", **common).id
        hand_logged = Activity.objects.create(external_id="", **common).id

        new = _migrate(AFTER)
        Activity = new.get_model("backstride", "Activity")
        rows = dict(Activity.objects.values_list("id", "external_id"))
        assert rows == {first: "strava:9", second: "", hand_logged: ""}
        with pytest.raises(IntegrityError), transaction.atomic():
            Activity.objects.create(external_id="strava:9", **common)
        Activity.objects.create(external_id="", **common)  # runs logged by hand: as many as you like
        Activity.objects.create(external_id="strava:9", source_sha256="a" * 64, **common)  # from a file
    finally:
        _migrate([("backstride", _latest())])


def _latest() -> str:
    executor = MigrationExecutor(connection)
    return max(name for app, name in executor.loader.graph.leaf_nodes() if app == "backstride")
