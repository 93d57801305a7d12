"""Templates in tests fail on a name they cannot resolve, instead of printing nothing (issue 12).

Django renders a missing variable as TEMPLATES' ``string_if_invalid`` (default ""), so a renamed key
in a service result would silently blank a page. In tests that value is a string whose ``%`` raises:
Django formats it with the missing name when it contains "%s" (docs: "How invalid variables are
handled"). ``{% if %}``, ``{% for %}`` and the like resolve without it, so testing an optional value
with ``{% if %}`` stays allowed; printing or filtering a missing one fails."""

from __future__ import annotations

import copy
from typing import Any

from django.conf import settings


class MissingTemplateVariable(AssertionError):
    """A template read a variable (or a key or attribute of one) that does not exist."""


class RaiseOnMissing(str):
    """``string_if_invalid`` for tests: a str (Django checks that it is one) holding "%s", so Django
    formats it with the missing variable, and that formatting raises."""

    def __new__(cls) -> RaiseOnMissing:
        return super().__new__(cls, "%s")

    def __mod__(self, variable: object) -> str:
        raise MissingTemplateVariable(f"a template reads {variable!s}, which does not exist")


def strict_templates() -> list[dict[str, Any]]:
    """The project's TEMPLATES with ``string_if_invalid`` set to raise."""
    templates = copy.deepcopy(settings.TEMPLATES)
    for engine in templates:
        if engine["BACKEND"] == "django.template.backends.django.DjangoTemplates":
            engine.setdefault("OPTIONS", {})["string_if_invalid"] = RaiseOnMissing()
    return templates
