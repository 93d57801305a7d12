"""`backstride experiment start|status|stop|list`: two-week experiments (N-of-1). Thin: the rules and
the verdict are in core.experiments, the records in services.experiments."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from backstride.cli.common import FORMAT, acting_user, emit_json, refuse
from backstride.config import local_today
from backstride.core.experiments import KINDS
from backstride.services.errors import InputRefused, NotFound

if TYPE_CHECKING:
    from backstride.services.experiments import ExperimentView


def _print(item: ExperimentView) -> None:
    click.echo(f"{item.kind.title}: {item.rule}")
    if item.is_open:
        click.echo(
            f"  from {item.start}, {item.days_done} day{'s' if item.days_done != 1 else ''} done, "
            f"{item.days_left} to go (until {item.end}); {item.adherence.words()}."
        )
        return
    early = " (stopped early)" if item.stopped_early else ""
    click.echo(f"  {item.start} to {item.end}{early}; {item.adherence.words()}.")
    if item.verdict is not None:
        click.echo(f"  {item.verdict.verdict.capitalize()}. {item.verdict.words}")


@click.group()
def experiment() -> None:
    """Two-week experiments: change one thing, compare your pain with the two weeks before."""


@experiment.command()
@click.argument("kind", type=click.Choice(list(KINDS)))
@click.option("--param", default=None, help="The experiment's limit, or the shoes' name for switch_shoes.")
@click.option("--from", "first", default=None, metavar="YYYY-MM-DD", help="The first day (default today).")
@FORMAT
def start(kind: str, param: str | None, first: str | None, fmt: str) -> None:
    """Start an experiment (one at a time)."""
    from backstride.services.experiments import experiment_row, start_experiment, view

    user, today = acting_user(), local_today()
    try:
        made = start_experiment(user, kind, param, first, today)
    except InputRefused as error:
        refuse(error, fmt)
    item = view(user, made, today)
    if fmt == "json":
        emit_json(experiment_row(item))
        return
    click.echo(f"Started. {item.kind.title} from {item.start} to {item.end}: {item.rule}")
    click.echo("Keep your daily check-in going: the comparison needs your pain ratings.")


@experiment.command()
@FORMAT
def status(fmt: str) -> None:
    """The running experiment: days done, how well the change was kept, what is left."""
    from backstride.services.experiments import experiment_row
    from backstride.services.experiments import status as current

    item = current(acting_user(), local_today())
    if fmt == "json":
        emit_json({"experiment": None if item is None else experiment_row(item)})
        return
    if item is None:
        click.echo("No experiment is running: `backstride experiment start KIND`.")
        return
    _print(item)


@experiment.command()
@FORMAT
def stop(fmt: str) -> None:
    """Stop the running experiment now; what was measured is kept and judged."""
    from backstride.services.experiments import experiment_row, stop_experiment

    try:
        item = stop_experiment(acting_user(), local_today())
    except NotFound as error:
        raise click.ClickException(str(error)) from error
    if fmt == "json":
        emit_json(experiment_row(item))
        return
    click.echo("Stopped.")
    _print(item)


@experiment.command("list")
@FORMAT
def list_command(fmt: str) -> None:
    """Finished experiments with their verdicts."""
    from backstride.services.experiments import experiment_row, finished

    items = finished(acting_user(), local_today())
    if fmt == "json":
        emit_json({"experiments": [experiment_row(item) for item in items]})
        return
    if not items:
        click.echo("No finished experiments yet.")
    for item in items:
        _print(item)
