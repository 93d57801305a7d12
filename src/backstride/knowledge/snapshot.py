"""The knowledge texts `backstride today` shows, without loading pydantic (issue 17, item 4).

Validating the packaged YAML (schema.py, catalog.py, ...) costs a command more than the command itself:
pydantic's import, the record classes and the parsing. So the few texts `today` can show (rule titles
and their sources, citations, the re-check sentences, the plan's sentences, and an alert's words: the
tiers', the rules' own headlines, each country's emergency numbers) are kept as plain data in a
snapshot file, made from the validated catalogue and keyed on a fingerprint of every file of this
package (the YAML and the code that validates it). A changed file changes the key: the snapshot is made
again from the newly validated files, never served stale. The format itself is defined only by
schema.py and the record types; this module copies values out of them.

Where the catalogue is already loaded in this process (the web app, a test that replaces a file's
content), it answers directly: the snapshot only saves loading it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TypedDict

FOLDER = Path(__file__).resolve().parent
FILENAME = "knowledge.snapshot"
FORMAT = 1  # raise when the snapshot's content changes shape


# A tier's or a rule's words for a result: (headline, action, source ids); they may hold
# {emergency_number} and {urgent_advice}.
Words = tuple[str, str, tuple[str, ...]]


class Texts(TypedDict):
    rules: dict[str, tuple[str, tuple[str, ...]]]  # rule id -> (title, source ids)
    citations: dict[str, str]  # source id -> citation
    recheck: dict[str, str]  # re-check reason -> sentence
    plan_texts: dict[str, str]  # plan text id -> template
    tiers: dict[str, tuple[Words, dict[str, tuple[str, str]]]]  # code -> (words, timing -> texts)
    rule_words: dict[str, Words]  # rule id -> its own headline and action (only rules that have them)
    numbers: dict[str, tuple[str, str]]  # country code ("" default) -> (emergency, urgent advice)


KINDS = {
    "rules": "catalog",
    "citations": "catalog",
    "recheck": "diary_texts",
    "plan_texts": "plan_rules",
    "tiers": "catalog",
    "rule_words": "catalog",
    "numbers": "catalog",
}
DEFAULT_COUNTRY = ""  # the key of the default numbers, which name no single country's (spec H.5)


def country_key(country: str | None) -> str:
    """The emergency numbers' key for a country as a user gives it: case-insensitive, "UK" is GB."""
    if country is None:
        return DEFAULT_COUNTRY
    code = country.strip().upper()
    return "GB" if code == "UK" else code


def fingerprint(folder: Path) -> str | None:
    """A digest of every file under the knowledge package's folder (relative names and bytes; not
    compiled bytecode) and this format; None when the package is not plain files."""
    digest = hashlib.sha256(f"snapshot format {FORMAT}".encode())
    try:
        files = []
        for root, folders, names in os.walk(folder, onerror=_raise):
            folders[:] = [name for name in folders if name != "__pycache__"]
            files += [os.path.join(root, name) for name in names]
        for path in sorted(files):
            digest.update(f"\0{os.path.relpath(path, folder)}\0".encode())
            digest.update(Path(path).read_bytes())
    except OSError:
        return None
    return digest.hexdigest() if files else None


def _raise(error: OSError) -> None:
    raise error


def build() -> Texts:
    """The texts read from the validated catalogue (pydantic, the YAML files)."""
    from . import catalog, diary_texts, plan_rules

    numbers = {DEFAULT_COUNTRY: catalog.emergency_contact(None)}
    numbers.update((code, catalog.emergency_contact(code)) for code in catalog.countries())
    return {
        "rules": {rule_id: (text.title, tuple(text.sources)) for rule_id, text in catalog.rules().items()},
        "citations": {source_id: source.citation for source_id, source in catalog.sources().items()},
        "recheck": dict(diary_texts.recheck_messages()),
        "plan_texts": dict(plan_rules.plan_rules().texts),
        "tiers": {code: (_tier_words(code), dict(catalog.tier(code).timed)) for code in catalog.tiers()},
        "rule_words": {
            rule_id: words for rule_id in catalog.rules() if (words := _rule_words(rule_id)) is not None
        },
        "numbers": {code: (contact.emergency, contact.urgent_advice) for code, contact in numbers.items()},
    }


def _tier_words(code: str) -> Words:
    from . import catalog

    tier = catalog.tier(code)
    return tier.headline, tier.action, tuple(tier.sources)


def _rule_words(rule_id: str) -> Words | None:
    from . import catalog

    text = catalog.rule(rule_id)
    if text.headline is None or text.action is None:
        return None
    return text.headline, text.action, tuple(text.sources)


def read(path: Path, key: str) -> Texts | None:
    """The snapshot at ``path`` if it was made from files with this fingerprint; None when it is
    missing, made from other files or damaged."""
    try:
        stored = json.loads(path.read_bytes())
    except (OSError, ValueError):  # ValueError: not JSON, or not UTF-8
        return None
    if not isinstance(stored, dict) or stored.get("key") != key:
        return None
    texts = stored.get("texts")
    if not isinstance(texts, dict) or set(texts) != set(KINDS):
        return None
    if not all(isinstance(texts[kind], dict) for kind in KINDS):
        return None
    try:
        return _as_made(texts)
    except (TypeError, ValueError):  # a value of another shape: made again
        return None


def _as_made(texts: dict) -> Texts:  # type: ignore[type-arg]
    """JSON gives lists where the texts hold tuples: the texts as ``build`` makes them."""

    def words(value: list) -> Words:  # type: ignore[type-arg]
        headline, action, sources = value
        return str(headline), str(action), tuple(sources)

    return {
        "rules": {key: (title, tuple(sources)) for key, (title, sources) in texts["rules"].items()},
        "citations": dict(texts["citations"]),
        "recheck": dict(texts["recheck"]),
        "plan_texts": dict(texts["plan_texts"]),
        "tiers": {
            code: (words(said), {timing: (headline, action) for timing, (headline, action) in timed.items()})
            for code, (said, timed) in texts["tiers"].items()
        },
        "rule_words": {key: words(value) for key, value in texts["rule_words"].items()},
        "numbers": {code: (emergency, advice) for code, (emergency, advice) in texts["numbers"].items()},
    }


def write(path: Path, key: str, texts: Texts) -> None:
    """Write the snapshot whole under its final name (a racing reader sees the old one or the new)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    scratch = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        scratch.write_text(json.dumps({"key": key, "texts": texts}, ensure_ascii=False), encoding="utf-8")
        os.replace(scratch, path)
    finally:
        scratch.unlink(missing_ok=True)


@cache
def snapshot(folder: Path) -> Texts:
    """The texts, from the snapshot in ``folder`` when it matches the package's files; otherwise
    validated from the files and written there (a folder that cannot be written: validated each time)."""
    key = fingerprint(FOLDER)
    if key is None:
        return build()
    path = folder / FILENAME
    texts = read(path, key)
    if texts is None:
        texts = build()
        with contextlib.suppress(OSError):  # a folder we cannot write: correct, only slower next time
            write(path, key, texts)
    return texts


def _loaded(kind: str) -> bool:
    """Whether this process has already loaded the module that validates ``kind``."""
    return f"{__package__}.{KINDS[kind]}" in sys.modules


def rule(rule_id: str, folder: Path) -> tuple[str, tuple[str, ...]]:
    """(title, source ids) of a rule (rules.yaml); KeyError if the id is unknown."""
    if _loaded("rules"):
        from . import catalog

        text = catalog.rule(rule_id)
        return text.title, tuple(text.sources)
    return snapshot(folder)["rules"][rule_id]


def citations(ids: Iterable[str], folder: Path) -> list[tuple[str, str]]:
    """(id, citation) of these sources, de-duplicated in first-seen order (as catalog.sources_for);
    KeyError on an unknown id."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        return []
    if _loaded("citations"):
        from . import catalog

        return [(source.id, source.citation) for source in catalog.sources_for(ids)]
    known = snapshot(folder)["citations"]
    return [(source_id, known[source_id]) for source_id in ids]


def recheck_message(reason: str, folder: Path) -> str:
    """As diary_texts.recheck_message."""
    if _loaded("recheck"):
        from . import diary_texts

        return diary_texts.recheck_message(reason)
    return snapshot(folder)["recheck"][reason]


def plan_text(text_id: str, folder: Path, **values: object) -> str:
    """As plan_rules.plan_text."""
    if _loaded("plan_texts"):
        from . import plan_rules

        return plan_rules.plan_text(text_id, **values)
    return snapshot(folder)["plan_texts"][text_id].format(**values)


def tier(code: str, folder: Path) -> tuple[Words, dict[str, tuple[str, str]]]:
    """An urgency tier's words and its words for a sooner timing (catalog.tier); KeyError if unknown."""
    if _loaded("tiers"):
        from . import catalog

        return _tier_words(code), dict(catalog.tier(code).timed)
    return snapshot(folder)["tiers"][code]


def rule_words(rule_id: str, folder: Path) -> Words | None:
    """A rule's own headline and action, with its sources; None for a rule without them."""
    if _loaded("rule_words"):
        return _rule_words(rule_id)
    texts = snapshot(folder)
    if rule_id not in texts["rules"]:
        raise KeyError(rule_id)  # as the catalogue
    return texts["rule_words"].get(rule_id)


def emergency_numbers(country: str | None, folder: Path) -> tuple[str, str]:
    """(emergency number, urgent advice) for a country (as catalog.emergency_contact: unknown or None
    gives the default)."""
    if _loaded("numbers"):
        from . import catalog

        contact = catalog.emergency_contact(country)
        return contact.emergency, contact.urgent_advice
    numbers = snapshot(folder)["numbers"]
    return numbers.get(country_key(country), numbers[DEFAULT_COUNTRY])
