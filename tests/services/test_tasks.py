"""The one interface for background work (issue 15, item 5): services submit a kind and a row id;
the in-process backend (local mode) runs it as before."""

from __future__ import annotations

import pytest

from backstride.config import StartupError
from backstride.services import tasks


def test_imports_and_form_checks_are_registered():
    assert {"import", "form_check"} <= set(tasks.registry())
    assert set(tasks.registry()) <= set(tasks.KINDS)


def test_local_mode_runs_jobs_in_process(monkeypatch):
    monkeypatch.delenv(tasks.TASKS_ENV, raising=False)
    assert tasks.backend() == "in-process" and tasks.runs_in_process()


def test_inline_submit_runs_the_kinds_job_with_the_row_id(monkeypatch):
    monkeypatch.delenv(tasks.TASKS_ENV, raising=False)
    monkeypatch.setenv("BACKSTRIDE_JOBS_INLINE", "1")
    ran: list[int] = []
    kind = tasks.TaskKind(run=ran.append, fail=lambda job_id, reason: None, recover=lambda: 0)
    monkeypatch.setattr(tasks, "registry", lambda: {"import": kind})
    tasks.submit("import", 7)
    assert ran == [7]


def test_an_unknown_kind_is_refused_when_submitted():
    with pytest.raises(ValueError, match="no background job of kind 'nothing'"):
        tasks.submit("nothing", 1)


def test_an_unknown_backend_is_a_startup_error(monkeypatch):
    monkeypatch.setenv(tasks.TASKS_ENV, "celery")
    with pytest.raises(StartupError, match="BACKSTRIDE_TASKS must be 'in-process' or 'procrastinate'"):
        tasks.backend()


def test_the_queue_backend_refuses_sqlite(monkeypatch, tmp_path):
    monkeypatch.setenv(tasks.TASKS_ENV, "procrastinate")
    monkeypatch.setenv("BACKSTRIDE_DB", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    with pytest.raises(StartupError, match="BACKSTRIDE_TASKS=procrastinate needs a PostgreSQL database"):
        tasks.backend()


def test_reports_and_backups_are_registered():
    assert {"report", "backup"} <= set(tasks.registry())


@pytest.mark.parametrize(("given", "cron"), [(None, "30 2 * * *"), ("15 4 * * 1-5", "15 4 * * 1-5")])
def test_the_daily_backup_is_a_periodic_task_with_the_configured_cron(monkeypatch, given, cron):
    from backstride.services import task_queue

    if given is None:
        monkeypatch.delenv("BACKSTRIDE_BACKUP_CRON", raising=False)
    else:
        monkeypatch.setenv("BACKSTRIDE_BACKUP_CRON", given)
    monkeypatch.setattr(task_queue, "_app", None)  # made again, with this environment
    periodic = task_queue.app().periodic_registry.periodic_tasks
    backup = periodic[(task_queue.BACKUP_TASK, task_queue.BACKUP_TASK)]
    assert backup.cron == cron and backup.task.queue == task_queue.QUEUE
    assert (task_queue.STALLED_TASK, task_queue.STALLED_TASK) in periodic  # still there too


def test_a_backup_cron_that_cannot_be_read_stops_the_worker_saying_so(monkeypatch):
    from backstride.services import task_queue

    monkeypatch.setenv("BACKSTRIDE_BACKUP_CRON", "every night")
    monkeypatch.setattr(task_queue, "_app", None)
    with pytest.raises(StartupError, match="BACKSTRIDE_BACKUP_CRON='every night' is not a cron line"):
        task_queue.app()
