"""Undo for the CLI's deletes: `log delete-run` and `log delete-day` keep the removed rows in a file
of the data folder (one per user: the latest delete only), and `backstride log undo` puts them back
within the same minutes as the web's Undo button. The file is deleted once used, or replaced by the
next delete; an expired file is refused with the reason and changes nothing."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click
from django.contrib.auth.models import User

from backstride.config import data_dir
from backstride.services.undo import UNDO_MINUTES, UndoRefused, restore_rows

NOTHING_TO_UNDO = "there is nothing to undo: no delete from the command line is kept"


def undo_file(user: User) -> Path:
    return data_dir() / f"last-delete-{user.id}.json"


def keep_for_undo(user: User, label: str, rows: str) -> str:
    """Keep what a delete removed; returns the sentence saying how to undo it."""
    kept = {"label": label, "rows": rows, "expires": time.time() + UNDO_MINUTES * 60}
    path = undo_file(user)
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(kept), encoding="utf-8")
    partial.replace(path)  # a crash never leaves half a file to restore from
    return f"Changed your mind? `backstride log undo` puts it back within {UNDO_MINUTES} minutes."


def undo_last_delete(user: User) -> str:
    """Put back the latest delete; the sentence to print. Raises click.ClickException with the reason."""
    path = undo_file(user)
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
        label, rows, expires = str(kept["label"]), str(kept["rows"]), float(kept["expires"])
    except FileNotFoundError:
        raise click.ClickException(NOTHING_TO_UNDO) from None
    except (ValueError, KeyError, TypeError, OSError):
        path.unlink(missing_ok=True)
        raise click.ClickException("the kept delete could not be read, so nothing was changed") from None
    if time.time() > expires:
        path.unlink(missing_ok=True)
        raise click.ClickException(
            f"too late to undo: {label} was deleted more than {UNDO_MINUTES} minutes ago; nothing was changed"
        )
    try:
        restore_rows(user, rows)
    except UndoRefused as error:
        raise click.ClickException(str(error)) from error
    path.unlink(missing_ok=True)
    return f"Put back {label}."
