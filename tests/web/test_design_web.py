"""The design system's parts that every page shares (issue 13, item 1): the skip link, the navigation
marking the current page, "saved" toasts, the installable app (manifest, icons, service worker,
offline page) and the styled error pages."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template import loader
from django.test import Client, override_settings
from django.urls import path
from tests.web.pages import HOSTILE, seed_every_page

from backstride.web import urls as app_urls
from backstride.web.views.navigation import shown_tabs

pytestmark = pytest.mark.django_db


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug in a view")


def saved_then_more(request: HttpRequest) -> HttpResponse:
    messages.success(request, "Run saved.")
    return redirect("more")


# This module is also a URLconf (override_settings(ROOT_URLCONF=__name__)): the app's pages and two
# test views, one that fails and one that says it saved something.
urlpatterns = [path("test/boom/", boom), path("test/saved/", saved_then_more), *app_urls.urlpatterns]

# The tab each page must mark as current (its label in the navigation); home marks the name instead.
EXPECTED_TAB = {
    "/check/": "Check",
    "/today/": "Today",
    "/diary/": "Diary",
    "/plan/": "Plan",
    "/history/": "History",
    "/activities/": "Activities",
    "/shoes/": "Shoes",
    "/exercises/": "Exercises",
    "/form/": "Form check",
    "/outcomes/": "History",
    "/settings/": "Settings",
    "/sources/": "Sources",
    "/rmdq/": "Disability score",
    "/more/": "More",
    "/data/": "Your data",
    "/report/": "Report",
    "/activities/new-run/": "Activities",
    "/experiments/": "Experiments",
    "/triggers/": "Triggers",
}
CURRENT = re.compile(r'<a [^>]*aria-current="page"[^>]*>(.*?)</a>', re.S)


def current_label(page: str) -> str:
    """The words of the one link marked aria-current="page" (icons are empty spans)."""
    marked = CURRENT.findall(page)
    assert len(marked) == 1, marked
    return re.sub(r"<[^>]+>", "", marked[0]).strip()


def expected_tab(url: str) -> str:
    if url in EXPECTED_TAB:
        return EXPECTED_TAB[url]
    section = url.split("/")[1]
    return {"activities": "Activities", "exercises": "Exercises", "checks": "Check"}[section]


def test_every_page_has_the_skip_link_first_the_nav_and_its_tab_marked(client):
    paths = [*seed_every_page(), "/more/", "/rmdq/", "/activities/new-run/"]
    for url in paths:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        body = page[page.index("<body") :]
        first_focusable = re.search(r"<(a|button|input|select|textarea)\b[^>]*>", body)
        assert first_focusable is not None, url
        assert 'class="skip-link" href="#main"' in first_focusable.group(0), url
        assert "Skip to content</a>" in body and '<main id="main"' in body, url
        assert '<nav class="tabs" aria-label="Main">' in page, url
        for tab in shown_tabs():
            assert f"<span>{tab.label}</span>" in page, (url, tab.label)
        if url == "/":
            assert current_label(page) == "backstride", url
        else:
            assert current_label(page) == expected_tab(url), url


def test_a_page_behind_more_marks_more_on_the_phone_tab_bar(client):
    history = client.get("/history/").content.decode()
    assert re.search(r'<a href="/more/" class="holds-current">', history)
    today = client.get("/today/").content.decode()
    assert "holds-current" not in today


def test_more_lists_every_other_page_with_what_it_is_for(client):
    page = client.get("/more/").content.decode()
    for label, purpose in (
        ("History", "Your past checks"),
        ("Activities", "Your runs"),
        ("Shoes", "replace them"),
        ("Exercises", "pictures"),
        ("Form check", "running form"),
        ("Disability score", "Roland-Morris"),
        ("Settings", "emergency number"),
        ("Sources", "studies and guidelines"),
    ):
        assert re.search(rf"<strong>{label}</strong><span>[^<]*{purpose}", page), label


def test_the_manifest_makes_the_app_installable_and_its_icons_are_served(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] and manifest["short_name"] == "backstride"
    assert manifest["start_url"] == "/today/" and manifest["display"] == "standalone"
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"])
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["background_color"])
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        served = client.get(icon["src"])
        assert served.status_code == 200, icon
        assert served["Content-Type"].startswith(icon["type"]), icon
        if icon["type"] == "image/png":
            png = b"".join(served.streaming_content)
            width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
            assert f"{width}x{height}" == icon["sizes"], icon
    page = client.get("/today/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert 'rel="icon" href="/static/icons/backstride.svg"' in page


def test_the_service_worker_stores_no_page_but_the_offline_one(client):
    seed_every_page()
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    code = response.content.decode()
    assets = json.loads(re.search(r"const OFFLINE_ASSETS = (\[.*?\]);", code).group(1))
    assert "/offline/" in assets
    assert all(asset == "/offline/" or asset.startswith("/static/") for asset in assets), assets
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
    # It puts in its cache only what install lists (cache.addAll); a page fetch is never cached.
    assert code.count("cache.addAll(OFFLINE_ASSETS)") == 1 and ".put(" not in code
    offline = client.get("/offline/").content.decode()
    assert "cannot be reached" in offline and "backstride.css" in offline
    assert HOSTILE not in offline and "Trainer" not in offline and "csrf" not in offline.lower()
    assert "/static/js/install.js" in client.get("/today/").content.decode()


def test_a_missing_page_is_the_styled_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page and 'class="skip-link"' in page and "/static/css/backstride.css" in page
    assert '<nav class="tabs" aria-label="Main">' in page and 'aria-current="page"' not in page


def test_a_missing_check_is_the_styled_not_found_page(client):
    response = client.get("/checks/999999/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "There is no such check" in page and 'class="card status-page"' in page


@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
def test_a_failing_view_is_the_styled_500_page():
    response = Client(raise_request_exception=False).get("/test/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page and "/static/css/backstride.css" in page
    assert 'class="skip-link"' in page and "a bug in a view" not in page
    alone = loader.get_template("500.html").render()  # Django renders it with no context at all
    assert "Something went wrong" in alone and 'href="/today/"' in alone


@override_settings(ROOT_URLCONF=__name__)
def test_a_saved_message_shows_as_a_toast(client):
    page = client.get("/test/saved/", follow=True).content.decode()
    assert '<p class="toast" role="status">Run saved.</p>' in page
    assert '<p class="toast" role="status">Run saved.</p>' not in client.get("/more/").content.decode()


def test_settings_saved_shows_as_a_toast(client):
    page = client.post("/settings/", {"country": "GB"}).content.decode()
    assert '<p class="toast" role="status">Saved.</p>' in page


def test_an_error_message_stays_on_the_page_not_in_a_toast(client):
    page = client.get("/plan/?week=not-a-date", follow=True).content.decode()
    assert 'class="error" role="alert"' in page and 'class="toast"' not in page
