"""The exact keys of every JSON the CLI prints from the plan, run-today, check, history and rmdq
services: scripts read them by name, so a key added, dropped or renamed must fail here (issue 12)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from icalendar import Calendar
from tests.cases import EMERGENCY, SELF_MANAGE

from backstride.cli import main
from backstride.config import local_today
from backstride.core.diary import A8_ITEMS
from backstride.core.plan import plan_rules
from backstride.services.checks import check_symptoms
from backstride.services.diary import log_check_in
from backstride.services.users import local_user

pytestmark = pytest.mark.django_db

PLAN_KEYS = {
    "week_start",
    "blocked",
    "blocked_rule",
    "stage",
    "stage_decision",
    "run_today",
    "days",
    "notes",
    "rule_ids",
    "sources",
    "plan_since",
    "readiness",
    "adherence",
    "adjustments",  # issue 15: a clinician's changes in force (empty in local mode)
}
DAY_KEYS = {"day", "weekday", "items"}
ITEM_KEYS = {
    "key",
    "done",
    "kind",
    "exercise_id",
    "title",
    "dose",
    "minutes",
    "why",
    "rule_ids",
    "sources",
    "terrain",
    "caution",
    "hold_s",
    "sets",
    "per_side",
    "rest_s",
    "alternative",
    "step_key",
    "step",
    "check_id",
    "physio",  # issue 15: the physio's words when a clinician changed the item, else null
}
STAGE_DECISION_KEYS = {"stage", "action", "rule_id", "reason"}
NOTE_KEYS = {"text", "rule_ids", "sources", "physio"}  # physio: issue 15
SOURCE_KEYS = {"id", "citation"}
ADHERENCE_KEYS = {"through", "planned", "done", "percent", "by_kind"}
READINESS_KEYS = {"tick_means", "done", "total", "passed_on", "stage_opens", "checks"}
READINESS_CHECK_KEYS = {"id", "key", "title", "done_on"}
TODAY_KEYS = {
    "date",
    "run_today",
    "message",
    "urgency",
    "reasons",
    "escalation",
    "full_check_due",
    "latest_full_check",
    "sources",
    "based_on",  # issue 13: added (a full check done today counts as today's check-in)
}
REASON_KEYS = {"rule", "text", "answers"}
ALERT_KEYS = {"source", "day", "urgency", "urgency_when", "headline", "action", "rules"}
REPORT_KEYS = {
    "engine_version",
    "urgency",
    "urgency_when",
    "urgency_headline",
    "urgency_action",
    "red_flags",
    "urgency_rules",
    "rule_ids",
    "likely_pattern",
    "likely_pattern_name",
    "pattern_rule",
    "pattern_summary",
    "pattern_self_care",
    "pattern_disclaimer",
    "run_today",
    "startback",
    "inflammatory",
    "reasons",
    "advice",
    "sources",
    "emergency_contact",
    "answers",
    "completed",
    "birth_date",
}
SAVED_REPORT_KEYS = REPORT_KEYS | {"id", "created_at"}
SUMMARY_KEYS = {
    "id",
    "created_at",
    "urgency",
    "urgency_when",
    "run_today",
    "likely_pattern",
    "startback_total",
    "startback_risk",
    "pain_now",
    "completed",
}
RMDQ_ROW_KEYS = {"id", "created_at", "score", "change_from_baseline", "direction", "message"}
NO = {
    item: ("none" if item in ("leg_pain_side", "numbness_tingling", "leg_weakness") else False)
    for item in A8_ITEMS
}


def json_of(*args: str) -> object:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def assert_plan_keys(data: dict) -> None:
    assert set(data) == PLAN_KEYS
    for day in data["days"]:
        assert set(day) == DAY_KEYS
        assert all(set(item) == ITEM_KEYS for item in day["items"])
    assert all(set(note) == NOTE_KEYS for note in data["notes"])
    assert all(set(source) == SOURCE_KEYS for source in data["sources"])
    if data["stage_decision"] is not None:
        assert set(data["stage_decision"]) == STAGE_DECISION_KEYS
    if data["adherence"] is not None:
        assert set(data["adherence"]) == ADHERENCE_KEYS
        assert all(set(counts) == {"done", "planned"} for counts in data["adherence"]["by_kind"].values())
    if data["readiness"] is not None:
        assert set(data["readiness"]) == READINESS_KEYS
        assert all(set(check) == READINESS_CHECK_KEYS for check in data["readiness"]["checks"])


def test_plan_json_keys_without_a_check():
    data = json_of("plan", "--format", "json")
    assert_plan_keys(data)
    assert data["blocked"] and data["adherence"] is None


def test_plan_json_keys_of_a_returning_runner_and_log_done():
    user = local_user()
    check_symptoms({**SELF_MANAGE, "ran_since_onset": False, "duration_days": 10}, user)
    run_day = {"pain_now": 1, "ran": True, "pain_before_run": 1, "pain_during_run": 2, "pain_after_run": 1}
    log_check_in(user, {**run_day, "day": local_today() - timedelta(days=2), "red_flags": NO}, local_today())
    data = json_of("plan", "--format", "json")
    assert_plan_keys(data)
    assert data["stage_decision"] is not None and data["adherence"] is not None and data["notes"]
    assert data["adherence"]["by_kind"]
    # An item the runner may tick: on a day from the plan's start (today's check) up to today; the
    # week's earlier days came before the plan (on a Tuesday, Monday's items cannot be ticked).
    tickable = [
        (item["key"], day["day"])
        for day in data["days"]
        if data["plan_since"] <= day["day"] <= local_today().isoformat()
        for item in day["items"]
        if item["kind"] != "rest"
    ]
    if not tickable:
        return  # today is a rest day: nothing to tick yet
    key, day = tickable[0]
    done = json_of("log", "done", key, "--date", day, "--format", "json")
    assert set(done) == {"day", "item", "done", "adherence"}
    assert set(done["adherence"]) == ADHERENCE_KEYS


def test_plan_json_keys_after_a_birth():
    after_birth = {**SELF_MANAGE, "sex": "female", "age": 31, "pregnant": False, "weeks_since_birth": 20}
    after_birth |= {"pelvic_floor_symptoms": False, "stress_leak": False}
    after_birth.pop("hop_pain")
    check_symptoms(after_birth, local_user())
    data = json_of("plan", "--format", "json")
    assert_plan_keys(data)
    assert data["readiness"] is not None
    assert len(data["readiness"]["checks"]) == len(plan_rules().readiness_checks)


def test_plan_ics_reads_the_items_of_the_json(tmp_path: Path):
    check_symptoms(SELF_MANAGE, local_user())
    ics = tmp_path / "week.ics"
    data = json_of("plan", "--format", "json", "--ics", str(ics))
    items = [item for day in data["days"] for item in day["items"] if item["kind"] != "rest"]
    events = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    # One event per session (issue 13 item 7): every item is named in its day's event.
    for day in data["days"]:
        texts = [
            f"{event['summary']}\n{event['description']}"
            for event in events
            if event.decoded("dtstart").isoformat() == day["day"]
        ]
        assert len(texts) <= 3
        for item in day["items"]:
            if item["kind"] != "rest":
                assert any(item["title"] in text for text in texts), item["title"]
    assert items and len(events) < len(items)


def test_today_json_keys_with_and_without_an_escalation():
    data = json_of("today", "--format", "json")
    assert set(data) == TODAY_KEYS and data["escalation"] is None
    check_symptoms(EMERGENCY, local_user(), completed=False)
    data = json_of("today", "--format", "json")
    assert set(data) == TODAY_KEYS
    assert set(data["escalation"]) == ALERT_KEYS
    assert data["reasons"] and all(set(reason) == REASON_KEYS for reason in data["reasons"])
    assert data["sources"] and all(set(source) == SOURCE_KEYS for source in data["sources"])


def test_check_json_keys_saved_and_not(tmp_path: Path):
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(SELF_MANAGE), encoding="utf-8")
    unsaved = json_of("check", "--format", "json", "--no-save", "--answers", str(answers))
    assert set(unsaved) == REPORT_KEYS
    saved = json_of("check", "--format", "json", "--answers", str(answers))
    assert set(saved) == SAVED_REPORT_KEYS


def test_history_and_rmdq_json_keys():
    assert json_of("history", "--format", "json") == {"checks": [], "rmdq": []}
    check_symptoms(SELF_MANAGE, local_user())
    first = json_of("rmdq", "--ticked", "1,2,3", "--format", "json")
    assert set(first) == {"score", "max", "id", "message"}
    later = json_of("rmdq", "--ticked", "1", "--format", "json")
    assert set(later) == {"score", "max", "id", "message", "change_from_baseline", "direction"}
    data = json_of("history", "--format", "json")
    assert set(data) == {"checks", "rmdq"}
    assert len(data["checks"]) == 1 and all(set(row) == SUMMARY_KEYS for row in data["checks"])
    assert len(data["rmdq"]) == 2 and all(set(row) == RMDQ_ROW_KEYS for row in data["rmdq"])
