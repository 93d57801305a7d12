"""Typed, read-only access to the knowledge base kept as YAML data files in this package.

Files: sources.yaml, patterns.yaml, advice.yaml, rules.yaml, tiers.yaml, emergency_numbers.yaml,
startback.yaml (© Keele University, non-commercial terms) and rmdq.yaml (RMDQ original wording).

Every loader is pure: it reads packaged files only (importlib.resources), parses them with
yaml.safe_load and caches the result. Each file is validated when it is first loaded: a missing
or malformed required field, a duplicate id or a source id that sources.yaml does not define raises
ValueError naming the file and the record.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

_PACKAGE = "backstride.knowledge"
SOURCE_KINDS = frozenset({"seed", "guideline", "paper", "website", "app_policy"})


# --- Records ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    id: str
    kind: str  # seed | guideline | paper | website | app_policy
    citation: str
    url: str | None
    path: str | None  # seeds only: relative to the folder that holds the repository and shared/
    title: str | None = None  # short label, e.g. "Runner LBP guide (seed 000)"


@dataclass(frozen=True)
class Pattern:
    code: str
    name: str
    fits_when: str
    summary: str
    self_care: tuple[str, ...]
    evidence_note: str | None
    sources: tuple[str, ...]


@dataclass(frozen=True)
class AdviceCard:
    id: str
    title: str  # title and body may hold {emergency_number} / {urgent_advice}: fill with str.format
    body: tuple[str, ...]
    evidence_note: str | None
    sources: tuple[str, ...]


@dataclass(frozen=True)
class RuleText:
    id: str
    title: str
    app_policy: str | None
    sources: tuple[str, ...]
    # A rule whose result needs its own words in the headline (spec K: "call your maternity unit"),
    # used instead of the tier's when it decides the result; both may hold the placeholders.
    headline: str | None = None
    action: str | None = None


@dataclass(frozen=True)
class TierText:
    code: str
    headline: str
    action: str  # may hold {emergency_number} and {urgent_advice}: fill with str.format
    sources: tuple[str, ...]
    # Spec K.1: the words for a sooner timing within the tier ("today" for doctor_soon): when -> texts
    timed: Mapping[str, tuple[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class EmergencyContact:
    country: str | None  # ISO 3166-1 alpha-2 code; None for the unknown-country default
    name: str
    emergency: str  # display text: usually a bare number, e.g. "999"; a phrase for the default
    urgent: str | None  # national same-day medical line, if there is one
    urgent_advice: str  # lay phrase, e.g. "contact your GP today or call NHS 111"
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class StartBackItem:
    app_id: str
    number: int
    text: str
    answers: tuple[tuple[str, str], ...]  # (value, label), in the order Keele prints them


@dataclass(frozen=True)
class StartBackText:
    copyright: str
    funding: str
    terms: str
    preamble: str
    items: tuple[StartBackItem, ...]
    sources: tuple[str, ...]
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


# --- Reading and validation helpers ----------------------------------------------------------------


def _load(filename: str) -> Any:
    text = resources.files(_PACKAGE).joinpath(filename).read_text("utf-8")
    return yaml.safe_load(text)


def _mapping(value: Any, filename: str, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ValueError(f"{filename}: {where}: expected a mapping, got {type(value).__name__}")
    return value


def _records(data: Any, key: str, filename: str) -> list[Mapping[str, Any]]:
    top = _mapping(data, filename, "top level")
    raw = top.get(key)
    if not isinstance(raw, list) or not raw:
        raise ValueError(f"{filename}: missing or empty required list {key!r}")
    return [_mapping(record, filename, f"{key}[{index}]") for index, record in enumerate(raw)]


def _str(record: Mapping[str, Any], field: str, filename: str, where: str) -> str:
    value = record.get(field)
    if value is None:
        raise ValueError(f"{filename}: {where}: missing required field {field!r}")
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{filename}: {where}: field {field!r} must be a non-empty string")
    return value.strip()


def _opt_str(record: Mapping[str, Any], field: str, filename: str, where: str) -> str | None:
    if record.get(field) is None:
        return None
    return _str(record, field, filename, where)


def _int(record: Mapping[str, Any], field: str, filename: str, where: str) -> int:
    value = record.get(field)
    if value is None:
        raise ValueError(f"{filename}: {where}: missing required field {field!r}")
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{filename}: {where}: field {field!r} must be an integer")
    return value


def _str_list(record: Mapping[str, Any], field: str, filename: str, where: str) -> tuple[str, ...]:
    value = record.get(field)
    if value is None:
        raise ValueError(f"{filename}: {where}: missing required field {field!r}")
    if not isinstance(value, list) or not value:
        raise ValueError(f"{filename}: {where}: field {field!r} must be a non-empty list")
    if not all(isinstance(item, str) and item.strip() for item in value):
        raise ValueError(f"{filename}: {where}: field {field!r} must hold non-empty strings")
    return tuple(item.strip() for item in value)


def _source_ids(record: Mapping[str, Any], filename: str, where: str) -> tuple[str, ...]:
    ids = _str_list(record, "sources", filename, where)
    known = sources()
    unknown = [source_id for source_id in ids if source_id not in known]
    if unknown:
        raise ValueError(f"{filename}: {where}: unknown source id(s) {', '.join(unknown)}")
    return ids


def _record_id(record: Mapping[str, Any], field: str, filename: str, index: int, seen: set[str]) -> str:
    record_id = _str(record, field, filename, f"record {index + 1}")
    if record_id in seen:
        raise ValueError(f"{filename}: duplicate {field} {record_id!r}")
    seen.add(record_id)
    return record_id


# --- Sources ---------------------------------------------------------------------------------------


@cache
def sources() -> dict[str, Source]:
    """All sources by id, in file order."""
    filename = "sources.yaml"
    result: dict[str, Source] = {}
    seen: set[str] = set()
    for index, record in enumerate(_records(_load(filename), "sources", filename)):
        source_id = _record_id(record, "id", filename, index, seen)
        where = f"source {source_id!r}"
        kind = _str(record, "kind", filename, where)
        if kind not in SOURCE_KINDS:
            raise ValueError(f"{filename}: {where}: kind {kind!r} is not one of {sorted(SOURCE_KINDS)}")
        path = _opt_str(record, "path", filename, where)
        if kind == "seed" and path is None:
            raise ValueError(f"{filename}: {where}: missing required field 'path' (seeds need one)")
        result[source_id] = Source(
            id=source_id,
            kind=kind,
            citation=_str(record, "citation", filename, where),
            url=_opt_str(record, "url", filename, where),
            path=path,
            title=_opt_str(record, "title", filename, where),
        )
    return result


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
def _patterns_file() -> tuple[str, dict[str, Pattern]]:
    filename = "patterns.yaml"
    data = _load(filename)
    disclaimer = _str(_mapping(data, filename, "top level"), "disclaimer", filename, "top level")
    result: dict[str, Pattern] = {}
    seen: set[str] = set()
    for index, record in enumerate(_records(data, "patterns", filename)):
        code = _record_id(record, "code", filename, index, seen)
        where = f"pattern {code!r}"
        result[code] = Pattern(
            code=code,
            name=_str(record, "name", filename, where),
            fits_when=_str(record, "fits_when", filename, where),
            summary=_str(record, "summary", filename, where),
            self_care=_str_list(record, "self_care", filename, where),
            evidence_note=_opt_str(record, "evidence_note", filename, where),
            sources=_source_ids(record, filename, where),
        )
    return disclaimer, result


def patterns() -> dict[str, Pattern]:
    """All pain patterns by code (bone_or_serious, nerve_root, ..., nonspecific)."""
    return _patterns_file()[1]


def pattern(code: str) -> Pattern:
    """One pattern; KeyError if the code is unknown."""
    return patterns()[code]


def pattern_disclaimer() -> str:
    """The sentence shown next to every pattern: an app cannot diagnose, and why."""
    return _patterns_file()[0]


# --- Advice cards ----------------------------------------------------------------------------------


@cache
def advice_cards() -> dict[str, AdviceCard]:
    """All advice cards by id, in file order."""
    filename = "advice.yaml"
    result: dict[str, AdviceCard] = {}
    seen: set[str] = set()
    for index, record in enumerate(_records(_load(filename), "cards", filename)):
        card_id = _record_id(record, "id", filename, index, seen)
        where = f"card {card_id!r}"
        result[card_id] = AdviceCard(
            id=card_id,
            title=_str(record, "title", filename, where),
            body=_str_list(record, "body", filename, where),
            evidence_note=_opt_str(record, "evidence_note", filename, where),
            sources=_source_ids(record, filename, where),
        )
    return result


def advice(card_id: str) -> AdviceCard:
    """One advice card; KeyError if the id is unknown."""
    return advice_cards()[card_id]


# --- Rules -----------------------------------------------------------------------------------------


@cache
def rules() -> dict[str, RuleText]:
    """Lay reason texts for every rule id the engine can fire, by id."""
    filename = "rules.yaml"
    result: dict[str, RuleText] = {}
    seen: set[str] = set()
    for index, record in enumerate(_records(_load(filename), "rules", filename)):
        rule_id = _record_id(record, "id", filename, index, seen)
        where = f"rule {rule_id!r}"
        result[rule_id] = RuleText(
            id=rule_id,
            title=_str(record, "title", filename, where),
            app_policy=_opt_str(record, "app_policy", filename, where),
            sources=_source_ids(record, filename, where),
            headline=_opt_str(record, "headline", filename, where),
            action=_opt_str(record, "action", filename, where),
        )
        if (result[rule_id].headline is None) != (result[rule_id].action is None):
            raise ValueError(f"{filename}: {where}: give both 'headline' and 'action', or neither")
    return result


def rule(rule_id: str) -> RuleText:
    """One rule text; KeyError if the id is unknown."""
    return rules()[rule_id]


# --- Urgency tiers ---------------------------------------------------------------------------------


@cache
def tiers() -> dict[str, TierText]:
    """The four urgency tiers by code, highest first."""
    filename = "tiers.yaml"
    result: dict[str, TierText] = {}
    seen: set[str] = set()
    for index, record in enumerate(_records(_load(filename), "tiers", filename)):
        code = _record_id(record, "code", filename, index, seen)
        where = f"tier {code!r}"
        result[code] = TierText(
            code=code,
            headline=_str(record, "headline", filename, where),
            action=_str(record, "action", filename, where),
            sources=_source_ids(record, filename, where),
            timed={
                when: (
                    _str(texts, "headline", filename, f"{where}, timing {when!r}"),
                    _str(texts, "action", filename, f"{where}, timing {when!r}"),
                )
                for when, texts in (record.get("timed") or {}).items()
            },
        )
    return result


def tier(code: str) -> TierText:
    """One tier; KeyError if the code is unknown."""
    return tiers()[code]


# --- Emergency numbers -----------------------------------------------------------------------------


def _contact(record: Mapping[str, Any], country: str | None, filename: str, where: str) -> EmergencyContact:
    return EmergencyContact(
        country=country,
        name=_str(record, "name", filename, where),
        emergency=_str(record, "emergency", filename, where),
        urgent=_opt_str(record, "urgent", filename, where),
        urgent_advice=_str(record, "urgent_advice", filename, where),
        sources=_source_ids(record, filename, where),
    )


@cache
def _emergency_file() -> tuple[EmergencyContact, dict[str, EmergencyContact]]:
    filename = "emergency_numbers.yaml"
    data = _mapping(_load(filename), filename, "top level")
    if "default" not in data:
        raise ValueError(f"{filename}: missing required field 'default'")
    default = _contact(_mapping(data["default"], filename, "default"), None, filename, "default")
    raw = data.get("countries")
    if not isinstance(raw, Mapping) or not raw:
        raise ValueError(f"{filename}: missing or empty required mapping 'countries'")
    result: dict[str, EmergencyContact] = {}
    for code, record in raw.items():
        if not isinstance(code, str) or len(code) != 2 or not code.isalpha() or not code.isupper():
            raise ValueError(f"{filename}: country key {code!r} is not an ISO 3166-1 alpha-2 code")
        where = f"country {code!r}"
        result[code] = _contact(_mapping(record, filename, where), code, filename, where)
    return default, result


def emergency_contact(country: str | None) -> EmergencyContact:
    """Numbers for a country code (case-insensitive; "UK" means GB). Unknown or None: the default,
    which names no single country's numbers (spec H.5)."""
    default, by_code = _emergency_file()
    if country is None:
        return default
    code = country.strip().upper()
    if code == "UK":
        code = "GB"
    return by_code.get(code, default)


def countries() -> dict[str, str]:
    """Country code -> name for every country with numbers, sorted by name."""
    by_code = _emergency_file()[1]
    return {code: contact.name for code, contact in sorted(by_code.items(), key=lambda kv: kv[1].name)}


# --- STarT Back (third-party text, © Keele University) ---------------------------------------------


@cache
def startback() -> StartBackText:
    """Keele's official STarT Back wording, with its copyright, funding and terms."""
    filename = "startback.yaml"
    data = _mapping(_load(filename), filename, "top level")
    items: list[StartBackItem] = []
    seen: set[str] = set()
    for index, record in enumerate(_records(data, "items", filename)):
        app_id = _record_id(record, "app_id", filename, index, seen)
        where = f"item {app_id!r}"
        raw_answers = record.get("answers")
        if not isinstance(raw_answers, list) or not raw_answers:
            raise ValueError(f"{filename}: {where}: missing or empty required field 'answers'")
        answers = tuple(
            (
                _str(_mapping(answer, filename, where), "value", filename, f"{where} answer {n + 1}"),
                _str(_mapping(answer, filename, where), "label", filename, f"{where} answer {n + 1}"),
            )
            for n, answer in enumerate(raw_answers)
        )
        items.append(
            StartBackItem(
                app_id=app_id,
                number=_int(record, "number", filename, where),
                text=_str(record, "text", filename, where),
                answers=answers,
            )
        )
    return StartBackText(
        copyright=_str(data, "copyright", filename, "top level"),
        funding=_str(data, "funding", filename, "top level"),
        terms=_str(data, "terms", filename, "top level"),
        preamble=_str(data, "preamble", filename, "top level"),
        items=tuple(items),
        sources=_source_ids(data, filename, "top level"),
        scoring=_opt_str(data, "scoring", filename, "top level") or "",
    )


# --- RMDQ (original English wording) ---------------------------------------------------------------


@cache
def rmdq() -> RmdqText:
    """The 24-item Roland-Morris Disability Questionnaire, original wording."""
    filename = "rmdq.yaml"
    data = _mapping(_load(filename), filename, "top level")
    if "minimal_important_change" not in data:
        raise ValueError(f"{filename}: missing required field 'minimal_important_change'")
    mic = _mapping(data["minimal_important_change"], filename, "minimal_important_change")
    return RmdqText(
        instructions=_str(data, "instructions", filename, "top level"),
        items=_str_list(data, "items", filename, "top level"),
        citation=_str(data, "citation", filename, "top level"),
        terms=_str(data, "terms", filename, "top level"),
        mic_points=_int(mic, "points", filename, "minimal_important_change"),
        mic_percent=_int(mic, "percent", filename, "minimal_important_change"),
        sources=_source_ids(data, filename, "top level"),
        mic_sources=_source_ids(mic, filename, "minimal_important_change"),
    )
