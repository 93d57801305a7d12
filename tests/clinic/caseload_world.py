"""A clinician's caseload, built for tests: runners in every tier of need (services.caseload), each
sharing with the clinician as an accepted invite would leave it (a CareLink)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from tests.cases import SEE_A_DOCTOR, SELF_MANAGE
from tests.factories import backdate_check

from backstride.config import local_today
from backstride.services.checks import check_symptoms
from backstride.storage.models import CareLink, DiaryEntry, SymptomCheck

from .conftest import account


def share(runner: User, clinician: User) -> CareLink:
    return CareLink.objects.create(runner=runner, clinician=clinician)


def day_ago(runner: User, days: int, pain: int, escalation: str = "") -> DiaryEntry:
    return DiaryEntry.objects.create(
        owner=runner, day=local_today() - timedelta(days=days), pain_now=pain, escalation=escalation
    )


def checked(runner: User, answers: dict[str, object], days: int = 0) -> SymptomCheck:
    outcome = check_symptoms(answers, runner)
    assert outcome.check_id is not None
    return backdate_check(SymptomCheck.objects.get(id=outcome.check_id), days)


def tiered_caseload(clinician: User) -> dict[str, User]:
    """One runner per tier (and two with nothing flagged), named so that no tier is in name order:
    expected order: zara, bruno, yusuf, xena, walt, ann, carl."""
    runners = {name: account(name) for name in ("ann", "bruno", "carl", "walt", "xena", "yusuf", "zara")}
    for runner in runners.values():
        share(runner, clinician)
    checked(runners["zara"], SEE_A_DOCTOR)  # 1: urgent result today
    checked(runners["bruno"], SELF_MANAGE, days=20)
    day_ago(runners["bruno"], 3, 4, escalation="doctor_soon")  # 1: check-in escalation 3 days ago
    day_ago(runners["yusuf"], 20, 3, escalation="doctor_soon")  # 2: still open, from 20 days ago
    for days in range(14):  # 3: pain 2 the week before, 5 this week
        day_ago(runners["xena"], days, 5 if days < 7 else 2)
    day_ago(runners["walt"], 30, 2)  # 4: not seen for 30 days
    for name in ("ann", "carl"):  # 5: seen yesterday, nothing flagged
        day_ago(runners[name], 1, 2)
    return runners


ORDER = ["zara", "bruno", "yusuf", "xena", "walt", "ann", "carl"]
