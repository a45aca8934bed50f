"""Security headers for every response, and a size cap on public form posts.

Public pages get a strict Content-Security-Policy: everything from this origin only, no inline script
or style, no framing, no plugins. The workbench and admin get the same ``script-src 'self'`` (their
scripts are static files: htmx, the admin's own, ``core/behaviours.js``) but may be framed by this
origin (the report preview) and keep inline style attributes. Only HTML gets a CSP: a PDF shown inline
must stay viewable in the browser's own viewer.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

PUBLIC_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
STAFF_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)
STAFF_PREFIXES = ("/workbench/", "/admin/", "/accounts/")
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
# A public form carries text and at most three 5 MB scans; anything much larger is refused unread.
MAX_PUBLIC_POST_BYTES = 20 * 1024 * 1024


def is_staff_path(path: str) -> bool:
    return path.startswith(STAFF_PREFIXES)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        staff = is_staff_path(request.path)
        if request.method == "POST" and not staff and _content_length(request) > MAX_PUBLIC_POST_BYTES:
            response = HttpResponse(
                render_to_string("portal/too_large.html", {"cap_mb": MAX_PUBLIC_POST_BYTES // 1024 // 1024}),
                status=413,
            )
        else:
            response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            default = STAFF_CSP if staff else getattr(settings, "GONGKAI_PUBLIC_CSP", PUBLIC_CSP)
            response.headers.setdefault("Content-Security-Policy", default)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if not staff:
            # Nothing a visitor looks at (a case status, a search) should linger in a shared cache.
            response.headers.setdefault("Cache-Control", "private, no-cache")
        return response


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0
