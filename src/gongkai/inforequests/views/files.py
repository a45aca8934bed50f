"""Files on a case: the documents a disclosing reply releases, and what the applicant sent with a 补正.

Released documents are managed while the reply is drafted (``services.released_file_add`` and friends
decide who and when) and open to everyone who may see the case. The applicant's 补正 files are personal
data: only those who see the applicant's data open them (``permissions.sees_personal_data``), and every
opening is written to the audit log, like the ID scans of an online application.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from gongkai.core.files import private_storage
from gongkai.inforequests import forms as f
from gongkai.inforequests import selectors, services
from gongkai.inforequests.models import CorrectionFile, InfoRequest, ReleasedFile
from gongkai.inforequests.permissions import sees_personal_data
from gongkai.inforequests.views._common import _case, _client_ip
from gongkai.inforequests.views.actions import available_actions
from gongkai.inforequests.workflow import Action
from gongkai.org.access import Permission, permission_required, staff_required


def files_context(
    user: Any,
    req: InfoRequest,
    *,
    released_form: f.ReleasedFileForm | None = None,
    provision_form: f.ProvisionChoiceForm | None = None,
) -> dict[str, Any]:
    """What the case page shows of the files: the online 补正, the released documents and their forms."""
    may_change = Action.DRAFT_REPLY.value in available_actions(user, req)
    return {
        "correction_sent": selectors.correction_submission(req),
        "released": selectors.draft_released_files(req),
        "released_may_change": may_change,
        "released_form": released_form or f.ReleasedFileForm(prefix="released"),
        "provision_form": provision_form
        or f.ProvisionChoiceForm(prefix="provision", initial={"provided_as": req.provided_as}),
    }


def _reasons(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def _back(req: InfoRequest) -> HttpResponse:
    return redirect("inforequests:detail", pk=req.pk)


def _render_with(request: HttpRequest, req: InfoRequest, **forms: Any) -> HttpResponse:
    from gongkai.inforequests.views.case import _detail

    return _detail(request, req, files=forms, status=400)


@permission_required(Permission.REQUEST_HANDLE)
@require_POST
def released_file_add(request: HttpRequest, pk: int) -> HttpResponse:
    req = _case(request, pk)
    form = f.ReleasedFileForm(request.POST, request.FILES, prefix="released")
    if form.is_valid():
        data = form.cleaned_data
        try:
            row = services.released_file_add(
                actor=request.user,
                request=req,
                upload=data["file"],
                title=data["title"],
                redacted=data["redacted"],
            )
        except ValidationError as exc:
            form.add_error(None, _reasons(exc))
        else:
            messages.success(request, f"已上传答复文件“{row.title}”。")
            return _back(req)
    reasons = [str(e) for errors in form.errors.values() for e in errors]
    messages.error(request, "答复文件未上传：" + "；".join(reasons))
    return _render_with(request, req, released_form=form)


@permission_required(Permission.REQUEST_HANDLE)
@require_POST
def released_file_remove(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    req = _case(request, pk)
    row = get_object_or_404(ReleasedFile, pk=file_pk, request=req)
    try:
        services.released_file_remove(actor=request.user, file=row)
    except ValidationError as exc:
        messages.error(request, _reasons(exc))
    else:
        messages.success(request, f"已删除答复文件“{row.title}”。")
    return _back(req)


@permission_required(Permission.REQUEST_HANDLE)
@require_POST
def provision_set(request: HttpRequest, pk: int) -> HttpResponse:
    req = _case(request, pk)
    form = f.ProvisionChoiceForm(request.POST, prefix="provision")
    if form.is_valid():
        try:
            services.inforequest_set_provision(
                actor=request.user, request=req, provided_as=form.cleaned_data["provided_as"]
            )
        except ValidationError as exc:
            form.add_error(None, _reasons(exc))
        else:
            messages.success(request, "已确定提供信息的形式。")
            return _back(req)
    return _render_with(request, req, provision_form=form)


def _file_response(storage_name: str, content_type: str, filename: str) -> FileResponse:
    storage = private_storage()
    if not storage.exists(storage_name):
        raise Http404("文件已不存在")
    response = FileResponse(storage.open(storage_name, "rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@staff_required
def released_file_download(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    req = _case(request, pk)
    row = get_object_or_404(ReleasedFile, pk=file_pk, request=req)
    return _file_response(row.storage_name, row.content_type, row.download_name)


@staff_required
def correction_file(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    req = _case(request, pk)
    row = get_object_or_404(CorrectionFile.objects.select_related("submission__request"), pk=file_pk)
    if row.submission.request_id != req.pk:
        raise Http404("没有这个文件")
    if not sees_personal_data(request.user, req):
        raise PermissionDenied("您无权查看该申请人的补正材料")
    services.correction_file_viewed(actor=request.user, file=row, ip=_client_ip(request))
    return _file_response(
        row.storage_name, row.content_type, f"补正材料-{req.reference}-{row.pk}.{row.extension}"
    )
