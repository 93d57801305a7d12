"""Undo a delete: every row a delete removes (the record and what cascades with it) is written out
just before, and put back as it was (same ids, same fields, the shoe link included) when the runner
taps Undo. The written rows stay on the server (the web keeps them in the session for a few
minutes); a restore refuses rows another user owns, and refuses to overwrite anything saved since."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from django.contrib.auth.models import User
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, router, transaction
from django.db.models import Model
from django.db.models.deletion import Collector

from .errors import BackstrideError

RecordT = TypeVar("RecordT", bound=Model)
UNDO_MINUTES = 10  # how long a delete can be undone, on the web and from the CLI


@dataclass(frozen=True)
class Removed(Generic[RecordT]):
    """What a delete removed: the record as it was (to name it: "the run of 3 May") and every row,
    for restore_rows."""

    record: RecordT
    rows: str


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder keeps milliseconds of a time; a restore must put back the microseconds too."""

    def default(self, o: object) -> object:
        if isinstance(o, datetime):
            return o.isoformat()
        return super().default(o)


class UndoRefused(BackstrideError):
    """The rows cannot be put back; the message says why, in words for the runner."""


def rows_of(instances: Iterable[Model]) -> str:
    """The rows deleting `instances` would remove (Django's own cascade rules), as JSON. Call it inside
    the delete's transaction, just before the delete."""
    listed = list(instances)
    if not listed:
        return "[]"
    collector = Collector(using=router.db_for_write(type(listed[0])))
    collector.collect(listed)
    # Insertion order is parents first (the collected record, then what cascades from it): the order
    # a restore writes them back in.
    rows = [row for model_rows in collector.data.values() for row in model_rows]
    # Children Django deletes with one query, without loading them (no signals, no further cascade).
    rows += [row for query in collector.fast_deletes for row in query]
    return serializers.serialize("json", rows, cls=ExactJSONEncoder)


def restore_rows(user: User, rows: str) -> int:
    """Put back rows written by rows_of; all or nothing. Returns how many rows came back."""
    objects = list(serializers.deserialize("json", rows))
    for deserialized in objects:
        owner_id = getattr(deserialized.object, "owner_id", user.id)
        if owner_id != user.id:
            raise UndoRefused("That undo belongs to someone else: nothing was changed.")
    try:
        with transaction.atomic():
            for deserialized in objects:
                # force_insert: a row saved since with the same id or the same day is never overwritten.
                deserialized.save(force_insert=True)
    except IntegrityError as error:
        raise UndoRefused(
            "It could not be put back: something saved since takes its place (the same day or the same"
            " file). Nothing was changed."
        ) from error
    return len(objects)
