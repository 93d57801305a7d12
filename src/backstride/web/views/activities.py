"""Activities in the web app: upload (a background import job), progress, list and one activity."""

from __future__ import annotations

from datetime import date, datetime

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.paginator import Page
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from backstride.config import local_today
from backstride.core.pace import distance_text, km_said_in, metres_per_unit, pace_text, typed_distance_in_km
from backstride.core.runs import SURFACES, TERRAINS
from backstride.services import jobs
from backstride.services.activity_charts import activity_charts
from backstride.services.errors import InputRefused, NotFound
from backstride.services.imports import ActivityRow, activity_row
from backstride.services.jobs import MAX_UPLOAD_BYTES
from backstride.services.record_names import activity_name
from backstride.services.route_svg import route_drawing
from backstride.services.runs import (
    activity_page,
    day_of,
    delete_activity,
    edit_run,
    get_activity,
    get_manual_run,
    log_run,
    set_rpe,
)
from backstride.services.shoes import assign_run, shoes_in_use
from backstride.services.users import units_of

from ..templatetags.words_tags import SURFACE_WORDS, TERRAIN_WORDS, in_words
from .common import owner_of
from .form_words import Field, field_errors, sentence
from .undo import offer_undo

PAGE_SIZE = 100  # activities per page, newest first: ten years of runs are 3,000 rows


def _when(row: ActivityRow) -> str:
    """When it was, as the runner reads it: "Sun 7 Dec 2026, 07:12" on the clock where it was run;
    a run entered by hand has a day and no time."""
    if row["local_start"] is None:
        day = date.fromisoformat(row["day"])
        return f"{day:%a} {day.day} {day:%b %Y}"
    start = datetime.fromisoformat(row["local_start"])
    return f"{start:%a} {start.day} {start:%b %Y}, {start:%H:%M}"


def _shown(row: ActivityRow, unit: str, terrain: str = "", surface: str = "") -> dict[str, object]:
    """A row with its figures as the page shows them, in the runner's unit; a run entered by hand
    with its terrain and surface in words ("Mostly uphill, trail")."""
    ground = [in_words(terrain, TERRAIN_WORDS), in_words(surface, SURFACE_WORDS).lower()]
    return {
        "row": row,
        "ground": ", ".join(word for word in ground if word).capitalize(),
        "when": _when(row),
        "distance": distance_text(row["distance_m"], unit),
        "pace": pace_text(row["pace_s_per_km"], unit) if row["sport"] in PACED_SPORTS else "–",
    }


PACED_SPORTS = ("running", "walking", "hiking")  # a ride or a swim is not read as min/km


def _listing(user: User, page_number: int | str | None, error: str | None) -> dict[str, object]:
    """One page of the list (as list_activities orders it), with the links to the others."""
    page: Page = activity_page(user, page_number, PAGE_SIZE)
    unit = units_of(user)
    rows = [_shown(activity_row(activity), unit, activity.terrain, activity.surface) for activity in page]
    return {"rows": rows, "page": page, "error": error}


@require_http_methods(["GET"])
def activity_list(request: HttpRequest) -> HttpResponse:
    return render(request, "web/activities.html", _listing(owner_of(request), request.GET.get("page"), None))


@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    user = owner_of(request)
    error = None
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_UPLOAD_BYTES:
        error = (
            "Files: that upload is over 4 GB. On this computer, import it with the command"
            " “backstride import” followed by the file or folder instead."
        )
    files = [] if error else request.FILES.getlist("files")
    if not error and not files:
        error = "Files: choose one or more activity files (FIT, GPX, TCX, .gz) or a Strava/Garmin export zip."
    if not error:
        try:
            job = jobs.start_import(user, files)
        except ValueError as problem:
            error = f"Files: {problem}."
        else:
            return HttpResponseRedirect(reverse("import_job", args=[job.id]))
    return render(request, "web/activities.html", _listing(user, 1, error), status=400)


def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    job = jobs.get_job(owner_of(request), job_id)
    if job is None:
        return render(request, "web/not_found.html", status=404)
    percent = int(100 * job.processed_files / job.total_files) if job.total_files else 0
    context = {"job": job, "percent": percent, "running": job.status in ("queued", "running")}
    template = "web/_import_job.html" if request.headers.get("HX-Request") else "web/import_job.html"
    return render(request, template, context)


def activity_detail(request: HttpRequest, activity_id: int) -> HttpResponse:
    return _activity_page(request, activity_id)


def _activity_page(
    request: HttpRequest,
    activity_id: int,
    error: tuple[str, str] | None = None,
    typed: dict[str, str] | None = None,
) -> HttpResponse:
    """One activity; after a refused RPE or shoe, with the message (field, words) beside that field
    and what was typed (400)."""
    try:
        activity = get_activity(owner_of(request), activity_id)
    except NotFound:
        return render(request, "web/not_found.html", status=404)
    shoes = shoes_in_use(owner_of(request))
    row = activity_row(activity)
    unit = units_of(owner_of(request))
    return render(
        request,
        "web/activity.html",
        {
            "activity": activity,
            "row": row,
            "shown": _shown(row, unit, activity.terrain, activity.surface),
            "route": route_drawing(activity.stream, unit),
            "rpe_value": (typed or {}).get("rpe", "" if row["rpe"] is None else f"{row['rpe']:g}"),
            "charts": activity_charts(activity.stream, unit),
            "shoes": shoes,
            "error": error[1] if error else "",
            "rpe_error": error[1] if error and error[0] == "rpe" else "",
            "shoe_error": error[1] if error and error[0] == "shoe" else "",
        },
        status=400 if error else 200,
    )


RUN_FIELDS = ("day", "distance_km", "duration_min", "terrain", "surface", "rpe", "shoe")


def run_labels(unit: str = "km") -> dict[str, Field]:
    """The run form's fields by the labels web/new_run.html shows (the distance in the runner's unit)."""
    miles = unit == "mile"
    return {
        "day": Field("Date", "date", local_today().isoformat()),
        "distance_km": Field(
            "Distance (miles)" if miles else "Distance (km)", "number", "5.3" if miles else "8.5"
        ),
        "duration_min": Field("Duration (minutes)", "number", "45"),
        "terrain": Field("Terrain", "choice"),
        "surface": Field("Surface", "choice"),
        "shoe": Field("Shoes", "choice"),
        "rpe": Field("Effort (RPE)", "number", "6"),
        "activity": Field("This run", anchor="problems"),
    }


@require_http_methods(["GET", "POST"])
def new_run(request: HttpRequest, activity_id: int | None = None) -> HttpResponse:
    """Log a run by hand, or edit one (activity_id); every impossible value is named on the form
    and nothing is saved."""
    user = owner_of(request)
    unit = units_of(user)  # the distance is typed in the runner's unit; the checks read km
    problems: list[tuple[str, str]] = []
    values: dict[str, object] = {"day": local_today().isoformat()}
    if activity_id is not None and request.method == "GET":
        try:
            run = get_manual_run(user, activity_id)
        except NotFound:
            return render(request, "web/not_found.html", status=404)
        values = {
            "day": day_of(run).isoformat(),
            "distance_km": f"{(run.distance_m or 0) / metres_per_unit(unit):.2f}".rstrip("0").rstrip("."),
            "duration_min": f"{(run.moving_time_s or 0) / 60:g}",
            "terrain": run.terrain,
            "surface": run.surface,
            "rpe": "" if run.rpe is None else f"{run.rpe:g}",
            "shoe": run.shoe.name if run.shoe else "",
        }
    if request.method == "POST":
        values = {key: request.POST.get(key, "").strip() for key in RUN_FIELDS}
        typed = {**values, "distance_km": typed_distance_in_km(str(values["distance_km"]), unit)}
        try:
            if activity_id is not None:
                activity = edit_run(user, activity_id, typed, local_today())
            else:
                activity = log_run(user, typed, local_today())
        except InputRefused as error:
            problems = [(field, km_said_in(message, unit)) for field, message in error.problems]
        except NotFound:
            return render(request, "web/not_found.html", status=404)
        else:
            what = "changes to " if activity_id is not None else ""
            messages.success(request, f"Saved: {what}{activity_name(activity)}.")
            return HttpResponseRedirect(reverse("activity", args=[activity.id]))
    shoes = shoes_in_use(user)
    labels = run_labels(unit)
    errors, listed = field_errors(problems, labels)
    context = {
        "values": values,
        "distance_label": labels["distance_km"].label,
        "problems": listed,
        "errors": errors,
        "terrains": [(code, TERRAIN_WORDS[code]) for code in TERRAINS],
        "surfaces": [(code, SURFACE_WORDS[code]) for code in SURFACES],
        "shoes": shoes,
    }
    return render(request, "web/new_run.html", context, status=400 if problems else 200)


@require_POST
def activity_rpe(request: HttpRequest, activity_id: int) -> HttpResponse:
    typed = request.POST.get("rpe", "")
    try:
        activity = set_rpe(owner_of(request), activity_id, typed)
    except NotFound:
        return render(request, "web/not_found.html", status=404)
    except InputRefused as error:
        said = sentence("rpe", error.problems[0][1], run_labels())
        error_words = ("rpe", f"{said} 0 is rest, 10 your hardest.")
        return _activity_page(request, activity_id, error_words, {"rpe": typed})
    effort = "cleared" if activity.rpe is None else f"{activity.rpe:g} of 10"
    messages.success(request, f"Saved: effort (RPE) {effort} for {activity_name(activity)}.")
    return HttpResponseRedirect(reverse("activity", args=[activity_id]))


@require_POST
def activity_delete(request: HttpRequest, activity_id: int) -> HttpResponse:
    """Delete at once; the next page offers Undo for a few minutes (views.undo)."""
    try:
        removed = delete_activity(owner_of(request), activity_id)
    except NotFound:
        return render(request, "web/not_found.html", status=404)
    offer_undo(request, activity_name(removed.record), removed.rows, reverse("activity", args=[activity_id]))
    return HttpResponseRedirect(reverse("activities"))


@require_POST
def activity_shoe(request: HttpRequest, activity_id: int) -> HttpResponse:
    try:
        activity = assign_run(owner_of(request), activity_id, request.POST.get("shoe") or None)
    except NotFound as error:  # no such shoe, or no such activity (then the page is a 404)
        said = sentence("shoe", str(error), run_labels()).removesuffix(".")
        return _activity_page(request, activity_id, ("shoe", f"{said}. Choose one of the shoes in the list."))
    except InputRefused as error:
        said = sentence("shoe", error.problems[0][1], run_labels()).removesuffix(".")
        return _activity_page(request, activity_id, ("shoe", f"{said}. Choose another shoe."))
    shoe = f"ran in {activity.shoe.name}" if activity.shoe else "no shoe"
    messages.success(request, f"Saved: {activity_name(activity)}, {shoe}.")
    return HttpResponseRedirect(reverse("activity", args=[activity_id]))
