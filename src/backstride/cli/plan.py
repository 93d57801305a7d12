"""`backstride plan` (the week, as text, JSON or iCalendar) and `backstride log done` (tick an item off)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from backstride.cli.common import FORMAT, SafePath, acting_user, day_option, emit_json, write_file
from backstride.config import local_today
from backstride.services.errors import BackstrideError

if TYPE_CHECKING:  # the services load Django: the CLI imports them inside its commands
    from backstride.services.plan_json import AdherenceRow, ReadinessRow


def _adherence_line(adherence: AdherenceRow | None) -> str | None:
    if not adherence or not adherence["planned"]:
        return None
    return (
        f"Done so far this week: {adherence['done']} of {adherence['planned']} planned items "
        f"({adherence['percent']}%)."
    )


def _readiness_line(readiness: ReadinessRow | None) -> str | None:
    """The checks before running again after a birth (spec K.6), in one line."""
    if not readiness:
        return None
    if readiness["stage_opens"]:
        return f"All checks for running after the birth are done: stage 1 from {readiness['stage_opens']}."
    return (
        f"Before running again after the birth: {readiness['done']} of {readiness['total']} checks done "
        f"(tick each one when {readiness['tick_means']})."
    )


@click.command()
@click.option("--week", default=None, help="Any day of the week (YYYY-MM-DD); default: this week.")
@click.option(
    "--ics", "ics_file", type=SafePath(dir_okay=False, path_type=Path), help="Write an iCalendar file."
)
@FORMAT
def plan(week: str | None, ics_file: Path | None, fmt: str) -> None:
    """This week's plan: strength, mobility, the pre-run warm-up, rest and the running part.

    Items already ticked off (`backstride log done`) are marked [x]. After a birth, the checks
    before running again are ticked the same way.
    """
    from backstride.core.inputs import AHEAD_DAYS
    from backstride.services.calendar_export import plan_to_ics
    from backstride.services.plan import plan_view

    day = day_option(week, "--week", fmt, local_today(), ahead_days=AHEAD_DAYS)
    data = plan_view(acting_user(), day, local_today())
    if ics_file is not None:
        days = [(date.fromisoformat(day["day"]), day["items"]) for day in data["days"]]
        write_file(ics_file, plan_to_ics(days), "--ics")
    if fmt == "json":
        emit_json(data)
        return
    if data["blocked"]:
        click.secho(data["blocked"], fg="red", bold=True)
        return
    if data["stage_decision"]:
        decision = data["stage_decision"]
        click.echo(f"Return to running: {decision['reason']}  [{decision['rule_id']}]")
    line = _readiness_line(data["readiness"])
    if line:
        click.echo(line)
    readiness = data["readiness"]
    for plan_day in data["days"]:
        click.secho(f"\n{plan_day['weekday']} {plan_day['day']}", bold=True)
        for item in plan_day["items"]:
            box = "   " if item["kind"] == "rest" else ("[x]" if item["done"] else "[ ]")
            click.echo(f"  {box} {item['title']}: {item['dose']}  [{', '.join(item['rule_ids'])}]")
            if item["kind"] == "readiness" and readiness:  # readiness items come with the readiness
                when = f"tick off when {readiness['tick_means']}"
                click.echo(f"        {when}: backstride log done {item['key']} --date {plan_day['day']}")
            elif item["kind"] != "rest":
                click.echo(f"        tick off: backstride log done {item['key']} --date {plan_day['day']}")
    line = _adherence_line(data["adherence"])
    if line:
        click.echo(f"\n{line}")
    for note in data["notes"]:
        click.echo(f"\nNote: {note['text']}")


@click.command(name="done")
@click.argument("item")
@click.option("--date", "day", default=None, help="The day you did it, YYYY-MM-DD (default: today).")
@click.option("--undo", is_flag=True, help="Untick it instead.")
@FORMAT
def log_done(item: str, day: str | None, undo: bool, fmt: str) -> None:
    """Tick off a plan item: its key from `backstride plan` (e.g. strength:front-plank), or an exercise
    id or kind (run, mobility, ...) when only one item that day matches."""
    from backstride.services.plan import plan_view, set_done

    today = local_today()
    when = day_option(day, "--date", fmt, today)
    try:
        set_done(acting_user(), when, item, today, done=not undo)
    except BackstrideError as error:
        raise click.ClickException(str(error)) from error
    result = plan_view(acting_user(), when, today)["adherence"]
    if fmt == "json":
        emit_json({"day": when.isoformat(), "item": item, "done": not undo, "adherence": result})
        return
    click.echo(f"{'Unticked' if undo else 'Done'}: {item} on {when}.")
    line = _adherence_line(result)
    if line:
        click.echo(line)
