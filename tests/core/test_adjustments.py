"""A clinician's plan adjustments in the pure core (issue 15 item 4): each kind, the checks, and
safety winning over an advance."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from backstride.core.adjustments import Adjustment, AdjustmentRefused, check, words
from backstride.core.plan import PlanInput, StageSession, WeekPlan, build_week
from backstride.core.triage.model import RunToday, Urgency

MONDAY = date(2024, 5, 6)


def week(*adjustments: Adjustment, **kwargs: object) -> WeekPlan:
    values: dict[str, object] = {"week_start": MONDAY, "today": MONDAY, "pattern": "muscular"}
    values.update(kwargs)
    return build_week(PlanInput(adjustments=adjustments, **values))  # type: ignore[arg-type]


def adj(kind: str, pk: int = 7, **values: object) -> Adjustment:
    return Adjustment(id=pk, kind=kind, set_by="dr_lee", started_on=MONDAY, **values)  # type: ignore[arg-type]


def good(day: date, stage: int) -> StageSession:
    return StageSession(day=day, stage=stage, pain_during=2, pain_after=2, pain_next_morning=1, pain_before=2)


def one_good(stage: int = 3) -> list[StageSession]:
    return [good(MONDAY - timedelta(days=2), stage)]


def two_good(stage: int = 3) -> list[StageSession]:
    return [good(MONDAY - timedelta(days=5), stage), good(MONDAY - timedelta(days=3), stage)]


def test_no_adjustments_is_the_plan_as_before() -> None:
    assert week() == build_week(PlanInput(week_start=MONDAY, today=MONDAY, pattern="muscular"))


def test_replace_swaps_the_exercise_with_its_own_dose_and_says_who() -> None:
    plan = week(adj("replace", exercise_id="dead-bug", to_id="bird-dog"))
    monday = plan.days[0]
    assert not any(i.exercise_id == "dead-bug" for i in plan.items())
    bird = next(i for i in monday.items if i.exercise_id == "bird-dog")
    assert bird.title == "Bird dog" or bird.title.lower().startswith("bird")
    assert bird.rule_ids == ("PHYSIO-7",)
    assert bird.why.startswith("Set by your physio (dr_lee): do ")
    assert bird.physio == bird.why
    assert "PHYSIO-7" in plan.rule_ids
    assert plan.notes[0].text.startswith("Set by your physio (dr_lee)")
    assert plan.notes[0].rule_ids == ("PHYSIO-7",)


def test_remove_leaves_the_exercise_out() -> None:
    before = week()
    plan = week(adj("remove", exercise_id="dead-bug"))
    assert any(i.exercise_id == "dead-bug" for i in before.items())
    assert not any(i.exercise_id == "dead-bug" for i in plan.items())
    assert len(plan.items()) == len(before.items()) - len(
        [i for i in before.items() if i.exercise_id == "dead-bug"]
    )


def test_dose_sets_sets_reps_and_hold() -> None:
    plan = week(adj("dose", exercise_id="dead-bug", sets=4, reps=5))
    item = next(i for i in plan.items() if i.exercise_id == "dead-bug")
    assert item.dose.startswith("4 x 5 reps") and item.sets == 4
    assert item.rule_ids[-1] == "PHYSIO-7" and item.why.startswith("Set by your physio (dr_lee)")
    held = week(adj("dose", exercise_id="locust-pose", hold_s=45))
    locust = next(i for i in held.items() if i.exercise_id == "locust-pose")
    assert locust.hold_s == 45 and "hold 45 s" in locust.dose


def test_note_is_shown_with_its_rule_id() -> None:
    plan = week(adj("note", note="Keep the runs flat this week."))
    assert plan.notes[0].text == "Set by your physio (dr_lee): Keep the runs flat this week."
    assert plan.notes[0].rule_ids == ("PHYSIO-7",) and plan.notes[0].sources == ()


def test_a_plan_paused_by_an_urgent_result_still_carries_the_physios_notes_only() -> None:
    note = adj("note", pk=8, note="Ring me today.")
    plan = week(note, adj("remove", exercise_id="dead-bug"), urgency=Urgency.EMERGENCY)
    assert plan.blocked_rule == "BLOCK-URGENT" and plan.days == ()  # the pause still wins
    assert plan.adjustments == (note,)


def test_an_adjustment_applies_from_the_day_it_was_set_until_it_ended() -> None:
    wednesday = MONDAY + timedelta(days=2)
    later = Adjustment(7, "remove", "dr_lee", started_on=wednesday, exercise_id="dead-bug")
    plan = week(later, today=MONDAY + timedelta(days=4))
    assert any(i.exercise_id == "dead-bug" for i in plan.days[0].items)  # Monday: as planned then
    assert not any(i.exercise_id == "dead-bug" for i in plan.days[2].items)
    ended = Adjustment(7, "remove", "dr_lee", started_on=MONDAY, ended_on=wednesday, exercise_id="dead-bug")
    plan = week(ended, today=MONDAY + timedelta(days=4))
    assert not any(i.exercise_id == "dead-bug" for i in plan.days[0].items)
    assert any(i.exercise_id == "dead-bug" for i in plan.days[4].items)
    assert plan.adjustments == ()


def test_hold_stage_keeps_the_stage() -> None:
    plain = week(returning=True, stage_sessions=two_good())
    assert plain.stage == 4
    plan = week(adj("hold_stage", at_stage=3), returning=True, stage_sessions=two_good())
    assert plan.stage == 3 and plan.stage_decision is not None
    assert plan.stage_decision.rule_id == "PHYSIO-7" and plan.stage_decision.action == "hold"
    assert plan.stage_decision.reason.startswith("Set by your physio (dr_lee): stay at")
    assert all("D3-stage-3" in r.rule_ids for r in plan.items("run"))


def test_hold_stage_does_not_stop_a_step_back() -> None:
    red = StageSession(MONDAY - timedelta(days=2), 3, pain_during=3, pain_after=3, pain_next_morning=7)
    plan = week(adj("hold_stage", at_stage=3), returning=True, stage_sessions=[red])
    assert plan.stage == 2 and plan.stage_decision is not None
    assert plan.stage_decision.rule_id == "ADAPT-STEP-BACK"


def test_advance_stage_moves_on_by_one_when_safe() -> None:
    plan = week(adj("advance_stage", at_stage=3), returning=True, stage_sessions=one_good())
    assert plan.stage == 4 and plan.stage_decision is not None
    assert plan.stage_decision.rule_id == "PHYSIO-7"
    assert all("D3-stage-4" in r.rule_ids for r in plan.items("run"))


def test_advance_stage_is_once_only() -> None:
    # Set at stage 3, the runner is at 4 already: no further step.
    plan = week(adj("advance_stage", at_stage=3), returning=True, stage_sessions=one_good(4))
    assert plan.stage == 4 and plan.stage_decision is not None
    assert plan.stage_decision.rule_id != "PHYSIO-7"


# A clinician cannot override safety: an amber or red day, pain after the last run or an urgent
# result still wins over "advance_stage", and the runner is told why.
@pytest.mark.parametrize("colour", [RunToday.AMBER, RunToday.RED])
def test_safety_wins_over_an_advance_on_an_amber_or_red_day(colour: RunToday) -> None:
    plan = week(adj("advance_stage", at_stage=3), returning=True, stage_sessions=one_good(), run_today=colour)
    assert plan.stage == 3
    waiting = [n for n in plan.notes if "PHYSIO-7" in n.rule_ids]
    assert waiting and "Not yet" in waiting[0].text and "never overridden" in waiting[0].text


def test_safety_wins_over_an_advance_after_a_painful_run() -> None:
    amber = StageSession(MONDAY - timedelta(days=2), 3, pain_during=6, pain_after=3, pain_next_morning=1)
    plan = week(adj("advance_stage", at_stage=3), returning=True, stage_sessions=[amber])
    assert plan.stage == 3 and plan.stage_decision is not None
    assert plan.stage_decision.rule_id == "ADAPT-REPEAT-AMBER"
    red = StageSession(MONDAY - timedelta(days=2), 3, pain_during=3, pain_after=3, pain_next_morning=7)
    plan = week(adj("advance_stage", at_stage=3), returning=True, stage_sessions=[red])
    assert plan.stage == 2


def test_safety_wins_over_an_advance_after_a_red_flag() -> None:
    plan = week(
        adj("advance_stage", at_stage=3),
        returning=True,
        stage_sessions=one_good(),
        urgency=Urgency.DOCTOR_SOON,
    )
    assert plan.blocked and plan.days == () and plan.stage is None


def test_a_hold_wins_over_an_advance() -> None:
    plan = week(
        adj("hold_stage", pk=1, at_stage=3),
        adj("advance_stage", pk=2, at_stage=3),
        returning=True,
        stage_sessions=two_good(),
    )
    assert plan.stage == 3


def test_words_name_the_physio_and_the_note() -> None:
    line = words(adj("remove", exercise_id="dead-bug", note="It flares your back."))
    assert line.startswith("Set by your physio (dr_lee): leave out ") and line.endswith(
        "It flares your back."
    )


@pytest.mark.parametrize(
    ("kind", "values", "field", "says"),
    [
        ("swap", {}, "kind", "Choose what to change"),
        ("remove", {"exercise_id": "moon-walk"}, "exercise", "no exercise 'moon-walk'"),
        ("replace", {"exercise_id": "dead-bug", "to_id": "moon-walk"}, "to", "no exercise"),
        ("replace", {"exercise_id": "dead-bug", "to_id": "dead-bug"}, "to", "same exercise"),
        ("replace", {"exercise_id": "dead-bug"}, "to", "Choose the replacement"),
        ("dose", {"exercise_id": "dead-bug"}, "sets", "Give the sets"),
        ("dose", {"exercise_id": "dead-bug", "sets": 11}, "sets", "Sets must be 1 to 10"),
        ("dose", {"exercise_id": "dead-bug", "reps": 0}, "reps", "Reps must be 1 to 50"),
        ("dose", {"exercise_id": "dead-bug", "hold_s": 121}, "hold", "Hold seconds must be 5 to 120"),
        ("note", {"note": "  "}, "note", "Write the note"),
        ("hold_stage", {}, "kind", "not in the graded return"),
        ("advance_stage", {"stage": 7}, "kind", "last stage"),
    ],
)
def test_check_refuses_and_says_what_to_do(
    kind: str, values: dict[str, object], field: str, says: str
) -> None:
    with pytest.raises(AdjustmentRefused) as refused:
        check(kind, **values)  # type: ignore[arg-type]
    assert refused.value.field == field and says in refused.value.message


def test_check_accepts_good_adjustments() -> None:
    check("replace", exercise_id="dead-bug", to_id="bird-dog")
    check("dose", exercise_id="dead-bug", sets=1, reps=50, hold_s=5)
    check("advance_stage", stage=3)
    check("note", note="Easy week.")
