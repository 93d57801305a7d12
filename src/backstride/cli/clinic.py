"""`backstride clinic ...`: the clinician's pages on the command line (clinic mode, issue 15 item 4):
the caseload, a shared runner's timeline, and the clinician's private notes. Each acts as the
clinician named by --as, and writes the runner's access log as the pages do."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from backstride.cli.accounts import AS_ACCOUNT, Refused, clinic_account
from backstride.cli.common import FORMAT, emit_json, printable, refuse
from backstride.config import local_today
from backstride.services.errors import InputRefused

if TYPE_CHECKING:
    from django.contrib.auth.models import User

RUNNER = click.argument("runner", metavar="RUNNER")
CLINICIAN = ("clinician",)


def _clinician(command: str, username: str) -> User:
    return clinic_account(f"clinic {command}", username, CLINICIAN)


def _runner_id(clinician: User, runner: str) -> int:
    """RUNNER as typed (a username, or the number the web page shows): one of the clinician's runners."""
    from backstride.services.sharing import runners_of

    typed = runner.strip()
    for shared in runners_of(clinician):
        if shared.get_username().casefold() == typed.casefold() or str(shared.pk) == typed:
            return int(shared.pk)
    raise Refused(
        f"no runner named {printable(typed, 80)!r} shares their records with {clinician.get_username()}: "
        "`backstride clinic caseload --as ...` lists those who do"
    )


@click.group()
def clinic() -> None:
    """A clinician's caseload, a runner's timeline and private notes (clinic mode)."""


@clinic.command("caseload")
@AS_ACCOUNT
@FORMAT
def caseload_command(as_username: str, fmt: str) -> None:
    """The runners who share with you, those who need you most first."""
    from backstride.services.caseload import caseload

    rows = caseload(_clinician("caseload", as_username), local_today())
    if fmt == "json":
        emit_json({"runners": [row.as_json() for row in rows]})
        return
    if not rows:
        click.echo("No runner shares their records with you yet.")
    for row in rows:
        click.echo(f"{row.place}. {row.name}" + (f" - {row.reason}" if row.reason else ""))
        click.echo(f"   Urgency: {row.urgency_words}. Run today: {row.run_today_words}.")
        click.echo(
            f"   Pain: {row.pain_trend_arrow} {row.pain_trend_words}. "
            f"Plan, last 7 days: {row.adherence_words}."
        )
        click.echo(f"   Last check-in: {row.last_check_in_words}.")


@clinic.command("timeline")
@RUNNER
@AS_ACCOUNT
@click.option("--weeks", type=click.IntRange(1, None), default=None, help="How many weeks back (default 12).")
@FORMAT
def timeline_command(runner: str, as_username: str, weeks: int | None, fmt: str) -> None:
    """A shared runner's checks, check-ins, runs, form checks and plan ticks, newest first."""
    from backstride.services.timeline import timeline

    clinician = _clinician("timeline", as_username)
    shown = timeline(clinician, _runner_id(clinician, runner), local_today(), weeks)
    if fmt == "json":
        emit_json(shown.as_json())
        return
    click.echo(f"{shown.runner_name}: the last {shown.weeks} week{'s' if shown.weeks != 1 else ''}")
    if not shown.days:
        click.echo("Nothing recorded in this time.")
    for day in shown.days:
        click.echo(f"\n{day.day_words}")
        for item in day.items:
            flag = " [needs attention]" if item.urgent else ""
            click.echo(f"  {item.title}{flag}" + (f": {'; '.join(item.details)}" if item.details else ""))


def _note_json(note: Any) -> dict[str, Any]:
    return {"id": note.note_id, "created_at": note.created_at.isoformat(), "text": note.text}


@clinic.command("note")
@RUNNER
@AS_ACCOUNT
@click.option("--text", required=True, help="The note (at most 5000 characters). Only you read it.")
@FORMAT
def note_command(runner: str, as_username: str, text: str, fmt: str) -> None:
    """Keep a private note on a shared runner: only you read it."""
    from backstride.services.clinical_notes import add_note

    clinician = _clinician("note", as_username)
    try:
        note = add_note(clinician, _runner_id(clinician, runner), text)
    except InputRefused as error:
        refuse(error, fmt)
    if fmt == "json":
        emit_json({"note": _note_json(note)})
    else:
        click.echo("Note saved. Only you can read it.")


@clinic.command("notes")
@RUNNER
@AS_ACCOUNT
@FORMAT
def notes_command(runner: str, as_username: str, fmt: str) -> None:
    """Your private notes on a shared runner, newest first."""
    from django.utils.timezone import localtime

    from backstride.config import local_tz
    from backstride.services.clinical_notes import notes_on

    clinician = _clinician("notes", as_username)
    notes = notes_on(clinician, _runner_id(clinician, runner))
    if fmt == "json":
        emit_json({"notes": [_note_json(note) for note in notes]})
        return
    if not notes:
        click.echo("No notes yet.")
    for note in notes:
        click.echo(f"{localtime(note.created_at, local_tz()):%Y-%m-%d %H:%M}\n{note.text}\n")
