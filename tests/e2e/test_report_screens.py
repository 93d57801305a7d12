"""The /report/ page in a real browser (issue 14 item 1): at 390 px and 1280 px wide nothing is wider
than the screen, no Content-Security-Policy violation, and the Download PDF button sends a PDF. Saves
test-artifacts/screens/report-390.png and report-1280.png (full page) to look at."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import ARTIFACTS
from tests.e2e.test_csp_pages import LISTEN
from tests.e2e.test_design import WIDTHS
from tests.services.report_seed import seed_ten_weeks

from backstride.config import local_today
from backstride.services.users import local_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SCREENS = ARTIFACTS / "screens"


def test_the_report_page_at_phone_and_desktop_width(browser, live_server):
    seed_ten_weeks(local_user(), local_today())
    SCREENS.mkdir(parents=True, exist_ok=True)
    for width, height in ((390, 844), (1280, 900)):
        context = browser.new_context(viewport={"width": width, "height": height}, base_url=live_server.url)
        page = context.new_page()
        page.add_init_script(LISTEN)
        page.goto("/report/")
        page.wait_for_load_state("load")
        assert page.locator("#report-summary h2").inner_text() == "Summary"
        assert page.locator("#report-pain svg >> visible=true").count() == 1  # the one for this width
        measured = page.evaluate(WIDTHS)
        assert measured["scroll"] <= width, measured["wide"]
        assert page.evaluate("window.__csp || []") == []
        page.screenshot(path=str(SCREENS / f"report-{width}.png"), full_page=True)
        if width == 1280:
            with page.expect_download() as download:
                page.get_by_role("link", name="Download PDF").click()
            path = download.value.path()
            assert path is not None and Path(path).read_bytes()[:5] == b"%PDF-"
            assert download.value.suggested_filename.startswith("backstride-report-")
        context.close()
