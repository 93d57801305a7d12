"""`backstride shoes`: list (the default), add, edit, retire, default, assign; JSON and exit codes."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from tests.factories import make_run as run

from backstride.cli import main
from backstride.storage.models import Shoe

pytestmark = pytest.mark.django_db


def invoke(*args: str):
    return CliRunner().invoke(main, ["shoes", *args], catch_exceptions=False)


def as_json(*args: str):
    result = invoke(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_add_then_list_as_json_with_every_field():
    args = ("add", "Pegasus", "--brand", "Nike", "--start-km", "620")
    row = as_json(*args, "--bought", "2026-01-05", "--default")
    assert row["name"] == "Pegasus" and row["is_default"]
    run(15, Shoe.objects.get())
    listed = json.loads(invoke("--format", "json").stdout)["shoes"]
    assert len(listed) == 1
    shoe = listed[0]
    assert set(shoe) >= {
        "name",
        "brand",
        "model",
        "km",
        "replacement_km",
        "percent",
        "bought",
        "retired",
        "is_default",
        "runs",
        "new_shoe",
        "alert",
    }
    assert (shoe["km"], shoe["runs"], shoe["replacement_km"], shoe["bought"]) == (635, 1, 700, "2026-01-05")
    assert shoe["alert"]["level"] == "nearing" and shoe["alert"]["advice_id"] == "shoe-mileage"


def test_text_list_shows_km_and_the_alert():
    invoke("add", "Old pair", "--replacement-km", "500", "--start-km", "510")
    result = invoke()
    assert result.exit_code == 0
    assert "Old pair" in result.output and "510 / 500 km" in result.output and "passed:" in result.output
    assert invoke("retire", "Old pair").output.startswith("Retired: Old pair")
    assert "(retired " in invoke().output and "passed:" not in invoke().output


def test_empty_list_says_how_to_add():
    assert "No shoes yet" in invoke().output


def test_bad_input_exits_2_listing_every_problem_and_saves_nothing():
    result = invoke(
        "add", " ", "--start-km", "-1", "--replacement-km", "0", "--bought", "someday", "--format", "json"
    )
    assert result.exit_code == 2
    items = {problem["item_id"] for problem in json.loads(result.stdout)["problems"]}
    assert items == {"name", "start_km", "replacement_km", "bought"}
    assert Shoe.objects.count() == 0


def test_duplicate_name_exits_2():
    invoke("add", "Pegasus")
    result = invoke("add", "Pegasus")
    assert result.exit_code == 2 and "already have a shoe" in result.stderr
    assert Shoe.objects.count() == 1


def test_unknown_shoe_or_activity_exits_1():
    assert invoke("retire", "Nope").exit_code == 1
    assert invoke("default", "Nope").exit_code == 1
    assert invoke("edit", "Nope", "--replacement-km", "600").exit_code == 1
    invoke("add", "Pegasus")
    result = invoke("assign", "424242", "Pegasus")
    assert result.exit_code == 1 and "no activity #424242" in result.output


def test_edit_retire_and_default():
    invoke("add", "A", "--default")
    invoke("add", "B", "--bought", "2026-03-01")
    row = as_json("edit", "B", "--name", "B2", "--replacement-km", "550")
    assert (row["name"], row["replacement_km"]) == ("B2", 550)
    assert as_json("default", "B2")["is_default"]
    assert list(Shoe.objects.filter(is_default=True).values_list("name", flat=True)) == ["B2"]
    bad = invoke("retire", "B2", "--date", "2026-02-01")
    assert bad.exit_code == 2 and "before the purchase date" in bad.stderr
    retired = as_json("retire", "B2", "--date", "2026-04-01")
    assert retired["retired"] == "2026-04-01" and not retired["is_default"]
    assert not Shoe.objects.filter(is_default=True).exists()


def test_assign_and_unassign_a_run():
    invoke("add", "Pegasus")
    activity = run(10)
    assigned = as_json("assign", str(activity.id), "Pegasus")
    assert assigned["shoe"] == "Pegasus"
    assert json.loads(invoke("--format", "json").stdout)["shoes"][0]["km"] == 10
    assert as_json("assign", str(activity.id), "--none")["shoe"] is None
    assert invoke("assign", str(activity.id)).exit_code == 2  # neither a name nor --none
    ride = run(30, sport="cycling")
    assert invoke("assign", str(ride.id), "Pegasus").exit_code == 2
