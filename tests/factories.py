"""Small builders shared by tests."""

from __future__ import annotations

from datetime import UTC, datetime

from backstride.services.users import local_user
from backstride.storage.models import Activity, Shoe


def make_run(km: float, shoe: Shoe | None = None, sport: str = "running") -> Activity:
    """A hand-logged activity of the local user on 1 Nov 2026."""
    return Activity.objects.create(
        owner=local_user(),
        start_time=datetime(2026, 11, 1, 7, tzinfo=UTC),
        sport=sport,
        distance_m=km * 1000,
        source_format="manual",
        shoe=shoe,
    )
