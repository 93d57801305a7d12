"""Strava and Garmin export readers: the real one-activity Strava export, plus synthetic exports
built in tmp_path from it and from the shared activity files."""

from __future__ import annotations

import csv
import io
import json
import shutil
import zipfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.conftest import SHARED

from backstride.importers.archive import iter_zip
from backstride.importers.exports import (
    ExportActivity,
    ExportError,
    ExportShoe,
    detect_export,
    match_garmin_summary,
    match_shoe,
    parse_strava_date,
    read_garmin_export,
    read_strava_export,
    strava_sport,
)

SAMPLE = SHARED / "data" / "strava-export-sample"
FIT = SHARED / "data" / "activities" / "fit"
FIT_FILES = ["al2__310xt-run.fit", "al2__920xt-run.fit", "al2__310xt-bike.fit"]


def zip_folder(folder: Path, target: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                archive.write(file, prefix + file.relative_to(folder).as_posix())
    return target


def check_sample_activity(activity: ExportActivity) -> None:
    # values as written in the real activities.csv (SI block for the duplicated columns)
    assert activity.path.endswith("activities/12866632127.fit.gz")  # joined via Filename, not Activity ID
    assert activity.read is not None
    assert activity.read() == (SAMPLE / "activities" / "12866632127.fit.gz").read_bytes()
    assert activity.external_id == "strava:12070555079"
    assert activity.manual is False
    assert (activity.sport, activity.sub_sport) == ("running", None)
    assert activity.name == "Laufen Landal Park"
    assert activity.start_time == datetime(2022, 5, 29, 15, 53, 35, tzinfo=UTC)
    assert activity.distance_m == pytest.approx(3322.95, abs=0.01)  # not the display-unit 3.32
    assert activity.elapsed_time_s == 1428.0
    assert activity.moving_time_s == 1411.0
    assert activity.elevation_gain_m == pytest.approx(61.88, abs=0.01)
    assert activity.elevation_loss_m == 86.0
    assert activity.avg_cadence_spm == pytest.approx(142.5, abs=0.1)  # 71.26 per leg x 2
    assert activity.dirt_distance_m == 0.0


def test_real_strava_sample_from_its_folder():
    assert detect_export(SAMPLE) == "strava"
    contents = read_strava_export(SAMPLE)
    assert contents.kind == "strava"
    [activity] = contents.activities
    check_sample_activity(activity)
    assert activity.gear_name is None  # the sample run has no gear, heart rate or RPE
    assert activity.avg_hr_bpm is None and activity.rpe is None
    assert contents.shoes == []  # shoes.csv holds only its header
    assert contents.skipped == [] and contents.garmin_summaries == []


@pytest.mark.parametrize("prefix", ["", "export_123/"])
def test_real_strava_sample_zipped(tmp_path: Path, prefix: str):
    path = zip_folder(SAMPLE, tmp_path / "export_123.zip", prefix)
    members = list(iter_zip(path, "export_123.zip"))
    assert detect_export(members) == detect_export(path) == "strava"
    for contents in (read_strava_export(members), read_strava_export(path)):
        [activity] = contents.activities
        check_sample_activity(activity)
        assert activity.path == f"export_123.zip!{prefix}activities/12866632127.fit.gz"


# Confirmed German headers (geo-activity-playground strava-csv-mapping.json), English -> German.
EN_TO_DE = {
    "Activity ID": "Aktivitäts-ID",
    "Activity Date": "Aktivitätsdatum",
    "Activity Name": "Name der Aktivität",
    "Activity Type": "Aktivitätsart",
    "Activity Description": "Aktivitätsbeschreibung",
    "Elapsed Time": "Verstrichene Zeit",
    "Distance": "Distanz",
    "Activity Gear": "Aktivitätsausrüstung",
    "Filename": "Dateiname",
    "Moving Time": "Bewegungszeit",
    "Elevation Gain": "Höhenzunahme",
    "Elevation Loss": "Höhenunterschied",
    "Average Cadence": "Durchschnittliche Trittfrequenz",
    "Average Heart Rate": "Durchschnittliche Herzfrequenz",
    "Perceived Exertion": "Gefühlte Anstrengung",
    "Dirt Distance": "Auf Schotter zurückgelegte Distanz",
    "Total Steps": (
        '<span class="translation_missing" title="translation missing: de.total_steps">total_steps</span>'
    ),
}


def german_export(tmp_path: Path, date: str) -> Path:
    """The real sample re-written as a German export: translated and reordered headers, day-first
    date, decimal commas, a description with a newline, a gear, a manual activity, shoes."""
    header, row = list(csv.reader((SAMPLE / "activities.csv").open(encoding="utf-8")))
    pairs = []
    for name, value in zip(header, row, strict=True):
        if name == "Activity Date":
            value = date
        elif name == "Activity Description":
            value = "Hügelig.\nRücken ok, leichte Schmerzen am Ende"
        elif name == "Activity Gear":
            value = "Nike Pegasus 39"
        elif name == "Perceived Exertion":
            value = "6"
        elif name == "Average Heart Rate":
            value = "151,5"
        elif name not in ("Activity Name", "Filename", "Activity ID"):
            value = value.replace(".", ",")
        pairs.append((EN_TO_DE.get(name, name), value))
    # reorder: file and gear first, date last (duplicated names keep their relative order)
    first = [p for p in pairs if p[0] in ("Dateiname", "Aktivitätsausrüstung")]
    last = [p for p in pairs if p[0] == "Aktivitätsdatum"]
    middle = [p for p in pairs if p not in first and p not in last]
    pairs = first + middle + last
    headers = [name for name, _ in pairs]
    manual = {name: "" for name in headers}
    manual.update(
        {
            "Aktivitäts-ID": "999",
            "Aktivitätsdatum": "01.06.2022, 07:05:00",
            "Name der Aktivität": "Laufband im Hotel",
            "Aktivitätsart": "Lauf",
            "Bewegungszeit": "1800,0",
        }
    )
    values = [value for _, value in pairs]
    # the SI Distance is the second "Distanz"
    distances = [i for i, name in enumerate(headers) if name == "Distanz"]
    manual_values = [manual[name] for name in headers]
    manual_values[distances[0]] = "5,0"
    manual_values[distances[1]] = "5000,0"

    root = tmp_path / "export_de"
    (root / "activities").mkdir(parents=True)
    shutil.copy(SAMPLE / "activities" / "12866632127.fit.gz", root / "activities")
    with (root / "activities.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerows([headers, values, manual_values])
    with (root / "shoes.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(
            [
                ["Shoe Name", "Shoe Brand", "Shoe Model", "Shoe Default Sport Types"],
                ["", "Nike", "Pegasus 39", "Run"],
                ["Rote", "Hoka", "Clifton 8", ""],
            ]
        )
    return root


@pytest.mark.parametrize("date", ["29.05.2022, 15:53:35", "29. Mai 2022, 15:53:35", "29.05.2022 15:53"])
def test_german_export_gives_the_same_values(tmp_path: Path, date: str):
    root = german_export(tmp_path, date)
    text = (root / "activities.csv").read_text(encoding="utf-8")
    assert "Distanz" in text and "3322,949951171875" in text and "\nRücken" in text
    contents = read_strava_export(root)
    assert contents.skipped == []
    [activity, manual] = contents.activities
    expected = datetime(2022, 5, 29, 15, 53, 35 if date.count(":") == 2 else 0, tzinfo=UTC)
    check_sample_activity(replace(activity, start_time=datetime(2022, 5, 29, 15, 53, 35, tzinfo=UTC)))
    assert activity.start_time == expected
    assert activity.description == "Hügelig.\nRücken ok, leichte Schmerzen am Ende"
    assert activity.gear_name == "Nike Pegasus 39"
    assert activity.rpe == 6.0
    assert activity.avg_hr_bpm == 151.5

    assert manual.manual is True and manual.read is None
    assert manual.path == "export_de/activities.csv row 3"
    assert manual.external_id == "strava:999"
    assert manual.start_time == datetime(2022, 6, 1, 7, 5, tzinfo=UTC)
    assert (manual.sport, manual.distance_m, manual.moving_time_s) == ("running", 5000.0, 1800.0)

    assert contents.shoes == [
        ExportShoe(name="Nike Pegasus 39", brand="Nike", model="Pegasus 39"),
        ExportShoe(name="Rote", brand="Hoka", model="Clifton 8", nickname="Rote"),
    ]
    assert match_shoe(activity.gear_name, contents.shoes) is contents.shoes[0]
    assert match_shoe("hoka  clifton 8", contents.shoes) is contents.shoes[1]
    assert match_shoe("Rote", contents.shoes) is contents.shoes[1]
    assert match_shoe("My Bike", contents.shoes) is None


def test_missing_and_unlisted_files_and_unreadable_rows(tmp_path: Path):
    root = tmp_path / "export"
    (root / "activities").mkdir(parents=True)
    (root / "activities" / "7.gpx.gz").write_bytes(b"\x1f\x8bxx")
    (root / "activities.csv").write_text(
        "Activity ID,Activity Date,Activity Type,Filename,Distance,Distance\n"
        '1,"Jan 2, 2023, 7:00:00 AM",Trail Run,activities/1.fit.gz,1,1000\n'
        "2,yesterday,Run,,1,1000\n"
        '3,"Jan 3, 2023, 12:30:00 PM",Yoga,,,\n',
        encoding="utf-8",
    )
    contents = read_strava_export(root)
    assert contents.skipped == [
        (
            "export/activities.csv row 2",
            "activities/1.fit.gz is listed in activities.csv but missing from the export",
        ),
        ("export/activities.csv row 3", "unreadable Activity Date 'yesterday'"),
    ]
    yoga, unlisted = contents.activities
    assert (yoga.sport, yoga.manual, yoga.start_time) == (
        "other",
        True,
        datetime(2023, 1, 3, 12, 30, tzinfo=UTC),
    )
    assert unlisted.path == "export/activities/7.gpx.gz" and unlisted.start_time is None
    assert unlisted.read is not None and unlisted.read() == b"\x1f\x8bxx"


def test_broken_total_steps_header_is_tolerated():
    from backstride.importers.strava_export import _canonical_header

    assert _canonical_header(EN_TO_DE["Total Steps"]) == ("Total Steps", False)
    assert _canonical_header("\ufeffAktivitäts-ID") == ("Activity ID", True)
    assert _canonical_header("Activity ID ") == ("Activity ID", False)


def test_not_a_strava_export(tmp_path: Path):
    (tmp_path / "x.txt").write_text("x")
    assert detect_export(tmp_path) is None
    assert detect_export(tmp_path / "x.txt") is None  # not a zip
    with pytest.raises(ExportError, match="not a Strava export"):
        read_strava_export(tmp_path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("May 29, 2022, 3:53:35 PM", datetime(2022, 5, 29, 15, 53, 35, tzinfo=UTC)),
        ("Dec 1, 2021, 12:05:00 AM", datetime(2021, 12, 1, 0, 5, tzinfo=UTC)),
        ("Sep 9, 2021, 12:00:01 PM", datetime(2021, 9, 9, 12, 0, 1, tzinfo=UTC)),
        ("3. März 2023, 06:01:02", datetime(2023, 3, 3, 6, 1, 2, tzinfo=UTC)),
        ("3. Okt. 2023, 06:01:02", datetime(2023, 10, 3, 6, 1, 2, tzinfo=UTC)),
        ("2023-10-03 06:01:02", datetime(2023, 10, 3, 6, 1, 2, tzinfo=UTC)),
        ("31.02.2023, 06:01:02", None),
        ("", None),
    ],
)
def test_strava_dates(text: str, expected: datetime | None):
    assert parse_strava_date(text) == expected


@pytest.mark.parametrize(
    ("activity_type", "expected"),
    [
        ("Run", ("running", None)),
        ("Trail Run", ("running", "trail")),
        ("Virtual Run", ("running", "virtual")),
        ("Walk", ("walking", None)),
        ("Hike", ("hiking", None)),
        ("Ride", ("cycling", None)),
        ("VirtualRide", ("cycling", "virtual")),
        ("Mountain Bike Ride", ("cycling", None)),
        ("E-Bike Ride", ("cycling", None)),
        ("Swim", ("swimming", None)),
        ("Weight Training", ("other", None)),
        ("Lauf", ("running", None)),
        ("Radfahrt", ("cycling", None)),
        ("Virtuelle Radfahrt", ("cycling", "virtual")),
        ("Wandern", ("hiking", None)),
        (None, (None, None)),
    ],
)
def test_strava_sports(activity_type: str | None, expected: tuple[str | None, str | None]):
    assert strava_sport(activity_type) == expected


# ----------------------------------------------------------------------------------------- Garmin

T0 = datetime(2024, 3, 10, 7, 30, 0, tzinfo=UTC)


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def summary(activity_id: int, start: datetime, **fields: object) -> dict[str, object]:
    return {
        "activityId": activity_id,
        "name": f"Run {activity_id}",
        "activityType": "running",
        "sportType": "RUNNING",
        "startTimeGmt": ms(start),
        "beginTimestamp": ms(start),
        "startTimeLocal": ms(start + timedelta(hours=1)),
        "duration": 3_000_000,
        "elapsedDuration": 3_120_000,
        "movingDuration": 2_950_000,
        "distance": 1_000_000.0,  # cm = 10 km
        "elevationGain": 12_300.0,  # cm
        "elevationLoss": 12_100.0,
        "avgHr": 148.0,
        "avgRunCadence": 172.0,
        **fields,
    }


def garmin_export(tmp_path: Path, uploads_folder: str = "DI-Connect-Uploaded-Files") -> Path:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, name in enumerate(FIT_FILES):
            archive.write(FIT / name, f"someone@example.com_{1000 + index}.fit")
    part0 = [
        {
            "summarizedActivitiesExport": [
                summary(11, T0),
                summary(12, T0 + timedelta(days=1), activityType="trail_running"),
                summary(
                    13,
                    T0 + timedelta(days=2),
                    activityType="multi_sport",
                    sportType="MULTISPORT",
                    parent=True,
                ),
            ]
        }
    ]
    part1 = [
        {
            "summarizedActivitiesExport": [
                summary(14, T0 + timedelta(days=3), activityType="treadmill_running"),
                summary(
                    15, T0 + timedelta(days=4), activityType={"typeKey": "road_biking"}, avgRunCadence=None
                ),
            ]
        }
    ]
    path = tmp_path / "garmin.zip"
    fitness = "DI_CONNECT/DI-Connect-Fitness/"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(fitness + "someone@example.com_0_summarizedActivities.json", json.dumps(part0))
        archive.writestr(fitness + "someone@example.com_1_summarizedActivities.json", json.dumps(part1))
        archive.writestr(f"DI_CONNECT/{uploads_folder}/UploadedFiles_0-_Part1.zip", inner.getvalue())
        archive.writestr("DI_CONNECT/DI-Connect-User/user_profile.json", "{}")
    return path


def check_garmin(contents, display: str, uploads_folder: str) -> None:
    assert contents.kind == "garmin"
    assert [a.path for a in contents.activities] == [
        f"{display}!DI_CONNECT/{uploads_folder}/UploadedFiles_0-_Part1.zip!someone@example.com_{1000 + i}.fit"
        for i in range(3)
    ]
    for activity, name in zip(contents.activities, FIT_FILES, strict=True):
        assert activity.read is not None and activity.read() == (FIT / name).read_bytes()
        assert activity.start_time is None and activity.external_id is None  # matched later
    assert [s.external_id for s in contents.garmin_summaries] == [f"garmin:{i}" for i in (11, 12, 14, 15)]
    assert all(s.read is None for s in contents.garmin_summaries)
    assert contents.skipped == []  # the multisport container (13) is passed over, not a failure
    first = contents.garmin_summaries[0]
    assert first.start_time == T0 and first.utc_offset_s == 3600
    assert (
        first.distance_m == 10_000.0 and first.elevation_gain_m == 123.0 and first.elevation_loss_m == 121.0
    )
    assert (first.elapsed_time_s, first.moving_time_s) == (3120.0, 2950.0)
    assert (first.avg_hr_bpm, first.avg_cadence_spm) == (148.0, 172.0)
    assert (first.sport, first.sub_sport, first.name) == ("running", None, "Run 11")
    subs = [(s.sport, s.sub_sport) for s in contents.garmin_summaries[1:]]
    assert subs == [("running", "trail"), ("running", "treadmill"), ("cycling", None)]
    assert contents.garmin_summaries[3].avg_cadence_spm is None


def test_garmin_export_zip_with_nested_uploads(tmp_path: Path):
    path = garmin_export(tmp_path)
    members = list(iter_zip(path, "garmin.zip"))
    assert detect_export(members) == detect_export(path) == "garmin"
    check_garmin(read_garmin_export(members), "garmin.zip", "DI-Connect-Uploaded-Files")
    check_garmin(read_garmin_export(path), "garmin.zip", "DI-Connect-Uploaded-Files")


def test_garmin_export_unpacked_folder_older_layout(tmp_path: Path):
    path = garmin_export(tmp_path, "DI-Connect-Fitness-Uploaded-Files")
    root = tmp_path / "unpacked"
    with zipfile.ZipFile(path) as archive:
        archive.extractall(root)  # test fixture only: the code under test never extracts
    assert detect_export(root) == "garmin"
    contents = read_garmin_export(root)
    assert [a.path.split("!")[-1] for a in contents.activities] == [
        f"someone@example.com_{1000 + i}.fit" for i in range(3)
    ]
    assert contents.activities[0].path.startswith("unpacked/DI_CONNECT/DI-Connect-Fitness-Uploaded-Files/")
    assert len(contents.garmin_summaries) == 4


def test_match_garmin_summary_window(tmp_path: Path):
    summaries = read_garmin_export(garmin_export(tmp_path)).garmin_summaries
    assert match_garmin_summary(T0 + timedelta(seconds=5), summaries).external_id == "garmin:11"
    assert match_garmin_summary(T0 - timedelta(seconds=4.5), summaries).external_id == "garmin:11"
    assert match_garmin_summary(T0 + timedelta(seconds=6), summaries) is None
    assert match_garmin_summary(T0 + timedelta(days=1, seconds=-2), summaries).external_id == "garmin:12"
    naive = (T0 + timedelta(days=3)).replace(tzinfo=None)
    assert match_garmin_summary(naive, summaries).external_id == "garmin:14"
    assert match_garmin_summary(T0 + timedelta(days=2), summaries) is None  # the container was skipped


def test_not_a_garmin_export(tmp_path: Path):
    with pytest.raises(ExportError, match="not a Garmin"):
        read_garmin_export(SAMPLE)
    with pytest.raises(ExportError, match="no such file"):
        read_garmin_export(tmp_path / "missing.zip")
