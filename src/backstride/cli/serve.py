"""`backstride serve`: the web app on this machine; `--clinic` for a clinic's server."""

from __future__ import annotations

import os

import click

from backstride import bootstrap, config, modes

LOOPBACK = ("127.0.0.1", "localhost", "::1")


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Loopback only in local mode; in clinic mode the address your HTTPS proxy reaches.",
)
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on."
)
@click.option(
    "--processes",
    default=2,
    show_default=True,
    type=click.IntRange(1, 16),
    help="Server processes (one page at a time each); 1 serves with threads in one process.",
)
@click.option(
    "--clinic",
    is_flag=True,
    help="Clinic mode (also BACKSTRIDE_MODE=clinic): accounts and sign-in, PostgreSQL; needs "
    "BACKSTRIDE_DB, BACKSTRIDE_SECRET_KEY and BACKSTRIDE_ALLOWED_HOSTS.",
)
def serve(host: str, port: int, processes: int, clinic: bool) -> None:
    """Run the web app on this machine (http://127.0.0.1:8000/)."""
    if clinic:
        # Before Django reads its settings (the group leaves `serve` to set Django up itself).
        os.environ[modes.MODE_ENV] = modes.CLINIC
    mode = modes.current_mode()
    if mode == modes.LOCAL and host not in LOOPBACK:
        raise click.BadParameter(
            "local mode serves only this machine (127.0.0.1): your health data stays here",
            param_hint="--host",
        )
    if mode == modes.CLINIC:  # a clinic's heavy jobs run in `backstride worker` processes, not here
        os.environ.setdefault("BACKSTRIDE_TASKS", "procrastinate")
    bootstrap.setup()  # clinic mode: refuses here, naming every missing variable
    from django.conf import settings

    if mode != settings.MODE:  # only when Django was set up earlier in this same process (tests)
        raise click.UsageError(f"choose the mode before start-up: {modes.MODE_ENV}={mode} backstride serve")
    from django.db import connections

    from backstride.services import tasks
    from backstride.web import server

    if tasks.runs_in_process():  # jobs of a stopped server stopped with it; a worker's did not
        tasks.recover_interrupted()
    from django.core.signals import request_started

    from backstride.services import backup

    backup.back_up_if_due()  # the day's backup (SQLite): on start, then with the first request of a day
    request_started.connect(backup.on_request, dispatch_uid="backstride-daily-backup")
    from backstride.web.wsgi import application

    try:
        sock = server.listen(host, port)
    except OSError as error:
        raise click.ClickException(
            f"cannot listen on {host}:{port} ({error.strerror or error}): is backstride already running "
            f"there? Open http://{host}:{port}/ or start it on another port with --port {port + 1}."
        ) from None
    where = "in clinic mode " if mode == modes.CLINIC else ""
    click.echo(f"backstride is running {where}at http://{host}:{port}/  (Ctrl+C to stop)")
    if not tasks.runs_in_process():
        click.echo("Imports, form checks and reports wait for `backstride worker` (start one or more).")
    # waitress buffers large request bodies in temporary files: keep them in the private data folder,
    # and accept up to the largest upload the app takes (a whole Strava export).
    import tempfile

    from backstride.services.jobs import MAX_UPLOAD_BYTES

    tempfile.tempdir = str(config.private_tmp())
    server.serve(
        application,
        sock,
        processes,
        before_fork=connections.close_all,
        max_request_body_size=MAX_UPLOAD_BYTES + 1_000_000,
        _quiet=True,
    )
