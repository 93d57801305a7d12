"""Running data in a real browser at phone size: the route trace, pace and distance in the runner's
unit, nothing wider than the screen. Screenshots at 390 and 1280 px go to test-artifacts/screens/."""

from __future__ import annotations

import pytest
from tests.conftest import ARTIFACTS, SHARED

from backstride.services.imports import import_paths
from backstride.services.users import local_user, set_units

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

RUN_WITH_GPS = SHARED / "data" / "activities" / "fit" / "fitparse__garmin-fenix-5-run.fit"
SCREENS = ARTIFACTS / "screens"
WIDTH = "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"


def _shoot(browser, base_url: str, path: str, name: str) -> None:
    for width in (390, 1280):
        context = browser.new_context(viewport={"width": width, "height": 844}, base_url=base_url)
        page = context.new_page()
        page.goto(path)
        SCREENS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENS / f"running-{name}-{width}.png"), full_page=True)
        context.close()


def test_the_activity_page_at_phone_size_shows_the_route_and_fits(browser, live_server):
    report = import_paths(local_user(), [RUN_WITH_GPS], workers=1)
    activity_id = report["activities"][0]["id"]
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url)
    page = context.new_page()
    page.goto(f"/activities/{activity_id}/")
    trace = page.locator("#route > svg")
    assert trace.count() == 1 and page.locator("#route polyline").count() >= 1
    box = trace.bounding_box()
    assert box is not None and 0 < box["width"] <= 390 and box["height"] > 50
    assert page.evaluate(WIDTH) <= 390
    assert "/km" in page.inner_text(".activity-headline")
    chart = page.locator("#chart-pace > svg").bounding_box()
    assert chart is not None and chart["width"] > 300  # the chart fills the phone's width
    context.close()
    _shoot(browser, live_server.url, f"/activities/{activity_id}/", "activity")
    _shoot(browser, live_server.url, "/activities/", "activities")
    set_units(local_user(), "mile")
    _shoot(browser, live_server.url, f"/activities/{activity_id}/", "activity-miles")
    _shoot(browser, live_server.url, "/settings/", "settings")


def test_the_history_chart_fits_a_phone(browser, live_server):
    from tests.cases import SELF_MANAGE

    from backstride.services.checks import check_symptoms
    from backstride.services.rmdq import record_rmdq

    for ticked in ([1, 2, 3, 4, 5, 6], [1, 2, 3]):
        check_symptoms(SELF_MANAGE, local_user())
        record_rmdq(local_user(), ticked)
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url)
    page = context.new_page()
    page.goto("/history/")
    assert page.evaluate(WIDTH) <= 390
    chart = page.locator("figure.chart > svg").first.bounding_box()
    assert chart is not None and chart["width"] > 300
    context.close()
    _shoot(browser, live_server.url, "/history/", "history")
