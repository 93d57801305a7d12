"""The `backstride` command line. Thin: parse, call a service, print. `--format json` everywhere
something is reported; exit 2 for bad input, 1 for other errors a user can fix.

One module per command group: check.py (check), history.py (history, rmdq, settings), imports.py
(import, activities), diary.py (log ..., today), load.py, plan.py (plan, log done), shoes.py,
gait.py, exercises.py, experiment.py, triggers.py, outcomes.py, report.py, data.py (export, restore,
delete-all, backup), serve.py, worker.py, accounts.py (clinic mode: createadmin, adduser, reset-link),
adjust.py
(clinic mode: a clinician's plan changes), clinic.py (clinic mode: a clinician's caseload, timeline
and notes);
common.py and guard.py are what they all share."""

from __future__ import annotations

import os

import click

from backstride import __version__, bootstrap
from backstride.cli import accounts as _accounts
from backstride.cli import adjust as _adjust
from backstride.cli import check as _check
from backstride.cli import clinic as _clinic
from backstride.cli import data as _data
from backstride.cli import diary as _diary
from backstride.cli import exercises as _exercises
from backstride.cli import experiment as _experiment
from backstride.cli import gait as _gait
from backstride.cli import history as _history
from backstride.cli import imports as _imports
from backstride.cli import load as _load
from backstride.cli import outcomes as _outcomes
from backstride.cli import plan as _plan
from backstride.cli import report as _report
from backstride.cli import serve as _serve
from backstride.cli import sharing as _sharing
from backstride.cli import shoes as _shoes
from backstride.cli import triggers as _triggers
from backstride.cli import worker as _worker
from backstride.cli.guard import GuardedGroup
from backstride.config import DB_ENV

__all__ = ["main"]


@click.group(cls=GuardedGroup)  # startup and database failures: one line, no traceback
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


for _command in (
    _check.check,
    _history.history,
    _history.rmdq,
    _history.settings_command,
    _imports.import_command,
    _imports.activities,
    _diary.log,
    _diary.today,
    _load.load,
    _serve.serve,
    _shoes.shoes,
    _plan.plan,
    _gait.gait,
    _exercises.exercises,
    _outcomes.outcomes,
    _report.report,
    _data.export_command,
    _data.restore_command,
    _data.delete_all,
    _data.backup_command,
    _worker.worker,
    _accounts.createadmin,
    _accounts.adduser,
    _accounts.reset_link_command,
    _clinic.clinic,
    _accounts.reset_two_factor,
    _sharing.sharing,
    _adjust.adjust,
    _experiment.experiment,
    _triggers.triggers,
):
    main.add_command(_command)
_diary.log.add_command(_plan.log_done)
