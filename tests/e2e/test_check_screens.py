"""The check and its result as a runner meets them (issue 13 items 2 and 3): the result's summary on
one phone screen, an emergency that shows only the emergency, the keyboard path through the check,
a stable "questions left" count, Back that keeps the answer, and screenshots at 390 and 1280 px."""

from __future__ import annotations

import re

import pytest
from tests.cases import SELF_MANAGE
from tests.conftest import ARTIFACTS
from tests.e2e.test_check_journeys import set_country

from backstride.services.checks import check_symptoms
from backstride.services.users import local_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SCREENS = ARTIFACTS / "screens"

# Sciatica-type pain: below the knee on one side, the leg worse than the back, no warning sign.
SCIATICA = {
    **SELF_MANAGE,
    "pain_extent": "below_knee",
    "leg_pain_side": "one_leg",
    "leg_vs_back": "leg_worse",
}
RULE_CODE = re.compile(r"\b(?:[A-Z]{1,3}-?\d{1,2}|IBP-1|CES-UNSURE)\b")


def _shoot(page, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


def _context(browser, live_server, viewport=PHONE, **options):
    return browser.new_context(viewport=viewport, base_url=live_server.url, **options)


def test_the_sciatica_summary_fits_one_phone_screen_and_the_evidence_is_folded(browser, live_server):
    check_id = check_symptoms(SCIATICA, local_user()).check_id
    for size, viewport in {"phone": PHONE, "desktop": DESKTOP}.items():
        context = _context(browser, live_server, viewport)
        page = context.new_page()
        page.goto(f"/checks/{check_id}/")
        _shoot(page, f"{size}-result-sciatica")
        summary = page.locator("#summary").bounding_box()
        assert summary is not None
        bottom = viewport["height"]
        tab_bar = page.locator("nav.tabs").bounding_box()
        if tab_bar and tab_bar["y"] > summary["y"]:  # the phone's tab bar covers the bottom of the screen
            bottom = min(bottom, tab_bar["y"])
        assert summary["y"] + summary["height"] <= bottom, (size, summary, bottom)
        text = page.inner_text("main")
        assert "Amber" in page.inner_text("#run-today") and "sciatica" in page.inner_text("#pattern").lower()
        assert "cannot diagnose" in page.inner_text("#pattern")
        assert "what to do next" in page.inner_text("#summary").lower()
        # No rule code, raw answer or "App policy" until a fold is opened.
        assert not RULE_CODE.search(text), RULE_CODE.search(text)
        assert "App policy" not in text and "pain_extent" not in text
        page.click("#why > summary")
        why = page.inner_text("#why")
        assert "Because you said" in why and "Below knee" in why and "pain_extent" not in why
        page.click("#clinician > summary")
        clinician = page.inner_text("#clinician")
        assert "P2" in clinician and "pain_extent = below_knee" in clinician and "App policy" in clinician
        _shoot(page, f"{size}-result-sciatica-open")
        context.close()


def test_an_emergency_shows_only_the_emergency_with_tap_to_call_numbers(browser, live_server):
    context = _context(browser, live_server)
    page = context.new_page()
    set_country(page, "GB")
    check_id = check_symptoms(
        {**SELF_MANAGE, "saddle_numbness": True}, local_user(), completed=False
    ).check_id
    page.goto(f"/checks/{check_id}/")
    page.click("#why > summary")
    page.click("#clinician > summary")
    text = page.inner_text("main").lower()
    assert "pattern" not in text and "probably" not in text
    assert page.locator("#run-today").count() == 0 and page.locator("#advice").count() == 0
    assert page.locator('main a[href="tel:999"]').count() >= 1
    assert page.locator('footer a[href="tel:999"]').count() == 1
    _shoot(page, "phone-result-emergency")
    # The dashboard's "Call 999 now" is a link too.
    page.goto("/today/")
    assert page.locator('#escalation a[href="tel:999"]').count() >= 1
    _shoot(page, "phone-today-after-emergency")
    context.close()


def _focused(page) -> str:
    return page.evaluate(
        "() => { const e = document.activeElement; "
        "return e ? e.tagName + (e.value ? ':' + e.value : '') : ''; }"
    )


def _tab_until(page, selector: str, limit: int = 30) -> int:
    """Press Tab until the element matching `selector` has focus; return the presses."""
    for presses in range(limit + 1):
        if page.evaluate("s => document.activeElement === document.querySelector(s)", selector):
            return presses
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}; focus on {_focused(page)}")


NEXT_QUESTION = """id => {
  const item = document.querySelector('input[name=item]');
  const busy = document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling');
  return !busy && (!item || item.value !== id);
}"""


def _wait_past(page, item_id: str) -> None:
    """Wait until htmx has swapped in the question after `item_id` (or a new page is there)."""
    page.wait_for_function(NEXT_QUESTION, arg=item_id)


def _wait_for_item(page, item_id: str) -> None:
    page.wait_for_selector(f'input[name="item"][value="{item_id}"]', state="attached")


def _wait_for_heading_focus(page) -> None:
    page.wait_for_function("() => document.activeElement.matches('h1.question')", timeout=5000)


def test_keyboard_only_check_with_few_tabs_per_question(browser, live_server):
    context = _context(browser, live_server, DESKTOP)
    page = context.new_page()
    set_country(page, "GB")
    page.goto("/check/")
    _tab_until(page, "form button.primary")
    page.keyboard.press("Enter")
    _wait_for_item(page, "age")
    assert "Question 1" in page.title() and "old" in page.title().lower()
    tabs = []
    tabs.append(_tab_until(page, "#value-input"))
    page.keyboard.type("40")
    page.keyboard.press("Enter")
    _wait_for_item(page, "sex")
    # Focus is on the new question's heading, and the title names it.
    # (htmx settles a moment after the swap: wait for it rather than race it.)
    _wait_for_heading_focus(page)
    page.wait_for_function("() => document.title.startsWith('Question 2')", timeout=5000)
    for item_id, value in (("sex", "male"), ("saddle_numbness", "false"), ("bladder_change", "false")):
        _wait_for_item(page, item_id)
        _wait_for_heading_focus(page)
        tabs.append(_tab_until(page, f'button[name="value"][value="{value}"]'))
        page.keyboard.press("Space")
        _wait_past(page, item_id)
    # The next one (a leak when coughing, asked after bladder_change) or the one after it.
    item_id = page.locator('input[name="item"]').get_attribute("value")
    _wait_for_heading_focus(page)
    tabs.append(_tab_until(page, 'button[name="value"][value="true"]'))
    page.keyboard.press("Enter")
    if item_id != "bowel_change":
        _wait_past(page, item_id)
        _wait_for_heading_focus(page)
        tabs.append(_tab_until(page, 'button[name="value"][value="true"]'))
        page.keyboard.press("Enter")  # bowel change: yes, an emergency
    page.wait_for_selector(".emergency")
    assert sum(tabs) / len(tabs) <= 4, tabs
    context.close()


def test_bad_number_keeps_what_was_typed_with_and_without_javascript(browser, live_server):
    for javascript in (True, False):
        context = _context(browser, live_server, java_script_enabled=javascript)
        page = context.new_page()
        page.goto("/check/")
        page.click("button.primary")
        page.fill("#value-input", "abc")
        page.click("button.primary")
        page.wait_for_selector(".error")
        error = page.inner_text(".error")
        assert "number" in error and "abc" in error and "got '" not in error
        assert page.input_value("#value-input") == "abc"
        assert page.get_attribute("#value-input", "aria-invalid") == "true"
        _shoot(page, f"phone-check-error-{'js' if javascript else 'no-js'}")
        context.close()


def test_back_shows_the_earlier_answer_and_the_same_count(browser, live_server):
    context = _context(browser, live_server)
    page = context.new_page()
    page.goto("/check/")
    page.click("button.primary")

    def left() -> int:
        return int(re.search(r"about (\d+) questions? left", page.inner_text(".count")).group(1))

    page.fill("#value-input", "40")
    page.click("button.primary")
    _wait_for_item(page, "sex")
    page.click('button[name="value"][value="male"]')
    _wait_for_item(page, "saddle_numbness")
    shown = left()
    page.click('button[name="value"][value="false"]')
    _wait_for_item(page, "bladder_change")
    assert left() < shown
    page.click('button[name="back"]')
    _wait_for_item(page, "saddle_numbness")
    assert page.locator("button.answer.chosen").inner_text().startswith("No")
    assert left() == shown
    _shoot(page, "phone-check-back")
    # The age typed earlier is back in its box after going back to it.
    page.click('button[name="back"]')
    _wait_for_item(page, "sex")
    page.click('button[name="back"]')
    _wait_for_item(page, "age")
    assert page.input_value("#value-input") == "40"
    context.close()


def test_screenshots_of_the_check_at_both_sizes(browser, live_server):
    user = local_user()
    check_symptoms(SCIATICA, user)
    check_symptoms({**SELF_MANAGE, "saddle_numbness": True}, user, completed=False)
    for size, viewport in {"phone": PHONE, "desktop": DESKTOP}.items():
        context = _context(browser, live_server, viewport)
        page = context.new_page()
        page.goto("/check/")
        _shoot(page, f"{size}-check-intro")
        page.click("button.primary")
        page.fill("#value-input", "40")
        page.click("button.primary")
        page.wait_for_selector('input[name="item"][value="sex"]', state="attached")
        _shoot(page, f"{size}-check-question")
        page.goto("/history/")
        assert "not asked" in page.inner_text("main")
        _shoot(page, f"{size}-history")
        context.close()
