"""The pain diary's sentences to the runner (diary_texts.yaml), validated and cached: the words for
each reason to repeat the full symptom check (spec A.8). The diary core gives the reason keys."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from functools import cache
from types import MappingProxyType

from pydantic.dataclasses import dataclass

from . import schema
from .schema import RECORD, KnowledgeFile, Prose, Record

FILENAME = "diary_texts.yaml"


@dataclass(frozen=True, config=RECORD)
class RecheckTexts(Record):
    """One sentence per reason ``core.diary.needs_full_recheck`` gives; a missing one is refused."""

    new_area: Prose
    trend_worse: Prose
    day_28: Prose
    day_42: Prose


@dataclass(frozen=True, config=RECORD)
class NoneOfTheseTexts(Record):
    """The daily safety questions a check-in lists under one question, each in short words."""

    question: Prose
    items: dict[str, Prose]


class DiaryTextsFile(KnowledgeFile):
    recheck: RecheckTexts
    none_of_these: NoneOfTheseTexts


@cache
def diary_texts() -> DiaryTextsFile:
    return schema.validate(DiaryTextsFile, FILENAME, schema.read(FILENAME))


@cache
def recheck_messages() -> Mapping[str, str]:
    """Reason key (``new_area``, ``trend_worse``, ``day_28``, ``day_42``) -> its sentence."""
    return MappingProxyType(asdict(diary_texts().recheck))


def recheck_message(reason: str) -> str:
    """The sentence that asks to repeat the full check for ``reason`` (KeyError for an unknown one)."""
    return recheck_messages()[reason]


def none_of_these_question() -> str:
    return diary_texts().none_of_these.question


def short_safety_words() -> Mapping[str, str]:
    """Daily safety item id -> its short words in the "any of these?" list (every id of
    services.safety.NONE_OF_THESE; a test keeps the two the same)."""
    return MappingProxyType(dict(diary_texts().none_of_these.items))
