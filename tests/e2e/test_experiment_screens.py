"""Two-week experiments at phone size (390 px): an open one and a finished one with its verdict and
bar chart, on a simulated 28-day diary; screenshots under test-artifacts/screens/ for looking at."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.conftest import ARTIFACTS
from tests.experiment_data import fill_experiment

from backstride.config import local_today
from backstride.services.users import local_user
from backstride.storage.models import Experiment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SCREENS = ARTIFACTS / "screens"


def test_an_open_and_a_finished_experiment_at_phone_size(browser, live_server):
    user, today = local_user(), local_today()
    start = today - timedelta(days=20)
    fill_experiment(user, start, today, before=5, during=2)
    Experiment.objects.create(owner=user, kind="no_hills", param="15", start=start)
    Experiment.objects.create(owner=user, kind="break_up_sitting", param="6", start=today - timedelta(days=5))
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url)
    page = context.new_page()
    page.goto("/experiments/")
    assert page.is_visible("#current") and page.is_visible(".experiment-chart svg")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide"
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / "phone-experiments.png"), full_page=True)
    context.close()
