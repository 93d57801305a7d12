"""A runner with ten weeks of data, stored with the ORM for the clinician report's tests (issue 14):
two full checks (the first 9 weeks ago), Roland-Morris and My activities rated twice, a diary day
for every day (a flare in week 6, one check-in whose safety answers escalated, a few notes), four runs
a week with a chart stream and shoes, plan items ticked over the last three weeks, and two
side-view form checks with medians, findings and a key frame (no video)."""

from __future__ import annotations

import random
import struct
import zlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.contrib.auth.models import User
from django.utils import timezone
from tests.cases import NO_RED_FLAGS, SELF_MANAGE

from backstride.core.plan.progress import TICKABLE
from backstride.services.checks import check_symptoms
from backstride.services.outcomes import record_rating
from backstride.services.plan import build_plan, set_done
from backstride.services.rmdq import record_rmdq
from backstride.storage.models import (
    Activity,
    DiaryEntry,
    FormCheck,
    FormCheckImage,
    OutcomeRating,
    RmdqResponse,
    Shoe,
    SymptomCheck,
)

WEEKS = 10
NOTE = "Stiff after the long run, eased by lunch"
PRIVATE_NOTE = "Private: argued with my boss"
FLAG_RULES = ["E2"]


@dataclass(frozen=True)
class Seeded:
    first_day: date
    flare_days: list[date]
    escalated_day: date
    runs: int
    form_checks: list[int]


def tiny_png(width: int = 8, height: int = 6) -> bytes:
    """A small grey PNG (a key frame stands in for the real one)."""
    rows = b"".join(b"\x00" + bytes([128, 128, 128]) * width for _ in range(height))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def backdate(model: type, row_id: int, days: int) -> None:
    model.objects.filter(id=row_id).update(created_at=timezone.now() - timedelta(days=days))


def seed_ten_weeks(user: User, today: date) -> Seeded:
    rng = random.Random(14)
    first = today - timedelta(weeks=WEEKS) + timedelta(days=1)
    # Two full checks: 9 weeks ago and 5 days ago; ratings and Roland-Morris with each.
    old = check_symptoms(SELF_MANAGE, user)
    assert old.check_id is not None
    SymptomCheck.objects.filter(id=old.check_id).update(created_at=timezone.now() - timedelta(weeks=9))
    rmdq_first = record_rmdq(user, [1, 2, 3, 4, 5, 6, 7, 8])
    assert rmdq_first.response_id is not None
    backdate(RmdqResponse, rmdq_first.response_id, 63)
    rating = record_rating(user, [("run 5 km", 3), ("sit through a meeting", 4)], source="check")
    backdate(OutcomeRating, rating["id"], 63)
    recent = check_symptoms({**SELF_MANAGE, "pain_now": 1}, user)
    assert recent.check_id is not None
    SymptomCheck.objects.filter(id=recent.check_id).update(created_at=timezone.now() - timedelta(days=5))
    record_rmdq(user, [1, 2])
    record_rating(user, [("run 5 km", 7), ("sit through a meeting", 8)], source="cli", global_change="better")

    default = Shoe.objects.create(owner=user, name="Pegasus 40", start_km=120, is_default=True)
    trail = Shoe.objects.create(owner=user, name="Speedgoat 5", start_km=640, replacement_km=700)
    flare_days = [first + timedelta(days=38 + i) for i in range(4)]  # week 6
    escalated = first + timedelta(days=20)
    runs = 0
    for offset in range((today - first).days + 1):
        day = first + timedelta(days=offset)
        flare = day in flare_days
        pain = rng.randint(5, 6) if flare else rng.choice((1, 1, 2, 2, 3))
        ran = day.weekday() in (1, 3, 5, 6) and not flare
        if ran:
            long_run = day.weekday() == 6
            week = offset // 7
            km = (8 + week * 0.8 if long_run else 5 + rng.random() * 2) * (
                1.6 if week == 8 and long_run else 1
            )
            minutes = km * 6
            Activity.objects.create(
                owner=user,
                start_time=datetime(day.year, day.month, day.day, 12, tzinfo=UTC),
                sport="running",
                name="Long run" if long_run else "",
                distance_m=round(km * 1000, 1),
                moving_time_s=round(minutes * 60, 1),
                elapsed_time_s=round(minutes * 62, 1),
                elevation_gain_m=round(km * (25 if long_run else 6), 1),
                rpe=float(rng.randint(3, 7)),
                shoe=trail if long_run else default,
                terrain="hilly" if long_run else "flat",
                surface="trail" if long_run else "road",
                source_format="manual",
                stream={"time_s": [0, 60, 120], "speed_mps": [2.7, 2.8, 2.8], "heart_rate": [120, 135, 140]},
            )
            runs += 1
        fields: dict[str, object] = {"red_flags": NO_RED_FLAGS_A8}
        if day == escalated:
            fields = {
                "red_flags": {**NO_RED_FLAGS_A8, "bladder_change": True},
                "escalation": "emergency",
                "escalation_rules": FLAG_RULES,
                "escalation_cleared": True,
            }
        note = ""
        if day == flare_days[1]:
            note = NOTE
        elif offset == 3:
            note = PRIVATE_NOTE
        DiaryEntry.objects.create(
            owner=user,
            day=day,
            pain_now=pain,
            locations=["central"] if pain else [],
            ran=ran,
            pain_during_run=pain + 1 if ran else None,
            pain_after_run=pain if ran else None,
            note=note,
            **fields,
        )
    for back in range(20, 0, -1):  # tick the plan's items on most days of the last three weeks
        day = today - timedelta(days=back)
        if back % 5 == 0:
            continue
        plan = build_plan(user, day, today)
        if plan.blocked:
            continue
        for item in next(d for d in plan.days if d.day == day).items:
            if item.kind in TICKABLE:
                set_done(user, day, item.key, today)
    form_checks = []
    for days_ago, cadence, overstride in ((40, 158.0, 14.5), (6, 168.0, 9.8)):
        check = FormCheck.objects.create(
            owner=user,
            status="done",
            view="side",
            filename=f"clip-{days_ago}.mp4",
            medians={
                "cadence_spm": cadence,
                "overstride_pct_leg": overstride,
                "shank_angle_deg": 8.2,
                "trunk_lean_deg": 6.1,
                "neck_flexion_deg": 12.3,
            },
            result={
                "steps": 14,
                "findings": [{"id": "overstride", "kind": "flag", "title": "Heel lands ahead of the pelvis"}],
            },
        )
        backdate(FormCheck, check.id, days_ago)
        FormCheckImage.objects.create(
            form_check=check, kind="contact", frame=12, caption="Left foot strike", png=tiny_png()
        )
        form_checks.append(check.id)
    return Seeded(first, flare_days, escalated, runs, form_checks)


# The daily check-in's safety answers (spec A.8), all "no".
NO_RED_FLAGS_A8 = {
    key: value
    for key, value in NO_RED_FLAGS.items()
    if key
    in {
        "saddle_numbness",
        "bladder_change",
        "bowel_change",
        "numbness_tingling",
        "leg_weakness",
    }
}
