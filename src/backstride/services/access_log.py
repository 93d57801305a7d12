"""The runner's log of who looked at or changed their records (issue 15). Every clinician page that
shows a runner's data writes one entry; the runner reads the log on their sharing page.

A clinician who reloads a page writes one entry, not ten: an entry the same person made for the
same look within REPEAT_WINDOW is refreshed instead of repeated."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from backstride.storage.models import AccessLogEntry

# Each action in the runner's words: "<name> <words>".
ACTIONS: dict[str, str] = {
    "sharing_started": "started seeing your records",
    "sharing_ended": "stopped seeing your records",
    "caseload": "saw your summary in their list of runners",
    "timeline": "looked at your timeline",
    "report": "opened your report",
    "report_pdf": "downloaded your report as a PDF",
    "plan_changed": "changed your plan",
    "plan_viewed": "looked at your plan",
    "note_written": "wrote a clinical note about you",
}
REPEAT_WINDOW = timedelta(minutes=10)
NOT_REPEATED = {"caseload", "timeline", "report", "plan_viewed"}


@dataclass(frozen=True)
class LogLine:
    at: datetime
    actor_name: str
    action: str
    words: str  # "Dr Lee looked at your timeline"
    detail: str


def record(actor: User, runner: User, action: str, detail: str = "") -> None:
    record_for_each(actor, [runner], action, detail)


def record_for_each(actor: User, runners: Sequence[User], action: str, detail: str = "") -> None:
    """``record`` for many runners at once (a caseload lists them all): a few queries, not a few
    per runner; coalesced the same way."""
    if action not in ACTIONS:
        raise ValueError(f"unknown access-log action {action!r}")
    now = timezone.now()
    with transaction.atomic():
        refreshed: set[int] = set()
        if action in NOT_REPEATED:
            recent = AccessLogEntry.objects.filter(
                runner__in=list(runners),
                actor=actor,
                action=action,
                detail=detail[:200],
                at__gte=now - REPEAT_WINDOW,
            )
            refreshed = set(recent.values_list("runner_id", flat=True))
            recent.update(at=now)
        AccessLogEntry.objects.bulk_create(
            AccessLogEntry(
                runner=runner,
                actor=actor,
                actor_name=actor.get_username(),
                action=action,
                detail=detail[:200],
                at=now,
            )
            for runner in runners
            if runner.pk not in refreshed
        )


def entries_for(runner: User, limit: int = 200) -> list[LogLine]:
    """The runner's log, newest first."""
    rows = AccessLogEntry.objects.filter(runner=runner).values("at", "actor_name", "action", "detail")[:limit]
    return [
        LogLine(
            at=row["at"],
            actor_name=row["actor_name"],
            action=row["action"],
            words=f"{row['actor_name']} {ACTIONS.get(row['action'], row['action'])}",
            detail=row["detail"],
        )
        for row in rows
    ]
