"""Imports that must not break (issue 11): control characters and NUL in what files and exports say,
one file that cannot be stored, symbolic links out of a folder, files that are not files.
These run on SQLite and again on PostgreSQL, where a NUL used to abort the whole batch."""

from __future__ import annotations

import contextlib
import os
import zipfile

import pytest
from django.db import connection
from tests.services.activity_files import (
    gpx_run,
    run_start,
    strava_date,
    write_runs,
    write_strava_export,
)

from backstride.services import imports
from backstride.services.users import local_user
from backstride.storage.models import Activity, Shoe

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_ok]

NASTY = "\x00\x01\x07\x1b[2J\x7f\x85\x9b"  # NUL, controls, a terminal escape, C1 controls


def _clean(text: str) -> bool:
    return not any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F for ch in text)


def test_nul_and_control_characters_from_an_export_are_cleaned_and_every_activity_is_stored(tmp_path):
    export = write_strava_export(
        tmp_path / f"export{NASTY[1:3]}",
        [
            {
                "Activity ID": "101",
                "Activity Date": strava_date(run_start(0)),
                "Activity Name": f"Morning{NASTY} run",
                "Activity Gear": f"Peg{NASTY}asus",
                "Filename": "activities/101.gpx",
                "Distance": "5000",
            },
            {  # a manual entry: no file, everything from the CSV
                "Activity ID": f"102{NASTY}",
                "Activity Date": strava_date(run_start(1)),
                "Activity Name": f"Treadmill{NASTY}",
                "Distance": "8000",
            },
        ],
        shoes=[(f"Peg{NASTY}asus", f"Nike{NASTY}", f"Pegasus{NASTY} 40")],
    )
    # XML forbids C0 controls, but C1 ones (a terminal's CSI among them) are legal in a GPX name.
    (export / "activities" / "101.gpx").write_bytes(gpx_run(run_start(0), 5000, name=None))
    stray = export / "activities" / f"stray{NASTY[1:3]}.gpx"  # in the folder, in no row
    stray.write_bytes(gpx_run(run_start(2), 6000, name="Trail\x85\x9b run"))
    user = local_user()

    report = imports.import_paths(user, [export])

    assert report["failed"] == [] and report["imported"] == 3
    stored = list(Activity.objects.filter(owner=user).order_by("start_time"))
    assert [a.name for a in stored] == ["Morning[2J run", "Treadmill[2J", "Trail run"]
    assert stored[0].gear_name == "Peg[2Jasus" and stored[0].shoe is not None
    assert stored[1].external_id == "strava:102[2J"
    for activity in stored:
        for text in (activity.name, activity.gear_name, activity.source_file, activity.external_id):
            assert _clean(text), repr(text)
    shoe = Shoe.objects.get(owner=user)
    assert (shoe.name, shoe.brand, shoe.model) == ("Peg[2Jasus", "Nike[2J", "Pegasus[2J 40")
    assert all(_clean(row["source_file"]) for row in report["activities"])


def test_control_characters_in_reported_failures_are_cleaned(tmp_path):
    folder = tmp_path / "runs"
    folder.mkdir()
    (folder / f"broken{NASTY[1:5]}.gpx").write_bytes(b'<?xml version="1.0"?><gpx><trk><trkseg><trkpt')
    report = imports.import_paths(local_user(), [folder / f"broken{NASTY[1:5]}.gpx"])
    [failure] = report["failed"]
    assert _clean(failure["path"]) and _clean(failure["error"]) and "broken" in failure["path"]


def test_one_file_that_cannot_be_stored_fails_alone_and_leaves_nothing_behind(tmp_path, monkeypatch):
    folder = tmp_path / "runs"
    write_runs(folder, 3)
    real_create = imports._create

    def create_then_break(user, path, *args, **kwargs):
        activity = real_create(user, path, *args, **kwargs)
        if path.endswith("a-001.gpx"):
            # A real database error after a row of this file was written (on PostgreSQL it also
            # aborts the transaction: only rolling back to this file's savepoint lets the batch go on).
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO backstride_activity (owner_id) VALUES (NULL)")
        return activity

    monkeypatch.setattr(imports, "_create", create_then_break)
    user = local_user()

    report = imports.import_paths(user, [folder], workers=1)

    assert report["imported"] == 2
    [failure] = report["failed"]
    assert failure["path"].endswith("a-001.gpx")
    assert failure["error"].startswith("could not be stored (IntegrityError") and "\n" not in failure["error"]
    stored = sorted(a.source_file.rsplit("/", 1)[-1] for a in Activity.objects.filter(owner=user))
    assert stored == ["a-000.gpx", "a-002.gpx"]  # nothing half-written of the broken one


def test_stream_values_postgresql_cannot_hold_are_stored_as_gaps():
    from tests.services.test_imports import _part

    from backstride.importers.pipeline import ParsedFile

    part = _part(run_start(5), 5000)
    part.summary.stream = {"hr_bpm": [140.0, float("nan"), float("inf"), 150.0]}
    [created], _ = imports._store(
        local_user(), imports.ImportSource("x.gpx"), ParsedFile("x.gpx", "f" * 64, [part])
    )
    created.refresh_from_db()
    assert created.stream == {"hr_bpm": [140.0, None, None, 150.0]}


def test_the_same_file_less_export_entry_twice_is_one_activity(tmp_path):
    """A Strava manual entry without a distance has nothing for the same-run rule to compare: its
    export id is what makes it the same (a constraint in the database backs the check)."""
    rows = [{"Activity ID": "7", "Activity Date": strava_date(run_start(3)), "Activity Name": "Yoga"}]
    user = local_user()
    first = imports.import_paths(user, [write_strava_export(tmp_path / "one", rows)])
    again = imports.import_paths(user, [write_strava_export(tmp_path / "two", rows)])
    assert (first["imported"], again["imported"], again["skipped_duplicates"]) == (1, 0, 1)
    assert Activity.objects.filter(owner=user).count() == 1


# --- folders --------------------------------------------------------------------------------------


def test_symbolic_links_out_of_a_folder_are_not_followed_and_are_reported(tmp_path):
    outside = tmp_path / "elsewhere"
    write_runs(outside, 2, tag="out")
    folder = tmp_path / "runs"
    write_runs(folder, 1, tag="in")
    (folder / "linked-file.gpx").symlink_to(outside / "out-000.gpx")
    (folder / "linked-folder").symlink_to(outside, target_is_directory=True)
    user = local_user()

    report = imports.import_paths(user, [folder])

    assert report["imported"] == 1
    assert [a.source_file.rsplit("/", 1)[-1] for a in Activity.objects.filter(owner=user)] == ["in-000.gpx"]
    reported = {entry["path"].rsplit("/", 1)[-1]: entry["error"] for entry in report["failed"]}
    assert set(reported) == {"linked-file.gpx", "linked-folder"}
    assert all(error.startswith("not followed: a symbolic link to") for error in reported.values())


def test_links_inside_the_folder_are_followed_once_and_loops_end(tmp_path):
    folder = tmp_path / "runs"
    write_runs(folder / "2025", 2)
    (folder / "latest.gpx").symlink_to(folder / "2025" / "a-001.gpx")  # the same file twice
    (folder / "2025" / "all").symlink_to(folder, target_is_directory=True)  # a loop back up
    (folder / "gone.gpx").symlink_to(tmp_path / "missing.gpx")  # broken: nothing to read
    user = local_user()

    report = imports.import_paths(user, [folder])

    assert (report["imported"], report["skipped_duplicates"], report["failed"]) == (2, 0, [])


def test_one_unreadable_file_or_zip_in_a_folder_does_not_lose_the_folder(tmp_path):
    folder = tmp_path / "runs"
    write_runs(folder, 2)
    (folder / "broken.zip").write_bytes(b"PK\x03\x04 this is no zip at all")
    locked = folder / "locked.gpx"
    locked.write_bytes(gpx_run(run_start(9), 5000))
    locked.chmod(0)
    try:
        report = imports.import_paths(local_user(), [folder])
    finally:
        locked.chmod(0o600)
    failed = {entry["path"].rsplit("/", 1)[-1] for entry in report["failed"]}
    assert report["imported"] == 2 + (0 if "locked.gpx" in failed else 1)  # root reads anything
    assert "broken.zip" in failed


WHAT_TO_NAME = "name the .fit, .gpx or .tcx file, a folder or a zip"


def test_a_fifo_or_device_named_directly_is_refused_without_reading_it(tmp_path):
    fifo = tmp_path / "pipe.gpx"
    os.mkfifo(fifo)
    report = imports.import_paths(local_user(), [fifo, "/dev/zero"])  # opening the FIFO would block
    assert [entry["error"] for entry in report["failed"]] == [
        f"refused: {fifo} is a named pipe (FIFO), not an activity file; {WHAT_TO_NAME}",
        f"refused: /dev/zero is a device, not an activity file; {WHAT_TO_NAME}",
    ]


def test_members_skipped_inside_a_plain_zip_are_reported(tmp_path):
    archive_path = tmp_path / "runs.zip"
    with zipfile.ZipFile(archive_path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("run.gpx", gpx_run(run_start(4), 5000))
        archive.writestr("padding.txt", b" " * 400_000)  # far over 200:1, under 1 MB
    report = imports.import_paths(local_user(), [archive_path])
    assert report["imported"] == 1
    [skipped] = report["failed"]
    assert skipped["path"] == f"{archive_path}!padding.txt" and skipped["error"].startswith("skipped")


def test_a_run_a_minute_later_from_another_watch_is_still_the_same_run(tmp_path):
    write_runs(tmp_path / "a", 1, tag="a")
    write_runs(tmp_path / "b", 1, tag="b", shift_s=59)
    report = imports.import_paths(local_user(), [tmp_path / "a", tmp_path / "b"])
    assert (report["imported"], report["skipped_duplicates"]) == (1, 1)


def _open_zips() -> int:
    """How many zip files this process holds open now."""
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):
            count += os.readlink(f"/proc/self/fd/{fd}").endswith(".zip")
    return count


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts this process's open files")
def test_a_folder_of_many_zips_never_holds_them_all_open(tmp_path, monkeypatch):
    """A folder of 300 zips (each a run) is imported with at most one of them open at a time: every
    zip stayed open until the end before, so `import /` held 2,600 files open, and a folder of 2,000
    zips would pass the usual limit of 1,024."""
    from backstride.importers import archive

    folder = tmp_path / "zips"
    folder.mkdir()
    for number in range(300):
        with zipfile.ZipFile(folder / f"run{number:03d}.zip", "w") as packed:
            packed.writestr(f"run{number:03d}.gpx", gpx_run(run_start(number), 5000))
    most = 0
    real_read = archive._bounded_read

    def counting_read(*args, **kwargs):
        nonlocal most
        most = max(most, _open_zips())
        return real_read(*args, **kwargs)

    monkeypatch.setattr(archive, "_bounded_read", counting_read)
    report = imports.import_paths(local_user(), [folder])
    assert (report["imported"], report["failed"]) == (300, [])
    assert most == 1, f"{most} zips open at once while reading members"
    assert _open_zips() == 0  # none left open once the import is over


def test_a_folder_too_big_to_be_a_history_is_refused_in_one_line(tmp_path, monkeypatch):
    from backstride.services import import_sources

    monkeypatch.setattr(import_sources, "MAX_FOLDER_ENTRIES", 50)
    folder = tmp_path / "home"
    write_runs(folder, 3)
    for number in range(60):
        (folder / f"note{number}.txt").write_text("not a run")
    report = imports.import_paths(local_user(), [folder])
    assert report["imported"] == 0
    assert report["failed"] == [
        {
            "path": str(folder),
            "error": f"{folder}: refused, more than 50 files and folders in it; "
            "name the folder that holds your activities, or the export itself",
        }
    ]
    assert Activity.objects.count() == 0
