"""The More page: on a phone, the pages that are not one of the five tabs, each with what it is for."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from .navigation import more_tabs


def more_page(request: HttpRequest) -> HttpResponse:
    pages = [
        {"label": tab.label, "url": reverse(tab.url_name), "purpose": tab.purpose} for tab in more_tabs()
    ]
    return render(request, "web/more.html", {"pages": pages})
