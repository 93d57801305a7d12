"""The runner's data folder, secret key and calendar day (backstride.config)."""

from __future__ import annotations

import os
import stat
from datetime import UTC, date, datetime, tzinfo

import pytest

from backstride import config


def test_data_folder_and_secret_key_are_private(tmp_path, monkeypatch):
    monkeypatch.setenv("BACKSTRIDE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("BACKSTRIDE_SECRET_KEY", raising=False)
    folder = config.data_dir()
    key = config.secret_key()
    assert key and stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(os.stat(folder / "secret_key").st_mode) == 0o600


@pytest.mark.parametrize(
    ("utc", "east", "west"),
    [
        # Kiritimati is UTC+14, Niue UTC-11: 25 hours apart, so one day apart but for one hour a day.
        (datetime(2026, 6, 1, 12, 0, tzinfo=UTC), date(2026, 6, 2), date(2026, 6, 1)),
        (datetime(2026, 6, 1, 10, 30, tzinfo=UTC), date(2026, 6, 2), date(2026, 5, 31)),
    ],
)
def test_today_is_the_runners_local_date(monkeypatch, utc, east, west):
    class Clock(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> datetime:  # type: ignore[override]
            return utc.astimezone(tz)

    monkeypatch.setattr(config, "datetime", Clock)  # the same instant, wherever the runner is
    monkeypatch.setenv("BACKSTRIDE_TZ", "Pacific/Kiritimati")
    assert config.local_today() == east
    monkeypatch.setenv("BACKSTRIDE_TZ", "Pacific/Niue")
    assert config.local_today() == west
