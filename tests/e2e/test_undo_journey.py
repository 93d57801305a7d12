"""Delete and undo in a browser (issue 13 item 7): the Undo toast can be tapped at phone and desktop
size and brings the run back; a form check asks first; a plan tick's htmx answer shows its toast.
Screenshots go to test-artifacts/screens/ to be looked at."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from tests.cases import SELF_MANAGE
from tests.conftest import ARTIFACTS

from backstride.config import local_today
from backstride.services.checks import check_symptoms
from backstride.services.users import local_user
from backstride.storage.models import Activity, FormCheck, Shoe

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
SCREENS = ARTIFACTS / "screens"
WIDTH = "() => document.documentElement.scrollWidth"


def _run() -> Activity:
    user = local_user()
    shoe = Shoe.objects.create(owner=user, name="Racer")
    start = datetime.combine(local_today() - timedelta(days=1), datetime.min.time(), UTC)
    return Activity.objects.create(
        owner=user,
        start_time=start.replace(hour=7),
        sport="running",
        distance_m=8_200,
        moving_time_s=2_700,
        shoe=shoe,
        source_format="manual",
    )


@pytest.mark.parametrize("size", SIZES)
def test_delete_a_run_then_undo_it_from_the_toast(browser, live_server, size):
    SCREENS.mkdir(parents=True, exist_ok=True)
    run = _run()
    context = browser.new_context(viewport=SIZES[size], base_url=live_server.url)
    page = context.new_page()
    page.goto(f"/activities/{run.id}/")
    page.click("text=Delete this activity")
    page.wait_for_url("**/activities/")
    toast = page.locator(".toast-undo")
    assert "Deleted the run of" in toast.inner_text() and "8.2 km" in toast.inner_text()
    page.screenshot(path=str(SCREENS / f"{size}-undo-toast.png"))
    assert page.evaluate(WIDTH) <= SIZES[size]["width"]
    assert not Activity.objects.exists()
    toast.get_by_role("button", name="Undo").click()
    page.wait_for_url(f"**/activities/{run.id}/")
    assert "Restored the run of" in page.locator(".toasts").inner_text()
    assert Activity.objects.get().shoe_id == run.shoe_id
    page.screenshot(path=str(SCREENS / f"{size}-undo-restored.png"))
    context.close()


@pytest.mark.parametrize("size", SIZES)
def test_a_form_check_delete_asks_first_and_keep_changes_nothing(browser, live_server, size):
    check = FormCheck.objects.create(
        owner=local_user(), status="failed", filename="clip.mp4", message="No runner could be followed."
    )
    context = browser.new_context(viewport=SIZES[size], base_url=live_server.url)
    page = context.new_page()
    page.goto(f"/form/{check.id}/")
    page.click("text=Delete this form check")
    page.wait_for_url(f"**/form/{check.id}/delete/")
    assert "This cannot be undone." in page.inner_text("main")
    page.screenshot(path=str(SCREENS / f"{size}-confirm-delete.png"))
    assert page.evaluate(WIDTH) <= SIZES[size]["width"]
    page.click("text=Keep it")
    page.wait_for_url(f"**/form/{check.id}/")
    assert FormCheck.objects.count() == 1
    page.click("text=Delete this form check")
    page.get_by_role("button", name="Delete this form check").click()
    page.wait_for_url("**/form/")
    assert not FormCheck.objects.exists() and "Deleted: the form check of" in page.inner_text(".toasts")
    context.close()


def test_a_plan_tick_with_htmx_shows_its_toast(browser, live_server):
    check_symptoms(SELF_MANAGE, local_user())
    context = browser.new_context(viewport=SIZES["phone"], base_url=live_server.url)
    page = context.new_page()
    page.goto("/plan/")
    page.locator("button.tick").first.click()
    page.wait_for_selector(".toasts .toast")
    assert "done today" in page.inner_text(".toasts")
    page.screenshot(path=str(SCREENS / "phone-plan-tick-toast.png"))
    context.close()
