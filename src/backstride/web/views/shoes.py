"""Shoes in the web app: one page listing them with their km and alert, and small forms to add a
shoe, retire one, set the default and change the replacement distance. A bad form is shown again
with every problem (status 400) and nothing saved; a good one redirects back (POST, redirect, GET)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from backstride.config import local_today
from backstride.core.shoes import ADVICE_ID, ALERT_SOURCES, DEFAULT_REPLACEMENT_KM
from backstride.knowledge import catalog
from backstride.services.errors import BadShoe, InputRefused, NotFound
from backstride.services.shoes import add_shoe, list_shoes, retire_shoe, set_default, update_shoe

from .common import owner_of
from .form_words import Field, field_errors

ADD_FIELDS = ("name", "brand", "model", "start_km", "replacement_km", "bought")


def shoe_labels(action: str, shoe_id: int | None) -> dict[str, Field]:
    """The fields of the form that was sent, by the labels web/shoes.html shows; a shoe's own forms
    (edit, retire) have their controls under the shoe's card."""
    today = local_today().isoformat()
    if action == "add":
        return {
            "name": Field("Name"),
            "brand": Field("Brand"),
            "model": Field("Model"),
            "start_km": Field("Km already done in them", "number", "120"),
            "replacement_km": Field("Remind me to replace them at (km)", "number", "700"),
            "bought": Field("Bought on", "date", today),
            "default": Field("Use these for new runs", "choice"),
        }
    card = f"shoe-{shoe_id}" if shoe_id else "problems"
    return {
        "replacement_km": Field(
            "Remind me to replace them at (km)", "number", "700", anchor=f"replacement-{shoe_id}"
        ),
        "retired": Field("Retired on", "date", today, anchor=f"retired-{shoe_id}"),
        "bought": Field("Bought on", "date", today, anchor=card),
        "name": Field("These shoes", anchor=card),
        "shoe": Field("Shoes", anchor="problems"),
        "action": Field("This form", anchor="problems"),
    }


_TYPED = {"edit": "replacement_km", "retire": "retired"}  # the one field each per-shoe form has


@require_http_methods(["GET", "POST"])
def shoes_page(request: HttpRequest) -> HttpResponse:
    user = owner_of(request)
    today = local_today()
    problems: list[tuple[str, str]] = []
    values: dict[str, str] = {}
    typed: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        post = request.POST
        action = post.get("action", "")
        name = post.get("shoe", "")
        saved = ""
        try:
            if action == "add":
                values = {key: post.get(key, "").strip() for key in ADD_FIELDS}
                shoe = add_shoe(user, {**values, "default": post.get("default", "")}, today)
                saved = f"Saved: {shoe.name} added to your shoes."
            elif action == "retire":
                shoe = retire_shoe(user, name, post.get("retired", "").strip() or today.isoformat(), today)
                saved = f"Saved: {shoe.name} retired (its runs and km stay in your history)."
            elif action == "default":
                shoe = set_default(user, name)
                saved = f"Saved: new runs now go to {shoe.name}."
            elif action == "edit":
                km = post.get("replacement_km", "").strip()
                if not km:
                    raise BadShoe([("replacement_km", "is required")])
                shoe = update_shoe(user, name, {"replacement_km": km}, today)
                saved = f"Saved: {shoe.name} is due for replacing at {shoe.replacement_km:g} km."
            else:
                problems, status = [("action", f"unknown action {action!r}")], 400
        except InputRefused as error:
            problems, status = error.problems, 400
        except NotFound as error:
            problems, status = [("shoe", str(error))], 404
        if not problems:
            messages.success(request, saved)
            return HttpResponseRedirect(reverse("shoes"))
        if action != "add":  # that shoe's form opens again with what was typed
            values = {}
            typed = {"shoe": name, "action": action, "value": post.get(_TYPED.get(action, ""), "")}
    shoes = list_shoes(user, today)
    shoe_id = next((shoe.id for shoe in shoes if shoe.name == typed.get("shoe")), None)
    action = request.POST.get("action", "") if request.method == "POST" else "add"
    errors, listed = field_errors(problems, shoe_labels(action, shoe_id))
    if action != "add":  # the shoe's own form shows its one field's problem beside it
        typed["error"] = " ".join(message for message in errors.values() if message)
        errors = dict.fromkeys(ADD_FIELDS, "")
    card = catalog.advice(ADVICE_ID)
    context = {
        "shoes": shoes,
        "problems": listed,
        "errors": errors,
        "values": values,
        "typed": typed,
        "today": today.isoformat(),
        "default_replacement_km": f"{DEFAULT_REPLACEMENT_KM:g}",
        "card": card,
        "card_sources": catalog.sources_for([*card.sources, *ALERT_SOURCES]),
    }
    return render(request, "web/shoes.html", context, status=status)
