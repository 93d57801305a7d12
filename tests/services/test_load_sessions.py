"""The sessions the training-load figures are computed from, read from stored activities."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from backstride.services.load import sessions
from backstride.services.users import local_user
from backstride.storage.models import Activity

pytestmark = pytest.mark.django_db


def test_load_uses_elapsed_time_when_moving_time_is_missing():
    Activity.objects.create(
        owner=local_user(),
        start_time=datetime.now(UTC),
        sport="running",
        distance_m=10_000,
        moving_time_s=None,
        elapsed_time_s=3600,
        rpe=5,
        source_format="manual",
    )
    assert [session.duration_s for session in sessions(local_user())] == [3600]
