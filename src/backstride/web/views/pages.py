"""History, the disability questionnaire, settings and sources."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from backstride.core.inputs import InvalidValue, parse_whole
from backstride.core.pace import UNITS
from backstride.knowledge import catalog
from backstride.knowledge.catalog import Source
from backstride.services import charts
from backstride.services.checks import list_checks
from backstride.services.errors import InputRefused
from backstride.services.rmdq import record_rmdq, rmdq_history
from backstride.services.users import profile_for, set_country, set_units

from ..templatetags.words_tags import source_label
from .common import owner_of


def history(request: HttpRequest) -> HttpResponse:
    checks = list_checks(owner_of(request), with_report=True)  # each row's STarT Back cell reads it
    scores = rmdq_history(owner_of(request))
    return render(
        request,
        "web/history.html",
        {
            "checks": checks,
            "scores": scores,
            "trend_svg": charts.trend_svg(checks, scores),
            **_outcomes_context(owner_of(request)),
        },
    )


def _outcomes_context(user: User) -> dict[str, Any]:
    """My activities and the global change for the history page (spec K.8)."""
    from backstride.services import outcome_charts, outcomes

    history = outcomes.history(user)
    return {
        "outcomes": history,
        "outcomes_svg": outcome_charts.activities_svg(history),
        "rmdq_threshold": outcomes.RMDQ_THRESHOLD,
    }


@require_http_methods(["GET", "POST"])
def rmdq_form(request: HttpRequest) -> HttpResponse:
    text = catalog.rmdq()
    outcome = None
    error = ""
    typed = request.POST.getlist("ticked") if request.method == "POST" else []
    if request.method == "POST":
        try:
            ticked = [parse_whole(value, "ticked", 1, 24) for value in typed]
            outcome = record_rmdq(owner_of(request), ticked)
            messages.success(request, f"Saved: your Roland-Morris score, {outcome.score} of 24.")
        except (InvalidValue, InputRefused):
            # Only a changed page sends anything but the numbers 1 to 24 of the boxes.
            error = (
                "Statements: the form sent a statement number that is not a whole number from 1 to 24. "
                "Tick the statements that describe you today and save again."
            )
    items = [(number, statement, str(number) in typed) for number, statement in enumerate(text.items, 1)]
    return render(
        request,
        "web/rmdq.html",
        {"text": text, "items": items, "outcome": outcome, "error": error},
        status=400 if error else 200,
    )


@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    errors = {"country": "", "units": ""}
    saved = False
    profile = profile_for(owner_of(request))
    chosen = {"country": profile.country, "units": profile.units}
    if request.method == "POST":
        post = request.POST
        chosen = {"country": post.get("country", ""), "units": post.get("units", profile.units)}
        try:
            set_country(owner_of(request), chosen["country"])
        except ValueError:  # only a changed page sends a code that is not in the list
            errors["country"] = "Country: choose your country from the list, or “Not set”."
        try:
            if "units" in request.POST:  # a form without the field keeps the unit
                set_units(owner_of(request), request.POST["units"])
        except ValueError:
            errors["units"] = "Distances and pace: choose kilometres or miles."
        saved = not any(errors.values())
    error = " ".join(message for message in errors.values() if message)
    return render(
        request,
        "web/settings.html",
        {
            "countries": catalog.countries(),
            "chosen": chosen,
            "units": UNIT_CHOICES,
            "error": error,
            "errors": errors,
            "saved": saved,
        },
        status=400 if error else 200,
    )


# The unit setting's choices as the page words them (core.pace.UNITS are the stored values).
UNIT_CHOICES = tuple(
    (unit, {"km": "Kilometres (pace per km)", "mile": "Miles (pace per mile)"}[unit]) for unit in UNITS
)


# The sources page's groups, in the order it shows them, with a heading in words for each kind.
SOURCE_GROUPS = (
    ("seed", "The articles backstride started from"),
    ("guideline", "Clinical guidelines"),
    ("paper", "Research"),
    ("website", "Health services and their pages"),
    ("app_policy", "backstride's own choices"),
)


def _reference(source: Source) -> dict[str, str]:
    """A source as the sources page shows it: a short name, the full reference and a link."""
    url = source.url or ""
    host = urlparse(url).netloc.removeprefix("www.")
    if url.startswith("https://doi.org/"):
        link = f"DOI {url.removeprefix('https://doi.org/')}"
    else:
        link = f"Open the page on {host}" if host else ""
    return {
        "id": source.id,
        "label": source_label(source),
        "citation": source.citation,
        "url": url,
        "link": link,
        "path": source.path or "",
    }


def sources_page(request: HttpRequest) -> HttpResponse:
    everything = list(catalog.sources().values())
    groups = [
        {
            "kind": kind,
            "heading": heading,
            "sources": [_reference(source) for source in everything if source.kind == kind],
        }
        for kind, heading in SOURCE_GROUPS
    ]
    return render(request, "web/sources.html", {"groups": [group for group in groups if group["sources"]]})
