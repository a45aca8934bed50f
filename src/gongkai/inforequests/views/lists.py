"""The case list with filters, the intake form and the due-soon / overdue page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from gongkai.inforequests import forms as f
from gongkai.inforequests import selectors, services
from gongkai.inforequests.masking import mask_id_number, mask_phone
from gongkai.inforequests.receipt import CHANNEL_RULES
from gongkai.inforequests.views._common import (
    CALENDAR_URL,
    _apply_errors,
)
from gongkai.org.access import Permission, can, permission_required, staff_required


@staff_required
def request_list(request: HttpRequest) -> HttpResponse:
    form = f.FilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "", False)}
    qs = selectors.request_list(request.user, **filters)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    rows = [
        {
            "req": r,
            "phone": mask_phone(r.applicant_phone),
            "id_number": mask_id_number(r.applicant_id_number),
        }
        for r in page
    ]
    query = urlencode({k: v for k, v in request.GET.items() if k != "page"})
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "query": query,
        "today": timezone.localdate(),
        "can_intake": can(request.user, Permission.REQUEST_OFFICE),
    }
    template = (
        "inforequests/_list_table.html" if getattr(request, "htmx", False) else "inforequests/list.html"
    )
    return render(request, template, context)


@permission_required(Permission.REQUEST_OFFICE)
def request_create(request: HttpRequest) -> HttpResponse:
    form = f.IntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("received_on", None)
        try:
            req = services.inforequest_register(actor=request.user, **data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            if req.received_on is None:
                messages.success(request, f"已登记 {req.reference}，待与申请人确认收到后开始计时")
            else:
                messages.success(
                    request, f"已登记 {req.reference}，收到申请之日为 {req.received_on:%Y-%m-%d}"
                )
            return redirect("inforequests:detail", pk=req.pk)
    return render(
        request,
        "inforequests/intake.html",
        {"form": form, "channel_rules": CHANNEL_RULES},
        status=400 if form.is_bound and form.errors else 200,
    )


@staff_required
def due(request: HttpRequest) -> HttpResponse:
    lists = selectors.due_lists(request.user)
    return render(
        request,
        "inforequests/due.html",
        {"lists": lists, "calendar_url": reverse(CALENDAR_URL), "within": selectors.DUE_SOON_WORKDAYS},
    )
