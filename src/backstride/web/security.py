"""A Content-Security-Policy on every response: scripts, styles, images, fonts and connections from
this server only, nothing inline, no plugins, no framing, forms posted back here only.

Nothing in the pages needs more: no inline script, style attribute or event handler (static files
and CSS classes instead), htmx told not to inject its indicator styles (see base.html), and chart
SVG sanitised on the server to presentation attributes (services/safe_svg.py). ``data:`` images
are allowed for CSS and SVG that embed small pictures; nothing else is relaxed.

Django 5.2 has no CSP setting of its own (it arrives in 6.0), hence this small middleware. It is the
first middleware, so static files (WhiteNoise) and error pages carry the header too.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}
HEADER = "Content-Security-Policy"
CONTENT_SECURITY_POLICY = "; ".join(f"{name} {value}" for name, value in POLICY.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if HEADER not in response:  # a view may set a stricter one of its own
            response[HEADER] = CONTENT_SECURITY_POLICY
        return response
