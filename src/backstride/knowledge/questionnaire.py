"""The symptom-check items (ids, lay wording, answer types) from questionnaire.json.

The ids are a public contract: `backstride check --answers FILE` takes them as keys.
STarT Back items carry only a paraphrase here; the wording shown to people is Keele's own,
kept in startback.yaml under Keele's terms.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

from pydantic import Field, model_validator
from pydantic.dataclasses import dataclass as schema_dataclass

from . import schema
from .schema import RECORD, FieldError, OptionalTexts, Record, Text

# App notes shown under an item's own wording (the wording itself is the spec's, kept identical):
# spec K.6 says an epidural in labour within 3 months counts as a spinal injection for D9.
NOTES: dict[str, str] = {
    "infection_risk": "An epidural during labour in the last 3 months counts as a spinal injection.",
    "weeks_since_birth": 'If you haven\'t given birth in the last 12 months, choose "Not in the last year".',
}
FILENAME = "questionnaire.json"


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


@schema_dataclass(frozen=True, config=RECORD)
class ItemEntry(Record):
    """One entry of questionnaire.json as the spec writes it."""

    id: Text
    text: Text
    type: Literal["yes_no", "scale_0_10", "number", "choice"]
    purpose: Text
    choices: OptionalTexts = ()
    also_accepts: OptionalTexts = ()
    min: schema.Number | None = None
    max: schema.Number | None = None
    ask_if: Text | None = None  # the spec's condition for asking (the triage code applies it)
    ask_after: Text | None = None
    added: Text | None = None  # questionnaire version that added or changed the item
    changed: Text | None = None

    @model_validator(mode="after")
    def _choices_for_choice_items(self) -> ItemEntry:
        if (self.type == "choice") != bool(self.choices):
            raise FieldError("choices", "are required for a choice item, and only for one")
        return self

    def item(self) -> Item:
        return Item(
            id=self.id,
            text=self.text,
            type=self.type,
            choices=self.choices,
            purpose=self.purpose,
            also_accepts=self.also_accepts,
            minimum=self.min,
            maximum=self.max,
            note=NOTES.get(self.id),
        )


class QuestionnaireFile(schema.KnowledgeFile):
    ENTRIES = {"items": ("item", "id")}
    items: tuple[ItemEntry, ...] = Field(min_length=1)


@cache
def questionnaire_items() -> dict[str, Item]:
    entries = schema.validate(QuestionnaireFile, FILENAME, {"items": schema.read(FILENAME)}).items
    return {entry.id: entry.item() for entry in entries}
