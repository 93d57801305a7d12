"""Background work behind one interface: services call ``submit(kind, job_id)`` and do not care what
runs it.

Each kind (an import, a form check, ...) has a function that does the job from its row's id and a
function that marks the row failed with a reason the page shows. Two backends run them:

- in-process (the default, local mode, no PostgreSQL): one worker thread inside the server runs the
  jobs one at a time, as always; tests and BACKSTRIDE_JOBS_INLINE=1 run them inline instead;
- Procrastinate (BACKSTRIDE_TASKS=procrastinate, PostgreSQL only, for a clinic): the job goes into a
  queue table in the same database and a `backstride worker` process runs it (task_queue.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

from django.db import close_old_connections

from backstride import config
from backstride.config import StartupError

TASKS_ENV = "BACKSTRIDE_TASKS"
BACKENDS = ("in-process", "procrastinate")
# The kinds of background work: imports, form checks, report PDFs asked for on a clinic's server, and
# backups of the whole database (the daily one is also a periodic task of task_queue.py).
KINDS = ("import", "form_check", "report", "backup")

_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="backstride-job")


@dataclass(frozen=True)
class TaskKind:
    run: Callable[[int], None]  # does the job whose row has this id; stores its own progress and result
    fail: Callable[[int, str], None]  # marks the row failed with this reason (the job raised for good)
    recover: Callable[[], int]  # fails the rows a stopped in-process server left queued or running


def registry() -> dict[str, TaskKind]:
    """The job functions by kind. Imported here, when first needed: the services that submit jobs
    import this module."""
    from . import backup_jobs, gait, jobs, report_jobs

    return {
        "import": TaskKind(run=jobs.run_import, fail=jobs.fail_import, recover=jobs.recover_interrupted),
        "form_check": TaskKind(
            run=gait.run_form_check, fail=gait.fail_form_check, recover=gait.recover_interrupted
        ),
        "report": TaskKind(
            run=report_jobs.run_report, fail=report_jobs.fail_report, recover=report_jobs.recover_interrupted
        ),
        "backup": TaskKind(
            run=backup_jobs.run_backup, fail=backup_jobs.fail_backup, recover=backup_jobs.recover_interrupted
        ),
    }


def recover_interrupted() -> int:
    """The in-process backend's jobs stopped with the server that ran them: at the next start, every
    kind's rows left queued or running are failed with a reason. Returns how many."""
    return sum(kind.recover() for kind in registry().values())


def task_kind(kind: str) -> TaskKind:
    found = registry().get(kind)
    if found is None:
        raise ValueError(f"no background job of kind {kind!r} (known: {', '.join(sorted(registry()))})")
    return found


def backend() -> str:
    """Which backend runs the jobs: BACKSTRIDE_TASKS, in-process when unset."""
    name = os.environ.get(TASKS_ENV, "").strip() or "in-process"
    if name not in BACKENDS:
        raise StartupError(f"{TASKS_ENV} must be 'in-process' or 'procrastinate', got {name[:40]!r}", 2)
    if name == "procrastinate" and not config.database_url().startswith(("postgres://", "postgresql://")):
        raise StartupError(
            f"{TASKS_ENV}=procrastinate needs a PostgreSQL database (--db / {config.DB_ENV}); "
            "local mode runs jobs in the app itself: unset it",
            2,
        )
    return name


def runs_in_process() -> bool:
    return backend() == "in-process"


def jobs_inline() -> bool:
    return os.environ.get("BACKSTRIDE_JOBS_INLINE") == "1"


def submit(kind: str, job_id: int) -> None:
    """Have the job of this kind for this row done in the background."""
    task_kind(kind)  # an unknown kind fails here, in the request, not later in a worker
    if backend() == "procrastinate":
        from . import task_queue

        task_queue.defer(kind, job_id)
    elif jobs_inline():
        run(kind, job_id)
    else:
        _executor.submit(_run_in_thread, kind, job_id)


def run(kind: str, job_id: int) -> None:
    """Do one job now, in this thread (what both backends end up calling)."""
    task_kind(kind).run(job_id)


def fail(kind: str, job_id: int, reason: str) -> None:
    """Mark the job's row failed with ``reason`` (a job that raised, or whose worker kept dying)."""
    task_kind(kind).fail(job_id, reason)


def _run_in_thread(kind: str, job_id: int) -> None:
    try:
        run(kind, job_id)
    finally:
        close_old_connections()


def queued_before(cutoff: datetime) -> list[tuple[str, int]]:
    """The rows of every kind still waiting ("queued") since before ``cutoff``: (kind, row id). A row
    is made, then queued in a second step (task_queue.defer, on a connection of its own); a server
    killed between the two leaves a row no worker will ever see, which task_queue finds with this."""
    from backstride.storage.models import BackupJob, FormCheck, ImportJob, ReportJob

    waiting = {"status": "queued", "created_at__lt": cutoff}
    rows_of = {
        "import": ImportJob.objects.filter(**waiting),
        "form_check": FormCheck.objects.filter(**waiting),
        "report": ReportJob.objects.filter(**waiting),
        "backup": BackupJob.objects.filter(**waiting),
    }
    return [(kind, row_id) for kind, rows in rows_of.items() for row_id in rows.values_list("id", flat=True)]
