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


def green(*days: date) -> list[CheckIn]:
    return [CheckIn(day, pain_now=1) for day in days]


def bridge_ticks(*days: date) -> list[DoneItem]:
    return [tick(day, "strength:glute-bridge", "glute-bridge") for day in days]


def test_two_green_sessions_earn_one_step_and_the_next_two_in_a_later_week_another():
    days = [MONDAY, MONDAY + timedelta(days=2), MONDAY + timedelta(days=7), MONDAY + timedelta(days=9)]
    assert earned_steps(bridge_ticks(*days[:2]), green(*days)) == {"glute-bridge": 1}
    assert earned_steps(bridge_ticks(*days), green(*days)) == {"glute-bridge": 2}
    assert earned_steps(bridge_ticks(days[0]), green(*days)) == {}  # one session is not enough


def test_at_most_one_step_a_week():
    week = [MONDAY + timedelta(days=d) for d in range(6)]
    assert earned_steps(bridge_ticks(*week), green(*week)) == {"glute-bridge": 1}


def test_sessions_count_only_on_green_days_with_pain_not_rising():
    days = [MONDAY, MONDAY + timedelta(days=2)]
    assert earned_steps(bridge_ticks(*days), []) == {}  # no diary: the colour is unknown
    amber = [CheckIn(days[0], pain_now=1), CheckIn(days[1], pain_now=3)]  # A1: 3/10 is amber
    assert earned_steps(bridge_ticks(*days), amber) == {}
    red_socks = [CheckIn(days[0], pain_now=1), CheckIn(days[1], pain_now=2, socks_shoes_difficult=True)]
    assert earned_steps(bridge_ticks(*days), red_socks) == {}
    # A red day two days before makes the next green day one of rising pain (DOSE-DOWN): no credit.
    red_before = [*green(*days), CheckIn(days[1] - timedelta(days=1), pain_now=7)]
    assert earned_steps(bridge_ticks(*days), red_before) == {}


def test_rising_pain_over_weeks_never_raises_the_planned_dose():
    """The reviewer's scenario: pain 0, 1, 2, 3 over four weeks, every session ticked. Earned steps
    rise at most one a week and not at all once the days turn amber (3/10); a week planned with
    DOSE-DOWN never has a higher dose than the week before."""
    days = [MONDAY + timedelta(days=7 * w + d) for w in range(4) for d in (0, 2, 4)]
    diary = [CheckIn(MONDAY + timedelta(days=7 * w + d), pain_now=w) for w in range(4) for d in range(7)]
    earned, planned = [0], [0]
    for number in range(1, 5):
        start = MONDAY + timedelta(days=7 * number)
        logged = [c for c in diary if c.day < start]
        earned.append(
            earned_steps(bridge_ticks(*[d for d in days if d < start]), logged).get("glute-bridge", 0)
        )
        assert 0 <= earned[-1] - earned[-2] <= 1
        plan = week(
            week_start=start, today=start, check_ins=logged, exercise_steps={"glute-bridge": earned[-1]}
        )
        bridge = next(i for i in plan.items("strength") if i.step_key == "glute-bridge")
        planned.append(bridge.step)
        if plan.dose_down:
            assert planned[-1] <= planned[-2], (number, planned)
    assert earned[4] == earned[3]  # week 4 at 3/10 is amber every day: no credit


def test_ticks_before_the_episode_or_a_resumed_plan_do_not_count():
    days = [MONDAY, MONDAY + timedelta(days=2)]
    assert earned_steps(bridge_ticks(*days), green(*days), since=days[1]) == {}


def test_the_same_day_twice_counts_once_and_items_without_a_dose_slot_earn_nothing():
    done = bridge_ticks(MONDAY, MONDAY)
    done += [tick(MONDAY + timedelta(days=d), "mobility:cat-camel") for d in (0, 1, 2, 3)]
    assert earned_steps(done, green(*[MONDAY + timedelta(days=d) for d in range(4)])) == {}


def test_earned_steps_raise_the_planned_dose_with_the_rule_named():
    base = week()
    earned = week(exercise_steps=earned_steps(bridge_ticks(MONDAY), green(MONDAY)))
    assert base == earned  # nothing earned from a single tick
    days = [MONDAY - timedelta(days=d) for d in (3, 5)]
    stepped = week(exercise_steps=earned_steps(bridge_ticks(*days), green(*days)))
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
    assert [(i.exercise_id, i.kind) for i in choices] == [
        ("cycling", "cross_training"),
        ("swimming", "cross_training"),
        ("walking", "walk"),
    ]
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


def test_past_days_stay_as_they_were_planned_on_the_day():
    """A red Tuesday offered cross-training; seen on Wednesday, Tuesday still shows what was offered,
    so a tick made then still matches an item."""
    tuesday, wednesday = MONDAY + timedelta(days=1), MONDAY + timedelta(days=2)
    diary = [CheckIn(tuesday, pain_now=7), CheckIn(wednesday, pain_now=1)]
    on_tuesday = week(today=tuesday, check_ins=diary[:1])
    on_wednesday = week(today=wednesday, check_ins=diary)
    assert [i.key for i in on_wednesday.days[1].items] == [i.key for i in on_tuesday.days[1].items]
    assert any(i.alternative for i in on_wednesday.days[1].items)
    assert not on_wednesday.days[1].has("run") and not on_wednesday.days[1].is_today
    assert on_wednesday.days[2].is_today
