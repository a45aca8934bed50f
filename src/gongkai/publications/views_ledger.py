"""Workbench registers beside the items: channel posts, policy interpretations, archive transfers and the
Table 二 facts (service matters, decisions, fee collections, procurement projects).

Every register has the same two pages — a list filtered by year (read-only roles included) and an entry
form (writing roles only) — so one pair of generic views serves them all, configured by a ``Register``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gongkai.core.choices import PostChannel
from gongkai.core.filters import year_filter
from gongkai.org.access import Permission, can, permission_required, staff_required
from gongkai.org.selectors import current_organisation
from gongkai.publications import forms, selectors, services
from gongkai.publications.models import DecisionKind, MatterKind
from gongkai.publications.services import ActionRefused
from gongkai.publications.views import PAGE_SIZE, error_text


@dataclass(frozen=True)
class Cell:
    text: str
    url: str = ""


def _date(value: dt.date | None) -> Cell:
    return Cell(value.isoformat() if value else "—")


def _pub_link(pub: Any) -> Cell:
    if pub is None:
        return Cell("—")
    return Cell(pub.title, reverse("publications:detail", args=[pub.pk]))


@dataclass(frozen=True)
class Register:
    name: str  # url name of the list page; the entry page is ``create_name``
    create_name: str
    title: str
    headers: tuple[str, ...]
    row: Callable[[Any], list[Cell]]
    rows: Callable[[int | None], QuerySet[Any]]
    summary: Callable[[int], list[str]]
    form: type[Any]
    create: Callable[..., Any]
    write_permission: Permission
    intro: str = ""
    created: str = "已登记。"
    form_takes_user: bool = True
    extra: dict[str, Any] = field(default_factory=dict)


def _posts_summary(year: int) -> list[str]:
    rows = selectors.channel_posts(year=year).order_by().values("channel").annotate(n=Count("id"))
    counts = {row["channel"]: row["n"] for row in rows}
    return [f"{label} {counts.get(value, 0)} 条" for value, label in PostChannel.choices]


def _archive_summary(year: int) -> list[str]:
    agg = selectors.archive_transfers(year=year).aggregate(n=Count("id"), copies=Sum("copies"))
    return [f"移送 {agg['n']} 次", f"纸质文本 {agg['copies'] or 0} 份"]


def _matters_summary(year: int) -> list[str]:
    facts = selectors.facts_summary(year)
    out = []
    for value, label in MatterKind.choices:
        m = facts.matters.get(value, {"previous": 0, "added": 0, "removed": 0})
        out.append(f"{label}：上一年 {m['previous']} 项，本年增 {m['added']} 减 {m['removed']}")
    return out


def _decisions_summary(year: int) -> list[str]:
    facts = selectors.facts_summary(year)
    return [f"{label} {facts.decisions.get(value, 0)} 件" for value, label in DecisionKind.choices]


def _fees_summary(year: int) -> list[str]:
    return [f"收费合计 {selectors.facts_summary(year).fee_amount_wan} 万元"]


def _procurement_summary(year: int) -> list[str]:
    facts = selectors.facts_summary(year)
    return [f"采购项目 {facts.procurement_projects} 个", f"采购总金额 {facts.procurement_amount_wan} 万元"]


POSTS = Register(
    name="publications:posts",
    create_name="publications:post_create",
    title="渠道发布",
    intro="政府网站、政务微博、政务微信发布的信息；可对应一条已公开的信息，也可单独发布。",
    headers=("发布日期", "渠道", "标题", "对应信息", "科室"),
    row=lambda p: [
        _date(p.posted_on),
        Cell(p.get_channel_display()),
        Cell(p.title, p.url),
        _pub_link(p.publication),
        Cell(str(p.department or "—")),
    ],
    rows=lambda year: selectors.channel_posts(year=year),
    summary=_posts_summary,
    form=forms.ChannelPostForm,
    create=services.channel_post_create,
    write_permission=Permission.PUBLICATION_RECORD,
    created="发布记录已登记。",
)

INTERPRETATIONS = Register(
    name="publications:interpretations",
    create_name="publications:interpretation_create",
    title="政策解读",
    intro="每篇解读关联它所解读的已公开政策。",
    headers=("发布日期", "标题", "所解读的政策", "形式", "科室"),
    row=lambda i: [
        _date(i.published_on),
        Cell(i.title),
        _pub_link(i.policy),
        Cell(i.get_form_display()),
        Cell(str(i.department or "—")),
    ],
    rows=lambda year: selectors.interpretations(year=year),
    summary=lambda year: [f"发布解读 {selectors.interpretations(year=year).count()} 篇"],
    form=forms.InterpretationForm,
    create=services.interpretation_create,
    write_permission=Permission.PUBLICATION_RECORD,
    created="政策解读已登记。",
)

ARCHIVE = Register(
    name="publications:archive",
    create_name="publications:archive_create",
    title="档案移送",
    intro="每月向档案馆等机关移送已公开政府信息的纸质文本；每次移送可打印移送清单。",
    headers=("移送日期", "接收机关", "纸质文本份数", "信息条数", "移送清单"),
    row=lambda t: [
        _date(t.transferred_on),
        Cell(t.recipient),
        Cell(str(t.copies)),
        Cell(str(len(t.items.all()))),
        Cell("打印", reverse("publications:archive_print", args=[t.pk])),
    ],
    rows=lambda year: selectors.archive_transfers(year=year),
    summary=_archive_summary,
    form=forms.ArchiveTransferForm,
    create=services.archive_transfer_create,
    write_permission=Permission.PUBLICATION_ARCHIVE,
    created="档案移送已登记。",
    form_takes_user=False,
)

MATTERS = Register(
    name="publications:matters",
    create_name="publications:matter_create",
    title="事项目录（许可、检查、确认、处罚、强制、收费）",
    intro="表二“上一年项目数量”和“本年增/减”由事项的设立和取消日期计算。",
    headers=("类别", "事项名称", "科室", "设立日期", "取消日期"),
    row=lambda m: [
        Cell(m.get_kind_display()),
        Cell(m.name),
        Cell(str(m.department)),
        _date(m.established_on),
        _date(m.abolished_on),
    ],
    rows=lambda year: selectors.service_matters(year=year),
    summary=_matters_summary,
    form=forms.ServiceMatterForm,
    create=services.service_matter_create,
    write_permission=Permission.PUBLICATION_RECORD,
    created="事项已登记。",
    extra={"abolish": True},
)

DECISIONS = Register(
    name="publications:decisions",
    create_name="publications:decision_create",
    title="处理决定",
    intro="行政许可、检查、确认、处罚、强制的处理决定；一条记录可计多件同日同类决定。",
    headers=("决定日期", "类别", "科室", "数量", "说明"),
    row=lambda d: [
        _date(d.decided_on),
        Cell(d.get_kind_display()),
        Cell(str(d.department)),
        Cell(str(d.count)),
        Cell(d.description or "—"),
    ],
    rows=lambda year: selectors.decisions(year=year),
    summary=_decisions_summary,
    form=forms.DecisionForm,
    create=services.decision_create,
    write_permission=Permission.PUBLICATION_RECORD,
    created="处理决定已登记。",
)

FEES = Register(
    name="publications:fees",
    create_name="publications:fee_create",
    title="行政事业性收费",
    intro="金额以万元为单位，保留四位小数。",
    headers=("收费日期", "科室", "金额（万元）", "说明"),
    row=lambda f: [
        _date(f.collected_on),
        Cell(str(f.department)),
        Cell(str(f.amount_wan)),
        Cell(f.description or "—"),
    ],
    rows=lambda year: selectors.fee_collections(year=year),
    summary=_fees_summary,
    form=forms.FeeCollectionForm,
    create=services.fee_collection_create,
    write_permission=Permission.PUBLICATION_RECORD,
    created="收费已登记。",
)

PROCUREMENT = Register(
    name="publications:procurement",
    create_name="publications:procurement_create",
    title="政府集中采购项目",
    intro="金额以万元为单位，保留四位小数。",
    headers=("签约日期", "项目名称", "科室", "金额（万元）"),
    row=lambda p: [_date(p.contracted_on), Cell(p.name), Cell(str(p.department)), Cell(str(p.amount_wan))],
    rows=lambda year: selectors.procurement_projects(year=year),
    summary=_procurement_summary,
    form=forms.ProcurementProjectForm,
    create=services.procurement_project_create,
    write_permission=Permission.PUBLICATION_RECORD,
    created="采购项目已登记。",
)


def _list(request: HttpRequest, register: Register) -> HttpResponse:
    year = year_filter(request)
    page = Paginator(register.rows(year), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "register": register,
        "year": year,
        "years": range(services.today().year, 2017, -1),
        "page": page,
        "rows": [(obj, register.row(obj)) for obj in page.object_list],
        "summary": register.summary(year) if year is not None else [],
        "can_write": can(request.user, register.write_permission),
        "create_url": reverse(register.create_name),
        "abolish_form": forms.AbolishForm() if register.extra.get("abolish") else None,
    }
    return render(request, "publications/register.html", context)


def _create(request: HttpRequest, register: Register) -> HttpResponse:
    kwargs = {"user": request.user} if register.form_takes_user else {}
    form = register.form(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            register.create(actor=request.user, **form.cleaned_data)
        except (ActionRefused, ValidationError) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, register.created)
            return redirect(register.name)
    context = {"form": form, "title": f"登记{register.title}", "back_url": reverse(register.name)}
    return render(request, "publications/form.html", context)


# Explicit views per register keep each URL's role list visible to the URL-conf enumeration tests.


@staff_required
def post_list(request: HttpRequest) -> HttpResponse:
    return _list(request, POSTS)


@permission_required(Permission.PUBLICATION_RECORD)
def post_create(request: HttpRequest) -> HttpResponse:
    return _create(request, POSTS)


@staff_required
def interpretation_list(request: HttpRequest) -> HttpResponse:
    return _list(request, INTERPRETATIONS)


@permission_required(Permission.PUBLICATION_RECORD)
def interpretation_create(request: HttpRequest) -> HttpResponse:
    return _create(request, INTERPRETATIONS)


@staff_required
def archive_list(request: HttpRequest) -> HttpResponse:
    return _list(request, ARCHIVE)


@permission_required(Permission.PUBLICATION_ARCHIVE)
def archive_create(request: HttpRequest) -> HttpResponse:
    return _create(request, ARCHIVE)


@staff_required
def archive_print(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = get_object_or_404(selectors.archive_transfers(), pk=pk)
    org = current_organisation()
    context = {
        "transfer": transfer,
        "items": selectors.archive_transfer_items(transfer),
        "organisation": org,
    }
    return render(request, "publications/archive_print.html", context)


@staff_required
def matter_list(request: HttpRequest) -> HttpResponse:
    return _list(request, MATTERS)


@permission_required(Permission.PUBLICATION_RECORD)
def matter_create(request: HttpRequest) -> HttpResponse:
    return _create(request, MATTERS)


@permission_required(Permission.PUBLICATION_RECORD)
@require_POST
def matter_abolish(request: HttpRequest, pk: int) -> HttpResponse:
    matter = get_object_or_404(selectors.service_matters(), pk=pk)
    form = forms.AbolishForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写有效的取消日期。")
    else:
        try:
            services.service_matter_abolish(
                actor=request.user, matter=matter, abolished_on=form.cleaned_data["abolished_on"]
            )
        except (ActionRefused, ValidationError) as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, f"已登记取消：{matter.name}")
    return redirect(MATTERS.name)


@staff_required
def decision_list(request: HttpRequest) -> HttpResponse:
    return _list(request, DECISIONS)


@permission_required(Permission.PUBLICATION_RECORD)
def decision_create(request: HttpRequest) -> HttpResponse:
    return _create(request, DECISIONS)


@staff_required
def fee_list(request: HttpRequest) -> HttpResponse:
    return _list(request, FEES)


@permission_required(Permission.PUBLICATION_RECORD)
def fee_create(request: HttpRequest) -> HttpResponse:
    return _create(request, FEES)


@staff_required
def procurement_list(request: HttpRequest) -> HttpResponse:
    return _list(request, PROCUREMENT)


@permission_required(Permission.PUBLICATION_RECORD)
def procurement_create(request: HttpRequest) -> HttpResponse:
    return _create(request, PROCUREMENT)


@staff_required
def facts_overview(request: HttpRequest) -> HttpResponse:
    year = year_filter(request) or services.today().year
    facts = selectors.facts_summary(year)
    matters = [
        (label, facts.matters.get(value, {"previous": 0, "added": 0, "removed": 0}))
        for value, label in MatterKind.choices
    ]
    decisions = [(label, facts.decisions.get(value, 0)) for value, label in DecisionKind.choices]
    context = {
        "year": year,
        "years": range(services.today().year, 2017, -1),
        "facts": facts,
        "matters": matters,
        "decisions": decisions,
        "registers": (MATTERS, DECISIONS, FEES, PROCUREMENT),
    }
    return render(request, "publications/facts.html", context)
