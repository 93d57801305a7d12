"""Where data lives and which database to use: --db / BACKSTRIDE_DB, else SQLite in the user-data folder."""

from __future__ import annotations

import os
import secrets
from datetime import date, datetime, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

import platformdirs

# The machine's own time zone, read when this module is first imported: that is before Django sets
# the process time zone to UTC (settings.TIME_ZONE), which would make date.today() a UTC date.
_SYSTEM_TZ = datetime.now().astimezone().tzinfo

DB_ENV = "BACKSTRIDE_DB"
DATA_DIR_ENV = "BACKSTRIDE_DATA_DIR"


def local_tz() -> tzinfo | None:
    """BACKSTRIDE_TZ (an IANA name such as Europe/London), else the machine's zone."""
    name = os.environ.get("BACKSTRIDE_TZ")
    return ZoneInfo(name) if name else _SYSTEM_TZ


def local_today() -> date:
    """The runner's calendar day: diary days, "today" and "in the future" all use this."""
    return datetime.now(local_tz()).date()


def local_day(moment: datetime) -> date:
    """The runner's calendar day of a stored moment (stored times are UTC)."""
    return moment.astimezone(local_tz()).date()


def data_dir() -> Path:
    """The platform's user-data folder (e.g. ~/.local/share/backstride), or BACKSTRIDE_DATA_DIR."""
    override = os.environ.get(DATA_DIR_ENV)
    folder = Path(override) if override else Path(platformdirs.user_data_dir("backstride", appauthor=False))
    # Health data: readable by this user only (the database, uploads and key inherit the umask).
    os.umask(0o077)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def private_tmp() -> Path:
    """Temporary files of uploads (videos, exports) go here, not to the shared system temp folder."""
    folder = data_dir() / "tmp"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def database_url() -> str:
    url = os.environ.get(DB_ENV, "").strip()
    return url or f"sqlite:///{data_dir() / 'backstride.sqlite3'}"


def secret_key() -> str:
    """A per-installation key, made once and kept next to the data (never committed, never shared)."""
    explicit = os.environ.get("BACKSTRIDE_SECRET_KEY")
    if explicit:
        return explicit
    key_file = data_dir() / "secret_key"
    if not key_file.exists():
        descriptor = os.open(
            key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600
        )  # never readable by others
        with os.fdopen(descriptor, "w") as out:
            out.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()
