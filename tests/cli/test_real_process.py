"""The installed `backstride` command as a real process: database selection and `serve`."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.cases import SELF_MANAGE

CLI = [sys.executable, "-m", "backstride.cli"]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "BACKSTRIDE_DB"}
    env["BACKSTRIDE_DATA_DIR"] = str(tmp_path / "data")
    env.update(extra)
    return env


def test_default_database_is_sqlite_in_the_data_folder_and_db_option_overrides(tmp_path):
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps(SELF_MANAGE))
    done = subprocess.run(
        [*CLI, "check", "--answers", str(answers), "--format", "json"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "data" / "backstride.sqlite3").exists()

    other = tmp_path / "other.sqlite3"
    done = subprocess.run(
        [*CLI, "--db", f"sqlite:///{other}", "history", "--format", "json"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["checks"] == []  # a different, new database
    assert other.exists()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_listens_on_loopback_and_prints_its_address(tmp_path):
    port = _free_port()
    server = subprocess.Popen(
        [*CLI, "serve", "--port", str(port)],
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in line
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/check/", timeout=5) as response:
                    body = response.read().decode()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        assert "Symptom check" in body
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_refuses_a_public_address(tmp_path):
    done = subprocess.run(
        [*CLI, "serve", "--host", "0.0.0.0"], env=_env(tmp_path), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "127.0.0.1" in done.stderr
