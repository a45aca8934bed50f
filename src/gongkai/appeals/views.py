"""Workbench views of 行政复议 / 行政诉讼."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.appeals import forms as f
from gongkai.appeals import selectors, services
from gongkai.appeals.models import Appeal
from gongkai.core.choices import AppealResult
from gongkai.org.access import Permission, can, permission_required, staff_required


def _apply_errors(form: f.forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@staff_required
def appeal_list(request: HttpRequest) -> HttpResponse:
    form = f.AppealFilterForm(request.GET or None)
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    return render(
        request,
        "appeals/list.html",
        {
            "form": form,
            "appeals": selectors.appeal_list(**filters),
            "can_edit": can(request.user, Permission.APPEAL_RECORD),
        },
    )


@permission_required(Permission.APPEAL_RECORD)
def appeal_create(request: HttpRequest) -> HttpResponse:
    initial = {}
    if request.GET.get("request"):
        initial["request"] = request.GET["request"]
    form = f.AppealForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            appeal = services.appeal_register(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"已登记{appeal.get_kind_display()}")
            return redirect("appeals:detail", pk=appeal.pk)
    return render(request, "appeals/form.html", {"form": form}, status=400 if form.errors else 200)


def _detail(
    request: HttpRequest, appeal: Appeal, form: f.DecideForm | None = None, status: int = 200
) -> HttpResponse:
    can_decide = can(request.user, Permission.APPEAL_RECORD) and appeal.result == AppealResult.PENDING
    if form is None and can_decide:
        form = f.DecideForm(prefix="decide")
    return render(
        request,
        "appeals/detail.html",
        {"appeal": appeal, "form": form if can_decide else None},
        status=status,
    )


@staff_required
def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_object_or_404(Appeal.objects.select_related("request"), pk=pk))


@permission_required(Permission.APPEAL_RECORD)
@require_POST
def appeal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = get_object_or_404(Appeal, pk=pk)
    form = f.DecideForm(request.POST, prefix="decide")
    if form.is_valid():
        try:
            services.appeal_decide(actor=request.user, appeal=appeal, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "已登记审结结果")
            return redirect("appeals:detail", pk=appeal.pk)
    return _detail(request, appeal, form, status=400)
