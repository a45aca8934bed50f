"""The applicant's own case on the portal, past the tracking number and secret (``views._granted_case``):
the status page, the online 补正, the 告知书 as PDF and the documents the reply released.

Nothing here answers a visitor whose session was not granted the case: the page leads back to the
lookup form, a file is refused (403). Every file goes out as a download that no cache keeps.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods

from gongkai.core.files import private_storage
from gongkai.core.upload_slots import UploadsBusy, upload_slot
from gongkai.inforequests import selectors as cases
from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.services import inforequest_submit_correction
from gongkai.portal import ratelimit, selectors, services
from gongkai.portal.forms import CorrectionForm
from gongkai.portal.ratelimit import client_ip
from gongkai.portal.views import _granted_case, _render


def _case_or_403(request: HttpRequest, tracking_number: str) -> InfoRequest:
    req = _granted_case(request, tracking_number)
    if req is None:
        raise PermissionDenied("请先输入查询号和查询码")
    return req  # type: ignore[no-any-return]


def status_page(
    request: HttpRequest,
    req: InfoRequest,
    *,
    correction_form: CorrectionForm | None = None,
    limit_message: str = "",
    status: int = 200,
) -> HttpResponse:
    """The status page: stage and deadline, the 补正 asked for (and its form), the 告知书 and its files."""
    today = timezone.localdate()
    reply = getattr(req, "reply", None)
    notice = cases.notice_content(req) if reply is not None and reply.issued_on is not None else None
    correction = cases.open_correction(req)
    refusal = cases.online_correction_refusal(req, today) if correction is not None else None
    released = cases.released_files(req)
    context: dict[str, Any] = {
        "req": req,
        "stage": selectors.STAGE_TEXT.get(req.status, req.get_status_display()),
        "notice": notice,
        "correction": correction,
        "correction_refusal": refusal,
        "form": correction_form or (CorrectionForm() if correction is not None and refusal is None else None),
        "limit_message": limit_message,
        "correction_sent": cases.correction_submission(req),
        "released": released,
        "any_redacted": any(d.redacted for d in released),
        "today": today,
    }
    response = _render(request, "status.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def status_correction(request: HttpRequest, tracking_number: str) -> HttpResponse:
    req = _granted_case(request, tracking_number)
    if req is None:
        return redirect("portal:status_lookup")
    if request.method == "GET":  # e.g. the address bar after a refused post: the form is on the status page
        return redirect("portal:status", tracking_number=req.reference)
    ip = client_ip(request)
    # Counted on arrival, before the files are read: a refused post uses its turn too.
    pairs = (
        (ratelimit.CORRECTION_PER_IP, ratelimit.address_key(ip)),
        (ratelimit.CORRECTION_PER_CASE, str(req.pk)),
    )
    refused = ratelimit.hit_all(*pairs)
    if refused is not None:
        response = status_page(
            request, req, correction_form=CorrectionForm(), limit_message=refused.message, status=429
        )
        response["Retry-After"] = str(refused.retry_after)
        return response
    form = CorrectionForm(request.POST, request.FILES)
    if not request.FILES:
        return _correction_checked(request, req, form, ip)
    try:
        with upload_slot():
            return _correction_checked(request, req, form, ip)
    except UploadsBusy as busy:
        response = status_page(request, req, correction_form=form, limit_message=busy.message, status=503)
        response["Retry-After"] = str(busy.retry_after)
        return response


def _correction_checked(
    request: HttpRequest, req: InfoRequest, form: CorrectionForm, ip: str
) -> HttpResponse:
    if form.is_valid():
        try:
            inforequest_submit_correction(
                request=req, text=form.cleaned_data["text"], files=form.cleaned_data["files"], ip=ip
            )
        except ValidationError as exc:
            for field, errors in (
                exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
            ):
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect("portal:status", tracking_number=req.reference)
    fresh = selectors.application_for_status(req.pk)
    return status_page(request, fresh or req, correction_form=form, status=400)


def status_notice_pdf(request: HttpRequest, tracking_number: str) -> HttpResponse:
    from gongkai.annual_report.rendering import RenderError
    from gongkai.inforequests.notice_pdf import render_notice_pdf

    req = _case_or_403(request, tracking_number)
    reply = getattr(req, "reply", None)
    content = cases.notice_content(req)
    if reply is None or reply.issued_on is None or content is None:
        raise Http404("尚未出具告知书")
    try:
        data = render_notice_pdf(content)
    except RenderError as exc:
        return _render(request, "error.html", {"title": "暂时无法生成 PDF", "message": str(exc)}, status=503)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, f"告知书-{req.reference}.pdf")
    response["Cache-Control"] = "no-store"
    return response


def status_released_file(request: HttpRequest, tracking_number: str, pk: int) -> FileResponse:
    req = _case_or_403(request, tracking_number)
    doc = next((d for d in cases.released_files(req) if d.pk == pk), None)
    storage = private_storage()
    if doc is None or not storage.exists(doc.storage_name):
        raise Http404("没有这个文件")
    services.released_file_downloaded(request=req, file_pk=doc.pk, ip=client_ip(request))
    response = FileResponse(storage.open(doc.storage_name, "rb"), content_type=doc.content_type)
    response["Content-Disposition"] = content_disposition_header(True, doc.filename)
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
