"""The latest full check as it stands today (spec K; core/triage/standing.py): what a check-in's
safety screen reads with its own answers, and the rules still in force until a new full check."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User

from backstride.config import local_day
from backstride.core.triage.standing import Standing, standing_of
from backstride.storage.models import SymptomCheck


def latest_full_check(user: User) -> SymptomCheck | None:
    return SymptomCheck.objects.filter(owner=user, completed=True).order_by("-created_at").first()


def rule_ids_of(check: SymptomCheck) -> list[str]:
    """Every rule a stored check fired (reports before section K list them only as reasons)."""
    report = check.report or {}
    return list(report.get("rule_ids") or [reason["rule"] for reason in report.get("reasons", [])])


def standing(user: User, today: date) -> Standing:
    """The latest full check as it stands today (spec K): what a check-in's safety screen reads and
    the rules still in force (R7, R8, A7, the plan's section K limits). Empty without a check."""
    return standing_from(latest_full_check(user), today)


def standing_from(check: SymptomCheck | None, today: date) -> Standing:
    """``standing`` for a full check already read."""
    if check is None:
        return Standing()
    stored = (check.report or {}).get("birth_date")
    born = date.fromisoformat(stored) if stored else None
    return standing_of(check.answers, rule_ids_of(check), local_day(check.created_at), today, born)
