"""Two-step sign-in pages (clinic mode, staff only): turning it on or off for one's own account, and
the code asked after the password. The checks are the service's (services/two_factor.py)."""

from __future__ import annotations

import io

import segno
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe

from backstride.services import two_factor
from backstride.services.safe_svg import safe_svg

from .accounts import clinic_only
from .common import signed_in_user


def _qr_svg(uri: str) -> str:
    """The set-up QR code as inline SVG (made here: no image is fetched from anywhere)."""
    out = io.BytesIO()
    segno.make(uri, error="m").save(
        out,
        kind="svg",
        xmldecl=False,
        nl=False,
        scale=5,
        dark="#000",
        light="#fff",
        border=2,
        title="QR code for your authenticator app",
    )
    return safe_svg(out.getvalue().decode())


@clinic_only
def two_factor_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not two_factor.may_use(user):
        raise Http404("a page for clinic staff")
    problem, code = "", ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        code = request.POST.get("code", "")[:20]
        try:
            if action == "start":
                two_factor.start(user)
                code = ""
            elif action == "confirm":
                two_factor.confirm(user, code)
                two_factor.remember_passed(request, user)
                messages.success(request, "Two-step sign-in is on: each sign-in now asks for a code.")
                return HttpResponseRedirect(reverse("two_factor"))
            elif action == "off":
                two_factor.turn_off(user, code)
                messages.success(request, "Two-step sign-in is off: signing in asks for the password only.")
                return HttpResponseRedirect(reverse("two_factor"))
        except two_factor.CodeRefused as refused:
            problem = str(refused).capitalize() + "."
    setup = None if two_factor.is_on(user) else two_factor.pending(user)
    context = {
        "is_on": two_factor.is_on(user),
        "setup": setup,
        "qr_svg": mark_safe(_qr_svg(setup.uri)) if setup else "",  # rebuilt by safe_svg
        "problem": problem,
        "code": code,
    }
    return render(request, "web/two_factor.html", context, status=400 if problem else 200)


@clinic_only
def login_code(request: HttpRequest) -> HttpResponse:
    """The code after the password."""
    user = signed_in_user(request)
    target = request.POST.get("next") or request.GET.get("next") or reverse("home")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("home")
    if two_factor.passed(request.session, user):
        return HttpResponseRedirect(target)
    problem = ""
    if request.method == "POST":
        try:
            two_factor.sign_in_with_code(request, user, request.POST.get("code", "")[:20])
        except two_factor.CodeRefused as refused:
            problem = str(refused).capitalize() + "."
        else:
            return HttpResponseRedirect(target)
    return render(
        request, "web/login_code.html", {"problem": problem, "next": target}, status=400 if problem else 200
    )
