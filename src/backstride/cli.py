"""The `backstride` command line. Thin: parse, call a service, print. `--format json` everywhere
something is reported; exit 2 for bad input, 1 for other errors a user can fix."""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from backstride import __version__, bootstrap
from backstride.config import DB_ENV
from backstride.core.runs import SURFACES, TERRAINS

FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json prints one machine-readable object.",
)


def _emit_json(data: object) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


@click.group()
@click.version_option(__version__, prog_name="backstride")
@click.option(
    "--db", metavar="URL", help=f"Database URL (sqlite:///path or postgresql://...); also {DB_ENV}."
)
def main(db: str | None) -> None:
    """backstride: running with low back pain, on your own machine."""
    if db:
        os.environ[DB_ENV] = db
    bootstrap.setup(migrate=False)  # models importable; the schema is made on first real use


def _user():  # type: ignore[no-untyped-def]
    bootstrap.setup()
    from backstride.services.users import local_user

    return local_user()


# --- check -------------------------------------------------------------------------------------


@main.command()
@click.option(
    "--answers",
    "answers_file",
    type=click.Path(dir_okay=False, path_type=Path),
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
        raw, completed = ask_interactively()
    _run_check(raw, fmt=fmt, save=not no_save, completed=completed, country=country)


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


def _fail_bad_answers(problems: list[tuple[str, str]], fmt: str) -> None:
    if fmt == "json":
        _emit_json(
            {
                "error": "invalid answers; nothing was saved",
                "problems": [{"item_id": item, "message": message} for item, message in problems],
            }
        )
    click.echo(f"error: {len(problems)} problem(s) in the answers; nothing was saved:", err=True)
    for item, message in problems:
        click.echo(f"  {item}: {message}", err=True)
    sys.exit(2)


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
        click.echo(
            f"#{row['id']:<4} {row['created_at'][:16]}  {row['urgency']:<23} run {row['run_today']:<5} "
            f"{row['likely_pattern']:<16} pain {pain:<5} STarT {row['startback_risk']}"
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
        try:
            numbers = [int(part) for part in ticked.replace(" ", "").split(",") if part]
        except ValueError:
            _fail_bad_answers(
                [("rmdq", f"--ticked takes comma-separated numbers 1-24 (got {ticked!r})")], fmt
            )
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
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
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
        click.echo(
            f"#{row['id']:<5} {row['start_time'][:16]}  {row['sport']:<9} {km:>10} {minutes:>8}{flags}"
        )


# --- log ------------------------------------------------------------------------------------------


@main.group()
def log() -> None:
    """Log a run (or, soon, the day's pain) by hand."""


def _today() -> date:
    return date.today()


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
    from backstride.services.errors import BadAnswers
    from backstride.services.imports import activity_row
    from backstride.services.runs import log_run

    raw = {
        "day": day or _today().isoformat(),
        "distance_km": distance_km,
        "duration_min": duration_min,
        "terrain": terrain,
        "surface": surface,
        "rpe": rpe,
        "shoe": shoe,
    }
    try:
        activity = log_run(_user(), raw, _today())
    except BadAnswers as error:
        _fail_bad_answers(error.problems, fmt)
    row = activity_row(activity)
    if fmt == "json":
        _emit_json(row)
    else:
        click.echo(
            f"Logged run #{row['id']}: {distance_km} km in {duration_min} min on {row['start_time'][:10]}."
        )


@log.command(name="rpe")
@click.argument("activity_id", type=int)
@click.argument("value")
@FORMAT
def log_rpe_command(activity_id: int, value: str, fmt: str) -> None:
    """Add or change the effort (RPE 0-10) of a run, e.g. the next morning."""
    from backstride.services.errors import BadAnswers, NotFound
    from backstride.services.imports import activity_row
    from backstride.services.runs import set_rpe

    try:
        activity = set_rpe(_user(), activity_id, value)
    except BadAnswers as error:
        _fail_bad_answers(error.problems, fmt)
    except NotFound as error:
        raise click.ClickException(str(error)) from error
    if fmt == "json":
        _emit_json(activity_row(activity))
    else:
        click.echo(f"Run #{activity_id}: RPE {activity.rpe:g}/10 saved.")


# --- serve -------------------------------------------------------------------------------------

LOOPBACK = ("127.0.0.1", "localhost", "::1")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Loopback only in local mode.")
@click.option("--port", default=8000, show_default=True, type=int)
def serve(host: str, port: int) -> None:
    """Run the web app on this machine (http://127.0.0.1:8000/)."""
    if host not in LOOPBACK:
        raise click.BadParameter(
            "local mode serves only this machine (127.0.0.1): your health data stays here",
            param_hint="--host",
        )
    bootstrap.setup()
    from waitress import serve as waitress_serve

    from backstride.services.jobs import recover_interrupted

    recover_interrupted()
    from backstride.web.wsgi import application

    click.echo(f"backstride is running at http://{host}:{port}/  (Ctrl+C to stop)")
    waitress_serve(application, host=host, port=port, threads=4, _quiet=True)


if __name__ == "__main__":  # pragma: no cover
    main()
