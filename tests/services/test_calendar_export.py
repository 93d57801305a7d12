"""The plan's iCalendar file imports in a standard parser: one event per session, rest days left out."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from icalendar import Calendar
from tests.cases import SELF_MANAGE

from backstride.config import local_today
from backstride.services.calendar_export import plan_to_ics
from backstride.services.checks import check_symptoms
from backstride.services.plan import plan_view
from backstride.services.users import local_user


def test_sessions_become_all_day_events_with_reason_and_sources():
    monday = date(2026, 11, 23)
    raw = plan_to_ics(
        [
            (
                monday,
                [
                    {
                        "kind": "strength",
                        "exercise_id": "glute-bridge",
                        "title": "Glute bridge",
                        "dose": "3 x 10",
                        "why": "Hip strength (spec G)",
                        "sources": ["seed-003"],
                    }
                ],
            ),
            (date(2026, 11, 24), [{"kind": "rest", "title": "Rest day"}]),
        ],
        stamp=datetime(2026, 11, 22, tzinfo=UTC),
    )
    events = Calendar.from_ical(raw).walk("VEVENT")
    assert [str(event.get("summary")) for event in events] == ["Glute bridge"]
    event = events[0]
    assert event.decoded("dtstart") == monday
    assert "Hip strength" in str(event.get("description")) and "seed-003" in str(event.get("description"))
    assert plan_to_ics([], stamp=datetime(2026, 11, 22, tzinfo=UTC)) == plan_to_ics(
        [], stamp=datetime(2026, 11, 22, tzinfo=UTC)
    )


def test_a_day_is_one_event_per_session_with_every_exercise_in_its_description():
    """Issue 13: 52 events for one week. Now a day's strength exercises are one event, the run (with
    its warm-up) another, mobility a third."""
    day = date(2026, 11, 23)
    strength = [
        {
            "kind": "strength",
            "exercise_id": f"ex-{n}",
            "title": f"Exercise {n}",
            "dose": "3 x 10",
            "why": "Why",
        }
        for n in range(6)
    ]
    items = [
        *strength,
        {"kind": "activation", "exercise_id": "skips", "title": "Warm-up drills", "dose": "5 min"},
        {"kind": "run", "title": "Easy run", "dose": "30 min"},
        {"kind": "mobility", "exercise_id": "cat-cow", "title": "Cat-cow", "dose": "10"},
        {"kind": "mobility", "exercise_id": "child", "title": "Child's pose", "dose": "30 s"},
        {"kind": "rest", "title": "Rest"},
    ]
    raw = plan_to_ics([(day, items)], stamp=datetime(2026, 11, 22, tzinfo=UTC))
    events = Calendar.from_ical(raw).walk("VEVENT")
    summaries = [str(event["summary"]) for event in events]
    assert summaries == [
        "Strength session: 6 exercises",
        "Easy run (with warm-up)",
        "Mobility session: 2 exercises",
    ]
    descriptions = [str(event["description"]) for event in events]
    for item in items[:-1]:
        assert sum(item["title"] in text for text in descriptions) == 1, item["title"]
    assert len({str(event["uid"]) for event in events}) == 3


@pytest.mark.django_db
def test_a_real_week_has_at_most_three_events_a_day():
    user = local_user()
    check_symptoms(SELF_MANAGE, user)
    data = plan_view(user, local_today(), local_today())
    days = [(date.fromisoformat(row["day"]), row["items"]) for row in data["days"]]
    events = Calendar.from_ical(plan_to_ics(days)).walk("VEVENT")
    items = [(row["day"], item) for row in data["days"] for item in row["items"] if item["kind"] != "rest"]
    assert len(events) < len(items)
    for row in data["days"]:
        todays = [
            f"{event['summary']}\n{event['description']}"
            for event in events
            if event.decoded("dtstart").isoformat() == row["day"]
        ]
        assert len(todays) <= 3
        for item in row["items"]:
            if item["kind"] != "rest":
                assert any(item["title"] in text for text in todays)
