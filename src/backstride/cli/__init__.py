"""The `backstride` command line. Thin: parse, call a service, print. `--format json` everywhere
something is reported; exit 2 for bad input, 1 for other errors a user can fix.

One module per command group: check.py (check), history.py (history, rmdq, settings), imports.py
(import, activities), diary.py (log ..., today), load.py, plan.py (plan, log done), shoes.py,
gait.py, exercises.py, experiment.py, triggers.py, outcomes.py, report.py, data.py (export, restore,
delete-all, backup), serve.py, worker.py, accounts.py (clinic mode: createadmin, adduser, reset-link),
adjust.py
(clinic mode: a clinician's plan changes), clinic.py (clinic mode: a clinician's caseload, timeline
and notes);
common.py and guard.py are what they all share.

A command's module is imported only when that command runs (lazy.py): start-up costs what the
command needs, not what every command needs. COMMANDS says where each one lives; its summary is the
first sentence of the command's help (tests/cli/test_startup_imports.py keeps them equal)."""

from __future__ import annotations

import os

import click

from backstride import __version__, bootstrap
from backstride.cli.lazy import LazyGroup, Place, started
from backstride.config import DB_ENV

__all__ = ["COMMANDS", "main"]

COMMANDS = {
    "activities": Place(
        "backstride.cli.imports",
        "activities",
        "List stored activities, newest first (distances and pace in your unit: `settings --units`).",
    ),
    "adduser": Place(
        "backstride.cli.accounts",
        "adduser",
        "Make an account (clinic mode) and print a one-time link for its owner to set a password.",
    ),
    "adjust": Place(
        "backstride.cli.adjust",
        "adjust",
        "Change a shared runner's plan (clinic mode, as a clinician): replace, remove or dose an "
        "exercise, hold or advance the return-to-run stage, or add a note the runner reads.",
    ),
    "backup": Place(
        "backstride.cli.data",
        "backup_command",
        "Copy the SQLite database to the data folder's backups/ now (the last 7 are kept).",
    ),
    "check": Place(
        "backstride.cli.check",
        "check",
        "Symptom check: red flags, likely pattern, STarT Back and may-I-run-today.",
    ),
    "clinic": Place(
        "backstride.cli.clinic",
        "clinic",
        "A clinician's caseload, a runner's timeline and private notes (clinic mode).",
    ),
    "createadmin": Place(
        "backstride.cli.accounts", "createadmin", "Make the clinic's first administrator (clinic mode)."
    ),
    "delete-all": Place(
        "backstride.cli.data",
        "delete_all",
        "Delete every record and stored file of yours (clips, uploads, backups).",
    ),
    "exercises": Place(
        "backstride.cli.exercises",
        "exercises",
        "The exercise library: strength, stretches, mobility, pre-run activation, self-checks.",
    ),
    "experiment": Place(
        "backstride.cli.experiment",
        "experiment",
        "Two-week experiments: change one thing, compare your pain with the two weeks before.",
    ),
    "export": Place(
        "backstride.cli.data",
        "export_command",
        "Write all your records to one zip (JSON and CSV per kind, schema.json, pictures).",
    ),
    "gait": Place(
        "backstride.cli.gait",
        "gait",
        "Running-form check from a phone video: step rate, overstride, shin angle, trunk lean, head"
        " and neck, bounce (side view) or pelvic drop (rear view), with what they mean and their "
        "sources.",
    ),
    "history": Place(
        "backstride.cli.history",
        "history",
        "List saved symptom checks and Roland-Morris scores, newest check first.",
    ),
    "import": Place(
        "backstride.cli.imports",
        "import_command",
        "Import activity files (FIT, GPX, TCX, plain or .gz), folders, zips and Strava or Garmin exports.",
    ),
    "load": Place(
        "backstride.cli.load",
        "load",
        "Training load: daily and weekly series, the latest spike, 2-week progression and ACWR.",
    ),
    "log": Place(
        "backstride.cli.diary",
        "log",
        "Log by hand: runs, the daily check-in (pain and the safety questions), plan ticks.",
    ),
    "outcomes": Place(
        "backstride.cli.outcomes",
        "outcomes",
        "My activities over time and how your back has changed, beside Roland-Morris.",
    ),
    "plan": Place(
        "backstride.cli.plan",
        "plan",
        "This week's plan: strength, mobility, the pre-run warm-up, rest and the running part.",
    ),
    "report": Place(
        "backstride.cli.report",
        "report",
        "A report for your GP or physio (PDF or JSON): summary, check, pain, training, triggers, plan, form.",
    ),
    "reset-link": Place(
        "backstride.cli.accounts",
        "reset_link_command",
        "Print a one-time link that lets USERNAME set a new password (clinic mode; valid 24 hours).",
    ),
    "reset-two-factor": Place(
        "backstride.cli.accounts",
        "reset_two_factor",
        "Turn off USERNAME's two-step sign-in (a lost phone): they sign in with the password and "
        "can set it up again (clinic mode).",
    ),
    "restore": Place(
        "backstride.cli.data",
        "restore_command",
        "Put an export back (records already here are not added twice); a damaged zip changes nothing.",
    ),
    "rmdq": Place(
        "backstride.cli.history",
        "rmdq",
        "Roland-Morris Disability Questionnaire: your disability score over time (0-24).",
    ),
    "serve": Place(
        "backstride.cli.serve", "serve", "Run the web app on this machine (http://127.0.0.1:8000/)."
    ),
    "settings": Place("backstride.cli.history", "settings_command", "Show or change your settings."),
    "sharing": Place(
        "backstride.cli.sharing", "sharing", "Who sees a runner's records in a clinic (clinic mode)."
    ),
    "shoes": Place(
        "backstride.cli.shoes", "shoes", "Your shoes and their km (the default command lists them)."
    ),
    "today": Place(
        "backstride.cli.diary",
        "today",
        "May I run today? Green / amber / red from your diary, with the reasons.",
    ),
    "triggers": Place(
        "backstride.cli.triggers",
        "triggers",
        "What went with your pain in the last year: associations with intervals, not causes.",
    ),
    "worker": Place(
        "backstride.cli.worker",
        "worker",
        "Run background jobs from the PostgreSQL job queue (clinic mode; Ctrl+C stops).",
    ),
}


def _with_log_done(log: click.Command) -> None:
    """`log done` lives with the plan (plan.py); it joins `log` when `log` is first used."""
    from backstride.cli.plan import log_done

    assert isinstance(log, click.Group)
    log.add_command(log_done)


@click.group(cls=LazyGroup, places=COMMANDS, loaded={"log": _with_log_done})
# startup and database failures: one line, no traceback (guard.GuardedGroup)
@click.version_option(__version__, prog_name="backstride")
@click.option(
    "--db", metavar="URL", help=f"Database URL (sqlite:///path or postgresql://...); also {DB_ENV}."
)
def main(db: str | None) -> None:
    """backstride: running with low back pain, on your own machine."""
    if db:
        os.environ[DB_ENV] = db
    if click.get_current_context().invoked_subcommand != "serve":  # `serve --clinic` chooses the mode first
        bootstrap.setup(migrate=False)  # models importable; the schema is made on first real use
    started()  # the collector, paused for start-up, runs again (lazy.py)
