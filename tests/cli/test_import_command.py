"""`backstride import PATH... [--format json]` and `backstride activities`: the public contract."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner
from tests.conftest import SHARED

from backstride.cli import main

pytestmark = pytest.mark.django_db

DATA = SHARED / "data" / "activities"
ROW_FIELDS = {
    "id",
    "start_time",
    "sport",
    "indoor",
    "distance_m",
    "moving_time_s",
    "elapsed_time_s",
    "elevation_gain_m",
    "elevation_loss_m",
    "avg_cadence_spm",
    "avg_hr_bpm",
    "source_file",
    "partial",
}


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_json_report_fields_and_exit_0_when_all_imported(tmp_path):
    result = invoke(
        "import",
        str(DATA / "fit" / "fitparse__garmin-fenix-5-run.fit"),
        str(DATA / "tcx" / "gc__10kUNLP2014-Garmin15.tcx"),
        "--format",
        "json",
    )
    report = json.loads(result.stdout)
    assert {"imported", "skipped_duplicates", "failed", "activities"} <= set(report)
    assert result.exit_code == 0 and report["failed"] == []
    # Two files of one run each, both new.
    assert (report["imported"], report["skipped_duplicates"], len(report["activities"])) == (2, 0, 2)
    for row in report["activities"]:
        assert set(row) >= ROW_FIELDS
    run = next(row for row in report["activities"] if row["source_file"].endswith("fenix-5-run.fit"))
    assert run["sport"] == "running" and abs(run["distance_m"] - 157.6) < 0.1  # fitdecode: 157.56 m
    assert run["avg_cadence_spm"] == 167.3  # 2 x (83 per leg + the fractional part), to 0.1
    tcx = next(row for row in report["activities"] if row["source_file"].endswith(".tcx"))
    assert tcx["sport"] == "running" and tcx["distance_m"] == 10010.8


def test_exit_1_when_some_fail_but_the_rest_still_import(tmp_path):
    shutil.copy(DATA / "fit" / "fitparse__garmin-fenix-5-run.fit", tmp_path / "good.fit")
    shutil.copy(DATA / "bad" / "gpsbabel__trackfilter_discard_err.gpx", tmp_path / "bad.gpx")
    result = invoke("import", str(tmp_path / "good.fit"), str(tmp_path / "bad.gpx"), "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["imported"] == 1
    assert [entry["path"] for entry in report["failed"]] == [str(tmp_path / "bad.gpx")]


def test_duplicates_exit_0():
    path = str(DATA / "fit" / "fitparse__garmin-fenix-5-run.fit")
    invoke("import", path)
    result = invoke("import", path, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["skipped_duplicates"] == 1


def test_usage_errors_exit_2(tmp_path):
    assert CliRunner().invoke(main, ["import"]).exit_code == 2
    assert CliRunner().invoke(main, ["import", str(tmp_path / "missing.fit")]).exit_code == 2


def test_activities_lists_what_is_stored_with_the_same_fields():
    invoke("import", str(DATA / "fit" / "fitparse__garmin-fenix-5-run.fit"))
    rows = json.loads(invoke("activities", "--format", "json").stdout)["activities"]
    assert len(rows) == 1 and set(rows[0]) >= ROW_FIELDS
    assert "running" in invoke("activities").stdout
