"""The exact keys, nested too, of every `--format json` object that import, activities, shoes, outcomes
and exercises print: public contracts (issue 12 item 3). A key added, renamed or dropped fails here.
(`backstride gait`: tests/services/test_gait_service.py, with the pose backend faked.)"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from tests.cases import SELF_MANAGE
from tests.conftest import SHARED

from backstride.cli import main
from backstride.services.checks import check_symptoms
from backstride.services.users import local_user
from backstride.storage.models import Activity

pytestmark = pytest.mark.django_db

DATA = SHARED / "data" / "activities"
RUN_FIT = DATA / "fit" / "fitparse__garmin-fenix-5-run.fit"
BAD_GPX = DATA / "bad" / "gpsbabel__trackfilter_discard_err.gpx"

ACTIVITY_ROW = {
    *("id", "start_time", "utc_offset_s", "day", "sport", "sub_sport", "indoor", "name", "distance_m"),
    *("moving_time_s", "elapsed_time_s", "elevation_gain_m", "elevation_loss_m", "uphill_share"),
    *("downhill_share", "avg_cadence_spm", "avg_hr_bpm", "rpe", "gear", "shoe", "source_file"),
    *("source_format", "partial", "partial_reason"),
    *("display_name", "local_start", "pace_s_per_km"),  # added for the pages (issue 13 item 5)
}
IMPORT_REPORT = {"imported", "skipped_duplicates", "failed", "activities", "ignored_non_activity_files"}
SHOE_ROW = {
    *("id", "name", "brand", "model", "km", "start_km", "replacement_km", "percent", "bought", "retired"),
    *("is_default", "runs", "new_shoe", "alert"),
}
SHOE_ALERT = {"level", "message", "sources", "advice_id"}
CHANGE = {"change_from_first", "real_change", "direction"}
RATING_ROW = {
    *("id", "created_at", "source", "check_id", "mean", "message", "activities", "global_change"),
    "global_change_text",
    *CHANGE,
}
RATED_ACTIVITY = {"activity_id", "name", "rating", *CHANGE}
ACTIVITY_SERIES = {"id", "name", "current", "ratings", "first_rating", "latest_rating", "message", *CHANGE}
OUTCOMES_REPORT = {
    *("activities", "ratings", "global_change", "thresholds", "rmdq", "rmdq_threshold", "rerating_due"),
    *("last_rated_on", "next_rating_due"),
}
EXERCISE_ROW = {
    *("id", "name", "category", "level", "dosage", "dosage_text", "steps", "muscles", "equipment"),
    *("progression", "regression", "patterns", "cautions", "loads", "avoid_for", "gradual_for"),
    *("pregnancy_ok", "pregnancy_swap", "evidence_note", "sources", "stages"),
}
DOSAGE = {"sets", "reps", "hold_s", "duration_min", "rest_s", "per_side", "frequency"}
SOURCE = {"id", "citation"}


def invoke(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output  # 1: the import with a broken file
    return result.stdout


def as_json(*args: str) -> object:
    return json.loads(invoke(*args))


def test_import_and_activities():
    report = as_json("import", str(RUN_FIT), str(BAD_GPX), "--workers", "1", "--format", "json")
    assert set(report) == IMPORT_REPORT
    assert [set(failure) for failure in report["failed"]] == [{"path", "error"}]
    assert [set(row) for row in report["activities"]] == [ACTIVITY_ROW]
    listed = as_json("activities", "--format", "json")
    assert set(listed) == {"activities"}
    assert [set(row) for row in listed["activities"]] == [ACTIVITY_ROW]


def test_shoes_list_add_and_assign():
    added = as_json("shoes", "add", "Old pair", "--start-km", "690", "--default", "--format", "json")
    assert set(added) == SHOE_ROW and set(added["alert"]) == SHOE_ALERT
    invoke("import", str(RUN_FIT), "--workers", "1")
    run_id = str(Activity.objects.get().id)  # not 1 on PostgreSQL, whose ids outlive a rolled-back test
    assigned = as_json("shoes", "assign", run_id, "Old pair", "--format", "json")
    assert set(assigned) == ACTIVITY_ROW and assigned["shoe"] == "Old pair"
    listed = as_json("shoes", "--format", "json")
    assert set(listed) == {"shoes"}
    assert [set(row) for row in listed["shoes"]] == [SHOE_ROW]
    assert set(as_json("shoes", "retire", "Old pair", "--format", "json")) == SHOE_ROW


def test_outcomes_rate_rename_and_report():
    rated = as_json("outcomes", "rate", "--activity", "run 5 km=4", "--activity", "sit=6", "--format", "json")
    assert set(rated) == RATING_ROW
    assert [set(item) for item in rated["activities"]] == [RATED_ACTIVITY, RATED_ACTIVITY]
    invoke("outcomes", "rate", "--activity", "run 5 km=8", "--activity", "sit=7")
    renamed = as_json("outcomes", "rename", "sit", "sit an hour", "--format", "json")
    assert set(renamed) == {"activities"} and [set(a) for a in renamed["activities"]] == [{"id", "name"}] * 2
    invoke("rmdq", "--ticked", "1,2,3")
    report = as_json("outcomes", "--format", "json")
    assert set(report) == OUTCOMES_REPORT
    assert [set(row) for row in report["ratings"]] == [RATING_ROW] * 2
    assert {frozenset(item) for row in report["ratings"] for item in row["activities"]} == {
        frozenset(RATED_ACTIVITY)
    }
    assert [set(series) for series in report["activities"]] == [ACTIVITY_SERIES] * 2
    assert {frozenset(point) for a in report["activities"] for point in a["ratings"]} == {
        frozenset({"created_at", "rating"})
    }
    assert set(report["thresholds"]) == {"mean", "single_activity", "source", "text"}
    assert set(report["rmdq_threshold"]) == {"points", "percent", "source", "text"}
    assert [set(row) for row in report["rmdq"]] == [
        {"id", "created_at", "score", "change_from_baseline", "direction", "message"}
    ]


def test_outcomes_global_change_answers():
    for _ in range(2):
        check_symptoms(SELF_MANAGE, local_user())
    invoke("outcomes", "rate", "--activity", "run 5 km=4", "--change", "a_little_better")
    answers = as_json("outcomes", "--format", "json")["global_change"]
    assert [set(answer) for answer in answers] == [{"created_at", "answer", "text"}]


def test_exercises_list_and_show():
    listed = as_json("exercises", "--format", "json")
    assert set(listed) == {"exercises"} and listed["exercises"]
    for row in listed["exercises"]:
        assert set(row) == EXERCISE_ROW, row["id"]
        assert set(row["dosage"]) == DOSAGE, row["id"]
        assert all(set(source) == SOURCE for source in row["sources"]), row["id"]
    walk_run = as_json("exercises", "show", "walk-run", "--format", "json")
    assert set(walk_run) == EXERCISE_ROW and walk_run["stages"]
    assert all(set(stage) == {"stage", "session", "minutes"} for stage in walk_run["stages"])


def keys(declared: type) -> set[str]:
    return set(declared.__required_keys__ | declared.__optional_keys__)  # type: ignore[attr-defined]


def test_the_declared_types_name_the_same_keys():
    """The TypedDicts mypy checks the services against name exactly the keys pinned above."""
    from backstride.services import exercises, imports, outcome_types, shoes

    assert keys(imports.ActivityRow) == ACTIVITY_ROW and keys(imports.ImportReport) == IMPORT_REPORT
    assert keys(imports.FailedFile) == {"path", "error"}
    assert keys(shoes.ShoeRow) == SHOE_ROW and keys(shoes.ShoeAlertJson) == SHOE_ALERT
    assert keys(exercises.ExerciseRow) == EXERCISE_ROW and keys(exercises.DosageJson) == DOSAGE
    assert keys(exercises.StageRow) == {"stage", "session", "minutes"}
    assert keys(outcome_types.RatingRow) == RATING_ROW
    assert keys(outcome_types.RatedActivity) == RATED_ACTIVITY
    assert keys(outcome_types.ActivitySeries) == ACTIVITY_SERIES
    assert keys(outcome_types.OutcomesReport) == OUTCOMES_REPORT
