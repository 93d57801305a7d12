"""The four runners of issue 10 through the web check in a real browser, at phone size: a young woman
with a possible sacral stress fracture, a kidney stone, a teenager with extension pain, and a runner
four months after giving birth who leaks when running (spec section K)."""

from __future__ import annotations

import pytest
from tests.cases import SELF_MANAGE
from tests.e2e.conftest import screenshot
from tests.e2e.test_check_journeys import answer_until_result, open_folds, set_country

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# 19, periods stopped, buttock pain that builds with each run: the hop test is skipped once the pain
# builds with a bone risk factor (K.4), so she is never asked to hop.
STRESS_FRACTURE = {
    **SELF_MANAGE,
    "age": 19,
    "sex": "female",
    "pregnant": False,
    "pain_extent": "buttock",
    "leg_pain_side": "one_leg",
    "leg_vs_back": "back_worse",
    "pain_builds_each_run": True,
    "periods_missed": True,
}
# Waves of one-sided loin pain that nothing changes.
KIDNEY_STONE = {**SELF_MANAGE, "loin_colic": True, "pain_not_mechanical": True}
# 16, pain on arching back for three weeks.
TEENAGER = {
    **SELF_MANAGE,
    "age": 16,
    "duration_days": 21,
    "worse_bending_backward": True,
    "worse_standing": True,
    "muscle_tight_spasm": False,
    "onset": "gradual",
}
# Four months (17 weeks) after giving birth, leaks when running.
POSTNATAL = {
    **SELF_MANAGE,
    "age": 33,
    "sex": "female",
    "pregnant": False,
    "weeks_since_birth": 17,
    "pelvic_floor_symptoms": False,
    "stress_leak": True,
    "pelvic_health_cleared": False,
}


def _walk(page, answers: dict) -> list[str]:
    page.goto("/check/")
    page.click("button.primary")
    asked = answer_until_result(page, answers)
    page.wait_for_selector("#urgency")
    open_folds(page)  # the rule ids are in the "For your clinician" fold
    return asked


def test_possible_stress_fracture_stops_running_and_is_never_asked_to_hop(phone_page):
    page = phone_page
    set_country(page, "GB")
    asked = _walk(page, STRESS_FRACTURE)
    assert "hop_pain" not in asked  # likely bone stress: no hop test
    assert "periods_missed" in asked
    urgency = page.inner_text("#urgency")
    assert "24–48 hours" in urgency
    assert "Red" in page.inner_text("#run-today")
    assert "bone stress" in page.inner_text("#pattern").lower()
    assert page.locator("#advice-bone-stress").count() == 1
    assert page.locator("#advice-energy-and-bone").count() == 1
    assert "BS-1" in page.inner_text("#reasons")
    screenshot(page, "k-stress-fracture")
    page.goto("/plan/")  # see a doctor first: no training plan, so no easy runs either
    assert "no training plan" in page.inner_text("main").lower()
    assert page.locator(".plan-item").count() == 0


def test_kidney_stone_is_a_same_day_doctor_not_back_advice(phone_page):
    page = phone_page
    set_country(page, "GB")
    _walk(page, KIDNEY_STONE)
    urgency = page.inner_text("#urgency")
    assert "today" in urgency.lower() and "24–48" not in urgency
    assert "111" in urgency  # the UK's same-day line
    assert "may not be coming from your back" in page.inner_text("#pattern").lower()
    cards = page.locator("#advice article").evaluate_all("nodes => nodes.map(n => n.id)")
    assert cards[:2] == ["advice-run-red-urgent", "advice-kidney-warning"]
    assert "advice-comfort-measures" not in cards  # no ice, heat or rollers for a kidney stone
    screenshot(page, "k-kidney-stone")


def test_teenager_with_extension_pain_sees_a_sports_doctor_and_runs_only_pain_free(phone_page):
    page = phone_page
    _walk(page, TEENAGER)
    assert "1–2 weeks" in page.inner_text("#urgency")
    assert "Amber" in page.inner_text("#run-today")
    reasons = page.inner_text("#reasons")
    assert "Y-1" in reasons and "A7" in reasons
    assert page.locator("#advice-young-runner").count() == 1
    assert page.locator("#advice-no-routine-imaging").count() == 0  # the doctor decides on imaging
    screenshot(page, "k-teenager")
    page.goto("/plan/")
    plan = page.inner_text("main")
    for arching in ("locust-pose", "stability-ball-back-extension"):  # no back-arching work planned
        assert page.locator(f'.plan-item a[href="/exercises/{arching}/"]').count() == 0
    assert "pain-free" in plan.lower() and "no hills" in plan.lower()
    screenshot(page, "k-teenager-plan")


def test_postnatal_leak_goes_to_a_pelvic_health_physio_not_the_emergency_department(phone_page):
    page = phone_page
    asked = _walk(page, POSTNATAL)
    assert asked.index("stress_leak") == asked.index("bladder_change") + 1
    assert page.locator(".emergency").count() == 0
    assert "pelvic health physiotherapist" in page.inner_text("#urgency").lower()
    assert "Red" in page.inner_text("#run-today")
    assert "R8" in page.inner_text("#reasons")
    assert page.locator("#advice-pelvic-floor").count() == 1
    assert page.locator("#advice-after-birth").count() == 1
    screenshot(page, "k-postnatal")
    page.goto("/plan/")
    plan = page.inner_text("main")
    assert "Pelvic floor" in plan and "pelvic health physiotherapist" in plan
    assert "Easy run" not in plan and "Return-to-run stage" not in plan  # no running yet
    screenshot(page, "k-postnatal-plan")
