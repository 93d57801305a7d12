"""The weekly plan core (issue 5), written from spec clinical.md D.2, D.3 and G."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backstride.core.diary import CheckIn
from backstride.core.plan import (
    DOCTOR_FIRST_PATTERNS,
    KINDS,
    PlanInput,
    PlanItem,
    StageSession,
    WeekPlan,
    assess_session,
    build_week,
    decide_stage,
    plan_rules,
    plan_text,
)
from backstride.core.triage.model import PATTERNS, RunToday, Urgency
from backstride.knowledge import catalog
from backstride.knowledge.exercises import exercises

MONDAY = date(2024, 5, 6)
TUESDAY = MONDAY + timedelta(days=1)
PLAN_PATTERNS = ("muscular", "facet", "disc", "sacroiliac", "nerve_root", "nonspecific")


def week(**kwargs: object) -> WeekPlan:
    values: dict[str, object] = {"week_start": MONDAY, "today": MONDAY, "pattern": "muscular"}
    values.update(kwargs)
    return build_week(PlanInput(**values))  # type: ignore[arg-type]


def good(day: date, stage: int) -> StageSession:
    return StageSession(day=day, stage=stage, pain_during=2, pain_after=2, pain_next_morning=1, pain_before=2)


def assert_well_formed(plan: WeekPlan) -> None:
    known_sources = catalog.sources()
    known_rules = plan_rules().rules
    for item in plan.items():
        assert item.kind in KINDS
        assert item.why.strip(), item
        assert item.rule_ids, item
        assert item.sources, item
        assert all(r in known_rules for r in item.rule_ids), item.rule_ids
        assert all(s in known_sources for s in item.sources), item.sources
        if item.exercise_id is not None:
            assert item.exercise_id in exercises()
    for note in plan.notes:
        assert note.text and note.rule_ids and note.sources
        assert all(r in known_rules for r in note.rule_ids)
        assert all(s in known_sources for s in note.sources)
    if plan.stage_decision is not None:
        assert plan.stage_decision.rule_id in known_rules
        assert plan.stage_decision.rule_id not in plan.stage_decision.reason  # words only (issue 13)
    if plan.blocked_rule is not None:
        assert plan.blocked_rule in known_rules


# --- blocked --------------------------------------------------------------------------------------


@pytest.mark.parametrize("urgency", [Urgency.DOCTOR_SOON, Urgency.EMERGENCY])
def test_urgent_result_blocks_the_plan(urgency: Urgency) -> None:
    plan = week(urgency=urgency, returning=True)
    assert plan.blocked is not None and "seen" in plan.blocked
    assert plan.blocked_rule == "BLOCK-URGENT"
    assert plan.days == () and plan.items() == [] and plan.stage is None


def test_no_check_blocks_the_plan() -> None:
    plan = week(pattern=None, has_check=False)
    assert plan.blocked == plan_text("BLOCK-NO-CHECK") == "Do a symptom check first: the plan depends on it."
    assert plan.blocked_rule == "BLOCK-NO-CHECK" and plan.items() == []


def test_clinician_if_no_better_is_not_blocked_but_advises_review() -> None:
    plan = week(urgency=Urgency.CLINICIAN_IF_NO_BETTER)
    assert plan.blocked is None and plan.items("strength")
    assert any("CLINICIAN-REVIEW" in n.rule_ids for n in plan.notes)


def test_week_start_must_be_a_monday() -> None:
    with pytest.raises(ValueError, match="Monday"):
        week(week_start=TUESDAY)


# --- content (spec G) -----------------------------------------------------------------------------


@pytest.mark.parametrize("pattern", PLAN_PATTERNS)
@pytest.mark.parametrize("returning", [True, False])
def test_week_shape(pattern: str, returning: bool) -> None:
    plan = week(pattern=pattern, returning=returning)
    assert [d.day for d in plan.days] == [MONDAY + timedelta(days=i) for i in range(7)]
    strength = [d.day.weekday() for d in plan.days if d.has("strength")]
    assert 2 <= len(strength) <= 3
    assert all(b - a >= 2 for a, b in pairwise(strength)), strength
    assert any(d.is_rest_day for d in plan.days)
    for day in plan.days:
        sessions = [i for i in day.items if i.kind == "strength"]
        if sessions:
            assert 4 <= len(sessions) <= 6
            assert len({i.exercise_id for i in sessions}) == len(sessions)
        mobility = [i for i in day.items if i.kind == "mobility"]
        assert 2 <= len(mobility) <= 4
        for item in sessions + mobility:
            ex = exercises()[item.exercise_id or ""]
            assert ex.suits(pattern), (pattern, ex.id)
        kinds = [i.kind for i in day.items]
        if "run" in kinds:
            assert "activation" in kinds and kinds.index("activation") < kinds.index("run")
    assert_well_formed(plan)


def test_strength_sessions_mix_core_and_hip() -> None:
    plan = week(pattern="sacroiliac")
    monday = {i.exercise_id for i in plan.days[0].items if i.kind == "strength"}
    assert monday & {"dead-bug", "side-plank-knees", "locust-pose"}
    assert monday & {"glute-bridge", "clamshell", "squats"}


def test_nerve_root_no_loaded_flexion_and_flat_runs_only() -> None:
    for returning in (True, False):
        plan = week(pattern="nerve_root", returning=returning)
        ids = {i.exercise_id for i in plan.items()}
        assert not ids & {"deadlifts", "crunches", "sit-ups"}
        runs = plan.items("run")
        assert runs
        assert all(r.terrain == "flat" and "PATTERN-NERVE-FLAT" in r.rule_ids for r in runs)
        assert len(plan.strength_days) == 2  # easing in
        assert plan.items("walk")
        assert any("CLINICIAN-REVIEW" in n.rule_ids for n in plan.notes)


def test_disc_gets_the_easier_version_of_loaded_flexion() -> None:
    plan = week(pattern="disc")
    assert "deadlifts" not in {i.exercise_id for i in plan.items()}
    assert all("PATTERN-DISC-SITTING" in r.rule_ids for r in plan.items("run"))


def test_facet_extension_work_is_gradual_and_no_downhill() -> None:
    plan = week(pattern="facet")
    ids = {i.exercise_id for i in plan.items()}
    assert not ids & {"stability-ball-back-extension", "stability-ball-reverse-leg-raise"}
    locust = [i for i in plan.items() if i.exercise_id == "locust-pose"]
    assert locust and all("G-GRADUAL" in i.rule_ids and i.caution for i in locust)
    runs = week(pattern="facet", returning=False).items("run")
    assert all(r.terrain == "no_downhill" and "PATTERN-FACET-DOWNHILL" in r.rule_ids for r in runs)


def test_worse_uphill_avoids_hills() -> None:
    runs = week(pattern="muscular", worse_uphill=True).items("run")
    assert all(r.terrain == "no_uphill" and "HILLS-UPHILL" in r.rule_ids for r in runs)
    runs = week(pattern="muscular", worse_uphill=True, worse_downhill=True).items("run")
    assert all(r.terrain == "flat" and "HILLS-DOWNHILL" in r.rule_ids for r in runs)


@pytest.mark.parametrize(("pattern", "risk"), [("nonspecific", None), ("muscular", "high")])
def test_reassurance_for_nonspecific_or_startback_high(pattern: str, risk: str | None) -> None:
    notes = [n for n in week(pattern=pattern, startback_risk=risk).notes if "REASSURE" in n.rule_ids]
    assert notes and "damage" in notes[0].text
    assert {"seed-004", "nice-ng59"} <= set(notes[0].sources)


def test_no_reassurance_note_when_not_needed() -> None:
    assert not any("REASSURE" in n.rule_ids for n in week(pattern="muscular", startback_risk="low").notes)


def test_nice_not_offered_note() -> None:
    assert any("G-NOT-OFFERED" in n.rule_ids and "belts" in n.text.lower() for n in week().notes)


# --- graded return to running (D.3) -------------------------------------------------------------------


def test_first_week_starts_at_stage_1_with_entry_criteria() -> None:
    plan = week(returning=True)
    assert plan.stage == 1 and plan.stage_decision is not None
    assert plan.stage_decision.rule_id == "ADAPT-START"
    assert any("D3-ENTRY" in n.rule_ids for n in plan.notes)
    runs = plan.items("run")
    assert [r.dose for r in runs] == ["5 x (walk 4 min + run 1 min)"] * 3
    assert all("D3-stage-1" in r.rule_ids for r in runs)
    # alternate days
    days = [d.day.weekday() for d in plan.days if d.has("run")]
    assert all(b - a == 2 for a, b in pairwise(days))


def test_two_good_sessions_progress() -> None:
    sessions = [good(MONDAY - timedelta(days=5), 3), good(MONDAY - timedelta(days=3), 3)]
    plan = week(returning=True, stage_sessions=sessions)
    decision = plan.stage_decision
    assert decision is not None and decision.action == "progress"
    assert plan.stage == decision.stage == 4 and decision.rule_id == "ADAPT-PROGRESS"
    assert decision.reason.startswith("moved up from stage 3 to stage 4") and "ADAPT" not in decision.reason
    assert all(
        r.dose == "5 x (walk 1 min + run 4 min)" and "D3-stage-4" in r.rule_ids for r in plan.items("run")
    )


def test_one_good_session_repeats() -> None:
    decision = decide_stage([good(MONDAY - timedelta(days=2), 3)], MONDAY)
    assert (decision.stage, decision.action, decision.rule_id) == (3, "repeat", "ADAPT-REPEAT-ONE-GOOD")


def test_pain_during_4_alone_still_counts_as_good() -> None:
    # D.3: progress after sessions that were "green or A3-only amber" (pain 3-5 during/after).
    a3 = StageSession(
        MONDAY - timedelta(days=3), 3, pain_during=4, pain_after=3, pain_next_morning=2, pain_before=2
    )
    assert assess_session(a3).outcome == "good"
    assert decide_stage([good(MONDAY - timedelta(days=5), 3), a3], MONDAY).stage == 4


def test_morning_above_pre_run_level_repeats() -> None:
    sessions = [
        good(MONDAY - timedelta(days=5), 3),
        StageSession(
            MONDAY - timedelta(days=3), 3, pain_during=4, pain_after=4, pain_next_morning=4, pain_before=2
        ),
    ]
    decision = decide_stage(sessions, MONDAY)
    assert (decision.stage, decision.action, decision.rule_id) == (3, "repeat", "ADAPT-REPEAT-MORNING")
    assert "morning pain (4/10) was above your pre-run level (2/10)" in decision.reason
    assert decision.reason.startswith("repeated stage 3 because")


def test_over_the_ceiling_but_settled_repeats() -> None:
    session = StageSession(MONDAY - timedelta(days=2), 3, pain_during=6, pain_after=3, pain_next_morning=1)
    decision = decide_stage([good(MONDAY - timedelta(days=4), 3), session], MONDAY)
    assert (decision.stage, decision.rule_id) == (3, "ADAPT-REPEAT-AMBER")
    assert "6/10" in decision.reason


def test_trend_worse_repeats() -> None:
    worse = StageSession(MONDAY - timedelta(days=2), 3, 2, 2, 1, 2, trend_worse=True)
    assert decide_stage([good(MONDAY - timedelta(days=4), 3), worse], MONDAY).rule_id == "ADAPT-REPEAT-TREND"
    sessions = [good(MONDAY - timedelta(days=4), 3), good(MONDAY - timedelta(days=2), 3)]
    held = decide_stage(sessions, MONDAY, trend_worse=True)
    assert (held.stage, held.rule_id) == (3, "ADAPT-REPEAT-TREND")


def test_unrated_morning_repeats_unless_the_diary_has_the_next_day() -> None:
    unrated = StageSession(MONDAY - timedelta(days=2), 3, pain_during=2, pain_after=2, pain_before=2)
    sessions = [good(MONDAY - timedelta(days=4), 3), unrated]
    assert decide_stage(sessions, MONDAY).rule_id == "ADAPT-REPEAT-UNRATED"
    next_day = [CheckIn(day=MONDAY - timedelta(days=1), pain_now=1)]
    assert decide_stage(sessions, MONDAY, next_day).stage == 4


@pytest.mark.parametrize(
    "session",
    [
        StageSession(MONDAY - timedelta(days=2), 3, pain_during=3, pain_after=3, pain_next_morning=6),
        StageSession(
            MONDAY - timedelta(days=2), 3, pain_during=6, pain_after=4, pain_next_morning=4, pain_before=2
        ),
        StageSession(MONDAY - timedelta(days=2), 3, pain_during=2, pain_after=7, pain_next_morning=3),
    ],
)
def test_red_caused_by_running_steps_back(session: StageSession) -> None:
    plan = week(returning=True, stage_sessions=[good(MONDAY - timedelta(days=4), 3), session])
    decision = plan.stage_decision
    assert decision is not None
    assert (plan.stage, decision.action, decision.rule_id) == (2, "step_back", "ADAPT-STEP-BACK")
    assert "from stage 3 to stage 2" in decision.reason
    assert all("D3-stage-2" in r.rule_ids for r in plan.items("run"))


def test_next_day_pain_6_is_red() -> None:
    session = StageSession(MONDAY - timedelta(days=2), 4, pain_during=3, pain_after=3, pain_next_morning=2)
    diary = [CheckIn(day=MONDAY - timedelta(days=1), pain_now=6)]
    assert decide_stage([session], MONDAY, diary).stage == 3


def test_stage_1_never_goes_below_1() -> None:
    red = StageSession(MONDAY - timedelta(days=2), 1, pain_during=8, pain_after=8, pain_next_morning=7)
    decision = decide_stage([red], MONDAY)
    assert (decision.stage, decision.action) == (1, "step_back")
    assert "stayed at stage 1" in decision.reason


def test_stage_7_done_returns_to_own_running() -> None:
    sessions = [good(MONDAY - timedelta(days=5), 7), good(MONDAY - timedelta(days=3), 7)]
    plan = week(returning=True, stage_sessions=sessions)
    decision = plan.stage_decision
    assert decision is not None and decision.completed and decision.rule_id == "ADAPT-STAGE-7-DONE"
    assert plan.stage is None
    runs = plan.items("run")
    assert runs and all("RUN-OWN" in r.rule_ids and "LOAD-2WK-30" in r.rule_ids for r in runs)
    load = [n for n in plan.notes if "LOAD-2WK-30" in n.rule_ids]
    assert load and "30%" in load[0].text and "nielsen-2014" in load[0].sources
    assert any("AFTER-7-HILLS-SPEED" in n.rule_ids for n in plan.notes)


def test_not_returning_gets_own_running_with_load_guidance() -> None:
    plan = week(returning=False)
    assert plan.stage is None and plan.stage_decision is None
    assert all(r.title == "Easy run" and r.exercise_id is None for r in plan.items("run"))
    notes = " ".join(n.text for n in plan.notes)
    assert "30%" in notes and "110%" in notes
    assert_well_formed(plan)


def test_future_sessions_are_ignored() -> None:
    sessions = [good(MONDAY - timedelta(days=2), 3), good(MONDAY + timedelta(days=2), 3)]
    assert decide_stage(sessions, MONDAY).rule_id == "ADAPT-REPEAT-ONE-GOOD"


# --- run today (D.2) --------------------------------------------------------------------------------


def test_red_today_replaces_only_todays_run() -> None:
    diary = [CheckIn(day=TUESDAY, pain_now=7)]
    plan = week(today=TUESDAY, returning=True, check_ins=diary)
    assert plan.run_today == RunToday.RED
    tuesday = plan.days[1]
    assert tuesday.is_today and not tuesday.has("run") and not tuesday.has("activation")
    alternatives = {i.exercise_id for i in tuesday.items if i.kind in ("cross_training", "walk")}
    assert alternatives == {"cycling", "swimming", "walking"}
    assert all("RUN-TODAY-RED" in i.rule_ids for i in tuesday.items if i.exercise_id in alternatives)
    assert plan.days[3].has("run") and plan.days[5].has("run")
    assert any("RUN-TODAY-RED" in n.rule_ids for n in plan.notes)
    assert_well_formed(plan)


def test_red_today_given_as_input() -> None:
    plan = week(today=TUESDAY, run_today=RunToday.RED)
    assert not plan.days[1].has("run") and plan.days[3].has("run")


def test_amber_today_halves_todays_run() -> None:
    plan = week(today=TUESDAY, returning=True, check_ins=[CheckIn(day=TUESDAY, pain_now=4)])
    assert plan.run_today == RunToday.AMBER
    today_run = next(i for i in plan.days[1].items if i.kind == "run")
    assert "RUN-TODAY-AMBER" in today_run.rule_ids and today_run.dose.startswith("about half")
    later = next(i for i in plan.days[3].items if i.kind == "run")
    assert "RUN-TODAY-AMBER" not in later.rule_ids


def test_no_entry_today_asks_to_log_first() -> None:
    plan = week(today=TUESDAY)
    assert plan.run_today is None
    run = next(i for i in plan.days[1].items if i.kind == "run")
    assert "RUN-TODAY-UNKNOWN" in run.rule_ids and "Log today's pain first" in run.why


def test_today_outside_the_week_changes_nothing() -> None:
    plan = week(today=MONDAY - timedelta(days=1), run_today=RunToday.RED)
    assert len(plan.run_days) == 3 and plan.run_today is None


# --- exercise dosage ---------------------------------------------------------------------------------


def _item(plan: WeekPlan, step_key: str) -> PlanItem:
    return next(i for i in plan.days[0].items if i.step_key == step_key)


def test_base_dose_from_the_record() -> None:
    item = _item(week(), "side-plank-knees")
    assert item.exercise_id == "side-plank-knees" and item.dose.startswith("2 x hold 15 s each side")
    assert "DOSE-BASE" in item.rule_ids and item.step == 0


def test_dose_steps_up_then_switches() -> None:
    one = _item(week(exercise_steps={"side-plank-knees": 1}), "side-plank-knees")
    assert one.exercise_id == "side-plank-knees" and one.dose.startswith("2 x hold 25 s")
    assert "DOSE-UP" in one.rule_ids
    two = _item(week(exercise_steps={"side-plank-knees": 2}), "side-plank-knees")
    assert two.exercise_id == "side-plank" and two.dose.startswith("3 x hold 20 s")
    assert "DOSE-SWITCH" in two.rule_ids
    reps = _item(week(exercise_steps={"glute-bridge": 1}), "glute-bridge")
    assert reps.dose.startswith("3 x 12 reps")
    chain = _item(week(exercise_steps={"dead-bug": 4}), "dead-bug")
    assert chain.exercise_id == "front-plank"  # dead bug -> bird dog -> front plank


def test_dose_steps_back_when_pain_rose() -> None:
    red_day = [CheckIn(day=MONDAY - timedelta(days=2), pain_now=7), CheckIn(day=MONDAY, pain_now=2)]
    plan = week(exercise_steps={"side-plank-knees": 2}, check_ins=red_day)
    assert plan.dose_down
    item = _item(plan, "side-plank-knees")
    assert item.exercise_id == "side-plank-knees" and item.dose.startswith("2 x hold 25 s")
    assert "DOSE-DOWN" in item.rule_ids and item.step == 1
    assert len(plan.strength_days) == 2
    assert any("DOSE-DOWN" in n.rule_ids for n in plan.notes)


def test_dose_steps_back_on_a_worse_weekly_trend() -> None:
    diary = [CheckIn(day=MONDAY - timedelta(days=d), pain_now=1) for d in range(7, 14)]
    diary += [CheckIn(day=MONDAY - timedelta(days=d), pain_now=3) for d in range(7)]
    plan = week(exercise_steps={"glute-bridge": 1}, check_ins=diary)
    assert plan.dose_down
    assert _item(plan, "glute-bridge").dose.startswith("3 x 10 reps")


def test_dose_never_below_the_record() -> None:
    plan = week(check_ins=[CheckIn(day=MONDAY, pain_now=7)])
    item = _item(plan, "glute-bridge")
    assert item.step == 0 and "DOSE-DOWN" not in item.rule_ids


# --- the rules file -----------------------------------------------------------------------------------


def test_plan_rules_records_have_sources() -> None:
    known = catalog.sources()
    rules = plan_rules().rules
    assert rules
    for rule in rules.values():
        assert rule.when and rule.sources and all(s in known for s in rule.sources), rule.id
        assert rule.action in ("progress", "repeat", "step_back", "hold", "rest", "include")
    for pattern in PLAN_PATTERNS:
        assert f"G-{pattern}" in rules
        assert 2 <= len(plan_rules().mobility[pattern]) <= 4
    for slot in plan_rules().strength_slots:
        assert all(c in exercises() for c in slot.candidates)


# --- properties -----------------------------------------------------------------------------------------

_pain = st.one_of(st.none(), st.integers(0, 10))


@st.composite
def plan_inputs(draw: st.DrawFn) -> PlanInput:
    week_start = MONDAY + timedelta(weeks=draw(st.integers(-5, 5)))
    today = week_start + timedelta(days=draw(st.integers(-3, 9)))
    sessions = [
        StageSession(
            today - timedelta(days=draw(st.integers(0, 20))),
            draw(st.integers(1, 7)),
            draw(_pain),
            draw(_pain),
            draw(_pain),
            draw(_pain),
            draw(st.booleans()),
        )
        for _ in range(draw(st.integers(0, 4)))
    ]
    check_ins = [
        CheckIn(day=today - timedelta(days=back), pain_now=draw(st.integers(0, 10)))
        for back in draw(st.sets(st.integers(0, 14), max_size=8))
    ]
    return PlanInput(
        week_start=week_start,
        today=today,
        urgency=draw(st.sampled_from(list(Urgency))),
        pattern=draw(st.one_of(st.none(), st.sampled_from(PATTERNS))),
        startback_risk=draw(st.sampled_from([None, "low", "medium", "high"])),
        returning=draw(st.booleans()),
        stage_sessions=sessions,
        check_ins=check_ins,
        exercise_steps=draw(st.dictionaries(st.sampled_from(sorted(exercises())), st.integers(0, 8))),
        worse_uphill=draw(st.booleans()),
        worse_downhill=draw(st.booleans()),
        has_check=draw(st.booleans()),
        run_today=draw(st.one_of(st.none(), st.sampled_from(list(RunToday)))),
    )


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan_inputs())
def test_plan_properties(inp: PlanInput) -> None:
    plan = build_week(inp)
    if plan.blocked is not None:
        assert plan.items() == [] and plan.items("run") == []
        assert inp.urgency >= Urgency.DOCTOR_SOON or not inp.has_check or inp.pattern in DOCTOR_FIRST_PATTERNS
        return
    assert inp.urgency < Urgency.DOCTOR_SOON and inp.has_check
    assert [d.day for d in plan.days] == [inp.week_start + timedelta(days=i) for i in range(7)]
    strength = [d.day for d in plan.days if d.has("strength")]
    assert 2 <= len(strength) <= 3
    assert all((b - a).days >= 2 for a, b in pairwise(strength))
    assert any(d.is_rest_day for d in plan.days)
    for day in plan.days:
        kinds = [i.kind for i in day.items]
        if "run" in kinds:
            assert "activation" in kinds and kinds.index("activation") < kinds.index("run")
        if day.day == inp.today and plan.run_today == RunToday.RED:
            assert "run" not in kinds
    if inp.pattern == "nerve_root":
        assert not {i.exercise_id for i in plan.items()} & {"deadlifts", "crunches", "sit-ups"}
        assert all(r.terrain == "flat" for r in plan.items("run"))
    if plan.stage is not None:
        assert 1 <= plan.stage <= 7
    assert_well_formed(plan)


def test_the_plan_texts_name_a_rule_and_fill_in_cleanly() -> None:
    """The plan's sentences live in plan_rules.yaml by rule id: one naming no rule, or with a brace
    that would break when the plan fills it in, is refused on load, naming the text."""
    from backstride.knowledge import schema
    from backstride.knowledge.plan_rules import FILENAME, TEXTS_FILENAME, rules_from

    def both_files() -> dict[str, Any]:  # the rules and their texts, as plan_rules() reads them
        return {**schema.read(FILENAME), **schema.read(TEXTS_FILENAME)}

    unknown = both_files()
    unknown["texts"]["NO-SUCH-RULE"] = "Some words."
    with pytest.raises(schema.KnowledgeError, match=r"text 'NO-SUCH-RULE'.*names no rule"):
        rules_from(unknown)
    broken = both_files()
    broken["texts"]["REASSURE"] = "Pain {does not mean damage."
    with pytest.raises(schema.KnowledgeError, match=r"text 'REASSURE'.*not a valid template"):
        rules_from(broken)
    no_stage_text = both_files()
    del no_stage_text["texts"]["D3-stage-3"]
    with pytest.raises(schema.KnowledgeError, match=r"plan_texts.yaml: .*no text for D3-stage-3"):
        rules_from(no_stage_text)
    texts = plan_rules().texts
    assert all(text_id.split("/")[0] in plan_rules().rules for text_id in texts)
    assert plan_text("K6-READINESS", total=11, done=0).count("11") == 2
