"""How a date or a number typed by a person is read: the one parser behind every web form and every
command-line option (issue 11), so ``²``, ``nan``, ``1e308``, 400 digits or the year 0001 get the same
answer in both. Pure: ``today`` is always a parameter.

Dates are ``YYYY-MM-DD``, from EARLIEST_DAY to ``today`` + AHEAD_DAYS at most; a field may allow less
(a diary day, a run or a shoe's purchase cannot be in the future). Why these ends:

* 1970-01-01: nothing a runner logs is older. It is the Unix epoch, before the first GPS running
  watch and any activity file, and the importers refuse earlier times too. A year such as 0202 or
  1202 is a typo, and the calendar's own ends (0001-01-01, 9999-12-31) make date arithmetic overflow.
* a year ahead (366 days): only the plan and the end of a load range look into the future, and a plan
  is rebuilt every week from the diary, so a week further out than that says nothing useful.

A range (``load --from/--to``) covers at most MAX_SPAN_YEARS: more than any training history is read
for, while 57 years of daily rows took minutes and gigabytes.

Numbers are plain decimals as people type them (``12``, ``+3``, ``5.2``, ``-0``), at most
MAX_NUMBER_CHARS characters: no exponent, no ``nan``/``inf``, no digits of other scripts (``²``,
``٣``: ``str.isdigit`` says yes, ``int`` says no). They must be finite, in the field's range, and a
whole number where the field counts (a 0-10 rating); ``-0`` is read as 0. Numbers that come typed
(JSON, stored rows) are held to the same rules, and ``True``/``False`` are not numbers.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta

from .problems import InvalidInput, Problem

EARLIEST_DAY = date(1970, 1, 1)
AHEAD_DAYS = 366
MAX_SPAN_YEARS = 20
MAX_SPAN_DAYS = MAX_SPAN_YEARS * 366
MAX_NUMBER_CHARS = 30
SHOWN_CHARS = 40  # a typed value is quoted back in a message up to this length

_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", re.ASCII)
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


class InvalidValue(InvalidInput):
    """One field's value cannot be read; ``problems`` holds that one problem."""

    def __init__(self, field: str, message: str):
        super().__init__([Problem(field, message)])

    @property
    def field(self) -> str:
        return self.problems[0].field

    @property
    def message(self) -> str:
        return self.problems[0].message


def shown(value: object) -> str:
    """A value as a message quotes it: short, one line, control characters and lone surrogates escaped
    (a 400-digit number is not printed back in full)."""
    if isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return str(value) if abs(value) < 10**SHOWN_CHARS else f"a number of more than {SHOWN_CHARS} digits"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, str):
        if len(value) > SHOWN_CHARS:
            return f"{value[:SHOWN_CHARS]!r}... ({len(value)} characters)"
        return repr(value)
    text = repr(value)
    return text if len(text) <= SHOWN_CHARS else f"{text[:SHOWN_CHARS]}... (a {type(value).__name__})"


# --- numbers ------------------------------------------------------------------------------------------


def read_number(value: object) -> int | float | None:
    """The number a person typed (``"12"`` -> 12, ``" 5.2 "`` -> 5.2, ``"-0"`` -> 0), or a number given
    as one; None when it is not a plain, finite decimal. No range is checked here."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value + 0.0 if math.isfinite(value) else None  # + 0.0 turns -0.0 into 0.0
    if not isinstance(value, str):
        return None
    text = value.strip()
    if len(text) > MAX_NUMBER_CHARS or not _DECIMAL.fullmatch(text):
        return None
    if "." not in text:
        return int(text)
    number = float(text) + 0.0
    return number if math.isfinite(number) else None


def describe_range(
    low: float, high: float, *, whole: bool = False, low_open: bool = False, unit: str = ""
) -> str:
    """ "a whole number from 0 to 10", "a number more than 0 and at most 400 km": what a field takes."""
    kind = "a whole number" if whole else "a number"
    bounds = f"more than {low:g} and at most {high:g}" if low_open else f"from {low:g} to {high:g}"
    return f"{kind} {bounds}{f' {unit}' if unit else ''}"


def parse_number(
    value: object,
    field: str,
    low: float,
    high: float,
    *,
    whole: bool = False,
    low_open: bool = False,
    unit: str = "",
) -> float:
    """``value`` as a number in [low, high] (or (low, high] with ``low_open``); an int when ``whole``.
    InvalidValue naming ``field`` otherwise, with a message that says what to type."""
    wanted = describe_range(low, high, whole=whole, low_open=low_open, unit=unit)
    number = read_number(value)
    if number is None:
        raise InvalidValue(field, f"must be {wanted} (got {shown(value)})")
    if whole and isinstance(number, float):
        if not number.is_integer():
            raise InvalidValue(field, f"must be {wanted}, without decimals (got {shown(value)})")
        number = int(number)
    too_low = number <= low if low_open else number < low
    if too_low or number > high:
        raise InvalidValue(field, f"must be {wanted} (got {shown(number)})")
    return number if whole else float(number)


def parse_whole(value: object, field: str, low: int, high: int, *, unit: str = "") -> int:
    """``parse_number`` for a count or a rating: an int in [low, high]."""
    return int(parse_number(value, field, low, high, whole=True, unit=unit))


# --- dates ----------------------------------------------------------------------------------------------


def latest_day(today: date, ahead_days: int = 0) -> date:
    return today + timedelta(days=ahead_days)


def parse_day(
    value: object,
    field: str,
    today: date | None,
    *,
    ahead_days: int = 0,
    future_message: str | None = None,
) -> date:
    """``value`` (a date, or text ``YYYY-MM-DD``) between EARLIEST_DAY and ``today`` + ``ahead_days``
    (at most AHEAD_DAYS); InvalidValue naming ``field`` otherwise. ``future_message`` replaces the
    message for a day after that latest one. With ``today`` None only the earliest day is checked."""
    example = (today or date(2026, 3, 14)).isoformat()
    day: date | None = None
    if isinstance(value, date) and not isinstance(value, datetime):  # a date-time is not a day
        day = value
    elif isinstance(value, str) and _DAY.fullmatch(value.strip()):
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            raise InvalidValue(
                field, f"is not a day of the calendar: use a real date like {example} (got {shown(value)})"
            ) from None
    if day is None:
        raise InvalidValue(field, f"must be a date written YYYY-MM-DD, e.g. {example} (got {shown(value)})")
    if day < EARLIEST_DAY:
        raise InvalidValue(
            field,
            f"{day.isoformat()} is before {EARLIEST_DAY.isoformat()}: check the year (dates from 1970 on)",
        )
    if today is None:
        return day
    latest = latest_day(today, min(ahead_days, AHEAD_DAYS))
    if day > latest:
        if future_message is not None:
            raise InvalidValue(field, future_message.format(day=day.isoformat(), today=today.isoformat()))
        if latest == today:
            raise InvalidValue(
                field,
                f"{day.isoformat()} is in the future (today is {today.isoformat()}): use today or earlier",
            )
        raise InvalidValue(
            field, f"{day.isoformat()} is more than a year ahead: choose a day up to {latest.isoformat()}"
        )
    return day


def check_span(
    start: date, end: date, start_field: str, end_field: str, max_days: int = MAX_SPAN_DAYS
) -> None:
    """A range's ends in order and at most ``max_days`` apart; InvalidValue naming the end to change."""
    if start > end:
        raise InvalidValue(
            start_field, f"{start.isoformat()} is after {end_field} {end.isoformat()}: swap the two dates"
        )
    days = (end - start).days + 1
    if days > max_days:
        years = max_days // 366
        raise InvalidValue(
            start_field,
            f"{start.isoformat()} to {end.isoformat()} covers {days} days; a range covers at most "
            f"{years} years: choose a later {start_field} or an earlier {end_field}",
        )
