"""The week's plan is built once per input (services.plan.built_week): the same plan as the core
builder, shared for the same input, and built again as soon as anything it reads changes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from tests.cases import SELF_MANAGE

from backstride.config import local_today
from backstride.core.diary import A8_ITEMS, CheckIn
from backstride.core.plan import PlanInput, build_week
from backstride.services import plan as plan_service
from backstride.services.checks import check_symptoms
from backstride.services.diary import log_check_in
from backstride.services.plan import built_week, plan_inputs, today_and_adherence
from backstride.services.users import local_user

MONDAY = date(2026, 3, 2)
NO = {
    item: ("none" if item in ("leg_pain_side", "numbness_tingling", "leg_weakness") else False)
    for item in A8_ITEMS
}


def _input(**values: object) -> PlanInput:
    days = [CheckIn(day=MONDAY - timedelta(days=i), pain_now=i % 4) for i in range(20)]
    return replace(PlanInput(week_start=MONDAY, today=MONDAY + timedelta(days=3), check_ins=days), **values)  # type: ignore[arg-type]


def test_the_remembered_plan_is_the_builders_plan_and_is_shared_for_the_same_input():
    inp = _input(pattern="muscular")
    plan = built_week(inp)
    assert plan == build_week(inp)
    assert built_week(_input(pattern="muscular")) is plan  # an equal input, built apart: no rebuild


def test_any_change_in_the_input_builds_the_plan_again():
    inp = _input(pattern="muscular")
    plan = built_week(inp)
    red_day = replace(inp, check_ins=[CheckIn(day=inp.today, pain_now=8), *inp.check_ins])
    next_day = replace(inp, today=inp.today + timedelta(days=1))
    for changed in (next_day, red_day, replace(inp, pattern="facet")):
        again = built_week(changed)
        assert again is not plan and again == build_week(changed)


@pytest.mark.django_db
def test_the_dashboards_plan_is_the_same_with_or_without_the_remembered_weeks():
    user, today = local_user(), local_today()
    check_symptoms({**SELF_MANAGE, "duration_days": 20}, user)
    for back in range(1, 9):
        day = today - timedelta(days=back)
        log_check_in(user, {"day": day, "pain_now": back % 5, "red_flags": NO}, today)
    plan_service._built.cache_clear()
    built = today_and_adherence(user, today, plan_inputs(user, today))
    assert today_and_adherence(user, today, plan_inputs(user, today)) == built  # remembered
    # A new diary day changes the plan's input: the remembered weeks are not used, nothing to clear.
    log_check_in(user, {"day": today, "pain_now": 7, "red_flags": NO}, today)
    remembered = today_and_adherence(user, today, plan_inputs(user, today))
    plan_service._built.cache_clear()
    assert remembered == today_and_adherence(user, today, plan_inputs(user, today))
