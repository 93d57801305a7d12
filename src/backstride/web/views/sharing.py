"""Sharing in clinic mode (issue 15): the runner's page of who sees their records (with a way to stop
any of them at once, to invite a clinician, and the log of every look), the page that accepts an
invite link, and a clinician's "invite a runner". None of them exists in local mode (404).

Every decision is the sharing service's (services/sharing.py); these views only show it."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from backstride.services import access_log, sharing
from backstride.services.accounts import is_clinician, is_runner

from .accounts import clinic_only
from .common import owner_of, signed_in_user


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _sharing_context(request: HttpRequest, invite: sharing.Invite | None = None) -> dict[str, object]:
    runner = owner_of(request)
    everyone = sharing.clinicians_of(runner, include_ended=True)
    return {
        "current": [item for item in everyone if item.ended_at is None],
        "ended": [item for item in everyone if item.ended_at is not None],
        "log": access_log.entries_for(runner, limit=100),
        "invite": invite,
        "invite_days": sharing.INVITE_DAYS,
    }


@clinic_only
def sharing_page(request: HttpRequest) -> HttpResponse:
    return render(request, "web/sharing.html", _sharing_context(request))


@clinic_only
@require_POST
def sharing_invite(request: HttpRequest) -> HttpResponse:
    """A new link for the runner to hand to their clinician, shown once on the page (only its hash is
    kept, so it cannot be shown again)."""
    invite = sharing.make_invite(owner_of(request), _base_url(request))
    return render(request, "web/sharing.html", _sharing_context(request, invite))


@clinic_only
@require_POST
def sharing_end(request: HttpRequest, link_id: int) -> HttpResponse:
    """Stop sharing with one clinician, for the runner (from their page) or the clinician (from the
    caseload): either side may end it, and it ends at once."""
    user = signed_in_user(request)
    try:
        ended = sharing.end(user, link_id)
    except sharing.NotShared:
        raise Http404("no such sharing in this account") from None
    if ended.runner_id == user.pk:
        messages.success(request, f"{ended.clinician_name} no longer sees your records.")
        return HttpResponseRedirect(reverse("sharing"))
    messages.success(request, f"{ended.runner_name} is no longer in your caseload.")
    return HttpResponseRedirect(reverse("caseload"))


@clinic_only
def invite(request: HttpRequest, token: str) -> HttpResponse:
    """The invite link: what it would share, and a button to accept it."""
    user = signed_in_user(request)
    preview = sharing.preview(token, user)
    problem = preview.problem
    if request.method == "POST" and preview.usable:
        try:
            made = sharing.accept(user, token)
        except sharing.InviteRefused as refused:
            problem = str(refused)
        else:
            if is_runner(user):
                messages.success(request, f"{made.clinician_name} now sees your records.")
                return HttpResponseRedirect(reverse("sharing"))
            messages.success(request, f"{made.runner_name} is now in your caseload.")
            return HttpResponseRedirect(reverse("caseload"))
    context = {
        "preview": preview,
        "problem": problem,
        "as_runner": is_runner(user),
        "invite_days": sharing.INVITE_DAYS,
    }
    return render(request, "web/invite.html", context, status=200 if not problem else 400)


@clinic_only
@require_POST
def caseload_invite(request: HttpRequest) -> HttpResponse:
    """A clinician's new link for a runner, shown once."""
    user = signed_in_user(request)
    if not is_clinician(user):
        raise Http404("a clinician's page")
    made = sharing.make_invite(user, _base_url(request))
    return render(request, "web/caseload_invite.html", {"invite": made, "invite_days": sharing.INVITE_DAYS})
