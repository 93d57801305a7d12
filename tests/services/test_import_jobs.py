"""Web imports never parse in the server process (issue 11, item 1): a parser process per job reads
and parses the uploads, the job thread only stores, and the job row's progress still moves."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.conftest import SHARED
from tests.services.activity_files import gpx_run, run_start, write_runs

from backstride.importers import pipeline
from backstride.services import imports, jobs
from backstride.services.import_worker import ParserProcess
from backstride.services.users import local_user
from backstride.storage.models import Activity

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_ok]


@pytest.fixture
def no_parsing_here(monkeypatch):
    """Any parse in this (the server's) process fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("an upload was parsed in the server process")

    monkeypatch.setattr(pipeline, "parse_source", refuse)


def test_a_web_import_job_is_parsed_in_another_process_and_stored_here(no_parsing_here, monkeypatch):
    monkeypatch.setenv("BACKSTRIDE_JOBS_INLINE", "1")
    uploads = [
        SimpleUploadedFile("run.gpx", gpx_run(run_start(0), 5000)),
        SimpleUploadedFile("notes.txt", b"not an activity"),
    ]
    job = jobs.start_import(local_user(), uploads)
    job.refresh_from_db()
    assert job.status == "done", job.message
    assert job.parser_pid is not None and job.parser_pid != os.getpid()
    assert (job.total_files, job.processed_files) == (2, 2)
    assert job.result["imported"] == 1 and [f["path"] for f in job.result["failed"]] == ["notes.txt"]
    assert Activity.objects.get().source_file == "run.gpx"


def test_progress_arrives_file_by_file_from_the_parser_process(tmp_path, no_parsing_here):
    write_runs(tmp_path / "runs", 3)
    paths = sorted((tmp_path / "runs").iterdir())
    seen: dict[str, object] = {}
    steps: list[tuple[int, int]] = []

    def started(info: imports.BatchInfo) -> None:
        seen["pid"], seen["total"] = info.parser_pid, info.total

    def progress(done: int, total: int) -> None:
        steps.append((done, total))
        seen[f"stored after {done}"] = Activity.objects.count()

    report = imports.import_in_parser_process(local_user(), paths, None, progress, started)
    assert report["imported"] == 3
    assert seen["pid"] != os.getpid() and seen["total"] == 3
    assert steps == [(1, 3), (2, 3), (3, 3)]
    assert [seen[f"stored after {n}"] for n in (1, 2, 3)] == [1, 2, 3]  # stored as they arrive


def test_a_parser_process_that_dies_fails_the_job_with_one_line_and_keeps_what_was_stored(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("BACKSTRIDE_JOBS_INLINE", "1")
    real = jobs.import_in_parser_process

    def killed_after_start(user, paths, labels, progress, started):  # type: ignore[no-untyped-def]
        def start_then_kill(info: imports.BatchInfo) -> None:
            started(info)
            os.kill(info.parser_pid, signal.SIGKILL)  # as the kernel's out-of-memory killer would

        return real(user, paths, labels, progress, start_then_kill)

    monkeypatch.setattr(jobs, "import_in_parser_process", killed_after_start)
    job = jobs.start_import(local_user(), [SimpleUploadedFile("run.gpx", gpx_run(run_start(0), 5000))])
    job.refresh_from_db()
    assert job.status == "failed"
    assert "the parser process stopped before the end (killed by signal 9" in job.message
    assert "\n" not in job.message and "upload the files again" in job.message
    assert not Path(job.upload_dir).exists()


# A "server" holding the read end of a pipe, and a "parser" forked from it that holds the write end
# and starts a process of its own (as its pool would): both print their pids; the server is killed.
_SERVER_AND_PARSER = r"""
import os, time
from multiprocessing import Pipe
from backstride.services.import_worker import _die_with_reader

receive, send = Pipe(duplex=False)
parser = os.fork()
if parser == 0:
    receive.close()
    _die_with_reader(send)
    helper = os.fork()
    if helper == 0:
        time.sleep(600)  # a pool worker, say
        os._exit(0)
    print(os.getpid(), helper, flush=True)
    time.sleep(600)  # busy with a long file, say
    os._exit(0)
send.close()
time.sleep(600)
"""


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "\nState:\tZ" in state  # a zombie waiting for its new parent to reap it has stopped


def test_a_parser_and_its_helpers_do_not_outlive_a_killed_server():
    server = subprocess.Popen([sys.executable, "-c", _SERVER_AND_PARSER], stdout=subprocess.PIPE, text=True)
    pids: list[int] = []
    try:
        assert server.stdout is not None
        pids = [int(pid) for pid in server.stdout.readline().split()]
        time.sleep(0.3)
        assert len(pids) == 2 and not any(_gone(pid) for pid in pids)
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=10)
        deadline = time.monotonic() + 5
        while not all(_gone(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert all(_gone(pid) for pid in pids), "a parser process outlived the server"
    finally:
        if server.poll() is None:
            server.kill()
        for pid in pids:
            if not _gone(pid):
                os.kill(pid, signal.SIGKILL)


def test_a_job_that_stops_listening_ends_its_parser_at_once(tmp_path, monkeypatch):
    write_runs(tmp_path / "runs", 40)  # enough for the parser to start its pool
    killed: list[int] = []
    killpg = os.killpg

    def kill_group(pgid: int, signum: int) -> None:
        killed.append(pgid)
        killpg(pgid, signum)

    monkeypatch.setattr(os, "killpg", kill_group)
    with ParserProcess(sorted((tmp_path / "runs").iterdir()), {}) as parser:
        next(parser.results())  # one file, then the job stops reading (storing failed, say)
        pid = parser.pid
        helpers = [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    # It went by itself when its reader went: the job never had to kill it (its fallback after STOP_S).
    assert killed == []
    assert _gone(pid) and helpers
    # The helpers got SIGKILL with their group; the kernel ends them a moment later (10 s means a hang).
    deadline = time.monotonic() + 10
    while not all(_gone(helper) for helper in helpers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(_gone(helper) for helper in helpers)


def test_what_an_export_says_crosses_from_the_parser_process(no_parsing_here):
    report = imports.import_in_parser_process(local_user(), [SHARED / "data" / "strava-export-sample"])
    assert report["failed"] == [] and report["imported"] == 1
    activity = Activity.objects.get()
    assert (activity.external_id, activity.name) == ("strava:12070555079", "Laufen Landal Park")


def test_a_finished_job_run_again_does_nothing_and_its_uploads_go(monkeypatch, tmp_path):
    """A worker killed after a job's outcome was saved: the retry finds it finished. It neither
    imports again nor fails it, and removes the uploads the killed worker had not removed yet."""
    monkeypatch.setenv("BACKSTRIDE_JOBS_INLINE", "1")
    job = jobs.start_import(local_user(), [SimpleUploadedFile("run.gpx", gpx_run(run_start(0), 5000))])
    job.refresh_from_db()
    assert job.status == "done" and not Path(job.upload_dir).exists()  # saved, then the uploads went
    left = Path(job.upload_dir)
    left.mkdir(parents=True)
    (left / "00000-run.gpx").write_bytes(gpx_run(run_start(0), 5000))
    jobs.run_import(job.id)
    again = type(job).objects.get(id=job.id)
    assert (again.status, again.result) == ("done", job.result)
    assert not left.exists() and Activity.objects.count() == 1
