"""The Triggers page in Chromium (issue 16 item 5): the demo runner (16 weeks of the shared activity files
plus a diary with a planted "hilly run" effect) opens Triggers from More, sees the hilly-runs card and
its chart, reads why, and starts the two-week experiment from it; a finished experiment with its verdict.
axe finds nothing serious or critical; nothing is wider than the phone. Screenshots at 390 and 1280 px
under test-artifacts/screenshots/ (triggers-*.png, experiment-finished-*.png) for looking at."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.e2e.conftest import SCREENSHOTS, screenshot
from tests.e2e.test_accessibility import BLOCKING, findings
from tests.e2e.test_design import DESKTOP, PHONE
from tests.experiment_data import fill_experiment
from tests.triggers_demo import make_demo_runner

from backstride.config import local_today
from backstride.services.users import local_user
from backstride.storage.models import Experiment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SIZES = {"390": PHONE, "1280": DESKTOP}


def accessible(page, name: str) -> None:
    blocking = [finding for finding in findings(page, name) if finding.impact in BLOCKING]
    assert not blocking, "\n".join(str(finding) for finding in blocking)


def fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport, f"the page is {width} px wide on a {viewport} px screen"


def test_not_enough_data_yet_at_both_sizes(browser, live_server):
    make_demo_runner(local_user(), local_today(), weeks=2)
    for size, viewport in SIZES.items():
        context = browser.new_context(viewport=viewport, base_url=live_server.url)
        page = context.new_page()
        page.goto("/triggers/")
        assert page.is_visible("text=Not enough data yet") and page.is_visible("#not-ready li")
        fits(page)
        accessible(page, f"triggers-not-ready-{size}")
        screenshot(page, f"triggers-not-ready-{size}")
        context.close()


def test_the_demo_runner_finds_hilly_runs_and_starts_the_experiment_from_it(browser, live_server):
    make_demo_runner(local_user(), local_today(), weeks=16)
    desktop = browser.new_context(viewport=DESKTOP, base_url=live_server.url)
    page = desktop.new_page()
    page.goto("/triggers/")
    assert page.locator("figure.trigger-chart svg").count() >= 1
    fits(page)
    accessible(page, "triggers-1280")
    screenshot(page, "triggers-1280")
    desktop.close()
    context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    page = context.new_page()
    page.goto("/more/")
    page.click("main a[href='/triggers/']")
    page.wait_for_url("**/triggers/")
    card = page.locator("#finding-1")
    assert card.locator("h2").inner_text() == "Hilly runs"
    assert card.locator("figure.trigger-chart svg").is_visible()
    assert "likely between" in card.inner_text()
    fits(page)
    accessible(page, "triggers-390")
    screenshot(page, "triggers-390")
    card.screenshot(path=str(SCREENSHOTS / "triggers-card-390.png"))  # the whole card, no tab bar over it
    card.locator("summary", has_text="Why we said this").click()
    page.locator("summary", has_text="Factors left out").click()
    assert card.locator("text=Holm-adjusted p").is_visible()
    fits(page)
    accessible(page, "triggers-folds-open-390")
    screenshot(page, "triggers-folds-open-390")
    card.locator("button", has_text="Two weeks without hills").click()
    page.wait_for_url("**/experiments/")
    assert page.is_visible("text=Running now: Two weeks without hills")
    assert page.is_visible(".toast")
    screenshot(page, "triggers-started-390")
    assert Experiment.objects.get().kind == "no_hills"
    page.goto("/triggers/")
    assert page.is_visible("text=You are testing this now")
    context.close()


def test_a_finished_experiment_at_both_sizes(browser, live_server):
    user, today = local_user(), local_today()
    start = today - timedelta(days=20)
    fill_experiment(user, start, today, before=5, during=2)
    Experiment.objects.create(owner=user, kind="no_hills", param="15", start=start)
    for size, viewport in SIZES.items():
        context = browser.new_context(viewport=viewport, base_url=live_server.url)
        page = context.new_page()
        page.goto("/experiments/")
        assert page.is_visible("#finished-1 .experiment-chart svg")
        assert page.is_visible("#finished-1 >> text=clear difference")
        fits(page)
        accessible(page, f"experiment-finished-{size}")
        screenshot(page, f"experiment-finished-{size}")
        context.close()
