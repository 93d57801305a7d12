"""Regression tests for the review findings: each failed before its fix."""

from __future__ import annotations

import json
import os
import stat
import zipfile

import pytest
from click.testing import CliRunner
from tests.cases import EMERGENCY, SELF_MANAGE
from tests.conftest import SHARED

from backstride.cli import main
from backstride.core.triage import evaluate
from backstride.core.triage.report import build_report
from backstride.services import imports
from backstride.services.users import local_user
from backstride.storage.models import Activity, SymptomCheck

DATA = SHARED / "data" / "activities"


def test_urgent_results_carry_no_routine_self_care():
    for answers in (EMERGENCY, {**SELF_MANAGE, "leg_weakness": "one_leg"}):
        report = build_report(evaluate(answers), answers)
        assert report["urgency"] in ("emergency", "doctor_soon")
        assert report["pattern_self_care"] == [] and report["pattern_summary"] is None
    calm = build_report(evaluate(SELF_MANAGE), SELF_MANAGE)
    assert calm["pattern_self_care"] and calm["pattern_summary"]


@pytest.mark.parametrize(
    "answers",
    [
        {"numbness_tingling": "one_leg", "infection_risk": True},  # P1 masks the nerve-root picture
        {"cancer_history": True, "pain_extent": "below_knee"},
        {"weight_loss": True},  # doctor_soon: its advice points to the warning list
    ],
)
def test_safety_net_list_is_shown_when_a_serious_flag_masks_leg_symptoms(answers):
    assert "ces-safety-net" in evaluate(answers).advice_ids


@pytest.mark.django_db
def test_duplicate_keys_in_an_answers_file_are_refused(tmp_path):
    path = tmp_path / "a.json"
    path.write_text('{"saddle_numbness": true, "pain_now": 2, "saddle_numbness": false}')
    result = CliRunner().invoke(main, ["check", "--answers", str(path), "--format", "json"])
    assert result.exit_code == 2
    assert [p["item_id"] for p in json.loads(result.stdout)["problems"]] == ["saddle_numbness"]
    assert SymptomCheck.objects.count() == 0


@pytest.mark.django_db
def test_web_refuses_a_duration_longer_than_the_age_at_the_question(client):
    client.post("/check/")
    client.post("/check/question/", {"item": "age", "value": "30"})
    response = client.post("/check/question/", {"item": "duration_days", "value": "20000"})
    assert response.status_code == 400 and "longer than your age" in response.content.decode()
    assert "duration_days" not in client.session["check_draft"]["answers"]


@pytest.mark.django_db
def test_stored_emergency_page_uses_the_country_set_now(client):
    client.post("/check/")
    response = client.post("/check/question/", {"item": "saddle_numbness", "value": "true"})
    client.post("/settings/", {"country": "GB"})
    page = client.get(response["Location"]).content.decode()
    assert 'href="tel:999"' in page


@pytest.mark.django_db
def test_one_damaged_archive_member_does_not_stop_the_rest(tmp_path):
    good = (DATA / "fit" / "fitparse__garmin-fenix-5-run.fit").read_bytes()
    other = (DATA / "fit" / "fitparse__activity-small-fenix2-run.fit").read_bytes()
    path = tmp_path / "runs.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("a.fit", good)
        archive.writestr("b.fit", other)
    raw = bytearray(path.read_bytes())
    offset = raw.find(other[200:240])
    raw[offset] ^= 0xFF  # flip a byte inside b.fit: its CRC no longer matches
    path.write_bytes(bytes(raw))
    report = imports.import_paths(local_user(), [path])
    assert report["imported"] == 1
    assert [entry["path"] for entry in report["failed"]] == [f"{path}!b.fit"]


@pytest.mark.django_db
def test_activities_without_distance_or_of_another_sport_are_not_duplicates():
    from datetime import UTC, datetime

    from backstride.core.activity import ParsedActivity
    from backstride.core.activity_summary import ActivitySummary
    from backstride.importers.pipeline import ParsedFile, ParsedPart

    user = local_user()
    start = datetime(2026, 6, 1, 18, 0, tzinfo=UTC)

    def part(sport: str, distance: float | None) -> ParsedFile:
        summary = ActivitySummary(
            sport, None, False, distance, 3600, 3600, None, None, None, None, None, None
        )
        return ParsedFile(f"{sport}.x", "", [ParsedPart(ParsedActivity("manual", start, sport), summary)])

    source = imports.ImportSource(path="export")
    for parsed in (part("other", None), part("other", None), part("running", 5000), part("cycling", 5000)):
        imports._store(user, source, parsed)
    assert Activity.objects.count() == 4


def test_data_folder_and_secret_key_are_private(tmp_path, monkeypatch):
    from backstride import config

    monkeypatch.setenv("BACKSTRIDE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("BACKSTRIDE_SECRET_KEY", raising=False)
    folder = config.data_dir()
    key = config.secret_key()
    assert key and stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(os.stat(folder / "secret_key").st_mode) == 0o600
