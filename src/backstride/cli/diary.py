"""`backstride log ...` (runs by hand, the daily check-in, the morning after, deletions) and
`backstride today`."""

from __future__ import annotations

import sys
from datetime import date
from typing import Any

import click

from backstride.cli.common import FORMAT, acting_user, day_option, emit_json, refuse
from backstride.config import local_today
from backstride.core.runs import SURFACES, TERRAINS
from backstride.core.triage.model import Answer
from backstride.services.errors import BadCheckIn, InputRefused, NotFound


@click.group()
def log() -> None:
    """Log by hand: runs, the daily check-in (pain and the safety questions), plan ticks."""


def _today() -> date:
    return local_today()


def _activity_change(call: Any, fmt: str, done: Any) -> None:
    """Run a service call that changes one activity; report it, or exit 2 (bad input) / 1 (unknown id)."""
    from backstride.services.imports import activity_row

    try:
        activity = call()
    except InputRefused as error:
        refuse(error, fmt)
    except NotFound as error:
        raise click.ClickException(str(error)) from error
    if fmt == "json":
        emit_json(activity_row(activity))
    else:
        click.echo(done(activity))


@log.command(name="run")
@click.option("--date", "day", default=None, help="YYYY-MM-DD (default: today).")
@click.option("--distance", "distance_km", required=True, help="Kilometres.")
@click.option("--duration", "duration_min", required=True, help="Minutes.")
@click.option("--terrain", type=click.Choice(TERRAINS), help="flat, hilly or uphill_heavy.")
@click.option("--surface", type=click.Choice(SURFACES), help="road, track, trail, grass or treadmill.")
@click.option("--rpe", default=None, help="Effort 0-10 (can be added later with `log rpe`).")
@click.option("--shoe", default=None, help="Shoe name (default: your default shoe).")
@FORMAT
def log_run_command(
    day: str | None,
    distance_km: str,
    duration_min: str,
    terrain: str | None,
    surface: str | None,
    rpe: str | None,
    shoe: str | None,
    fmt: str,
) -> None:
    """Log a run entered by hand."""
    from backstride.services.runs import day_of, log_run

    raw = {
        "day": day or _today().isoformat(),
        "distance_km": distance_km,
        "duration_min": duration_min,
        "terrain": terrain,
        "surface": surface,
        "rpe": rpe,
        "shoe": shoe,
    }
    _activity_change(
        lambda: log_run(acting_user(), raw, _today()),
        fmt,
        lambda a: f"Logged run #{a.id}: {distance_km} km in {duration_min} min on {day_of(a)}.",
    )


@log.command(name="edit-run")
@click.argument("activity_id", type=int)
@click.option("--date", "day", default=None, help="YYYY-MM-DD.")
@click.option("--distance", "distance_km", default=None, help="Kilometres.")
@click.option("--duration", "duration_min", default=None, help="Minutes.")
@click.option("--terrain", type=click.Choice(TERRAINS), help="flat, hilly or uphill_heavy.")
@click.option("--surface", type=click.Choice(SURFACES), help="road, track, trail, grass or treadmill.")
@click.option("--rpe", default=None, help="Effort 0-10.")
@click.option("--shoe", default=None, help="Shoe name.")
@FORMAT
def log_edit_run_command(activity_id: int, fmt: str, **fields: Any) -> None:
    """Change a run entered by hand; options not given keep their value."""
    from backstride.services.runs import edit_run

    _activity_change(
        lambda: edit_run(acting_user(), activity_id, fields, _today()), fmt, lambda a: f"Run #{a.id} updated."
    )


@log.command(name="rpe")
@click.argument("activity_id", type=int)
@click.argument("value")
@FORMAT
def log_rpe_command(activity_id: int, value: str, fmt: str) -> None:
    """Add or change the effort (RPE 0-10) of a run, e.g. the next morning."""
    from backstride.services.runs import set_rpe

    _activity_change(
        lambda: set_rpe(acting_user(), activity_id, value),
        fmt,
        lambda a: f"Run #{a.id}: RPE {a.rpe:g}/10 saved.",
    )


def _red_flags_from_options(values: tuple[str, ...], none: bool) -> dict[str, object] | None:
    """--red-flag ITEM=VALUE (repeatable; yes/no/not_sure or a choice) or --no-red-flags (all "no")."""
    from backstride.core.diary import A8_ITEMS
    from backstride.knowledge.questionnaire import questionnaire_items
    from backstride.services.questions import answer_from_text
    from backstride.services.safety import filled_by_none_of_these

    items = questionnaire_items()
    answers: dict[str, object] = {}
    if none:
        answers.update(filled_by_none_of_these(A8_ITEMS, {}))
    for pair in values:
        item_id, _, raw = pair.partition("=")
        answers[item_id.strip()] = answer_from_text(items.get(item_id.strip()), raw)
    return answers if (none or values) else None


def _ask_red_flags(locations: list[str]) -> dict[str, Answer]:
    """The repeated safety questions (spec A.8) in the terminal, one at a time: those the full
    check's skip logic allows given what is known by then (services.safety, as on the web)."""
    from backstride.core.diary import A8_ITEMS
    from backstride.core.triage import flow
    from backstride.knowledge.questionnaire import questionnaire_items
    from backstride.services.questions import answer_options, question_text
    from backstride.services.safety import is_asked, safety_screen

    items = questionnaire_items()
    # The skip logic reads the pain's extent and the full check's answers about the person (e.g. the
    # pregnancy warning signs are asked while the last full check says pregnant).
    screen = safety_screen(acting_user(), _today(), locations)
    answers: dict[str, Answer] = {}
    for item_id in A8_ITEMS:
        if not is_asked(item_id, screen, answers):
            continue
        options = answer_options(items[item_id])
        click.secho(question_text(items[item_id]), bold=True)
        for number, (_, label) in enumerate(options, start=1):
            click.echo(f"  {number}. {label}")
        answers[item_id] = options[click.prompt("Your answer", type=click.IntRange(1, len(options))) - 1][0]  # type: ignore[assignment]
        if flow.emergency_found({**screen, **answers}):
            break
    return answers


@log.command(name="pain")
# Numbers and dates are taken as typed and read by the check-in's validator (core.inputs), so the
# command line and the web form refuse the same values with the same words.
@click.option("--pain", "pain_now", required=True, help="Back pain now, 0-10.")
@click.option("--date", "day", default=None, help="YYYY-MM-DD (default: today).")
@click.option("--where", default="", help="Comma-separated: central,left,right,buttock,thigh,below_knee.")
@click.option("--stiffness", default=None, help="0-10.")
@click.option("--sitting", "sitting_hours", default=None, help="Hours sitting today.")
@click.option("--sleep", "sleep_hours", default=None, help="Hours of sleep last night.")
@click.option("--socks-difficult/--socks-ok", "socks", default=None, help="Is putting socks on difficult?")
@click.option("--ran/--rest", "ran", default=False, help="Did you run today?")
@click.option("--before", "pain_before_run", default=None, help="Pain just before the run, 0-10.")
@click.option("--during", "pain_during_run", default=None, help="Worst pain during the run, 0-10.")
@click.option("--after", "pain_after_run", default=None, help="Worst pain in the hours after, 0-10.")
@click.option("--exercises/--no-exercises", "exercises", default=None, help="Exercise plan done today?")
@click.option("--note", default="", help="Anything else about the day (free text).")
@click.option(
    "--red-flag",
    "red_flag",
    multiple=True,
    metavar="ITEM=VALUE",
    help="A safety answer, e.g. bladder_change=no.",
)
@click.option(
    "--no-red-flags", is_flag=True, help="None of the safety warning signs today (answers them all 'no')."
)
@FORMAT
def log_pain_command(
    day: str | None, red_flag: tuple[str, ...], no_red_flags: bool, fmt: str, **fields: Any
) -> None:
    """Daily check-in (rest days too): pain, where, the run's pain, and the safety questions."""
    from backstride.services.diary import log_check_in

    red_flags: Any = _red_flags_from_options(red_flag, no_red_flags)
    if red_flags is None:
        if not sys.stdin.isatty():
            raise click.UsageError(
                "answer the safety questions: --no-red-flags, or --red-flag ITEM=VALUE for each"
            )
        red_flags = _ask_red_flags([part.strip() for part in fields["where"].split(",")])
    raw: dict[str, object] = {key: value for key, value in fields.items() if value not in (None, "")}
    raw["socks_shoes_difficult"] = raw.pop("socks", None)
    raw["exercises_done"] = raw.pop("exercises", None)
    raw["locations"] = [part.strip() for part in fields["where"].split(",") if part.strip()]
    raw.pop("where", None)
    raw = {key: value for key, value in raw.items() if value is not None}
    raw.update(day=day or _today().isoformat(), red_flags=red_flags)
    try:
        outcome = log_check_in(acting_user(), raw, _today())
    except BadCheckIn as error:
        if error.urgent is not None:  # an urgent safety answer is never lost behind another mistake
            _print_urgent(error.urgent)
        refuse(error, fmt)
    escalation = outcome.escalation
    data = {
        "day": outcome.entry.day.isoformat(),
        "saved": True,
        "escalation": None
        if escalation is None
        else {
            "urgency": escalation.urgency.code,
            "urgency_when": escalation.urgency_when,
            "red_flags": list(escalation.red_flags),
        },
    }
    if fmt == "json":
        emit_json(data)
    else:
        click.echo(f"Saved your check-in for {data['day']}.")
    if escalation is not None:
        _print_urgent(escalation)


def _print_urgent(result: Any) -> None:
    from backstride.services.safety import urgent_warning

    said = urgent_warning(acting_user(), result)
    click.secho(f"\n{said.headline}", fg="red", bold=True, err=True)
    click.echo(said.action, err=True)


@log.command(name="morning")
@click.argument("pain")
@click.option("--run-date", default=None, help="The run's day, YYYY-MM-DD (default: yesterday).")
@FORMAT
def log_morning_command(pain: str, run_date: str | None, fmt: str) -> None:
    """The pain the morning after a run (0-10), added to that run day's check-in."""
    from datetime import timedelta

    from backstride.services.diary import set_next_morning

    day = day_option(run_date, "--run-date", fmt, _today() - timedelta(days=1))
    try:
        entry = set_next_morning(acting_user(), day, pain, _today())
    except InputRefused as error:
        refuse(error, fmt)
    except NotFound as error:
        raise click.ClickException(str(error)) from error
    if fmt == "json":
        emit_json({"day": entry.day.isoformat(), "pain_next_morning": entry.pain_next_morning})
    else:
        click.echo(f"Next-morning pain {entry.pain_next_morning}/10 added to {entry.day}.")


@log.command(name="delete-run")
@click.argument("activity_id", type=int)
def log_delete_run(activity_id: int) -> None:
    """Delete a run (imported or by hand); load and shoe km follow."""
    from backstride.cli.undo import keep_for_undo
    from backstride.services.record_names import activity_name
    from backstride.services.runs import delete_activity

    user = acting_user()
    try:
        removed = delete_activity(user, activity_id)
    except NotFound as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Deleted activity #{activity_id}.")
    click.echo(keep_for_undo(user, activity_name(removed.record), removed.rows))


@log.command(name="delete-day")
@click.argument("day")
def log_delete_day(day: str) -> None:
    """Delete a day's check-in (YYYY-MM-DD); today's colour is recomputed from what is left."""
    from backstride.cli.undo import keep_for_undo
    from backstride.services.diary import delete_entry
    from backstride.services.record_names import check_in_name

    when = day_option(day, "DAY", "text", _today())
    user = acting_user()
    try:
        removed = delete_entry(user, when)
    except InputRefused as error:
        refuse(error, "text")
    except NotFound as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Deleted the check-in of {when}.")
    click.echo(keep_for_undo(user, check_in_name(when), removed.rows))


@log.command(name="undo")
def log_undo() -> None:
    """Put back the latest run or check-in deleted from the command line (within 10 minutes)."""
    from backstride.cli.undo import undo_last_delete

    click.echo(undo_last_delete(acting_user()))


@click.command()
@FORMAT
def today(fmt: str) -> None:
    """May I run today? Green / amber / red from your diary, with the reasons."""
    from backstride.services.today import run_today

    data = run_today(acting_user(), _today())
    if fmt == "json":
        emit_json(data)
        return
    if data["escalation"]:
        alert = data["escalation"]
        click.secho(f"{alert['headline']} (safety answer on {alert['day']})", fg="red", bold=True)
        click.echo(alert["action"])
        click.echo("This stays here until you do a new full check: `backstride check`.")
    if data["run_today"] is None:
        click.echo(data["message"])
        return
    colour = {"red": "red", "amber": "yellow", "green": "green"}[data["run_today"]]
    click.secho(f"Run today: {data['run_today'].upper()}", fg=colour, bold=True)
    for reason in data["reasons"]:
        click.echo(f"  [{reason['rule']}] {reason['text']}")
    for due in data["full_check_due"]:
        click.echo(f"  Re-check: {due}")
