"""The clinician's pages in a real browser (issue 15 item 4): a clinician signs in, finds the caseload
in order of need, opens a runner's timeline and writes a private note. At 390 px and 1280 px nothing is
wider than the screen and nothing breaks the Content-Security-Policy, and axe finds nothing serious. Saves
test-artifacts/screens/clinic-{caseload,timeline,notes}-{390,1280}.png (full page) to look at."""

from __future__ import annotations

import pytest
from tests.clinic.caseload_world import ORDER, share, tiered_caseload
from tests.clinic.conftest import PASSWORD, account
from tests.conftest import ARTIFACTS
from tests.e2e.test_clinic_journey import accessible
from tests.e2e.test_csp_pages import LISTEN
from tests.e2e.test_design import WIDTHS
from tests.services.report_seed import seed_ten_weeks

from backstride.config import local_today

pytestmark = [pytest.mark.e2e, pytest.mark.clinic, pytest.mark.django_db(transaction=True)]
SCREENS = ARTIFACTS / "screens"


@pytest.fixture
def clinic_mode(settings):
    settings.MODE = "clinic"
    settings.AXES_ENABLED = True
    return settings


def _look(page, name: str, width: int) -> None:
    page.wait_for_load_state("load")
    measured = page.evaluate(WIDTHS)
    assert measured["scroll"] <= width, (name, measured["wide"])
    assert page.evaluate("window.__csp || []") == [], name
    page.screenshot(path=str(SCREENS / f"clinic-{name}-{width}.png"), full_page=True)
    accessible(page, f"clinic-{name}-{width}")  # axe: no serious or critical finding


def test_the_clinicians_pages_at_phone_and_desktop_width(browser, live_server, clinic_mode):
    lee = account("dr-lee", role="clinician")
    tiered_caseload(lee)
    mia = account("mia")
    seed_ten_weeks(mia, local_today())
    share(mia, lee)
    SCREENS.mkdir(parents=True, exist_ok=True)
    for width, height in ((390, 844), (1280, 900)):
        context = browser.new_context(viewport={"width": width, "height": height}, base_url=live_server.url)
        page = context.new_page()
        page.add_init_script(LISTEN)
        page.goto("/")
        page.fill("#username", "dr-lee")
        page.fill("#password", PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/caseload/")
        names = page.locator("ol.caseload h2").all_inner_texts()
        assert [name for name in names if name != "mia"] == ORDER
        _look(page, "caseload", width)
        page.get_by_role("link", name="mia", exact=True).click()
        page.wait_for_url(f"**/caseload/{mia.pk}/")
        assert page.locator("h1").inner_text() == "mia"
        _look(page, "timeline", width)
        page.get_by_role("link", name="Your notes").click()
        page.fill("#note-text", "Hip hinge improving; recheck load at week 6.")
        page.get_by_role("button", name="Save the note").click()
        page.wait_for_url(f"**/caseload/{mia.pk}/notes/")
        assert "Hip hinge improving" in page.locator("ol.clinic-notes").inner_text()
        _look(page, "notes", width)
        context.close()
