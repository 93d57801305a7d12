"""A returning runner in a real browser: a symptom check, a week of diary entries, and the plan
changing with them (stage up, then a step back, then a red day), ticked off on a phone with the timer;
then every exercise page, text and picture."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from tests.cases import SELF_MANAGE
from tests.e2e.conftest import screenshot
from tests.e2e.test_check_journeys import answer_until_result

from backstride.config import local_today
from backstride.knowledge.exercises import exercises

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
CHOICE_ITEMS = ("leg_pain_side", "numbness_tingling", "leg_weakness")
RETURNING = {**SELF_MANAGE, "ran_since_onset": False, "duration_days": 10}


def check_in(page, day: date, pain: int, run: tuple[int, int, int, int | None] | None = None) -> None:
    """One diary day; ``run`` = pain before, during, after and the next morning (None: not yet)."""
    page.goto(f"/diary/?day={day.isoformat()}")
    page.fill("#day", day.isoformat())
    page.check(f'input[name="pain_now"][value="{pain}"]', force=True)
    page.check('input[name="locations"][value="central"]', force=True)
    page.check('input[name="safety"][value="none"]', force=True)  # the safety signs: "None of these"
    page.check(f'input[name="ran"][value="{"yes" if run else "no"}"]', force=True)
    if run:
        fields = ("#pain_before_run", "#pain_during_run", "#pain_after_run", "#pain_next_morning")
        for field, value in zip(fields, run, strict=True):
            if value is not None:
                page.fill(field, str(value))
    page.click("button.primary.big")
    page.wait_for_url("**/today/")


def stage_box(page) -> str:
    page.goto("/plan/")
    return page.inner_text("#stage")


def test_check_then_a_week_of_diary_changes_the_plan_and_items_are_ticked_off(phone_page):
    page = phone_page
    today = local_today()
    page.goto("/check/")
    page.click("button.primary")
    answer_until_result(page, RETURNING)
    page.wait_for_selector("#run-today")

    first = stage_box(page)
    assert "stage 1" in first and "D3-" not in page.inner_text("main")  # the ids: one tap away
    assert "D3-" in (page.locator("main").text_content() or "")  # in the "For your clinician" folds
    screenshot(page, "plan-stage-1")

    # Two good walk-run sessions on alternate days, each settled by the next morning: stage 2.
    check_in(page, today - timedelta(days=6), 1, run=(1, 2, 1, 1))
    check_in(page, today - timedelta(days=4), 1, run=(1, 2, 1, 1))
    second = stage_box(page)
    assert "stage 2" in second and "Moved up from stage 1 to stage 2" in second
    assert "ADAPT-PROGRESS" not in second  # the rule id sits in the "For your clinician" fold
    assert "ADAPT-PROGRESS" in (page.locator("#stage").text_content() or "")
    screenshot(page, "plan-stage-2")

    # A session that hurt (7/10 during): the plan says why it changed, naming the rule.
    check_in(page, today - timedelta(days=2), 3, run=(2, 7, 6, 5))
    third = stage_box(page)
    # Red by D.2: 7/10 during and 5/10 the next morning, above the 2/10 before the run: one stage back.
    assert "Went back from stage 2 to stage 1" in third and "ADAPT-STEP-BACK" not in third
    assert "Rule: ADAPT-STEP-BACK." in (page.locator("#stage").text_content() or "")
    assert "ADAPT-PROGRESS" not in third
    screenshot(page, "plan-after-a-bad-session")

    # Today is red (pain 7/10): no run today, only the alternatives, on the dashboard and the plan.
    check_in(page, today, 7)
    assert "Red" in page.inner_text("#run-today")
    today_plan = page.inner_text("#today-plan")
    # No run on any red day; on a run day (Tue, Thu, Sat) the alternatives take its place.
    assert "Return-to-run stage" not in today_plan
    assert ("Instead of running" in today_plan) == (today.weekday() in (1, 3, 5)), today_plan
    page.goto("/plan/")
    assert "RUN-TODAY-RED" in (page.locator("main").text_content() or "")  # in a clinician fold

    # Tick off today's items on the phone; the hold timer counts down.
    page.goto("/today/")
    timer = page.locator("#today-plan .timer-start").first
    assert timer.count() == 1, "the daily stretches are timed holds"
    timer.click()
    page.wait_for_function(
        "() => /Get ready: Set 1 of \\d/.test(document.querySelector('#today-plan .timer-out').textContent)"
    )
    screenshot(page, "plan-timer-phone")
    timer.click()  # stop
    assert "Stopped" in page.inner_text("#today-plan .timer-out")
    buttons = page.locator("#today-plan button.tick")
    total = buttons.count()
    assert total >= 1
    page.locator("#today-plan button.tick").first.click()
    page.wait_for_selector("#today-plan .done-mark")
    assert "1 of" in page.inner_text("#adherence")
    box = page.locator("#today-plan button.tick").first.bounding_box()
    assert box["height"] >= 44  # a thumb-sized target
    screenshot(page, "plan-ticked-phone")

    # The whole week: this week's ticks, and the printable page has no buttons when printed.
    page.goto("/plan/")
    assert page.locator(".done-mark").count() == 1
    page.emulate_media(media="print")
    assert not page.locator("button.tick").first.is_visible()
    page.emulate_media(media="screen")


def test_every_exercise_page_shows_steps_dose_sources_and_two_pictures(phone_page):
    page = phone_page
    library = exercises()
    for exercise_id, exercise in library.items():
        page.goto(f"/exercises/{exercise_id}/")
        main = page.inner_text("main")
        assert exercise.name in main
        assert page.locator("main ol li").count() >= len(exercise.steps) > 0
        # issue 13: the moving picture, and the still pair (side by side, and stacked) for reduced motion
        assert page.locator("main svg").count() == 3, exercise_id
        moving = page.locator(".fig-motion svg").bounding_box()
        assert moving is not None and moving["width"] >= 300, f"{exercise_id}: picture too small on a phone"
        assert not page.locator(".fig-still svg").first.is_visible()
        page.emulate_media(reduced_motion="reduce")
        assert not page.locator(".fig-motion svg").is_visible()
        assert not page.locator(".wide-only svg").is_visible()
        figure = page.locator(".narrow-only svg").bounding_box()
        assert figure is not None and figure["width"] >= 300, f"{exercise_id}: picture too small on a phone"
        assert figure["height"] > figure["width"]  # start above end
        page.emulate_media(reduced_motion="no-preference")
        assert "Sources" in main or "source" in main.lower()
        screenshot(page, f"exercise-{exercise_id}")


AFTER_BIRTH = {
    **SELF_MANAGE,
    "sex": "female",
    "age": 31,
    "pregnant": False,
    "weeks_since_birth": 20,
    "pelvic_floor_symptoms": False,
    "stress_leak": False,
}


def test_after_a_birth_the_checks_are_ticked_on_a_phone_with_and_without_javascript(browser, live_server):
    """Spec K.6: a runner 20 weeks after a birth sees the checks before running again; each is ticked
    with "done without pain, leaking or heaviness", by htmx on a phone and by a plain form post when
    JavaScript is off."""
    with_js = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url)
    page = with_js.new_page()
    page.goto("/check/")
    page.click("button.primary")
    asked = answer_until_result(page, AFTER_BIRTH)
    assert "weeks_since_birth" in asked and "pelvic_floor_symptoms" in asked
    page.wait_for_selector("#run-today")
    page.goto("/plan/")
    assert "0 of 11 checks done" in page.inner_text("#readiness")
    today = page.locator(".plan-today")
    assert "Pelvic floor training" in today.inner_text() and "Return-to-run stage" not in today.inner_text()
    button = today.locator("button.tick-check").first
    assert button.inner_text().startswith("Done without pain, leaking or heaviness")
    box = button.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] <= 390
    screenshot(page, "plan-readiness-phone")
    button.click()  # htmx swaps the plan in place
    page.wait_for_function("() => document.querySelector('#readiness').textContent.includes('1 of 11')")
    assert page.locator(".plan-today .done-mark").count() == 1
    with_js.close()

    without_js = browser.new_context(
        viewport={"width": 390, "height": 844}, base_url=live_server.url, java_script_enabled=False
    )
    page = without_js.new_page()
    page.goto("/plan/")
    assert "1 of 11 checks done" in page.inner_text("#readiness")
    page.locator(".plan-today button.tick-check").first.click()  # a full page post and redirect
    page.wait_for_load_state()
    assert "2 of 11 checks done" in page.inner_text("#readiness")
    screenshot(page, "plan-readiness-no-js")
    without_js.close()
