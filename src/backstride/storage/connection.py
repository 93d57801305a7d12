"""Which database --db / BACKSTRIDE_DB names, as Django settings, and database failures as one line
that says what to do. Imported by the settings module: nothing here may import Django models."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote, urlsplit

import dj_database_url

from backstride.config import DB_ENV, StartupError

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

SQLITE = "django.db.backends.sqlite3"
POSTGRES = "django.db.backends.postgresql"
WHERE = f"--db / {DB_ENV}"
URL_HINT = "use sqlite:///path/to/backstride.sqlite3 or postgresql://user:password@host:5432/dbname"
SQLITE_MODES = ("ro", "rw", "rwc")  # SQLite's own URI modes; rwc (read, write, create) is the default


def database_settings(url: str) -> dict[str, Any]:
    """The Django DATABASES entry for a URL, or a StartupError (exit 2: the URL cannot be used as given)."""
    scheme, separator, _ = url.partition("://")
    if not (scheme and separator):
        raise _unusable(f"{WHERE} is not a database URL")
    try:
        db: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=600))
    except dj_database_url.UnknownSchemeError:
        raise _unusable(f"{WHERE}: unknown kind of database '{scheme}://'") from None
    except ValueError:
        raise _unusable(f"{WHERE} cannot be read as a URL (write special characters as %XX)") from None
    if db["ENGINE"] == SQLITE:
        return _sqlite(db)
    if db["ENGINE"] != POSTGRES:
        raise _unusable(f"backstride works with SQLite and PostgreSQL, not '{scheme}://'")
    if not db["NAME"]:
        raise _unusable(f"{WHERE} names no PostgreSQL database")
    return db


def _unusable(problem: str) -> StartupError:
    return StartupError(f"{problem}; {URL_HINT}", exit_code=2)


def _sqlite(db: dict[str, Any]) -> dict[str, Any]:
    options = dict(db.pop("OPTIONS", {}))
    mode = str(options.pop("mode", "rwc"))
    if options or mode not in SQLITE_MODES:
        raise StartupError(f"{WHERE}: the only SQLite option read is ?mode=ro (read-only)", exit_code=2)
    if db["NAME"] in ("", ":memory:"):
        raise _unusable(f"{WHERE} names no file (a database in memory keeps nothing)")
    path = Path(db["NAME"]).expanduser().absolute()
    if path.is_dir():
        example = path / "backstride.sqlite3"
        raise StartupError(f"{path} is a folder: give a database file, e.g. sqlite:///{example}", exit_code=2)
    if not path.parent.is_dir():
        raise StartupError(f"the folder {path.parent} does not exist: create it, or give another path")
    if mode == "ro" and not path.exists():
        raise StartupError(f"{path} does not exist (?mode=ro never creates it): check the path in {WHERE}")
    read_only = mode == "ro" or (path.exists() and not os.access(path, os.W_OK))
    # WAL lets the web app and the CLI read while one writes; IMMEDIATE takes the write lock at the
    # start of a transaction so two writers wait (busy timeout) instead of failing mid-way. A read-only
    # connection cannot switch the journal mode (a database backstride made is in WAL already).
    pragmas = "PRAGMA synchronous=NORMAL;"
    if not read_only:
        pragmas = "PRAGMA journal_mode=WAL; " + pragmas
    db["NAME"] = str(path) if mode == "rwc" else f"file:{quote(str(path))}?mode={mode}"
    db["OPTIONS"] = {"init_command": pragmas, "transaction_mode": "IMMEDIATE", "timeout": 20}
    db["CONN_MAX_AGE"] = 0
    return db


def sqlite_file(connection: BaseDatabaseWrapper) -> Path | None:
    """The SQLite database file behind a connection (None for PostgreSQL and in-memory test databases)."""
    if connection.vendor != "sqlite" or connection.is_in_memory_db():  # type: ignore[attr-defined]
        return None
    name = str(connection.settings_dict["NAME"])
    return Path(unquote(urlsplit(name).path)) if name.startswith("file:") else Path(name)


def opened_read_only(connection: BaseDatabaseWrapper) -> bool:
    name = str(connection.settings_dict["NAME"])
    return connection.vendor == "sqlite" and name.startswith("file:") and "mode=ro" in name


def read_only_error(connection: BaseDatabaseWrapper) -> StartupError:
    if connection.vendor != "sqlite":
        how = f"give {WHERE} a database and user that may write"
    elif opened_read_only(connection):
        how = "drop ?mode=ro from the URL"
    else:
        how = "make the file and its folder writable"
    where = sqlite_file(connection) or "the database"
    return StartupError(f"{where} is read-only: nothing was saved; to save changes, {how}")


def is_read_only_failure(error: BaseException) -> bool:
    """SQLite: "attempt to write a readonly database"; PostgreSQL: "... in a read-only transaction"."""
    text = str(error)
    return "readonly database" in text or "read-only transaction" in text


def connection_failure(connection: BaseDatabaseWrapper, error: BaseException) -> StartupError:
    """Why the database cannot be opened, in one line, without the password."""
    settings = connection.settings_dict
    reason = " ".join(str(error).split())
    if connection.vendor == "sqlite":
        return StartupError(
            f"cannot open the SQLite database {sqlite_file(connection)} ({reason}): "
            "check that you can read and write the file and its folder"
        )
    # psycopg: 'connection failed: connection to server at "h", port 5432 failed: FATAL:  role "x" ...'
    reason = re.sub(r'^connection failed: (connection to server at "[^"]*", port \d+ failed: )?', "", reason)
    reason = reason.removeprefix("FATAL: ").strip()
    if "password" in reason or "role" in reason:
        hint = f"check the user and password in {WHERE}"
    elif "database" in reason and "does not exist" in reason:
        hint = f"create it (createdb {settings['NAME']}) or fix its name in {WHERE}"
    else:
        hint = f"is the server running, and are the host and port in {WHERE} right?"
    server = f"{settings['HOST'] or 'localhost'}:{settings['PORT'] or 5432}/{settings['NAME']}"
    return StartupError(f"cannot connect to PostgreSQL at {server}: {reason}; {hint}")
