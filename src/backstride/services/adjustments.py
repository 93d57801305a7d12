"""A clinician's changes to a shared runner's plan (issue 15 item 4). The plan engine reads them
(``active_for``) and applies each as a rule ``PHYSIO-<id>`` after its own (core/plan/physio.py).

Every call asks ``sharing.shared_runner`` first, so a runner who revoked sharing (or never shared)
is NotShared, and writes the runner's access log in the same transaction as the change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from backstride.config import local_day, local_today
from backstride.core.adjustments import (
    KIND_WORDS,
    Adjustment,
    AdjustmentRefused,
    check,
    exercise_name,
    what,
    words,
)
from backstride.storage.models import PlanAdjustment

from . import access_log
from .errors import InputRefused, NotFound
from .sharing import NotShared, runners_of, shared_runner


class BadAdjustment(InputRefused):
    """A plan change that cannot be made; its one problem names the field and what to do."""

    what = "the plan change"


@dataclass(frozen=True)
class AdjustmentRow:
    """One adjustment as the clinician's page and the CLI show it."""

    id: int
    rule_id: str
    kind: str
    kind_words: str
    set_by: str
    words: str  # "Set by your physio (dr_lee): ..."
    what: str  # the change alone, for the clinician ("leave out Dead bug for now")
    exercise_id: str
    exercise_name: str
    to_id: str
    to_name: str
    sets: int | None
    reps: int | None
    hold_s: int | None
    note: str
    at_stage: int | None
    created_at: datetime
    ended_at: datetime | None


def _core(row: PlanAdjustment) -> Adjustment:
    value = row.value or {}
    return Adjustment(
        id=row.pk,
        kind=row.kind,
        set_by=row.clinician_name,
        started_on=local_day(row.created_at),
        ended_on=local_day(row.ended_at) if row.ended_at else None,
        exercise_id=row.exercise_id,
        to_id=str(value.get("to", "")),
        sets=value.get("sets"),
        reps=value.get("reps"),
        hold_s=value.get("hold_s"),
        note=str(value.get("note", "")),
        at_stage=value.get("at_stage"),
    )


def _row(row: PlanAdjustment) -> AdjustmentRow:
    a = _core(row)
    return AdjustmentRow(
        id=a.id,
        rule_id=a.rule_id,
        kind=a.kind,
        kind_words=KIND_WORDS.get(a.kind, a.kind),
        set_by=a.set_by,
        words=words(a),
        what=what(a),
        exercise_id=a.exercise_id,
        exercise_name=exercise_name(a.exercise_id) if a.exercise_id else "",
        to_id=a.to_id,
        to_name=exercise_name(a.to_id) if a.to_id else "",
        sets=a.sets,
        reps=a.reps,
        hold_s=a.hold_s,
        note=a.note,
        at_stage=a.at_stage,
        created_at=row.created_at,
        ended_at=row.ended_at,
    )


def active_for(runner: User, include_ended: bool = False) -> list[Adjustment]:
    """What the plan engine applies, oldest first. ``include_ended``: also those ended, so the days
    they were in force still show the plan as it was then (each knows its own days)."""
    return active_for_each([runner.pk], include_ended)[runner.pk]


def active_for_each(runners: list[int], include_ended: bool = False) -> dict[int, list[Adjustment]]:
    """``active_for`` for several runners in one query (a clinician's caseload)."""
    rows = PlanAdjustment.objects.filter(runner_id__in=runners)
    if not include_ended:
        rows = rows.filter(ended_at__isnull=True)
    found: dict[int, list[Adjustment]] = {runner: [] for runner in runners}
    for row in rows.order_by("created_at", "id"):
        found[row.runner_id].append(_core(row))
    return found


def active_rows(runner: User) -> list[AdjustmentRow]:
    rows = PlanAdjustment.objects.filter(runner=runner, ended_at__isnull=True).order_by("created_at", "id")
    return [_row(row) for row in rows]


def history_for(runner: User) -> list[AdjustmentRow]:
    """Every adjustment, ended ones too, newest first."""
    return [_row(row) for row in PlanAdjustment.objects.filter(runner=runner).order_by("-created_at", "-id")]


def _stage_now(runner: User, today: date) -> int | None:
    """The runner's return-to-run stage as their plan shows it today (adjustments included)."""
    from .plan import build_plan  # the plan reads this module: imported when needed

    return build_plan(runner, today, today).stage


def add(
    clinician: User,
    runner_id: int,
    kind: str,
    *,
    exercise_id: str = "",
    to_id: str = "",
    sets: int | None = None,
    reps: int | None = None,
    hold_s: int | None = None,
    note: str = "",
    today: date | None = None,
) -> AdjustmentRow:
    """Add an adjustment to a shared runner's plan (BadAdjustment when it cannot be made)."""
    runner = shared_runner(clinician, runner_id)
    exercise_id, to_id, note = exercise_id.strip(), to_id.strip(), note.strip()
    stage = _stage_now(runner, today or local_today()) if kind in ("hold_stage", "advance_stage") else None
    try:
        check(
            kind,
            exercise_id=exercise_id,
            to_id=to_id,
            sets=sets,
            reps=reps,
            hold_s=hold_s,
            note=note,
            stage=stage,
        )
    except AdjustmentRefused as refused:
        raise BadAdjustment([(refused.field, refused.message)], refused.message) from None
    value: dict[str, object] = {"note": note} if note else {}
    if kind == "replace":
        value["to"] = to_id
    if kind == "dose":
        value.update({k: v for k, v in (("sets", sets), ("reps", reps), ("hold_s", hold_s)) if v is not None})
    if stage is not None:
        value["at_stage"] = stage
    with transaction.atomic():
        row = PlanAdjustment.objects.create(
            runner=runner,
            clinician=clinician,
            clinician_name=clinician.get_username(),
            kind=kind,
            exercise_id=exercise_id if kind in ("replace", "remove", "dose") else "",
            value=value,
        )
        made = _row(row)
        access_log.record(clinician, runner, "plan_changed", f"{made.rule_id}: {made.what}")
    return made


def end(clinician: User, runner_id: int, adjustment_id: int) -> AdjustmentRow:
    """End an adjustment in force: the plan is the rules' own again from today. Any clinician the
    runner shares with may end one (they all see the plan); the log says who."""
    runner = shared_runner(clinician, runner_id)
    with transaction.atomic():
        row = (
            PlanAdjustment.objects.select_for_update()
            .filter(pk=adjustment_id, runner=runner, ended_at__isnull=True)
            .first()
        )
        if row is None:
            raise NotFound(
                f"there is no plan change number {adjustment_id} in force for this runner: "
                "list them with `backstride adjust list`"
            )
        row.ended_at = timezone.now()
        row.save(update_fields=["ended_at"])
        ended = _row(row)
        access_log.record(clinician, runner, "plan_changed", f"ended {ended.rule_id}: {ended.what}")
    return ended


def runner_id_of(clinician: User, username: str) -> int:
    """The id of the runner named ``username`` who shares with ``clinician`` (the command line names
    runners by username); NotShared otherwise, the same for a name that does not exist."""
    name = username.strip().lower()
    for runner in runners_of(clinician):
        if runner.get_username().lower() == name:
            return int(runner.pk)
    raise NotShared(f"no runner named {username!r} shares their records with you")
