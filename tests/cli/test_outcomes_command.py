"""`backstride outcomes` and `outcomes rate`: JSON fields, exit status 2 naming the field with nothing
saved, and the questions asked at the end of an interactive check."""

from __future__ import annotations

import json

import click
import pytest
from click.testing import CliRunner
from tests.cases import SELF_MANAGE

from backstride.cli import main
from backstride.cli.outcomes import ask_outcomes_interactively
from backstride.config import local_today
from backstride.services.checks import check_symptoms
from backstride.services.users import local_user
from backstride.storage.models import OutcomeActivity, OutcomeRating

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_ok]

RATE = ["outcomes", "rate", "--activity", "run 5 km=4", "--activity", "sit through a meeting=6"]


def run(*args: str, input: str | None = None) -> click.testing.Result:
    return CliRunner().invoke(main, list(args), input=input)


def test_rate_names_the_activities_the_first_time_and_prints_the_rating_as_json():
    result = run(*RATE, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["mean"] == 5.0 and data["change_from_first"] is None and data["source"] == "cli"
    assert [(a["name"], a["rating"]) for a in data["activities"]] == [
        ("run 5 km", 4),
        ("sit through a meeting", 6),
    ]
    assert {"id", "created_at", "real_change", "direction", "message", "global_change"} <= set(data)


def test_outcomes_json_shows_the_series_the_thresholds_and_roland_morris_beside_them():
    run(*RATE)
    run("outcomes", "rate", "--activity", "run 5 km=7", "--activity", "sit through a meeting=7")
    run("rmdq", "--ticked", "1,2,3,4,5,6")
    data = json.loads(run("outcomes", "--format", "json").output)
    assert [row["mean"] for row in data["ratings"]] == [5.0, 7.0]
    latest = data["ratings"][-1]
    assert latest["change_from_first"] == 2.0 and latest["real_change"] is True
    assert [a["real_change"] for a in latest["activities"]] == [True, False]  # +3 is real, +1 is not
    assert data["thresholds"]["mean"] == 2 and data["thresholds"]["single_activity"] == 3
    assert data["rmdq"][0]["score"] == 6 and data["rmdq_threshold"]["points"] == 5
    assert data["global_change"] == [] and data["rerating_due"] is False
    assert data["next_rating_due"] is not None
    text = run("outcomes").output
    assert "real change" in text and "within day-to-day variation" in text and "Roland-Morris" in text


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--activity", "run 5 km=11"], "rating_1"),
        (["--activity", "run 5 km"], "activity_1"),
        (["--activity", "run 5 km=4", "--activity", "Run 5 km=5"], "activity_2"),
        (["--activity", "run 5 km=4", "--change", "great"], "global_change"),
        (["--activity", "run 5 km=4", "--change", "better"], "global_change"),  # no second check yet
        ([], "activities"),
    ],
)
def test_bad_input_exits_2_naming_the_field_and_saves_nothing(args, field):
    result = run("outcomes", "rate", *args, "--format", "json")
    assert result.exit_code == 2
    assert field in [problem["item_id"] for problem in json.loads(result.stdout)["problems"]]
    assert OutcomeRating.objects.count() == 0 and OutcomeActivity.objects.count() == 0


def test_a_re_rating_needs_the_same_activities_unless_replaced():
    run(*RATE)
    refused = run("outcomes", "rate", "--activity", "lift my child=3")
    assert refused.exit_code == 2 and "not one of your activities" in refused.stderr
    replaced = run("outcomes", "rate", "--activity", "lift my child=3", "--replace", "--format", "json")
    assert replaced.exit_code == 0, replaced.output
    assert json.loads(replaced.output)["activities"][0]["name"] == "lift my child"
    assert OutcomeRating.objects.count() == 2


def test_rename_keeps_the_series():
    run(*RATE)
    result = run("outcomes", "rename", "run 5 km", "run 5 km easy", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["activities"][0]["name"] == "run 5 km easy"
    again = run("outcomes", "rate", "--activity", "run 5 km easy=8", "--activity", "sit through a meeting=6")
    assert again.exit_code == 0 and "a real change" in again.output  # 4 -> 8 on the same series
    assert run("outcomes", "rename", "swim", "swim far").exit_code == 2


def test_global_change_is_accepted_from_the_second_full_check_on():
    user = local_user()
    check_symptoms(SELF_MANAGE, user)
    check_symptoms(SELF_MANAGE, user)
    result = run(*RATE, "--change", "a_little_better", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["global_change"] == "a_little_better"
    answers = json.loads(run("outcomes", "--format", "json").output)["global_change"]
    assert [answer["text"] for answer in answers] == ["a little better"]


# --- at the end of an interactive check -------------------------------------------------------------


@click.command()
def after_check() -> None:
    ask_outcomes_interactively(local_user(), local_today())


def test_first_check_names_and_rates_up_to_three_activities_without_the_global_change():
    check_symptoms(SELF_MANAGE, local_user())
    typed = "y\nrun 5 km\nRUN 5 KM\nlift my child\n\n3\n5\n"  # a repeated name is asked again
    result = CliRunner().invoke(after_check, input=typed)
    assert result.exit_code == 0, result.output
    assert "repeats 'run 5 km'" in result.output and "Compared with your first check" not in result.output
    rating = OutcomeRating.objects.get()
    assert rating.source == "check" and rating.symptom_check is not None and rating.mean == 4.0
    assert [a.name for a in OutcomeActivity.objects.order_by("position")] == ["run 5 km", "lift my child"]


def test_a_later_check_re_rates_and_asks_the_global_change():
    user = local_user()
    check_symptoms(SELF_MANAGE, user)
    CliRunner().invoke(after_check, input="y\nrun 5 km\n\n4\n")
    check_symptoms(SELF_MANAGE, user)
    result = CliRunner().invoke(after_check, input="y\n7\n6\n")  # 7/10, then "better" (6th of 7)
    assert result.exit_code == 0, result.output
    assert "Compared with your first check" in result.output
    latest = OutcomeRating.objects.order_by("-id").first()
    assert latest is not None and latest.mean == 7.0 and latest.global_change == "better"


def test_nothing_is_asked_after_an_emergency_stop_or_when_declined():
    user = local_user()
    check_symptoms(SELF_MANAGE, user, completed=False)
    assert CliRunner().invoke(after_check, input="y\n").output == ""
    check_symptoms(SELF_MANAGE, user)
    declined = CliRunner().invoke(after_check, input="n\n")
    assert "later" in declined.output and OutcomeRating.objects.count() == 0


def test_stopping_half_way_saves_nothing_and_does_not_fail():
    check_symptoms(SELF_MANAGE, local_user())
    result = CliRunner().invoke(after_check, input="y\nrun 5 km\n\n")  # input ends before the rating
    assert result.exit_code == 0 and "Not rated" in result.output
    assert OutcomeRating.objects.count() == 0 and OutcomeActivity.objects.count() == 0
