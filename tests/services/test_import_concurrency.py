"""Imports at the same time store each run once (issue 11, item 3), on SQLite and on PostgreSQL.

Real `backstride` processes share one database: on the PostgreSQL pass it is the test database
itself (these tests commit, so other processes see the user and the schema); on SQLite, whose test
database lives in memory, a database file made for the test.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from tests.services.activity_files import write_runs

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres_ok]

CLI = [sys.executable, "-m", "backstride.cli"]


def _database_url(tmp_path: Path) -> str:
    if connection.vendor == "postgresql":
        db = settings.DATABASES["default"]
        auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
        return f"postgresql://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return f"sqlite:///{tmp_path / 'shared.sqlite3'}"


def _env() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if key != "BACKSTRIDE_DB"}


def _cli(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, "--db", url, *args], env=_env(), capture_output=True, text=True, timeout=300)


def _stored(url: str) -> list[dict]:
    done = _cli(url, "activities", "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["activities"]


def _count(url: str) -> int:
    """Activities committed so far, read without starting a process (fast enough to poll)."""
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///"), timeout=20) as db:
            return int(db.execute("SELECT count(*) FROM backstride_activity").fetchone()[0])
    from backstride.storage.models import Activity

    return Activity.objects.count()


def _ready(url: str) -> None:
    """Schema and local user made once, before the race (first-use races are another test's)."""
    assert _stored(url) == []


def test_three_imports_of_the_same_runs_at_once_store_each_run_once(tmp_path):
    runs = 24
    first, second = tmp_path / "watch", tmp_path / "phone"
    write_runs(first, runs, tag="a")
    # The same runs from another device: 7 s later, 1% longer, different bytes (the same-run rule)...
    write_runs(second, runs, shift_s=7, stretch=1.01, tag="b")
    # ...and a byte-for-byte copy of a few of the first folder's files (the same-file rule).
    for name in sorted(p.name for p in first.iterdir())[:4]:
        (second / f"copy-{name}").write_bytes((first / name).read_bytes())
    files_each = 2 * runs + 4
    url = _database_url(tmp_path)
    _ready(url)

    orders = [
        [str(first), str(second), "--workers", "1"],
        [str(second), str(first), "--workers", "1"],
        [str(first), str(second)],
    ]
    processes = [
        subprocess.Popen(
            [*CLI, "--db", url, "import", *paths, "--format", "json"],
            env=_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for paths in orders
    ]
    reports = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        reports.append(json.loads(out))

    for report in reports:
        assert report["failed"] == []
        assert report["imported"] + report["skipped_duplicates"] == files_each
    assert sum(report["imported"] for report in reports) == runs
    stored = _stored(url)
    assert len(stored) == runs
    assert len({row["start_time"][:16] for row in stored}) == runs


# Two processes store the same run (different files) and meet between the same-run check and the
# insert: each waits there (up to 3 s) for the other to have checked too. Without mutual exclusion
# both find nothing and both insert; with it, the second cannot even check until the first commits.
_STORE_DRIVER = r"""
import sys, time
from datetime import UTC, datetime
from pathlib import Path

url, rendezvous, me, sha = sys.argv[1:5]
import os
os.environ["BACKSTRIDE_DB"] = url
from backstride import bootstrap
bootstrap.setup()
from backstride.core.activity import ParsedActivity
from backstride.core.activity_summary import ActivitySummary
from backstride.importers.pipeline import ParsedFile, ParsedPart
from backstride.services import imports
from backstride.services.users import local_user

folder = Path(rendezvous)

def wait_for(pattern, seconds):
    deadline = time.monotonic() + seconds
    while len(list(folder.glob(pattern))) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)

real_check = imports._is_same_run

def check_then_linger(user, part):
    found = real_check(user, part)
    (folder / f"checked-{me}").touch()
    wait_for("checked-*", 3)
    return found

imports._is_same_run = check_then_linger
user = local_user()
summary = ActivitySummary("running", None, False, 10_000.0, 3000, 3000, None, None, None, None, None, None)
part = ParsedPart(ParsedActivity("gpx", datetime(2026, 5, 1, 6, 0, tzinfo=UTC)), summary)
(folder / f"started-{me}").touch()
wait_for("started-*", 30)
source = imports.ImportSource(path=f"{me}.gpx")
created, skipped = imports._store(user, source, ParsedFile(f"{me}.gpx", sha, [part]))
print(len(created), skipped)
"""


def test_the_same_run_check_and_insert_are_one_step_across_processes(tmp_path):
    url = _database_url(tmp_path)
    _ready(url)
    rendezvous = tmp_path / "rendezvous"
    rendezvous.mkdir()
    drivers = [
        subprocess.Popen(
            [sys.executable, "-c", _STORE_DRIVER, url, str(rendezvous), me, me * 64],
            env=_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for me in ("a", "b")
    ]
    results = []
    for driver in drivers:
        out, err = driver.communicate(timeout=120)
        assert driver.returncode == 0, err
        results.append(tuple(int(value) for value in out.split()))
    assert sorted(results) == [(0, 1), (1, 0)]  # one stored it, the other saw it as the same run
    assert len(_stored(url)) == 1


def test_an_import_killed_mid_way_leaves_an_intact_database_and_no_duplicates(tmp_path):
    runs = 150
    folder = tmp_path / "runs"
    write_runs(folder, runs)
    url = _database_url(tmp_path)
    _ready(url)
    victim = subprocess.Popen(
        [*CLI, "--db", url, "import", str(folder), "--workers", "1", "--format", "json"],
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not 0 < _count(url) < runs // 2:
            assert victim.poll() is None, "the import ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait(timeout=30)
    finally:
        # Its parser processes, if any (whether they outlive it is another test's question).
        with contextlib.suppress(ProcessLookupError):
            os.killpg(victim.pid, signal.SIGKILL)
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    partway = _stored(url)
    assert 0 < len(partway) < runs
    assert all(row["distance_m"] and row["elapsed_time_s"] for row in partway)  # no half-written run

    done = _cli(url, "import", str(folder), "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["imported"] == runs - len(partway)
    assert report["skipped_duplicates"] == len(partway)
    assert len(_stored(url)) == runs
