"""The 告知书: HTML preview, DOCX download and the editable templates."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header

from gongkai.annual_report.rendering import RenderError
from gongkai.inforequests import forms as f
from gongkai.inforequests import selectors, services
from gongkai.inforequests.models import (
    InfoRequest,
    ReplyTemplate,
)
from gongkai.inforequests.notice_docx import render_notice_docx
from gongkai.inforequests.notice_pdf import render_notice_pdf
from gongkai.inforequests.notice_text import PLACEHOLDERS, NoticeContent
from gongkai.inforequests.views._common import (
    _apply_errors,
    _case,
)
from gongkai.org.access import Permission, can, permission_required, staff_required


def _notice(request: HttpRequest, pk: int) -> tuple[InfoRequest, NoticeContent]:
    req = _case(request, pk)
    content = selectors.notice_content(req)
    if content is None:
        raise Http404("本申请尚未拟写答复告知书")
    return req, content


@staff_required
def notice_preview(request: HttpRequest, pk: int) -> HttpResponse:
    req, content = _notice(request, pk)
    return render(request, "inforequests/notice_preview.html", {"req": req, "notice": content})


@staff_required
def notice_docx(request: HttpRequest, pk: int) -> HttpResponse:
    req, content = _notice(request, pk)
    data = render_notice_docx(content)
    suffix = "（草稿）" if content.is_draft else ""
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"{req.reference}{content.title}{suffix}.docx"
    )
    return response


@staff_required
def notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    req, content = _notice(request, pk)
    try:
        data = render_notice_pdf(content)
    except RenderError as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    suffix = "（草稿）" if content.is_draft else ""
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        True, f"{req.reference}{content.title}{suffix}.pdf"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
def template_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "inforequests/templates_list.html",
        {"templates": selectors.reply_templates(), "can_edit": can(request.user, Permission.REQUEST_OFFICE)},
    )


@permission_required(Permission.REQUEST_OFFICE)
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(ReplyTemplate, pk=pk)
    initial = {"title": row.title, "body": row.body, "legal_basis": row.legal_basis}
    form = f.ReplyTemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.reply_template_update(actor=request.user, template=row, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"已保存“{row.get_outcome_display()}”的告知书模板")
            return redirect("inforequests:templates")
    return render(
        request,
        "inforequests/template_form.html",
        {"row": row, "form": form, "placeholders": PLACEHOLDERS},
        status=400 if form.is_bound and form.errors else 200,
    )
