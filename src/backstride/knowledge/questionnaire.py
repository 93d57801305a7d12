"""The symptom-check items (ids, lay wording, answer types) from questionnaire.json.

The ids are a public contract: `backstride check --answers FILE` takes them as keys.
STarT Back items carry only a paraphrase here; the wording shown to people is Keele's own,
kept in startback.yaml under Keele's terms.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

# App notes shown under an item's own wording (the wording itself is the spec's, kept identical):
# spec K.6 says an epidural in labour within 3 months counts as a spinal injection for D9.
NOTES: dict[str, str] = {
    "infection_risk": "An epidural during labour in the last 3 months counts as a spinal injection.",
    "weeks_since_birth": 'If you haven\'t given birth in the last 12 months, choose "Not in the last year".',
}


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    type: str  # "yes_no" | "scale_0_10" | "number" | "choice"
    choices: tuple[str, ...]
    purpose: str
    also_accepts: tuple[str, ...] = ()  # extra answers a yes/no item takes ("not_sure", spec K.1)
    minimum: float | None = None  # a number's allowed range, where the questionnaire gives one
    maximum: float | None = None
    note: str | None = None  # NOTES: shown under the question


@cache
def questionnaire_items() -> dict[str, Item]:
    raw = json.loads(resources.files(__package__).joinpath("questionnaire.json").read_text("utf-8"))
    return {
        entry["id"]: Item(
            id=entry["id"],
            text=entry["text"],
            type=entry["type"],
            choices=tuple(entry.get("choices", ())),
            purpose=entry["purpose"],
            also_accepts=tuple(entry.get("also_accepts", ())),
            minimum=entry.get("min"),
            maximum=entry.get("max"),
            note=NOTES.get(entry["id"]),
        )
        for entry in raw
    }
