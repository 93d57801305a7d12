"""Report PDFs and backups done by real `backstride worker` processes on PostgreSQL (issue 15 item 5).
The web app asks for them in a process of its own (BACKSTRIDE_TASKS=procrastinate), as a clinic's
server would; the worker makes them; the web app then serves the PDF to its owner only."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tests.databases import CLI, ON_POSTGRES, cli_env, fresh_database, query

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="needs scripts/with-postgres.sh")

_SETUP = """
import json
import sys
from backstride import bootstrap
bootstrap.setup()
from django.test import Client
browser = Client(REMOTE_ADDR="127.0.0.1", HTTP_HOST="127.0.0.1")
"""

# The runner asks for the PDF on the web: the answer sends the browser to the job's page.
_ASK = (
    _SETUP
    + """
asked = browser.get("/report/pdf/", {"shown": "1", "sections": ["summary", "pain"], "paper": "a4"})
print(json.dumps({"status": asked.status_code, "location": asked.get("Location", "")}))
"""
)

# The job's page and its PDF, for the runner; the PDF for another account (services take the user).
_LOOK = (
    _SETUP
    + """
from django.contrib.auth.models import User
from backstride.services.errors import NotFound
from backstride.services.report_jobs import report_file
job_id = int(sys.argv[1])
page = browser.get(f"/report/jobs/{job_id}/")
pdf = browser.get(f"/report/jobs/{job_id}/pdf/")
content = b"".join(pdf.streaming_content) if pdf.status_code == 200 else b""
try:
    report_file(User.objects.get_or_create(username="someone-else")[0], job_id)
    other = "served"
except NotFound:
    other = "not found"
print(json.dumps({
    "page": page.content.decode(), "pdf_status": pdf.status_code, "pdf": content[:5].decode("latin-1"),
    "other": other,
}))
"""
)

_ADMIN_BACKUP = """
from backstride import bootstrap
bootstrap.setup()
from backstride.services.accounts import create_account
from backstride.services.backup_jobs import request_backup
print(request_backup(create_account("root", "clinic_admin")).id)
"""

# What Procrastinate's periodic deferrer does at the scheduled time, done now.
_DAILY_BACKUP_DUE = """
from backstride import bootstrap
bootstrap.setup()
from psycopg_pool import NullConnectionPool
from backstride import config
from backstride.services import task_queue
app = task_queue.app()
app.open(NullConnectionPool(config.database_url(), open=True))
app.configure_task(task_queue.BACKUP_TASK).defer(timestamp=0)
"""


def _python(env: dict[str, str], script: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", script, *args], env=env, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _worker(env: dict[str, str]) -> None:
    command = [*CLI, "worker", "--until-done"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr


def _queue_env(tmp_path: Path, url: str) -> dict[str, str]:
    # A cron that does not come round during the test: the only backups are the ones asked for.
    return cli_env(tmp_path, url, BACKSTRIDE_TASKS="procrastinate", BACKSTRIDE_BACKUP_CRON="0 0 1 1 *")


def _ask_for_a_report(env: dict[str, str]) -> int:
    asked = json.loads(_python(env, _ASK))
    assert asked["status"] == 302 and asked["location"].startswith("/report/jobs/"), asked
    return int(asked["location"].strip("/").split("/")[-1])


def _report_jobs(url: str) -> list[tuple[object, ...]]:
    return query(url, "SELECT id, status, message FROM backstride_reportjob ORDER BY id")


def test_a_report_pdf_is_made_by_a_worker_and_downloaded_by_its_owner_only(tmp_path):
    with fresh_database("postgresql", tmp_path) as url:
        env = _queue_env(tmp_path, url)
        job_id = _ask_for_a_report(env)
        assert _report_jobs(url) == [(job_id, "queued", "")]  # the web process made nothing
        waiting = json.loads(_python(env, _LOOK, str(job_id)))
        assert "Waiting for its turn" in waiting["page"] and waiting["pdf_status"] == 404
        _worker(env)
        assert _report_jobs(url) == [(job_id, "done", "")]
        [(path,)] = query(url, "SELECT file_path FROM backstride_reportjob")
        assert Path(str(path)).parent == tmp_path / "data" / "reports"
        done = json.loads(_python(env, _LOOK, str(job_id)))
        assert "Ready." in done["page"] and done["pdf_status"] == 200 and done["pdf"] == "%PDF-"
        assert done["other"] == "not found"
        queued = "SELECT status FROM procrastinate_jobs WHERE task_name = 'backstride.run'"
        assert query(url, queued) == [("succeeded",)]


def test_a_report_job_that_fails_shows_its_reason(tmp_path):
    with fresh_database("postgresql", tmp_path) as url:
        env = _queue_env(tmp_path, url)
        job_id = _ask_for_a_report(env)
        import psycopg

        with psycopg.connect(url, autocommit=True) as db:  # the database refuses to start the job
            db.execute(
                "CREATE FUNCTION refuse_running() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                "IF NEW.status = 'running' THEN RAISE EXCEPTION 'no room to make the PDF'; END IF; "
                "RETURN NEW; END $$"
            )
            db.execute(
                "CREATE TRIGGER refuse_running BEFORE UPDATE ON backstride_reportjob "
                "FOR EACH ROW EXECUTE FUNCTION refuse_running()"
            )
        _worker(env)
        [(_, status, message)] = _report_jobs(url)
        assert status == "failed" and "no room to make the PDF" in str(message)
        page = json.loads(_python(env, _LOOK, str(job_id)))
        assert "The PDF could not be made:" in page["page"] and "no room to make the PDF" in page["page"]
        assert 'http-equiv="refresh"' not in page["page"] and page["pdf_status"] == 404


def _backup_files(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "data" / "backups").glob("backstride-*.dump"))


def _restorable(dump: Path) -> bool:
    listed = subprocess.run(["pg_restore", "--list", str(dump)], capture_output=True, text=True, timeout=60)
    return listed.returncode == 0 and "backstride_reportjob" in listed.stdout


def test_a_backup_asked_for_by_an_administrator_is_made_by_a_worker(tmp_path):
    with fresh_database("postgresql", tmp_path) as url:
        env = _queue_env(tmp_path, url)
        job_id = int(_python(env, _ADMIN_BACKUP))
        assert query(url, "SELECT id, status FROM backstride_backupjob") == [(job_id, "queued")]
        _worker(env)
        [(status, message, path)] = query(url, "SELECT status, message, file_path FROM backstride_backupjob")
        assert (status, message) == ("done", "")
        [dump] = _backup_files(tmp_path)
        assert str(dump) == path and _restorable(dump)


def test_the_daily_backup_task_runs_in_a_worker_and_leaves_a_backup_file(tmp_path):
    with fresh_database("postgresql", tmp_path) as url:
        env = _queue_env(tmp_path, url)
        _python(env, "from backstride import bootstrap; bootstrap.setup()")
        _python(env, _DAILY_BACKUP_DUE)
        _worker(env)
        rows = query(url, "SELECT status, requested_by_id, file_path FROM backstride_backupjob")
        [dump] = _backup_files(tmp_path)
        assert rows == [("done", None, str(dump))] and _restorable(dump)
        tasks = "SELECT status FROM procrastinate_jobs WHERE task_name = 'backstride.daily_backup'"
        assert query(url, tasks) == [("succeeded",)]
