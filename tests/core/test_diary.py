"""The pain diary (spec clinical.md D.4): validation, the repeated red-flag screen at every check-in
(A.8), reasons to repeat the full check (A.8), the weekly trend, and the run-today light (D.2) built
from logged days by the triage engine's own rules.

Every D.2 rule gets a diary case that fires it and a near-miss, in the style of test_run_today.py;
each case is also checked against `evaluate` on the same answers, so the diary can never disagree
with the full symptom check.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backstride.core.diary import (
    A8_ITEMS,
    LOCATIONS,
    RECHECK_MILESTONES,
    CheckIn,
    InvalidCheckIn,
    diary_run_answers,
    escalation,
    last_run,
    needs_full_recheck,
    new_areas,
    red_flag_answers,
    run_today_from_diary,
    validate_check_in,
    weekly_trend,
)
from backstride.core.triage import RunToday, Urgency, evaluate
from backstride.core.triage.flow import ORDER
from backstride.knowledge.diary_texts import recheck_message
from backstride.knowledge.plan_rules import plan_text

from .conftest import CES_ITEMS, ITEMS, check_case

RED, AMBER, GREEN = RunToday.RED, RunToday.AMBER, RunToday.GREEN
RED_IDS = {"R1", "R3", "R4", "R5", "R6"}
AMBER_IDS = {f"A{n}" for n in range(1, 7)}
TODAY = date(2025, 3, 31)

# Every A.8 item answered "no"/"none" (what a quiet check-in sends).
NO_FLAGS: dict[str, bool | str] = {
    item: ("none" if ITEMS[item]["type"] == "choice" else False) for item in A8_ITEMS
}
PROPERTY = settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


def day(offset: int) -> date:
    """TODAY + offset days (offset <= 0 for the past)."""
    return TODAY + timedelta(days=offset)


def entry(offset: int = 0, pain: int = 1, flags: dict | None = None, **fields: object) -> CheckIn:
    """A check-in `offset` days from TODAY; red flags default to all "no"."""
    return CheckIn(day=day(offset), pain_now=pain, red_flags={**NO_FLAGS, **(flags or {})}, **fields)


def ran(offset: int, before=None, during=None, after=None, morning=None, pain: int = 1) -> CheckIn:
    return entry(
        offset,
        pain,
        ran=True,
        pain_before_run=before,
        pain_during_run=during,
        pain_after_run=after,
        pain_next_morning=morning,
    )


def week_pair(recent: list[int], before: list[int]) -> list[CheckIn]:
    """Pain on consecutive days ending today (recent, last = today) and ending 7 days ago (before)."""
    days = [entry(-i, p) for i, p in enumerate(reversed(recent))]
    return days + [entry(-7 - i, p) for i, p in enumerate(reversed(before))]


# --- D.2 from the diary: every rule fires and has a near-miss ---------------------------------

WORSE_WEEKS = week_pair([3, 3, 3], [1, 1, 1])
WORSE_WEEKS_LOW_TODAY = [entry(0, 2), entry(-1, 4), entry(-2, 4), entry(-7, 1), entry(-8, 1), entry(-9, 1)]
SAME_WEEKS = week_pair([2, 2, 2], [2, 2, 2])

# (rule id, diary, urgency from the last full check, pattern, colour, must fire?)
CASES = [
    # R1: urgency emergency/doctor_soon, from today's red-flag answers or the last full check
    ("R1", [entry(0, 0, {"bladder_change": True})], Urgency.SELF_MANAGE, None, RED, True),
    ("R1", [entry(0, 0, {"saddle_numbness": "not_sure"})], Urgency.SELF_MANAGE, None, RED, True),
    ("R1", [entry(0, 0, {"leg_weakness": "one_leg"})], Urgency.SELF_MANAGE, None, RED, True),  # D8
    ("R1", [entry(0, 0)], Urgency.DOCTOR_SOON, None, RED, True),
    ("R1", [entry(0, 0)], Urgency.CLINICIAN_IF_NO_BETTER, None, GREEN, False),
    ("R1", [entry(0, 0, {"numbness_tingling": "one_leg"})], Urgency.SELF_MANAGE, None, AMBER, False),  # A6
    # R3: socks and shoes
    ("R3", [entry(0, 1, socks_shoes_difficult=True)], Urgency.SELF_MANAGE, None, RED, True),
    ("R3", [entry(0, 1, socks_shoes_difficult=False)], Urgency.SELF_MANAGE, None, GREEN, False),
    # R4: today's pain >= 6
    ("R4", [entry(0, 6)], Urgency.SELF_MANAGE, None, RED, True),
    ("R4", [entry(0, 5)], Urgency.SELF_MANAGE, None, AMBER, False),
    # R5: the last run's next-morning rating >= 6
    ("R5", [entry(0, 1), ran(-1, morning=6)], Urgency.SELF_MANAGE, None, RED, True),
    ("R5", [entry(0, 1), ran(-1, before=5, morning=5)], Urgency.SELF_MANAGE, None, GREEN, False),
    # R6: exceeded and not settled
    ("R6", [entry(0, 1), ran(-2, before=2, during=7, morning=4)], Urgency.SELF_MANAGE, None, RED, True),
    ("R6", [entry(0, 3), ran(-1, after=6)], Urgency.SELF_MANAGE, None, RED, True),  # morning = pain_now
    ("R6", [entry(0, 1), ran(-1, before=2, during=7, morning=2)], Urgency.SELF_MANAGE, None, AMBER, False),
    # A1: today's pain 3-5
    ("A1", [entry(0, 3)], Urgency.SELF_MANAGE, None, AMBER, True),
    ("A1", [entry(0, 5)], Urgency.SELF_MANAGE, None, AMBER, True),
    ("A1", [entry(0, 2)], Urgency.SELF_MANAGE, None, GREEN, False),
    # A2: exceeded and settled
    ("A2", [entry(0, 1), ran(-1, before=2, during=6, morning=2)], Urgency.SELF_MANAGE, None, AMBER, True),
    ("A2", [entry(0, 2), ran(-1, after=8)], Urgency.SELF_MANAGE, None, AMBER, True),  # morning = pain_now
    ("A2", [entry(0, 1), ran(-1, during=5, after=5, morning=1)], Urgency.SELF_MANAGE, None, AMBER, False),
    # A3: during or after 3-5
    ("A3", [entry(0, 1), ran(-1, during=4, morning=1)], Urgency.SELF_MANAGE, None, AMBER, True),
    ("A3", [entry(0, 1), ran(-1, after=3, morning=1)], Urgency.SELF_MANAGE, None, AMBER, True),
    ("A3", [entry(0, 1), ran(-1, during=2, after=2, morning=1)], Urgency.SELF_MANAGE, None, GREEN, False),
    # A4: next morning above the pre-run pain (default baseline 2)
    ("A4", [entry(0, 1), ran(-1, morning=3)], Urgency.SELF_MANAGE, None, AMBER, True),
    ("A4", [entry(0, 1), ran(-1, before=0, morning=1)], Urgency.SELF_MANAGE, None, AMBER, True),
    ("A4", [entry(0, 1), ran(-1, before=4, morning=4)], Urgency.SELF_MANAGE, None, GREEN, False),  # settled
    # A5: the diary's weekly trend is worse
    ("A5", WORSE_WEEKS_LOW_TODAY, Urgency.SELF_MANAGE, None, AMBER, True),
    ("A5", SAME_WEEKS, Urgency.SELF_MANAGE, None, GREEN, False),
    # A6: nerve_root pattern from the last full check
    ("A6", [entry(0, 1)], Urgency.SELF_MANAGE, "nerve_root", AMBER, True),
    ("A6", [entry(0, 1)], Urgency.SELF_MANAGE, "disc", GREEN, False),
    # A6 also from today's own answers, as the full check reads them (P2)
    ("A6", [entry(0, 1, {"numbness_tingling": "one_leg"})], Urgency.SELF_MANAGE, None, AMBER, True),
    ("A6", [entry(0, 1, locations=frozenset({"below_knee"}))], Urgency.SELF_MANAGE, None, AMBER, True),
    ("A6", [entry(0, 1, locations=frozenset({"thigh"}))], Urgency.SELF_MANAGE, None, GREEN, False),
]


def _case_id(case: tuple) -> str:
    rule_id, _diary, urgency, pattern, colour, fires = case
    return f"{rule_id}-{'fires' if fires else 'silent'}-{urgency.code}-{pattern}-{colour.code}"


@pytest.mark.parametrize(
    ("rule_id", "diary", "urgency", "pattern", "colour", "fires"), CASES, ids=[_case_id(c) for c in CASES]
)
def test_run_today_rule_from_the_diary(rule_id, diary, urgency, pattern, colour, fires):
    got_colour, fired = run_today_from_diary(diary, TODAY, urgency, pattern)
    assert (rule_id in {rule.rule_id for rule in fired}) is fires
    assert got_colour is colour


DIARY_ONLY = [c for c in CASES if c[2] is Urgency.SELF_MANAGE and c[3] is None]


@pytest.mark.parametrize(
    ("rule_id", "diary", "urgency", "pattern", "colour", "fires"),
    DIARY_ONLY,
    ids=[_case_id(c) for c in DIARY_ONLY],
)
def test_the_diary_agrees_with_the_full_check(rule_id, diary, urgency, pattern, colour, fires):
    """`evaluate` on the same answers (today's red flags and the D.2 answers from the diary) fires
    the same run-today rules, given the pattern it finds."""
    today_entry = next(c for c in diary if c.day == TODAY)
    answers = {**diary_run_answers(diary, TODAY), **red_flag_answers(today_entry)}
    check_case(answers)
    full = evaluate(answers)
    got_colour, fired = run_today_from_diary(diary, TODAY)
    assert tuple(fired) == full.run_today_rules
    assert got_colour is full.run_today is colour


def test_every_run_rule_has_a_diary_case_that_fires_and_a_near_miss():
    fired = {c[0] for c in CASES if c[5]}
    silent = {c[0] for c in CASES if not c[5]}
    assert fired == silent == RED_IDS | AMBER_IDS


def test_green_when_everything_is_low_settled_and_not_worse():
    diary = [*SAME_WEEKS[1:], entry(0, 2), ran(-1, before=2, during=2, after=2, morning=2, pain=2)]
    colour, fired = run_today_from_diary(diary, TODAY)
    assert colour is GREEN
    assert fired == []


def test_no_entry_today_gives_no_colour():
    colour, fired = run_today_from_diary([entry(-1, 0)], TODAY)
    assert (colour, fired) == (None, [])
    assert "today" in plan_text("RUN-TODAY-UNKNOWN")  # what the plan and the today page say instead


def test_entries_after_today_are_ignored():
    colour, fired = run_today_from_diary([entry(0, 1), entry(1, 9), ran(1, during=9, morning=9)], TODAY)
    assert colour is GREEN and fired == []


def test_a_repeated_day_takes_the_later_entry():
    colour, _ = run_today_from_diary([entry(0, 7), entry(0, 1)], TODAY)
    assert colour is GREEN


def test_the_last_run_is_the_most_recent_run_day():
    old_bad = ran(-5, before=1, during=9, after=9, morning=8)
    recent_good = ran(-2, before=1, during=1, after=1, morning=1)
    diary = [old_bad, recent_good, entry(-1, 1), entry(0, 1)]
    assert last_run(diary, TODAY) is recent_good
    colour, fired = run_today_from_diary(diary, TODAY)
    assert colour is GREEN and fired == []


def test_a_run_before_the_episode_is_not_the_last_run():
    diary = [ran(-10, during=9, morning=9), entry(0, 1)]
    assert run_today_from_diary(diary, TODAY)[0] is RED
    assert run_today_from_diary(diary, TODAY, episode_start=day(-3)) == (GREEN, [])


def test_a_run_logged_today_is_the_last_run():
    diary = [ran(0, before=1, during=7, pain=1)]
    colour, fired = run_today_from_diary(diary, TODAY)
    assert [rule.rule_id for rule in fired] == ["A2"]  # exceeded; morning = pain_now 1 <= 1: settled
    assert colour is AMBER


def test_diary_answers_use_the_questionnaire_ids():
    run = ran(-1, before=1, during=4, after=3, morning=2, pain=3)
    diary = [*(c for c in WORSE_WEEKS if c.day != run.day), run]
    answers = diary_run_answers(diary, TODAY)
    check_case(answers)
    assert answers == {
        "pain_now": 3,
        "pain_before_last_run": 1,
        "pain_during_last_run": 4,
        "pain_after_last_run": 3,
        "pain_next_morning": 2,
        "trend_week": "worse",
    }


def test_an_escalation_today_overrides_a_green_diary():
    colour, fired = run_today_from_diary([entry(0, 0, {"chest_pain_breathless": True})], TODAY)
    assert colour is RED
    assert [rule.rule_id for rule in fired] == ["R1"]


# --- the repeated red-flag screen (A.8) -------------------------------------------------------

# Every way an A.8 answer at a check-in reaches the emergency tier (E1-E6, E8, E9).
EMERGENCY_CHECK_INS = [
    pytest.param({"saddle_numbness": True}, frozenset(), "E1", id="E1"),
    pytest.param({"bladder_change": True}, frozenset(), "E2", id="E2"),
    pytest.param({"bowel_change": True}, frozenset(), "E3", id="E3"),
    pytest.param({"sexual_change": True}, frozenset(), "E4", id="E4"),
    pytest.param(
        {"leg_pain_side": "both_legs"}, frozenset({"central", "below_knee"}), "E5", id="E5-sciatica"
    ),
    pytest.param({"numbness_tingling": "both_legs"}, frozenset(), "E5", id="E5-numb"),
    pytest.param({"leg_weakness": "both_legs"}, frozenset(), "E5", id="E5-weak"),
    pytest.param({"neuro_worsening": True, "numbness_tingling": "one_leg"}, frozenset(), "E6", id="E6-numb"),
    pytest.param({"neuro_worsening": True, "leg_weakness": "one_leg"}, frozenset(), "E6", id="E6-weak"),
    pytest.param({"aaa_warning": True}, frozenset(), "E8", id="E8"),
    pytest.param({"chest_pain_breathless": True}, frozenset(), "E9", id="E9"),
]


@pytest.mark.parametrize(("flags", "locations", "rule_id"), EMERGENCY_CHECK_INS)
@pytest.mark.parametrize("background", [{}, NO_FLAGS], ids=["only-this", "rest-no"])
def test_a_yes_at_a_check_in_is_an_emergency_exactly_as_evaluate_gives(flags, locations, rule_id, background):
    check_in = CheckIn(day=TODAY, pain_now=2, locations=locations, red_flags={**background, **flags})
    result = escalation(check_in)
    assert result is not None
    assert result.urgency is Urgency.EMERGENCY
    assert rule_id in result.rule_ids
    assert result == evaluate(red_flag_answers(check_in))
    assert result.run_today is RED


@pytest.mark.parametrize("item", CES_ITEMS)
def test_not_sure_at_a_check_in_is_doctor_soon(item):
    check_in = entry(0, 2, {item: "not_sure"})
    result = escalation(check_in)
    assert result is not None
    assert result.urgency is Urgency.DOCTOR_SOON
    assert "CES-UNSURE" in result.rule_ids
    assert result == evaluate(red_flag_answers(check_in))


def test_one_weak_leg_not_worsening_is_doctor_soon_as_in_the_full_check():
    result = escalation(entry(0, 2, {"leg_weakness": "one_leg"}))
    assert result is not None and result.urgency is Urgency.DOCTOR_SOON and "D8" in result.rule_ids


@pytest.mark.parametrize(
    ("flags", "locations"),
    [
        pytest.param({}, frozenset({"central"}), id="all-no"),
        # spec A.7: aching in both buttocks/thighs stopping above the knee is not bilateral sciatica
        pytest.param({"leg_pain_side": "both_legs"}, frozenset({"buttock", "thigh"}), id="both-thighs"),
        pytest.param({"numbness_tingling": "one_leg"}, frozenset({"below_knee"}), id="one-sided-sciatica"),
        pytest.param({"neuro_worsening": True}, frozenset(), id="worsening-without-leg-symptoms"),
    ],
)
def test_no_escalation_without_a_red_flag(flags, locations):
    check_in = CheckIn(day=TODAY, pain_now=4, locations=locations, red_flags={**NO_FLAGS, **flags})
    assert escalation(check_in) is None
    assert evaluate(red_flag_answers(check_in)).urgency < Urgency.DOCTOR_SOON


def test_red_flag_answers_add_the_furthest_location_as_pain_extent():
    check_in = CheckIn(day=TODAY, pain_now=3, locations=frozenset({"left", "thigh", "buttock"}), red_flags={})
    assert red_flag_answers(check_in) == {"pain_extent": "thigh"}
    assert CheckIn(day=TODAY, pain_now=3, locations=frozenset({"central"})).pain_extent == "back_only"
    assert CheckIn(day=TODAY, pain_now=0).pain_extent is None


def test_a8_items_are_e1_to_e6_e8_e9_in_the_full_check_order():
    assert list(A8_ITEMS) == [item for item in ORDER if item in A8_ITEMS]
    assert all(item in ITEMS for item in A8_ITEMS)
    # Everything E1-E6, E8 and E9 read (spec A.2), pain_extent coming from the locations, and K.7's
    # loin colic and pregnancy warning signs.
    assert {*A8_ITEMS, "pain_extent"} == {
        "pregnancy_warning",
        "loin_colic",
        *CES_ITEMS,
        "leg_pain_side",
        "pain_extent",
        "numbness_tingling",
        "leg_weakness",
        "neuro_worsening",
        "aaa_warning",
        "chest_pain_breathless",
    }


flag_values = {
    item: st.sampled_from([True, False, "not_sure"])
    if item in CES_ITEMS
    else st.booleans()
    if ITEMS[item]["type"] == "yes_no"
    else st.sampled_from(ITEMS[item]["choices"])
    for item in A8_ITEMS
}


@st.composite
def check_in_pair(draw):
    """(fewer answers, more answers): the second adds red-flag answers and locations."""
    full = draw(st.fixed_dictionaries({}, optional=flag_values))
    kept = draw(st.sets(st.sampled_from(sorted(full)))) if full else set()
    locations = draw(st.frozensets(st.sampled_from(LOCATIONS)))
    fewer_locations = draw(st.frozensets(st.sampled_from(sorted(locations)))) if locations else frozenset()
    pain = draw(st.integers(0, 10))
    fewer = CheckIn(TODAY, pain, fewer_locations, red_flags={k: v for k, v in full.items() if k in kept})
    more = CheckIn(TODAY, pain, locations, red_flags=full)
    return fewer, more


def _tier(check_in: CheckIn) -> Urgency:
    result = escalation(check_in)
    return result.urgency if result else Urgency.SELF_MANAGE


@PROPERTY
@given(check_in_pair())
def test_adding_answers_never_lowers_the_escalation(pair):
    fewer, more = pair
    assert _tier(more) >= _tier(fewer)


@PROPERTY
@given(check_in_pair())
def test_escalation_is_evaluate_and_forces_red(pair):
    _, check_in = pair
    full = evaluate(red_flag_answers(check_in))
    result = escalation(check_in)
    assert (result is not None) is (full.urgency >= Urgency.DOCTOR_SOON)
    colour, fired = run_today_from_diary([check_in], TODAY)
    if result is not None:
        assert result == full
        assert colour is RED and "R1" in {rule.rule_id for rule in fired}


# --- validation -----------------------------------------------------------------------------

VALID = {
    "day": "2025-03-30",
    "pain_now": 3,
    "locations": ["central", "buttock"],
    "stiffness": 2,
    "sitting_hours": 7.5,
    "sleep_hours": 7,
    "note": "long meeting",
    "ran": True,
    "pain_before_run": 2,
    "pain_during_run": 3,
    "pain_after_run": 3,
    "pain_next_morning": 2,
    "exercises_done": True,
    "socks_shoes_difficult": False,
    "red_flags": {**NO_FLAGS, "leg_pain_side": "none"},
}


def test_a_valid_check_in():
    check_in = validate_check_in(VALID, TODAY)
    assert check_in.day == date(2025, 3, 30)
    assert check_in.locations == frozenset({"central", "buttock"})
    assert check_in.sitting_hours == 7.5 and check_in.sleep_hours == 7.0
    assert check_in.ran and check_in.pain_next_morning == 2
    assert dict(check_in.red_flags) == VALID["red_flags"]
    assert validate_check_in({**VALID, "day": date(2025, 3, 30)}, TODAY) == check_in


def test_a_minimal_check_in():
    check_in = validate_check_in({"day": TODAY, "pain_now": 0, "red_flags": NO_FLAGS}, TODAY)
    assert check_in == CheckIn(day=TODAY, pain_now=0, red_flags=NO_FLAGS)
    assert not check_in.ran and check_in.note == ""


def _fields(raw: dict) -> list[str]:
    with pytest.raises(InvalidCheckIn) as caught:
        validate_check_in(raw, TODAY)
    assert str(caught.value) == "; ".join(str(p) for p in caught.value.problems)
    return [problem.field for problem in caught.value.problems]


def test_every_problem_is_listed_with_its_field():
    raw = {
        "day": "2025-04-01",  # tomorrow
        "pain_now": 11,
        "locations": ["central", "knee", "shoulder"],
        "stiffness": -1,
        "sitting_hours": -2,
        "sleep_hours": 25,
        "note": 5,
        "ran": False,
        "pain_during_run": 4,
        "pain_next_morning": 3,
        "exercises_done": "yes",
        "mood": 3,
        "red_flags": {**NO_FLAGS, "bladder_change": "maybe", "trauma": "major", "leg_weakness": "left"},
    }
    assert sorted(_fields(raw)) == sorted(
        [
            "mood",
            "day",
            "pain_now",
            "locations",
            "locations",
            "stiffness",
            "sitting_hours",
            "sleep_hours",
            "note",
            "pain_during_run",
            "pain_next_morning",
            "exercises_done",
            "red_flags.trauma",
            "red_flags.bladder_change",
            "red_flags.leg_weakness",
        ]
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"pain_now": 11}, "pain_now"),
        ({"pain_now": -1}, "pain_now"),
        ({"pain_now": 2.5}, "pain_now"),
        ({"pain_now": True}, "pain_now"),
        ({"pain_now": None}, "pain_now"),
        ({"pain_during_run": 11}, "pain_during_run"),
        ({"sitting_hours": -0.5}, "sitting_hours"),
        ({"sleep_hours": 24.5}, "sleep_hours"),
        ({"sleep_hours": float("nan")}, "sleep_hours"),
        ({"sitting_hours": 16, "sleep_hours": 9}, "sleep_hours"),  # more than a day
        ({"locations": "central"}, "locations"),
        ({"locations": ["calf"]}, "locations"),
        ({"day": "2025-04-01"}, "day"),  # the future
        ({"day": datetime(2025, 3, 30, 8, 0)}, "day"),
        ({"day": "30/03/2025"}, "day"),
        ({"day": None}, "day"),
        ({"ran": "yes"}, "ran"),
        ({"red_flags": {**NO_FLAGS, "saddle_numbness": "yes"}}, "red_flags.saddle_numbness"),
        ({"red_flags": {**NO_FLAGS, "aaa_warning": "not_sure"}}, "red_flags.aaa_warning"),  # not a CES item
        ({"red_flags": {**NO_FLAGS, "fever_chills": True}}, "red_flags.fever_chills"),  # not asked daily
        ({"red_flags": ["saddle_numbness"]}, "red_flags"),
    ],
)
def test_each_problem_names_its_field(change, field):
    assert _fields({**VALID, **change}) == [field]


def test_a_run_rating_without_a_run_is_refused():
    raw = {**VALID, "ran": False}
    assert _fields(raw) == list(("pain_before_run", "pain_during_run", "pain_after_run", "pain_next_morning"))
    no_run = {
        k: v for k, v in raw.items() if k not in ("pain_before_run", "pain_during_run", "pain_after_run")
    }
    assert _fields({**no_run, "ran": None}) == ["pain_next_morning"]


def test_the_next_morning_cannot_be_rated_on_the_day_of_the_run():
    assert _fields({**VALID, "day": TODAY}) == ["pain_next_morning"]
    assert (
        validate_check_in({**VALID, "day": TODAY, "pain_next_morning": None}, TODAY).pain_next_morning is None
    )
    assert validate_check_in(VALID, TODAY).pain_next_morning == 2  # yesterday's run, rated this morning


def test_every_applicable_red_flag_item_must_be_answered():
    raw = {**VALID, "red_flags": {}}
    # leg_pain_side is asked because pain reaches the buttock; neuro_worsening is not (no numb/weak leg),
    # nor the pregnancy warning signs (no full check said pregnant)
    expected = [
        f"red_flags.{item}" for item in A8_ITEMS if item not in ("neuro_worsening", "pregnancy_warning")
    ]
    assert _fields(raw) == expected


def test_the_pregnancy_warning_signs_are_asked_while_the_full_check_says_pregnant():
    flags = {key: value for key, value in NO_FLAGS.items() if key != "pregnancy_warning"}
    raw = {**VALID, "red_flags": flags}
    assert validate_check_in(raw, TODAY).red_flags.get("pregnancy_warning") is None
    with pytest.raises(InvalidCheckIn) as caught:
        validate_check_in(raw, TODAY, context={"pregnant": True})
    assert [p.item_id for p in caught.value.problems] == ["red_flags.pregnancy_warning"]


def test_a_pregnancy_warning_sign_at_a_check_in_is_an_emergency():
    check_in = validate_check_in(
        {**VALID, "red_flags": {**NO_FLAGS, "pregnancy_warning": True}}, TODAY, {"pregnant": True}
    )
    result = escalation(check_in, {"pregnant": True})
    assert result is not None and result.urgency is Urgency.EMERGENCY and "E13" in result.rule_ids


def test_loin_colic_at_a_check_in_escalates_as_in_the_full_check():
    check_in = validate_check_in({**VALID, "red_flags": {**NO_FLAGS, "loin_colic": True}}, TODAY)
    alone = escalation(check_in)
    assert alone is not None and alone.urgency is Urgency.DOCTOR_SOON and alone.urgency_when == "today"
    # With the full check's answers about the person: a 66-year-old man -> E14, an emergency.
    older_man = escalation(check_in, {"age": 66, "sex": "male"})
    assert older_man is not None and older_man.urgency is Urgency.EMERGENCY and "E14" in older_man.rule_ids
    woman = escalation(check_in, {"age": 66, "sex": "female", "smoker_ever": False})
    assert woman is not None and woman.urgency is Urgency.DOCTOR_SOON


def test_skip_logic_follows_the_full_check():
    back_only = {**VALID, "locations": ["central"], "red_flags": {**NO_FLAGS}}
    del back_only["red_flags"]["leg_pain_side"]
    assert validate_check_in(back_only, TODAY).red_flags.get("leg_pain_side") is None
    numb = {**NO_FLAGS, "numbness_tingling": "one_leg"}
    del numb["neuro_worsening"]
    assert _fields({**VALID, "red_flags": numb}) == ["red_flags.neuro_worsening"]


def test_an_emergency_answer_is_enough_on_its_own():
    """As in the full check (H.3), an emergency answer stops the screen: the rest is not required."""
    check_in = validate_check_in({**VALID, "red_flags": {"bowel_change": True}}, TODAY)
    assert escalation(check_in) is not None
    assert _fields({**VALID, "red_flags": {"bowel_change": "not_sure"}})  # doctor_soon: keep asking


# --- weekly trend -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("recent", "before", "trend"),
    [
        ([3, 3, 3], [2, 2, 2], "worse"),  # +1.0 exactly
        ([2, 2, 3], [1, 1, 2], "worse"),  # 7/3 - 4/3 = 1, exact arithmetic
        ([2, 2, 3], [2, 2, 2], "same"),  # +1/3
        ([3, 3, 2, 3], [2, 2, 2], "same"),  # +0.75
        ([1, 1, 1], [2, 2, 2], "better"),  # -1.0
        ([1, 1, 2], [2, 2, 2], "same"),  # -1/3
        ([0, 0, 0, 0, 0, 0, 0], [9, 9, 9], "better"),
        ([2, 2], [1, 1, 1], None),  # only 2 days this week
        ([2, 2, 2], [1, 1], None),  # only 2 days the week before
        ([], [], None),
    ],
)
def test_weekly_trend(recent, before, trend):
    assert weekly_trend(week_pair(recent, before), TODAY) == trend


def test_the_weeks_are_today_and_the_6_days_before_then_the_7_before_those():
    diary = [entry(-6, 5), entry(-5, 5), entry(-4, 5), entry(-7, 1), entry(-13, 1), entry(-10, 1)]
    assert weekly_trend(diary, TODAY) == "worse"
    older = [*diary, entry(-14, 9), entry(-20, 9)]  # outside both weeks
    assert weekly_trend(older, TODAY) == "worse"
    assert weekly_trend([*diary, entry(1, 0), entry(2, 0)], TODAY) == "worse"  # future ignored
    assert weekly_trend(diary, day(1)) is None  # a day later, -7 moves into the first week


# --- repeating the full check (A.8) -----------------------------------------------------------


def test_pain_spreading_to_a_new_area_asks_for_a_recheck():
    diary = [
        entry(-2, 3, locations=frozenset({"central"})),
        entry(-1, 3, locations=frozenset({"central", "left"})),
        entry(0, 3, locations=frozenset({"central", "thigh"})),
    ]
    assert new_areas(diary, TODAY) == {"thigh"}
    assert needs_full_recheck(diary, TODAY, None) == ["new_area"]
    same = [*diary[:2], entry(0, 3, locations=frozenset({"left"}))]
    assert needs_full_recheck(same, TODAY, None) == []


def test_the_first_entry_of_an_episode_sets_what_is_usual():
    assert needs_full_recheck([entry(0, 3, locations=frozenset({"thigh"}))], TODAY, day(-3)) == []
    previous_episode = [
        entry(-20, 3, locations=frozenset({"thigh"})),
        entry(-1, 2, locations=frozenset({"left"})),
    ]
    today = entry(0, 3, locations=frozenset({"thigh"}))
    assert needs_full_recheck([*previous_episode, today], TODAY, day(-5)) == ["new_area"]
    assert needs_full_recheck([*previous_episode, today], TODAY, None) == []


def test_a_worse_week_asks_for_a_recheck():
    assert needs_full_recheck(WORSE_WEEKS, TODAY, None) == ["trend_worse"]
    assert needs_full_recheck(SAME_WEEKS, TODAY, None) == []


@pytest.mark.parametrize(
    ("days_in", "last_check_days_in", "reasons"),
    [
        (27, None, []),
        (28, None, ["day_28"]),
        (35, None, ["day_28"]),  # missed day 28: still due
        (35, 30, []),  # rechecked after day 28
        (35, 27, ["day_28"]),  # the last check was before day 28
        (41, None, ["day_28"]),
        (42, None, ["day_42"]),
        (42, 30, ["day_42"]),
        (50, 43, []),
        (28, 28, []),  # rechecked today
    ],
)
def test_day_28_and_day_42(days_in, last_check_days_in, reasons):
    start = day(-days_in)
    last = None if last_check_days_in is None else start + timedelta(days=last_check_days_in)
    assert needs_full_recheck([entry(0, 1)], TODAY, start, last) == reasons


def test_all_reasons_together_and_their_messages():
    diary = [
        *[c for c in WORSE_WEEKS if c.day != TODAY],
        entry(0, 3, locations=frozenset({"below_knee"})),
    ]
    reasons = needs_full_recheck(diary, TODAY, day(-42))
    assert reasons == ["new_area", "trend_worse", "day_42"]
    assert all(recheck_message(reason) for reason in reasons)
    assert needs_full_recheck(diary, TODAY, day(-42), last_full_check=TODAY) == []
    assert needs_full_recheck(diary, TODAY, None) == ["new_area", "trend_worse"]


def test_every_recheck_reason_has_its_words():
    """Each reason the core can give has its sentence in knowledge/diary_texts.yaml."""
    reasons = ["new_area", "trend_worse", *(f"day_{m}" for m in RECHECK_MILESTONES)]
    assert all(recheck_message(reason).endswith("full symptom check.") for reason in reasons)
