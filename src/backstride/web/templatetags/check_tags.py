"""Template filters for the symptom check's pages: tap-to-call numbers and STarT Back in history."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# Numbers in the emergency file's display texts: "999", "0800 611 116", "112 from a mobile".
_NUMBER = re.compile(r"\d+(?: \d+)*")


def _contact_numbers(contact: Any) -> list[str]:
    """The phone numbers a contact shows (its emergency text may list several, for no country)."""
    texts = [_field(contact, "emergency"), _field(contact, "urgent")]
    numbers = {match for text in texts if text for match in _NUMBER.findall(str(text))}
    return sorted(numbers, key=len, reverse=True)  # longest first: "0800 611 116" before "116"


def _field(contact: Any, name: str) -> Any:
    return contact.get(name) if isinstance(contact, dict) else getattr(contact, name, None)


@register.filter
def dial_links(text: object, contact: Any) -> SafeString:
    """The text, escaped, with each of the contact's phone numbers made a tap-to-call tel: link."""
    escaped = str(conditional_escape(str(text)))
    numbers = [n for n in _contact_numbers(contact) if n.replace(" ", "") and len(n.replace(" ", "")) >= 3]
    if not numbers:
        return mark_safe(escaped)
    pattern = re.compile(r"(?<![\d\w/:])(" + "|".join(re.escape(n) for n in numbers) + r")(?![\d\w])")

    def link(match: re.Match[str]) -> str:
        number = match.group(1)
        return str(format_html('<a href="tel:{}">{}</a>', number.replace(" ", ""), number))

    return mark_safe(pattern.sub(link, escaped))


@register.filter
def startback_in_words(check: Any) -> str:
    """History's STarT Back cell: "not asked" for a check that never asked it (a check stopped
    early, or one whose stored report says no item was answered: older rows stored "low (0)")."""
    startback = (getattr(check, "report", None) or {}).get("startback") or {}
    # Older reports have no "asked" field, and perhaps no count either.
    asked = bool(startback["asked"]) if "asked" in startback else startback.get("items_answered", 1) > 0
    if not check.completed or check.startback_risk == "not_asked" or not asked:
        return "not asked"
    return f"{check.startback_risk} risk ({check.startback_total} of 9)"
