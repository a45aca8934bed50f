"""Workbench pages of the 考核排名: a quarter's ranking, the method, drill-down, publishing, XLSX."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from gongkai.core.choices import Art20Category
from gongkai.core.selectors import get_calendar
from gongkai.org.access import Permission, can, permission_required
from gongkai.org.models import Department
from gongkai.org.selectors import OrganisationMissing, current_organisation
from gongkai.ranking import services
from gongkai.ranking.forms import WeightsForm
from gongkai.ranking.frozen import changes_since, frozen_ids, ranking_of
from gongkai.ranking.indicators import BY_CODE, INDICATORS, TOTAL_METHOD
from gongkai.ranking.queries import Quarter
from gongkai.ranking.records import FAMILY, drill, family_queryset, with_related
from gongkai.ranking.selectors import (
    Ranking,
    compute_ranking,
    current_quarter,
    is_default,
    published_quarter,
    published_quarters,
    quarters_of_year,
    weights_in_force,
)
from gongkai.ranking.xlsx import workbook_bytes
from gongkai.workdays import CalendarUnknown

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
view_required = permission_required(Permission.RANKING_VIEW)
edit_required = permission_required(Permission.RANKING_EDIT)


def _quarter(year: int, quarter: int) -> Quarter:
    if not 1 <= quarter <= 4 or not 2000 <= year <= 2200:
        raise Http404("没有这个季度")
    q = Quarter(year, quarter)
    if q.first_day > timezone.localdate():
        raise Http404("这个季度尚未开始")
    return q


@view_required
def index(request: HttpRequest) -> HttpResponse:
    """The current quarter's ranking (the menu's and the dashboard's link)."""
    return _quarter_response(request, current_quarter())


def _nav(q: Quarter) -> list[dict[str, object]]:
    published = {(p.year, p.quarter) for p in published_quarters()}
    quarters = {(x.year, x.quarter) for x in quarters_of_year(q.year)} | published
    quarters |= {(x.year, x.quarter) for x in quarters_of_year(q.year - 1)}
    return [
        {"q": Quarter(y, n), "published": (y, n) in published, "current": (y, n) == (q.year, q.quarter)}
        for y, n in sorted(quarters)
    ]


def _table(ranking: Ranking) -> list[dict[str, Any]]:
    """Rows with their cells in indicator order, each cell linking to the records behind it."""
    q = ranking.quarter
    out = []
    for row in ranking.rows:
        cells = []
        for i in INDICATORS:
            url = ""
            if i.code in FAMILY:
                url = reverse("ranking:drill", args=[q.year, q.quarter, row.department_id, i.code])
            cells.append(
                {"indicator": i, "score": row.scores.get(i.code), "raw": row.raw.get(i.code, ""), "url": url}
            )
        out.append({"row": row, "cells": cells})
    return out


@view_required
def quarter_page(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    return _quarter_response(request, _quarter(year, quarter))


def _quarter_response(request: HttpRequest, q: Quarter) -> HttpResponse:
    if current_organisation() is None:
        messages.error(request, str(OrganisationMissing()))
        return redirect("dashboard")
    pq = published_quarter(q)
    try:
        live = compute_ranking(q, weights=ranking_of(pq).weights if pq else None)
    except CalendarUnknown as exc:
        return render(request, "ranking/quarter.html", {"q": q, "calendar_error": str(exc), "nav": _nav(q)})
    ranking = ranking_of(pq) if pq else live
    weights = weights_in_force()
    return render(
        request,
        "ranking/quarter.html",
        {
            "q": q,
            "nav": _nav(q),
            "ranking": ranking,
            "table": _table(ranking),
            "published": pq,
            "changes": changes_since(pq, live) if pq else [],
            "indicators": INDICATORS,
            "weights": ranking.weights,
            "office_weights": weights,
            "default_method": is_default(weights),
            "total_method": TOTAL_METHOD,
            "can_edit": can(request.user, Permission.RANKING_EDIT),
            "ended": q.last_day < timezone.localdate(),
            "form": WeightsForm(weights=weights),
            "has_published": bool(published_quarters()),
        },
    )


@edit_required
def method_edit(request: HttpRequest) -> HttpResponse:
    q = current_quarter()
    back = request.POST.get("back", "")
    if request.method != "POST":
        return redirect("ranking:quarter", q.year, q.quarter)
    form = WeightsForm(request.POST, weights=weights_in_force())
    if form.is_valid():
        try:
            services.ranking_method_set(actor=request.user, weights=form.cleaned_data)
            messages.success(request, "考核方法已修改，未发布的季度按新权重重新排名")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    else:
        errors = [f"{form.fields[f].label}：{'；'.join(e)}" for f, e in form.errors.items()]
        messages.error(request, "权重有误：" + "；".join(errors))
    if back.startswith("/workbench/ranking/"):
        return redirect(back)
    return redirect("ranking:quarter", q.year, q.quarter)


@edit_required
@require_POST
def publish(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    q = _quarter(year, quarter)
    try:
        services.ranking_publish(actor=request.user, quarter=q)
        messages.success(request, f"{q.label}排名已发布，此后记录的修改不再影响该季度排名")
    except (ValidationError, CalendarUnknown) as exc:
        messages.error(request, "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
    return redirect("ranking:quarter", q.year, q.quarter)


@view_required
def drilldown(request: HttpRequest, year: int, quarter: int, department: int, indicator: str) -> HttpResponse:
    q = _quarter(year, quarter)
    family = FAMILY.get(indicator)
    dept = Department.objects.filter(pk=department, organisation=current_organisation()).first()
    if family is None or dept is None:
        raise Http404("没有这项考核指标或这个科室")
    pq = published_quarter(q)
    today = timezone.localdate()
    qs = family_queryset(family, q, today)
    if pq is not None:
        # The records as frozen: those the published score counted, shown with their details today.
        qs = qs.model.objects.filter(pk__in=frozen_ids(pq, family, dept.pk))
    qs = _scoped(family, qs, dept.pk)
    table = drill(family, with_related(family, _annotated(family, qs)), get_calendar(), today)
    by_category = []
    if family == "publications":
        counts = qs.values("category").annotate(n=Count("id")).order_by("category")
        by_category = [(Art20Category(c["category"]).label, c["n"]) for c in counts]
    return render(
        request,
        "ranking/drill.html",
        {
            "q": q,
            "dept": dept,
            "indicator": BY_CODE[indicator],
            "table": table,
            "published": pq,
            "by_category": by_category,
        },
    )


def _annotated(family: str, qs: QuerySet[Any]) -> QuerySet[Any]:
    if family == "letters" and "answered_on" not in qs.query.annotations:
        return qs.annotate(answered_on=TruncDate("answered_at"))
    return qs


def _scoped(family: str, qs: QuerySet[Any], dept: int) -> QuerySet[Any]:
    if family == "reviews":
        return qs.filter(publication__department_id=dept)
    return qs.filter(department_id=dept)


@view_required
def export_xlsx(request: HttpRequest) -> HttpResponse:
    published = published_quarters()
    response = HttpResponse(workbook_bytes(published), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, "考核排名.xlsx")
    return response
