"""The working-day calendar in the workbench: which years are known, and keying in a new year.

Every deadline (Art. 26, 30, 33) counts working days; a year without its State Council 放假安排 is
unknown and those computations refuse rather than guess. Here the 公开办 sees which years are known
and keys in the next one (chinesecalendar stops at 2026) or corrects one, through
``services.enter_calendar_year`` (validated, audited).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from gongkai.core import calendar_rules, services
from gongkai.core.models import CalendarYear
from gongkai.org.access import Permission, can, permission_required, staff_required
from gongkai.workbench.forms_calendar import NoticeForm, range_formset

FIRST_YEAR, LAST_YEAR = 2000, 2100
BLANK_ROWS = 12  # a notice has 7 holidays and a handful of 调休 weekends


@staff_required
def calendar_list(request: HttpRequest) -> HttpResponse:
    years = list(CalendarYear.objects.select_related("entered_by").prefetch_related("ranges"))
    known = {y.year for y in years}
    this_year = timezone.localdate().year
    missing = [y for y in (this_year, this_year + 1) if y not in known]
    requested = request.GET.get("year", "").strip()
    if requested:
        if requested.isdigit() and FIRST_YEAR <= int(requested) <= LAST_YEAR:
            return redirect("calendar_edit", year=int(requested))
        messages.error(request, f"年份“{requested[:20]}”无效：请填写 {FIRST_YEAR}–{LAST_YEAR} 之间的年份")
    for y in years:
        y.holiday_count = sum(1 for r in y.ranges.all() if r.kind == calendar_rules.HOLIDAY)  # type: ignore[attr-defined]
        y.shift_count = sum(1 for r in y.ranges.all() if r.kind == calendar_rules.WORKDAY_SHIFT)  # type: ignore[attr-defined]
    context = {"years": years, "missing": missing, "may_edit": _may_edit(request), "next_year": this_year + 1}
    return render(request, "workbench/calendar_list.html", context)


def _may_edit(request: HttpRequest) -> bool:
    return can(request.user, Permission.CALENDAR_EDIT)


def _initial_rows(cy: CalendarYear | None) -> list[dict[str, Any]]:
    if cy is None:
        return []
    return [
        {"kind": r.kind, "name": r.name, "first_day": r.first_day, "last_day": r.last_day}
        for r in cy.ranges.order_by("first_day", "kind")
    ]


@permission_required(Permission.CALENDAR_EDIT)
def calendar_edit(request: HttpRequest, year: int) -> HttpResponse:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404(f"年份须在 {FIRST_YEAR}–{LAST_YEAR} 之间")
    cy = CalendarYear.objects.filter(year=year).first()
    initial_notice = (
        {"notice_title": cy.notice_title, "notice_url": cy.notice_url, "notice_text": cy.notice_text}
        if cy
        else {}
    )
    rows = _initial_rows(cy)
    if request.method == "POST":
        notice = NoticeForm(request.POST)
        formset = range_formset(blank_rows=0)(request.POST, prefix="r")
        if notice.is_valid() and formset.is_valid():
            holidays, shifts = calendar_rules.spans_by_kind(f.cleaned_data for f in formset.forms)
            try:
                services.enter_calendar_year(
                    actor=request.user,
                    year=year,
                    holidays=holidays,
                    workday_shifts=shifts,
                    **notice.cleaned_data,
                )
            except ValidationError as exc:
                for message in exc.messages:
                    notice.add_error(None, message)
            else:
                messages.success(request, f"{year} 年放假安排已保存，期限计算即时按新安排进行。")
                return redirect("calendar_edit", year=year)
    else:
        notice = NoticeForm(initial=initial_notice)
        formset = range_formset(blank_rows=BLANK_ROWS if not rows else 4)(prefix="r", initial=rows)
    context = {
        "year": year,
        "calendar_year": cy,
        "notice": notice,
        "formset": formset,
        "ranges": [
            {
                **row,
                "first_label": calendar_rules.weekday_label(row["first_day"]),
                "is_holiday": row.get("kind") == calendar_rules.HOLIDAY,
            }
            for row in rows
        ],
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "workbench/calendar_edit.html", context, status=status)
