"""Plans that follow spec section K (issue 10, item 4): bone stress (K.4), young runners (K.5),
pregnancy and the months after a birth (K.6). Each rule has a case that applies it and a near miss
that does not."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backstride.core.diary import CheckIn
from backstride.core.plan import (
    DoneItem,
    PlanInput,
    StageSession,
    WeekPlan,
    adherence,
    build_week,
    plan_rules,
)
from backstride.core.plan.choice import BONE_STRESS_LOADS
from backstride.core.triage.model import RunToday, Urgency
from backstride.core.triage.standing import Standing
from backstride.knowledge import exercises as lib
from backstride.knowledge.exercises import NOT_IN_PREGNANCY, exercises

MONDAY = date(2024, 5, 6)
TUESDAY, THURSDAY = MONDAY + timedelta(days=1), MONDAY + timedelta(days=3)
CHECK_IDS = [check.id for check in plan_rules().readiness_checks]


def week(**kwargs: Any) -> WeekPlan:
    values: dict[str, Any] = {"week_start": MONDAY, "today": MONDAY, "pattern": "nonspecific"}
    values.update(kwargs)
    return build_week(PlanInput(**values))


def exercise_ids(plan: WeekPlan) -> set[str]:
    return {i.exercise_id for i in plan.items() if i.exercise_id is not None}


def loads_in(plan: WeekPlan) -> set[str]:
    return {load for exercise_id in exercise_ids(plan) for load in exercises()[exercise_id].loads}


def rules_in(plan: WeekPlan) -> set[str]:
    return set(plan.rule_ids)


def born_weeks_ago(weeks: float, *rules: str) -> Standing:
    """A full check that implies a birth ``weeks`` before MONDAY (PN-1 left in force by the caller)."""
    return Standing(rules=frozenset(rules), birth_day=MONDAY - timedelta(days=round(weeks * 7)))


def all_checks(day: date) -> list[tuple[date, str]]:
    return [(day, check_id) for check_id in CHECK_IDS]


# --- K.4 bone stress -------------------------------------------------------------------------------

BS2 = Standing(rules=frozenset({"BS-2", "R7"}), answers={"hop_pain": "yes"})


@pytest.mark.parametrize("pattern", ["sacroiliac", "nonspecific", "muscular", "facet"])
def test_bone_stress_no_running_no_stage_no_impact_or_single_leg(pattern: str) -> None:
    plan = week(pattern=pattern, standing=BS2, returning=True, urgency=Urgency.CLINICIAN_IF_NO_BETTER)
    assert plan.items("run") == [] and plan.items("activation") == []
    assert plan.stage is None and plan.stage_decision is None
    assert not loads_in(plan) & BONE_STRESS_LOADS
    assert "walking" not in exercise_ids(plan)  # K.4: only cycling or swimming, and floor exercises
    for day in plan.days:
        if day.day.weekday() in (1, 3, 5):
            choices = [i for i in day.items if "K4-NO-RUN" in i.rule_ids]
            assert {i.exercise_id for i in choices} == {"cycling", "swimming"}
            assert all(i.alternative and "pain-free" in i.why for i in choices)
    assert all("K4-NO-LOAD" in i.rule_ids for i in plan.items("strength") + plan.items("mobility"))
    bone = next(n for n in plan.notes if "K4-NO-RUN" in n.rule_ids)
    assert "hoenig-2022" in bone.sources and "not pain to run through" in bone.text
    assert "REASSURE" not in rules_in(plan)  # "pain does not mean damage" is not said here
    assert not any("LOAD-2WK-30" in n.rule_ids for n in plan.notes)


def test_same_runner_without_a_bone_stress_rule_runs_and_loads_one_leg() -> None:
    plan = week(pattern="sacroiliac", returning=True, urgency=Urgency.CLINICIAN_IF_NO_BETTER)
    assert len(plan.items("run")) == 3 and plan.stage == 1
    assert loads_in(plan) & BONE_STRESS_LOADS  # squats, the warm-up on one leg, leg swings
    assert not rules_in(plan) & {"K4-NO-RUN", "K4-NO-LOAD"}


def test_bone_stress_pattern_alone_plans_the_same_limits() -> None:
    plan = week(pattern="bone_stress")
    assert plan.items("run") == [] and not loads_in(plan) & BONE_STRESS_LOADS
    assert {"K4-NO-RUN", "K4-NO-LOAD"} <= rules_in(plan)
    assert not any("G-nonspecific" in n.rule_ids for n in plan.notes)  # its own note instead


def test_bs1_is_blocked_by_its_urgency() -> None:
    standing = Standing(rules=frozenset({"BS-1"}))
    plan = week(pattern="bone_stress", urgency=Urgency.DOCTOR_SOON, standing=standing)
    assert plan.blocked_rule == "BLOCK-URGENT" and plan.days == ()


def test_a_painful_hop_makes_today_red_whatever_the_pain() -> None:
    plan = week(today=TUESDAY, standing=BS2, check_ins=[CheckIn(TUESDAY, pain_now=1)])
    assert plan.run_today == RunToday.RED  # R7 holds until a new full check
    assert week(today=TUESDAY, check_ins=[CheckIn(TUESDAY, pain_now=1)]).run_today == RunToday.GREEN


# --- K.5 young runners -----------------------------------------------------------------------------

Y1 = Standing(rules=frozenset({"Y-1"}), answers={"age": 16, "worse_bending_backward": True})


def young(age: float, backward: bool = True) -> Standing:
    return Standing(context={"age": age}, answers={"age": age, "worse_bending_backward": backward})


@pytest.mark.parametrize("standing", [Y1, young(19.5)], ids=["Y-1", "under-20-backward"])
@pytest.mark.parametrize("pattern", ["facet", "nonspecific", "muscular"])
def test_young_runner_no_extension_flat_and_pain_free(standing: Standing, pattern: str) -> None:
    plan = week(pattern=pattern, standing=standing)
    assert "extension" not in loads_in(plan)
    assert not exercise_ids(plan) & {"locust-pose", "stability-ball-back-extension", "cat-camel"}
    runs = plan.items("run")
    assert len(runs) == 3
    assert all(
        r.terrain == "flat" and "K5-FLAT-PAIN-FREE" in r.rule_ids and "pain-free" in r.why for r in runs
    )
    assert "5/10" not in " ".join(r.why for r in runs)
    assert not any("AFTER-7-HILLS-SPEED" in n.rule_ids for n in plan.notes)
    note = next(n for n in plan.notes if "K5-NO-EXTENSION" in n.rule_ids)
    assert "micheli-wood-1995" in note.sources and "speed" in note.text
    assert "locust pose is built up" not in " ".join(n.text for n in plan.notes)


@pytest.mark.parametrize("standing", [young(20), young(20.5), young(16, backward=False), Standing()])
def test_twenty_or_no_extension_pain_keeps_extension_work(standing: Standing) -> None:
    plan = week(pattern="nonspecific", standing=standing)
    assert "locust-pose" in exercise_ids(plan) and "extension" in loads_in(plan)
    assert all(r.terrain == "any" and "5/10" in r.why for r in plan.items("run"))
    assert "K5-NO-EXTENSION" not in rules_in(plan)


def test_young_runner_today_is_at_least_amber_and_the_run_is_pain_free() -> None:
    plan = week(today=TUESDAY, standing=Y1, check_ins=[CheckIn(TUESDAY, pain_now=1)])
    assert plan.run_today == RunToday.AMBER  # A7
    run = next(i for i in plan.days[1].items if i.kind == "run")
    assert "RUN-TODAY-AMBER" in run.rule_ids and "only if it is pain-free" in run.why
    assert (
        week(today=TUESDAY, standing=Y1, check_ins=[CheckIn(TUESDAY, pain_now=7)]).run_today == RunToday.RED
    )
    assert week(today=TUESDAY, check_ins=[CheckIn(TUESDAY, pain_now=1)]).run_today == RunToday.GREEN


def test_young_runner_in_the_graded_return_gets_pain_free_stages() -> None:
    runs = week(pattern="facet", standing=Y1, returning=True).items("run")
    assert runs and all("D3-stage-1" in r.rule_ids and "pain-free" in r.why for r in runs)


# --- K.6 pregnancy ---------------------------------------------------------------------------------

PREGNANT = Standing(rules=frozenset({"PG-1"}), answers={"pregnant": True})


@pytest.mark.parametrize(
    "inputs",
    [
        {"pattern": "pregnancy_related", "standing": PREGNANT},
        {"pattern": "pregnancy_related"},
        {"pattern": "facet", "standing": PREGNANT, "returning": True},
        {"pattern": "sacroiliac", "standing": PREGNANT, "exercise_steps": {"clamshell": 4, "dead-bug": 4}},
        {"pattern": "muscular", "standing": PREGNANT, "today": TUESDAY, "run_today": RunToday.RED},
    ],
    ids=["PG-1", "pattern-only", "facet-returning", "steps-earned", "red-day"],
)
def test_pregnancy_only_pregnancy_ok_nothing_lying_or_risking_a_fall(inputs: dict[str, Any]) -> None:
    plan = week(**inputs)
    assert plan.items("strength") and plan.items("mobility")
    assert all(exercises()[e].pregnancy_ok for e in exercise_ids(plan)), exercise_ids(plan)
    assert not loads_in(plan) & NOT_IN_PREGNANCY
    assert all("K6-PREGNANCY" in i.rule_ids for i in plan.items("strength") + plan.items("mobility"))
    note = next(n for n in plan.notes if "K6-PREGNANCY" in n.rule_ids)
    assert {"acog-804-2020", "uk-cmo-pregnancy-2019"} <= set(note.sources) and "16 weeks" in note.text
    for run in plan.items("run"):
        assert "K6-PREGNANCY-RUN" in run.rule_ids and "if you ran before" in run.why


def test_pregnancy_swaps_lying_on_the_back_for_other_positions() -> None:
    monday = {i.exercise_id: i for i in week(pattern="pregnancy_related").days[0].items}
    assert "dead-bug" not in monday and "glute-bridge" not in monday
    assert "K6-PREGNANCY-SWAP" in monday["bird-dog"].rule_ids  # all fours instead of the dead bug
    assert "K6-PREGNANCY-SWAP" in monday["hip-thrust"].rule_ids  # back on a bench, not flat
    assert {"side-plank-knees", "clamshell"} <= set(monday)  # side-lying work stays


def test_not_pregnant_keeps_the_general_list() -> None:
    plan = week(pattern="nonspecific")
    assert {"dead-bug", "glute-bridge", "locust-pose"} <= exercise_ids(plan)
    assert not rules_in(plan) & {"K6-PREGNANCY", "K6-PREGNANCY-SWAP", "K6-PREGNANCY-RUN"}


# --- K.6 after a birth -----------------------------------------------------------------------------


def test_under_12_weeks_no_running_daily_pelvic_floor_and_walks() -> None:
    plan = week(pattern="muscular", standing=born_weeks_ago(11, "PN-1"), returning=True)
    assert plan.items("run") == [] and plan.items("activation") == [] and plan.stage is None
    assert plan.items("readiness") == []
    for day in plan.days:
        assert day.has("pelvic_floor"), day.day
        walks = [i for i in day.items if i.kind == "walk"]
        assert len(walks) == 1 and walks[0].rule_ids == ("K6-WALK-DAILY",)
    floor = plan.items("pelvic_floor")[0]
    assert floor.exercise_id == "pelvic-floor-training" and "3 times a day" in floor.dose
    assert {"dumoulin-2018", "goom-2019"} <= set(floor.sources)
    assert "K6-POSTNATAL-NO-RUN" in rules_in(plan) and plan.readiness is None


def test_at_12_weeks_the_checks_come_before_any_run() -> None:
    plan = week(pattern="muscular", standing=born_weeks_ago(12), today=THURSDAY, returning=False)
    assert plan.items("run") == [] and plan.stage is None
    for day in plan.days:
        checks = [i for i in day.items if i.kind == "readiness"]
        assert day.has("pelvic_floor")
        if day.day <= THURSDAY:  # due today (and on each past day, as it was then)
            assert [i.check_id for i in checks] == CHECK_IDS
            assert all(i.key == f"readiness:{i.check_id}" and "leaking or heaviness" in i.why for i in checks)
        else:  # a later day cannot be ticked yet; the week's readiness lists them all
            assert checks == []
    assert len(CHECK_IDS) == 11
    assert plan.readiness is not None and plan.readiness.done == 0 and plan.readiness.stage_opens is None
    assert [c.id for c in plan.readiness.checks] == CHECK_IDS
    assert all("goom-2019" in i.sources for i in plan.items("readiness"))
    assert any("K6-READINESS" in n.rule_ids and "0 of 11" in n.text for n in plan.notes)


def test_pn1_lifts_in_the_middle_of_the_week() -> None:
    friday = MONDAY + timedelta(days=4)
    plan = week(pattern="muscular", standing=born_weeks_ago(80 / 7, "PN-1"), today=friday)  # 12 weeks
    thursday, on_friday = plan.days[3], plan.days[4]
    assert not thursday.has("readiness") and on_friday.has("readiness")
    assert any(i.rule_ids == ("K6-WALK-DAILY",) for i in thursday.items)
    assert not any(i.rule_ids == ("K6-WALK-DAILY",) for i in on_friday.items)


def test_a_ticked_check_leaves_the_later_days() -> None:
    ticks = [(MONDAY, "walk-30-min"), (TUESDAY, "hop-on-the-spot")]
    plan = week(pattern="muscular", standing=born_weeks_ago(13), today=THURSDAY, readiness_ticks=ticks)
    keys = [{i.check_id for i in day.items if i.kind == "readiness"} for day in plan.days]
    assert "walk-30-min" in keys[0] and "walk-30-min" not in keys[1]
    assert "hop-on-the-spot" in keys[1] and "hop-on-the-spot" not in keys[2]
    assert plan.readiness is not None and plan.readiness.done == 2 and plan.items("run") == []


def test_all_checks_ticked_yesterday_opens_stage_1_today() -> None:
    plan = week(
        pattern="muscular", standing=born_weeks_ago(13), today=TUESDAY, readiness_ticks=all_checks(MONDAY)
    )
    assert plan.readiness is not None
    assert (plan.readiness.passed_on, plan.readiness.stage_opens) == (MONDAY, TUESDAY)
    assert plan.stage == 1 and plan.stage_decision is not None
    today = [i for i in plan.days[1].items if i.kind == "run"]
    assert len(today) == 1 and "D3-stage-1" in today[0].rule_ids
    assert plan.days[0].has("readiness") and not plan.days[1].has("readiness")  # Monday as it was
    assert any("K6-READINESS-PASSED" in n.rule_ids for n in plan.notes)


def test_all_checks_ticked_today_opens_stage_1_tomorrow() -> None:
    plan = week(
        pattern="muscular", standing=born_weeks_ago(13), today=TUESDAY, readiness_ticks=all_checks(TUESDAY)
    )
    assert plan.readiness is not None and plan.readiness.stage_opens == TUESDAY + timedelta(days=1)
    tuesday = plan.days[1]
    assert tuesday.has("readiness") and not tuesday.has("run")
    assert [d.day for d in plan.days if d.has("run")] == [THURSDAY, MONDAY + timedelta(days=5)]
    assert all("D3-stage-1" in r.rule_ids for r in plan.items("run"))


def test_one_check_unticked_keeps_running_out() -> None:
    ticks = [t for t in all_checks(MONDAY) if t[1] != "running-man"]
    plan = week(pattern="muscular", standing=born_weeks_ago(13), today=THURSDAY, readiness_ticks=ticks)
    assert plan.items("run") == [] and plan.readiness is not None and plan.readiness.passed_on is None
    assert [i.check_id for i in plan.days[3].items if i.kind == "readiness"] == ["running-man"]


def test_ticks_before_12_weeks_do_not_count() -> None:
    standing = born_weeks_ago(13)
    early = all_checks(MONDAY - timedelta(weeks=2))  # 11 weeks after the birth
    assert week(pattern="muscular", standing=standing, readiness_ticks=early).items("run") == []


def test_the_return_after_the_checks_counts_only_runs_after_them() -> None:
    before = [StageSession(MONDAY - timedelta(days=d), 5, 1, 1, 1, 1) for d in (30, 28)]
    opened = MONDAY - timedelta(days=8)
    after = [StageSession(opened + timedelta(days=d), 1, 1, 1, 1, 1) for d in (1, 3)]
    plan = week(
        pattern="muscular",
        standing=born_weeks_ago(16),
        readiness_ticks=all_checks(opened - timedelta(days=1)),
        stage_sessions=before + after,
    )
    assert plan.stage == 2 and plan.stage_decision is not None
    assert plan.stage_decision.rule_id == "ADAPT-PROGRESS"


def test_no_checks_on_a_red_day() -> None:
    red_today = [CheckIn(TUESDAY, pain_now=7)]
    plan = week(pattern="muscular", standing=born_weeks_ago(13), today=TUESDAY, check_ins=red_today)
    assert plan.run_today == RunToday.RED
    assert plan.days[0].has("readiness") and not plan.days[1].has("readiness")
    green = week(pattern="muscular", standing=born_weeks_ago(13), today=TUESDAY, run_today=RunToday.GREEN)
    assert green.days[1].has("readiness")


def test_pn2_no_running_even_at_20_weeks_and_a_pelvic_health_physiotherapist() -> None:
    plan = week(pattern="muscular", standing=born_weeks_ago(20, "PN-2"), readiness_ticks=all_checks(MONDAY))
    assert plan.items("run") == [] and plan.items("readiness") == [] and plan.stage is None
    assert all(day.has("pelvic_floor") and day.has("walk") for day in plan.days)
    note = next(n for n in plan.notes if "K6-PELVIC-PHYSIO" in n.rule_ids)
    assert "pelvic health physiotherapist" in note.text and "goom-2019" in note.sources


def test_cleared_at_20_weeks_gets_the_checks() -> None:
    plan = week(pattern="muscular", standing=born_weeks_ago(20))  # no PN-2: cleared, or no symptoms
    assert plan.items("readiness") and plan.items("run") == []
    assert "K6-PELVIC-PHYSIO" not in rules_in(plan)


def test_bone_stress_after_a_birth_keeps_pelvic_floor_training_and_no_checks() -> None:
    standing = Standing(rules=frozenset({"BS-2", "R7"}), birth_day=MONDAY - timedelta(weeks=20))
    plan = week(pattern="muscular", standing=standing)
    assert plan.items("run") == [] and plan.items("readiness") == [] and plan.items("walk") == []
    assert all(day.has("pelvic_floor") for day in plan.days)


def test_a_year_after_the_birth_the_plan_is_the_usual_one() -> None:
    plan = week(pattern="muscular", standing=born_weeks_ago(53))
    assert len(plan.items("run")) == 3 and plan.items("readiness") == [] and plan.items("pelvic_floor") == []


def test_after_birth_today_is_red_but_the_doses_do_not_drop() -> None:
    diary = [CheckIn(MONDAY - timedelta(days=d), pain_now=1) for d in range(7)]
    plan = week(pattern="muscular", standing=born_weeks_ago(8, "PN-1"), check_ins=diary)
    assert plan.run_today == RunToday.RED  # R8: no running yet
    assert not plan.dose_down and len(plan.strength_days) == 3  # R8 is not pain rising


def test_checks_are_ticked_but_not_counted_as_training_and_pelvic_floor_is() -> None:
    plan = week(pattern="muscular", standing=born_weeks_ago(13), today=MONDAY)
    ticks = [DoneItem(MONDAY, i.key) for i in plan.days[0].items if i.kind in ("readiness", "pelvic_floor")]
    result = adherence(plan, ticks, MONDAY)
    assert "readiness" not in result.by_kind and result.by_kind["pelvic_floor"] == (1, 1)
    assert result.planned == len([i for i in plan.days[0].items if i.kind not in ("readiness", "rest")])


def _library_with_leg_lift(present: bool) -> dict[str, Any]:
    raw = copy.deepcopy(lib._load(lib.FILENAME))
    records = [r for r in raw["exercises"] if r["id"] != "side-lying-leg-lift"]
    if present:
        lift = copy.deepcopy(next(r for r in records if r["id"] == "clamshell"))
        lift.update(id="side-lying-leg-lift", name="Side-lying leg lift", progression=None)
        records.append(lift)
    return {**raw, "exercises": records}


@pytest.mark.parametrize("present", [True, False])
def test_a_check_links_its_record_only_when_the_library_has_it(
    monkeypatch: pytest.MonkeyPatch, present: bool
) -> None:
    library = _library_with_leg_lift(present)
    monkeypatch.setattr(lib, "_load", lambda filename: library)
    lib.exercises.cache_clear()
    try:
        plan = week(pattern="muscular", standing=born_weeks_ago(13))
    finally:
        lib.exercises.cache_clear()
    lift = next(i for i in plan.items("readiness") if i.check_id == "side-lying-leg-lift")
    assert lift.exercise_id == ("side-lying-leg-lift" if present else None)
    assert lift.key == "readiness:side-lying-leg-lift" and lift.title == "Side-lying leg lift"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda checks: checks.append(dict(checks[0])), "duplicate id"),
        (lambda checks: checks[0].update(dose=""), "non-empty strings"),
        (lambda checks: checks[0].update(minutes=0), "minutes"),
        (lambda checks: checks[0].update(when="today"), "mapping of id"),
        (lambda checks: checks.clear(), "non-empty list"),
    ],
)
def test_readiness_checks_are_validated(change: Any, message: str) -> None:
    from importlib import resources

    import yaml

    from backstride.core.plan import rules

    data = yaml.safe_load(resources.files("backstride.knowledge").joinpath(rules.FILENAME).read_text("utf-8"))
    change(data["readiness_checks"])
    with pytest.raises(ValueError, match=message):
        rules.rules_from(data)


def test_readiness_checks_name_library_records_or_the_pending_leg_lift() -> None:
    for check in plan_rules().readiness_checks:
        assert (
            check.exercise is None or check.exercise in exercises() or check.exercise == "side-lying-leg-lift"
        )


# --- properties --------------------------------------------------------------------------------------

_standings = st.sampled_from(
    [Standing(), BS2, Y1, young(19), PREGNANT]
    + [
        born_weeks_ago(w, *r)
        for w, r in ((4, ("PN-1",)), (11.5, ("PN-1",)), (12, ()), (30, ("PN-2",)), (30, ()))
    ]
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    standing=_standings,
    pattern=st.sampled_from(["muscular", "facet", "disc", "sacroiliac", "nerve_root", "nonspecific"]),
    today_offset=st.integers(-2, 8),
    returning=st.booleans(),
    pain=st.one_of(st.none(), st.integers(0, 10)),
    ticked=st.integers(0, len(CHECK_IDS)),
)
def test_section_k_limits_hold_whatever_else(
    standing: Standing, pattern: str, today_offset: int, returning: bool, pain: int | None, ticked: int
) -> None:
    today = MONDAY + timedelta(days=today_offset)
    ticks = [(MONDAY - timedelta(days=1), c) for c in CHECK_IDS[:ticked]]
    check_ins = [] if pain is None else [CheckIn(today, pain_now=pain)]
    plan = week(
        pattern=pattern,
        standing=standing,
        today=today,
        returning=returning,
        check_ins=check_ins,
        readiness_ticks=ticks,
    )
    if standing is BS2:
        assert plan.items("run") == [] and not loads_in(plan) & BONE_STRESS_LOADS
    if standing in (Y1,) or standing.answers.get("age") == 19:
        assert "extension" not in loads_in(plan)
        assert all(r.terrain == "flat" for r in plan.items("run"))
    if standing is PREGNANT:
        assert all(exercises()[e].pregnancy_ok for e in exercise_ids(plan))
    born = standing.birth_day
    for day in plan.days:
        if born is not None and ((day.day - born).days < 84 or "PN-2" in standing.rules):
            assert not day.has("run") and not day.has("readiness") and day.has("pelvic_floor")
        if day.has("run") and born is not None and (day.day - born).days < 364:
            assert ticked == len(CHECK_IDS)  # no run after a birth before every check is ticked
