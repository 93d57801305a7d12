"""The knowledge texts `backstride today` shows, without loading pydantic (issue 17, item 4).

Validating the packaged YAML (schema.py, catalog.py, ...) costs a command more than the command itself:
pydantic's import, the record classes and the parsing. So the few texts `today` can show (rule titles
and their sources, citations, the re-check sentences, the plan's sentences) are kept as plain data in a
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
import marshal
import os
import sys
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TypedDict

FOLDER = Path(__file__).resolve().parent
FILENAME = "knowledge.snapshot"
FORMAT = 1  # raise when the snapshot's content changes shape


class Texts(TypedDict):
    rules: dict[str, tuple[str, tuple[str, ...]]]  # rule id -> (title, source ids)
    citations: dict[str, str]  # source id -> citation
    recheck: dict[str, str]  # re-check reason -> sentence
    plan_texts: dict[str, str]  # plan text id -> template


KINDS = {"rules": "catalog", "citations": "catalog", "recheck": "diary_texts", "plan_texts": "plan_rules"}


def fingerprint(folder: Path) -> str | None:
    """A digest of every file under the knowledge package's folder (relative names and bytes; not
    compiled bytecode), this format and Python's version (marshal's format is Python's); None when
    the package is not plain files."""
    digest = hashlib.sha256(f"{FORMAT} {sys.version} {marshal.version}".encode())
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

    return {
        "rules": {rule_id: (text.title, tuple(text.sources)) for rule_id, text in catalog.rules().items()},
        "citations": {source_id: source.citation for source_id, source in catalog.sources().items()},
        "recheck": dict(diary_texts.recheck_messages()),
        "plan_texts": dict(plan_rules.plan_rules().texts),
    }


def read(path: Path, key: str) -> Texts | None:
    """The snapshot at ``path`` if it was made from files with this fingerprint; None when it is
    missing, made from other files or damaged."""
    try:
        stored = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not isinstance(stored, dict) or stored.get("key") != key:
        return None
    texts = stored.get("texts")
    if not isinstance(texts, dict) or set(texts) != set(KINDS):
        return None
    if not all(isinstance(texts[kind], dict) for kind in KINDS):
        return None
    return texts  # type: ignore[return-value]


def write(path: Path, key: str, texts: Texts) -> None:
    """Write the snapshot whole under its final name (a racing reader sees the old one or the new)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    scratch = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        scratch.write_bytes(marshal.dumps({"key": key, "texts": dict(texts)}))
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
