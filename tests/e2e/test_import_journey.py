"""Upload activity files in a real browser, watch the background import finish, open an activity."""

from __future__ import annotations

import pytest
from tests.conftest import SHARED
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DATA = SHARED / "data" / "activities"


def test_upload_files_see_progress_then_the_activity_charts(phone_page):
    page = phone_page
    page.goto("/activities/")
    page.set_input_files(
        "#files",
        [
            str(DATA / "fit" / "fitparse__activity-small-fenix2-run.fit"),
            str(DATA / "bad" / "gpsbabel__trackfilter_discard_err.gpx"),
        ],
    )
    page.click("button.primary")
    page.wait_for_selector("#job")
    page.wait_for_selector("#job .ok", timeout=60_000)  # htmx polls the job until it is done
    text = page.inner_text("#job")
    assert "1 activity imported" in text and "trackfilter_discard_err.gpx" in text
    screenshot(page, "import-done")
    page.click("text=See your activities")
    page.click("table.list a")
    page.wait_for_selector("#chart-pace svg")
    # The fenix2 run records pace, altitude, cadence and heart rate: one chart each, in this order.
    charts = page.locator("figure.chart").evaluate_all("figures => figures.map(figure => figure.id)")
    assert charts == ["chart-pace", "chart-elevation", "chart-cadence", "chart-heart_rate"]
    screenshot(page, "activity")
