"""The short form of a source that service results carry: its id and citation (the sources page and
knowledge/catalog have the rest). Shared by the exercise rows and the form-check result."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypedDict

from backstride.knowledge import catalog


class SourceRef(TypedDict):
    id: str
    citation: str


def source_refs(ids: Iterable[str]) -> list[SourceRef]:
    """The sources for these ids, each once, in first-seen order; KeyError on an unknown id."""
    return [{"id": source.id, "citation": source.citation} for source in catalog.sources_for(ids)]
