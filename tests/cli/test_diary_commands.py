"""`backstride log pain`, `log morning`, `today` and `load`: the diary and the traffic light from the CLI."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from click.testing import CliRunner
from tests.cases import SELF_MANAGE

from backstride.cli import main
from backstride.config import local_today
from backstride.services.checks import check_symptoms
from backstride.services.users import local_user
from backstride.storage.models import DiaryEntry

pytestmark = pytest.mark.django_db


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def day(offset: int) -> str:
    return (local_today() + timedelta(days=offset)).isoformat()


def test_a_run_day_then_next_morning_then_today_gives_the_pain_monitoring_colour():
    invoke(
        "log",
        "pain",
        "--pain",
        "3",
        "--date",
        day(-1),
        "--where",
        "central",
        "--ran",
        "--before",
        "2",
        "--during",
        "4",
        "--after",
        "3",
        "--no-red-flags",
    )
    assert invoke("log", "morning", "2").exit_code == 0
    assert DiaryEntry.objects.get(day=local_today() - timedelta(days=1)).pain_next_morning == 2
    invoke("log", "pain", "--pain", "2", "--no-red-flags")
    data = json.loads(invoke("today", "--format", "json").stdout)
    assert data["run_today"] == "amber"
    assert [reason["rule"] for reason in data["reasons"]] == ["A3"]  # during 4/10
    assert data["sources"]


def test_without_todays_entry_it_asks_for_it():
    data = json.loads(invoke("today", "--format", "json").stdout)
    assert data["run_today"] is None and "Log today's pain" in data["message"]


def test_a_red_flag_at_check_in_escalates_at_once_until_a_new_full_check():
    result = invoke(
        "log",
        "pain",
        "--pain",
        "2",
        "--no-red-flags",
        "--red-flag",
        "saddle_numbness=yes",
        "--format",
        "json",
    )
    escalation = json.loads(result.stdout)["escalation"]
    assert escalation == {"urgency": "emergency", "urgency_when": "now", "red_flags": ["E1"]}
    data = json.loads(invoke("today", "--format", "json").stdout)
    assert data["run_today"] == "red" and data["escalation"]["urgency"] == "emergency"
    assert "R1" in [reason["rule"] for reason in data["reasons"]]
    check_symptoms(SELF_MANAGE, local_user())  # a new full check clears it
    invoke("log", "pain", "--pain", "2", "--no-red-flags")
    data = json.loads(invoke("today", "--format", "json").stdout)
    assert data["escalation"] is None and data["run_today"] == "green"


@pytest.mark.parametrize(
    ("args", "fields"),
    [
        (["--pain", "11", "--no-red-flags"], ["pain_now"]),
        (["--pain", "3", "--where", "knee", "--no-red-flags"], ["locations"]),
        (["--pain", "3", "--date", day(3), "--no-red-flags"], ["day"]),
    ],
)
def test_impossible_check_ins_exit_2_and_save_nothing(args, fields):
    result = CliRunner().invoke(main, ["log", "pain", *args, "--format", "json"])
    assert result.exit_code == 2
    assert [problem["item_id"] for problem in json.loads(result.stdout)["problems"]] == fields
    assert DiaryEntry.objects.count() == 0


def test_safety_questions_are_required_when_not_on_a_terminal():
    result = CliRunner().invoke(main, ["log", "pain", "--pain", "3"])
    assert result.exit_code == 2 and "--no-red-flags" in result.output


def test_editing_a_day_replaces_it():
    invoke("log", "pain", "--pain", "5", "--no-red-flags")
    invoke("log", "pain", "--pain", "1", "--no-red-flags")
    assert list(DiaryEntry.objects.values_list("pain_now", flat=True)) == [1]


def test_load_reports_series_spike_progression_and_acwr_with_reasons():
    invoke("log", "run", "--date", day(-10), "--distance", "5", "--duration", "30", "--rpe", "4")
    invoke("log", "run", "--date", day(-2), "--distance", "8", "--duration", "50", "--rpe", "6")
    data = json.loads(invoke("load", "--format", "json").stdout)
    assert {"daily", "weekly", "spike", "progression", "acwr"} <= set(data)
    assert sum(row["distance_m"] for row in data["daily"]) == 13_000
    assert len(data["daily"]) == 84  # rest days materialised as zeros
    assert data["spike"]["ratio"] == 1.6 and data["spike"]["band"] == "moderate"
    assert data["acwr"]["rolling_uncoupled"] is None and data["acwr"]["reason"]
    assert CliRunner().invoke(main, ["load", "--from", "2026-13-01"]).exit_code == 2


def test_delete_run_and_day_from_the_cli():
    run_id = json.loads(
        invoke("log", "run", "--distance", "5", "--duration", "30", "--format", "json").stdout
    )["id"]
    assert invoke("log", "delete-run", str(run_id)).exit_code == 0
    assert CliRunner().invoke(main, ["log", "delete-run", str(run_id)]).exit_code == 1
    invoke("log", "pain", "--pain", "2", "--no-red-flags")
    assert invoke("log", "delete-day", local_today().isoformat()).exit_code == 0
    assert DiaryEntry.objects.count() == 0


def test_no_red_flags_never_assumes_the_leg_side_when_pain_spreads():
    result = CliRunner().invoke(
        main, ["log", "pain", "--pain", "3", "--where", "below_knee", "--no-red-flags", "--format", "json"]
    )
    assert result.exit_code == 2
    assert "red_flags.leg_pain_side" in [p["item_id"] for p in json.loads(result.stdout)["problems"]]
    result = CliRunner().invoke(
        main,
        [
            "log",
            "pain",
            "--pain",
            "3",
            "--where",
            "below_knee",
            "--no-red-flags",
            "--red-flag",
            "leg_pain_side=both_legs",
            "--format",
            "json",
        ],
    )
    assert json.loads(result.stdout)["escalation"]["urgency"] == "emergency"  # E5
