"""`backstride check --answers FILE [--format json] [--no-save]`, the non-interactive contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.cases import EMERGENCY, SEE_A_DOCTOR, SELF_MANAGE

from backstride.cli import main
from backstride.storage.models import SymptomCheck

pytestmark = pytest.mark.django_db

CONTRACT_FIELDS = {"urgency", "red_flags", "likely_pattern", "run_today", "startback", "reasons", "sources"}


def run(args: list[str], tmp_path: Path, answers: object | None = None, raw: str | None = None):
    if answers is not None or raw is not None:
        path = tmp_path / "answers.json"
        path.write_text(raw if raw is not None else json.dumps(answers), encoding="utf-8")
        args = [*args, "--answers", str(path)]
    return CliRunner().invoke(main, args, catch_exceptions=False)


@pytest.mark.parametrize(
    ("answers", "urgency", "run_today", "pattern", "red_flags"),
    [
        (SELF_MANAGE, "self_manage", "green", "muscular", []),
        (SEE_A_DOCTOR, "doctor_soon", "red", "bone_or_serious", ["D4"]),
        (EMERGENCY, "emergency", "red", "nerve_root", ["E1"]),
    ],
)
def test_json_report_carries_the_contract_fields(tmp_path, answers, urgency, run_today, pattern, red_flags):
    result = run(["check", "--format", "json", "--no-save"], tmp_path, answers)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report.keys() >= CONTRACT_FIELDS
    assert report["urgency"] == urgency
    assert report["run_today"] == run_today
    assert report["likely_pattern"] == pattern
    assert report["red_flags"] == red_flags
    assert set(report["startback"]) >= {"total", "psychosocial", "risk"}
    assert report["startback"]["risk"] == "low"
    assert all(source["citation"] for source in report["sources"])
    assert {reason["rule"] for reason in report["reasons"]} >= set(red_flags)


def test_no_save_stores_nothing_and_default_saves_one(tmp_path):
    run(["check", "--format", "json", "--no-save"], tmp_path, SELF_MANAGE)
    assert SymptomCheck.objects.count() == 0
    result = run(["check", "--format", "json"], tmp_path, SELF_MANAGE)
    assert result.exit_code == 0
    assert SymptomCheck.objects.count() == 1
    assert json.loads(result.output)["id"] == SymptomCheck.objects.get().id


def test_missing_items_count_as_no(tmp_path):
    result = run(["check", "--format", "json", "--no-save"], tmp_path, {"pain_now": 4})
    report = json.loads(result.output)
    assert report["urgency"] == "self_manage"
    assert report["run_today"] == "amber"  # A1: pain 3-5
    assert report["likely_pattern"] == "nonspecific"


@pytest.mark.parametrize(
    ("raw", "expected_ids"),
    [
        ("{not json", ["(file)"]),
        ("[1, 2]", ["(file)"]),
        (
            json.dumps({"pain_now": 11, "saddle_numbness": "yes", "bogus_item": True, "onset": "slowly"}),
            ["pain_now", "saddle_numbness", "bogus_item", "onset"],
        ),
        (json.dumps({"age": -3}), ["age"]),
        (json.dumps({"pain_now": 4.5}), ["pain_now"]),
    ],
)
def test_bad_file_exits_2_lists_every_problem_and_saves_nothing(tmp_path, raw, expected_ids):
    result = run(["check", "--format", "json"], tmp_path, raw=raw)
    assert result.exit_code == 2
    payload = json.loads(result.stdout)
    assert [problem["item_id"] for problem in payload["problems"]] == expected_ids
    for item_id in expected_ids:
        assert item_id in result.stderr
    assert SymptomCheck.objects.count() == 0


def test_missing_file_exits_2(tmp_path):
    result = CliRunner().invoke(main, ["check", "--answers", str(tmp_path / "nope.json")])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_text_output_leads_with_urgency_then_run_today_then_pattern(tmp_path):
    result = run(["check", "--no-save"], tmp_path, SEE_A_DOCTOR)
    assert result.exit_code == 0
    out = result.output
    assert out.index("24") < out.index("May I run today? RED") < out.index("pattern often called")
    assert "[D4]" in out


def test_country_setting_changes_the_emergency_number(tmp_path):
    gb = json.loads(
        run(["check", "--format", "json", "--no-save", "--country", "GB"], tmp_path, EMERGENCY).output
    )
    us = json.loads(
        run(["check", "--format", "json", "--no-save", "--country", "US"], tmp_path, EMERGENCY).output
    )
    assert "999" in gb["urgency_action"] and "999" not in us["urgency_action"]
    assert "911" in us["urgency_action"]


def test_history_lists_saved_checks(tmp_path):
    run(["check", "--format", "json"], tmp_path, SELF_MANAGE)
    run(["check", "--format", "json"], tmp_path, EMERGENCY)
    result = CliRunner().invoke(main, ["history", "--format", "json"])
    rows = json.loads(result.output)["checks"]
    assert [row["urgency"] for row in rows] == ["emergency", "self_manage"]
    text = CliRunner().invoke(main, ["history"]).output
    assert "emergency" in text and "self_manage" in text


def test_huge_answers_file_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.json"
    path.write_text('{"pain_now": 3, "pad": "' + "x" * 1_100_000 + '"}')
    result = CliRunner().invoke(main, ["check", "--answers", str(path)])
    assert result.exit_code == 2
    assert "larger than 1 MB" in result.stderr
    assert SymptomCheck.objects.count() == 0


@pytest.mark.parametrize(
    ("extra", "urgency", "when", "pattern"),
    [
        ({"loin_colic": True}, "doctor_soon", "today", "not_from_the_back"),
        (
            {"hop_pain": "yes", "pain_builds_each_run": True, "low_energy_intake": True},
            "doctor_soon",
            "24-48h",
            "bone_stress",
        ),
        (
            {"sex": "female", "pregnant": True, "pregnancy_warning": False},
            "clinician_if_no_better",
            "1-2 weeks",
            "pregnancy_related",
        ),
        ({}, "self_manage", None, "muscular"),
    ],
)
def test_section_k_results_carry_urgency_when_and_the_new_patterns(tmp_path, extra, urgency, when, pattern):
    result = run(["check", "--format", "json", "--no-save"], tmp_path, {**SELF_MANAGE, **extra})
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["urgency"], report["urgency_when"], report["likely_pattern"]) == (urgency, when, pattern)
    assert SymptomCheck.objects.count() == 0


@pytest.mark.parametrize(
    ("item", "value"),
    [
        ("weeks_since_birth", 60),
        ("hop_pain", "maybe"),
        ("sex", "F"),
        ("loin_colic", "yes"),
        ("stress_leak", "not_sure"),
    ],
)
def test_a_bad_value_for_a_new_item_exits_2_naming_it_and_saves_nothing(tmp_path, item, value):
    result = run(["check", "--format", "json"], tmp_path, {**SELF_MANAGE, item: value})
    assert result.exit_code == 2
    problems = json.loads(result.stdout)["problems"]
    assert [problem["item_id"] for problem in problems] == [item]
    assert SymptomCheck.objects.count() == 0
