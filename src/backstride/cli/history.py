"""`backstride history`, `rmdq` and `settings`: the saved checks and scores, and the settings."""

from __future__ import annotations

from typing import NotRequired, TypedDict

import click

from backstride.cli.common import FORMAT, acting_user, emit_json, refuse
from backstride.services.errors import BadRatings, InputRefused


class RmdqJson(TypedDict):
    """`backstride rmdq --format json`: the change only from the second score on."""

    score: int
    max: int
    id: int | None  # None with --no-save
    message: str
    change_from_baseline: NotRequired[int]
    direction: NotRequired[str]


@click.command()
@FORMAT
def history(fmt: str) -> None:
    """List saved symptom checks and Roland-Morris scores, newest check first."""
    from backstride.services.checks import list_checks, summary_row
    from backstride.services.rmdq import rmdq_history

    user = acting_user()
    checks = [summary_row(check) for check in list_checks(user)]
    scores = rmdq_history(user)
    if fmt == "json":
        emit_json({"checks": checks, "rmdq": scores})
        return
    if not checks:
        click.echo("No saved checks yet: run `backstride check`.")
    for row in checks:
        pain = "-" if row["pain_now"] is None else f"{row['pain_now']}/10"
        urgency = row["urgency"] + (f" ({row['urgency_when']})" if row["urgency_when"] else "")
        startback = "not asked" if row["startback_risk"] == "not_asked" else row["startback_risk"]
        click.echo(
            f"#{row['id']:<4} {row['created_at'][:16]}  {urgency:<35} run {row['run_today']:<5} "
            f"{row['likely_pattern']:<17} pain {pain:<5} STarT {startback}"
        )
    if scores:
        click.echo("\nRoland-Morris disability (0-24, lower is better):")
        for score in scores:
            click.echo(f"  {score['created_at'][:10]}  {score['score']:>2}/24  {score['message']}")


@click.command()
@click.option("--ticked", metavar="N,N,...", help="Numbers (1-24) of the statements that describe you today.")
@FORMAT
@click.option("--no-save", is_flag=True, help="Show the score without storing it.")
def rmdq(ticked: str | None, fmt: str, no_save: bool) -> None:
    """Roland-Morris Disability Questionnaire: your disability score over time (0-24)."""
    from backstride.knowledge import catalog
    from backstride.services.rmdq import record_rmdq

    text = catalog.rmdq()
    if ticked is None:
        click.echo(text.instructions)
        numbers = [
            number
            for number, statement in enumerate(text.items, start=1)
            if click.confirm(f"{number:>2}. {statement}", default=False)
        ]
    else:
        from backstride.core.inputs import InvalidValue, parse_whole

        try:
            parts = [part for part in ticked.replace(" ", "").split(",") if part]
            numbers = [parse_whole(part, "rmdq", 1, 24) for part in parts]
        except InvalidValue as error:
            message = f"--ticked takes comma-separated numbers: each {error.message}"
            refuse(BadRatings([("rmdq", message)]), fmt)
    try:
        outcome = record_rmdq(acting_user(), numbers, save=not no_save)
    except InputRefused as error:
        refuse(error, fmt)
    message = (
        outcome.change.message()
        if outcome.change
        else "This is your first score: later ones are compared with it."
    )
    if fmt == "json":
        data: RmdqJson = {
            "score": outcome.score,
            "max": 24,
            "id": outcome.response_id,
            "message": message,
        }
        if outcome.change:
            data["change_from_baseline"] = outcome.change.points
            data["direction"] = outcome.change.direction
        emit_json(data)
        return
    click.echo(f"Roland-Morris score: {outcome.score}/24 (lower is better). {message}")
    click.echo(f"Source: {text.citation}")


@click.command(name="settings")
@click.option(
    "--country", metavar="CC", help="Two-letter country code for emergency numbers (GB, US, DE...)."
)
@click.option(
    "--units",
    type=click.Choice(["km", "mile"], case_sensitive=False),
    help="Distances and pace in kilometres or miles (JSON keeps metres and seconds).",
)
@FORMAT
def settings_command(country: str | None, units: str | None, fmt: str) -> None:
    """Show or change your settings."""
    from backstride.knowledge import catalog
    from backstride.services.users import profile_for, set_country, set_units

    user = acting_user()
    if country is not None:
        try:
            set_country(user, country)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--country") from error
    if units is not None:
        set_units(user, units)
    profile = profile_for(user)
    contact = catalog.emergency_contact(profile.country or None)
    data = {
        "country": profile.country or None,
        "emergency_number": contact.emergency,
        "urgent": contact.urgent,
        "units": profile.units,
    }
    if fmt == "json":
        emit_json(data)
    else:
        click.echo(
            f"country: {profile.country or '(not set)'}; emergency number: {contact.emergency}; "
            f"units: {profile.units}"
        )
