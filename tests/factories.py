"""Small builders shared by tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from backstride.services.users import local_user
from backstride.storage.models import Activity, Shoe, SymptomCheck


def make_run(km: float, shoe: Shoe | None = None, sport: str = "running") -> Activity:
    """A hand-logged activity of the local user on 1 Nov 2026."""
    return Activity.objects.create(
        owner=local_user(),
        start_time=datetime(2026, 11, 1, 7, tzinfo=UTC),
        sport=sport,
        distance_m=km * 1000,
        source_format="manual",
        shoe=shoe,
    )


def backdate_check(check: SymptomCheck, days: int) -> SymptomCheck:
    """Move a stored check ``days`` into the past as if it had been done then: its time and the
    birth date it stored (spec K.6) both move."""
    check.created_at -= timedelta(days=days)
    born = check.report.get("birth_date")
    if born:
        check.report["birth_date"] = (date.fromisoformat(born) - timedelta(days=days)).isoformat()
    check.save(update_fields=["created_at", "report"])
    return check
