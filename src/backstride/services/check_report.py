"""The report of a symptom check: what `backstride check --format json` prints, the CLI's text
report reads and the check stores, built here from the triage result's values and the knowledge
texts (the core returns values; the wording and the JSON shape are this module's).

The JSON field names `urgency`, `urgency_when`, `red_flags`, `likely_pattern`, `run_today`,
`startback` (`total`, `psychosocial`, `risk`), `reasons` and `sources` are a public contract, and
the keys come in the order CheckReport declares them."""

from __future__ import annotations

from typing import NotRequired, TypedDict

from backstride.core.triage import TriageResult, Urgency
from backstride.core.triage.engine import ENGINE_VERSION
from backstride.core.triage.model import Answer, Answers, FiredRule, InflammatoryScreen, StartBackScore
from backstride.knowledge import catalog

from .urgency_text import emergency_text, urgency_text

# Reasons are listed in this order: what decides urgency first, then run-today, then the pattern.
KIND_ORDER = {"urgency": 0, "condition": 1, "inflammatory": 1, "run_today": 2, "pattern": 3}


class StartBackRow(TypedDict):
    total: int | None  # None when not asked (a check stopped early)
    psychosocial: int | None
    risk: str  # "low" | "medium" | "high" | "not_asked"
    asked: bool
    items_answered: int
    complete: bool


class InflammatoryRow(TypedDict):
    entry_met: bool
    onset_age: float | None
    nice_count: int
    asas_count: int
    met: bool
    borderline: bool


class ReportReason(TypedDict):
    rule: str
    kind: str
    outcome: str
    text: str
    app_policy: str | None
    answers: dict[str, Answer]  # the answers (item id -> value) that made the rule fire


class AdviceRow(TypedDict):
    id: str
    title: str
    body: list[str]
    evidence_note: str | None
    sources: list[str]


class ReportSource(TypedDict):
    id: str
    citation: str
    url: str | None
    path: str | None


class ContactRow(TypedDict):
    country: str | None
    emergency: str
    urgent: str | None
    urgent_advice: str


class CheckReport(TypedDict):
    engine_version: str
    urgency: str
    urgency_when: str | None
    urgency_headline: str
    urgency_action: str
    red_flags: list[str]
    urgency_rules: list[str]
    rule_ids: list[str]
    likely_pattern: str
    likely_pattern_name: str
    pattern_rule: str
    pattern_summary: str | None
    pattern_self_care: list[str]
    pattern_disclaimer: str
    run_today: str
    startback: StartBackRow
    inflammatory: InflammatoryRow
    reasons: list[ReportReason]
    advice: list[AdviceRow]
    sources: list[ReportSource]
    emergency_contact: ContactRow
    answers: dict[str, Answer]
    completed: bool
    birth_date: str | None  # ISO date (spec K.6)
    id: NotRequired[int]  # once saved
    created_at: NotRequired[str]  # once saved: ISO date and time, local


def build_check_report(
    result: TriageResult,
    answers: Answers,
    country: str | None = None,
    *,
    completed: bool = True,
    birth_date: str | None = None,
) -> CheckReport:
    """The report of a triage result, worded with the emergency numbers of the user's country, with
    whether the check was completed and the birth date it implies (ISO date, spec K.6)."""
    contact = catalog.emergency_contact(country)
    said = urgency_text(result.urgency, [rule.rule_id for rule in result.urgency_rules], contact)
    pattern = catalog.pattern(result.likely_pattern)
    urgent = result.urgency >= Urgency.DOCTOR_SOON
    reasons = [reason_row(fired) for fired in sorted(result.fired, key=lambda rule: KIND_ORDER[rule.kind])]
    advice = [advice_row(card_id, contact) for card_id in result.advice_ids]
    # Sources in the order the report cites them: the urgency, the reasons, the pattern, the advice.
    source_ids = [
        *said.sources,
        *(source for fired in reasons for source in catalog.rule(fired["rule"]).sources),
        *pattern.sources,
        *(source for card in advice for source in card["sources"]),
    ]
    return {
        "engine_version": ENGINE_VERSION,
        "urgency": result.urgency.code,
        "urgency_when": said.when,
        "urgency_headline": said.headline,
        "urgency_action": said.action,
        "red_flags": list(result.red_flags),
        "urgency_rules": [rule.rule_id for rule in result.urgency_rules],
        "rule_ids": list(result.rule_ids),
        "likely_pattern": result.likely_pattern,
        "likely_pattern_name": pattern.name,
        "pattern_rule": result.pattern_rule,
        # For an urgent result the urgency advice is the whole plan: no routine self-care beside it.
        "pattern_summary": None if urgent else pattern.summary,
        "pattern_self_care": [] if urgent else list(pattern.self_care),
        "pattern_disclaimer": catalog.pattern_disclaimer(),
        "run_today": result.run_today.code,
        "startback": startback_row(result.startback),
        "inflammatory": inflammatory_row(result.inflammatory),
        "reasons": reasons,
        "advice": advice,
        "sources": [
            {"id": source.id, "citation": source.citation, "url": source.url, "path": source.path}
            for source in catalog.sources_for(source_ids)
        ],
        "emergency_contact": {
            "country": contact.country,
            "emergency": contact.emergency,
            "urgent": contact.urgent,
            "urgent_advice": contact.urgent_advice,
        },
        "answers": dict(answers),
        "completed": completed,
        "birth_date": birth_date,
    }


def reason_row(fired: FiredRule) -> ReportReason:
    text = catalog.rule(fired.rule_id)
    return {
        "rule": fired.rule_id,
        "kind": fired.kind,
        "outcome": fired.outcome,
        "text": text.title,
        "app_policy": text.app_policy,
        "answers": dict(fired.answers),
    }


def advice_row(card_id: str, contact: catalog.EmergencyContact) -> AdviceRow:
    card = catalog.advice(card_id)
    return {
        "id": card.id,
        "title": emergency_text(card.title, contact),
        "body": [emergency_text(paragraph, contact) for paragraph in card.body],
        "evidence_note": card.evidence_note,
        "sources": list(card.sources),
    }


def startback_row(startback: StartBackScore) -> StartBackRow:
    # Not asked (a check stopped early): no score, rather than a "low (0)" nobody answered for.
    return {
        "total": startback.total if startback.asked else None,
        "psychosocial": startback.psychosocial if startback.asked else None,
        "risk": startback.risk,
        "asked": startback.asked,
        "items_answered": startback.items_answered,
        "complete": startback.complete,
    }


def inflammatory_row(inflammatory: InflammatoryScreen) -> InflammatoryRow:
    return {
        "entry_met": inflammatory.entry_met,
        "onset_age": None if inflammatory.onset_age is None else round(inflammatory.onset_age, 1),
        "nice_count": inflammatory.nice_count,
        "asas_count": inflammatory.asas_count,
        "met": inflammatory.met,
        "borderline": inflammatory.borderline,
    }
