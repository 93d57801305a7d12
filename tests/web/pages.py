"""Every main page with something on it, for the CSP tests (web and browser): a runner with two
symptom checks, two weeks of diary, runs with a stream, a shoe and two "My activities" ratings, so
that every chart is drawn. Text the runner typed carries markup, to show it stays text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.utils import timezone
from tests.cases import SELF_MANAGE

from backstride.config import local_today
from backstride.knowledge.exercises import exercises
from backstride.services.checks import check_symptoms
from backstride.services.outcomes import record_rating
from backstride.services.users import local_user
from backstride.storage.models import Activity, DiaryEntry, OutcomeRating, Shoe, SymptomCheck

HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)"> onload=alert(3)'

MAIN_PAGES = (
    "/",
    "/check/",
    "/today/",
    "/diary/",
    "/plan/",
    "/history/",
    "/activities/",
    "/shoes/",
    "/exercises/",
    "/form/",
    "/outcomes/",
    "/settings/",
    "/sources/",
    "/data/",
    "/experiments/",
    "/triggers/",
)


def seed_every_page() -> list[str]:
    """Store the runner's data; the main pages plus one activity, one exercise and one check result."""
    user = local_user()
    today = local_today()
    first = check_symptoms(SELF_MANAGE, user)
    SymptomCheck.objects.filter(id=first.check_id).update(created_at=timezone.now() - timedelta(days=20))
    latest = check_symptoms(SELF_MANAGE, user)
    shoe = Shoe.objects.create(owner=user, name=f"Trainer {HOSTILE}", replacement_km=700, start_km=650)
    minutes = list(range(0, 1800, 60))
    activity = None
    for days_ago, km in ((9, 6), (5, 7), (2, 10)):
        activity = Activity.objects.create(
            owner=user,
            start_time=datetime.combine(today - timedelta(days=days_ago), datetime.min.time(), UTC),
            sport="running",
            name=f"Run {HOSTILE}",
            distance_m=km * 1000,
            moving_time_s=km * 330,
            rpe=5,
            shoe=shoe,
            source_format="manual",
            stream={
                "time_s": minutes,
                "speed_mps": [3.0 + (i % 5) / 10 for i in range(len(minutes))],
                "altitude_m": [40.0 + i for i in range(len(minutes))],
            },
        )
    for days_ago in range(14):
        DiaryEntry.objects.create(
            owner=user, day=today - timedelta(days=days_ago), pain_now=days_ago % 4, note=HOSTILE
        )
    record_rating(user, [(f"run 5 km {HOSTILE}", 4)], source="web")
    OutcomeRating.objects.update(created_at=timezone.now() - timedelta(days=15))
    record_rating(user, [(f"run 5 km {HOSTILE}", 6)], source="web")
    assert activity is not None
    exercise_id = next(iter(exercises()))
    return [
        *MAIN_PAGES,
        f"/activities/{activity.id}/",
        f"/exercises/{exercise_id}/",
        f"/checks/{latest.check_id}/",
    ]
