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


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    type: str  # "yes_no" | "scale_0_10" | "number" | "choice"
    choices: tuple[str, ...]
    purpose: str


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
        )
        for entry in raw
    }
