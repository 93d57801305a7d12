"""The one parser for typed dates and numbers (issue 11): the same answer for the web and the CLI."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backstride.core.inputs import (
    AHEAD_DAYS,
    EARLIEST_DAY,
    MAX_SPAN_DAYS,
    InvalidValue,
    check_span,
    parse_day,
    parse_number,
    parse_whole,
    read_number,
    shown,
)

TODAY = date(2026, 3, 14)


@pytest.mark.parametrize(
    ("typed", "number"),
    [("12", 12), (" 5.2 ", 5.2), ("+3", 3), ("-0", 0), ("-0.0", 0.0), (".5", 0.5), ("4.", 4.0), (7, 7)],
)
def test_plain_decimals_are_read(typed, number):
    read = read_number(typed)
    assert read == number and type(read) is type(number)
    assert read != 0 or math.copysign(1, read) == 1  # never a negative zero


@pytest.mark.parametrize(
    "typed",
    ["²", "٣", "1e308", "1E3", "nan", "NaN", "inf", "-Infinity", "", " ", "1,5", "0x10", "1_000", "--1",
     "9" * 400, "1\x002", True, False, None, [1], float("nan"), float("inf")],
)  # fmt: skip
def test_anything_else_is_not_a_number(typed):
    assert read_number(typed) is None


def test_a_whole_number_field_refuses_decimals_and_says_what_it_takes():
    assert parse_whole("7", "pain_now", 0, 10) == 7
    assert parse_whole("7.0", "pain_now", 0, 10) == 7
    with pytest.raises(InvalidValue) as caught:
        parse_whole("7.5", "pain_now", 0, 10)
    assert caught.value.field == "pain_now"
    assert caught.value.message == "must be a whole number from 0 to 10, without decimals (got '7.5')"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("²", "must be a whole number from 0 to 10 (got '²')"),
        ("11", "must be a whole number from 0 to 10 (got 11)"),
        ("-1", "must be a whole number from 0 to 10 (got -1)"),
        (10**400, "must be a whole number from 0 to 10 (got a number of more than 40 digits)"),
        ("9" * 41, f"must be a whole number from 0 to 10 (got '{'9' * 40}'... (41 characters))"),
        ("1e308", "must be a whole number from 0 to 10 (got '1e308')"),
    ],
)  # fmt: skip
def test_each_refusal_names_the_range_and_quotes_the_value_briefly(typed, message):
    with pytest.raises(InvalidValue) as caught:
        parse_whole(typed, "pain_now", 0, 10)
    assert caught.value.message == message


def test_an_open_lower_bound_and_a_unit():
    assert parse_number("0.1", "distance_km", 0, 400, low_open=True, unit="km") == 0.1
    with pytest.raises(InvalidValue) as caught:
        parse_number("0", "distance_km", 0, 400, low_open=True, unit="km")
    assert caught.value.message == "must be a number more than 0 and at most 400 km (got 0)"


@given(st.one_of(st.text(), st.integers(), st.floats(), st.booleans(), st.none()))
def test_whatever_comes_in_the_answer_is_a_number_in_range_or_a_one_line_refusal(value):
    try:
        number = parse_number(value, "x", -5, 5)
    except InvalidValue as error:
        assert "\n" not in error.message and len(error.message) < 200
    else:
        assert math.isfinite(number) and -5 <= number <= 5
        assert number != 0 or math.copysign(1, number) == 1  # no negative zero


# --- dates ----------------------------------------------------------------------------------------


def test_a_day_is_read_in_its_range():
    assert parse_day("2026-03-14", "day", TODAY) == TODAY
    assert parse_day(" 1970-01-01 ", "day", TODAY) == EARLIEST_DAY
    assert parse_day(TODAY, "day", TODAY) == TODAY
    assert parse_day("2027-03-15", "week", TODAY, ahead_days=AHEAD_DAYS) == TODAY + timedelta(days=366)


@pytest.mark.parametrize(
    ("typed", "ahead", "message"),
    [
        ("0001-01-01", 0, "0001-01-01 is before 1970-01-01: check the year (dates from 1970 on)"),
        ("1969-12-31", 0, "1969-12-31 is before 1970-01-01: check the year (dates from 1970 on)"),
        ("2026-03-15", 0, "2026-03-15 is in the future (today is 2026-03-14): use today or earlier"),
        ("9999-12-31", AHEAD_DAYS, "9999-12-31 is more than a year ahead: choose a day up to 2027-03-15"),
        ("2026-02-30", 0, "is not a day of the calendar: use a real date like 2026-03-14 (got '2026-02-30')"),
        ("20260314", 0, "must be a date written YYYY-MM-DD, e.g. 2026-03-14 (got '20260314')"),
        ("2026-W11-6", 0, "must be a date written YYYY-MM-DD, e.g. 2026-03-14 (got '2026-W11-6')"),
        ("２０２６-03-14", 0, "must be a date written YYYY-MM-DD, e.g. 2026-03-14 (got '２０２６-03-14')"),
        ("", 0, "must be a date written YYYY-MM-DD, e.g. 2026-03-14 (got '')"),
        ("\x00", 0, "must be a date written YYYY-MM-DD, e.g. 2026-03-14 (got '\\x00')"),
        (datetime(2026, 3, 1, 9), 0,
         "must be a date written YYYY-MM-DD, e.g. 2026-03-14 (got datetime.datetime(2026, 3, 1, 9, 0))"),
        (20260314, 0, "must be a date written YYYY-MM-DD, e.g. 2026-03-14 (got 20260314)"),
    ],
)  # fmt: skip
def test_each_refused_day_says_what_is_wrong_and_what_to_do(typed, ahead, message):
    with pytest.raises(InvalidValue) as caught:
        parse_day(typed, "day", TODAY, ahead_days=ahead)
    assert caught.value.message == message


def test_a_field_can_say_the_future_in_its_own_words():
    with pytest.raises(InvalidValue) as caught:
        parse_day("2026-03-20", "day", TODAY, future_message="{day} has not happened yet (today is {today})")
    assert caught.value.message == "2026-03-20 has not happened yet (today is 2026-03-14)"


def test_no_field_reaches_further_ahead_than_a_year():
    with pytest.raises(InvalidValue):
        parse_day("2030-01-01", "week", TODAY, ahead_days=10_000)


@given(st.dates())
def test_every_calendar_day_is_read_or_refused_without_overflow(day):
    try:
        parsed = parse_day(day.isoformat(), "day", TODAY, ahead_days=AHEAD_DAYS)
    except InvalidValue:
        assert not EARLIEST_DAY <= day <= TODAY + timedelta(days=AHEAD_DAYS)
    else:
        assert parsed == day
        parsed - timedelta(days=MAX_SPAN_DAYS)  # the arithmetic a range does stays in the calendar


def test_a_range_is_in_order_and_at_most_twenty_years():
    check_span(date(2006, 3, 15), TODAY, "--from", "--to")
    with pytest.raises(InvalidValue) as caught:
        check_span(TODAY, date(2026, 1, 1), "--from", "--to")
    assert caught.value.message == "2026-03-14 is after --to 2026-01-01: swap the two dates"
    with pytest.raises(InvalidValue) as caught:
        check_span(EARLIEST_DAY, TODAY, "--from", "--to")
    assert caught.value.field == "--from" and "at most 20 years" in caught.value.message


def test_shown_values_stay_short_and_printable():
    assert shown("\udcff") == "'\\udcff'"
    assert shown("x" * 10_000).endswith("(10000 characters)") and len(shown("x" * 10_000)) < 80
    assert shown(float("nan")) == "nan"
