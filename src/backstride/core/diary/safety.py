"""The repeated red-flag screen at every check-in (spec A.8): the check-in's answers as the triage
engine reads them, and the escalation when they reach ``doctor_soon`` or worse. The triage rules
are not copied: ``evaluate`` runs on the answers, so the diary never disagrees with the full check."""

from __future__ import annotations

from collections.abc import Mapping

from ..triage import TriageResult, Urgency, evaluate
from ..triage.model import Answer
from .check_in import CheckIn, RedFlagAnswer, pain_extent_of


def screen_answers(
    red_flags: Mapping[str, RedFlagAnswer],
    locations: frozenset[str],
    context: Mapping[str, Answer] | None = None,
) -> dict[str, Answer]:
    answers: dict[str, Answer] = {**(context or {}), **red_flags}
    extent = pain_extent_of(locations)
    if extent is not None and "pain_extent" not in answers:
        answers["pain_extent"] = extent
    return answers


def red_flag_answers(check_in: CheckIn, context: Mapping[str, Answer] | None = None) -> dict[str, Answer]:
    """The questionnaire answers the check-in gives the triage engine: its A.8 answers plus
    ``pain_extent`` from its locations, with the full check's answers about the person."""
    return screen_answers(check_in.red_flags, check_in.locations, context)


def escalation(check_in: CheckIn, context: Mapping[str, Answer] | None = None) -> TriageResult | None:
    """The triage result when the check-in's red-flag answers reach ``emergency`` or ``doctor_soon``
    (a "not sure" cauda equina answer is CES-UNSURE, doctor_soon), else None. Exactly what the full
    check gives for the same answers: ``evaluate`` runs on them."""
    result = evaluate(red_flag_answers(check_in, context))
    return result if result.urgency >= Urgency.DOCTOR_SOON else None
