"""The running-form check's findings and thresholds (gait_findings.yaml), validated and cached."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from backstride.knowledge import catalog

FILENAME = "gait_findings.yaml"


@dataclass(frozen=True)
class FindingText:
    id: str
    title: str  # may hold {placeholders}
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class GaitKnowledge:
    thresholds: Mapping[str, float]
    findings: Mapping[str, FindingText]


@cache
def gait_knowledge() -> GaitKnowledge:
    data = catalog._mapping(catalog._load(FILENAME), FILENAME, "the file")
    raw_thresholds = catalog._mapping(data.get("thresholds"), FILENAME, "thresholds")
    thresholds: dict[str, float] = {}
    for name, value in raw_thresholds.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{FILENAME}: threshold {name!r} must be a number, got {value!r}")
        thresholds[str(name)] = float(value)
    findings: dict[str, FindingText] = {}
    seen: set[str] = set()
    for index, record in enumerate(catalog._records(data, "findings", FILENAME)):
        finding_id = catalog._record_id(record, "id", FILENAME, index, seen)
        where = f"finding {finding_id!r}"
        findings[finding_id] = FindingText(
            id=finding_id,
            title=catalog._str(record, "title", FILENAME, where),
            text=catalog._str(record, "text", FILENAME, where),
            sources=catalog._source_ids(record, FILENAME, where),
        )
    return GaitKnowledge(MappingProxyType(thresholds), MappingProxyType(findings))
