"""A few days of check-ins and runs entered in a real browser, then the dashboard, narrow and wide."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from tests.e2e.conftest import screenshot

from backstride.config import local_today
from backstride.core.diary import A8_ITEMS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
CHOICE_ITEMS = ("leg_pain_side", "numbness_tingling", "leg_weakness")


def check_in(
    page, day: date, pain: int, ran: bool = False, ratings: tuple[int, int, int] | None = None
) -> None:
    page.goto(f"/diary/?day={day.isoformat()}")
    page.fill("#day", day.isoformat())
    page.check(f'input[name="pain_now"][value="{pain}"]', force=True)
    page.check('input[name="locations"][value="central"]', force=True)
    page.check('input[name="safety"][value="each"]', force=True)  # the safety signs one by one
    for item in A8_ITEMS:
        if item in ("neuro_worsening", "pregnancy_warning", "leg_pain_side"):
            continue  # only with numbness or weakness / while pregnant (K.7) / with pain in a leg
        page.check(
            f'input[name="rf_{item}"][value="{"none" if item in CHOICE_ITEMS else "false"}"]', force=True
        )
    page.check(f'input[name="ran"][value="{"yes" if ran else "no"}"]', force=True)
    if ratings:
        for field, value in zip(
            ("#pain_before_run", "#pain_during_run", "#pain_after_run"), ratings, strict=True
        ):
            page.fill(field, str(value))
    page.click("button.primary.big")
    page.wait_for_url("**/today/")


def log_run(page, day: date, km: float, minutes: int) -> None:
    page.goto("/activities/new-run/")
    page.fill("#day", day.isoformat())
    page.fill("#distance_km", str(km))
    page.fill("#duration_min", str(minutes))
    page.select_option("#surface", "road")
    page.fill("#rpe", "5")
    page.click("button.primary")
    page.wait_for_selector("#chart-pace, p:has-text('no samples')")


def test_a_week_of_diary_and_runs_then_the_dashboard(phone_page, browser, live_server):
    page = phone_page
    today = local_today()
    for days_ago, km in ((6, 5), (4, 6), (1, 8)):
        log_run(page, today - timedelta(days=days_ago), km, km * 6)
    for days_ago in range(6, 0, -1):
        ran = days_ago in (6, 4, 1)
        check_in(page, today - timedelta(days=days_ago), pain=2, ran=ran, ratings=(2, 3, 2) if ran else None)
    check_in(page, today, pain=2)
    text = page.inner_text("#run-today")
    assert "Amber" in text and "reached 3–5/10" in text and "A3" not in text  # yesterday's run reached 3/10
    assert "A3" in page.text_content("#run-today details")  # the rule id one tap away
    assert page.locator("#chart-pain-load svg").count() == 1
    screenshot(page, "dashboard-phone")
    wide = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url).new_page()
    wide.goto("/today/")
    assert "This week against the last four" in wide.inner_text("main")
    screenshot(wide, "dashboard-wide")
    wide.context.close()
