"""Workbench pages of 随手拍: the list of reports and one report with its forwarding state (per receiver:
delivered and acknowledged with the receiver's id, retrying, or dead-lettered — retried from 消息送达),
the photo (the office's EXIF-free copy) and the contact revealed on request, each view audited."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from gongkai.core.files import private_storage
from gongkai.grid import selectors, services
from gongkai.grid.models import Report, ReportStatus
from gongkai.inforequests.masking import mask_phone
from gongkai.org.access import Permission, can, permission_required


def _masked_name(name: str) -> str:
    return f"{name[:1]}**" if name else ""


@permission_required(Permission.GRID_VIEW)
def report_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in ReportStatus.values:
        status = ""
    page = Paginator(selectors.staff_reports(status), 30).get_page(request.GET.get("page"))
    rows = [(r, selectors.forwarding_summary(r)) for r in page]
    context = {"page": page, "rows": rows, "status": status, "statuses": ReportStatus.choices}
    return render(request, "grid/list.html", context)


def _detail(request: HttpRequest, report: Report, *, revealed: bool) -> HttpResponse:
    context = {
        "report": report,
        "rows": selectors.forwarding_rows(report),
        "revealed": revealed,
        "can_reveal": can(request.user, Permission.GRID_CONTACT),
        "name": report.name if revealed else _masked_name(report.name),
        "phone": report.phone if revealed else mask_phone(report.phone),
    }
    response = render(request, "grid/detail.html", context)
    if revealed:
        response["Cache-Control"] = "no-store"
    return response


@permission_required(Permission.GRID_VIEW)
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_object_or_404(Report, pk=pk), revealed=False)


@permission_required(Permission.GRID_CONTACT)
def report_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """The contact in full, for whoever calls the citizen back; the viewing is recorded."""
    report = get_object_or_404(Report, pk=pk)
    services.report_contact_viewed(actor=request.user, report=report)
    return _detail(request, report, revealed=True)


@permission_required(Permission.GRID_VIEW)
def report_photo(request: HttpRequest, pk: int) -> FileResponse:
    report = get_object_or_404(Report, pk=pk)
    storage = private_storage()
    if not report.storage_name or not storage.exists(report.storage_name):
        raise Http404("照片已不存在")
    services.report_photo_viewed(actor=request.user, report=report)
    response = FileResponse(storage.open(report.storage_name, "rb"), content_type=report.photo_type)
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
