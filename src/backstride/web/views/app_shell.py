"""What makes the site an installable app: the web app manifest, the service worker and the page it
shows when the server cannot be reached.

The service worker keeps only the offline page, the stylesheet and the icons (OFFLINE_ASSETS). Pages
with health data are never stored in a cache: a navigation goes to the server, and only when that
fails is the stored offline page shown instead.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

THEME_COLOUR = "#1f5fbf"  # --accent in backstride.css
BACKGROUND_COLOUR = "#f6f7f9"  # --bg in backstride.css
CACHE_VERSION = "backstride-offline-v1"  # bump when an offline asset changes


def icon_urls() -> dict[str, str]:
    return {
        "svg": static("icons/backstride.svg"),
        "192": static("icons/backstride-192.png"),
        "512": static("icons/backstride-512.png"),
        "maskable": static("icons/backstride-maskable-512.png"),
    }


def offline_assets() -> list[str]:
    """Everything the service worker stores: the offline page and what it needs to look right."""
    icons = icon_urls()
    return [reverse("offline"), static("css/backstride.css"), icons["svg"], icons["192"], icons["512"]]


def manifest_data() -> dict[str, object]:
    icons = icon_urls()
    return {
        "name": "backstride: back pain and running",
        "short_name": "backstride",
        "description": "A daily check-in, a symptom check and a plan for runners with low back pain.",
        "id": "/",
        "start_url": reverse("dashboard"),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {"src": icons["svg"], "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
            {"src": icons["192"], "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": icons["512"], "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {"src": icons["maskable"], "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
        ],
    }


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    body = json.dumps(manifest_data(), indent=2)
    return HttpResponse(body, content_type="application/manifest+json")


@cache
def worker_code() -> str:
    return (resources.files("backstride.web") / "static/js/service-worker.js").read_text(encoding="utf-8")


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """static/js/service-worker.js, served from / so that its scope is the whole site, after the
    constants it needs (known here: the URLs come from the url and static settings)."""
    settings_line = (
        f"const CACHE_NAME = {json.dumps(CACHE_VERSION)};\n"
        f"const OFFLINE_URL = {json.dumps(reverse('offline'))};\n"
        f"const OFFLINE_ASSETS = {json.dumps(offline_assets())};\n"
    )
    response = HttpResponse(settings_line + worker_code(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"  # a new version is picked up on the next visit
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    return render(request, "web/offline.html")
