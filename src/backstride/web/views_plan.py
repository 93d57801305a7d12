"""The weekly plan page (printable) and its iCalendar file."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from backstride.config import local_today
from backstride.services.calendar_export import plan_to_ics
from backstride.services.plan import build_plan, monday_of, plan_json

from .views import _owner


def _week(request: HttpRequest) -> date:
    try:
        return date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        return local_today()


def plan_page(request: HttpRequest) -> HttpResponse:
    week = monday_of(_week(request))
    data = plan_json(build_plan(_owner(request), week, local_today()))
    return render(request, "web/plan.html", {"plan": data, "week": week})


def plan_ics(request: HttpRequest) -> HttpResponse:
    data = plan_json(build_plan(_owner(request), monday_of(_week(request)), local_today()))
    days = [(date.fromisoformat(day["day"]), day["items"]) for day in data["days"]]
    response = HttpResponse(plan_to_ics(days), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="backstride-{data["week_start"]}.ics"'
    return response
