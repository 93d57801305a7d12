"""The notes under a week's plan: why it looks the way it does, each with its rule ids (plan_rules.yaml)
and so its sources. Pure: which notes and in what order is decided here; their words are the rules'
texts in plan_texts.yaml (``plan_text``), filled in with the week's counts and dates."""

from __future__ import annotations

from datetime import date

from backstride.knowledge.plan_rules import plan_text

from ..triage.model import RunToday, Urgency
from .afterbirth import AfterBirth
from .choice import Limits
from .model import PlanInput, PlanNote, Readiness, note
from .running import Running


def said(text_id: str, *more_rule_ids: str, **values: object) -> PlanNote:
    """The note worded by ``text_id``'s text, naming its rule (the id before any "/variant") first."""
    return note(plan_text(text_id, **values), text_id.split("/")[0], *more_rule_ids)


def _start_notes(limits: Limits, running: Running) -> list[PlanNote]:
    notes: list[PlanNote] = []
    if running.decision is not None and running.decision.rule_id == "ADAPT-START":
        notes.append(said("D3-ENTRY"))
    if running.stage is None and running.has_runs:
        notes.append(said("LOAD-2WK-30", "LOAD-LONGEST-110"))
        if not limits.young_extension:  # K.5: no hills or speed while the young runner's limits hold
            notes.append(said("AFTER-7-HILLS-SPEED"))
    return notes


def _after_birth_notes(after: AfterBirth, running: Running, today: date) -> list[PlanNote]:
    notes: list[PlanNote] = []
    if after.pelvic_floor_not_cleared:
        notes.append(said("K6-PELVIC-PHYSIO", "K6-POSTNATAL-NO-RUN", "K6-PELVIC-FLOOR"))
    elif after.early(today):
        start = after.gate_start()
        if start:
            notes.append(
                said("K6-POSTNATAL-NO-RUN", "K6-WALK-DAILY", "K6-PELVIC-FLOOR", gate_start=start.isoformat())
            )
        else:
            notes.append(said("K6-POSTNATAL-NO-RUN/undated", "K6-WALK-DAILY", "K6-PELVIC-FLOOR"))
    if running.readiness is not None:
        notes.append(_readiness_note(running.readiness))
    return notes


def _readiness_note(state: Readiness) -> PlanNote:
    total = len(state.checks)
    if state.stage_opens is not None:
        return said(
            "K6-READINESS-PASSED", total=total, passed_on=state.passed_on, stage_opens=state.stage_opens
        )
    return said("K6-READINESS", total=total, done=state.done)


def _limit_notes(inp: PlanInput, limits: Limits, running: Running) -> list[PlanNote]:
    notes: list[PlanNote] = []
    if limits.bone_stress:
        notes.append(said("K4-NO-RUN", "K4-NO-LOAD"))
    if limits.young_extension:
        notes.append(said("K5-NO-EXTENSION", "K5-FLAT-PAIN-FREE"))
    if limits.pregnant:
        notes.append(said("K6-PREGNANCY", "K6-PREGNANCY-RUN"))
    if running.after is not None:
        notes.extend(_after_birth_notes(running.after, running, inp.today))
    return notes


def _today_note(colour: RunToday | None, today_in_week: bool) -> list[PlanNote]:
    if colour == RunToday.RED:
        return [said("RUN-TODAY-RED")]
    if colour == RunToday.AMBER:
        return [said("RUN-TODAY-AMBER")]
    if today_in_week and colour is None:
        return [said("RUN-TODAY-UNKNOWN")]
    return []


def week_notes(
    inp: PlanInput,
    pattern: str,
    limits: Limits,
    running: Running,
    colour: RunToday | None,
    dose_down: bool,
    today_in_week: bool,
) -> list[PlanNote]:
    """The week's notes, in the order the plan shows them. ``pattern``: the exercise list planned from."""
    notes = _start_notes(limits, running)
    if inp.pattern != "bone_stress":  # its own note (K4) says what its plan is
        # K5: no extension work to build up, so the facet note stops at bending forward
        young_facet = limits.young_extension and pattern == "facet"
        notes.append(said(f"G-{pattern}/young" if young_facet else f"G-{pattern}"))
    notes.extend(_limit_notes(inp, limits, running))
    if (inp.startback_risk == "high" or pattern == "nonspecific") and not limits.bone_stress:
        notes.append(said("REASSURE"))
    if inp.urgency == Urgency.CLINICIAN_IF_NO_BETTER or pattern == "nerve_root":
        notes.append(said("CLINICIAN-REVIEW"))
    if dose_down:
        notes.append(said("DOSE-DOWN"))
    notes.extend(_today_note(colour, today_in_week))
    notes.append(said("G-NOT-OFFERED"))
    return notes
