"""What a result tells the person to do, and how soon (spec K.1), worded once for a check's report,
the dashboard banner and a check-in's escalation alike, with the user's emergency numbers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from backstride.core.triage import Urgency
from backstride.core.triage.engine import tier_of, urgency_when
from backstride.knowledge import catalog

# Rules with their own headline (rules.yaml), most specific first, when several decide a result.
OWN_HEADLINE_ORDER = ("E13", "E12", "PG-2", "U-1", "PN-2", "PG-1")


def emergency_text(template: str, contact: catalog.EmergencyContact) -> str:
    """A knowledge text with the user's numbers filled in (advice.yaml, rules.yaml, tiers)."""
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
