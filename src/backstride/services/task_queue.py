"""The Procrastinate backend of tasks.py: a job queue in the app's own PostgreSQL database (no broker
to run), taken by `backstride worker` processes.

Why Procrastinate: its queue is a table; a worker takes a job with a row lock (SELECT ... FOR UPDATE
SKIP LOCKED), so two workers never run the same job; workers send heartbeats, so a job whose worker
died is found ("stalled") and run again. Its tables come with the app's own on first use
(storage/task_queue_schema.py).

One Procrastinate task, ``backstride.run(kind, job_id)``, runs any kind through tasks.run; the
periodic ``backstride.daily_backup`` backs the database up once a day (BACKSTRIDE_BACKUP_CRON). A job that
raises is not retried (the job functions store their own failures; one that raises is a bug that
would raise again): its reason goes on the job's row, where the page shows it. A job whose worker
died is retried, by the periodic ``backstride.retry_stalled`` and when a worker starts, up to
STALLED_ATTEMPTS runs in all; then its row says why it stopped.
"""

from __future__ import annotations

import logging
import os
from typing import Any

import procrastinate
from django.db import close_old_connections

from backstride import config

from . import backup_jobs, tasks

QUEUE = "backstride"
RUN_TASK = "backstride.run"
STALLED_TASK = "backstride.retry_stalled"
STALLED_ATTEMPTS = 3
# A worker that sent no heartbeat for this long is taken for dead (it sends one every 10 s).
STALLED_AFTER_S = 30.0
BACKUP_TASK = "backstride.daily_backup"

logger = logging.getLogger(__name__)
_app: procrastinate.App | None = None
_opened_in: int | None = None  # the pid that opened the app for deferring (a forked child opens its own)


def _conninfo() -> str:
    return config.database_url()


def app() -> procrastinate.App:
    """This process's Procrastinate app with backstride's tasks on it."""
    global _app
    if _app is None:
        made = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=_conninfo()))
        made.task(name=RUN_TASK, queue=QUEUE, pass_context=True)(_run_job)
        retry_stalled = made.task(name=STALLED_TASK, queue=QUEUE, queueing_lock=STALLED_TASK)(_retry_stalled)
        made.periodic(cron="* * * * *", periodic_id=STALLED_TASK)(retry_stalled)
        # Once per scheduled time whatever the number of workers: Procrastinate defers a periodic
        # task once per (task, time), and the queueing lock keeps a second one from waiting behind it.
        daily_backup = made.task(name=BACKUP_TASK, queue=QUEUE, queueing_lock=BACKUP_TASK)(_daily_backup)
        made.periodic(cron=backup_jobs.backup_cron(), periodic_id=BACKUP_TASK)(daily_backup)
        _app = made
    return _app


def _daily_backup(timestamp: int) -> None:
    """The scheduled backup of the whole database, run by a worker (a row says how it went)."""
    try:
        backup_jobs.daily_backup()
    finally:
        close_old_connections()


def defer(kind: str, job_id: int) -> None:
    """Queue the job: a row in procrastinate_jobs, in the app's database."""
    global _opened_in
    queue = app()
    if _opened_in != os.getpid():
        # No pool kept open in a web process: one short connection per job queued.
        from psycopg_pool import NullConnectionPool

        queue.open(NullConnectionPool(_conninfo(), open=True))
        _opened_in = os.getpid()
    queue.configure_task(RUN_TASK).defer(kind=kind, job_id=job_id)


def _run_job(context: procrastinate.JobContext, kind: str, job_id: int) -> None:
    """What a worker runs (in a thread of its own): the job, and the row's failure if it raises."""
    try:
        tasks.run(kind, job_id)
    except Exception as error:
        logger.exception("background job %s #%s raised", kind, job_id)
        tasks.fail(kind, job_id, f"{error.__class__.__name__}: {error}")
        raise  # Procrastinate marks its job failed too
    finally:
        close_old_connections()


async def _retry_stalled(timestamp: int) -> None:
    await retry_stalled_jobs()


async def retry_stalled_jobs() -> int:
    """Run again the jobs whose worker stopped sending heartbeats (it died); one that stalled
    STALLED_ATTEMPTS times is failed with its reason on its row. Returns how many were retried."""
    from asgiref.sync import sync_to_async

    manager = app().job_manager
    retried = 0
    for job in await manager.get_stalled_jobs(seconds_since_heartbeat=STALLED_AFTER_S):
        if job.task_name != RUN_TASK:
            continue
        if job.attempts + 1 < STALLED_ATTEMPTS:
            await manager.retry_job(job)
            retried += 1
            continue
        await manager.finish_job(job, status=procrastinate.jobs.Status.FAILED, delete_job=False)
        reason = f"the worker running it stopped {STALLED_ATTEMPTS} times"
        await sync_to_async(_fail_row)(job.task_kwargs, reason)
    return retried


def _fail_row(kwargs: dict[str, Any], reason: str) -> None:
    try:
        tasks.fail(str(kwargs["kind"]), int(kwargs["job_id"]), reason)
    finally:
        close_old_connections()


def run_worker(concurrency: int, queues: list[str] | None, wait: bool) -> None:
    """Take and run jobs until stopped (Ctrl+C / SIGTERM), or, without ``wait``, until none is left."""
    import asyncio

    async def work() -> None:
        async with app().open_async():
            await retry_stalled_jobs()  # jobs of a worker that died before this one started
            await app().run_worker_async(
                queues=queues or [QUEUE],
                concurrency=concurrency,
                wait=wait,
                name="backstride-worker",
                stalled_worker_timeout=STALLED_AFTER_S,
            )

    asyncio.run(work())
