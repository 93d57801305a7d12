"""The exercise library in the web app: a list by category and a page per exercise with its picture."""

from __future__ import annotations

from itertools import groupby

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from backstride.knowledge import catalog
from backstride.services import exercises as library
from backstride.services.errors import NotFound


def exercise_list(request: HttpRequest) -> HttpResponse:
    items = library.library(pattern=request.GET.get("pattern") or None)
    groups = [
        (category, [(item, library.thumbnail(item.id)) for item in members])
        for category, members in groupby(items, key=lambda e: e.category)
    ]
    return render(
        request, "web/exercises.html", {"groups": groups, "pattern": request.GET.get("pattern", "")}
    )


def exercise_detail(request: HttpRequest, exercise_id: str) -> HttpResponse:
    try:
        item = library.find(exercise_id)
    except NotFound:
        return render(request, "web/not_found.html", status=404)
    patterns = catalog.patterns()
    cautions = [
        {"pattern": patterns[code].name if code in patterns else "Everyone", "text": text}
        for code, text in item.cautions.items()
    ]
    return render(
        request,
        "web/exercise.html",
        {
            "item": item,
            "motion": library.motion_picture(item.id),
            "picture": library.body_picture(item.id),
            "picture_stacked": library.body_picture(item.id, stacked=True),
            "dosage": library.dosage_text(item),
            "stages": library.stages_for(item),
            "cautions": cautions,
            "sources": catalog.sources_for(item.sources),
            "progression": library.find(item.progression) if item.progression else None,
            "regression": library.find(item.regression) if item.regression else None,
        },
    )
