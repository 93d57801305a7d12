"""Issue 13's measure for the diary: a daily check-in without a run takes no more than two phone
screens, in Chromium at 390 x 844, from the top of the page to the Save button."""

from __future__ import annotations

import pytest
from tests.conftest import ARTIFACTS

from backstride.storage.models import DiaryEntry

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
SCREENS = ARTIFACTS / "screens"


def _bottom_of(page, selector: str) -> float:
    return page.evaluate(
        "(selector) => { const box = document.querySelector(selector).getBoundingClientRect();"
        " return box.bottom + window.scrollY; }",
        selector,
    )


def test_a_check_in_without_a_run_fits_two_phone_screens(browser, live_server):
    context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    page = context.new_page()
    page.goto("/diary/")
    # The signs' one-by-one questions and the run's ratings stay folded until they are needed.
    assert not page.is_visible("#safety .safety-each")
    page.click("label:has(input[name=pain_now][value='2'])")
    page.click("label:has(input[name=locations][value=central])")
    page.click("label:has(input[name=socks_shoes_difficult][value=no])")
    page.click("label:has(input[name=safety][value=none])")
    assert not page.is_visible(".run-ratings")  # "Did you run today?" is No by default
    assert not page.is_visible(".rf-leg_pain_side")  # no pain in a buttock or leg
    save = "form.checkin button[type=submit]"
    bottom = _bottom_of(page, save)
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / "phone-check-in-no-run.png"), full_page=True)
    # A screen is what the fixed tab bar leaves visible of the phone's height.
    screen = PHONE["height"] - page.evaluate(
        "document.querySelector('nav.tabs').getBoundingClientRect().height"
    )
    assert bottom <= 2 * screen, f"the Save button ends at {bottom:.0f} px: over two {screen:.0f} px screens"
    page.click(save)
    page.wait_for_url("**/today/**")
    assert DiaryEntry.objects.get().pain_now == 2
    context.close()


def test_yes_or_not_sure_opens_every_sign_and_a_leg_asks_its_side(browser, live_server):
    context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    page = context.new_page()
    page.goto("/diary/")
    page.click("label:has(input[name=safety][value=each])")
    assert page.is_visible("label:has(input[name=rf_bladder_change][value=not_sure])")
    page.click("label:has(input[name=locations][value=below_knee])")
    assert page.is_visible(".rf-leg_pain_side")
    page.click("label:has(input[name=ran][value=yes])")
    assert page.is_visible(".run-ratings")
    context.close()
