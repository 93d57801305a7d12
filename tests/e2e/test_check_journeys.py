"""Three journeys through the web check in a real browser: emergency, see a doctor, self-manage."""

from __future__ import annotations

import pytest
from tests.cases import SEE_A_DOCTOR, SELF_MANAGE
from tests.e2e.conftest import screenshot

from backstride.knowledge.questionnaire import questionnaire_items

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _value(value: object) -> str:
    return {True: "true", False: "false"}[value] if isinstance(value, bool) else str(value)


# The answer that fires nothing, where the first choice would (a painful hop is R7).
SAFE_CHOICES = {"hop_pain": "no"}


def answer_until_result(page, answers: dict) -> list[str]:
    """Answer each question the page shows, from `answers` when present, else the safest default."""
    items = questionnaire_items()
    asked: list[str] = []
    for _ in range(80):
        page.wait_for_load_state()
        item = page.locator('input[name="item"]')
        if item.count() == 0:
            return asked
        item_id = item.get_attribute("value")
        asked.append(item_id)
        kind = items[item_id].type
        if kind == "number":
            if item_id in answers:
                page.fill("#value-input", str(answers[item_id]))
                page.click("button.primary")
            else:
                page.click('button[name="dont_know"]')
        else:
            default = (
                {"yes_no": "false", "scale_0_10": "0"}.get(kind)
                or SAFE_CHOICES.get(item_id)
                or items[item_id].choices[0]
            )
            value = _value(answers[item_id]) if item_id in answers else default
            page.click(f'button[name="value"][value="{value}"]')
        # htmx swaps the question in place: wait until the next one (or a new page) is there.
        page.wait_for_function(
            "id => !document.querySelector('input[name=item]') || "
            "document.querySelector('input[name=item]').value !== id || document.querySelector('.error')",
            arg=item_id,
        )
    raise AssertionError("the check did not finish within 80 questions")


def open_folds(page) -> None:
    """Open every fold on the page (Why we said this, For your clinician, the advice, the sources)."""
    closed = page.locator("main details:not([open]) > summary")
    for _ in range(40):
        if closed.count() == 0:
            return
        closed.first.click()


def set_country(page, code: str) -> None:
    page.goto("/settings/")
    page.select_option("#country", code)
    page.click("button.primary")


def about_you(page, age: int = 40, sex: str = "male") -> None:
    """The first two questions (spec K.7): age and sex."""
    page.fill("#value-input", str(age))
    page.click("button.primary")
    page.wait_for_selector('input[name="item"][value="sex"]', state="attached")
    page.click(f'button[name="value"][value="{sex}"]')
    page.wait_for_selector('input[name="item"][value="saddle_numbness"]', state="attached")


def test_emergency_path_interrupts_after_the_first_safety_answer(phone_page):
    page = phone_page
    set_country(page, "GB")
    page.goto("/")
    page.click("text=Start a symptom check")
    assert "Question 1 of" in page.inner_text("#step")
    about_you(page)
    page.click('button[name="value"][value="true"]')  # saddle numbness: yes
    page.wait_for_selector(".emergency")
    # The rule ids are one tap away, in the clinician fold.
    assert "E1" not in page.inner_text("main")
    page.click("#clinician > summary")
    text = page.inner_text("main")
    assert "999" in text and "E1" in text
    assert "Do not run" in text
    # Only what was asked: no pattern read off the emergency answer, STarT Back not asked.
    assert page.locator("#pattern").count() == 0
    assert "STarT Back: not asked" in text
    screenshot(page, "result-emergency")


def test_emergency_path_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.goto("/check/")
    page.click("button.primary")
    page.fill("#value-input", "40")
    page.click("button.primary")
    page.click('button[name="value"][value="male"]')
    page.click('button[name="value"][value="false"]')
    page.click('button[name="value"][value="true"]')  # bladder change: yes
    page.wait_for_selector(".emergency")
    page.click("#clinician > summary")  # the clinician fold opens without JavaScript too
    assert "E2" in page.inner_text("main")
    screenshot(page, "result-emergency-no-js")
    context.close()


def test_see_a_doctor_path(phone_page):
    page = phone_page
    page.goto("/check/")
    page.click("button.primary")
    answer_until_result(page, SEE_A_DOCTOR)
    page.wait_for_selector("#urgency")
    assert "24" in page.inner_text("#urgency")
    assert "Red" in page.inner_text("#run-today")
    assert "D4" not in page.inner_text("main")  # no rule code until a fold is opened
    open_folds(page)
    assert "weight" in page.inner_text("#why").lower()
    assert "D4" in page.inner_text("#reasons")
    screenshot(page, "result-see-a-doctor")


def test_self_manage_path_and_history(phone_page):
    page = phone_page
    page.goto("/check/")
    page.click("button.primary")
    asked = answer_until_result(page, SELF_MANAGE)
    assert asked[:3] == ["age", "sex", "saddle_numbness"] and asked[-1] == "sb_bothersome"
    page.wait_for_selector("#run-today")
    assert "Green" in page.inner_text("#run-today")
    assert "cannot diagnose" in page.inner_text("#pattern")
    # Order on the page: urgency, run-today, pattern, reasons, advice, sources.
    boxes = [
        page.locator(sel).bounding_box()["y"]
        for sel in ("#urgency", "#run-today", "#pattern", "#reasons", "#advice", "#sources")
    ]
    assert boxes == sorted(boxes)
    screenshot(page, "result-self-manage")
    page.goto("/rmdq/")
    for number in (3, 9, 17):
        page.check(f'input[name="ticked"][value="{number}"]')
    page.click("button.primary")
    assert "3 / 24" in page.inner_text("main")
    page.goto("/history/")
    assert "self" in page.inner_text("main").lower()
    screenshot(page, "history")


def test_a_bad_number_shows_its_error_with_javascript_on(phone_page):
    page = phone_page
    page.goto("/check/")
    page.click("button.primary")
    page.fill("#value-input", "abc")
    page.click("button.primary")
    page.wait_for_selector(".error")  # htmx swaps the 400 answer in (it leaves 4xx out by default)
    assert "number" in page.inner_text(".error")
    assert page.locator('input[name="item"]').get_attribute("value") == "age"
