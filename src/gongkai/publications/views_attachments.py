"""Workbench views of a publication's attachments: add and remove on a draft, open any of them.

Reviewers open the files from the detail page before they approve; the rules on who may change them
live in ``services.attachment_add`` / ``attachment_remove``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from gongkai.core.upload_slots import UploadsBusy, upload_slot
from gongkai.org.access import Permission, permission_required, staff_required
from gongkai.publications import forms, services
from gongkai.publications.downloads import attachment_response
from gongkai.publications.models import Publication, PublicationAttachment
from gongkai.publications.services import ActionRefused
from gongkai.publications.views import error_text, render_detail, visible_or_404


def _attachment(pub: Publication, att_pk: int) -> PublicationAttachment:
    return get_object_or_404(PublicationAttachment, pk=att_pk, publication=pub)


@permission_required(Permission.PUBLICATION_DRAFT)
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    pub = visible_or_404(request, pk)
    form = forms.AttachmentForm(request.POST, request.FILES)
    try:
        # The file's checks (a PDF parsed, an image decoded) take their turn with the portal's uploads.
        with upload_slot():
            valid = form.is_valid()
    except UploadsBusy as busy:
        messages.error(request, "附件未上传：" + busy.message)
        return render_detail(request, pub, attachment_form=form, status=503)
    if valid:
        try:
            att = services.attachment_add(
                actor=request.user,
                publication=pub,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            )
        except (ActionRefused, ValidationError) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, f"已添加附件“{att.title}”。")
            return redirect("publications:detail", pk=pub.pk)
    # Back to the page with the reasons and the typed title kept (a browser never keeps the file).
    reasons = [str(e) for errors in form.errors.values() for e in errors]
    messages.error(request, "附件未上传：" + "；".join(reasons))
    return render_detail(request, pub, attachment_form=form, status=400)


@permission_required(Permission.PUBLICATION_DRAFT)
@require_POST
def attachment_remove(request: HttpRequest, pk: int, att_pk: int) -> HttpResponse:
    pub = visible_or_404(request, pk)
    att = _attachment(pub, att_pk)
    try:
        services.attachment_remove(actor=request.user, attachment=att)
    except (ActionRefused, ValidationError) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, f"已删除附件“{att.title}”。")
    return redirect("publications:detail", pk=pub.pk)


@staff_required
def attachment_file(request: HttpRequest, pk: int, att_pk: int) -> FileResponse:
    pub = visible_or_404(request, pk)
    response = attachment_response(_attachment(pub, att_pk), inline=request.GET.get("download") != "1")
    response["Cache-Control"] = "private, no-store"
    return response
