"""check_symptoms: validate answers, run the triage engine, build the report, store it (or not)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TypedDict

from django.contrib.auth.models import User
from django.db import transaction

from backstride.config import local_time, local_today
from backstride.core.triage import InvalidAnswers, evaluate, parse_answers
from backstride.core.triage.engine import ENGINE_VERSION
from backstride.core.triage.model import Answer
from backstride.core.triage.standing import birth_day
from backstride.storage.models import SymptomCheck

from .check_report import CheckReport, build_check_report
from .diary import clear_escalations
from .errors import BadAnswers, NotFound
from .users import profile_for


@dataclass(frozen=True)
class CheckOutcome:
    report: CheckReport
    check_id: int | None


def check_symptoms(
    raw_answers: object,
    user: User | None,
    *,
    save: bool = True,
    completed: bool = True,
    country: str | None = None,
) -> CheckOutcome:
    """Validate and triage. Nothing is stored unless every answer is valid and save is True."""
    try:
        answers = parse_answers(raw_answers)
    except InvalidAnswers as error:
        raise BadAnswers(error.problems) from error
    if country is None and user is not None:
        country = profile_for(user).country or None
    result = evaluate(answers, stopped=not completed)
    born = birth_day(answers, local_today())  # K.6: stored, so PN-1 lifts by itself at 12 weeks
    report = build_check_report(
        result, answers, country, completed=completed, birth_date=born.isoformat() if born else None
    )
    if not save or user is None:
        return CheckOutcome(report, None)
    with transaction.atomic():
        check = SymptomCheck.objects.create(
            owner=user,
            answers=answers,
            report=report,
            engine_version=ENGINE_VERSION,
            urgency=report["urgency"],
            urgency_when=report["urgency_when"] or "",
            run_today=report["run_today"],
            likely_pattern=report["likely_pattern"],
            startback_total=report["startback"]["total"],
            startback_risk=report["startback"]["risk"],
            pain_now=answers.get("pain_now") if isinstance(answers.get("pain_now"), int) else None,
            completed=completed,
        )
        if completed:
            clear_escalations(user)  # a new full check supersedes check-in escalations
    report["id"] = check.id
    report["created_at"] = local_time(check.created_at).isoformat()
    return CheckOutcome(report, check.id)


def known_answers(user: User, today: date) -> dict[str, Answer]:
    """Answers the app already knows, so the check does not ask them: the km of the shoe in use
    (shoe_km, from the shoe tracker)."""
    from .shoes import current_shoe_km

    km = current_shoe_km(user, today)
    return {} if km is None else {"shoe_km": round(km)}


def list_checks(user: User, with_report: bool = False) -> list[SymptomCheck]:
    """The runner's checks, newest first, without their answers; ``with_report`` reads the stored
    reports in the same query (History shows a part of each: deferred, it cost a query per check)."""
    deferred = ("answers",) if with_report else ("answers", "report")
    return list(SymptomCheck.objects.filter(owner=user).defer(*deferred))


def get_check(user: User, check_id: int) -> SymptomCheck:
    try:
        return SymptomCheck.objects.get(owner=user, id=check_id)
    except SymptomCheck.DoesNotExist as error:
        raise NotFound(f"no saved check with id {check_id}: `backstride history` lists them") from error


class CheckSummary(TypedDict):
    """A saved check in `backstride history --format json`."""

    id: int
    created_at: str  # ISO date and time, local
    urgency: str
    urgency_when: str | None
    run_today: str
    likely_pattern: str
    startback_total: int | None  # None when STarT Back was not asked
    startback_risk: str
    pain_now: int | None
    completed: bool


def summary_row(check: SymptomCheck) -> CheckSummary:
    return {
        "id": check.id,
        "created_at": local_time(check.created_at).isoformat(),
        "urgency": check.urgency,
        "urgency_when": check.urgency_when or None,
        "run_today": check.run_today,
        "likely_pattern": check.likely_pattern,
        # A check stopped early never asked STarT Back (older rows stored "low (0)" for it).
        "startback_total": check.startback_total if startback_asked(check) else None,
        "startback_risk": check.startback_risk if startback_asked(check) else "not_asked",
        "pain_now": check.pain_now,
        "completed": check.completed,
    }


def startback_asked(check: SymptomCheck) -> bool:
    return check.completed and check.startback_risk != "not_asked"
