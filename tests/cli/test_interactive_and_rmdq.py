"""Interactive `backstride check` (stops at once on an emergency answer), `rmdq` and `settings`."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from backstride.cli import main
from backstride.storage.models import RmdqResponse, SymptomCheck

pytestmark = pytest.mark.django_db


def test_interactive_check_stops_at_first_emergency_answer():
    # About you: age 40, sex 2 (male); then saddle numbness, option 1 is "Yes".
    result = CliRunner().invoke(main, ["check"], input="40\n2\n1\n")
    assert result.exit_code == 0, result.output
    assert "STOP" in result.output
    assert "bladder" not in result.output.lower()  # no question after the emergency answer
    check = SymptomCheck.objects.get()
    assert check.urgency == "emergency" and check.completed is False
    # The emergency result names no pattern and no STarT Back score: neither was asked.
    assert "fit a pattern" not in result.output.split("STOP")[1]
    assert "STarT Back: not asked" in result.output
    assert check.likely_pattern == "not_assessed" and check.startback_risk == "not_asked"


def test_interactive_check_walks_the_whole_path_with_skip_logic():
    # "2" everywhere: "No" for yes/no, the second choice otherwise (numbness in one leg, ...), 2 for numbers.
    result = CliRunner().invoke(main, ["check", "--no-save"], input="2\n" * 200)
    assert result.exit_code == 0, result.output
    assert "May I run today?" in result.output
    assert "getting worse or spreading" in result.output  # asked: numbness in one leg was reported
    assert "most recent run" not in result.output  # not asked: no run since the pain began
    assert "Overall, how bothersome" in result.output  # Keele wording for STarT Back item 9
    assert SymptomCheck.objects.count() == 0


def test_rmdq_scores_and_reports_change_against_the_first_score():
    first = CliRunner().invoke(main, ["rmdq", "--ticked", "1,2,3,4,5,6,7,8,9,10", "--format", "json"])
    assert json.loads(first.output)["score"] == 10
    second = CliRunner().invoke(main, ["rmdq", "--ticked", "1,2,3,4", "--format", "json"])
    data = json.loads(second.output)
    assert data["score"] == 4 and data["direction"] == "better" and data["change_from_baseline"] == -6
    assert RmdqResponse.objects.count() == 2


def test_rmdq_rejects_out_of_range_items_and_saves_nothing():
    result = CliRunner().invoke(main, ["rmdq", "--ticked", "3,25"])
    assert result.exit_code == 2
    assert "1 to 24" in result.stderr
    assert RmdqResponse.objects.count() == 0


def test_settings_country_validates_codes():
    assert CliRunner().invoke(main, ["settings", "--country", "ZZ"]).exit_code == 2
    result = CliRunner().invoke(main, ["settings", "--country", "de", "--format", "json"])
    assert json.loads(result.output) == {
        "country": "DE",
        "emergency_number": "112",
        "urgent": "116117",
        "units": "km",
    }
