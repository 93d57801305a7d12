"""Startup and database failures as one line and an exit status, never a traceback: the group every
`backstride` command runs under. Exit 2 when a setting cannot be used as given, 1 otherwise."""

from __future__ import annotations

from typing import Any

import click

from backstride.config import StartupError


class Unusable(click.ClickException):
    """Printed by Click as "Error: <message>"."""

    exit_code = 1


class BadSetting(Unusable):
    exit_code = 2


class GuardedGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except StartupError as error:
            raise (BadSetting if error.exit_code == 2 else Unusable)(str(error)) from None
        except Exception as error:
            from django.db import connection
            from django.db.utils import Error

            from backstride.storage.connection import is_read_only_failure, read_only_error

            if isinstance(error, Error) and is_read_only_failure(error):
                raise Unusable(str(read_only_error(connection))) from None
            raise
