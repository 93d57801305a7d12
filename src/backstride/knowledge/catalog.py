"""Typed, read-only access to the knowledge base kept as YAML data files in this package.

Files: sources.yaml, patterns.yaml, advice.yaml, rules.yaml, tiers.yaml, emergency_numbers.yaml,
startback.yaml (© Keele University, non-commercial terms) and rmdq.yaml (RMDQ original wording).

Each file has a declared schema (pydantic, below) and is read by the one loader in schema.py: read
from the package, validated, cached. A missing, unknown or malformed field, a duplicate id or a
source id that sources.yaml does not define raises KnowledgeError (a ValueError) naming the file,
the entry and the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import field, replace
from functools import cache
from typing import Annotated, Any, Literal, TypeVar

from pydantic import AfterValidator, BeforeValidator, Field, field_validator, model_validator
from pydantic.dataclasses import dataclass

from . import schema
from .schema import RECORD, FieldError, KnowledgeFile, NonEmpty, Record, Text, Texts
from .snapshot import country_key

SOURCE_KINDS = frozenset({"seed", "guideline", "paper", "website", "app_policy"})
F = TypeVar("F", bound=KnowledgeFile)


def _load(filename: str) -> Any:
    return schema.read(filename)


def _file(model: type[F], filename: str) -> F:
    """The one loader: the file read (through ``_load``, which tests replace), validated, typed."""
    return schema.validate(model, filename, _load(filename))


def _known_sources(ids: tuple[str, ...]) -> tuple[str, ...]:
    known = sources()
    unknown = [source_id for source_id in ids if source_id not in known]
    if unknown:
        raise ValueError(f"has unknown source id(s) {unknown}")
    return ids


# Source ids that sources.yaml defines (a non-empty list).
SourceIds = Annotated[Texts, AfterValidator(_known_sources)]


# --- Records ---------------------------------------------------------------------------------------


@dataclass(frozen=True, config=RECORD)
class Source(Record):
    id: Text
    kind: Literal["seed", "guideline", "paper", "website", "app_policy"]
    citation: Text
    url: Text | None = None
    path: Text | None = None  # seeds only: relative to the folder that holds the repository and shared/
    title: Text | None = None  # short label, e.g. "Runner LBP guide (seed 000)"

    @model_validator(mode="after")
    def _seeds_have_a_path(self) -> Source:
        if self.kind == "seed" and self.path is None:
            raise FieldError("path", "is required for a seed")
        return self


@dataclass(frozen=True, config=RECORD)
class Pattern(Record):
    code: Text
    name: Text
    fits_when: Text
    summary: Text
    self_care: Texts
    sources: SourceIds
    evidence_note: Text | None = None


@dataclass(frozen=True, config=RECORD)
class AdviceCard(Record):
    id: Text
    title: Text  # title and body may hold {emergency_number} / {urgent_advice}: fill with str.format
    body: Texts
    sources: SourceIds
    evidence_note: Text | None = None


@dataclass(frozen=True, config=RECORD)
class RuleText(Record):
    id: Text
    title: Text
    sources: SourceIds
    app_policy: Text | None = None
    # A rule whose result needs its own words in the headline (spec K: "call your maternity unit"),
    # used instead of the tier's when it decides the result; both may hold the placeholders.
    headline: Text | None = None
    action: Text | None = None

    @model_validator(mode="after")
    def _both_or_neither(self) -> RuleText:
        if (self.headline is None) != (self.action is None):
            raise ValueError("give both 'headline' and 'action', or neither")
        return self


def _timed(raw: Any) -> Any:
    """{when: {headline, action}} -> {when: (headline, action)}."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise ValueError("must map a timing to its headline and action")
    result = {}
    for when, texts in raw.items():
        if not isinstance(texts, Mapping) or set(texts) != {"headline", "action"}:
            raise FieldError(str(when), "must be a mapping of headline and action")
        result[when] = (texts["headline"], texts["action"])
    return result


@dataclass(frozen=True, config=RECORD)
class TierText(Record):
    code: Text
    headline: Text
    action: Text  # may hold {emergency_number} and {urgent_advice}: fill with str.format
    sources: SourceIds
    # Spec K.1: the words for a sooner timing within the tier ("today" for doctor_soon): when -> texts
    timed: Annotated[Mapping[str, tuple[Text, Text]], BeforeValidator(_timed)] = field(default_factory=dict)


@dataclass(frozen=True, config=RECORD)
class EmergencyContact(Record):
    name: Text
    emergency: Text  # display text: usually a bare number, e.g. "999"; a phrase for the default
    urgent_advice: Text  # lay phrase, e.g. "contact your GP today or call NHS 111"
    urgent: Text | None = None  # national same-day medical line, if there is one
    sources: SourceIds = ()
    country: str | None = None  # ISO 3166-1 alpha-2 code (the key in the file); None for the default


def _answers(raw: Any) -> Any:
    """[{value, label}, ...] -> ((value, label), ...), in the order Keele prints them."""
    if not isinstance(raw, list) or not raw:
        raise ValueError("must be a non-empty list of value and label")
    for index, answer in enumerate(raw):
        if not isinstance(answer, Mapping) or set(answer) != {"value", "label"}:
            raise FieldError(index, "must be a mapping of value and label")
    return [(answer["value"], answer["label"]) for answer in raw]


@dataclass(frozen=True, config=RECORD)
class StartBackItem(Record):
    app_id: Text
    number: Annotated[int, Field(strict=True, ge=1)]
    text: Text
    answers: Annotated[tuple[tuple[Text, Text], ...], BeforeValidator(_answers)]


@dataclass(frozen=True, config=RECORD)
class StartBackText(Record):
    copyright: Text
    funding: Text
    terms: Text
    preamble: Text
    items: Annotated[tuple[StartBackItem, ...], NonEmpty]
    sources: SourceIds
    scoring: str = ""


@dataclass(frozen=True)
class RmdqText:
    instructions: str
    items: tuple[str, ...]
    citation: str
    terms: str
    mic_points: int
    mic_percent: int
    sources: tuple[str, ...]
    mic_sources: tuple[str, ...] = ()


# --- The files -------------------------------------------------------------------------------------

Count = Annotated[int, Field(strict=True, ge=0)]


class SourcesFile(KnowledgeFile):
    ENTRIES = {"sources": ("source", "id")}
    sources: Annotated[tuple[Source, ...], NonEmpty]


class PatternsFile(KnowledgeFile):
    ENTRIES = {"patterns": ("pattern", "code")}
    disclaimer: Text
    patterns: Annotated[tuple[Pattern, ...], NonEmpty]


class AdviceFile(KnowledgeFile):
    ENTRIES = {"cards": ("card", "id")}
    cards: Annotated[tuple[AdviceCard, ...], NonEmpty]


class RulesFile(KnowledgeFile):
    ENTRIES = {"rules": ("rule", "id")}
    rules: Annotated[tuple[RuleText, ...], NonEmpty]


class TiersFile(KnowledgeFile):
    ENTRIES = {"tiers": ("tier", "code")}
    tiers: Annotated[tuple[TierText, ...], NonEmpty]


class EmergencyFile(KnowledgeFile):
    ENTRIES = {"countries": ("country", None)}
    default: EmergencyContact
    countries: Annotated[dict[str, EmergencyContact], NonEmpty]

    @field_validator("countries")
    @classmethod
    def _iso_codes(cls, raw: dict[str, EmergencyContact]) -> dict[str, EmergencyContact]:
        for code in raw:
            if len(code) != 2 or not code.isalpha() or not code.isupper():
                raise FieldError(code, "is not an ISO 3166-1 alpha-2 code (the key)")
        return {code: replace(contact, country=code) for code, contact in raw.items()}


class StartBackFile(KnowledgeFile):
    ENTRIES = {"items": ("item", "app_id")}
    copyright: Text
    funding: Text
    terms: Text
    preamble: Text
    items: Annotated[tuple[StartBackItem, ...], NonEmpty]
    sources: SourceIds
    scoring: Text | None = None

    def text(self) -> StartBackText:
        return StartBackText(**{**dict(self), "scoring": self.scoring or ""})


class MinimalImportantChange(KnowledgeFile):
    points: Count
    percent: Count
    sources: SourceIds


class RmdqFile(KnowledgeFile):
    instructions: Text
    items: Texts
    citation: Text
    terms: Text
    minimal_important_change: MinimalImportantChange
    sources: SourceIds

    def text(self) -> RmdqText:
        mic = self.minimal_important_change
        return RmdqText(
            instructions=self.instructions,
            items=self.items,
            citation=self.citation,
            terms=self.terms,
            mic_points=mic.points,
            mic_percent=mic.percent,
            sources=self.sources,
            mic_sources=mic.sources,
        )


# --- Sources ---------------------------------------------------------------------------------------


@cache
def sources() -> dict[str, Source]:
    """All sources by id, in file order."""
    return {record.id: record for record in _file(SourcesFile, "sources.yaml").sources}


def source(source_id: str) -> Source:
    """One source; KeyError if the id is unknown."""
    return sources()[source_id]


def sources_for(ids: Iterable[str]) -> list[Source]:
    """The sources for these ids, de-duplicated in first-seen order; KeyError on an unknown id."""
    known = sources()
    result: list[Source] = []
    seen: set[str] = set()
    for source_id in ids:
        if source_id in seen:
            continue
        if source_id not in known:
            raise KeyError(source_id)
        seen.add(source_id)
        result.append(known[source_id])
    return result


# --- Patterns --------------------------------------------------------------------------------------


@cache
def _patterns_file() -> PatternsFile:
    return _file(PatternsFile, "patterns.yaml")


def patterns() -> dict[str, Pattern]:
    """All pain patterns by code (bone_or_serious, nerve_root, ..., nonspecific)."""
    return {record.code: record for record in _patterns_file().patterns}


def pattern(code: str) -> Pattern:
    """One pattern; KeyError if the code is unknown."""
    return patterns()[code]


def pattern_disclaimer() -> str:
    """The sentence shown next to every pattern: an app cannot diagnose, and why."""
    return _patterns_file().disclaimer


# --- Advice cards ----------------------------------------------------------------------------------


@cache
def advice_cards() -> dict[str, AdviceCard]:
    """All advice cards by id, in file order."""
    return {record.id: record for record in _file(AdviceFile, "advice.yaml").cards}


def advice(card_id: str) -> AdviceCard:
    """One advice card; KeyError if the id is unknown."""
    return advice_cards()[card_id]


# --- Rules -----------------------------------------------------------------------------------------


@cache
def rules() -> dict[str, RuleText]:
    """Lay reason texts for every rule id the engine can fire, by id."""
    return {record.id: record for record in _file(RulesFile, "rules.yaml").rules}


def rule(rule_id: str) -> RuleText:
    """One rule text; KeyError if the id is unknown."""
    return rules()[rule_id]


# --- Urgency tiers ---------------------------------------------------------------------------------


@cache
def tiers() -> dict[str, TierText]:
    """The four urgency tiers by code, highest first."""
    return {record.code: record for record in _file(TiersFile, "tiers.yaml").tiers}


def tier(code: str) -> TierText:
    """One tier; KeyError if the code is unknown."""
    return tiers()[code]


# --- Emergency numbers -----------------------------------------------------------------------------


@cache
def _emergency_file() -> EmergencyFile:
    return _file(EmergencyFile, "emergency_numbers.yaml")


def emergency_contact(country: str | None) -> EmergencyContact:
    """Numbers for a country code (case-insensitive; "UK" means GB). Unknown or None: the default,
    which names no single country's numbers (spec H.5)."""
    numbers = _emergency_file()
    if country is None:
        return numbers.default
    return numbers.countries.get(country_key(country), numbers.default)


def countries() -> dict[str, str]:
    """Country code -> name for every country with numbers, sorted by name."""
    by_code = _emergency_file().countries
    return {code: contact.name for code, contact in sorted(by_code.items(), key=lambda kv: kv[1].name)}


# --- STarT Back (third-party text, © Keele University) and RMDQ (original English wording) --------


@cache
def startback() -> StartBackText:
    """Keele's official STarT Back wording, with its copyright, funding and terms."""
    return _file(StartBackFile, "startback.yaml").text()


@cache
def rmdq() -> RmdqText:
    """The 24-item Roland-Morris Disability Questionnaire, original wording."""
    return _file(RmdqFile, "rmdq.yaml").text()
