"""Where data lives and which database to use: --db / BACKSTRIDE_DB, else SQLite in the user-data folder.

Also the one clock (issue 12): the runner's time zone, "today" and the calendar day of a stored moment.
Every adapter reads days through local_today(), local_day(), local_time() and run_day(); core
functions take days as arguments and never read the clock (tests/test_one_clock.py keeps other ways of
reading it out). It lives here, not in a module of its own, because every adapter already imports
local_today from here."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs

from backstride.services.errors import BackstrideError


def _system_tz() -> tzinfo:
    """The machine's own zone with its daylight-saving rules (TZ, else /etc/localtime), else (a TZ
    that is no IANA name, such as JST-9) its current UTC offset."""
    setting = os.environ.get("TZ")
    name = _zone_of_link(Path("/etc/localtime")) if setting is None else setting.removeprefix(":")
    try:
        return ZoneInfo(name)
    except (ValueError, ZoneInfoNotFoundError):
        return datetime.now(UTC).astimezone().tzinfo or UTC


def _zone_of_link(link: Path) -> str:
    """Europe/London from /etc/localtime -> /usr/share/zoneinfo/Europe/London; "" if not a link."""
    try:
        target = str(link.resolve()) if link.is_symlink() else ""
    except OSError:
        return ""
    return target.partition("/zoneinfo/")[2]


# The machine's own time zone, read when this module is first imported: that is before Django sets
# the process time zone to UTC (settings.TIME_ZONE), which would make date.today() a UTC date.
_SYSTEM_TZ = _system_tz()

DB_ENV = "BACKSTRIDE_DB"
DATA_DIR_ENV = "BACKSTRIDE_DATA_DIR"


class StartupError(BackstrideError):
    """backstride cannot start: a setting, the data folder or the database cannot be used. The message
    is one line that says what to do; exit status 2 when a value cannot be used as given, else 1."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


def local_tz() -> tzinfo:
    """BACKSTRIDE_TZ (an IANA name such as Europe/London), else the machine's zone."""
    name = os.environ.get("BACKSTRIDE_TZ")
    if not name:
        return _SYSTEM_TZ
    try:
        return ZoneInfo(name)
    except (ValueError, ZoneInfoNotFoundError):
        raise StartupError(
            f"BACKSTRIDE_TZ={name!r} is not a time zone: use an IANA name such as Europe/London, or unset it",
            2,
        ) from None


def local_today() -> date:
    """The runner's calendar day: diary days, "today" and "in the future" all use this."""
    return datetime.now(local_tz()).date()


def local_day(moment: datetime) -> date:
    """The runner's calendar day of a stored moment (stored times are UTC): a check done at 23:50
    local time belongs to that local day, whatever the UTC date."""
    return moment.astimezone(local_tz()).date()


def local_time(moment: datetime) -> datetime:
    """A stored moment on the runner's clock (shown times and their dates: "23:50", not "10:50 UTC")."""
    return moment.astimezone(local_tz())


def run_day(start: datetime, utc_offset_s: int | None, source_format: str) -> date:
    """The calendar day of a run. A run entered by hand is stored at noon UTC of the day typed; an
    imported run's day is its own local time when the file gave the offset (a run abroad keeps the
    day it was run there), else the runner's local day of its start."""
    if source_format == "manual":
        return start.astimezone(UTC).date()
    if utc_offset_s is not None:
        return (start.astimezone(UTC) + timedelta(seconds=utc_offset_s)).date()
    return local_day(start)


def data_dir() -> Path:
    """The platform's user-data folder (e.g. ~/.local/share/backstride), or BACKSTRIDE_DATA_DIR."""
    override = os.environ.get(DATA_DIR_ENV)
    folder = Path(override) if override else Path(platformdirs.user_data_dir("backstride", appauthor=False))
    # Health data: readable by this user only (the database, uploads and key inherit the umask).
    os.umask(0o077)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise unusable_data_dir(folder, error) from None
    return folder


def unusable_data_dir(folder: Path, error: OSError) -> StartupError:
    return StartupError(
        f"cannot use the data folder {folder} ({error.strerror or error}): "
        f"set {DATA_DIR_ENV} to a folder you can write"
    )


def private_tmp() -> Path:
    """Temporary files of uploads (videos, exports) go here, not to the shared system temp folder."""
    folder = data_dir() / "tmp"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
    except OSError as error:
        raise unusable_data_dir(folder.parent, error) from None
    return folder


def database_url() -> str:
    url = os.environ.get(DB_ENV, "").strip()
    return url or f"sqlite:///{data_dir() / 'backstride.sqlite3'}"


def secret_key() -> str:
    """A per-installation key, made once and kept next to the data (never committed, never shared)."""
    explicit = os.environ.get("BACKSTRIDE_SECRET_KEY")
    if explicit:
        return explicit
    folder = data_dir()
    key_file = folder / "secret_key"
    try:
        if not key_file.exists():
            import secrets  # here, not at the top: made once per installation, and hashlib is slow to load

            _write_once(key_file, secrets.token_urlsafe(50))
        key = key_file.read_text().strip()
    except OSError as error:
        raise unusable_data_dir(folder, error) from None
    if not key:
        raise StartupError(f"{key_file} is empty: delete it and backstride makes a new key")
    return key


def _write_once(target: Path, text: str) -> None:
    """Write a whole file under its final name at once; when several processes race, the first wins
    and nobody ever reads it half-written."""
    import tempfile  # here, not at the top: every command imports this module, few write a file once

    descriptor, scratch = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")  # mode 0600
    try:
        with os.fdopen(descriptor, "w") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(scratch, target)  # fails if another process got there first: keep theirs
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links: rename (a racing process may replace it)
            os.replace(scratch, target)
    finally:
        Path(scratch).unlink(missing_ok=True)
