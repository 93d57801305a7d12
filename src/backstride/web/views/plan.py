"""The weekly plan page (printable, ticks on phones) and its iCalendar file."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from backstride.config import local_today
from backstride.core.inputs import AHEAD_DAYS, InvalidValue, parse_day
from backstride.services.calendar_export import plan_to_ics
from backstride.services.errors import BackstrideError
from backstride.services.plan import monday_of, plan_view, set_done, ticking_off
from backstride.services.plan_json import PlanView, session_items
from backstride.services.record_names import day_words

from .common import owner_of


def _day(text: str, today: date) -> date:
    """A day the plan can show, read by the shared parser (core.inputs): from 1970 to a year ahead."""
    return parse_day(text, "week", today, ahead_days=AHEAD_DAYS)


def _week(request: HttpRequest, say: bool = True) -> date:
    """The ?week= asked for; this week when none is given or it cannot be shown (said on the page)."""
    typed = request.GET.get("week", "")
    if not typed:
        return local_today()
    try:
        return _day(typed, local_today())
    except InvalidValue as error:
        if say:
            messages.error(request, f"Week {error.message}. Showing this week instead.")
        return local_today()


def _page(request: HttpRequest, week: date) -> HttpResponse:
    today = local_today()
    data = plan_view(owner_of(request), week, today)
    context = {
        "plan": data,
        "ticking_off": ticking_off(data["plan_since"], today),
        "todays_session": _session(data, today),
        "week": monday_of(week),
        "today": today.isoformat(),
        "back_url": f"{reverse('plan')}?week={monday_of(week)}",
        "previous_week": monday_of(week) - timedelta(days=7),
        "next_week": monday_of(week) + timedelta(days=7),
    }
    return render(request, "web/plan.html", context)


def _session(data: PlanView, today: date) -> tuple[int, int]:
    """Today's session when this week is shown and has a plan: (exercises, ticked off); (0, 0) else."""
    if data["blocked"]:
        return 0, 0
    items = next((day["items"] for day in data["days"] if day["day"] == today.isoformat()), [])
    exercises = session_items(items)
    return len(exercises), sum(1 for item in exercises if item["done"])


def plan_page(request: HttpRequest) -> HttpResponse:
    return _page(request, _week(request))


@require_POST
def plan_done(request: HttpRequest) -> HttpResponse:
    """Tick a plan item off (done=1) or untick it (done=0), then back to the page it came from; a
    refusal is shown there too (as a message), so the htmx swap and the no-JS form both see it."""
    back = request.POST.get("next", "")
    try:
        day: date | None = _day(request.POST.get("day", ""), local_today())
    except InvalidValue as error:
        day = None
        problem = f"Which day? The day {error.message}."
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = f"{reverse('plan')}?week={monday_of(day or local_today())}"
    if day is None:
        messages.error(request, problem)
        return HttpResponseRedirect(back)
    try:
        done = request.POST.get("done") != "0"
        title = set_done(owner_of(request), day, request.POST.get("key", ""), local_today(), done)
    except BackstrideError as error:
        messages.error(request, str(error))
    else:
        when = "today" if day == local_today() else f"on {day_words(day)}"
        messages.success(request, f"Saved: {title} {'done' if done else 'not done'} {when}.")
    return HttpResponseRedirect(back)


def plan_ics(request: HttpRequest) -> HttpResponse:
    data = plan_view(owner_of(request), monday_of(_week(request, say=False)), local_today())
    days = [(date.fromisoformat(day["day"]), day["items"]) for day in data["days"]]
    response = HttpResponse(plan_to_ics(days), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="backstride-{data["week_start"]}.ics"'
    return response
