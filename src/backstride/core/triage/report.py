"""Turn a TriageResult into the report people and scripts read (CLI --format json, web, history).

The JSON field names `urgency`, `urgency_when`, `red_flags`, `likely_pattern`, `run_today`,
`startback` (`total`, `psychosocial`, `risk`), `reasons` and `sources` are a public contract.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from backstride.knowledge import catalog

from .engine import tier_of, urgency_when
from .model import Answers, TriageResult, Urgency

ENGINE_VERSION = "2026.12.1"
# Reasons are listed in this order: what decides urgency first, then run-today, then the pattern.
KIND_ORDER = {"urgency": 0, "condition": 1, "inflammatory": 1, "run_today": 2, "pattern": 3}
# Rules with their own headline (rules.yaml), most specific first, when several decide a result.
OWN_HEADLINE_ORDER = ("E13", "E12", "PG-2", "U-1", "PN-2", "PG-1")


def emergency_text(template: str, contact: catalog.EmergencyContact) -> str:
    return template.format(emergency_number=contact.emergency, urgent_advice=contact.urgent_advice)


@dataclass(frozen=True)
class UrgencyText:
    """What a result tells the person to do, and how soon (spec K.1)."""

    urgency: str
    when: str | None  # "now", "today", "24-48h", "1-2 weeks" or None
    headline: str
    action: str
    sources: tuple[str, ...]


def urgency_text(urgency: Urgency, rule_ids: Sequence[str], contact: catalog.EmergencyContact) -> UrgencyText:
    """The one place a headline is worded, for a check, the dashboard banner and a check-in's
    escalation alike: the tier's words for its timing, or the words of the rule that decides it
    (e.g. "call your maternity unit")."""
    when = urgency_when(urgency, rule_ids)
    tier = catalog.tier(urgency.code)
    headline, action = (
        tier.timed.get(when, (tier.headline, tier.action)) if when else (tier.headline, tier.action)
    )
    sources = list(tier.sources)
    deciding = [
        rule_id
        for rule_id in OWN_HEADLINE_ORDER
        if rule_id in rule_ids and tier_of(rule_id) is urgency and urgency_when(urgency, [rule_id]) == when
    ]
    if deciding:
        text = catalog.rule(deciding[0])
        assert text.headline is not None and text.action is not None
        headline, action = text.headline, text.action
        sources.extend(text.sources)
    return UrgencyText(
        urgency.code, when, emergency_text(headline, contact), emergency_text(action, contact), tuple(sources)
    )


def build_report(result: TriageResult, answers: Answers, country: str | None = None) -> dict[str, Any]:
    contact = catalog.emergency_contact(country)
    said = urgency_text(result.urgency, [rule.rule_id for rule in result.urgency_rules], contact)
    pattern = catalog.pattern(result.likely_pattern)
    urgent = result.urgency >= Urgency.DOCTOR_SOON
    reasons = []
    source_ids: list[str] = [*said.sources]
    for fired in sorted(result.fired, key=lambda rule: KIND_ORDER[rule.kind]):
        text = catalog.rule(fired.rule_id)
        source_ids.extend(text.sources)
        reasons.append(
            {
                "rule": fired.rule_id,
                "kind": fired.kind,
                "outcome": fired.outcome,
                "text": text.title,
                "app_policy": text.app_policy,
                "answers": dict(fired.answers),
            }
        )
    source_ids.extend(pattern.sources)
    advice = []
    for card_id in result.advice_ids:
        card = catalog.advice(card_id)
        source_ids.extend(card.sources)
        advice.append(
            {
                "id": card.id,
                "title": emergency_text(card.title, contact),
                "body": [emergency_text(paragraph, contact) for paragraph in card.body],
                "evidence_note": card.evidence_note,
                "sources": list(card.sources),
            }
        )
    startback = result.startback
    inflammatory = result.inflammatory
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
        # Not asked (a check stopped early): no score, rather than a "low (0)" nobody answered for.
        "startback": {
            "total": startback.total if startback.asked else None,
            "psychosocial": startback.psychosocial if startback.asked else None,
            "risk": startback.risk,
            "asked": startback.asked,
            "items_answered": startback.items_answered,
            "complete": startback.complete,
        },
        "inflammatory": {
            "entry_met": inflammatory.entry_met,
            "onset_age": None if inflammatory.onset_age is None else round(inflammatory.onset_age, 1),
            "nice_count": inflammatory.nice_count,
            "asas_count": inflammatory.asas_count,
            "met": inflammatory.met,
            "borderline": inflammatory.borderline,
        },
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
    }
