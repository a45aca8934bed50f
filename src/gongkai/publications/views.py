"""Workbench views of publication items: list, detail with review actions, edit, review queue, overdue, 审核表.

Thin: forms validate, services decide and write, selectors read. A refusal from a service (role,
separation of duties, state) is shown to the person as a message, never as a crash.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gongkai.core.selectors import get_calendar
from gongkai.org.access import Permission, can, permission_required, staff_required
from gongkai.publications import forms, selectors, services
from gongkai.publications.models import Publication, PublicationStatus
from gongkai.publications.review_form import form_title, render_review_form
from gongkai.publications.services import ActionRefused

PAGE_SIZE = 50
CALENDAR_URL = "calendar"  # the workbench page where the 公开办 keys in a year


def error_text(exc: ActionRefused | ValidationError) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return exc.message


def visible_or_404(request: HttpRequest, pk: int) -> Publication:
    return get_object_or_404(selectors.visible_publications(request.user), pk=pk)


def _with_deadlines(items: list[Publication]) -> list[Publication]:
    cal = get_calendar()
    for pub in items:
        pub.art26 = selectors.art26_status(pub, cal=cal)  # type: ignore[attr-defined]
    return items


# --- list, detail ------------------------------------------------------------------------------


@staff_required
def publication_list(request: HttpRequest) -> HttpResponse:
    form = forms.FilterForm(request.GET or None)
    qs = selectors.publication_list(user=request.user, **form.filters())
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    _with_deadlines(list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_draft": can(request.user, Permission.PUBLICATION_DRAFT),
    }
    template = "publications/_results.html" if request.htmx else "publications/list.html"
    return render(request, template, context)


@staff_required
def publication_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_detail(request, visible_or_404(request, pk))


def render_detail(
    request: HttpRequest,
    pub: Publication,
    *,
    attachment_form: forms.AttachmentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The detail page; a refused attachment upload comes back here with its form and reasons."""
    user = request.user
    art26 = selectors.art26_status(pub)
    is_drafter = pub.drafter_id == user.pk
    context = {
        "pub": pub,
        "art26": art26,
        "calendar_admin_url": reverse(CALENDAR_URL),
        "history": selectors.review_history(pub),
        "rejection": selectors.latest_rejection(pub),
        "can_edit": is_drafter and pub.status == PublicationStatus.DRAFT,
        "can_review": services.may_review(user, pub),
        "can_withdraw": pub.status == PublicationStatus.PUBLISHED
        and can(user, Permission.PUBLICATION_WITHDRAW),
        "can_repeal": (
            pub.status == PublicationStatus.PUBLISHED
            and pub.is_repealable
            and pub.repealed_on is None
            and can(user, Permission.PUBLICATION_REPEAL)
        ),
        "comment_form": forms.CommentForm(),
        "reason_form": forms.ReasonForm(),
        "repeal_form": forms.RepealForm(),
        "attachments": pub.attachments.all(),
        "attachment_form": attachment_form or forms.AttachmentForm(),
        "interpretations": pub.interpretations.all(),
        "channel_posts": pub.channel_posts.all(),
        "archive_transfers": pub.archive_transfers.all(),
    }
    return render(request, "publications/detail.html", context, status=status)


# --- create, edit ------------------------------------------------------------------------------


@permission_required(Permission.PUBLICATION_DRAFT)
def publication_create(request: HttpRequest) -> HttpResponse:
    form = forms.PublicationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            pub = services.publication_create(actor=request.user, **form.cleaned_data)
        except (ActionRefused, ValidationError) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, "草稿已保存。核对无误后请提交审核。")
            return redirect("publications:detail", pk=pub.pk)
    return render(request, "publications/form.html", {"form": form, "title": "新建主动公开信息"})


@permission_required(Permission.PUBLICATION_DRAFT)
def publication_edit(request: HttpRequest, pk: int) -> HttpResponse:
    pub = visible_or_404(request, pk)
    if pub.drafter_id != request.user.pk or pub.status != PublicationStatus.DRAFT:
        messages.error(request, "只有起草人可以修改草稿；已提交审核或已公开的信息不能修改。")
        return redirect("publications:detail", pk=pub.pk)
    initial = {name: getattr(pub, name) for name in services.EDITABLE_FIELDS}
    initial["department"] = pub.department_id
    form = forms.PublicationForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k in form.changed_data}
        try:
            services.publication_update(actor=request.user, publication=pub, **changes)
        except (ActionRefused, ValidationError) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, "草稿已更新。")
            return redirect("publications:detail", pk=pub.pk)
    return render(
        request, "publications/form.html", {"form": form, "title": f"修改草稿：{pub.title}", "pub": pub}
    )


# --- actions -----------------------------------------------------------------------------------


def _act(request: HttpRequest, pub: Publication, success: str, action: Any, **kwargs: Any) -> HttpResponse:
    try:
        action(actor=request.user, publication=pub, **kwargs)
    except (ActionRefused, ValidationError) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, success)
    return redirect("publications:detail", pk=pub.pk)


@permission_required(Permission.PUBLICATION_DRAFT)
@require_POST
def publication_submit(request: HttpRequest, pk: int) -> HttpResponse:
    pub = visible_or_404(request, pk)
    return _act(request, pub, "已提交科室负责人审核。", services.publication_submit)


@permission_required(Permission.PUBLICATION_REVIEW)
@require_POST
def publication_approve(request: HttpRequest, pk: int) -> HttpResponse:
    pub = visible_or_404(request, pk)
    form = forms.CommentForm(request.POST)
    form.is_valid()
    level_two = pub.status == PublicationStatus.PENDING_DIRECTOR
    success = "审核通过，信息已公开。" if level_two else "第一级审核通过，已转主管主任审核。"
    return _act(
        request, pub, success, services.publication_approve, comment=form.cleaned_data.get("comment", "")
    )


@permission_required(Permission.PUBLICATION_REVIEW)
@require_POST
def publication_reject(request: HttpRequest, pk: int) -> HttpResponse:
    pub = visible_or_404(request, pk)
    form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "退回须填写理由。")
        return redirect("publications:detail", pk=pub.pk)
    return _act(
        request, pub, "已退回起草人。", services.publication_reject, reason=form.cleaned_data["reason"]
    )


@permission_required(Permission.PUBLICATION_WITHDRAW)
@require_POST
def publication_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    pub = visible_or_404(request, pk)
    form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "撤回须填写理由。")
        return redirect("publications:detail", pk=pub.pk)
    return _act(
        request, pub, "信息已撤回。", services.publication_withdraw, reason=form.cleaned_data["reason"]
    )


@permission_required(Permission.PUBLICATION_REPEAL)
@require_POST
def publication_repeal(request: HttpRequest, pk: int) -> HttpResponse:
    pub = visible_or_404(request, pk)
    form = forms.RepealForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写有效的废止日期。")
        return redirect("publications:detail", pk=pub.pk)
    return _act(
        request,
        pub,
        "已登记废止。",
        services.publication_repeal,
        repealed_on=form.cleaned_data["repealed_on"],
        reason=form.cleaned_data["reason"],
    )


# --- queues and documents ----------------------------------------------------------------------


@permission_required(Permission.PUBLICATION_REVIEW)
def review_queue(request: HttpRequest) -> HttpResponse:
    items = _with_deadlines(list(selectors.review_queue(request.user)))
    return render(request, "publications/review_queue.html", {"items": items})


@staff_required
def overdue(request: HttpRequest) -> HttpResponse:
    today = services.today()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    report = selectors.overdue_publications(user=request.user, today=today, year=year)
    context = {
        "report": report,
        "year": year,
        "today": today,
        "calendar_admin_url": reverse(CALENDAR_URL),
    }
    return render(request, "publications/overdue.html", context)


@staff_required
def review_form_docx(request: HttpRequest, pk: int) -> HttpResponse:
    pub = visible_or_404(request, pk)
    data = render_review_form(pub)
    filename = f"{form_title('')}-{pub.pk}.docx"
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = (
        f"attachment; filename=\"review-form-{pub.pk}.docx\"; filename*=UTF-8''{quote(filename)}"
    )
    return response
