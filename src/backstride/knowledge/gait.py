"""The running-form check's findings and thresholds (gait_findings.yaml), validated and cached."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType
from typing import Annotated

from pydantic.dataclasses import dataclass

from . import catalog, schema
from .schema import RECORD, NonEmpty, Number, Record, Text

FILENAME = "gait_findings.yaml"


@dataclass(frozen=True, config=RECORD)
class FindingText(Record):
    id: Text
    title: Text  # may hold {placeholders}
    text: Text
    sources: catalog.SourceIds


@dataclass(frozen=True)
class GaitKnowledge:
    thresholds: Mapping[str, float]
    findings: Mapping[str, FindingText]


class GaitFile(schema.KnowledgeFile):
    ENTRIES = {"findings": ("finding", "id")}
    thresholds: dict[str, Number]
    findings: Annotated[tuple[FindingText, ...], NonEmpty]


@cache
def gait_knowledge() -> GaitKnowledge:
    data = schema.validate(GaitFile, FILENAME, schema.read(FILENAME))
    findings = {record.id: record for record in data.findings}
    return GaitKnowledge(MappingProxyType(dict(data.thresholds)), MappingProxyType(findings))
