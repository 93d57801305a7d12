"""The weekly plan's rules as data (plan_rules.yaml): rules, the graded return-to-run stages, strength
slots, mobility routines and the readiness checks after a birth; and the plan's sentences to the
runner (plan_texts.yaml, by rule id). Both are validated against their schema and cached. The plan
itself (core/plan) reads them through ``plan_rules()`` and its sentences through ``plan_text()``."""

from __future__ import annotations

import string
from collections.abc import Collection, Mapping
from dataclasses import dataclass as plain_dataclass
from functools import cache
from types import MappingProxyType
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator
from pydantic.dataclasses import dataclass

from . import catalog, schema
from .schema import RECORD, FieldError, KnowledgeFile, NonEmpty, Prose, Record, Text, Texts

FILENAME = "plan_rules.yaml"
TEXTS_FILENAME = "plan_texts.yaml"
ACTIONS = ("progress", "repeat", "step_back", "hold", "rest", "include")
FIRST_STAGE = 1
LAST_STAGE = 7
READINESS_KEYS = frozenset({"id", "title", "dose", "how", "exercise", "minutes"})


@dataclass(frozen=True, config=RECORD)
class PlanRule(Record):
    id: Text
    when: Prose
    action: Literal["progress", "repeat", "step_back", "hold", "rest", "include"]
    sources: catalog.SourceIds


@dataclass(frozen=True, config=RECORD)
class Stage(Record):
    stage: Annotated[int, Field(strict=True)]
    session: Text  # e.g. "5 x (walk 4 min + run 1 min)"
    minutes: Annotated[int, Field(strict=True, ge=1)]


@dataclass(frozen=True, config=RECORD)
class StrengthSlot(Record):
    slot: Text
    group: Text  # "core" | "hip"
    candidates: Texts
    rotate: Annotated[bool, Field(strict=True)] = False


@dataclass(frozen=True, config=RECORD)
class ReadinessCheck(Record):
    """One load and impact check before running again after a birth (spec K.6, Goom 2019)."""

    id: Text
    title: Text
    dose: Text
    how: Prose | None = None  # plain words on how to do it, when the title is not enough
    exercise: Prose | None = None  # a library record that shows it, if there is one
    minutes: Annotated[int, Field(strict=True, ge=1)] = 2

    @model_validator(mode="before")
    @classmethod
    def _texts(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and not set(data) - READINESS_KEYS:
            texts = [data.get(key) for key in ("id", "title", "dose")]
            if not all(isinstance(text, str) and text.strip() for text in texts):
                raise ValueError("id, title and dose must be non-empty strings")
        return data


@plain_dataclass(frozen=True)
class PlanRules:
    rules: Mapping[str, PlanRule]
    stages: Mapping[int, Stage]
    strength_slots: tuple[StrengthSlot, ...]
    mobility: Mapping[str, tuple[str, ...]]
    readiness_checks: tuple[ReadinessCheck, ...]
    texts: Mapping[str, str]  # text id (RULE or RULE/variant) -> a sentence, {name} for a value


class PlanRulesFile(KnowledgeFile):
    ENTRIES = {
        "rules": ("rule", "id"),
        "stages": ("stage", None),
        "strength_slots": ("strength slot", "slot"),
        "readiness_checks": ("readiness check", "id"),
        "mobility": ("mobility", None),
    }
    rules: Annotated[tuple[PlanRule, ...], NonEmpty]
    stages: tuple[Stage, ...]
    strength_slots: Annotated[tuple[StrengthSlot, ...], NonEmpty]
    mobility: dict[str, Texts] = {}
    readiness_checks: Annotated[tuple[ReadinessCheck, ...], NonEmpty]

    @model_validator(mode="after")
    def _stages_and_their_rules(self) -> PlanRulesFile:
        numbers = sorted(stage.stage for stage in self.stages)
        if numbers != list(range(FIRST_STAGE, LAST_STAGE + 1)):
            raise FieldError("stages", f"must define stages {FIRST_STAGE}..{LAST_STAGE}, got {numbers}")
        ids = {rule.id for rule in self.rules}
        for number in numbers:
            if f"D3-stage-{number}" not in ids:
                raise FieldError("rules", f"missing rule D3-stage-{number} for stage {number}")
        return self

    def typed(self, texts: Mapping[str, str]) -> PlanRules:
        return PlanRules(
            MappingProxyType({rule.id: rule for rule in self.rules}),
            MappingProxyType({stage.stage: stage for stage in self.stages}),
            self.strength_slots,
            MappingProxyType(dict(self.mobility)),
            self.readiness_checks,
            MappingProxyType(dict(texts)),
        )


class PlanTextsFile(KnowledgeFile):
    """plan_texts.yaml: text id (RULE or RULE/variant) -> a sentence with {name} placeholders."""

    ENTRIES = {"texts": ("text", None)}
    texts: Annotated[dict[str, Prose], NonEmpty]

    @model_validator(mode="after")
    def _templates(self) -> PlanTextsFile:
        for text_id, text in self.texts.items():
            try:
                list(string.Formatter().parse(text))
            except ValueError as error:  # an unmatched brace would fail only when the plan shows it
                raise FieldError(("texts", text_id), f"is not a valid template: {error}") from None
        return self


def _texts_of(data: Any, rule_ids: Collection[str]) -> Mapping[str, str]:
    texts = schema.validate(PlanTextsFile, TEXTS_FILENAME, data).texts
    for text_id in texts:
        if text_id.split("/")[0] not in rule_ids:  # a text says what a rule does: it names one
            raise schema.KnowledgeError(
                f"{TEXTS_FILENAME}: text {text_id!r}: names no rule (a text id is RULE or RULE/variant)"
            )
    return texts


def rules_from(data: Any) -> PlanRules:
    """The rules of plan_rules.yaml's ``data``; its ``texts`` key, if given, holds plan_texts.yaml's."""
    if isinstance(data, Mapping) and "texts" in data:
        data = dict(data)
        texts_data = {"texts": data.pop("texts")}
    else:
        texts_data = None
    rules = schema.validate(PlanRulesFile, FILENAME, data)
    texts = {} if texts_data is None else _texts_of(texts_data, {rule.id for rule in rules.rules})
    # every stage's run item says which stage it is in its stage rule's own text
    missing = [f"D3-stage-{stage.stage}" for stage in rules.stages if f"D3-stage-{stage.stage}" not in texts]
    if texts_data is not None and missing:
        raise schema.KnowledgeError(f"{TEXTS_FILENAME}: top level: no text for {', '.join(missing)}")
    return rules.typed(texts)


@cache
def plan_rules() -> PlanRules:
    """The plan's rules, stages, strength slots, mobility, readiness checks and texts, validated."""
    return rules_from({**schema.read(FILENAME), **schema.read(TEXTS_FILENAME)})


def plan_text(text_id: str, **values: object) -> str:
    """The plan's sentence ``text_id`` (plan_texts.yaml) with its {name} values filled in."""
    return plan_rules().texts[text_id].format(**values)
