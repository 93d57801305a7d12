"""Turn a TriageResult into the report people and scripts read (CLI --format json, web, history).

The JSON field names `urgency`, `red_flags`, `likely_pattern`, `run_today`, `startback`
(`total`, `psychosocial`, `risk`), `reasons` and `sources` are a public contract.
"""

from __future__ import annotations

from typing import Any

from backstride.knowledge import catalog

from .model import Answers, TriageResult, Urgency

ENGINE_VERSION = "2026.11.1"
# Reasons are listed in this order: what decides urgency first, then run-today, then the pattern.
KIND_ORDER = {"urgency": 0, "inflammatory": 1, "run_today": 2, "pattern": 3}


def emergency_text(template: str, contact: catalog.EmergencyContact) -> str:
    return template.format(emergency_number=contact.emergency, urgent_advice=contact.urgent_advice)


def build_report(result: TriageResult, answers: Answers, country: str | None = None) -> dict[str, Any]:
    contact = catalog.emergency_contact(country)
    tier = catalog.tier(result.urgency.code)
    pattern = catalog.pattern(result.likely_pattern)
    urgent = result.urgency >= Urgency.DOCTOR_SOON
    reasons = []
    source_ids: list[str] = [*tier.sources]
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
        "urgency_headline": emergency_text(tier.headline, contact),
        "urgency_action": emergency_text(tier.action, contact),
        "red_flags": list(result.red_flags),
        "urgency_rules": [rule.rule_id for rule in result.urgency_rules],
        "likely_pattern": result.likely_pattern,
        "likely_pattern_name": pattern.name,
        "pattern_rule": result.pattern_rule,
        # For an urgent result the urgency advice is the whole plan: no routine self-care beside it.
        "pattern_summary": None if urgent else pattern.summary,
        "pattern_self_care": [] if urgent else list(pattern.self_care),
        "pattern_disclaimer": catalog.pattern_disclaimer(),
        "run_today": result.run_today.code,
        "startback": {
            "total": startback.total,
            "psychosocial": startback.psychosocial,
            "risk": startback.risk,
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
