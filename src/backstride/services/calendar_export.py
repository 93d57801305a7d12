"""The week's plan as an iCalendar file (RFC 5545) that calendar apps import: one all-day event per
session (a day's strength exercises are one event, the run with its warm-up another, mobility a
third), each exercise listed in the description with its dose, reason and sources. One event per
exercise filled a week with some 50 events that nobody wants in a calendar."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event

from backstride.core.text import counted

from .plan_json import PlanItemRow

PlanDays = Iterable[tuple[date, Iterable[PlanItemRow]]]

# Which session each plan kind belongs to, in the order a day's events are written. Kinds not named
# here (a future one) form a session of their own after these.
SESSION_OF_KIND = {
    "strength": "strength",
    "pelvic_floor": "strength",
    "readiness": "strength",
    "activation": "run",  # the pre-run warm-up goes with the run it prepares for
    "run": "run",
    "walk": "run",
    "cross_training": "run",
    "mobility": "mobility",
}
SESSION_NAMES = {"strength": "Strength session", "run": "Run", "mobility": "Mobility session"}
SESSION_ORDER = ("strength", "run", "mobility")


def sessions_of(items: Iterable[Mapping[str, object]]) -> list[tuple[str, list[Mapping[str, object]]]]:
    """A day's items grouped into sessions (rest left out), in SESSION_ORDER then first-seen order."""
    grouped: dict[str, list[Mapping[str, object]]] = {}
    for item in items:
        kind = str(item.get("kind") or "")
        if kind == "rest":
            continue
        grouped.setdefault(SESSION_OF_KIND.get(kind, kind), []).append(item)
    order = [
        *(name for name in SESSION_ORDER if name in grouped),
        *(n for n in grouped if n not in SESSION_ORDER),
    ]
    return [(name, grouped[name]) for name in order]


def session_summary(session: str, items: Sequence[Mapping[str, object]]) -> str:
    """One item keeps its own title; several say what the session is and how many exercises."""
    if len(items) == 1:
        return str(items[0]["title"])
    runs = [
        item
        for item in items
        if SESSION_OF_KIND.get(str(item.get("kind"))) == "run" and item.get("kind") != "activation"
    ]
    if session == "run" and len(runs) == 1:  # the run, with its warm-up inside
        return f"{runs[0]['title']} (with warm-up)"
    name = SESSION_NAMES.get(session, session.replace("_", " ").capitalize())
    return f"{name}: {counted(len(items), 'exercise')}"


def _item_lines(item: Mapping[str, object]) -> list[str]:
    dose = item.get("dose") or ""
    lines = [f"- {item['title']}{': ' + str(dose) if dose else ''}"]
    if item.get("why"):
        lines.append(f"  {item['why']}")
    sources = item.get("sources")
    if isinstance(sources, Sequence) and not isinstance(sources, str) and sources:
        lines.append("  Sources: " + ", ".join(str(source) for source in sources))
    return lines


def session_description(items: Sequence[Mapping[str, object]]) -> str:
    return "\n".join(line for item in items for line in _item_lines(item))


def plan_to_ics(days: PlanDays, stamp: datetime | None = None) -> bytes:
    """`days`: (day, items), the items as plan_view gives them. Only title, dose, why, sources, kind
    and exercise_id are read, and all but title may be missing (``get``)."""
    calendar = Calendar()
    calendar.add("prodid", "-//backstride//weekly plan//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "backstride plan")
    stamped = stamp or datetime.now(UTC)
    for day, items in days:
        for session, session_items in sessions_of(items):
            event = Event()
            event.add("uid", f"{day.isoformat()}-{session}@backstride")
            event.add("dtstamp", stamped)
            event.add("dtstart", day)
            event.add("dtend", day + timedelta(days=1))
            event.add("summary", session_summary(session, session_items))
            event.add("description", session_description(session_items))
            calendar.add_component(event)
    return bytes(calendar.to_ical())
