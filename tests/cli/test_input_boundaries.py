"""Typed dates, numbers and text on the command line (issue 11, items 4 and 6): read by the same parser as
the web forms (core.inputs), refused with exit 2 and one line per problem, never a traceback, nothing
saved; text stored without NUL or control characters (PostgreSQL refuses NUL)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from click.testing import CliRunner, Result

from backstride.cli import main
from backstride.config import local_today
from backstride.services.users import local_user
from backstride.storage.models import (
    Activity,
    DiaryEntry,
    OutcomeActivity,
    OutcomeRating,
    PlanItemDone,
    RmdqResponse,
    Shoe,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_ok]
HOSTILE_NUMBERS = ["²", "٣", "1e308", "nan", "inf", "-inf", "9" * 400, "0x1", "", "\x00"]


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def refused(result: Result, field: str) -> str:
    """Exit 2 with a header and one line per problem; the line about ``field``."""
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("  ")]
    assert lines and all(len(line) < 300 for line in lines), result.stderr
    matching = [line for line in lines if line.startswith(f"  {field}: ")]
    assert matching, result.stderr
    return matching[0]


# --- the diary --------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", [*HOSTILE_NUMBERS[:-2], "4.5", "-1", "11"])
def test_a_pain_rating_that_is_not_a_whole_number_from_0_to_10_is_refused(typed):
    line = refused(invoke("log", "pain", "--pain", typed, "--no-red-flags"), "pain_now")
    assert "must be a whole number from 0 to 10" in line
    assert DiaryEntry.objects.count() == 0


@pytest.mark.parametrize("typed", ["nan", "inf", "1e308", "25", "-0.5", "²"])
def test_hours_that_are_not_0_to_24_are_refused(typed):
    line = refused(invoke("log", "pain", "--pain", "2", "--sleep", typed, "--no-red-flags"), "sleep_hours")
    assert "must be a number from 0 to 24 hours" in line
    assert DiaryEntry.objects.count() == 0


def test_negative_zero_is_zero_and_a_note_is_stored_without_control_characters():
    result = invoke(
        "log", "pain", "--pain", "-0", "--note", "tight\x00 calf\x1b[31m\nafter", "--no-red-flags"
    )
    assert result.exit_code == 0, result.output
    entry = DiaryEntry.objects.get()
    assert entry.pain_now == 0 and entry.note == "tight calf[31m\nafter"


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("0001-01-01", "is before 1970-01-01: check the year"),
        ("1969-12-31", "is before 1970-01-01: check the year"),
        ("9999-12-31", "is in the future"),
        ("2026-02-30", "is not a day of the calendar"),
        ("yesterday", "must be a date written YYYY-MM-DD"),
    ],
)
def test_a_check_in_day_out_of_range_is_refused(typed, words):
    line = refused(invoke("log", "pain", "--pain", "2", "--date", typed, "--no-red-flags"), "day")
    assert words in line
    assert DiaryEntry.objects.count() == 0


def test_morning_after_and_delete_day_read_their_numbers_and_dates_the_same_way():
    yesterday = (local_today() - timedelta(days=1)).isoformat()
    invoke("log", "pain", "--pain", "2", "--date", yesterday, "--ran", "--no-red-flags")
    assert "whole number from 0 to 10" in refused(invoke("log", "morning", "²"), "pain_next_morning")
    assert "before 1970" in refused(invoke("log", "morning", "3", "--run-date", "0001-01-01"), "--run-date")
    assert "before 1970" in refused(invoke("log", "delete-day", "0001-01-01"), "DAY")
    assert "in the future" in refused(invoke("log", "delete-day", "9999-12-31"), "DAY")


# --- runs -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "typed", "field"),
    [
        ("--date", "0001-01-01", "day"),  # was stored as a run in year 1
        ("--date", "1900-01-01", "day"),
        ("--distance", "1e308", "distance_km"),
        ("--distance", "nan", "distance_km"),
        ("--distance", "²", "distance_km"),
        ("--duration", "9" * 400, "duration_min"),
        ("--rpe", "inf", "rpe"),
    ],
)
def test_a_run_with_an_impossible_value_is_refused_and_not_stored(option, typed, field):
    args = {"--date": local_today().isoformat(), "--distance": "5", "--duration": "30", option: typed}
    refused(invoke("log", "run", *[part for pair in args.items() for part in pair]), field)
    assert Activity.objects.count() == 0


def test_rpe_added_later_is_read_the_same_way():
    invoke("log", "run", "--distance", "5", "--duration", "30")
    run = Activity.objects.get()
    assert "must be a number from 0 to 10" in refused(invoke("log", "rpe", str(run.id), "²"), "rpe")
    assert invoke("log", "rpe", str(run.id), "6.5").exit_code == 0
    run.refresh_from_db()
    assert run.rpe == 6.5


# --- shoes ------------------------------------------------------------------------------------------


def test_a_shoe_name_brand_and_model_are_stored_without_nul_or_control_characters():
    result = invoke("shoes", "add", "Daily\x00 trainer\x07", "--brand", "Ni\x00ke", "--model", "Peg\tasus")
    assert result.exit_code == 0, result.output
    shoe = Shoe.objects.get()
    assert (shoe.name, shoe.brand, shoe.model) == ("Daily trainer", "Nike", "Peg asus")
    # a lookup with a NUL finds the same shoe (PostgreSQL refuses NUL even in a WHERE clause)
    assert invoke("shoes", "default", "Daily\x00 trainer").exit_code == 0
    assert invoke("shoes", "retire", "nope\x00").exit_code == 1


@pytest.mark.parametrize(
    ("option", "typed", "field"),
    [
        ("--start-km", "1e400", "start_km"),
        ("--start-km", "²", "start_km"),
        ("--start-km", "-0.1", "start_km"),
        ("--replacement-km", "0", "replacement_km"),
        ("--replacement-km", "nan", "replacement_km"),
        ("--bought", "0001-01-01", "bought"),
        ("--bought", "9999-12-31", "bought"),
    ],
)
def test_a_shoe_with_an_impossible_value_is_refused(option, typed, field):
    refused(invoke("shoes", "add", "Pegasus", option, typed), field)
    assert Shoe.objects.count() == 0


def test_a_name_of_only_control_characters_is_no_name():
    refused(invoke("shoes", "add", "\x00\x01"), "name")
    assert Shoe.objects.count() == 0


def test_retiring_on_a_day_out_of_range_is_refused():
    invoke("shoes", "add", "Pegasus")
    assert "before 1970" in refused(invoke("shoes", "retire", "Pegasus", "--date", "0001-01-01"), "retired")
    assert Shoe.objects.get().retired is None


# --- my activities, Roland-Morris ---------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["²", "nan", "1e308", "9" * 400, "4.5", "-1"])
def test_an_activity_rating_is_read_by_the_shared_parser(typed):
    result = invoke("outcomes", "rate", "--activity", f"run 5 km={typed}")  # "²" was a ValueError traceback
    assert "must be a whole number from 0 (can't do it)" in refused(result, "rating_1")
    assert OutcomeRating.objects.count() == 0


def test_activity_names_are_stored_without_control_characters():
    assert invoke("outcomes", "rate", "--activity", "run\x00 5\x1b km=4").exit_code == 0
    assert OutcomeActivity.objects.get().name == "run 5 km"


@pytest.mark.parametrize("typed", ["²", "1" * 400, "0", "25", "3.5"])
def test_roland_morris_statement_numbers(typed):
    line = refused(invoke("rmdq", "--ticked", f"1,{typed}"), "rmdq")
    assert "whole number from 1 to 24" in line and len(line) < 200  # not 400 digits printed back
    assert RmdqResponse.objects.count() == 0


# --- plan and load: the far ends of the calendar --------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "field", "words"),
    [
        (("load", "--from", "0001-01-01"), "--from", "before 1970"),  # was an OverflowError traceback
        (("load", "--from", "0001-01-02", "--to", "9999-12-30"), "--from", "before 1970"),  # 222 s, 15 GB
        (("load", "--to", "9999-12-30"), "--to", "more than a year ahead"),
        (("load", "--from", "1970-01-01"), "--from", "at most 20 years"),
        (("load", "--from", "2021-01-01", "--to", "2020-01-01"), "--from", "swap the two dates"),
        (("plan", "--week", "9999-12-31"), "--week", "more than a year ahead"),  # an OverflowError traceback
        (("plan", "--week", "0001-01-01"), "--week", "before 1970"),
        (("log", "done", "run", "--date", "0001-01-01"), "--date", "before 1970"),
        (("log", "done", "run", "--date", "9999-12-31"), "--date", "in the future"),
    ],
)
def test_dates_at_the_ends_of_the_calendar_are_refused_in_one_line(args, field, words):
    line = refused(invoke(*args), field)
    assert words in line
    assert PlanItemDone.objects.count() == 0


def test_a_refusal_is_json_with_format_json():
    result = invoke("plan", "--week", "9999-12-31", "--format", "json")
    assert result.exit_code == 2
    assert json.loads(result.stdout)["problems"][0]["item_id"] == "--week"


def test_twenty_years_of_load_and_a_year_ahead_are_answered_quickly():
    local_user()
    start = local_today() - timedelta(days=20 * 365)
    result = invoke("load", "--from", start.isoformat(), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["range"]["start"] == start.isoformat()
    ahead = invoke("plan", "--week", (local_today() + timedelta(days=366)).isoformat(), "--format", "json")
    assert ahead.exit_code == 0, ahead.output


# --- files a command writes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("plan", "--ics", "/nonexistent-folder/plan.ics"),
        ("exercises", "show", "dead-bug", "--svg", "/nonexistent-folder/dead-bug.svg"),
        ("exercises", "show", "dead-bug", "--svg", "/proc/version"),
    ],
)
def test_a_path_that_cannot_be_written_is_said_in_one_line(args):
    result = invoke(*args)
    assert result.exit_code == 1 and "choose another path" in result.output
    assert len(result.output.strip().splitlines()) == 1
