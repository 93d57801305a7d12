"""`backstride outcomes`: My activities (0-10) and how your back has changed since the first check,
beside Roland-Morris (spec K.8); and the questions asked at the end of an interactive check."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import click

from backstride.cli.common import FORMAT, acting_user, emit_json, refuse
from backstride.config import local_today
from backstride.core import outcomes as core
from backstride.services.errors import BadOptions, BadRatings, InputRefused

if TYPE_CHECKING:  # Django models can only be imported once Django is set up
    from django.contrib.auth.models import User

    from backstride.services.outcome_types import ChangeFields, OutcomeHistory, OutcomesReport

SCALE_TEXT = "0 = can't do it, 10 = as well as before the pain"


@click.group(invoke_without_command=True)
@FORMAT
@click.pass_context
def outcomes(ctx: click.Context, fmt: str) -> None:
    """My activities over time and how your back has changed, beside Roland-Morris."""
    if ctx.invoked_subcommand is not None:
        return
    from backstride.services.outcomes import report

    data = report(acting_user(), local_today())
    if fmt == "json":
        emit_json(data)
        return
    _print_activities(data)
    _print_global_change(data)
    _print_rmdq(data)
    _print_due(data)


def _change_words(row: ChangeFields) -> str:
    if row["change_from_first"] is None:
        return "first rating"
    verdict = "real change" if row["real_change"] else "within day-to-day variation"
    return f"{row['change_from_first']:+.1f} since the first: {verdict}"


def _print_activities(data: OutcomeHistory) -> None:
    if not data["ratings"]:
        click.echo(
            'No activities rated yet: `backstride outcomes rate --activity "run 5 km=4"` (up to three).'
        )
        return
    click.secho(f"My activities ({SCALE_TEXT}; higher is better)", bold=True)
    for row in data["ratings"]:
        ratings = " · ".join(f"{item['name']} {item['rating']}" for item in row["activities"])
        click.echo(f"  {row['created_at'][:10]}  {ratings}  average {row['mean']:.1f}  {_change_words(row)}")
    click.echo(f"  {data['thresholds']['text']}")
    for activity in data["activities"]:
        if activity["message"]:
            click.echo(f"  {activity['message']}")


def _print_global_change(data: OutcomeHistory) -> None:
    if data["global_change"]:
        click.secho(f"\n{core.GLOBAL_CHANGE_QUESTION}", bold=True)
        for answer in data["global_change"]:
            click.echo(f"  {answer['created_at'][:10]}  {answer['text']}")


def _print_rmdq(data: OutcomesReport) -> None:
    if data["rmdq"]:
        click.secho("\nRoland-Morris disability (0-24)", bold=True)
        for row in data["rmdq"]:
            click.echo(f"  {str(row['created_at'])[:10]}  {row['score']:>2}/24  {row['message']}")
        click.echo(f"  {data['rmdq_threshold']['text']}")


def _print_due(data: OutcomesReport) -> None:
    if data["rerating_due"]:
        click.echo(
            '\nTime to rate your activities again: `backstride outcomes rate --activity "NAME=0-10" ...`'
        )
    elif data["next_rating_due"]:
        click.echo(f"\nNext rating due on {data['next_rating_due']}.")


def _pairs_from_options(values: tuple[str, ...], fmt: str) -> list[tuple[object, object]]:
    """--activity "NAME=RATING" options -> (name, rating) pairs; the core validator judges the values."""
    if not values:
        refuse(
            BadOptions([("activities", 'give at least one --activity "NAME=RATING", e.g. "run 5 km=4"')]), fmt
        )
    pairs: list[tuple[object, object]] = []
    problems = []
    for position, value in enumerate(values, start=1):
        name, equals, rating = value.rpartition("=")
        if not equals:
            problems.append(
                (core.name_field(position), f'write it as NAME=RATING, e.g. "run 5 km=4" (got {value!r})')
            )
        pairs.append((name, rating.strip()))  # the core validator reads the rating (core.inputs)
    if problems:
        refuse(BadRatings(problems), fmt)
    return pairs


@outcomes.command()
@click.option(
    "--activity",
    "activities",
    multiple=True,
    metavar="NAME=RATING",
    help=f"An activity and its rating ({SCALE_TEXT}); repeat for up to three.",
)
@click.option(
    "--change",
    "global_change",
    metavar="ANSWER",
    help=f"Compared with your first check, your back is: {', '.join(core.GLOBAL_CHANGE_CODES)} "
    "(from your second full check on).",
)
@click.option(
    "--replace",
    is_flag=True,
    help="These activities become your list: names you have keep their history, new names start afresh.",
)
@FORMAT
def rate(activities: tuple[str, ...], global_change: str | None, replace: bool, fmt: str) -> None:
    """Rate your activities (the first time, this names them)."""
    from backstride.services import outcomes as service

    pairs = _pairs_from_options(activities, fmt)
    try:
        row = service.record_rating(
            acting_user(), pairs, source="cli", global_change=global_change, replace=replace
        )
    except InputRefused as error:
        refuse(error, fmt)
    if fmt == "json":
        emit_json(row)
        return
    click.echo(f"Saved: average {row['mean']:.1f} of 10. {row['message']}")
    for item in row["activities"]:
        if item["real_change"]:
            click.echo(
                f"  {item['name']}: {item['change_from_first']:+d} since its first rating, a real change."
            )


@outcomes.command()
@click.argument("old_name")
@click.argument("new_name")
@FORMAT
def rename(old_name: str, new_name: str, fmt: str) -> None:
    """Give an activity a clearer name; its ratings stay with it (`rate --replace` for a new one)."""
    from backstride.services import outcomes as service

    try:
        current = service.rename_activity(acting_user(), old_name, new_name)
    except InputRefused as error:
        refuse(error, fmt)
    if fmt == "json":
        emit_json({"activities": [{"id": a.id, "name": a.name} for a in current]})
    else:
        click.echo("Your activities: " + ", ".join(activity.name for activity in current))


# --- asked at the end of an interactive `backstride check` --------------------------------------------


def ask_outcomes_interactively(user: User, today: date) -> None:
    """After a completed, saved check: name and rate the activities (first time) or re-rate them, plus
    the global change from the second full check on. Asks nothing unless the runner's latest check is
    completed and from ``today``, so never after an emergency stop. Saves with source "check", linked
    to that check. Stopping early (Ctrl+C, end of input) saves nothing and never fails the check."""
    from backstride.services import outcomes as service

    check = service.latest_completed_check_on(user, today)
    if check is None:
        return
    try:
        _ask_and_save(user, check.id)
    except click.Abort:
        click.echo("\nNot rated: you can rate them later with `backstride outcomes rate`.")


def _ask_and_save(user: User, check_id: int) -> None:
    from backstride.services import outcomes as service

    click.echo("")
    if not click.confirm("How are your everyday activities? Rate them now (about a minute)", default=True):
        click.echo("You can rate them later with `backstride outcomes rate`.")
        return
    current = [activity.name for activity in service.current_activities(user)]
    pairs = _ask_ratings(current) if current else _ask_ratings(_ask_names())
    if not pairs:
        return
    answer = _ask_global_change() if service.global_change_applies(user, check_id) else None
    try:
        row = service.record_rating(user, pairs, source="check", check_id=check_id, global_change=answer)
    except InputRefused as error:  # each answer was checked as it was typed; say so rather than crash
        for _, message in error.problems:
            click.echo(f"Not saved: {message}", err=True)
        return
    click.echo(f"Saved: average {row['mean']:.1f} of 10. {row['message']}")


def _ask_names() -> list[str]:
    examples = ", ".join(core.SUGGESTIONS)
    click.echo(
        f"Name up to {core.MAX_ACTIVITIES} activities your back pain makes hard (for example: {examples}). "
        "Leave it blank when you are done."
    )
    names: list[str] = []
    while len(names) < core.MAX_ACTIVITIES:
        name = click.prompt(f"Activity {len(names) + 1}", default="", show_default=False)
        if not name.strip():
            break
        try:
            names = list(core.validate_names([*names, name]))
        except core.InvalidOutcome as error:
            click.echo(error.problems[0].message)
    return names


def _ask_ratings(names: list[str]) -> list[tuple[object, object]]:
    if names:
        click.echo(f"How well can you do each today? ({SCALE_TEXT})")
    return [(name, click.prompt(f"  {name}", type=click.IntRange(0, 10))) for name in names]


def _ask_global_change() -> str:
    click.secho(core.GLOBAL_CHANGE_QUESTION, bold=True)
    for number, (_, label) in enumerate(core.GLOBAL_CHANGE, start=1):
        click.echo(f"  {number}. {label}")
    choice = click.prompt("Your answer", type=click.IntRange(1, len(core.GLOBAL_CHANGE)))
    return core.GLOBAL_CHANGE_CODES[choice - 1]
