"""The staff side of the portal: opening an identity scan of an online application.

Only staff who may see the case's personal data (inforequests.permissions) get the file; every opening
is an audit event. The file is sent as a download with its sniffed type, never rendered as a page.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404

from gongkai.inforequests.permissions import sees_personal_data
from gongkai.org.access import role_required
from gongkai.portal import services
from gongkai.portal.models import ApplicationScan
from gongkai.portal.uploads import private_storage


@role_required()
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
