"""What every `backstride` command shares: the --format option, JSON output, the bad-input exit
(status 2, every problem listed, nothing saved) and the local user."""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from backstride import bootstrap
from backstride.services.errors import BadOptions, InputRefused

if TYPE_CHECKING:  # Django models can only be imported once Django is set up
    from django.contrib.auth.models import User

FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json prints one machine-readable object.",
)


class SafePath(click.Path):
    """click.Path that refuses a NUL in the path as a usage error (exit 2). Click's own check calls
    os.stat, which raises ValueError ("embedded null byte"), a traceback rather than a message."""

    def convert(
        self, value: str | os.PathLike[str], param: click.Parameter | None, ctx: click.Context | None
    ) -> str | bytes | os.PathLike[str]:
        if isinstance(value, str) and "\x00" in value:
            self.fail(
                "a path cannot contain a NUL character: check how the command line was built", param, ctx
            )
        return super().convert(value, param, ctx)


def emit_json(data: object) -> None:
    text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    # A lone surrogate (from a mis-encoded argument) becomes its JSON escape: the output stays
    # valid JSON with the same value, and the terminal can always print it.
    click.echo(text.encode("utf-8", "backslashreplace").decode("utf-8"))


def printable(text: str, limit: int = 200) -> str:
    """``text`` as one line any terminal shows: control characters and lone surrogates escaped
    (``\\x00``, ``\\udcff``), cut at ``limit`` characters."""
    if len(text) > limit:
        text = text[:limit] + "..."
    return "".join(
        char if char.isprintable() else char.encode("unicode_escape").decode("ascii") for char in text
    )


def acting_user() -> User:
    bootstrap.setup()
    from backstride.services.users import local_user

    return local_user()


def refuse(error: InputRefused, fmt: str) -> NoReturn:
    """Exit 2 naming what was refused, one line per problem (and, with --format json, the same as JSON
    on stdout)."""
    if fmt == "json":  # as given: JSON can hold any text (emit_json escapes lone surrogates)
        emit_json(
            {
                "error": f"invalid {error.kind}; nothing was saved",
                "problems": [{"item_id": item, "message": message} for item, message in error.problems],
            }
        )
    click.echo(f"error: {error.summary}:", err=True)
    for item, message in error.problems:
        click.echo(f"  {printable(item, 80)}: {printable(message)}", err=True)
    sys.exit(2)


def day_option(value: str | None, hint: str, fmt: str, default: date, *, ahead_days: int = 0) -> date:
    """A YYYY-MM-DD option read by the shared parser (core.inputs: 1970-01-01 up to today, or up to
    ``ahead_days`` ahead); ``default`` when not given; exit 2 naming the option otherwise."""
    from backstride.config import local_today
    from backstride.core.inputs import InvalidValue, parse_day

    if value is None:
        return default
    try:
        return parse_day(value, hint, local_today(), ahead_days=ahead_days)
    except InvalidValue as error:
        refuse(BadOptions([(error.field, error.message)]), fmt)


def write_file(path: Path, data: bytes, hint: str) -> None:
    """Write what a command exports (a calendar, a picture); a path that cannot be written is the
    user's to change, said in one line (exit 1), never a traceback."""
    where = printable(str(path), 120)
    try:
        path.write_bytes(data)
    except OSError as error:
        reason = error.strerror or str(error)
        raise click.ClickException(f"cannot write {hint} {where}: {reason}; choose another path") from None
    except ValueError as error:  # a NUL in the path
        raise click.ClickException(f"cannot write {hint} {where}: {error}; choose another path") from None
