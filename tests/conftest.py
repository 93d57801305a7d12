"""Shared test paths. (The temporary data folder is set up by tests/pytest_env.py.)"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = REPO_ROOT.parent / "shared"
ARTIFACTS = REPO_ROOT / "test-artifacts"


def pytest_configure(config: object) -> None:
    """The suite tests against the real seeds, spec and activity files: say so when they are missing."""
    _start_another_day()
    if not (SHARED / "data" / "activities" / "manifest.json").is_file():
        raise pytest.UsageError(
            "the tests need the project's shared/ folder (seeds, spec, data) next to the repository: "
            f"{SHARED} is missing. Clone the repository beside shared/, as CI does."
        )


@pytest.fixture(scope="session", autouse=True)
def _strict_templates() -> Iterator[None]:
    """Every test renders with templates that fail on a missing variable (tests/strict_templates.py)."""
    from django.test.utils import override_settings
    from tests.strict_templates import strict_templates

    with override_settings(TEMPLATES=strict_templates()):
        yield


@pytest.fixture(autouse=True)
def _forget_remembered_results() -> Iterator[None]:
    """Each test starts with no result remembered per data version: a rolled-back test database reuses
    ids, and a frozen clock reuses times, so two tests' different data could share a version."""
    from backstride.services.data_version import forget_all

    forget_all()
    yield


TRAVEL_ENV = "BACKSTRIDE_TEST_DAYS_AHEAD"
_travel: list[Any] = []


def _start_another_day() -> None:
    """``BACKSTRIDE_TEST_DAYS_AHEAD=N`` runs the suite as if it were N days later (the clock ticks on
    from there): a test that holds only on some weekdays fails on the others, and CI runs on whatever
    day a change lands (tests once passed only on Mondays). Started before the tests are collected, so
    dates in their parameters move too. Processes a test starts (import parsers, `backstride`
    subprocesses) keep the real clock: to them data dated from the moved "today" lies in the future,
    so a test that parses in another process can fail for that reason alone. Unset: the real clock."""
    days = os.environ.get(TRAVEL_ENV)
    if days:
        import time_machine

        travel = time_machine.travel(datetime.now(UTC) + timedelta(days=int(days)), tick=True)
        travel.start()
        _travel.append(travel)


def pytest_unconfigure(config: object) -> None:
    while _travel:
        _travel.pop().stop()
