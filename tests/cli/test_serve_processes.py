"""`backstride serve` runs a supervisor and serving processes (issue 11: CPU-bound pages in one
process's threads queue behind each other). Nothing may outlive the server, a dead serving process
is replaced, and a port in use is a one-line error."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from backstride import lifelines

from .test_real_process import CLI, _env, _free_port

pytestmark = pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="Linux process checks")


def _children(pid: int) -> set[int]:
    """Processes whose parent is `pid` (from /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(stat.parent.name))
    return found


def _get(port: int, path: str = "/check/", timeout: float = 90) -> str:  # a busy machine starts slowly
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
                return str(response.read().decode())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _wait_until(condition, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.fixture
def server(tmp_path):
    port = _free_port()
    process = subprocess.Popen(
        [*CLI, "serve", "--port", str(port), "--processes", "2"],
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    started: set[int] = set()
    try:
        assert "Symptom check" in _get(port)
        assert _wait_until(lambda: len(_children(process.pid)) == 2)
        started |= _children(process.pid)
        yield process, port
    finally:
        for pid in [process.pid, *started, *_children(process.pid)]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        process.wait(timeout=10)


def test_sigterm_stops_the_server_and_every_serving_process(server):
    process, port = server
    serving = _children(process.pid)
    process.terminate()
    assert process.wait(timeout=15) == 0
    assert _wait_until(lambda: not any(lifelines.alive(pid) for pid in serving))
    with socket.socket() as probe:  # the port is free again
        probe.bind(("127.0.0.1", port))


def test_after_kill_9_of_the_server_no_serving_process_is_left(server):
    process, _port = server
    serving = _children(process.pid)
    process.kill()
    process.wait(timeout=10)
    assert _wait_until(lambda: not any(lifelines.alive(pid) for pid in serving), seconds=5), serving


def test_a_serving_process_that_dies_is_replaced(server):
    process, port = server
    time.sleep(5.5)  # past the start-up window in which a dying process stops the server instead
    victim = min(_children(process.pid))
    os.kill(victim, signal.SIGKILL)
    assert _wait_until(lambda: victim not in _children(process.pid) and len(_children(process.pid)) == 2)
    for _ in range(4):  # both processes answer, whichever takes the connection
        assert "Symptom check" in _get(port)
    assert process.poll() is None


def test_a_port_in_use_is_one_line_that_says_what_to_do(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [*CLI, "serve", "--port", str(port)],
            env=_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert f"cannot listen on 127.0.0.1:{port}" in lines[0]
    assert f"--port {port + 1}" in lines[0]
    assert "Traceback" not in done.stderr
