"""The staff side of the portal: identity scans of online applications, and the portal's own pages.

Only staff who may see the case's personal data (inforequests.permissions) get a scan; every opening
is an audit event. The file is sent as a download with its sniffed type, never rendered as a page.
The 公开办 edits the 政府信息公开指南 and 制度 here, with a preview of how the portal shows them.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from gongkai.inforequests.permissions import sees_personal_data
from gongkai.org.access import Permission, permission_required, staff_required
from gongkai.portal import selectors, services
from gongkai.portal.forms_staff import PageForm
from gongkai.portal.models import ApplicationScan
from gongkai.portal.page_services import page_update
from gongkai.portal.text import paragraphs
from gongkai.portal.uploads import private_storage


@staff_required
def scan_file(request: HttpRequest, pk: int) -> FileResponse:
    scan = get_object_or_404(ApplicationScan.objects.select_related("request"), pk=pk)
    if not sees_personal_data(request.user, scan.request):
        raise PermissionDenied("您无权查看该申请人的身份证明材料")
    storage = private_storage()
    if not storage.exists(scan.storage_name):
        raise Http404("文件已不存在")
    services.scan_viewed(actor=request.user, scan=scan)
    response = FileResponse(
        storage.open(scan.storage_name, "rb"),
        content_type=scan.content_type,
        as_attachment=True,
        filename=f"身份证明-{scan.request.reference}-{scan.pk}.{scan.extension}",
    )
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@permission_required(Permission.PAGE_EDIT)
def page_list(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/staff/pages.html", {"pages": selectors.pages_or_defaults()})


@permission_required(Permission.PAGE_EDIT)
def page_edit(request: HttpRequest, slug: str) -> HttpResponse:
    page = selectors.page_or_default(slug)
    if page is None:
        raise Http404("没有这个页面")
    form = PageForm(request.POST or None, initial={"title": page.title, "body": page.body})
    if request.method == "POST" and form.is_valid():
        try:
            page_update(actor=request.user, slug=slug, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, f"“{form.cleaned_data['title']}”已更新，门户即时生效。")
            return redirect("portal:staff_page_edit", slug=slug)
    preview_text = form.data.get("body", page.body) if form.is_bound else page.body
    context = {"page": page, "form": form, "preview": paragraphs(preview_text)}
    return render(request, "portal/staff/page_edit.html", context, status=400 if form.errors else 200)
