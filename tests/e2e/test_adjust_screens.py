"""Plan changes by the physio in Chromium (issue 15 item 4, clinic mode): the clinician replaces an
exercise on the runner's plan page, the runner sees it on Plan marked "Set by your physio". Screenshots
at 390 and 1280 px into test-artifacts/screens/, to be looked at."""

from __future__ import annotations

import pytest
from tests.cases import SELF_MANAGE
from tests.conftest import ARTIFACTS

from backstride.config import local_today
from backstride.services.accounts import create_account
from backstride.services.checks import check_symptoms
from backstride.services.plan import plan_view
from backstride.storage.models import CareLink, PlanAdjustment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SCREENS = ARTIFACTS / "screens"
WIDEST = "() => document.documentElement.scrollWidth"
PASSWORD = "amber-kestrel-river-42"


def shot(page, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


def sign_in(browser, live_server, username: str, viewport: dict[str, int]):
    context = browser.new_context(viewport=viewport, base_url=live_server.url)
    page = context.new_page()
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return context, page


def test_the_physio_replaces_an_exercise_and_the_runner_sees_it(browser, live_server, settings):
    settings.MODE = "clinic"
    physio = create_account("dr_lee", "clinician", PASSWORD)
    runner = create_account("anna", "runner", PASSWORD)
    check_symptoms(SELF_MANAGE, runner)
    CareLink.objects.create(runner=runner, clinician=physio)
    today = local_today()
    items = [i for d in plan_view(runner, today, today)["days"] for i in d["items"]]
    old = next(i for i in items if i["kind"] == "strength")
    new = next(e for e in ("bird-dog", "curl-up", "hip-thrust") if e not in {i["exercise_id"] for i in items})

    context, page = sign_in(browser, live_server, "dr_lee", PHONE)
    page.goto(f"/caseload/{runner.pk}/plan/")
    assert "Plan of anna" in page.inner_text("h1")
    page.select_option("#adjust-kind", "replace")
    page.select_option("#adjust-exercise", old["exercise_id"])
    page.select_option("#adjust-to", new)
    page.fill("#adjust-note", "Easier on your back for two weeks.")
    page.click("text=Save the change")
    page.wait_for_url(f"**/caseload/{runner.pk}/plan/")
    made = PlanAdjustment.objects.get(runner=runner)
    assert f"PHYSIO-{made.pk}" in page.inner_text("#in-force")
    assert page.evaluate(WIDEST) <= PHONE["width"]
    shot(page, "phone-clinic-plan")
    page.select_option("#adjust-kind", "dose")
    page.select_option("#adjust-exercise", old["exercise_id"])
    page.fill("#adjust-sets", "12")
    page.click("text=Save the change")
    assert "Sets must be 1 to 10" in page.inner_text("#problems")
    assert page.input_value("#adjust-sets") == "12"
    shot(page, "phone-clinic-plan-error")
    page.set_viewport_size(DESKTOP)
    page.goto(f"/caseload/{runner.pk}/plan/")
    shot(page, "desktop-clinic-plan")
    context.close()

    context, page = sign_in(browser, live_server, "anna", PHONE)
    page.goto("/plan/")
    notes = page.inner_text("#physio-notes")
    assert "Set by your physio (dr_lee)" in notes and "Easier on your back" in notes
    assert page.evaluate(WIDEST) <= PHONE["width"]
    shot(page, "phone-plan-physio")
    page.set_viewport_size(DESKTOP)
    page.reload()
    shot(page, "desktop-plan-physio")
    page.goto("/today/")
    shot(page, "desktop-today-physio")
    context.close()
