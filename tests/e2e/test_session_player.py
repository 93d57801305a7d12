"""The session player in Chromium on a phone (issue 13 item 4): from Today, "Start today's session",
one exercise at a time with its figure and timer, Next to the end, "Mark done", the toast and the
ticks on Today. Screenshots at 390 and 1280 px into test-artifacts/screens/, to be looked at."""

from __future__ import annotations

import pytest
from tests.cases import SELF_MANAGE
from tests.conftest import ARTIFACTS

from backstride.config import local_today
from backstride.services.checks import check_symptoms
from backstride.services.plan import plan_view
from backstride.services.plan_json import session_items
from backstride.services.users import local_user
from backstride.storage.models import PlanItemDone

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SCREENS = ARTIFACTS / "screens"
WIDEST = "() => document.documentElement.scrollWidth"


def todays_session_items() -> list[dict]:
    data = plan_view(local_user(), local_today(), local_today())
    items = next(day["items"] for day in data["days"] if day["day"] == local_today().isoformat())
    return session_items(items)


def shot(page, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


def test_walk_the_session_on_a_phone_and_mark_it_done(browser, live_server):
    check_symptoms(SELF_MANAGE, local_user())  # today's check: today's colour and today's plan
    items = todays_session_items()
    assert items
    context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    page = context.new_page()
    page.goto("/today/")
    assert "Green" in page.inner_text("#run-today")  # the check counts as today's check-in
    shot(page, "phone-today-session")
    start = page.get_by_role("link", name="Start today's session")
    box = start.bounding_box()
    assert box is not None and box["height"] >= 44
    start.click()
    page.wait_for_url("**/plan/session/")
    for number, item in enumerate(items, start=1):
        assert page.inner_text("h1.session-title").startswith(item["title"])
        assert f"Exercise {number} of {len(items)}" in page.inner_text(".session-top")
        figure = page.locator(".session-figure.fig-motion svg")
        assert figure.is_visible() and figure.bounding_box()["width"] >= 340  # big: the phone's width
        assert page.evaluate(WIDEST) <= PHONE["width"], number
        if item["hold_s"]:
            page.click(".timer-start")
            page.wait_for_function("document.querySelector('.timer-out').textContent.includes('Get ready')")
            page.click(".timer-start")  # stop it
        elif item["sets"] > 1 and item["rest_s"]:
            page.click(".rest-start")
            page.wait_for_function("document.querySelector('.rest-out').textContent.startsWith('Rest:')")
        if number == 1:
            shot(page, "phone-session-step")
        nxt = page.locator("#session-next")
        assert nxt.bounding_box()["height"] >= 48
        if number == 2:  # Back, then Next again
            page.click('a[rel="prev"]')
            assert page.inner_text("h1.session-title").startswith(items[0]["title"])
            page.click("#session-next")
        page.click("#session-next")
    assert page.inner_text("h1") == "Session finished?"
    shot(page, "phone-session-end")
    page.click("#session-done")
    page.wait_for_url("**/today/")
    assert "Saved: today's session done" in page.inner_text("#toasts")
    assert set(PlanItemDone.objects.values_list("item_key", flat=True)) == {i["key"] for i in items}
    assert page.locator("#today-plan .done-mark").count() >= len(items)
    shot(page, "phone-today-after-session")
    context.close()


def test_screenshots_of_the_player_and_today_at_both_sizes(browser, live_server):
    for size, viewport in {"phone": PHONE, "desktop": DESKTOP}.items():  # before any check-in
        context = browser.new_context(viewport=viewport, base_url=live_server.url)
        page = context.new_page()
        page.goto("/today/")
        button = page.get_by_role("link", name="Log today")
        assert button.is_visible() and button.bounding_box()["height"] >= 44  # one piece, tall enough
        shot(page, f"{size}-player-today-before")
        context.close()
    check_symptoms(SELF_MANAGE, local_user())
    count = len(todays_session_items())
    for size, viewport in {"phone": PHONE, "desktop": DESKTOP}.items():
        context = browser.new_context(viewport=viewport, base_url=live_server.url)
        page = context.new_page()
        for name, path in {
            "today": "/today/",
            "plan": "/plan/",
            "session-1": "/plan/session/",
            "session-end": f"/plan/session/?step={count + 1}",
        }.items():
            page.goto(path)
            page.wait_for_load_state("load")
            assert page.evaluate(WIDEST) <= viewport["width"], path
            shot(page, f"{size}-player-{name}")
        context.close()
