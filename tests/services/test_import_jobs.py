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
from tests.services.activity_files import gpx_run, run_start, write_runs

from backstride.importers import pipeline
from backstride.services import imports, jobs
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


# A parent that forks a child watching it (as every parser process does first thing), prints the
# child's pid, and waits to be killed.
_WATCHED_CHILD = r"""
import os, time
from backstride.services.import_worker import _exit_with_parent

child = os.fork()
if child == 0:
    _exit_with_parent()
    time.sleep(600)  # busy with a long file, say
    os._exit(0)
print(child, flush=True)
time.sleep(600)
"""


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "\nState:\tZ" in state  # a zombie waiting for its new parent to reap it has stopped


def test_a_parser_process_does_not_outlive_a_killed_server():
    server = subprocess.Popen([sys.executable, "-c", _WATCHED_CHILD], stdout=subprocess.PIPE, text=True)
    child = 0
    try:
        assert server.stdout is not None
        child = int(server.stdout.readline())
        time.sleep(0.3)
        assert not _gone(child)
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=10)
        deadline = time.monotonic() + 10
        while not _gone(child) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _gone(child), "the parser process outlived the server"
    finally:
        if server.poll() is None:
            server.kill()
        if child and not _gone(child):
            os.kill(child, signal.SIGKILL)
