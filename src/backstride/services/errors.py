"""Errors a user can cause. Each message says what to do; the CLI exits non-zero with it and the web
shows it on the form."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from backstride.core.problems import Problem


class BackstrideError(Exception):
    exit_code = 1


class BadAnswers(BackstrideError):
    """An answers file or form that cannot be checked; `problems` lists each (item_id, message)."""

    exit_code = 2

    def __init__(self, message: str, problems: Iterable[tuple[str, str] | Problem] | None = None):
        super().__init__(message)
        self.problems: list[tuple[str, str]] = [(field, text) for field, text in problems or []]
        # A check-in refused for another mistake may still carry an urgent safety answer: it is
        # shown at once even though nothing is saved (never lost behind a form error).
        self.urgent: Any = None


class NotFound(BackstrideError):
    exit_code = 1
