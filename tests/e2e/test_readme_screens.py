"""The README's three phone screenshots (issue 13): Today, a check result and the plan, as a runner
with three weeks of diary and runs sees them at 390 x 844. The test saves them under
test-artifacts/screens/readme-*.png; `make readme-screens` copies them to docs/screens/ for the README.
It also holds what the pictures show: the first screen of each page says what a runner needs first."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from tests.conftest import ARTIFACTS
from tests.e2e.test_check_screens import SCIATICA

from backstride.config import local_today
from backstride.services.checks import check_symptoms
from backstride.services.users import local_user
from backstride.storage.models import Activity, DiaryEntry, Shoe

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
SCREENS = ARTIFACTS / "screens"
PAINS = [4, 4, 3, 4, 3, 3, 2, 3, 2, 2, 3, 2, 2, 1, 2, 1, 2, 2, 1, 1, 2]  # three weeks, oldest first


def _runner() -> int:
    """Three weeks of a runner easing back: daily check-ins, four easy runs a fortnight, one shoe."""
    user = local_user()
    today = local_today()
    shoe = Shoe.objects.create(owner=user, name="Daily trainer", replacement_km=700, start_km=310)
    for days_ago, pain in zip(range(len(PAINS) - 1, -1, -1), PAINS, strict=True):
        day = today - timedelta(days=days_ago)
        DiaryEntry.objects.create(owner=user, day=day, pain_now=pain, locations=["central", "left"])
        if days_ago % 3 == 1:
            km = 4 + (days_ago % 4)
            Activity.objects.create(
                owner=user,
                start_time=datetime.combine(day, time(6, 40), UTC),
                sport="running",
                distance_m=km * 1000,
                moving_time_s=km * 345,
                rpe=4,
                shoe=shoe,
                source_format="manual",
            )
    return check_symptoms(SCIATICA, user).check_id


def test_the_readme_screens(browser, live_server):
    check_id = _runner()
    context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    page = context.new_page()
    SCREENS.mkdir(parents=True, exist_ok=True)
    for name, path, first_words in (
        ("today", "/today/", "run"),
        ("check-result", f"/checks/{check_id}/", "run"),
        ("plan", "/plan/", "done"),
    ):
        page.goto(path)
        page.wait_for_load_state("load")
        page.screenshot(path=str(SCREENS / f"readme-{name}.png"))  # the first screen only
        seen = page.evaluate("document.querySelector('main').innerText.slice(0, 1500).toLowerCase()")
        assert first_words in seen, (name, seen)
    context.close()
