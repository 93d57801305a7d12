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
    account("lee", "clinician")
    anna = account("anna")
    for name in ("ben", "cara"):
        account(name)
    physio = sign_in(browser, clinic_server, DESKTOP, "lee")
    runner = sign_in(browser, clinic_server, PHONE, "anna")

    # The runner makes an invite link for the physio, who accepts it.
    runner.goto("/sharing/")
    accessible(runner, "sharing-empty")
    runner.click("text=Make an invite link")
    link = runner.input_value("input.invite-link")
    screenshot(runner, "clinic-01-runner-invite-link")
    physio.goto(link)
    screenshot(physio, "clinic-02-physio-opens-invite")
    accessible(physio, "invite")
    physio.click("button.primary")
    physio.wait_for_url("**/caseload/")

    # The runner sees who sees their records, and does a check-in with a red flag.
    runner.goto("/sharing/")
    assert "lee" in runner.inner_text(".share-list")
    check_in_with_saddle_numbness(runner)
    screenshot(runner, "clinic-03-runner-red-flag")

    # The runner stops sharing: the physio's next page about the runner is "not found".
    runner.goto("/sharing/")
    screenshot(runner, "clinic-04-runner-sharing")
    accessible(runner, "sharing")
    runner.click("text=Stop sharing")
    runner.wait_for_url("**/sharing/")
    assert "lee no longer sees your records." in runner.inner_text("body")
    screenshot(runner, "clinic-05-runner-stopped")
    assert anna.care_links.filter(ended_at__isnull=True).count() == 0
