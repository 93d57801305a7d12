"""Shared test paths. (The temporary data folder is set up by tests/pytest_env.py.)"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = REPO_ROOT.parent / "shared"
ARTIFACTS = REPO_ROOT / "test-artifacts"


def pytest_configure(config: object) -> None:
    """The suite tests against the real seeds, spec and activity files: say so when they are missing."""
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
