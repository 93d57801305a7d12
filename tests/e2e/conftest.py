"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from tests.conftest import ARTIFACTS

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make between
# page actions are still plain synchronous calls, so Django's async-safety guard must stand aside.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = ARTIFACTS / "screenshots"


def zone_near_noon(utc_hour: int) -> str:
    """A fixed-offset zone whose clock reads about noon at this UTC hour (Etc/GMT signs are inverted:
    Etc/GMT-5 is five hours ahead of UTC)."""
    hours_ahead = 12 - utc_hour  # -11..12, all of which exist as Etc/GMT zones
    return "Etc/GMT" if hours_ahead == 0 else f"Etc/GMT{-hours_ahead:+d}"


@pytest.fixture(scope="package", autouse=True)
def runner_day_far_from_midnight() -> Iterator[None]:
    """A browser test reads "today" once and then drives the live server for a minute or more; a run
    crossing midnight split the two days (CI started near midnight once). Unless a zone is set, the
    runner's day is read in a zone where it is about noon, so the browser tests have hours to spare.
    Package scope: the tests outside this folder keep the machine's zone."""
    if os.environ.get("BACKSTRIDE_TZ"):
        yield
        return
    from datetime import UTC, datetime

    os.environ["BACKSTRIDE_TZ"] = zone_near_noon(datetime.now(UTC).hour)
    try:
        yield
    finally:
        del os.environ["BACKSTRIDE_TZ"]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    assert os.path.exists(CHROMIUM), "browser tests need Debian's chromium: apt-get install chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def phone_page(browser, live_server):
    """A phone-sized page (390x844) pointed at the live test server."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url)
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
