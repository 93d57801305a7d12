"""import_paths end to end on the real shared files: every valid file in, broken ones reported,
duplicates stored once, one transaction per file."""

from __future__ import annotations

import gzip
import json
import shutil
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.conftest import SHARED

from backstride.core.activity import ParsedActivity
from backstride.core.activity_summary import ActivitySummary
from backstride.importers.pipeline import ParsedFile, ParsedPart, parse_source
from backstride.services import imports
from backstride.services.users import local_user
from backstride.storage.models import Activity

pytestmark = pytest.mark.django_db

DATA = SHARED / "data" / "activities"
MANIFEST = {entry["file"]: entry for entry in json.loads((DATA / "manifest.json").read_text())}
RUNNING_FIT = DATA / "fit" / "fitparse__garmin-fenix-5-run.fit"


def test_shared_data_is_present():
    assert DATA.is_dir(), "the shared/ folder must sit next to the repository (as in CI)"


def parts_in(files: list[Path]) -> dict[str, ParsedFile]:
    """Each file parsed on its own, as the import reads it (independent of what the import stored)."""
    return {path.name: parse_source(path.name, str(path), None) for path in files}


def test_every_fit_activity_file_is_imported_and_the_rest_is_reported(tmp_path):
    user = local_user()
    report = imports.import_paths(user, [DATA / "fit"], workers=2)
    failed = {entry["path"].split("/fit/")[-1]: entry["error"] for entry in report["failed"]}
    # The one failure: the SDK's DeveloperData.fit demo (3 records, no time at all).
    assert list(failed) == ["fitparse__DeveloperData.fit"]
    assert failed["fitparse__DeveloperData.fit"] == (
        "this FIT activity has no timestamps at all: nothing to date it by"
    )
    folder = sorted((DATA / "fit").iterdir())
    assert {f"fit/{path.name}" for path in folder} == {f for f in MANIFEST if f.startswith("fit/")}
    # Workouts, settings, weight and monitoring files are passed over (the manifest names their type).
    others = [path for path in folder if MANIFEST[f"fit/{path.name}"].get("ftype") not in ("activity", None)]
    assert report["ignored_non_activity_files"] == len(others) == 10
    parsed = parts_in([path for path in folder if path not in others and path.name not in failed])
    assert all(file.error is None and file.parts for file in parsed.values())
    # Every activity in the folder is either stored or skipped as a second copy: nothing lost.
    assert report["imported"] + report["skipped_duplicates"] == sum(len(f.parts) for f in parsed.values())
    assert report["imported"] == Activity.objects.filter(owner=user).count() == len(report["activities"])
    stored = {activity.source_file.split("/fit/")[-1] for activity in Activity.objects.filter(owner=user)}
    # Files missing from the store can only be second copies of a run already stored from another file.
    for name in sorted(set(parsed) - stored):
        for part in parsed[name].parts:
            start = part.activity.start_time
            assert Activity.objects.filter(
                owner=user, start_time__range=(start - timedelta(seconds=60), start + timedelta(seconds=60))
            ).exclude(source_file__endswith=f"/{name}"), name
    assert (report["imported"], report["skipped_duplicates"], len(stored)) == (132, 11, 120)


def test_all_gpx_and_tcx_files_import_or_say_why(tmp_path):
    report = imports.import_paths(local_user(), [DATA / "gpx", DATA / "tcx"], workers=2)
    folder = sorted(path for sub in ("gpx", "tcx") for path in (DATA / sub).iterdir())
    assert len(folder) == len([f for f in MANIFEST if f.split("/")[0] in ("gpx", "tcx")]) == 75
    parsed = parts_in(folder)
    assert report["failed"] == [] and all(file.not_an_activity for file in parsed.values() if file.error)
    # Routes and waypoint files (no track with times) are passed over; every track is stored or skipped.
    assert report["ignored_non_activity_files"] == sum(f.not_an_activity for f in parsed.values()) == 18
    assert report["imported"] + report["skipped_duplicates"] == sum(len(f.parts) for f in parsed.values())
    assert (report["imported"], report["skipped_duplicates"]) == (60, 25)
    for failure in report["failed"]:
        assert failure["error"] and "\n" not in failure["error"]


def test_broken_files_fail_one_by_one_and_do_not_stop_the_batch(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(RUNNING_FIT, folder / "good.fit")
    for bad in (
        "fitparse__activity-unexpected-eof.fit",
        "sportslib__broken.fit",
        "gpsbabel__trackfilter_discard_err.gpx",
    ):
        shutil.copy(DATA / "bad" / bad, folder / bad)
    (folder / "notes.txt").write_text("not an activity; passed over in a folder")
    report = imports.import_paths(local_user(), [folder])
    paths = {entry["path"].rsplit("/", 1)[-1]: entry["error"] for entry in report["failed"]}
    assert "sportslib__broken.fit" in paths
    assert "notes.txt" not in paths
    assert any(row["source_file"].endswith("good.fit") for row in report["activities"])
    truncated = [row for row in report["activities"] if row["source_file"].endswith("unexpected-eof.fit")]
    assert [row["partial"] for row in truncated] == [True]  # what it held up to the cut, marked partial


def test_same_file_twice_and_gzipped_copy_are_one_activity(tmp_path):
    user = local_user()
    first = imports.import_paths(user, [RUNNING_FIT])
    assert first["imported"] == 1
    again = imports.import_paths(user, [RUNNING_FIT])
    assert again == {
        "imported": 0,
        "skipped_duplicates": 1,
        "failed": [],
        "activities": [],
        "ignored_non_activity_files": 0,
    }
    packed = tmp_path / "copy.fit.gz"
    packed.write_bytes(gzip.compress(RUNNING_FIT.read_bytes()))
    assert imports.import_paths(user, [packed])["imported"] == 0
    assert Activity.objects.count() == 1


def _summary(distance: float, cadence: float | None = None, stream: dict | None = None) -> ActivitySummary:
    return ActivitySummary(
        "running",
        None,
        False,
        distance,
        1800,
        1800,
        None,
        None,
        None,
        None,
        cadence,
        None,
        stream=stream or {},
    )


def _part(start: datetime, distance: float) -> ParsedPart:
    return ParsedPart(ParsedActivity("gpx", start), _summary(distance))


def test_same_run_from_two_sources_is_stored_once():
    user = local_user()
    start = datetime(2026, 5, 1, 6, 0, tzinfo=UTC)
    source = imports.ImportSource(path="a.gpx")
    imports._store(user, source, ParsedFile("a.gpx", "a" * 64, [_part(start, 10_000)]))
    created, skipped = imports._store(
        user, source, ParsedFile("b.fit", "b" * 64, [_part(start + timedelta(seconds=50), 10_250)])
    )
    assert (created, skipped) == ([], 1)
    created, _ = imports._store(
        user, source, ParsedFile("c.fit", "c" * 64, [_part(start + timedelta(seconds=90), 10_000)])
    )
    assert len(created) == 1  # 90 s apart: a different run
    created, _ = imports._store(user, source, ParsedFile("d.fit", "d" * 64, [_part(start, 11_000)]))
    assert len(created) == 1  # 10% longer: a different run


def test_a_file_is_stored_whole_or_not_at_all(monkeypatch):
    user = local_user()
    start = datetime(2026, 5, 2, 6, 0, tzinfo=UTC)
    parts = [_part(start, 5000), _part(start + timedelta(hours=2), 8000)]
    real_create = imports._create
    calls = {"n": 0}

    def failing_create(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return real_create(*args, **kwargs)

    monkeypatch.setattr(imports, "_create", failing_create)
    with pytest.raises(RuntimeError):
        imports._store(user, imports.ImportSource(path="multi.tcx"), ParsedFile("multi.tcx", "e" * 64, parts))
    assert Activity.objects.count() == 0


def test_a_zip_of_files_imports_its_members(tmp_path):
    archive_path = tmp_path / "runs.zip"
    with zipfile.ZipFile(archive_path, "w") as archive:
        archive.write(RUNNING_FIT, "runs/fenix.fit")
        archive.writestr("runs/readme.txt", "hello")
    report = imports.import_paths(local_user(), [archive_path])
    assert report["imported"] == 1 and report["failed"] == []
    assert report["activities"][0]["source_file"] == f"{archive_path}!runs/fenix.fit"


def test_the_strava_sample_export_imports_with_its_csv_details(tmp_path):
    report = imports.import_paths(local_user(), [SHARED / "data" / "strava-export-sample"])
    assert report["failed"] == [] and report["imported"] == 1
    row = report["activities"][0]
    assert row["sport"] == "running"
    assert row["start_time"].startswith("2022-05-29T15:53")
    activity = Activity.objects.get()
    assert activity.external_id == "strava:12070555079"


def test_a_zip_bomb_is_refused_with_a_reason(tmp_path):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("big.fit", b"\0" * 60_000_000)
    report = imports.import_paths(local_user(), [bomb])
    assert report["imported"] == 0
    assert report["failed"] and "ratio" in report["failed"][0]["error"].lower()


def test_export_saying_run_doubles_per_leg_cadence_of_an_untyped_gpx():
    meta = imports.exports.ExportActivity(path="x.gpx", read=None, sport="running")
    untyped = ParsedActivity("gpx", datetime(2026, 1, 1, tzinfo=UTC))  # sport "other": no <type>
    summary = _summary(5000, 85.0, {"cadence_spm": [84.0, 85.0, None, 86.0]})
    imports._apply_meta(untyped, summary, meta)
    assert summary.avg_cadence_spm == 170.0 and summary.stream["cadence_spm"] == [168.0, 170.0, None, 172.0]
    already_steps = _summary(5000, 170.0, {"cadence_spm": [168.0, 172.0]})
    imports._apply_meta(ParsedActivity("gpx", datetime(2026, 1, 1, tzinfo=UTC)), already_steps, meta)
    assert already_steps.avg_cadence_spm == 170.0


def test_garmin_export_matches_fit_files_to_summaries_by_start_time(tmp_path):
    from backstride.importers.fit import parse_fit

    start = parse_fit(RUNNING_FIT.read_bytes())[0].start_time
    inner = tmp_path / "UploadedFiles_0-_Part1.zip"
    with zipfile.ZipFile(inner, "w") as archive:
        archive.write(RUNNING_FIT, "someone@example.com_555.fit")
        archive.write(
            DATA / "fit" / "fitparse__Settings.fit", "someone@example.com_556.fit"
        )  # not an activity
    summaries = [
        {
            "summarizedActivitiesExport": [
                {
                    "activityId": 77,
                    "name": "Morning trail",
                    "activityType": "trail_running",
                    "sportType": "RUNNING",
                    "startTimeGmt": int(start.timestamp() * 1000) + 2000,
                    "startTimeLocal": int(start.timestamp() * 1000) + 3_602_000,
                    "duration": 60_000,
                    "distance": 15_756.0,
                }
            ]
        }
    ]
    export = tmp_path / "garmin.zip"
    with zipfile.ZipFile(export, "w") as archive:
        archive.write(inner, "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip")
        archive.writestr(
            "DI_CONNECT/DI-Connect-Fitness/someone_0_summarizedActivities.json", json.dumps(summaries)
        )
    report = imports.import_paths(local_user(), [export])
    assert report["failed"] == [] and report["imported"] == 1
    assert report["ignored_non_activity_files"] == 1  # the settings file inside the export
    activity = Activity.objects.get()
    assert (activity.external_id, activity.sub_sport, activity.name) == (
        "garmin:77",
        "trail",
        "Morning trail",
    )
    assert activity.utc_offset_s == -25200  # the file's own local offset wins over the summary's
    assert abs(activity.distance_m - 157.56) < 0.1  # the file's own distance wins over the summary


def test_strava_gear_names_map_onto_shoes(tmp_path):
    import csv

    from backstride.storage.models import Shoe

    export = tmp_path / "strava"
    shutil.copytree(SHARED / "data" / "strava-export-sample", export)
    rows = list(csv.reader((export / "activities.csv").open(encoding="utf-8")))
    rows[1][rows[0].index("Activity Gear")] = "Nike Pegasus 40"
    with (export / "activities.csv").open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    with (export / "shoes.csv").open("a", encoding="utf-8") as out:
        out.write("Nike Pegasus 40,Nike,Pegasus 40,Run\n")
    report = imports.import_paths(local_user(), [export])
    assert report["activities"][0]["shoe"] == "Nike Pegasus 40"
    shoe = Shoe.objects.get()
    assert (shoe.brand, shoe.model) == ("Nike", "Pegasus 40")
    assert list(shoe.activities.values_list("sport", flat=True)) == ["running"]


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


def test_activities_without_distance_or_of_another_sport_are_not_duplicates():
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
