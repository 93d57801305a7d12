"""The plan's iCalendar file imports in a standard parser: one event per session, rest days left out."""

from __future__ import annotations

from datetime import UTC, date, datetime

from icalendar import Calendar

from backstride.services.calendar_export import plan_to_ics


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
