"""The session player (issue 13 item 4): today's exercises one at a time, with Next and Back as
plain links (static/js/session.js adds the rest timer), and "Mark done" at the end."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from backstride.config import local_today
from backstride.services.errors import BackstrideError
from backstride.services.plan_session import finish_session, todays_session

from .common import owner_of


def _step_number(request: HttpRequest, last: int) -> int:
    """The ?step= asked for, 1 to ``last`` (the end screen, also ?step=end); else the first exercise."""
    typed = request.GET.get("step", "")
    if typed == "end":
        return last
    return int(typed) if typed.isdigit() and 1 <= int(typed) <= last else 1


def session_page(request: HttpRequest) -> HttpResponse:
    session = todays_session(owner_of(request), local_today())
    count = len(session["steps"])
    number = _step_number(request, count + 1)
    current = session["steps"][number - 1] if number <= count else None
    return render(
        request,
        "web/session.html",
        {
            "session": session,
            "count": count,
            "number": number,
            "current": current,
            "previous": number - 1 if number > 1 else None,
            "next": number + 1 if number <= count else None,
            "at_end": current is None and count > 0,
        },
    )


@require_POST
def session_done(request: HttpRequest) -> HttpResponse:
    """Tick off every exercise of today's session, then back to Today (or the page it came from)."""
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("dashboard")
    try:
        titles = finish_session(owner_of(request), local_today())
    except BackstrideError as error:
        messages.error(request, str(error))
        return HttpResponseRedirect(reverse("plan_session"))
    if titles:
        count = len(titles)
        messages.success(
            request, f"Saved: today's session done, {count} exercise{'s' if count != 1 else ''} ticked off."
        )
    else:
        messages.error(request, "There are no exercises in today's plan to tick off.")
    return HttpResponseRedirect(back)
