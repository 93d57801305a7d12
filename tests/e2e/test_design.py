"""The design at phone size (issue 13, items 1 and 8): no page is wider than a 390 px phone, and every
main page is screenshotted at phone and desktop width, light and dark, into test-artifacts/screens/
to be looked at."""

from __future__ import annotations

import pytest
from tests.conftest import ARTIFACTS
from tests.web.pages import seed_every_page

from backstride.services.users import local_user
from backstride.storage.models import FormCheck

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SCREENS = ARTIFACTS / "screens"
WIDTHS = """() => ({scroll: document.documentElement.scrollWidth,
  wide: [...document.querySelectorAll("main *, header *, footer *")]
    .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1)
    .slice(0, 5)
    .map((element) => element.tagName + "." + element.className + " " + element.textContent.slice(0, 40))})"""


def page_name(path: str) -> str:
    """A stable file name for a page (ids differ from run to run)."""
    parts = path.strip("/").split("/")
    if parts[0] == "activities" and len(parts) == 2 and parts[1].isdigit():
        return "activity"
    if parts[0] == "checks":
        return "check-result"
    return "-".join(parts) or "home"


def every_page() -> list[str]:
    """Every main page with data in it, form checks included (a phone's long clip name among them)."""
    paths = seed_every_page()
    user = local_user()
    medians = {"cadence_spm": 168.0, "overstride_pct_leg": 14.0, "trunk_lean_deg": 7.0}
    FormCheck.objects.create(owner=user, status="done", filename="PXL_20261203_1815.mp4", medians=medians)
    FormCheck.objects.create(
        owner=user,
        status="failed",
        filename="VID_20261204_071502_easy_run_side_view_treadmill.mov",
        message="No runner could be followed through the clip: film from the side at hip height.",
    )
    return [*paths, "/more/", "/rmdq/", "/activities/new-run/", "/report/", "/no-such-page/"]


def open_question(page) -> None:
    """The check's first question, as a runner reaches it (Start swaps it in)."""
    page.goto("/check/")
    page.click("button.primary.big")
    page.wait_for_selector("#step")


def test_no_page_is_wider_than_a_phone(browser, live_server):
    paths = every_page()
    context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    page = context.new_page()
    for path in paths:
        page.goto(path)
        page.wait_for_load_state("load")
        widths = page.evaluate(WIDTHS)
        assert widths["scroll"] <= PHONE["width"], (path, widths)
    open_question(page)
    widths = page.evaluate(WIDTHS)
    assert widths["scroll"] <= PHONE["width"], ("question", widths)
    context.close()


def test_screenshots_of_the_main_pages(browser, live_server):
    paths = every_page()
    wanted = {"today", "diary", "plan", "history", "activities", "activity", "check-result", "more"}
    wanted.add("no-such-page")
    SCREENS.mkdir(parents=True, exist_ok=True)
    for size, viewport in {"phone": PHONE, "desktop": DESKTOP}.items():
        for scheme in ("light", "dark"):
            context = browser.new_context(viewport=viewport, color_scheme=scheme, base_url=live_server.url)
            page = context.new_page()
            for path in paths:
                if page_name(path) in wanted:
                    page.goto(path)
                    page.wait_for_load_state("load")
                    shot = SCREENS / f"{size}-{scheme}-{page_name(path)}.png"
                    page.screenshot(path=str(shot), full_page=True)
            open_question(page)
            page.screenshot(path=str(SCREENS / f"{size}-{scheme}-check-question.png"), full_page=True)
            context.close()


def test_offline_the_stored_offline_page_shows_and_no_page_with_data_is_stored(browser, live_server):
    paths = seed_every_page()
    context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    page = context.new_page()
    page.goto("/today/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    for path in paths:  # visit every page with data while the worker is on
        page.goto(path)
    stored = page.evaluate(
        """async () => {
             const urls = [];
             for (const name of await caches.keys()) {
               const cache = await caches.open(name);
               for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
             }
             return urls;
           }"""
    )
    assert "/offline/" in stored
    assert all(url == "/offline/" or url.startswith("/static/") for url in stored), stored
    context.set_offline(True)
    page.goto("/history/")
    assert "backstride cannot be reached" in page.inner_text("main")
    context.set_offline(False)
    page.goto("/history/")
    assert page.inner_text("h1") == "History"
    context.close()
