"""The knowledge snapshot (`backstride today` without pydantic): it holds exactly what the validated
catalogue says, it is made again when any file of the knowledge package changes (never served stale),
and a missing, foreign or damaged snapshot is never read. Plain pytest; no Django."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from backstride.knowledge import catalog, diary_texts, plan_rules, snapshot


@pytest.fixture(autouse=True)
def fresh_caches() -> Iterator[None]:
    """Each test starts (and leaves) as a new process would: nothing validated or read yet."""

    def clear() -> None:
        snapshot.snapshot.cache_clear()
        catalog.rules.cache_clear()
        catalog.sources.cache_clear()

    clear()
    yield
    clear()


def test_the_snapshot_holds_what_the_validated_catalogue_says(tmp_path: Path) -> None:
    texts = snapshot.snapshot(tmp_path)
    assert (tmp_path / snapshot.FILENAME).is_file()
    assert texts["rules"] == {rule_id: (r.title, r.sources) for rule_id, r in catalog.rules().items()}
    assert texts["citations"] == {source_id: s.citation for source_id, s in catalog.sources().items()}
    assert texts["recheck"] == dict(diary_texts.recheck_messages())
    assert texts["plan_texts"] == dict(plan_rules.plan_rules().texts)
    assert texts["tiers"] == {
        code: ((t.headline, t.action, t.sources), dict(t.timed)) for code, t in catalog.tiers().items()
    }
    assert texts["rule_words"] == {
        rule_id: (r.headline, r.action, r.sources)
        for rule_id, r in catalog.rules().items()
        if r.headline is not None
    }
    assert texts["rule_words"]  # E12, E13, PG-2, ...: rules that word their own result
    assert texts["numbers"][snapshot.DEFAULT_COUNTRY] == (
        catalog.emergency_contact(None).emergency,
        catalog.emergency_contact(None).urgent_advice,
    )
    assert set(texts["numbers"]) == {snapshot.DEFAULT_COUNTRY, *catalog.countries()}
    # what a later process reads back is the same
    assert snapshot.read(tmp_path / snapshot.FILENAME, snapshot.fingerprint(snapshot.FOLDER)) == texts


def test_the_accessors_answer_as_the_catalogue(tmp_path: Path) -> None:
    assert snapshot.rule("A1", tmp_path) == (catalog.rule("A1").title, catalog.rule("A1").sources)
    ids = ["nice-ng59", *catalog.rule("A1").sources, "nice-ng59"]
    assert snapshot.citations(ids, tmp_path) == [(s.id, s.citation) for s in catalog.sources_for(ids)]
    assert snapshot.citations([], tmp_path) == []
    assert snapshot.recheck_message("day_28", tmp_path) == diary_texts.recheck_message("day_28")
    assert snapshot.plan_text("RUN-TODAY-UNKNOWN", tmp_path) == plan_rules.plan_text("RUN-TODAY-UNKNOWN")
    with pytest.raises(KeyError):
        snapshot.rule("NO-SUCH-RULE", tmp_path)


ACCESSOR_CALLS = (
    ("rule", ("A1",)),
    ("citations", (["nice-ng59", "nice-ng59"],)),
    ("recheck_message", ("new_area",)),
    ("plan_text", ("RUN-TODAY-UNKNOWN/check-no-pain",)),
    ("tier", ("doctor_soon",)),
    ("tier", ("emergency",)),
    ("rule_words", ("E13",)),
    ("rule_words", ("A1",)),  # a rule without words of its own: None
    ("emergency_numbers", (None,)),
    ("emergency_numbers", ("gb",)),
    ("emergency_numbers", (" UK ",)),
    ("emergency_numbers", ("ZZ",)),  # unknown: the default
)


def test_the_snapshot_without_the_catalogue_loaded_gives_the_same_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a process that has not loaded the validators (`backstride today`), answers come from the
    snapshot file, and they are the catalogue's."""
    expected = [getattr(snapshot, name)(*args, tmp_path) for name, args in ACCESSOR_CALLS]
    assert expected[-1] == expected[-4] != expected[-3] == expected[-2]  # default, GB and UK
    monkeypatch.setattr(snapshot, "_loaded", lambda kind: False)
    snapshot.snapshot.cache_clear()
    assert [getattr(snapshot, name)(*args, tmp_path) for name, args in ACCESSOR_CALLS] == expected
    with pytest.raises(KeyError):
        snapshot.rule_words("NO-SUCH-RULE", tmp_path)


@pytest.fixture
def package_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the knowledge package's files that the snapshot fingerprints and the catalogue reads."""
    copy = tmp_path / "knowledge"
    copy.mkdir()
    for path in snapshot.FOLDER.iterdir():
        if path.is_file():
            shutil.copy(path, copy / path.name)
    monkeypatch.setattr(snapshot, "FOLDER", copy)
    monkeypatch.setattr(catalog, "_load", lambda name: yaml.safe_load((copy / name).read_text("utf-8")))
    return copy


def edit_rule_title(package: Path, rule_id: str, title: Any) -> None:
    data = yaml.safe_load((package / "rules.yaml").read_text("utf-8"))
    for rule in data["rules"]:
        if rule["id"] == rule_id:
            rule["title"] = title
    (package / "rules.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")


def as_a_new_process() -> None:
    snapshot.snapshot.cache_clear()
    catalog.rules.cache_clear()
    catalog.sources.cache_clear()


def test_a_changed_yaml_file_is_validated_again_never_served_stale(
    package_copy: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    before = snapshot.snapshot(cache)["rules"]["A1"][0]
    assert before == catalog.rule("A1").title
    first_key = snapshot.fingerprint(package_copy)

    edit_rule_title(package_copy, "A1", "  A changed   title.  ")
    as_a_new_process()
    assert snapshot.snapshot(cache)["rules"]["A1"][0] == "A changed   title."  # validated: stripped
    stored = json.loads((cache / snapshot.FILENAME).read_bytes())
    assert stored["key"] == snapshot.fingerprint(package_copy) != first_key

    edit_rule_title(package_copy, "A1", "")  # a file that no longer validates: refused, not the old text
    as_a_new_process()
    with pytest.raises(ValueError, match=r"rules\.yaml.*A1.*title"):
        snapshot.snapshot(cache)


def test_a_change_to_the_validating_code_makes_a_new_snapshot_too(package_copy: Path) -> None:
    key = snapshot.fingerprint(package_copy)
    with (package_copy / "schema.py").open("a", encoding="utf-8") as source:
        source.write("\n# a changed validator\n")
    changed = snapshot.fingerprint(package_copy)
    assert changed != key
    (package_copy / "__pycache__").mkdir()
    (package_copy / "__pycache__" / "schema.cpython-311.pyc").write_bytes(b"bytecode")
    assert snapshot.fingerprint(package_copy) == changed  # compiled files are not the knowledge
    (package_copy / "more").mkdir()
    (package_copy / "more" / "extra.yaml").write_text("a: 1\n")  # a file in a subfolder counts
    assert snapshot.fingerprint(package_copy) != changed
    assert snapshot.fingerprint(package_copy / "missing") is None  # not plain files: no snapshot


EMPTY = {kind: {} for kind in snapshot.KINDS}


@pytest.mark.parametrize(
    "content",
    [
        b"",  # empty
        b"\x00\x01not json",  # damaged
        b"\xff\xfe{}",  # not UTF-8
        json.dumps(["a list"]).encode(),  # another shape
        json.dumps({"key": "KEY", "texts": {"rules": {}}}).encode(),  # kinds missing
        json.dumps({"key": "OTHER", "texts": {kind: {} for kind in snapshot.KINDS}}).encode(),  # other files
        json.dumps(
            {"key": "KEY", "texts": {**{kind: {} for kind in snapshot.KINDS}, "rules": {"A1": 3}}}
        ).encode(),
        json.dumps(
            {"key": "KEY", "texts": {**{kind: {} for kind in snapshot.KINDS}, "numbers": {"": [1]}}}
        ).encode(),
    ],
)
def test_a_damaged_or_foreign_snapshot_is_not_read(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / snapshot.FILENAME
    path.write_bytes(content)
    assert snapshot.read(path, "KEY") is None
    assert snapshot.read(tmp_path / "missing", "KEY") is None


def test_a_stale_snapshot_on_disk_is_replaced(tmp_path: Path) -> None:
    """A snapshot made from other files (another version of backstride) is made again, not served."""
    key = snapshot.fingerprint(snapshot.FOLDER)
    assert key is not None
    wrong = snapshot.build()
    wrong["rules"] = {rule_id: ("stale", ()) for rule_id in wrong["rules"]}
    snapshot.write(tmp_path / snapshot.FILENAME, "an older fingerprint", wrong)
    assert snapshot.snapshot(tmp_path)["rules"]["A1"][0] == catalog.rule("A1").title
    assert snapshot.read(tmp_path / snapshot.FILENAME, key) == snapshot.build()


def test_a_folder_that_cannot_be_written_still_gives_the_texts(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert snapshot.snapshot(blocker / "cache")["rules"]["A1"][0] == catalog.rule("A1").title
