"""Ticking off plan items (issue 5, 'Doing it'): dose steps earned (DOSE-EARN) and adherence."""

from __future__ import annotations

from datetime import date, timedelta

from backstride.core.diary import CheckIn
from backstride.core.plan import (
    DoneItem,
    PlanInput,
    WeekPlan,
    adherence,
    build_week,
    earned_steps,
    plan_rules,
)
from backstride.core.triage.model import RunToday

MONDAY = date(2024, 5, 6)


def week(**kwargs: object) -> WeekPlan:
    values: dict[str, object] = {"week_start": MONDAY, "today": MONDAY, "pattern": "muscular"}
    values.update(kwargs)
    return build_week(PlanInput(**values))  # type: ignore[arg-type]


def tick(day: date, key: str, step_key: str | None = None) -> DoneItem:
    return DoneItem(day, key, step_key)


def test_two_good_sessions_earn_one_step_and_four_earn_two():
    done = [tick(MONDAY + timedelta(days=d), "strength:glute-bridge", "glute-bridge") for d in (0, 2)]
    assert earned_steps(done, []) == {"glute-bridge": 1}
    done += [tick(MONDAY + timedelta(days=d), "strength:glute-bridge", "glute-bridge") for d in (4, 7)]
    assert earned_steps(done, []) == {"glute-bridge": 2}
    assert earned_steps(done[:1], []) == {}  # one session is not enough


def test_a_session_on_a_painful_day_does_not_count():
    days = [MONDAY, MONDAY + timedelta(days=2)]
    done = [tick(day, "strength:glute-bridge", "glute-bridge") for day in days]
    assert earned_steps(done, [CheckIn(days[1], pain_now=4)]) == {}
    assert earned_steps(done, [CheckIn(days[1], pain_now=3)]) == {"glute-bridge": 1}


def test_the_same_day_twice_counts_once_and_items_without_a_dose_slot_earn_nothing():
    done = [tick(MONDAY, "strength:glute-bridge", "glute-bridge")] * 2
    done += [tick(MONDAY + timedelta(days=d), "mobility:cat-camel") for d in (0, 1, 2, 3)]
    assert earned_steps(done, []) == {}


def test_earned_steps_raise_the_planned_dose_with_the_rule_named():
    base = week()
    earned = week(exercise_steps=earned_steps([tick(MONDAY, "x", "glute-bridge")] * 1, []))
    assert base == earned  # nothing earned from a single tick
    two = [tick(MONDAY - timedelta(days=d), "strength:glute-bridge", "glute-bridge") for d in (3, 5)]
    stepped = week(exercise_steps=earned_steps(two, []))
    bridge = next(i for i in stepped.items("strength") if i.step_key == "glute-bridge")
    before = next(i for i in base.items("strength") if i.step_key == "glute-bridge")
    assert "DOSE-UP" in bridge.rule_ids and "DOSE-UP" not in before.rule_ids
    assert bridge.dose != before.dose
    assert "DOSE-EARN" in plan_rules().rules


def test_items_carry_a_key_and_the_timer_fields_of_their_dose():
    plan = week()
    keys = [item.key for day in plan.days for item in day.items]
    for day in plan.days:  # a key identifies an item within its day
        day_keys = [item.key for item in day.items]
        assert len(day_keys) == len(set(day_keys))
    assert "strength:glute-bridge" in keys and "rest:-" in keys
    held = [i for i in plan.items() if i.hold_s]
    assert held, "a plan has at least one held exercise for the timer"
    held_strength = next(i for i in plan.items("strength") if i.hold_s and i.step_key)
    stepped = week(exercise_steps={held_strength.step_key: 1})
    same_slot = next(i for i in stepped.items("strength") if i.step_key == held_strength.step_key)
    assert same_slot.exercise_id == held_strength.exercise_id  # one step: same exercise, longer hold
    assert same_slot.hold_s == held_strength.hold_s + 10  # DOSE-UP: +10 s per held set


def test_adherence_counts_items_up_to_the_day_and_not_rest_days():
    plan = week(today=MONDAY + timedelta(days=6))
    monday_items = [i for i in plan.days[0].items if i.kind != "rest"]
    none = adherence(plan, [], MONDAY)
    assert none.planned == len(monday_items) and none.done == 0 and none.percent == 0
    done = [DoneItem(MONDAY, monday_items[0].key)]
    one = adherence(plan, done, MONDAY)
    assert one.done == 1 and one.percent == round(100 / len(monday_items))
    kind = monday_items[0].kind
    assert one.by_kind[kind][0] == 1
    whole = adherence(plan, [], MONDAY + timedelta(days=6))
    sunday = plan.days[6]
    assert sunday.has("rest")
    assert whole.planned == sum(1 for d in plan.days for i in d.items if i.kind != "rest")
    before = adherence(plan, done, MONDAY - timedelta(days=1))
    assert before.planned == 0 and before.percent is None  # nothing due yet


def test_a_red_days_alternatives_count_as_one_item_done_when_any_is():
    tuesday = MONDAY + timedelta(days=1)
    plan = week(today=tuesday, run_today=RunToday.RED)
    choices = [i for i in plan.days[1].items if i.alternative]
    assert len(choices) >= 2
    others = [i for i in plan.days[1].items if not i.alternative and i.kind != "rest"]
    skipped = adherence(plan, [], tuesday)
    picked = adherence(plan, [DoneItem(tuesday, choices[-1].key)], tuesday)
    monday_count = sum(1 for i in plan.days[0].items if i.kind != "rest")
    assert skipped.planned == monday_count + len(others) + 1
    assert picked.done == 1 and picked.by_kind["cross_training"] == (1, 1)


def test_days_before_the_plan_began_are_not_counted():
    plan = week(today=MONDAY + timedelta(days=6))
    wednesday = MONDAY + timedelta(days=2)
    from_wednesday = adherence(plan, [], MONDAY + timedelta(days=6), since=wednesday)
    expected = sum(1 for d in plan.days[2:] for i in d.items if i.kind != "rest")
    assert from_wednesday.planned == expected


def test_every_pattern_has_a_daily_mobility_routine_without_flexion_stretches_for_disc_or_nerve():
    for pattern in ("muscular", "facet", "disc", "sacroiliac", "nerve_root", "nonspecific"):
        mobility = [i.exercise_id for i in week(pattern=pattern).days[0].items if i.kind == "mobility"]
        assert 2 <= len(mobility) <= 4, (pattern, mobility)
        if pattern in ("disc", "nerve_root"):
            assert not {"knee-to-chest", "hamstring-stretch"} & set(mobility), (pattern, mobility)
