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


class DiaryTextsFile(KnowledgeFile):
    recheck: RecheckTexts


@cache
def recheck_messages() -> Mapping[str, str]:
    """Reason key (``new_area``, ``trend_worse``, ``day_28``, ``day_42``) -> its sentence."""
    data = schema.validate(DiaryTextsFile, FILENAME, schema.read(FILENAME))
    return MappingProxyType(asdict(data.recheck))


def recheck_message(reason: str) -> str:
    """The sentence that asks to repeat the full check for ``reason`` (KeyError for an unknown one)."""
    return recheck_messages()[reason]
