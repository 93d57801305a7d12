"""A runner with a record of every kind (issue 14 tests): export, restore and delete-all start here.
Also how two exports are compared: their JSON files without the volatile parts (the manifest's time,
ids, which differ in another database, and the links as the linked record's own fields)."""

from __future__ import annotations

import io
import json
import zipfile
import zlib
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from tests.cases import SELF_MANAGE

from backstride.services import outcomes
from backstride.services.checks import check_symptoms
from backstride.services.data_kinds import IMAGE_FILE_FIELD, KIND_BY_NAME, KINDS
from backstride.services.rmdq import record_rmdq
from backstride.storage.models import (
    Activity,
    DiaryEntry,
    Experiment,
    FormCheck,
    FormCheckImage,
    PlanItemDone,
    Profile,
    Shoe,
)

START = datetime(2026, 10, 1, 7, 30, 15, 123456, tzinfo=UTC)


def tiny_png(shade: int) -> bytes:
    """A real 1x1 grey PNG (restore refuses pictures that are not PNGs)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = (1).to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes([0, shade])))
        + chunk(b"IEND", b"")
    )


def fill(user: User) -> None:
    """One or more records of every kind, linked to each other, with awkward values: microseconds,
    JSON objects whose keys jsonb reorders, text with commas, quotes, a formula and a newline."""
    Profile.objects.update_or_create(owner=user, defaults={"country": "GB", "units": "mile"})
    check_id = check_symptoms(SELF_MANAGE, user).check_id
    record_rmdq(user, [1, 5, 12])
    shoe = Shoe.objects.create(
        owner=user, name='Pegasus "blue", 41', brand="Nike", start_km=12.5, is_default=True
    )
    Shoe.objects.create(owner=user, name="=HYPERLINK(1)", retired=date(2026, 9, 1))
    for number in range(3):
        Activity.objects.create(
            owner=user,
            start_time=START + timedelta(days=number),
            utc_offset_s=3600,
            sport="running",
            distance_m=5000.5 + number,
            moving_time_s=1800,
            source_format="fit" if number else "manual",
            source_sha256=f"{number:064x}" if number else "",
            source_index=number,
            shoe=shoe if number < 2 else None,
            stream={"t": [0, 1, 2], "hr": [120, None, 125], "zeta": {"b": 1, "a": 2}},
        )
    Activity.objects.create(
        owner=user,
        start_time=START,
        sport="walking",
        source_format="strava",
        external_id="987",
        distance_m=None,
    )
    DiaryEntry.objects.create(
        owner=user,
        day=date(2026, 10, 2),
        pain_now=3,
        locations=["low_back", "left_buttock"],
        note='Sore,\nbut "fine"\u00e9',
        ran=True,
        pain_after_run=4,
        red_flags={"bladder_change": "no", "a_first": "no"},
    )
    DiaryEntry.objects.create(owner=user, day=date(2026, 10, 3), pain_now=2)
    PlanItemDone.objects.create(owner=user, day=date(2026, 10, 2), item_key="strength:bridge", title="Bridge")
    Experiment.objects.create(
        owner=user, kind="switch_shoes", param="Pegasus", start=date(2026, 9, 1), stopped_on=date(2026, 9, 8)
    )
    form = FormCheck.objects.create(
        owner=user,
        created_at=START,
        status="done",
        progress=1.0,
        filename="clip.mp4",
        roi=[1, 2, 300, 400],
        video_sha256="ab" * 32,
        result={"metrics": {"step_rate": 172.5, "overstride": 0.1}},
        medians={"step_rate": 172.5},
    )
    FormCheckImage.objects.create(
        form_check=form, kind="selection", frame=3, caption="Pick", png=tiny_png(10)
    )
    FormCheckImage.objects.create(form_check=form, kind="contact", frame=40, png=tiny_png(200))
    outcomes.record_rating(user, [("run 5 km", 4), ("sit through a meeting", 6)], source="cli")
    outcomes.record_rating(
        user, [("run 5 km", 5), ("sit through a meeting", 7)], source="web", check_id=check_id
    )


def export_files(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def comparable(data: bytes) -> dict[str, Any]:
    """An export's records with ids replaced by what they point at: equal for the same records
    in any database. Pictures are compared by their bytes."""
    files = export_files(data)
    rows = {kind.name: json.loads(files[f"{kind.name}.json"]) for kind in KINDS}
    by_id = {name: {row["id"]: row for row in kind_rows} for name, kind_rows in rows.items()}

    def resolved(kind_name: str, row: dict[str, Any]) -> dict[str, Any]:
        kind = KIND_BY_NAME[kind_name]
        out = {key: value for key, value in row.items() if key != "id"}
        for attname, target in kind.links.items():
            if out[attname] is not None:
                out[attname] = resolved(target, by_id[target][out[attname]])
        if IMAGE_FILE_FIELD in out:
            out[IMAGE_FILE_FIELD] = files[out[IMAGE_FILE_FIELD]]
        return out

    records = {name: [resolved(name, row) for row in kind_rows] for name, kind_rows in rows.items()}
    manifest = json.loads(files["manifest.json"])
    return {"records": records, "counts": manifest["counts"], "schema": json.loads(files["schema.json"])}
