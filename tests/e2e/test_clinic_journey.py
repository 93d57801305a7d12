"""Clinic mode in a real browser (issue 15, done when): a clinician invites a runner, the runner accepts
and does a check-in with a red flag, the clinician's caseload shows that runner first, the clinician
adjusts the plan, the runner sees the change, the runner stops sharing, and the clinician's next page is
"not found". Two browsers side by side: the runner's phone (390 px) and the clinician's desktop (1280 px),
with a screenshot of each step and axe-core on every clinic page (no serious or critical violation)."""

from __future__ import annotations

import pytest
from tests.clinic.conftest import PASSWORD, account
from tests.e2e.conftest import screenshot
from tests.e2e.test_accessibility import BLOCKING, findings
from tests.e2e.test_design import DESKTOP, PHONE

from backstride.core.diary.check_in import A8_ITEMS
from backstride.storage.models import CareLink

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
CHOICE_ITEMS = ("leg_pain_side", "numbness_tingling", "leg_weakness")


@pytest.fixture
def clinic_server(settings, live_server):
    settings.MODE = "clinic"
    settings.AXES_ENABLED = True
    return live_server


def sign_in(browser, server, size: dict, username: str):
    page = browser.new_context(viewport=size, base_url=server.url).new_page()
    page.goto("/login/")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button.primary")
    page.wait_for_load_state()
    return page


def accessible(page, name: str) -> None:
    blocking = [finding for finding in findings(page, name) if finding.impact in BLOCKING]
    assert not blocking, "\n".join(str(finding) for finding in blocking)


def check_in_with_saddle_numbness(page) -> None:
    page.goto("/diary/")
    page.check('input[name="pain_now"][value="5"]', force=True)
    page.check('input[name="locations"][value="central"]', force=True)
    page.check('input[name="safety"][value="each"]', force=True)
    for item in A8_ITEMS:
        if item in ("neuro_worsening", "pregnancy_warning", "leg_pain_side"):
            continue
        answer = "true" if item == "saddle_numbness" else "none" if item in CHOICE_ITEMS else "false"
        page.check(f'input[name="rf_{item}"][value="{answer}"]', force=True)
    page.check('input[name="ran"][value="no"]', force=True)
    page.click("button.primary.big")
    page.wait_for_url("**/today/#escalation")


def test_a_clinician_and_a_runner_from_invite_to_revoke(browser, clinic_server):
    lee = account("lee", "clinician")
    zoe = account("zoe")  # last by name: first in the caseload only by need
    for name in ("ben", "cara"):
        CareLink.objects.create(runner=account(name), clinician=lee)
    physio = sign_in(browser, clinic_server, DESKTOP, "lee")
    runner = sign_in(browser, clinic_server, PHONE, "zoe")

    # The physio invites the runner; the runner accepts on their phone.
    physio.click("text=Invite a runner")
    link = physio.input_value("input.invite-link")
    screenshot(physio, "clinic-01-physio-invite-link")
    accessible(physio, "caseload-invite")
    runner.goto(link)
    assert "lee asks to see your records" in runner.inner_text("main")
    screenshot(runner, "clinic-02-runner-opens-invite")
    accessible(runner, "invite")
    runner.click("text=Share my records with lee")
    runner.wait_for_url("**/sharing/")
    assert "lee" in runner.inner_text(".share-list")
    screenshot(runner, "clinic-03-runner-sharing")
    accessible(runner, "sharing")

    # A check-in with a red flag: the runner is told what to do at once ...
    check_in_with_saddle_numbness(runner)
    screenshot(runner, "clinic-04-runner-red-flag")
    # ... and the physio's caseload shows that runner first.
    physio.goto("/caseload/")
    first = physio.locator("ol.caseload > li").first
    assert first.locator("h2").inner_text() == "zoe"
    assert "Check-in escalation today" in first.inner_text() and "Emergency" in first.inner_text()
    assert physio.locator("ol.caseload > li").count() == 3
    screenshot(physio, "clinic-05-physio-caseload")
    accessible(physio, "caseload")

    # The physio adds a note to the plan; the runner sees it, marked as theirs.
    first.locator("a", has_text="Plan").click()
    physio.wait_for_url(f"**/caseload/{zoe.pk}/plan/")
    physio.select_option("#adjust-kind", "note")
    physio.fill("#adjust-note", "Ring me today about the numbness, before any exercise.")
    physio.click("text=Save the change")
    physio.wait_for_url(f"**/caseload/{zoe.pk}/plan/")
    assert "Ring me today" in physio.inner_text("#in-force")
    screenshot(physio, "clinic-06-physio-plan-change")
    accessible(physio, "clinic-plan")
    runner.goto("/plan/")
    plan_text = runner.inner_text("main")
    assert "From your physio" in plan_text and "Ring me today about the numbness" in plan_text
    screenshot(runner, "clinic-07-runner-sees-the-change")

    # The runner stops sharing: the physio's next page about the runner is "not found".
    runner.goto("/sharing/")
    runner.click("text=Stop sharing")
    runner.wait_for_url("**/sharing/")
    assert "lee no longer sees your records." in runner.inner_text("body")
    assert "lee changed your plan" in runner.inner_text(".access-log")
    screenshot(runner, "clinic-08-runner-stopped-sharing")
    response = physio.goto(f"/caseload/{zoe.pk}/")
    assert response.status == 404
    screenshot(physio, "clinic-09-physio-not-found")
    physio.goto("/caseload/")
    assert "zoe" not in physio.inner_text("main")
