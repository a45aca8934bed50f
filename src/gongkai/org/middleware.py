"""What a signed-in staff session must do before any page opens (``org.accounts``).

After ``django_otp``'s middleware (which marks a session verified by a device): a session idle for
30 minutes is ended; a session still owing a step — its second-factor code, the person's own password,
enrolling a device — is sent to that step's page from every URL, the portal and the admin included,
except the step's own page and logout. Anonymous requests (the public, the portal's applicants) pass
untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from gongkai.org import accounts

STEP_PAGES = {"verify": "otp_verify", "password": "password_change", "enrol": "otp_setup"}
ALWAYS_OPEN = ("logout", "admin_logout")


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    if request.headers.get("HX-Request") == "true":
        # An htmx request would swap the whole target page into a fragment: make the browser go there.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def _with_next(request: HttpRequest, url: str) -> str:
    if request.method == "GET" and request.get_full_path() not in ("/", ""):
        return f"{url}?{urlencode({'next': request.get_full_path()})}"
    return url


class StaffAccountMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            response = self._gate(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _gate(self, request: HttpRequest) -> HttpResponse | None:
        if accounts.idle_expired(request):
            accounts.sign_out(request=request, reason="idle")
            minutes = int(accounts.IDLE_TIMEOUT.total_seconds() // 60)
            messages.info(request, f"您已超过 {minutes} 分钟未操作，为保护账号已自动退出，请重新登录。")
            return _redirect(request, _with_next(request, reverse("login")))
        if request.path in {reverse(name) for name in ALWAYS_OPEN}:
            return None
        step = accounts.pending_step(request.user)
        if step is None:
            return None
        page = reverse(STEP_PAGES[step])
        if request.path == page:
            return None
        return _redirect(request, _with_next(request, page))
