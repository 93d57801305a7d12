"""What a result tells the person to do, and how soon (spec K.1), worded once for a check's report,
the dashboard banner and a check-in's escalation alike, with the user's emergency numbers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from backstride.core.triage import Urgency
from backstride.core.triage.engine import tier_of, urgency_when
from backstride.knowledge.snapshot import Words

if TYPE_CHECKING:  # the catalogue (pydantic) is loaded when a caller words a result from it
    from backstride.knowledge import catalog

# Rules with their own headline (rules.yaml), most specific first, when several decide a result.
OWN_HEADLINE_ORDER = ("E13", "E12", "PG-2", "U-1", "PN-2", "PG-1")


def emergency_text(template: str, contact: catalog.EmergencyContact) -> str:
    """A knowledge text with the user's numbers filled in (advice.yaml, rules.yaml, tiers)."""
    return _filled(template, (contact.emergency, contact.urgent_advice))


def _filled(template: str, numbers: tuple[str, str]) -> str:
    emergency, urgent_advice = numbers
    return template.format(emergency_number=emergency, urgent_advice=urgent_advice)


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
    from backstride.knowledge import catalog

    def tier(code: str) -> tuple[Words, dict[str, tuple[str, str]]]:
        text = catalog.tier(code)
        return (text.headline, text.action, tuple(text.sources)), dict(text.timed)

    def rule_words(rule_id: str) -> Words | None:
        text = catalog.rule(rule_id)
        assert text.headline is not None and text.action is not None
        return text.headline, text.action, tuple(text.sources)

    return worded(urgency, rule_ids, (contact.emergency, contact.urgent_advice), tier, rule_words)


def worded(
    urgency: Urgency,
    rule_ids: Sequence[str],
    numbers: tuple[str, str],
    tier: Callable[[str], tuple[Words, dict[str, tuple[str, str]]]],
    rule_words: Callable[[str], Words | None],
) -> UrgencyText:
    """``urgency_text`` from the words as plain values: (emergency number, urgent advice), a tier's
    words and timed words by code, a rule's own words by id (knowledge.snapshot gives them too)."""
    when = urgency_when(urgency, rule_ids)
    (headline, action, tier_sources), timed = tier(urgency.code)
    if when:
        headline, action = timed.get(when, (headline, action))
    sources = list(tier_sources)
    deciding = [
        rule_id
        for rule_id in OWN_HEADLINE_ORDER
        if rule_id in rule_ids and tier_of(rule_id) is urgency and urgency_when(urgency, [rule_id]) == when
    ]
    if deciding:
        words = rule_words(deciding[0])
        assert words is not None
        headline, action, rule_sources = words
        sources.extend(rule_sources)
    return UrgencyText(
        urgency.code, when, _filled(headline, numbers), _filled(action, numbers), tuple(sources)
    )
