"""My activities (spec K.8): name and rate them the first time, re-rate them later with the global
rating of change, or change them. Works as plain form posts; a refused form keeps what was typed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypedDict
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from backstride.core import outcomes as core
from backstride.core.inputs import read_number
from backstride.core.problems import Problem
from backstride.services import outcomes
from backstride.services.errors import InputRefused, NotFound

from .common import owner_of
from .form_words import plain

ROWS = range(1, core.MAX_ACTIVITIES + 1)


class NamedActivity(Protocol):
    """What the form shows of a current activity (services.outcomes.current_activities)."""

    id: int
    name: str


class FormRow(TypedDict):
    """One row of the outcomes form: what to show, what was typed and its error."""

    number: int
    id: int | str  # the activity it continues, "" for a new row
    name: str
    rating: str
    keep: bool
    placeholder: str
    name_error: str | None
    rating_error: str | None


class _BadLink(Exception):
    """A ?check= that is not one of the runner's completed checks."""


def _row_id(raw: str) -> int | None:
    """A record id from a form or link (read by core.inputs: ``²`` is not 2), or None."""
    number = read_number(raw)
    return number if isinstance(number, int) and number > 0 else None


def _check_id(request: HttpRequest) -> int | None:
    raw = request.POST.get("check") or request.GET.get("check") or ""
    if not raw:
        return None
    check_id = _row_id(raw)
    if check_id is None:
        raise _BadLink
    return check_id


def _source(request: HttpRequest, check_id: int | None) -> str:
    if check_id is not None:
        return "check"
    came_from = request.POST.get("from") or request.GET.get("from")
    return "diary" if came_from == "diary" else "web"


def _context_query(request: HttpRequest, check_id: int | None) -> dict[str, str]:
    """Where the runner came from, kept across the change-my-activities detour."""
    if check_id is not None:
        return {"check": str(check_id)}
    return {"from": "diary"} if _source(request, None) == "diary" else {}


def _sentence(problem: Problem, row_of: dict[int, int]) -> tuple[str, str]:
    """(the form field, a sentence for the runner): "Activity 2 is empty: ..." with the row as shown."""
    kind, _, number = problem.field.rpartition("_")
    position = _row_id(number)
    if kind in ("activity", "rating") and position is not None:
        row = row_of.get(position, position)
        label = f"Activity {row}" if kind == "activity" else f"The rating of activity {row}"
        return f"{kind}_{row}", f"{label} {plain(problem.message)}."
    labels = {"global_change": "How your back has changed", "check": "This check"}
    other = labels.get(problem.field)
    message = plain(problem.message)
    text = f"{other} {message}" if other else message[:1].upper() + message[1:]
    return problem.field, f"{text}."


def _anchor(field: str, mode: str) -> str:
    """Where on the form a problem's field is, for the link in the summary."""
    kind, _, row = field.rpartition("_")
    if kind == "activity" and mode != "rate":
        return field  # the name's text box
    if kind in ("activity", "rating"):
        return f"row-{row}"
    return "global-change" if field == "global_change" else "outcomes-form"


def _typed_rows(post: QueryDict) -> tuple[list[tuple[object, object]], dict[int, int]]:
    """The rows the runner filled in as (name, rating) pairs, and each pair's row on the form."""
    pairs: list[tuple[object, object]] = []
    row_of: dict[int, int] = {}
    for row in ROWS:
        name, rating = post.get(f"activity_{row}") or "", post.get(f"rating_{row}") or ""
        if name.strip() or rating:
            pairs.append((name, rating))  # the core validator reads the rating (core.inputs)
            row_of[len(pairs)] = row
    return pairs, row_of


def _changed_rows(post: QueryDict) -> tuple[list[str], dict[int, int], dict[int, int]]:
    """The names on the change form, which earlier activity each renames (by position), and rows."""
    names: list[str] = []
    continuing: dict[int, int] = {}
    row_of: dict[int, int] = {}
    for row in ROWS:
        name = post.get(f"activity_{row}", "")
        if not name.strip():
            continue  # a cleared row retires that activity
        names.append(name)
        row_of[len(names)] = row
        earlier = _row_id(post.get(f"id_{row}", ""))
        if post.get(f"keep_{row}") and earlier is not None:
            continuing[len(names)] = earlier
    return names, continuing, row_of


def _rows(
    request: HttpRequest, current: Sequence[NamedActivity], mode: str, errors: dict[str, str]
) -> list[FormRow]:
    """One row per activity the form can take."""
    typed = request.POST if request.method == "POST" else QueryDict()
    shown = current if mode != "name" else []
    rows: list[FormRow] = []
    for row in ROWS if mode != "rate" else range(1, len(current) + 1):
        activity = shown[row - 1] if row <= len(shown) else None
        default_name = activity.name if activity else ""
        rows.append(
            {
                "number": row,
                "id": activity.id if activity else "",
                "name": typed.get(f"activity_{row}", default_name),
                "rating": typed.get(f"rating_{row}", ""),
                "keep": bool(typed.get(f"keep_{row}")),
                "placeholder": core.SUGGESTIONS[row - 1],
                "name_error": errors.get(f"activity_{row}"),
                "rating_error": errors.get(f"rating_{row}"),
            }
        )
    return rows


def _save(request: HttpRequest, mode: str, check_id: int | None) -> list[tuple[str, str]] | None:
    """Save the posted form; the problems as (field, sentence) when it is refused."""
    user = owner_of(request)
    try:
        if mode == "change":
            names, continuing, row_of = _changed_rows(request.POST)
            outcomes.set_activities(user, names, continuing)
        else:
            pairs, row_of = _typed_rows(request.POST)
            outcomes.record_rating(
                user,
                pairs,
                source=_source(request, check_id),
                global_change=request.POST.get("global_change", ""),
                check_id=check_id,
            )
    except InputRefused as error:
        return [_sentence(Problem(field, message), row_of) for field, message in error.problems]
    return None


def _mode(request: HttpRequest, current: Sequence[NamedActivity]) -> str:
    """ "name" the first time, "change" to edit the list, else "rate"."""
    if not current:
        return "name"
    wants_change = (request.POST.get("mode") or request.GET.get("mode")) == "change"
    return "change" if wants_change else "rate"


def _saved_words(mode: str, post: QueryDict) -> str:
    """The toast after a save: what was saved, with the count in words ("2 activities")."""
    if mode == "change":
        count = len(_changed_rows(post)[0])
        return f"Saved: your list of {count} {'activity' if count == 1 else 'activities'}."
    count = len(_typed_rows(post)[0])
    return f"Saved: your ratings of {count} {'activity' if count == 1 else 'activities'}."


@require_http_methods(["GET", "POST"])
def outcomes_page(request: HttpRequest) -> HttpResponse:
    user = owner_of(request)
    try:
        check_id = _check_id(request)
        if check_id is not None:
            outcomes.completed_check(user, check_id)
    except (_BadLink, NotFound):
        return render(request, "web/not_found.html", status=404)
    current = outcomes.current_activities(user)
    mode = _mode(request, current)
    problems: list[tuple[str, str]] = []
    if request.method == "POST":
        problems = _save(request, mode, check_id) or []
        if not problems:
            saved = _saved_words(mode, request.POST)
            messages.success(request, saved)
            done = (
                {"changed": "1", **_context_query(request, check_id)} if mode == "change" else {"saved": "1"}
            )
            return HttpResponseRedirect(f"{reverse('outcomes')}?{urlencode(done)}")
    history = outcomes.history(user)
    context = {
        "mode": mode,
        "rows": _rows(request, current, mode, dict(problems)),
        "problems": [{"anchor": _anchor(field, mode), "text": sentence} for field, sentence in problems],
        "check_id": check_id,
        "came_from": request.POST.get("from") or request.GET.get("from") or "",
        "context_query": urlencode(_context_query(request, check_id)),
        "asks_global_change": mode != "change" and outcomes.global_change_applies(user, check_id),
        "global_change_options": core.GLOBAL_CHANGE,
        "global_change_question": core.GLOBAL_CHANGE_QUESTION,
        "chosen_global_change": request.POST.get("global_change", ""),
        "global_change_error": dict(problems).get("global_change"),
        "scale": range(core.RATING_MIN, core.RATING_MAX + 1),
        "saved": history["ratings"][-1] if request.GET.get("saved") and history["ratings"] else None,
        "changed": bool(request.GET.get("changed")),
        "thresholds": history["thresholds"],
        "max_name_length": core.MAX_NAME_LENGTH,
    }
    return render(request, "web/outcomes.html", context, status=400 if problems else 200)
