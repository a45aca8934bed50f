"""Workbench pages of the annual report: list, report page, text editing, 报送, publication, downloads."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from gongkai.annual_report.rendering import RenderError
from gongkai.annual_report.rendering import render as render_report
from gongkai.org.access import Permission, can, permission_required, staff_required
from gongkai.org.selectors import OrganisationMissing
from gongkai.reporting import selectors, services
from gongkai.reporting.forms import NewReportForm, PublishForm, ReopenForm, ReportTextForm
from gongkai.reporting.models import ReportStatus

DOWNLOADS = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word"),
    "pdf": ("application/pdf", "PDF"),
    "html": ("text/html; charset=utf-8", "网页"),
    "json": ("application/json; charset=utf-8", "JSON"),
}


def _error_text(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def _year(year: int) -> int:
    if year < 2019 or year > 2200:
        raise Http404("没有该年度的报告")
    return year


def _no_organisation(request: HttpRequest, exc: OrganisationMissing) -> HttpResponse:
    # A fresh installation: the report needs the office's name and kind (its deadline) first.
    messages.error(request, str(exc))
    return redirect("dashboard")


@staff_required
def report_list(request: HttpRequest) -> HttpResponse:
    try:
        deadlines = [selectors.report_deadline(y) for y in selectors.years_to_watch()]
    except OrganisationMissing as exc:
        return _no_organisation(request, exc)
    return render(
        request,
        "reporting/list.html",
        {
            "records": selectors.list_records(),
            "deadlines": deadlines,
            "new_form": NewReportForm(initial={"year": selectors.default_new_year()}),
            "can_edit": can(request.user, Permission.REPORT_EDIT),
        },
    )


@permission_required(Permission.REPORT_EDIT)
@require_POST
def report_create(request: HttpRequest) -> HttpResponse:
    form = NewReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("reporting:list")
    year = form.cleaned_data["year"]
    try:
        services.report_draft_refresh(actor=request.user, year=year)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect("reporting:list")
    messages.success(request, f"已按台账生成 {year} 年度报告草稿")
    return redirect("reporting:detail", year=year)


@staff_required
def report_detail(request: HttpRequest, year: int) -> HttpResponse:
    year = _year(year)
    try:
        state = selectors.report_state(year)
    except OrganisationMissing as exc:
        return _no_organisation(request, exc)
    record = state.record
    user = request.user
    return render(
        request,
        "reporting/detail.html",
        {
            "state": state,
            "record": record,
            "report": state.report,
            "deadline": selectors.report_deadline(year),
            "downloads": DOWNLOADS,
            "can_edit": can(user, Permission.REPORT_EDIT) and (record is None or record.is_draft),
            "can_submit": can(user, Permission.REPORT_SUBMIT)
            and record is not None
            and record.is_draft
            and year < timezone.localdate().year,
            "can_reopen": can(user, Permission.REPORT_SUBMIT)
            and record is not None
            and record.status == ReportStatus.SUBMITTED,
            "can_publish": can(user, Permission.REPORT_PUBLISH)
            and record is not None
            and record.status == ReportStatus.SUBMITTED,
            "publish_form": PublishForm(),
            "reopen_form": ReopenForm(),
        },
    )


@permission_required(Permission.REPORT_EDIT)
@require_POST
def report_refresh(request: HttpRequest, year: int) -> HttpResponse:
    try:
        services.report_draft_refresh(actor=request.user, year=_year(year))
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, "已按台账重新检查")
    return redirect("reporting:detail", year=year)


@permission_required(Permission.REPORT_EDIT)
def report_edit(request: HttpRequest, year: int) -> HttpResponse:
    year = _year(year)
    record = selectors.get_record(year)
    if record is None:
        messages.error(request, f"{year} 年度报告尚未起草")
        return redirect("reporting:list")
    if not record.is_draft:
        messages.error(request, f"{year} 年度报告已{record.get_status_display()}，不能修改")
        return redirect("reporting:detail", year=year)
    state = selectors.report_state(year, record=record)
    paragraphs = {p.key: p.text for p in state.paragraphs if p.key != "extra"}
    initial = {
        "proactive": paragraphs.get("proactive", ""),
        "requests": paragraphs.get("requests", ""),
        "overview_extra": record.overview_extra,
        "problems": record.problems,
        "other": state.report.sections.get("other", ""),
        "variant": record.variant,
        "split_other_services": record.split_other_services,
    }
    form = ReportTextForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        other_changed = data["other"].strip() != (initial["other"] or "").strip()
        try:
            services.report_update_text(
                actor=request.user,
                year=year,
                paragraphs={"proactive": data["proactive"], "requests": data["requests"]},
                overview_extra=data["overview_extra"],
                problems=data["problems"],
                # Untouched drafted text of 六 stays drafted, so it keeps following the ledger.
                other=data["other"] if other_changed or not state.other_drafted else None,
                redraft_other=data["redraft_other"],
                variant=data["variant"],
                split_other_services=data["split_other_services"],
            )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, "已保存并重新检查")
            return redirect("reporting:detail", year=year)
    drafted = {p.key: p.drafted for p in state.paragraphs}
    return render(
        request,
        "reporting/edit.html",
        {
            "form": form,
            "record": record,
            "year": year,
            "drafted": drafted,
            "other_drafted": state.other_drafted,
        },
    )


@permission_required(Permission.REPORT_SUBMIT)
@require_POST
def report_submit(request: HttpRequest, year: int) -> HttpResponse:
    try:
        services.report_submit(actor=request.user, year=_year(year))
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, f"{year} 年度报告已报送，报送版本已锁定")
    return redirect("reporting:detail", year=year)


@permission_required(Permission.REPORT_SUBMIT)
@require_POST
def report_reopen(request: HttpRequest, year: int) -> HttpResponse:
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请说明退回修改的理由")
        return redirect("reporting:detail", year=year)
    try:
        services.report_reopen(actor=request.user, year=_year(year), reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, f"{year} 年度报告已退回修改")
    return redirect("reporting:detail", year=year)


@permission_required(Permission.REPORT_PUBLISH)
@require_POST
def report_publish(request: HttpRequest, year: int) -> HttpResponse:
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写有效的发布日期")
        return redirect("reporting:detail", year=year)
    try:
        services.report_publish(
            actor=request.user, year=_year(year), published_on=form.cleaned_data["published_on"]
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, f"{year} 年度报告已发布，该年度已锁定")
    return redirect("reporting:detail", year=year)


@staff_required
def report_download(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    if fmt not in DOWNLOADS:
        raise Http404("不支持的格式")
    report = selectors.report_for_export(_year(year))
    try:
        data = render_report(report, fmt)
    except RenderError as exc:
        messages.error(request, str(exc))
        return redirect("reporting:detail", year=year)
    response = HttpResponse(data, content_type=DOWNLOADS[fmt][0])
    filename = f"{report.organisation}{year}年政府信息公开工作年度报告.{fmt}"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@staff_required
@xframe_options_sameorigin
def report_preview(request: HttpRequest, year: int) -> HttpResponse:
    """The report as it will print, for the frame on the report page."""
    report = selectors.report_for_export(_year(year))
    return HttpResponse(render_report(report, "html"), content_type="text/html; charset=utf-8")
