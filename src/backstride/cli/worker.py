"""`backstride worker`: runs the background jobs (imports, form checks, report PDFs, the daily backup)
of a clinic's server, from the job queue in its PostgreSQL database. Local mode needs none: the app
runs its jobs itself."""

from __future__ import annotations

import click

from backstride import bootstrap

SQLITE_REFUSAL = "the worker needs PostgreSQL; local mode runs jobs in the app itself"


@click.command()
@click.option(
    "--concurrency",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Jobs run at the same time by this worker (each in a thread of its own).",
)
@click.option(
    "--queues",
    default="backstride",
    show_default=True,
    help="Comma-separated queues to take jobs from.",
)
@click.option(
    "--until-done",
    is_flag=True,
    help="Stop when no job is waiting, instead of waiting for new ones (for a scheduled run).",
)
def worker(concurrency: int, queues: str, until_done: bool) -> None:
    """Run background jobs from the PostgreSQL job queue (clinic mode; Ctrl+C stops)."""
    from django.db import connection

    if connection.vendor != "postgresql":  # refused before a SQLite file is made
        raise click.ClickException(SQLITE_REFUSAL)
    bootstrap.setup()  # the app's tables and the job queue's, on first use
    from backstride.services import task_queue

    names = [name.strip() for name in queues.split(",") if name.strip()]
    if not names:
        raise click.BadParameter("name at least one queue", param_hint="--queues")
    connection.close()  # the worker's threads open their own
    if not until_done:
        click.echo(f"backstride worker: taking jobs from {', '.join(names)} (Ctrl+C to stop)", err=True)
    task_queue.run_worker(concurrency, names, wait=not until_done)
