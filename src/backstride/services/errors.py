"""Errors a user can cause. Each message says what to do; the CLI exits non-zero with it and the web
shows it on the form.

Refused input is one family, `InputRefused`, with a class per kind of input so that every message names
what was refused ("2 problems in the run; nothing was saved", not "in the answers" for a run).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from backstride.core.problems import Problem

if TYPE_CHECKING:
    from backstride.core.triage.model import TriageResult


class BackstrideError(Exception):
    exit_code = 1


class InputRefused(BackstrideError):
    """Input that cannot be checked or saved; `problems` lists each (field, message). Nothing was saved."""

    exit_code = 2
    what = "the input"  # what the person gave, in words, for "N problems in <what>"

    def __init__(self, problems: Iterable[tuple[str, str] | Problem], message: str | None = None):
        self.problems: list[tuple[str, str]] = [(field, text) for field, text in problems]
        super().__init__(message or self.summary)

    @property
    def summary(self) -> str:
        count = len(self.problems)
        return f"{count} problem{'' if count == 1 else 's'} in {self.what}; nothing was saved"

    @property
    def kind(self) -> str:
        """The short name JSON output uses: "invalid answers", "invalid run"..."""
        return self.what.removeprefix("the ")


class BadAnswers(InputRefused):
    """Symptom-check answers (a form or an answers file's content)."""

    what = "the answers"


class BadAnswersFile(InputRefused):
    """An answers file that cannot be read at all (not JSON, too big, not a regular file)."""

    what = "the answers file"


class BadCheckIn(InputRefused):
    """A diary check-in. It may still carry an urgent safety answer, shown at once even though nothing is
    saved (never lost behind a form error)."""

    what = "the check-in"

    def __init__(self, problems: Iterable[tuple[str, str] | Problem], message: str | None = None):
        super().__init__(problems, message)
        self.urgent: TriageResult | None = None


class BadRun(InputRefused):
    """A run logged or edited by hand, or a change to an imported activity (effort, shoe)."""

    what = "the run"


class BadShoe(InputRefused):
    what = "the shoe"


class BadRatings(InputRefused):
    """Outcome measures: My activities, the global change, the Roland-Morris questionnaire."""

    what = "the ratings"


class BadOptions(InputRefused):
    """Command options or page filters (dates, metrics)."""

    what = "the options"


class NotFound(BackstrideError):
    exit_code = 1
