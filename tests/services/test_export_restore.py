"""Export and restore (issue 14 items 2-3): every exported key described in schema.json, the CSV beside
the JSON, the round trip (export, restore into an empty database, export again: the same records),
nothing added twice, and a damaged or foreign zip refused with nothing written. Runs on SQLite and,
under scripts/with-postgres.sh, on PostgreSQL (jsonb reorders keys; ids there are not 1, 2, 3)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile

import pytest
from django.contrib.auth.models import User
from tests.services.data_world import comparable, export_files, fill

from backstride.services.data_kinds import KINDS
from backstride.services.erase import erase_all
from backstride.services.export import write_export
from backstride.services.export_reader import RestoreRefused
from backstride.services.restore import restore
from backstride.services.users import local_user
from backstride.storage.models import Activity, OutcomeRatingItem, Shoe

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_ok]


def exported(user: User) -> bytes:
    out = io.BytesIO()
    write_export(user, out)
    return out.getvalue()


def row_counts(user: User) -> dict[str, int]:
    from backstride.services.export import records_of

    return {kind.name: records_of(kind, user).count() for kind in KINDS}


@pytest.fixture
def runner() -> User:
    user = local_user()
    fill(user)
    return user


def test_every_exported_key_is_described_in_the_schema(runner):
    files = export_files(exported(runner))
    schema = json.loads(files["schema.json"])
    for kind in KINDS:
        described = schema["kinds"][kind.name]["fields"]
        rows = json.loads(files[f"{kind.name}.json"])
        assert rows, f"the test world has no {kind.name}"
        for row in rows:
            assert set(row) == set(described), kind.name
        for key, entry in described.items():
            assert entry["description"].strip() and entry["type"], f"{kind.name}.{key} is not described"


def test_the_manifest_counts_and_sums_every_file(runner):
    files = export_files(exported(runner))
    manifest = json.loads(files["manifest.json"])
    assert manifest["format"] == "backstride-export" and manifest["version"] == 1
    assert set(manifest["sha256"]) == set(files) - {"manifest.json"}
    for name, digest in manifest["sha256"].items():
        assert hashlib.sha256(files[name]).hexdigest() == digest
    assert manifest["counts"] == row_counts(runner)
    assert sum(name.startswith("form-check-images/") for name in files) == 2


def test_the_csv_has_the_json_records_flat_and_no_formula(runner):
    files = export_files(exported(runner))
    shoes = list(csv.DictReader(io.StringIO(files["shoes.csv"].decode("utf-8"))))
    assert {row["name"] for row in shoes} == {'Pegasus "blue", 41', "'=HYPERLINK(1)"}
    days = list(csv.DictReader(io.StringIO(files["diary_days.csv"].decode("utf-8"))))
    first = next(row for row in days if row["day"] == "2026-10-02")
    assert json.loads(first["locations"]) == ["low_back", "left_buttock"] and first["ran"] == "true"
    assert first["note"] == 'Sore,\nbut "fine"\u00e9'


def test_round_trip_into_an_empty_database_gives_the_same_records(runner):
    before = exported(runner)
    erase_all(runner)
    assert not any(row_counts(runner).values())
    summary = restore(runner, before)
    assert summary.added == row_counts(runner) | {"settings": 1}
    assert not any(summary.already_present.values())
    assert comparable(exported(runner)) == comparable(before)
    # The links are there: the runs' shoes, the rating items' activities.
    assert Activity.objects.filter(owner=runner, shoe__name='Pegasus "blue", 41').count() == 2
    assert OutcomeRatingItem.objects.filter(rating__owner=runner).count() == 4


def test_restoring_twice_adds_nothing_the_second_time(runner):
    data = exported(runner)
    counts = row_counts(runner)
    summary = restore(runner, data)
    assert not any(summary.added.values())
    assert summary.already_present == counts | {"settings": 1}
    assert row_counts(runner) == counts


def test_another_runner_gets_the_same_records_with_new_ids(runner):
    data = exported(runner)
    other = User.objects.create(username="other")
    Shoe.objects.create(owner=other, name="Own shoe")  # existing data is kept, ids move on
    restore(other, data)
    mine, theirs = comparable(data), comparable(exported(other))
    theirs["records"]["shoes"] = [s for s in theirs["records"]["shoes"] if s["name"] != "Own shoe"]
    assert theirs["records"] == mine["records"]
    assert row_counts(runner)["shoes"] == 2  # the first runner's records untouched


def rewritten(data: bytes, change) -> bytes:
    """The export with ``change(files)`` applied, the manifest's sums made to match again."""
    files = export_files(data)
    change(files)
    manifest = json.loads(files["manifest.json"])
    manifest["sha256"] = {
        name: hashlib.sha256(body).hexdigest() for name, body in files.items() if name != "manifest.json"
    }
    files["manifest.json"] = json.dumps(manifest).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in files.items():
            archive.writestr(name, body)
    return out.getvalue()


def edit_rows(name: str, edit):
    def change(files: dict[str, bytes]) -> None:
        rows = json.loads(files[f"{name}.json"])
        edit(rows)
        files[f"{name}.json"] = json.dumps(rows).encode()

    return change


def set_first(key: str, value):
    return lambda rows: rows[0].__setitem__(key, value)


def drop_file(name: str):
    return lambda files: files.pop(name)


def add_file(name: str):
    return lambda files: files.__setitem__(name, b"x")


def change_manifest(key: str, value):
    def change(files: dict[str, bytes]) -> None:
        manifest = json.loads(files["manifest.json"])
        manifest[key] = value
        files["manifest.json"] = json.dumps(manifest).encode()

    return change


DAMAGES = {
    "an unknown field": (edit_rows("shoes", set_first("colour", "red")), "unknown field colour"),
    "a missing field": (edit_rows("shoes", lambda rows: rows[0].pop("brand")), "lacks the field brand"),
    "a day that is no day": (edit_rows("diary_days", set_first("day", "2026-02-30")), "is not a day"),
    "a number as text": (edit_rows("activities", set_first("distance_m", "5")), "must be a number"),
    "text too long": (edit_rows("shoes", set_first("brand", "x" * 101)), "field brand"),
    "a choice not offered": (edit_rows("form_checks", set_first("status", "lost")), "not one of the values"),
    "a link to nothing": (edit_rows("activities", set_first("shoe_id", 999999)), "is not in shoes.json"),
    "a missing file": (drop_file("plan_ticks.csv"), "lacks plan_ticks.csv"),
    "an extra file": (add_file("notes.txt"), "does not: notes.txt"),
    "a picture that is not one": (
        lambda files: files.__setitem__(next(n for n in files if n.endswith(".png")), b"GIF89a"),
        "not a PNG",
    ),
}


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_a_damaged_export_is_refused_with_its_reason_and_nothing_is_written(runner, damage):
    change, reason = DAMAGES[damage]
    data = rewritten(exported(runner), change)
    erase_all(runner)
    with pytest.raises(RestoreRefused) as refused:
        restore(runner, data)
    assert reason in str(refused.value) + " ".join(refused.value.problems)
    assert "Nothing was changed" in str(refused.value)
    assert not any(row_counts(runner).values())


def zip_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in files.items():
            archive.writestr(name, body)
    return out.getvalue()


def test_foreign_damaged_and_hostile_zips_are_refused(runner):
    data = exported(runner)
    files = export_files(data)
    cases = {
        b"not a zip at all": "not a zip",
        data[: len(data) // 2]: "not a zip",
        zip_of({"activities/1.fit": b"x"}): "no manifest.json",
        zip_of({**files, "shoes.json": b"[]"}): "changed since the export was made",
        zip_of({**files, "../evil": b"x"}): "unsafe path",
        zip_of({**files, "inner.zip": zip_of({"a": b"b"})}): "nested",
        zip_of({"manifest.json": b"\x00" * 5_000_000}): "a zip bomb",
        rewritten(data, change_manifest("format", "strava")): "not a backstride export",
        rewritten(data, change_manifest("version", 9)): "newer backstride",
    }
    for hostile, reason in cases.items():
        with pytest.raises(RestoreRefused) as refused:
            restore(runner, hostile)
        assert reason in str(refused.value), (reason, str(refused.value))


def test_a_clip_path_outside_the_clip_folder_is_never_restored(runner, tmp_path):
    outside = tmp_path / "precious.txt"
    outside.write_text("keep me")
    data = rewritten(exported(runner), edit_rows("form_checks", set_first("video_path", str(outside))))
    erase_all(runner)
    restore(runner, data)
    from backstride.storage.models import FormCheck

    assert FormCheck.objects.get(owner=runner).video_path == ""
    FormCheck.objects.filter(owner=runner).update(video_path=str(outside))  # as if it got there anyway
    erase_all(runner)
    assert outside.read_text() == "keep me"  # delete-all only ever removes files in the data folder


def test_restoring_into_a_runner_with_current_activities_keeps_those_current(runner):
    from backstride.services import outcomes

    data = exported(runner)
    other = User.objects.create(username="other")
    outcomes.record_rating(other, [("cycle to work", 3)], source="cli")
    restore(other, data)
    assert [a.name for a in outcomes.current_activities(other)] == ["cycle to work"]
    assert len(outcomes.history(other)["ratings"]) == 3
