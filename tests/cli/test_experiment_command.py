"""`backstride experiment start|status|stop|list`: JSON, one at a time, early stop."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from click.testing import CliRunner
from tests.experiment_data import fill_experiment

from backstride.cli import main
from backstride.config import local_today
from backstride.services.users import local_user

pytestmark = pytest.mark.django_db


def invoke(*args: str):
    return CliRunner().invoke(main, ["experiment", *args], catch_exceptions=False)


def as_json(*args: str):
    result = invoke(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_start_status_stop_list_as_json():
    assert as_json("status") == {"experiment": None}
    row = as_json("start", "no_hills")
    assert row["kind"] == "no_hills" and row["param"] == "15" and row["open"] and row["days_left"] == 14
    assert set(row) >= {"title", "rule", "start", "end", "days_done", "adherence", "verdict"}
    assert as_json("status")["experiment"]["id"] == row["id"]
    stopped = as_json("stop")
    assert not stopped["open"] and stopped["verdict"]["verdict"] == "not enough data"
    assert "not proof" in stopped["verdict"]["words"]
    assert [one["id"] for one in as_json("list")["experiments"]] == [row["id"]]


def test_a_second_experiment_is_refused_with_the_reason():
    assert invoke("start", "break_up_sitting", "--param", "5").exit_code == 0
    result = invoke("start", "no_hills", "--format", "json")
    assert result.exit_code == 2
    problem = json.loads(result.stdout)["problems"][0]
    assert problem["item_id"] == "kind" and "stop it first" in problem["message"]


def test_bad_parameter_and_day_exit_2_and_stop_without_one_exits_1():
    assert invoke("start", "no_hills", "--param", "steep").exit_code == 2
    assert invoke("start", "switch_shoes").exit_code == 2
    assert invoke("start", "no_hills", "--from", "9999-12-31").exit_code == 2
    result = invoke("stop")
    assert result.exit_code == 1 and "no experiment is running" in result.output


def test_a_finished_experiment_has_a_clear_verdict_in_the_list():
    today = local_today()
    start = today - timedelta(days=14)
    fill_experiment(local_user(), start, today, before=6, during=2)
    assert invoke("start", "no_hills", "--from", start.isoformat()).exit_code == 0
    assert as_json("status") == {"experiment": None}  # its 14 days are over
    (row,) = as_json("list")["experiments"]
    verdict = row["verdict"]
    assert verdict["verdict"] == "clear difference" and verdict["difference"] < -3
    assert verdict["before_days"] == verdict["during_days"] == 14
    assert row["adherence"]["kept"] == row["adherence"]["counted"] == 7
    text = invoke("list").output
    assert "Clear difference" in text and "A-B-A" in text
