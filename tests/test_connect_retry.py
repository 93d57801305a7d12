"""Opening a new SQLite database while another process switches it to WAL can be refused at once:
start-up tries again a few times, and reports any other failure at once."""

from __future__ import annotations

import pytest

from backstride import bootstrap


class FakeConnection:
    def __init__(self, vendor: str, failures: list[Exception]) -> None:
        self.vendor, self.failures, self.attempts, self.closed = vendor, failures, 0, 0

    def ensure_connection(self) -> None:
        self.attempts += 1
        if self.failures:
            raise self.failures.pop(0)

    def close(self) -> None:
        self.closed += 1


class Refused(Exception):
    pass


def failure(connection: object, error: Exception) -> RuntimeError:
    return RuntimeError(f"reported: {error}")


@pytest.fixture(autouse=True)
def no_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bootstrap, "CONNECT_PAUSE_S", 0.0)


def test_a_locked_new_database_is_opened_on_a_later_try() -> None:
    connection = FakeConnection("sqlite", [Refused("database is locked"), Refused("database is locked")])
    bootstrap.open_connection(connection, Refused, failure)  # type: ignore[arg-type]
    assert connection.attempts == 3 and connection.closed == 2


def test_a_database_locked_for_good_is_reported_after_the_last_try() -> None:
    locked = [Refused("database is locked") for _ in range(bootstrap.CONNECT_ATTEMPTS)]
    connection = FakeConnection("sqlite", locked)
    with pytest.raises(RuntimeError, match="reported: database is locked"):
        bootstrap.open_connection(connection, Refused, failure)  # type: ignore[arg-type]
    assert connection.attempts == bootstrap.CONNECT_ATTEMPTS


@pytest.mark.parametrize(
    ("vendor", "message"),
    [("sqlite", "unable to open database file"), ("postgresql", "database is locked")],
)
def test_any_other_failure_is_reported_at_once(vendor: str, message: str) -> None:
    connection = FakeConnection(vendor, [Refused(message)])
    with pytest.raises(RuntimeError, match=f"reported: {message}"):
        bootstrap.open_connection(connection, Refused, failure)  # type: ignore[arg-type]
    assert connection.attempts == 1
