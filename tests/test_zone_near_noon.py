"""The browser tests' zone, chosen so the runner's day cannot change during a run."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from tests.e2e.conftest import zone_near_noon


@pytest.mark.parametrize("utc_hour", range(24))
def test_the_zone_reads_noon_at_every_utc_hour(utc_hour):
    moment = datetime(2026, 12, 7, utc_hour, 30, tzinfo=UTC)
    assert moment.astimezone(ZoneInfo(zone_near_noon(utc_hour))).hour == 12
