"""One clock (issue 12): only backstride.config reads "today" or the calendar day of a moment
(local_today, local_day, local_time, run_day). Any other way of getting a day (date.today(), the
UTC .date() of a stored time, Django's localdate) drifts from the runner's day near midnight, so this
keeps them from coming back into src/backstride."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "backstride"

FORBIDDEN = {
    "date.today()": re.compile(r"\bdate\.today\("),
    "datetime.now()/today()/utcnow()": re.compile(r"\bdatetime\.(now|today|utcnow|utcfromtimestamp)\("),
    "Django's localdate()/localtime()": re.compile(r"\btimezone\.(localdate|localtime)\("),
    "time.localtime()/gmtime()/strftime()": re.compile(r"\btime\.(localtime|gmtime|strftime|ctime)\("),
    ".date() of a datetime": re.compile(r"\.date\(\)"),
}

# (file, pattern name): why it is not a runner's day. Keep this short.
ALLOWED = {
    # The clock itself.
    ("config.py", "datetime.now()/today()/utcnow()"): "local_today() and the machine's zone",
    ("config.py", ".date() of a datetime"): "local_today(), local_day() and run_day()",
    # DTSTAMP is the moment the calendar file was made, in UTC as RFC 5545 asks: not a day.
    ("services/calendar_export.py", "datetime.now()/today()/utcnow()"): "the file's DTSTAMP",
    # An import refusal quotes the date a broken device clock wrote into the file, as written.
    ("importers/xmlutil.py", ".date() of a datetime"): "the file's own (wrong) date in the message",
}


def _code_lines(path: Path) -> list[str]:
    """The file's lines without their comments (comments may name the forbidden calls)."""
    text = path.read_text()
    lines = text.splitlines()
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type == tokenize.COMMENT:
            row, column = token.start
            lines[row - 1] = lines[row - 1][:column]
    return lines


def test_days_and_today_come_only_from_the_clock_in_config():
    found = []
    for path in sorted(SRC.rglob("*.py")):
        name = path.relative_to(SRC).as_posix()
        for number, line in enumerate(_code_lines(path), start=1):
            for what, pattern in FORBIDDEN.items():
                if pattern.search(line) and (name, what) not in ALLOWED:
                    found.append(f"{name}:{number}: {what}: {line.strip()}")
    assert not found, "use backstride.config (local_today, local_day, local_time, run_day):\n" + "\n".join(
        found
    )


def test_the_allow_list_has_no_stale_entries():
    for name, what in ALLOWED:
        lines = _code_lines(SRC / name)
        assert any(FORBIDDEN[what].search(line) for line in lines), f"{name}: {what} no longer needed"


def test_the_machines_zone_keeps_its_daylight_saving_rules(monkeypatch):
    """Without BACKSTRIDE_TZ the day of a winter check read in summer (or after the server ran across
    the change) must use winter's offset, so the zone is the named zone, not today's UTC offset."""
    from datetime import UTC, datetime

    from backstride import config

    monkeypatch.setenv("TZ", "Europe/London")
    london = config._system_tz()
    assert london.utcoffset(datetime(2026, 1, 15)) != london.utcoffset(datetime(2026, 7, 15))
    late_in_june = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)  # 00:30 on 1 July in London
    monkeypatch.delenv("BACKSTRIDE_TZ", raising=False)
    monkeypatch.setattr(config, "_SYSTEM_TZ", london)
    assert str(config.local_day(late_in_june)) == "2026-07-01"
