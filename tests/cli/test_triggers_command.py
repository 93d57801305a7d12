"""`backstride triggers [--format json]` on the shared activity files plus a simulated diary."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from tests.triggers_demo import make_demo_runner

from backstride.cli import main
from backstride.config import local_today
from backstride.services.users import local_user

pytestmark = pytest.mark.django_db


def invoke(*args: str):
    result = CliRunner().invoke(main, ["triggers", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def test_with_two_weeks_it_says_what_is_missing():
    make_demo_runner(local_user(), local_today(), weeks=2)
    text = invoke().output
    assert text.startswith("Not enough data yet (")
    assert "  - 7 more weeks of check-ins with a morning pain rating" in text
    body = json.loads(invoke("--format", "json").stdout)
    assert body["ready"] is False and body["findings"] == [] and body["missing"]
    assert {"checkin_days", "rated_runs", "flares", "tests", "left_out", "association_not_cause"} <= set(body)


def test_with_sixteen_weeks_it_ranks_findings_with_intervals_days_and_an_experiment():
    make_demo_runner(local_user(), local_today(), weeks=16)
    text = invoke().output
    first = text.splitlines()[0]
    assert first.startswith("1. Hilly runs: After a run with over 15 m climb per km, next-morning pain was")
    assert "likely between" in first and "an association, not proof of cause." in first
    assert "   Test it for two weeks: backstride experiment start no_hills" in text
    assert "Taken together:\n  - Taking " in text
    body = json.loads(invoke("--format", "json").stdout)
    top = body["findings"][0]
    assert body["ready"] is True and top["factor"] == "hilly_run" and top["lag_days"] == 0
    assert top["low"] <= top["effect"] <= top["high"] and top["days"] > 0
    expected = {"outcome", "outcome_words", "factor", "factor_title", "per", "lag_days", "effect", "low",
                "high", "units", "days", "p", "p_adjusted", "sentence", "experiment", "chart"}  # fmt: skip
    assert expected <= set(top)
    assert set(body["joint"]) == {"effects", "dropped"} and body["joint"]["effects"]
