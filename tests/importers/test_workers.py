"""Process hygiene: the importer's worker processes die with the process that started them.

Before: `kill -9` of `backstride import` left the pool's workers, the forkserver and the resource tracker
blocked on a pipe forever (issue 11, ~100 MB each time)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from tests.conftest import REPO_ROOT

from backstride import lifelines

from .filegen import write_fit


def _processes_with(marker: str) -> dict[int, str]:
    """Processes (pid: command line) whose environment holds `marker`: the import and all it started."""
    found: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if marker.encode() in (entry / "environ").read_bytes():
                found[int(entry.name)] = (
                    (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                )
        except OSError:
            continue
    return found


def _wait_for(condition, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="reads /proc (Linux)")
def test_kill_9_of_an_import_leaves_no_process_behind(tmp_path: Path) -> None:
    folder = tmp_path / "runs"
    folder.mkdir()
    write_fit(folder / "run-0.fit", 10_000_000)  # about 1 s of parsing each
    for i in range(1, 12):  # 12 files: the pool is used (8 or more)
        shutil.copy(folder / "run-0.fit", folder / f"run-{i}.fit")
    marker = f"backstride-hygiene-{uuid.uuid4().hex}"
    env = {key: value for key, value in os.environ.items() if key != "BACKSTRIDE_DB"}
    env.update(BACKSTRIDE_DATA_DIR=str(tmp_path / marker), PYTHONPATH=str(REPO_ROOT / "src"))
    command = [sys.executable, "-m", "backstride.cli", "import", str(folder), "--workers", "2"]
    importer = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # Mid-import: the forkserver and both workers are up (three forkserver command lines).
        def pool_running() -> bool:
            return sum("forkserver" in cmd for cmd in _processes_with(marker).values()) >= 3

        assert _wait_for(pool_running, 180), f"the pool never started: {_processes_with(marker)}"
        assert importer.poll() is None, "the import finished before it could be killed: make the files bigger"
        started = _processes_with(marker)
        assert any("resource_tracker" in cmd for cmd in started.values()), started
        importer.send_signal(signal.SIGKILL)
        importer.wait(timeout=30)
        gone = _wait_for(lambda: not _processes_with(marker), 5)
        assert gone, f"survivors 5 s after kill -9: {_processes_with(marker)}"
    finally:
        importer.kill()
        importer.wait()
        for pid in _processes_with(marker):  # only what this test started, should it fail
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


def test_a_worker_sees_its_owner_die_without_a_pidfd(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fallback (no pidfd): a poll that also counts a killed, not yet reaped, owner as gone."""
    owner = subprocess.Popen(["sleep", "60"])
    try:
        assert lifelines.alive(owner.pid)
        monkeypatch.delattr(os, "pidfd_open", raising=False)
        monkeypatch.setattr(lifelines, "POLL_S", 0.05)
        owner.send_signal(signal.SIGKILL)
        # It returns although the zombie is not reaped yet; if it did not, it would wait forever: the
        # generous limit turns that hang into a failure (not a speed test).
        waiting = threading.Thread(target=lifelines.wait_for_exit, args=(owner.pid,), daemon=True)
        waiting.start()
        waiting.join(timeout=30)
        assert not waiting.is_alive()
        assert not lifelines.alive(owner.pid)
    finally:
        owner.kill()
        owner.wait()


WHAT_A_WORKER_IMPORTS = """
import sys
from pathlib import Path
from backstride.importers import pipeline
for name in pipeline.WORKER_PRELOAD:
    __import__(name)
before = set(sys.modules)
for path in sys.argv[1:]:
    assert pipeline.parse_source(path, path, None).parts, path
print(" ".join(sorted(m for m in set(sys.modules) - before if m.startswith(("backstride", "fitdecode")))))
"""


def test_the_forkserver_preloads_what_a_worker_imports_to_parse(tmp_path: Path) -> None:
    """Every import starts new workers; what they would import on their first file (the parsers, the
    FIT device names) is imported once by the forkserver instead (pipeline.WORKER_PRELOAD)."""
    from .filegen import small_gpx, small_tcx

    fit = tmp_path / "run.fit"
    write_fit(fit, 20_000)
    (tmp_path / "run.gpx").write_bytes(small_gpx(60))
    (tmp_path / "run.tcx").write_bytes(small_tcx(60))
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT / "src")}
    paths = [str(tmp_path / name) for name in ("run.fit", "run.gpx", "run.tcx")]
    done = subprocess.run(
        [sys.executable, "-c", WHAT_A_WORKER_IMPORTS, *paths], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == []
