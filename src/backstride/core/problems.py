"""One shape for "this input is wrong, and here is why": used by the answers, the diary, runs and shoes.

Validators collect every problem before raising, so a form or a file can list them all at once, and
nothing is stored when one is raised.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    field: str  # the field, questionnaire item id or file part the message is about
    message: str

    @property
    def item_id(self) -> str:
        """The questionnaire's name for ``field``."""
        return self.field

    def __iter__(self) -> Iterator[str]:  # (field, message), as the services pass problems on
        return iter((self.field, self.message))

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class InvalidInput(ValueError):
    """Raised with every problem found; nothing should be stored when this is raised."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(problem) for problem in problems))
