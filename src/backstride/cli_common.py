"""What every `backstride` command shares: the --format option, JSON output, the bad-input exit
(status 2, every problem listed, nothing saved) and the local user."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, NoReturn

import click

from backstride import bootstrap

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


def _emit_json(data: object) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def _user() -> User:
    bootstrap.setup()
    from backstride.services.users import local_user

    return local_user()


def _fail_bad_answers(problems: list[tuple[str, str]], fmt: str) -> NoReturn:
    if fmt == "json":
        _emit_json(
            {
                "error": "invalid answers; nothing was saved",
                "problems": [{"item_id": item, "message": message} for item, message in problems],
            }
        )
    click.echo(f"error: {len(problems)} problem(s) in the answers; nothing was saved:", err=True)
    for item, message in problems:
        click.echo(f"  {item}: {message}", err=True)
    sys.exit(2)
