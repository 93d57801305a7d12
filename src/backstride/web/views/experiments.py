"""Two-week experiments in the web app: start one (the kinds in words), see the open one with its days
and adherence, stop it early, and read the finished ones with their verdict and a small before/during
bar chart drawn in the template (plain SVG, no script or style: CSP). A refused form is shown again
with what was typed (status 400); a good one redirects back (POST, redirect, GET)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from backstride.config import local_today
from backstride.core import experiments as core
from backstride.services.errors import InputRefused, NotFound
from backstride.services.experiments import (
    ExperimentView,
    finished,
    start_experiment,
    status,
    stop_experiment,
)

from .common import owner_of
from .form_words import Field, field_errors


def _fields() -> dict[str, Field]:
    """The start form's fields by the labels web/experiments.html shows."""
    return {
        "kind": Field("What to change", "choice"),
        "param": Field("Setting (optional)", "number", "15"),
        "from": Field("First day", "date", local_today().isoformat()),
    }


CHART_TOP, CHART_BOTTOM = 10, 110  # the bar chart's y for pain 10 and pain 0 (10 px a point)


def _y(pain: float) -> float:
    return round(CHART_BOTTOM - 10 * min(10.0, max(0.0, pain)), 1)


def _chart(item: ExperimentView) -> dict[str, object] | None:
    """The bars of a judged experiment: the two means, and where the interval puts the "during" mean."""
    verdict = item.verdict
    if verdict is None or verdict.before_mean is None or verdict.during_mean is None:
        return None
    low = high = None
    if verdict.low is not None and verdict.high is not None:
        low, high = _y(verdict.before_mean + verdict.high), _y(verdict.before_mean + verdict.low)
    return {
        "before_y": _y(verdict.before_mean),
        "before_h": round(CHART_BOTTOM - _y(verdict.before_mean), 1),
        "during_y": _y(verdict.during_mean),
        "during_h": round(CHART_BOTTOM - _y(verdict.during_mean), 1),
        "before": f"{verdict.before_mean:.1f}",
        "during": f"{verdict.during_mean:.1f}",
        "whisker": low is not None,
        "top": low or 0,
        "bottom": high or 0,
        "label": (
            f"Mean daily pain: {verdict.before_mean:.1f} in the two weeks before, {verdict.during_mean:.1f} "
            "during" + ("; the line shows where the during mean likely lies." if low is not None else ".")
        ),
    }


def _item(item: ExperimentView) -> dict[str, object]:
    verdict = item.verdict
    return {
        "title": item.kind.title,
        "rule": item.rule,
        "start": item.start,
        "end": item.end,
        "days_done": item.days_done,
        "days_left": item.days_left,
        "percent": round(100 * item.days_done / core.DAYS),
        "stopped_early": item.stopped_early,
        "adherence": item.adherence.words(),
        "verdict": verdict.verdict if verdict else "",
        "clear": bool(verdict and verdict.verdict == core.CLEAR),
        "words": verdict.words if verdict else "",
        "chart": _chart(item),
        "counts": f"{verdict.before_days} rated days before, {verdict.during_days} during" if verdict else "",
    }


def _offered(kind: str) -> str:
    """A kind asked for in the link (?kind=, from a Triggers finding): ticked in the form if offered."""
    return kind if kind in core.KINDS else ""


@require_http_methods(["GET", "POST"])
def experiments_page(request: HttpRequest) -> HttpResponse:
    user, today = owner_of(request), local_today()
    problems: list[tuple[str, str]] = []
    values = {"kind": _offered(request.GET.get("kind", "")), "param": "", "from": ""}
    if request.method == "POST":
        values = {key: request.POST.get(key, "").strip() for key in values}
        try:
            made = start_experiment(user, values["kind"], values["param"], values["from"] or None, today)
        except InputRefused as error:
            problems = error.problems
        else:
            title = core.KINDS[made.kind].title
            messages.success(request, f"Started: \u201c{title}\u201d for two weeks from {made.start}.")
            return HttpResponseRedirect(reverse("experiments"))
    errors, listed = field_errors(problems, _fields())
    current = status(user, today)
    context = {
        "kinds": [
            {"key": kind.key, "title": kind.title, "rule": core.rule_text(kind, f"{kind.default:g}" if
             kind.default is not None else "(the pair you name)"), "param_label": kind.param_label}
            for kind in core.KINDS.values()
        ],
        "current": _item(current) if current else None,
        "finished": [_item(item) for item in finished(user, today)],
        "problems": listed,
        "errors": errors,
        "values": values,
        "today": today.isoformat(),
        "not_proof": core.NOT_PROOF,
    }  # fmt: skip
    return render(request, "web/experiments.html", context, status=400 if problems else 200)


@require_POST
def experiment_stop(request: HttpRequest) -> HttpResponse:
    try:
        item = stop_experiment(owner_of(request), local_today())
    except NotFound:
        messages.info(request, "No experiment is running, so there was nothing to stop.")
    else:
        verdict = item.verdict.verdict if item.verdict else core.NOT_ENOUGH
        messages.success(request, f"Stopped \u201c{item.kind.title}\u201d: {verdict} (see below).")
    return HttpResponseRedirect(reverse("experiments"))
