"""My activities in a real browser on a phone: from a check's result to a saved rating, then history."""

from __future__ import annotations

import pytest
from tests.cases import SELF_MANAGE
from tests.e2e.conftest import screenshot

from backstride.services.checks import check_symptoms
from backstride.services.users import local_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def rate(page, ratings: dict[int, int]) -> None:
    for row, value in ratings.items():
        page.check(f'input[name="rating_{row}"][value="{value}"]', force=True)


def test_from_a_result_to_rated_activities_and_the_history(phone_page):
    page = phone_page
    check_id = check_symptoms(SELF_MANAGE, local_user()).check_id
    page.goto(f"/checks/{check_id}/")
    page.click("#outcomes-prompt a")
    page.fill("#activity_1", "run 5 km")
    page.fill("#activity_2", "lift my child")
    rate(page, {1: 3, 2: 6})
    screenshot(page, "outcomes-first")
    page.click("button.primary.big")
    page.wait_for_selector("#saved")
    assert "Saved: average 4.5 of 10" in page.inner_text("#saved")
    page.goto("/outcomes/")
    rate(page, {1: 7, 2: 6})
    page.click("button.primary.big")
    page.wait_for_selector("#saved")
    assert "a real change since its first rating" in page.inner_text("#saved")  # 3 -> 7
    page.goto("/history/#my-activities")
    text = page.inner_text("#my-activities")
    assert "run 5 km: 7 (a real change)" in text and "Roland-Morris" in text
    screenshot(page, "outcomes-history")
