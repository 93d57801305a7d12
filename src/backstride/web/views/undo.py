"""Delete at once, undo for a while: a delete keeps the removed rows in the runner's session under
a random token, and the next page shows a toast "Deleted the run of 3 May, 8.2 km." with an Undo
button. Undo puts the rows back exactly (services.undo) within UNDO_MINUTES; after that, or with a
token this session never offered, it says what happened and changes nothing."""

from __future__ import annotations

import secrets
import time
from typing import TypedDict

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_POST

from backstride.services.undo import UNDO_MINUTES, UndoRefused, restore_rows

from .common import owner_of

SESSION_KEY = "backstride_undo"
FORGET_AFTER_S = 24 * 3600  # an expired offer is remembered (without its rows) to say it ran out
UNDO_TAG = "undo"  # a message's extra_tags are "undo <token>": base.html shows an Undo button


class UndoOffer(TypedDict):
    user: int
    label: str  # "the run of 3 May, 8.2 km"
    expires: float  # time.time() seconds
    rows: str | None  # None once expired or used
    back: str  # where the restored record is shown


def _offers(request: HttpRequest) -> dict[str, UndoOffer]:
    stored = request.session.get(SESSION_KEY)
    return stored if isinstance(stored, dict) else {}


def _save_offers(request: HttpRequest, offers: dict[str, UndoOffer]) -> None:
    now = time.time()
    for offer in offers.values():
        if offer["expires"] < now:
            offer["rows"] = None  # the rows of an old delete are not kept any longer than offered
    request.session[SESSION_KEY] = {
        token: offer for token, offer in offers.items() if offer["expires"] > now - FORGET_AFTER_S
    }


def offer_undo(request: HttpRequest, label: str, rows: str, back: str) -> None:
    """After a delete: keep the rows and say "Deleted <label>." with an Undo button."""
    token = secrets.token_urlsafe(16)
    offers = _offers(request)
    offers[token] = {
        "user": owner_of(request).id,
        "label": label,
        "expires": time.time() + UNDO_MINUTES * 60,
        "rows": rows,
        "back": back,
    }
    _save_offers(request, offers)
    messages.success(
        request,
        f"Deleted {label}. You can undo this for {UNDO_MINUTES} minutes.",
        extra_tags=f"{UNDO_TAG} {token}",
    )


def _refused(request: HttpRequest, text: str, back: str, status: int = 400) -> HttpResponse:
    return render(request, "web/undo_failed.html", {"error": text, "back": back}, status=status)


@require_POST
def undo(request: HttpRequest) -> HttpResponse:
    token = request.POST.get("token", "")[:100]
    offers = _offers(request)
    offer = offers.get(token)
    user = owner_of(request)
    if offer is None or offer["user"] != user.id:
        # 404, as for any record that is not the runner's (issue 15: isolation), with the same words.
        return _refused(
            request,
            "There is nothing to undo here: that undo was already used, ran out, or belongs to another"
            " browser or person. Nothing was changed.",
            "",
            status=404,
        )
    if offer["rows"] is None or offer["expires"] < time.time():
        return _refused(
            request,
            f"Too late to undo: {offer['label']} was deleted more than {UNDO_MINUTES} minutes ago, so it"
            " stays deleted. Nothing was changed.",
            offer["back"],
        )
    try:
        restore_rows(user, offer["rows"])
    except UndoRefused as error:
        return _refused(request, f"{offer['label'][:1].upper()}{offer['label'][1:]}: {error}", offer["back"])
    offer["rows"] = None  # used: a second tap cannot put it back twice
    offer["expires"] = 0
    _save_offers(request, offers)
    messages.success(request, f"Restored {offer['label']}.")
    return HttpResponseRedirect(offer["back"])
