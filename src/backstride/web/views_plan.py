"""The weekly plan page (printable, ticks on phones) and its iCalendar file."""

from __future__ import annotations

from datetime import date, timedelta

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from backstride.config import local_today
from backstride.services.calendar_export import plan_to_ics
from backstride.services.errors import BackstrideError
from backstride.services.plan import monday_of, plan_view, set_done

from .views import _owner


def _week(request: HttpRequest) -> date:
    try:
        return date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        return local_today()


def _page(request: HttpRequest, week: date, error: str | None = None, status: int = 200) -> HttpResponse:
    today = local_today()
    data = plan_view(_owner(request), week, today)
    context = {
        "plan": data,
        "week": monday_of(week),
        "today": today.isoformat(),
        "previous_week": monday_of(week) - timedelta(days=7),
        "next_week": monday_of(week) + timedelta(days=7),
        "error": error,
    }
    return render(request, "web/plan.html", context, status=status)


def plan_page(request: HttpRequest) -> HttpResponse:
    return _page(request, _week(request))


@require_POST
def plan_done(request: HttpRequest) -> HttpResponse:
    """Tick a plan item off (done=1) or untick it (done=0), then back to the page it came from."""
    try:
        day = date.fromisoformat(request.POST.get("day", ""))
    except ValueError:
        return _page(request, local_today(), "Which day? The form sent no valid date (YYYY-MM-DD).", 400)
    try:
        done = request.POST.get("done") != "0"
        set_done(_owner(request), day, request.POST.get("key", ""), local_today(), done)
    except BackstrideError as error:
        return _page(request, day, str(error), 400)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = f"{reverse('plan')}?week={monday_of(day)}#day-{day}"
    return HttpResponseRedirect(back)


def plan_ics(request: HttpRequest) -> HttpResponse:
    data = plan_view(_owner(request), monday_of(_week(request)), local_today())
    days = [(date.fromisoformat(day["day"]), day["items"]) for day in data["days"]]
    response = HttpResponse(plan_to_ics(days), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="backstride-{data["week_start"]}.ics"'
    return response
