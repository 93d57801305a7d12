"""`backstride adjust add|list|end` (clinic mode): a clinician changes a shared runner's plan from the
command line, as on the page caseload/<runner>/plan/. Each change is a plan rule PHYSIO-<id> the
runner sees as "Set by your physio"; safety rules still come first (core/plan/physio.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from backstride.cli.accounts import AS_ACCOUNT, clinic_account
from backstride.cli.common import FORMAT, emit_json, refuse
from backstride.core.adjustments import KINDS

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from backstride.services.adjustments import AdjustmentRow

CLINICIAN = ("clinician",)
RUNNER = click.option("--runner", required=True, metavar="USERNAME", help="The runner who shares with you.")


def _row_json(row: AdjustmentRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "rule_id": row.rule_id,
        "kind": row.kind,
        "set_by": row.set_by,
        "words": row.words,
        "what": row.what,
        "exercise_id": row.exercise_id or None,
        "to_id": row.to_id or None,
        "sets": row.sets,
        "reps": row.reps,
        "hold_s": row.hold_s,
        "note": row.note,
        "at_stage": row.at_stage,
        "created_at": row.created_at.isoformat(),
        "ended_at": row.ended_at.isoformat() if row.ended_at else None,
        "active": row.ended_at is None,
    }


def _runner(clinician: User, username: str) -> int:
    from backstride.services.adjustments import runner_id_of
    from backstride.services.sharing import NotShared

    try:
        return runner_id_of(clinician, username)
    except NotShared as error:
        raise click.ClickException(
            f"{error}: check the name (`backstride adjust list` needs it too)"
        ) from None


@click.group()
def adjust() -> None:
    """Change a shared runner's plan (clinic mode, as a clinician): replace, remove or dose an
    exercise, hold or advance the return-to-run stage, or add a note the runner reads."""


@adjust.command("add")
@AS_ACCOUNT
@RUNNER
@click.option("--kind", required=True, type=click.Choice(KINDS), help="What to change.")
@click.option(
    "--exercise", "exercise_id", default="", metavar="ID", help="The exercise (replace, remove, dose)."
)
@click.option("--to", "to_id", default="", metavar="ID", help="replace: the exercise to do instead.")
@click.option("--sets", type=int, default=None, help="dose: sets, 1-10.")
@click.option("--reps", type=int, default=None, help="dose: reps, 1-50.")
@click.option("--hold", "hold_s", type=int, default=None, help="dose: seconds each hold, 5-120.")
@click.option("--note", default="", help="A note the runner reads (needed for --kind note).")
@FORMAT
def add_command(
    as_username: str,
    runner: str,
    kind: str,
    exercise_id: str,
    to_id: str,
    sets: int | None,
    reps: int | None,
    hold_s: int | None,
    note: str,
    fmt: str,
) -> None:
    """Add a change to RUNNER's plan; it applies from today until ended."""
    clinician = clinic_account("adjust add", as_username, CLINICIAN)
    from backstride.services.adjustments import BadAdjustment, add

    runner_id = _runner(clinician, runner)
    try:
        row = add(
            clinician,
            runner_id,
            kind,
            exercise_id=exercise_id,
            to_id=to_id,
            sets=sets,
            reps=reps,
            hold_s=hold_s,
            note=note,
        )
    except BadAdjustment as error:
        refuse(error, fmt)
    if fmt == "json":
        emit_json(_row_json(row))
        return
    click.echo(f"Saved {row.rule_id} for {runner}: {row.what}.")
    click.echo(f"{runner} reads: {row.words}")


@adjust.command("list")
@AS_ACCOUNT
@RUNNER
@FORMAT
def list_command(as_username: str, runner: str, fmt: str) -> None:
    """RUNNER's plan changes, newest first, ended ones too."""
    clinician = clinic_account("adjust list", as_username, CLINICIAN)
    from backstride.services.adjustments import history_for
    from backstride.services.sharing import shared_runner

    rows = history_for(shared_runner(clinician, _runner(clinician, runner)))
    if fmt == "json":
        emit_json({"runner": runner, "adjustments": [_row_json(row) for row in rows]})
        return
    if not rows:
        click.echo(f"No plan changes for {runner}: the plan follows its own rules.")
    for row in rows:
        state = "in force" if row.ended_at is None else f"ended {row.ended_at:%Y-%m-%d}"
        click.echo(
            f"{row.id}  {row.rule_id}  {row.created_at:%Y-%m-%d}  {state}  by {row.set_by}: {row.what}"
        )


@adjust.command("end")
@click.argument("adjustment_id", type=int)
@AS_ACCOUNT
@RUNNER
@FORMAT
def end_command(adjustment_id: int, as_username: str, runner: str, fmt: str) -> None:
    """End the change ADJUSTMENT_ID (its number in `backstride adjust list`): the plan follows its own
    rules again from today."""
    clinician = clinic_account("adjust end", as_username, CLINICIAN)
    from backstride.services.adjustments import end
    from backstride.services.errors import NotFound

    runner_id = _runner(clinician, runner)
    try:
        row = end(clinician, runner_id, adjustment_id)
    except NotFound as error:
        raise click.ClickException(str(error)) from None
    if fmt == "json":
        emit_json(_row_json(row))
        return
    click.echo(f"Ended {row.rule_id} for {runner}: {row.what}.")
