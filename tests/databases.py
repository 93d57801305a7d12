"""Fresh, empty databases for tests that run `backstride` as real processes: SQLite always, and
PostgreSQL when the suite runs under scripts/with-postgres.sh (BACKSTRIDE_DB names its server)."""

from __future__ import annotations

import os
import secrets
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

CLI = [sys.executable, "-m", "backstride.cli"]
SERVER = os.environ.get("BACKSTRIDE_DB", "")
ON_POSTGRES = SERVER.startswith(("postgres://", "postgresql://"))

KINDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(not ON_POSTGRES, reason="needs scripts/with-postgres.sh"),
    ),
]


def _on_server(database: str) -> str:
    return urlsplit(SERVER)._replace(path=f"/{database}").geturl()


@contextmanager
def fresh_database(kind: str, tmp_path: Path) -> Iterator[str]:
    """The URL of a database nobody has used yet (the PostgreSQL one is dropped afterwards)."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    import psycopg

    name = f"backstride_fresh_{secrets.token_hex(6)}"
    with psycopg.connect(_on_server("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _on_server(name)
    finally:
        with psycopg.connect(_on_server("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def query(url: str, sql: str) -> list[tuple[Any, ...]]:
    """Rows straight from the database, past the app."""
    if url.startswith("sqlite:///"):
        with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as db:
            return db.execute(sql).fetchall()
    import psycopg

    with psycopg.connect(url) as db:
        return db.execute(sql).fetchall()  # type: ignore[arg-type]


def cli_env(tmp_path: Path, db_url: str | None = None, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "BACKSTRIDE_DB"}
    env["BACKSTRIDE_DATA_DIR"] = str(tmp_path / "data")
    if db_url is not None:
        env["BACKSTRIDE_DB"] = db_url
    env.update(extra)
    return env


def run_cli(args: list[str], env: dict[str, str], **options: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], env=env, capture_output=True, text=True, timeout=180, **options)
