"""The database URL as Django settings: ?mode=ro opens exactly the named file read-only (issue 11,
item 9). The failures as a real process are in tests/cli/test_startup_errors.py."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from urllib.parse import quote

import pytest

from backstride.storage.connection import database_settings


def test_mode_ro_opens_exactly_the_named_file_read_only_even_with_odd_characters(tmp_path):
    odd = tmp_path / "my runs #1?%.sqlite3"
    with closing(sqlite3.connect(odd)) as db, db:
        db.execute("CREATE TABLE kept (x)")
    settings = database_settings(f"sqlite:///{quote(str(odd))}?mode=ro")
    assert "journal_mode" not in settings["OPTIONS"]["init_command"]  # a read-only file cannot switch
    with closing(sqlite3.connect(settings["NAME"], uri=True)) as db:
        assert db.execute("SELECT name FROM sqlite_master").fetchall() == [("kept",)]
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            db.execute("CREATE TABLE written (x)")


def test_a_plain_sqlite_url_keeps_a_plain_path_in_wal_mode(tmp_path):
    settings = database_settings(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert settings["NAME"] == str(tmp_path / "db.sqlite3")
    assert settings["OPTIONS"]["init_command"].startswith("PRAGMA journal_mode=WAL")
    assert settings["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
