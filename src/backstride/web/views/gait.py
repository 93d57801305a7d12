"""The running-form check in the web app: upload, a background job with progress, the result with
the pick shown on a frame (and a box to correct it), key frames, charts and the runner's history."""

from __future__ import annotations

import re

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from backstride.services import gait
from backstride.services.errors import BackstrideError, NotFound
from backstride.services.gait_charts import history_svg, steps_svg
from backstride.services.record_names import form_check_name

from .common import owner_of

MAX_REQUEST_BYTES = gait.MAX_VIDEO_BYTES + 1_000_000  # the form fields around the file


def _list_page(request: HttpRequest, error: str | None = None, status: int = 200) -> HttpResponse:
    rows = gait.history(owner_of(request))
    view = request.POST.get("view", "side") if request.method == "POST" else "side"
    context = {
        "rows": rows,
        "error": error,
        "view": view if view in ("side", "rear") else "side",  # kept after a refused upload
        "history_svg": history_svg(rows),
        "max_mb": gait.MAX_VIDEO_BYTES // 1_000_000,
        "max_bytes": gait.MAX_VIDEO_BYTES,
    }
    return render(request, "web/gait_list.html", context, status=status)


def gait_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request)


@require_POST
def gait_upload(request: HttpRequest) -> HttpResponse:
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_REQUEST_BYTES:
        return _list_page(
            request,
            f"That video is over {gait.MAX_VIDEO_BYTES // 1_000_000} MB. Film 10-20 s, or trim it first.",
            400,
        )
    upload = request.FILES.get("video")
    if upload is None:
        return _list_page(request, "Choose a video file (mp4 or mov from your phone).", 400)
    try:
        check = gait.start_form_check(owner_of(request), upload, request.POST.get("view", "side"))
    except BackstrideError as error:
        return _list_page(request, str(error), 400)
    return HttpResponseRedirect(reverse("gait_check", args=[check.id]))


def gait_check(request: HttpRequest, check_id: int) -> HttpResponse:
    try:
        check = gait.get_check(owner_of(request), check_id)
    except NotFound:
        return render(request, "web/not_found.html", status=404)
    running = check.status in ("queued", "running")
    result = gait.result_of(check)
    context = {
        "check": check,
        "running": running,
        "percent": round(100 * check.progress),
        "result": result,
        "images": gait.key_frames(check),
        "steps_svg": steps_svg(result) if result else None,
    }
    if request.headers.get("HX-Request") and running:
        return render(request, "web/_gait_job.html", context)
    if request.headers.get("HX-Request"):  # finished while the page polled: load the whole result
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "web/gait_check.html", context)


def gait_image(request: HttpRequest, check_id: int, image_id: int) -> HttpResponse:
    try:
        png = gait.image_png(owner_of(request), check_id, image_id)
    except NotFound:
        return render(request, "web/not_found.html", status=404)
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_POST
def gait_box(request: HttpRequest, check_id: int) -> HttpResponse:
    """The runner's correction: analyse the person inside this box instead. The service checks the
    corners (finite numbers, in order, big enough, inside the frame): a 400 with the reason otherwise."""
    values = [request.POST.get(name, "")[:40] for name in ("x0", "y0", "x1", "y1")]
    try:
        check = gait.rerun_with_box(owner_of(request), check_id, values)
    except NotFound:  # not the runner's check (another's, or none): the same 404 as its page
        return render(request, "web/not_found.html", status=404)
    except BackstrideError as error:
        return _list_page(request, box_in_words(str(error)), 400)
    return HttpResponseRedirect(reverse("gait_check", args=[check.id]))


# The box form's fields as its labels name them (the service names them x0, y0, x1, y1).
_EDGES = {"x0": "the left edge", "y0": "the top edge", "x1": "the right edge", "y1": "the bottom edge"}


def box_in_words(message: str) -> str:
    """A refused box said with the form's words: "the left edge", not "x0"."""
    message = message.replace("x0,y0,x1,y1", "the left, top, right and bottom edges")
    message = re.sub(r"\s*\((?:the )?left, top, right and bottom edges: [^)]*\)", "", message)
    message = re.sub(r",? got (?:'[^']*'|[-\d.,]*\d)", "", message)  # what was typed, said back
    return re.sub(r"\b[xy][01]\b", lambda match: _EDGES[match.group(0)], message)


def _confirm(
    request: HttpRequest, check_id: int, question: str, consequence: str, button: str
) -> HttpResponse:
    """A form check's delete asks first (its video cannot be put back): Delete or Keep, no script."""
    try:
        check = gait.get_check(owner_of(request), check_id)
    except NotFound:
        return render(request, "web/not_found.html", status=404)
    context = {
        "question": question.format(name=form_check_name(check)),
        "consequence": consequence,
        "button": button,
        "keep_url": reverse("gait_check", args=[check_id]),
    }
    return render(request, "web/confirm_delete.html", context)


@require_http_methods(["GET", "POST"])
def gait_delete_video(request: HttpRequest, check_id: int) -> HttpResponse:
    if request.method == "GET":
        return _confirm(
            request,
            check_id,
            "Delete the video of {name}?",
            "The results, key frames and charts stay; without the video the pick of the runner cannot be"
            " corrected. This cannot be undone.",
            "Delete the video",
        )
    try:
        gait.delete_video(owner_of(request), check_id)
    except NotFound:
        return render(request, "web/not_found.html", status=404)
    messages.success(request, "Deleted: the video (the results stay).")
    return HttpResponseRedirect(reverse("gait_check", args=[check_id]))


@require_http_methods(["GET", "POST"])
def gait_delete(request: HttpRequest, check_id: int) -> HttpResponse:
    if request.method == "GET":
        return _confirm(
            request,
            check_id,
            "Delete {name}?",
            "Its results, key frames and video are deleted. This cannot be undone.",
            "Delete this form check",
        )
    try:
        name = form_check_name(gait.get_check(owner_of(request), check_id))
        gait.delete_check(owner_of(request), check_id)
    except NotFound:
        return render(request, "web/not_found.html", status=404)
    messages.success(request, f"Deleted: {name}.")
    return HttpResponseRedirect(reverse("gait_list"))
