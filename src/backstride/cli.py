"""The `backstride` command line. Thin: parse, call a service, print. `--format json` everywhere
something is reported; exit 2 for bad input, 1 for other errors a user can fix."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from backstride import __version__, bootstrap, config
from backstride.cli_common import FORMAT, SafePath, _emit_json, _fail_bad_answers, _user, day_option
from backstride.cli_exercises import exercises
from backstride.cli_gait import gait
from backstride.cli_guard import GuardedGroup
from backstride.cli_outcomes import outcomes
from backstride.cli_plan import log_done, plan
from backstride.cli_shoes import shoes
from backstride.config import DB_ENV, local_today
from backstride.core.diary import LOCATIONS
from backstride.core.runs import SURFACES, TERRAINS
from backstride.core.triage.model import Answer


@click.group(cls=GuardedGroup)  # startup and database failures: one line, no traceback
@click.version_option(__version__, prog_name="backstride")
@click.option(
    "--db", metavar="URL", help=f"Database URL (sqlite:///path or postgresql://...); also {DB_ENV}."
)
def main(db: str | None) -> None:
    """backstride: running with low back pain, on your own machine."""
    if db:
        os.environ[DB_ENV] = db
    bootstrap.setup(migrate=False)  # models importable; the schema is made on first real use


# --- check -------------------------------------------------------------------------------------


@main.command()
@click.option(
    "--answers",
    "answers_file",
    type=SafePath(dir_okay=False, path_type=Path),
    help="A JSON object of item id -> answer (ids as in spec/questionnaire.json).",
)
@FORMAT
@click.option("--no-save", is_flag=True, help="Do not store this check in the history.")
@click.option("--country", metavar="CC", help="Country for emergency numbers (e.g. GB, US, DE).")
def check(answers_file: Path | None, fmt: str, no_save: bool, country: str | None) -> None:
    """Symptom check: red flags, likely pattern, STarT Back and may-I-run-today.

    Without --answers it asks the questions here; it stops at once on an emergency answer.
    """
    from backstride.cli_check import ask_interactively, load_answers_file

    if answers_file is not None:
        raw = load_answers_file(answers_file, fmt)
        completed = True
    else:
        if not sys.stdin.isatty() and fmt == "json":
            raise click.UsageError("interactive check needs a terminal; use --answers FILE for scripts")
        from backstride.config import local_today
        from backstride.services.checks import known_answers

        raw, completed = ask_interactively(known_answers(_user(), local_today()))
    _run_check(raw, fmt=fmt, save=not no_save, completed=completed, country=country)
    if answers_file is None and completed and not no_save and fmt == "text":
        # Spec K.8: My activities (and, from the second check, the global change) at each full check.
        from backstride.cli_outcomes import ask_outcomes_interactively
        from backstride.config import local_today

        ask_outcomes_interactively(_user(), local_today())


def _run_check(raw: object, *, fmt: str, save: bool, completed: bool, country: str | None) -> None:
    bootstrap.setup()
    from backstride.services.checks import check_symptoms
    from backstride.services.errors import BadAnswers

    user = _user() if save or country is None else None
    try:
        outcome = check_symptoms(raw, user, save=save, completed=completed, country=country)
    except BadAnswers as error:
        _fail_bad_answers(error.problems, fmt)
    if fmt == "json":
        _emit_json(outcome.report)
    else:
        from backstride.cli_check import print_report

        print_report(outcome.report)


# --- history, rmdq, settings ---------------------------------------------------------------------


@main.command()
@FORMAT
def history(fmt: str) -> None:
    """List saved symptom checks and Roland-Morris scores, newest check first."""
    from backstride.services.checks import list_checks, summary_row
    from backstride.services.rmdq import rmdq_history

    user = _user()
    checks = [summary_row(check) for check in list_checks(user)]
    scores = rmdq_history(user)
    if fmt == "json":
        _emit_json({"checks": checks, "rmdq": scores})
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
        for row in scores:
            click.echo(f"  {row['created_at'][:10]}  {row['score']:>2}/24  {row['message']}")


@main.command()
@click.option("--ticked", metavar="N,N,...", help="Numbers (1-24) of the statements that describe you today.")
@FORMAT
@click.option("--no-save", is_flag=True)
def rmdq(ticked: str | None, fmt: str, no_save: bool) -> None:
    """Roland-Morris Disability Questionnaire: your disability score over time (0-24)."""
    from backstride.knowledge import catalog
    from backstride.services.errors import BadAnswers
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
            _fail_bad_answers([("rmdq", message)], fmt)
    try:
        outcome = record_rmdq(_user(), numbers, save=not no_save)
    except BadAnswers as error:
        _fail_bad_answers(error.problems, fmt)
    message = (
        outcome.change.message()
        if outcome.change
        else "This is your first score: later ones are compared with it."
    )
    if fmt == "json":
        data: dict[str, Any] = {
            "score": outcome.score,
            "max": 24,
            "id": outcome.response_id,
            "message": message,
        }
        if outcome.change:
            data["change_from_baseline"] = outcome.change.points
            data["direction"] = outcome.change.direction
        _emit_json(data)
        return
    click.echo(f"Roland-Morris score: {outcome.score}/24 (lower is better). {message}")
    click.echo(f"Source: {text.citation}")


@main.command(name="settings")
@click.option(
    "--country", metavar="CC", help="Two-letter country code for emergency numbers (GB, US, DE...)."
)
@FORMAT
def settings_command(country: str | None, fmt: str) -> None:
    """Show or change your settings."""
    from backstride.knowledge import catalog
    from backstride.services.users import profile_for, set_country

    user = _user()
    if country is not None:
        try:
            set_country(user, country)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--country") from error
    profile = profile_for(user)
    contact = catalog.emergency_contact(profile.country or None)
    data = {
        "country": profile.country or None,
        "emergency_number": contact.emergency,
        "urgent": contact.urgent,
    }
    if fmt == "json":
        _emit_json(data)
    else:
        click.echo(f"country: {profile.country or '(not set)'}; emergency number: {contact.emergency}")


# --- import, activities ------------------------------------------------------------------------


@main.command(name="import")
@click.argument("paths", nargs=-1, required=True, type=SafePath(exists=True, path_type=Path))
@FORMAT
@click.option("--workers", type=click.IntRange(1, 64), help="Parser processes (default: one per core).")
def import_command(paths: tuple[Path, ...], fmt: str, workers: int | None) -> None:
    """Import activity files (FIT, GPX, TCX, plain or .gz), folders, zips and Strava or Garmin exports.

    Exit status: 0 when every file was imported or was a duplicate, 1 when some failed (the others
    are still imported), 2 for usage errors.
    """
    from backstride.services.imports import collect_sources, import_collected

    user = _user()
    collected = collect_sources(paths)
    total = len(collected.sources)
    show_bar = fmt == "text" and sys.stderr.isatty() and total > 1
    if show_bar:
        with click.progressbar(length=total, label="Importing", file=sys.stderr) as bar:
            state = {"done": 0}

            def advance(done: int, _total: int) -> None:
                bar.update(done - state["done"])
                state["done"] = done

            report = import_collected(user, collected, advance, workers)
    else:
        report = import_collected(user, collected, None, workers)
    if fmt == "json":
        _emit_json(report)
    else:
        click.echo(
            f"Imported {report['imported']} activities; {report['skipped_duplicates']} duplicates skipped."
        )
        for failure in report["failed"]:
            click.echo(f"  failed: {failure['path']}: {failure['error']}", err=True)
    sys.exit(1 if report["failed"] else 0)


@main.command()
@FORMAT
def activities(fmt: str) -> None:
    """List stored activities, newest first."""
    from backstride.services.imports import activity_row, list_activities

    rows = [activity_row(activity) for activity in list_activities(_user())]
    if fmt == "json":
        _emit_json({"activities": rows})
        return
    if not rows:
        click.echo("No activities yet: `backstride import FILE_OR_FOLDER`.")
    for row in rows:
        km = "-" if row["distance_m"] is None else f"{row['distance_m'] / 1000:.2f} km"
        minutes = "-" if row["moving_time_s"] is None else f"{row['moving_time_s'] / 60:.0f} min"
        flags = " (indoor)" if row["indoor"] else ""
        flags += " (partial)" if row["partial"] else ""
        click.echo(f"#{row['id']:<5} {row['day']}  {row['sport']:<9} {km:>10} {minutes:>8}{flags}")


# --- log ------------------------------------------------------------------------------------------


@main.group()
def log() -> None:
    """Log a run (or, soon, the day's pain) by hand."""


def _today() -> date:
    return local_today()


def _activity_change(call: Any, fmt: str, done: Any) -> None:
    """Run a service call that changes one activity; report it, or exit 2 (bad input) / 1 (unknown id)."""
    from backstride.services.errors import BadAnswers, NotFound
    from backstride.services.imports import activity_row

    try:
        activity = call()
    except BadAnswers as error:
        _fail_bad_answers(error.problems, fmt)
    except NotFound as error:
        raise click.ClickException(str(error)) from error
    if fmt == "json":
        _emit_json(activity_row(activity))
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
        lambda: log_run(_user(), raw, _today()),
        fmt,
        lambda a: f"Logged run #{a.id}: {distance_km} km in {duration_min} min on {day_of(a)}.",
    )


@log.command(name="edit-run")
@click.argument("activity_id", type=int)
@click.option("--date", "day", default=None)
@click.option("--distance", "distance_km", default=None, help="Kilometres.")
@click.option("--duration", "duration_min", default=None, help="Minutes.")
@click.option("--terrain", type=click.Choice(TERRAINS))
@click.option("--surface", type=click.Choice(SURFACES))
@click.option("--rpe", default=None)
@click.option("--shoe", default=None)
@FORMAT
def log_edit_run_command(activity_id: int, fmt: str, **fields: Any) -> None:
    """Change a run entered by hand; options not given keep their value."""
    from backstride.services.runs import edit_run

    _activity_change(
        lambda: edit_run(_user(), activity_id, fields, _today()), fmt, lambda a: f"Run #{a.id} updated."
    )


@log.command(name="rpe")
@click.argument("activity_id", type=int)
@click.argument("value")
@FORMAT
def log_rpe_command(activity_id: int, value: str, fmt: str) -> None:
    """Add or change the effort (RPE 0-10) of a run, e.g. the next morning."""
    from backstride.services.runs import set_rpe

    _activity_change(
        lambda: set_rpe(_user(), activity_id, value), fmt, lambda a: f"Run #{a.id}: RPE {a.rpe:g}/10 saved."
    )


def _red_flags_from_options(values: tuple[str, ...], none: bool) -> dict[str, object] | None:
    """--red-flag ITEM=VALUE (repeatable; yes/no/not_sure or a choice) or --no-red-flags (all "no")."""
    from backstride.core.diary import A8_ITEMS
    from backstride.knowledge.questionnaire import questionnaire_items

    items = questionnaire_items()
    answers: dict[str, object] = {}
    if none:
        for item_id in A8_ITEMS:
            if item_id == "leg_pain_side":
                continue  # never assumed: with leg pain it decides bilateral sciatica (E5); ask or pass it
            answers[item_id] = "none" if items[item_id].type == "choice" else False
    for pair in values:
        item_id, _, raw = pair.partition("=")
        value: object = {"yes": True, "true": True, "no": False, "false": False}.get(
            raw.strip().lower(), raw.strip()
        )
        answers[item_id.strip()] = value
    return answers if (none or values) else None


def _ask_red_flags(locations: list[str]) -> dict[str, Answer]:
    """The repeated safety questions (spec A.8) in the terminal, with the full check's skip logic."""
    from backstride.core.diary import A8_ITEMS, pain_extent_of
    from backstride.core.triage import flow
    from backstride.knowledge.questionnaire import questionnaire_items
    from backstride.services.questions import answer_options, question_text
    from backstride.services.standing import standing

    items = questionnaire_items()
    extent = pain_extent_of(place for place in locations if place in LOCATIONS)
    # The skip logic reads the pain's extent and the full check's answers about the person (e.g. the
    # pregnancy warning signs are asked while the last full check says pregnant).
    screen: dict[str, Answer] = dict(standing(_user(), _today()).context)
    if extent:
        screen["pain_extent"] = extent
    answers: dict[str, Answer] = {}
    for item_id in A8_ITEMS:
        if not flow.is_applicable(item_id, {**screen, **answers}):
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
@click.option("--note", default="")
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
    from backstride.services.errors import BadAnswers

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
        outcome = log_check_in(_user(), raw, _today())
    except BadAnswers as error:
        if error.urgent is not None:  # an urgent safety answer is never lost behind another mistake
            _print_urgent(error.urgent, red_flags)
        _fail_bad_answers(error.problems, fmt)
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
        _emit_json(data)
    else:
        click.echo(f"Saved your check-in for {data['day']}.")
    if escalation is not None:
        _print_urgent(escalation, red_flags)


def _print_urgent(result: Any, answers: dict[str, object]) -> None:
    from backstride.core.triage.report import build_report
    from backstride.services.users import profile_for

    report = build_report(result, answers, profile_for(_user()).country or None)  # type: ignore[arg-type]
    click.secho(f"\n{report['urgency_headline']}", fg="red", bold=True, err=True)
    click.echo(report["urgency_action"], err=True)


@log.command(name="morning")
@click.argument("pain")
@click.option("--run-date", default=None, help="The run's day, YYYY-MM-DD (default: yesterday).")
@FORMAT
def log_morning_command(pain: str, run_date: str | None, fmt: str) -> None:
    """The pain the morning after a run (0-10), added to that run day's check-in."""
    from datetime import timedelta

    from backstride.services.diary import set_next_morning
    from backstride.services.errors import BadAnswers, NotFound

    day = day_option(run_date, "--run-date", fmt, _today() - timedelta(days=1))
    try:
        entry = set_next_morning(_user(), day, pain, _today())
    except BadAnswers as error:
        _fail_bad_answers(error.problems, fmt)
    except NotFound as error:
        raise click.ClickException(str(error)) from error
    if fmt == "json":
        _emit_json({"day": entry.day.isoformat(), "pain_next_morning": entry.pain_next_morning})
    else:
        click.echo(f"Next-morning pain {entry.pain_next_morning}/10 added to {entry.day}.")


@log.command(name="delete-run")
@click.argument("activity_id", type=int)
def log_delete_run(activity_id: int) -> None:
    """Delete a run (imported or by hand); load and shoe km follow."""
    from backstride.services.errors import NotFound
    from backstride.services.runs import delete_activity

    try:
        delete_activity(_user(), activity_id)
    except NotFound as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Deleted activity #{activity_id}.")


@log.command(name="delete-day")
@click.argument("day")
def log_delete_day(day: str) -> None:
    """Delete a day's check-in (YYYY-MM-DD); today's colour is recomputed from what is left."""
    from backstride.services.diary import delete_entry
    from backstride.services.errors import BadAnswers, NotFound

    when = day_option(day, "DAY", "text", _today())
    try:
        delete_entry(_user(), when)
    except BadAnswers as error:
        _fail_bad_answers(error.problems, "text")
    except NotFound as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Deleted the check-in of {when}.")


@main.command()
@FORMAT
def today(fmt: str) -> None:
    """May I run today? Green / amber / red from your diary, with the reasons."""
    from backstride.services.today import run_today

    data = run_today(_user(), _today())
    if fmt == "json":
        _emit_json(data)
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


@main.command()
@click.option("--from", "start", default=None, help="YYYY-MM-DD (default: 12 weeks ago).")
@click.option("--to", "end", default=None, help="YYYY-MM-DD (default: today).")
@FORMAT
def load(start: str | None, end: str | None, fmt: str) -> None:
    """Training load: daily and weekly series, the latest spike, 2-week progression and ACWR."""
    from backstride.core.inputs import AHEAD_DAYS
    from backstride.services.errors import BadAnswers
    from backstride.services.load import load_for

    # The shared date parser (core.inputs): from 1970 to a year ahead; the range at most 20 years.
    first = None if start is None else day_option(start, "--from", fmt, _today(), ahead_days=AHEAD_DAYS)
    last = None if end is None else day_option(end, "--to", fmt, _today(), ahead_days=AHEAD_DAYS)
    try:
        data = load_for(_user(), first, last, _today())
    except BadAnswers as error:
        _fail_bad_answers(error.problems, fmt, "the options")
    if fmt == "json":
        _emit_json(data)
        return
    click.echo("Week        km     min   sRPE  monotony")
    for week in data["weekly"][-6:]:
        km = (week.get("distance_m") or 0) / 1000
        minutes = (week.get("duration_s") or 0) / 60
        monotony = "-" if week.get("monotony") is None else f"{week['monotony']:.2f}"
        click.echo(
            f"{week['week_start']}  {km:6.1f} {minutes:6.0f} {week.get('srpe_au') or 0:6.0f}  {monotony}"
        )
    spike, progression, acwr = data["spike"], data["progression"], data["acwr"]
    if spike:
        click.echo(f"Latest run vs longest of the previous 30 days: {spike.get('reason')}")
    click.echo(f"2-week progression: {progression.get('reason')}")
    acwr_value = acwr.get("rolling_uncoupled")
    click.echo(f"Acute:chronic: {acwr.get('reason') if acwr_value is None else f'{acwr_value:.2f}'}")
    click.echo(acwr.get("note", ""))


# --- serve -------------------------------------------------------------------------------------

LOOPBACK = ("127.0.0.1", "localhost", "::1")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Loopback only in local mode.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--processes",
    default=2,
    show_default=True,
    type=click.IntRange(1, 16),
    help="Server processes (one page at a time each); 1 serves with threads in one process.",
)
def serve(host: str, port: int, processes: int) -> None:
    """Run the web app on this machine (http://127.0.0.1:8000/)."""
    if host not in LOOPBACK:
        raise click.BadParameter(
            "local mode serves only this machine (127.0.0.1): your health data stays here",
            param_hint="--host",
        )
    bootstrap.setup()
    from django.db import connections

    from backstride.services import gait
    from backstride.services.jobs import recover_interrupted
    from backstride.web import server

    recover_interrupted()
    gait.recover_interrupted()
    from backstride.web.wsgi import application

    try:
        sock = server.listen(host, port)
    except OSError as error:
        raise click.ClickException(
            f"cannot listen on {host}:{port} ({error.strerror or error}): is backstride already running "
            f"there? Open http://{host}:{port}/ or start it on another port with --port {port + 1}."
        ) from None
    click.echo(f"backstride is running at http://{host}:{port}/  (Ctrl+C to stop)")
    # waitress buffers large request bodies in temporary files: keep them in the private data folder,
    # and accept up to the largest upload the app takes (a whole Strava export).
    import tempfile

    from backstride.web.views_activities import MAX_UPLOAD_BYTES

    tempfile.tempdir = str(config.private_tmp())
    server.serve(
        application,
        sock,
        processes,
        before_fork=connections.close_all,
        max_request_body_size=MAX_UPLOAD_BYTES + 1_000_000,
        _quiet=True,
    )


main.add_command(shoes)
main.add_command(plan)
main.add_command(gait)
log.add_command(log_done)
main.add_command(exercises)
main.add_command(outcomes)

if __name__ == "__main__":  # pragma: no cover
    main()
