"""`backstride shoes`: list, add, edit, retire, set the default and link runs to shoes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

import click

from backstride.cli.common import FORMAT, acting_user, emit_json, refuse
from backstride.config import local_today
from backstride.services.errors import InputRefused, NotFound


def _today() -> date:
    return local_today()


Written = TypeVar("Written")


def _call(fmt: str, write: Callable[..., Written], *args: object) -> Written:
    """Run a service write: exit 2 listing every problem, 1 for an unknown shoe or activity."""

    try:
        return write(*args)
    except InputRefused as error:
        refuse(error, fmt)
    except NotFound as error:
        raise click.ClickException(str(error)) from error


def _report(fmt: str, name: str, done: str) -> None:
    """After a write: the shoe's row as JSON, or one line of text."""
    from backstride.services.shoes import list_shoes, shoe_row

    summary = next(s for s in list_shoes(acting_user(), _today()) if s.name == name)
    if fmt == "json":
        emit_json(shoe_row(summary))
    else:
        click.echo(f"{done}: {summary.name}, {summary.km:.0f} of {summary.replacement_km:.0f} km.")


@click.group(invoke_without_command=True)
@FORMAT
@click.pass_context
def shoes(ctx: click.Context, fmt: str) -> None:
    """Your shoes and their km (the default command lists them)."""
    if ctx.invoked_subcommand is not None:
        return
    from backstride.services.shoes import list_shoes, shoe_row

    rows = [shoe_row(summary) for summary in list_shoes(acting_user(), _today())]
    if fmt == "json":
        emit_json({"shoes": rows})
        return
    if not rows:
        click.echo("No shoes yet: `backstride shoes add NAME`.")
    for row in rows:
        status = f" (retired {row['retired']})" if row["retired"] else ""
        status = " (default)" if row["is_default"] else status
        click.echo(
            f"{row['name']:<24} {row['km']:>7.0f} / {row['replacement_km']:.0f} km {row['percent']:>3}%"
            f"  {row['runs']} runs{status}"
        )
        if row["alert"]:
            click.echo(f"  {row['alert']['level']}: {row['alert']['message']}")


@shoes.command()
@click.argument("name")
@click.option("--brand", default=None, help="Maker, e.g. Asics.")
@click.option("--model", default=None, help="Model, e.g. Novablast 4.")
@click.option("--start-km", default=None, help="Km done before you started tracking (default 0).")
@click.option("--replacement-km", default=None, help="When to be reminded to replace them (default 700).")
@click.option("--bought", default=None, help="YYYY-MM-DD.")
@click.option("--default", "make_default", is_flag=True, help="Use these for new runs from now on.")
@FORMAT
def add(name: str, fmt: str, make_default: bool, **fields: str | None) -> None:
    """Add a pair of shoes."""
    from backstride.services.shoes import add_shoe

    raw = {"name": name, "default": make_default, **fields}
    shoe = _call(fmt, add_shoe, acting_user(), raw, _today())
    _report(fmt, shoe.name, "Added")


@shoes.command()
@click.argument("name")
@click.option("--name", "new_name", default=None, help="A new name.")
@click.option("--brand", default=None, help="Maker, e.g. Asics.")
@click.option("--model", default=None, help="Model, e.g. Novablast 4.")
@click.option("--start-km", default=None, help="Km done before you started tracking.")
@click.option("--replacement-km", default=None, help="When to be reminded to replace them.")
@click.option("--bought", default=None, help="YYYY-MM-DD.")
@FORMAT
def edit(name: str, new_name: str | None, fmt: str, **fields: str | None) -> None:
    """Rename a shoe or change its km or purchase date (options left out stay as they are)."""
    from backstride.services.shoes import update_shoe

    raw = {"name": new_name, **fields}
    shoe = _call(fmt, update_shoe, acting_user(), name, raw, _today())
    _report(fmt, shoe.name, "Saved")


@shoes.command()
@click.argument("name")
@click.option("--date", "day", default=None, help="YYYY-MM-DD (default: today).")
@FORMAT
def retire(name: str, day: str | None, fmt: str) -> None:
    """Retire a shoe (it stops being the default; its km stay in the history)."""
    from backstride.services.shoes import retire_shoe

    today = _today()
    shoe = _call(fmt, retire_shoe, acting_user(), name, day or today.isoformat(), today)
    _report(fmt, shoe.name, "Retired")


@shoes.command(name="default")
@click.argument("name")
@FORMAT
def default_command(name: str, fmt: str) -> None:
    """Use this shoe for runs logged from now on."""
    from backstride.services.shoes import set_default

    shoe = _call(fmt, set_default, acting_user(), name)
    _report(fmt, shoe.name, "Default")


@shoes.command()
@click.argument("activity_id", type=int)
@click.argument("name", required=False)
@click.option("--none", "no_shoe", is_flag=True, help="Unlink the activity from any shoe.")
@FORMAT
def assign(activity_id: int, name: str | None, no_shoe: bool, fmt: str) -> None:
    """Link an activity to a shoe (or to none with --none)."""
    from backstride.services.imports import activity_row
    from backstride.services.shoes import assign_run

    if (name is None) == (not no_shoe):
        raise click.UsageError("give a shoe NAME or --none (not both)")
    activity = _call(fmt, assign_run, acting_user(), activity_id, name)
    if fmt == "json":
        emit_json(activity_row(activity))
    else:
        click.echo(f"Activity #{activity_id}: {activity.shoe.name if activity.shoe else 'no shoe'}.")
