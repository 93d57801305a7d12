"""Forms refused in a browser, at phone size (issue 13 item 2): each error beside its field in words,
what was typed kept, nothing wider than the phone; and the sources page. Screenshots at 390 and
1280 px go to test-artifacts/screens/ to be looked at."""

from __future__ import annotations

import pytest
from tests.conftest import ARTIFACTS

from backstride.services.users import local_user
from backstride.storage.models import Shoe

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SCREENS = ARTIFACTS / "screens"
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
WIDER = """() => [...document.querySelectorAll("main *")]
  .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1)
  .map((element) => element.tagName + "." + element.className).slice(0, 5)"""


def _shot(page, name: str, size: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"words-{name}-{size}.png"), full_page=True)


@pytest.mark.parametrize("size", sorted(SIZES))
def test_refused_forms_show_each_error_beside_its_field(browser, live_server, size):
    Shoe.objects.create(owner=local_user(), name="Pegasus", replacement_km=700)
    context = browser.new_context(viewport=SIZES[size], base_url=live_server.url)
    page = context.new_page()
    steps = [
        (
            "check-in",
            "/diary/",
            [
                ("click", "text=More (optional)"),
                ("fill", "#stiffness", "lots"),
                ("fill", "#sleep_hours", "30"),
            ],
            "button:has-text('Save check-in')",
            "Stiffness: type a whole number from 0 to 10, such as 3.",
            "#stiffness",
            "lots",
        ),
        (
            "new-run",
            "/activities/new-run/",
            [("fill", "#distance_km", "eight"), ("fill", "#duration_min", "")],
            "button:has-text('Save run')",
            "Distance (km): type a number more than 0",
            "#distance_km",
            "eight",
        ),
        (
            "shoes",
            "/shoes/",
            [("fill", "#start_km", "many")],
            "button:has-text('Add shoes')",
            "Name is needed: please fill it in.",
            "#start_km",
            "many",
        ),
        (
            "outcomes",
            "/outcomes/",
            [("fill", "#activity_1", "carry shopping")],
            "button:has-text('Save my ratings')",
            "The rating of activity 1 is missing",
            "#activity_1",
            "carry shopping",
        ),
    ]
    for name, path, actions, submit, message, field, typed in steps:
        page.goto(path)
        for action, selector, *value in actions:
            if action == "click":
                page.click(selector)
            else:
                page.fill(selector, value[0])
        if name == "shoes":
            page.evaluate("document.querySelector('#name').removeAttribute('required')")
        page.click(submit)
        page.wait_for_selector(".field-error")
        assert message in page.inner_text("main"), (name, page.inner_text("main")[:600])
        assert page.input_value(field) == typed, name
        assert page.evaluate(WIDER) == [], name
        _shot(page, name, size)
    context.close()


@pytest.mark.parametrize("size", sorted(SIZES))
def test_sources_read_as_references(browser, live_server, size):
    context = browser.new_context(viewport=SIZES[size], base_url=live_server.url)
    page = context.new_page()
    page.goto("/sources/#cook-1985")
    text = page.inner_text("main")
    assert "Why do I get lower back pain from running?" in text and "seed-004" not in text
    assert page.evaluate(WIDER) == []
    _shot(page, "sources", size)
    context.close()


@pytest.mark.parametrize("size", sorted(SIZES))
def test_an_imported_activity_shows_its_file_name_and_fits(browser, live_server, size):
    from datetime import UTC, datetime

    from backstride.storage.models import Activity

    path = "/home/runner/Downloads/export_12345678/activities/2026-12-01-07-12-33-morning-hill-repeats.fit"
    run = Activity.objects.create(
        owner=local_user(),
        start_time=datetime(2026, 12, 1, 7, 12, tzinfo=UTC),
        sport="running",
        distance_m=8000,
        moving_time_s=2700,
        source_format="fit",
        source_file=path,
        terrain="uphill_heavy",
        surface="trail",
    )
    context = browser.new_context(viewport=SIZES[size], base_url=live_server.url)
    page = context.new_page()
    page.goto(f"/activities/{run.id}/")
    page.click("text=For your clinician")
    text = page.inner_text("main")
    assert "2026-12-01-07-12-33-morning-hill-repeats.fit" in text and "Mostly uphill, trail" in text
    assert page.evaluate(WIDER) == []
    _shot(page, "imported-activity", size)
    context.close()
