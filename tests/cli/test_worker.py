"""`backstride worker` (issue 15, item 5): background jobs queued with Procrastinate in the app's
PostgreSQL database, run by real worker processes. Imports are submitted by a real process too
(BACKSTRIDE_TASKS=procrastinate), as a clinic's web server would."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.databases import CLI, ON_POSTGRES, cli_env, fresh_database, query
from tests.services.activity_files import gpx_run, run_start

needs_postgres = pytest.mark.skipif(not ON_POSTGRES, reason="needs scripts/with-postgres.sh")

# What a clinic's web server does with uploads: one import job per file named on the command line.
_SUBMIT = r"""
import sys
import time
from pathlib import Path
from backstride import bootstrap
bootstrap.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from backstride.services import jobs
from backstride.services.users import local_user
for name in sys.argv[1:]:
    path = Path(name)
    print(jobs.start_import(local_user(), [SimpleUploadedFile(path.name, path.read_bytes())]).id)
"""


def _submit_imports(env: dict[str, str], tmp_path: Path, count: int) -> list[int]:
    paths = []
    for number in range(count):
        path = tmp_path / f"run{number}.gpx"
        path.write_bytes(gpx_run(run_start(number), 5000))
        paths.append(str(path))
    done = subprocess.run(
        [sys.executable, "-c", _SUBMIT, *paths], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return [int(line) for line in done.stdout.split()]


def _worker(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, "worker", *args], env=env, capture_output=True, text=True, timeout=120)


def _jobs(url: str) -> list[tuple[object, ...]]:
    return query(url, "SELECT id, status, message FROM backstride_importjob ORDER BY id")


def _queue_env(tmp_path: Path, url: str) -> dict[str, str]:
    return cli_env(tmp_path, url, BACKSTRIDE_TASKS="procrastinate")


@needs_postgres
def test_an_import_submitted_to_the_queue_is_done_by_a_worker_process(tmp_path):
    with fresh_database("postgresql", tmp_path) as url:
        env = _queue_env(tmp_path, url)
        [job_id] = _submit_imports(env, tmp_path, 1)
        assert _jobs(url) == [(job_id, "queued", "")]  # nothing runs it in the submitting process
        queued = "SELECT status FROM procrastinate_jobs WHERE task_name = 'backstride.run'"
        assert query(url, queued) == [("todo",)]
        worker = _worker(env, "--until-done")
        assert worker.returncode == 0, worker.stderr
        assert _jobs(url) == [(job_id, "done", "")]
        assert query(url, queued) == [("succeeded",)]
        assert query(url, "SELECT source_file FROM backstride_activity") == [("run0.gpx",)]


@needs_postgres
def test_two_workers_never_run_the_same_job_twice(tmp_path):
    count = 6
    with fresh_database("postgresql", tmp_path) as url:
        env = _queue_env(tmp_path, url)
        ids = _submit_imports(env, tmp_path, count)
        workers = [
            subprocess.Popen(
                [*CLI, "worker", "--until-done", "--concurrency", "2"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        for process in workers:
            _, stderr = process.communicate(timeout=120)
            assert process.returncode == 0, stderr
        assert _jobs(url) == [(job_id, "done", "") for job_id in ids]
        started = query(
            url,
            "SELECT j.id, COUNT(e.id) FROM procrastinate_jobs j JOIN procrastinate_events e "
            "ON e.job_id = j.id AND e.type = 'started' WHERE j.task_name = 'backstride.run' GROUP BY j.id",
        )
        assert len(started) == count and all(times == 1 for _, times in started)
        assert query(url, "SELECT COUNT(*) FROM backstride_activity") == [(count,)]


@needs_postgres
def test_a_job_that_raises_is_marked_failed_with_its_reason(tmp_path):
    with fresh_database("postgresql", tmp_path) as url:
        env = _queue_env(tmp_path, url)
        _submit_imports(env, tmp_path, 1)
        # The database refuses to start the job (as a broken upgrade or a full disk would): the job
        # function raises before its own error handling.
        import psycopg

        with psycopg.connect(url, autocommit=True) as db:
            db.execute(
                "CREATE FUNCTION refuse_running() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                "IF NEW.status = 'running' THEN RAISE EXCEPTION 'no room to start the import'; END IF; "
                "RETURN NEW; END $$"
            )
            db.execute(
                "CREATE TRIGGER refuse_running BEFORE UPDATE ON backstride_importjob "
                "FOR EACH ROW EXECUTE FUNCTION refuse_running()"
            )
        worker = _worker(env, "--until-done")
        assert worker.returncode == 0, worker.stderr
        [(_, status, message)] = _jobs(url)
        assert status == "failed" and str(message).startswith("The import stopped: ")
        assert "no room to start the import" in str(message)
        queued = "SELECT status FROM procrastinate_jobs WHERE task_name = 'backstride.run'"
        assert query(url, queued) == [("failed",)]  # raised: not retried, Procrastinate says failed too


def test_the_worker_refuses_sqlite_with_a_reason(tmp_path):
    url = f"sqlite:///{tmp_path / 'local.sqlite3'}"
    worker = _worker(cli_env(tmp_path, url))
    assert worker.returncode == 1
    assert "the worker needs PostgreSQL; local mode runs jobs in the app itself" in worker.stderr
    assert "Traceback" not in worker.stderr
    assert not (tmp_path / "local.sqlite3").exists()  # refused before anything was made


@needs_postgres
def test_a_job_whose_worker_died_is_run_again_by_the_next_worker(tmp_path):
    with fresh_database("postgresql", tmp_path) as url:
        env = _queue_env(tmp_path, url)
        [job_id] = _submit_imports(env, tmp_path, 1)
        import psycopg

        with psycopg.connect(url, autocommit=True) as db:  # the first start of the job takes 3 s
            db.execute(
                "CREATE FUNCTION slow_start() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                "IF OLD.status = 'queued' AND NEW.status = 'running' THEN PERFORM pg_sleep(3); END IF; "
                "RETURN NEW; END $$"
            )
            db.execute(
                "CREATE TRIGGER slow_start BEFORE UPDATE ON backstride_importjob "
                "FOR EACH ROW EXECUTE FUNCTION slow_start()"
            )
        first = subprocess.Popen(
            [*CLI, "worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            doing = "SELECT status FROM procrastinate_jobs WHERE task_name = 'backstride.run'"
            deadline = time.monotonic() + 60
            while query(url, doing) != [("doing",)] and time.monotonic() < deadline:
                time.sleep(0.1)
            assert query(url, doing) == [("doing",)]
        finally:
            first.kill()  # dies in the middle of the job, as on a power cut
            first.wait(timeout=10)
        # Its last heartbeat long ago: what the next worker sees of a worker that died 30 s before.
        query(url, "UPDATE procrastinate_workers SET last_heartbeat = now() - interval '1 hour' RETURNING id")
        worker = _worker(env, "--until-done")
        assert worker.returncode == 0, worker.stderr
        assert _jobs(url) == [(job_id, "done", "")]
        assert query(url, doing) == [("succeeded",)]
        assert query(url, "SELECT COUNT(*) FROM backstride_activity") == [(1,)]


@needs_postgres
def test_a_job_whose_row_was_made_but_never_queued_is_queued_by_the_next_worker(tmp_path):
    """The web server killed between saving an import's row and queueing it (the load test's kill -9
    found it): the row waits with no queue job. A worker queues it once it is 2 minutes old, and
    never a row that was queued (done, here): no job lost, none run twice."""
    with fresh_database("postgresql", tmp_path) as url:
        env = _queue_env(tmp_path, url)
        done_id, lost_id = _submit_imports(env, tmp_path, 2)
        assert _worker(env, "--until-done").returncode == 0
        # The second as if the kill came before its queueing: no queue job, still "queued", old.
        upload = tmp_path / "lost-upload"
        upload.mkdir()
        (upload / "00000-run1.gpx").write_bytes(gpx_run(run_start(1), 5000))
        _execute(
            url,
            "DELETE FROM procrastinate_jobs WHERE args->>'job_id' = %s",
            "DELETE FROM backstride_activity WHERE source_file = 'run1.gpx'",
            "UPDATE backstride_importjob SET status = 'queued', upload_dir = %s, "
            "created_at = now() - interval '3 minutes' WHERE id = %s",
            params=[[str(lost_id)], [], [str(upload), lost_id]],
        )
        worker = _worker(env, "--until-done")
        assert worker.returncode == 0, worker.stderr
        assert _jobs(url) == [(done_id, "done", ""), (lost_id, "done", "")]
        runs = "SELECT args->>'job_id' FROM procrastinate_jobs WHERE task_name = 'backstride.run' ORDER BY id"
        assert query(url, runs) == [(str(done_id),), (str(lost_id),)]  # the done one was not queued again
        stored = query(url, "SELECT source_file FROM backstride_activity ORDER BY source_file")
        assert stored == [("run0.gpx",), ("run1.gpx",)]


def _execute(url: str, *statements: str, params: list[list[object]]) -> None:
    import psycopg

    with psycopg.connect(url) as db:
        for statement, values in zip(statements, params, strict=True):
            db.execute(statement, values)  # type: ignore[arg-type]
