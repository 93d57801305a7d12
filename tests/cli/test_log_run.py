"""`backstride log run` and `log rpe`: runs by hand, bad values refused with nothing saved."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from backstride.cli import main
from backstride.config import local_today
from backstride.services.users import local_user
from backstride.storage.models import Activity, Shoe

pytestmark = pytest.mark.django_db


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_log_a_run_with_terrain_surface_rpe_and_the_default_shoe():
    shoe = Shoe.objects.create(owner=local_user(), name="Trail pair", is_default=True)
    result = invoke(
        "log",
        "run",
        "--date",
        "2026-11-20",
        "--distance",
        "8.5",
        "--duration",
        "52",
        "--terrain",
        "hilly",
        "--surface",
        "trail",
        "--rpe",
        "6",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    row = json.loads(result.stdout)
    assert row["distance_m"] == 8500 and row["moving_time_s"] == 52 * 60 and row["rpe"] == 6
    activity = Activity.objects.get()
    assert (activity.terrain, activity.surface, activity.shoe, activity.source_format) == (
        "hilly",
        "trail",
        shoe,
        "manual",
    )
    assert activity.start_time.date() == date(2026, 11, 20)


def test_treadmill_runs_are_indoor():
    invoke("log", "run", "--distance", "5", "--duration", "30", "--surface", "treadmill")
    activity = Activity.objects.get()
    assert activity.indoor and activity.sub_sport == "treadmill"


@pytest.mark.parametrize(
    ("args", "bad_fields"),
    [
        (["--distance", "-3", "--duration", "30"], ["distance_km"]),
        (["--distance", "5", "--duration", "0"], ["duration_min"]),
        (["--distance", "five", "--duration", "30", "--rpe", "11"], ["distance_km", "rpe"]),
        (
            [
                "--distance",
                "5",
                "--duration",
                "30",
                "--date",
                (local_today() + timedelta(days=2)).isoformat(),
            ],
            ["day"],
        ),
        (["--distance", "5", "--duration", "30", "--shoe", "Nope"], ["shoe"]),
    ],
)
def test_impossible_values_exit_2_and_save_nothing(args, bad_fields):
    result = CliRunner().invoke(main, ["log", "run", *args, "--format", "json"])
    assert result.exit_code == 2
    assert [problem["item_id"] for problem in json.loads(result.stdout)["problems"]] == bad_fields
    assert Activity.objects.count() == 0


def test_rpe_can_be_added_the_next_morning():
    run_id = json.loads(
        invoke("log", "run", "--distance", "5", "--duration", "30", "--format", "json").stdout
    )["id"]
    assert invoke("log", "rpe", str(run_id), "7").exit_code == 0
    assert Activity.objects.get().rpe == 7
    assert CliRunner().invoke(main, ["log", "rpe", str(run_id), "12"]).exit_code == 2
    assert CliRunner().invoke(main, ["log", "rpe", "999", "5"]).exit_code == 1
    assert Activity.objects.get().rpe == 7


def test_edit_run_keeps_what_is_not_given_and_refuses_bad_values():
    run_id = json.loads(
        invoke("log", "run", "--distance", "5", "--duration", "30", "--rpe", "4", "--format", "json").stdout
    )["id"]
    row = json.loads(invoke("log", "edit-run", str(run_id), "--distance", "6", "--format", "json").stdout)
    assert row["distance_m"] == 6000 and row["moving_time_s"] == 1800 and row["rpe"] == 4
    assert CliRunner().invoke(main, ["log", "edit-run", str(run_id), "--duration", "-5"]).exit_code == 2
    assert Activity.objects.get().moving_time_s == 1800
