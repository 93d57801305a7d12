"""Restore (issue 14 item 3): an export zip put back into this database, empty or not, for the acting
user. The zip is checked whole first (services.export_reader); then every record is written in one
transaction. A record already present (the same natural key, never the same id) is not written again;
links (a run's shoes, a rating's check and activities, a picture's form check) are kept by mapping the
export's ids to this database's."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from django.contrib.auth.models import User
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone

from backstride.storage.models import OutcomeActivity

from .data_kinds import IMAGE_FILE_FIELD, KINDS, Key, Kind, export_value
from .export import records_of
from .export_reader import ExportContents, Record, RestoreRefused, read_export
from .users import profile_for

# Big JSON columns no natural key reads: left out when reading what is already present.
_NOT_IN_KEYS = {"stream", "report", "result", "medians"}
_BATCH = 200


@dataclass(frozen=True)
class RestoreSummary:
    added: dict[str, int]
    already_present: dict[str, int]

    def as_json(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "already_present": self.already_present,
            "total_added": sum(self.added.values()),
            "total_already_present": sum(self.already_present.values()),
        }


def restore(user: User, source: Path | bytes | BinaryIO, display: str = "the file") -> RestoreSummary:
    """Check the export, then write what is not present yet; RestoreRefused (nothing written) otherwise."""
    contents = read_export(source, display)
    try:
        with transaction.atomic():
            return _write(user, contents)
    except IntegrityError as error:
        raise RestoreRefused(
            "a record in it clashes with one saved here in a way backstride cannot merge"
        ) from error
    except DatabaseError as error:
        raise RestoreRefused(f"the database refused a record ({str(error).splitlines()[0][:120]})") from error


class _Writer:
    """The state of one restore: for each kind, natural key -> id here, and export id -> id here."""

    def __init__(self, user: User, contents: ExportContents) -> None:
        self.user = user
        self.contents = contents
        self.here_keys: dict[str, dict[int, Key]] = {}  # kind -> id here -> key
        self.export_keys: dict[str, dict[int, Key]] = {}  # kind -> id in the export -> key
        self.id_here: dict[str, dict[int, int]] = {}  # kind -> id in the export -> id here
        self.added: dict[str, int] = {}
        self.present: dict[str, int] = {}
        self.had_current = OutcomeActivity.objects.filter(owner=user, retired_at__isnull=True).exists()
        self.now = timezone.now()

    def present_here(self, kind: Kind) -> dict[Key, int]:
        names = [f.attname for f in kind.fields() if f.attname not in _NOT_IN_KEYS]
        by_name = {f.attname: f for f in kind.fields()}
        found: dict[Key, int] = {}
        self.here_keys[kind.name] = {}
        for values in records_of(kind, self.user).values(*names):
            row = {name: export_value(by_name[name], value) for name, value in values.items()}
            key = kind.key(row, self.here_keys)
            found.setdefault(key, row["id"])
            self.here_keys[kind.name][row["id"]] = key
        return found

    def write_kind(self, kind: Kind) -> None:
        present = self.present_here(kind)
        self.export_keys[kind.name], self.id_here[kind.name] = {}, {}
        waiting: list[tuple[int, Key, Model, Record]] = []
        keys_waiting: set[Key] = set()
        for record in self.contents.records[kind.name]:
            export_id = record.values["id"]
            key = kind.key(record.exported, self.export_keys)
            self.export_keys[kind.name][export_id] = key
            if key in present:
                self.id_here[kind.name][export_id] = present[key]
            elif key not in keys_waiting:  # the same record twice in the export: written once
                keys_waiting.add(key)
                waiting.append((export_id, key, self.new_instance(kind, record), record))
        made = kind.model.objects.bulk_create([item[2] for item in waiting], batch_size=_BATCH)  # type: ignore[attr-defined]
        for (export_id, key, _, _), instance in zip(waiting, made, strict=True):
            self.id_here[kind.name][export_id] = instance.pk
            present[key] = instance.pk
        for record in self.contents.records[kind.name]:  # duplicates in the export point at the one written
            export_id = record.values["id"]
            self.id_here[kind.name].setdefault(export_id, present[self.export_keys[kind.name][export_id]])
        if kind.name == "diary_days" and made:  # auto_now set "now" on insert: put back the day's own time
            for instance, (_, _, _, record) in zip(made, waiting, strict=True):
                instance.updated_at = record.values["updated_at"]
            kind.model.objects.bulk_update(made, ["updated_at"], batch_size=_BATCH)  # type: ignore[attr-defined]
        self.added[kind.name] = len(made)
        self.present[kind.name] = len(self.contents.records[kind.name]) - len(made)

    def new_instance(self, kind: Kind, record: Record) -> Model:
        values = {key: value for key, value in record.values.items() if key not in ("id", IMAGE_FILE_FIELD)}
        for attname, target in kind.links.items():
            if values[attname] is not None:
                values[attname] = self.id_here[target][values[attname]]
        if kind.owner_path == "owner":
            values["owner"] = self.user
        if kind.name == "form_check_images":
            values["png"] = self.contents.images[record.values[IMAGE_FILE_FIELD]]
        if kind.name == "form_checks" and not _own_clip(values["video_path"]):
            values["video_path"] = ""  # the clip is not in the export: only a clip still in our folder
        if kind.name == "outcome_activities" and values["retired_at"] is None and self.had_current:
            # The runner's current "My activities" stay current; the restored ones join their history.
            values["retired_at"] = self.now
        if kind.name == "shoes" and values["is_default"]:
            values["is_default"] = not kind.model.objects.filter(owner=self.user, is_default=True).exists()  # type: ignore[attr-defined]
        return kind.model(**values)

    def write_settings(self) -> None:
        records = self.contents.records["settings"]
        self.added["settings"] = self.present["settings"] = 0
        if not records:
            return
        profile = profile_for(self.user)
        wanted = {key: value for key, value in records[0].values.items() if key != "id"}
        if all(getattr(profile, key) == value for key, value in wanted.items()):
            self.present["settings"] = 1
            return
        for key, value in wanted.items():
            setattr(profile, key, value)
        profile.save(update_fields=list(wanted))
        self.added["settings"] = 1


def _own_clip(path: str) -> bool:
    """Whether a stored clip path names a file in this machine's clip folder: an export's path is
    never trusted to point anywhere else (a delete would remove what it names)."""
    from .gait import video_root  # the analysis module is heavy: only when a clip path is there

    if not path:
        return False
    clip = Path(path)
    try:
        return clip.is_file() and clip.resolve().parent == video_root().resolve()
    except (OSError, ValueError):
        return False


def _write(user: User, contents: ExportContents) -> RestoreSummary:
    writer = _Writer(user, contents)
    for kind in KINDS:
        if kind.name == "settings":
            writer.write_settings()
        else:
            writer.write_kind(kind)
    return RestoreSummary(added=writer.added, already_present=writer.present)
