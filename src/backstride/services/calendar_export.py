"""The week's plan as an iCalendar file (RFC 5545) that calendar apps import: one all-day event per
session, with the dose, the reason and the sources in its description."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event

from .plan_json import PlanItemRow

PlanDays = Iterable[tuple[date, Iterable[PlanItemRow]]]


def plan_to_ics(days: PlanDays, stamp: datetime | None = None) -> bytes:
    """`days`: (day, items), the items as plan_view gives them. Only title, dose, why, sources, kind
    and exercise_id are read, and all but title may be missing (``get``)."""
    calendar = Calendar()
    calendar.add("prodid", "-//backstride//weekly plan//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "backstride plan")
    stamped = stamp or datetime.now(UTC)
    for day, items in days:
        for number, item in enumerate(items):
            if item.get("kind") == "rest":
                continue
            event = Event()
            what = item.get("exercise_id") or item.get("kind")
            event.add("uid", f"{day.isoformat()}-{number}-{what}@backstride")
            event.add("dtstamp", stamped)
            event.add("dtstart", day)
            event.add("dtend", day + timedelta(days=1))
            event.add("summary", item["title"])
            lines = [item.get("dose") or "", item.get("why") or ""]
            if item.get("sources"):
                lines.append("Sources: " + ", ".join(item["sources"]))
            event.add("description", "\n".join(line for line in lines if line))
            calendar.add_component(event)
    return bytes(calendar.to_ical())
