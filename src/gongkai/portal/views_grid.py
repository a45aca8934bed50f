"""随手拍 on the portal: file a report with a photo (phone first), see the number and 查询码 once, and
follow the report's status with them. The photo is re-encoded by ``core.files`` before anything else sees
it; a place from the browser or from the photo's own GPS is filled in on the resident's device, only when
they ask for it, and kept only if they confirm it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from gongkai.core.upload_slots import UploadsBusy, upload_slot
from gongkai.grid import selectors as grid
from gongkai.grid.services import report_status_viewed, report_submit
from gongkai.org.selectors import current_organisation
from gongkai.portal import ratelimit
from gongkai.portal.forms_grid import ReportForm, ReportLookupForm
from gongkai.portal.ratelimit import address_key, case_address_key, client_ip, contact_key
from gongkai.portal.tracking import display_secret

# The form page may ask the browser for its position (the resident presses the button; the browser asks).
FORM_PERMISSIONS = "camera=(), microphone=(), geolocation=(self), payment=(), usb=()"


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    response = render(
        request, f"portal/{template}", {"org": current_organisation(), **context}, status=status
    )
    if template == "grid_report.html":
        response["Permissions-Policy"] = FORM_PERMISSIONS
    return response


def _limited(
    request: HttpRequest, decision: Any, template: str, form: Any, status: int = 429
) -> HttpResponse:
    response = _render(request, template, {"form": form, "limit_message": decision.message}, status=status)
    response["Retry-After"] = str(decision.retry_after)
    return response


@require_http_methods(["GET", "POST"])
def grid_report(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _render(request, "grid_report.html", {"form": ReportForm()})
    ip = client_ip(request)
    # Counted on arrival, before the photo is read: a refused or failed submission has used its turn.
    refused = ratelimit.hit_all(
        (ratelimit.GRID_PER_IP, address_key(ip)),
        (ratelimit.GRID_PER_CONTACT, contact_key(request.POST.get("phone", ""))),
    )
    if refused is not None:
        return _limited(request, refused, "grid_report.html", ReportForm(request.POST))
    form = ReportForm(request.POST, request.FILES)
    if form.is_spam:
        return _render(request, "grid_report.html", {"form": form, "spam": True}, status=400)
    try:
        with upload_slot():
            return _checked(request, form, ip)
    except UploadsBusy as busy:
        return _limited(request, busy, "grid_report.html", ReportForm(request.POST), status=503)


def _checked(request: HttpRequest, form: ReportForm, ip: str) -> HttpResponse:
    if not form.is_valid():
        return _render(request, "grid_report.html", {"form": form}, status=400)
    data = form.cleaned_data
    try:
        report = report_submit(**{k: v for k, v in data.items() if k != "homepage"}, ip=ip)
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
        return _render(request, "grid_report.html", {"form": form}, status=400)
    # The 查询码 is shown on this answer only (never stored in clear, never in a session).
    context = {"report": report, "query_code": display_secret(report.query_code)}  # type: ignore[attr-defined]
    response = _render(request, "grid_done.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def grid_lookup(request: HttpRequest) -> HttpResponse:
    """A resident's own report by its number and 查询码; wrong and unknown numbers get the same answer in
    the same time and count against the lookup limits."""
    if request.method == "GET":
        initial = {"number": request.GET.get("number", "")[:30]}
        return _render(request, "grid_lookup.html", {"form": ReportLookupForm(initial=initial)})
    form = ReportLookupForm(request.POST)
    if not form.is_valid():
        return _render(request, "grid_lookup.html", {"form": form}, status=400)
    ip = client_ip(request)
    number = form.cleaned_data["number"]
    pairs = (
        (ratelimit.LOOKUP_FAIL_PER_IP, address_key(ip)),
        (ratelimit.LOOKUP_FAIL_PER_CASE, case_address_key(number, ip)),
    )
    refused = ratelimit.hit_all(*pairs)
    if refused is not None:
        return _limited(request, refused, "grid_lookup.html", ReportLookupForm())
    report = grid.report_by_code(number, form.cleaned_data["code"])
    if report is None:
        return _render(request, "grid_lookup.html", {"form": ReportLookupForm(), "wrong": True}, status=403)
    for limit, key in pairs:
        ratelimit.refund(limit, key)
    report_status_viewed(report=report, ip=ip)
    context = {"report": report, "stage": grid.STATUS_FOR_CITIZEN.get(report.status, "")}
    response = _render(request, "grid_status.html", context)
    response["Cache-Control"] = "no-store"
    return response
