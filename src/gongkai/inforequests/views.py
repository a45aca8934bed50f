"""Workbench views of 依申请公开: thin wrappers around forms, selectors and services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from gongkai.core.choices import Outcome
from gongkai.core.selectors import get_calendar
from gongkai.inforequests import forms as f
from gongkai.inforequests import permissions as perms
from gongkai.inforequests import selectors, services
from gongkai.inforequests.clock import CORRECTION_NOTICE_WORKDAYS, correction_notice_due
from gongkai.inforequests.masking import mask_address, mask_email, mask_id_number, mask_phone
from gongkai.inforequests.models import (
    CLOCK_STATUSES,
    ClockPause,
    Extension,
    ExtensionStatus,
    InfoRequest,
    PauseKindChoice,
    ReplyTemplate,
    RequestStatus,
)
from gongkai.inforequests.notice_docx import render_notice_docx
from gongkai.inforequests.notice_text import PLACEHOLDERS, NoticeContent, fill
from gongkai.inforequests.receipt import CHANNEL_RULES
from gongkai.org.access import role_required
from gongkai.org.roles import Role
from gongkai.workdays import CalendarUnknown

OFFICE = perms.OFFICE_ROLES
HANDLING = perms.HANDLING_ROLES
CALENDAR_ADMIN_URL = "admin:core_calendaryear_add"


VERB_LABELS = {
    "inforequest.register": "登记申请",
    "inforequest.confirm": "确认收到申请",
    "inforequest.assign": "分派承办",
    "inforequest.request_correction": "告知补正",
    "inforequest.receive_correction": "收到补正",
    "inforequest.correction_lapsed": "逾期不补正，视为放弃",
    "inforequest.pause_start": "征求意见",
    "inforequest.pause_end": "收到意见",
    "inforequest.extension_request": "申请延期",
    "inforequest.extension_approve": "批准延期",
    "inforequest.extension_refuse": "不予批准延期",
    "inforequest.fee_notify": "发出缴费通知",
    "inforequest.fee_paid": "缴费",
    "inforequest.fee_waive": "减免信息处理费",
    "inforequest.fee_lapsed": "逾期未缴费，视为放弃",
    "inforequest.draft_reply": "拟写答复",
    "inforequest.answer": "签发答复告知书",
    "inforequest.view_personal_data": "查看申请人个人信息",
    "inforequest.recompute_due": "重新计算答复期限",
}


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _case(request: HttpRequest, pk: int) -> InfoRequest:
    req = get_object_or_404(InfoRequest.objects.select_related("department", "handler"), pk=pk)
    if not perms.can_view(request.user, req):
        raise PermissionDenied("您无权查看该申请")
    return req


# --- list, intake, due -------------------------------------------------------------------------


@role_required()
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
        "can_intake": perms.can_intake(request.user),
    }
    template = (
        "inforequests/_list_table.html" if getattr(request, "htmx", False) else "inforequests/list.html"
    )
    return render(request, template, context)


@role_required(*OFFICE)
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


@role_required()
def due(request: HttpRequest) -> HttpResponse:
    lists = selectors.due_lists(request.user)
    return render(
        request,
        "inforequests/due.html",
        {"lists": lists, "calendar_url": reverse(CALENDAR_ADMIN_URL), "within": selectors.DUE_SOON_WORKDAYS},
    )


# --- the case page ------------------------------------------------------------------------------


@dataclass
class ActionSpec:
    name: str
    title: str
    form: type[f.forms.Form]
    roles: tuple[Role, ...]
    run: Callable[[Any, InfoRequest, dict[str, Any]], Any]
    done: str
    button: str = "提交"
    secondary: bool = False


def _pause(req: InfoRequest, data: dict[str, Any]) -> ClockPause:
    return get_object_or_404(ClockPause, pk=data["pause"], request=req)


def _extension(req: InfoRequest, data: dict[str, Any]) -> Extension:
    return get_object_or_404(Extension, pk=data["extension"], request=req)


ACTIONS: dict[str, ActionSpec] = {
    a.name: a
    for a in [
        ActionSpec(
            "confirm",
            "确认收到申请",
            f.ConfirmForm,
            OFFICE,
            lambda u, r, d: services.inforequest_confirm(actor=u, request=r, **d),
            "已确认收到申请，开始计算答复期限",
            "确认收到",
        ),
        ActionSpec(
            "assign",
            "分派承办",
            f.AssignForm,
            (*OFFICE, Role.DEPT_HEAD),
            lambda u, r, d: services.inforequest_assign(actor=u, request=r, **d),
            "已分派",
            "分派",
            True,
        ),
        ActionSpec(
            "correction_request",
            "告知补正（第三十条）",
            f.CorrectionRequestForm,
            HANDLING,
            lambda u, r, d: services.inforequest_request_correction(actor=u, request=r, **d),
            "已登记补正通知，答复期限暂停，收到补正后重新起算",
            "发出补正通知",
            True,
        ),
        ActionSpec(
            "correction_receive",
            "收到补正",
            f.CorrectionReceiveForm,
            HANDLING,
            lambda u, r, d: services.inforequest_receive_correction(actor=u, request=r, **d),
            "已登记收到补正，答复期限重新起算",
            "登记收到补正",
        ),
        ActionSpec(
            "correction_lapse",
            "逾期不补正，视为放弃",
            f.LapseForm,
            HANDLING,
            lambda u, r, d: services.inforequest_correction_lapsed(actor=u, request=r, **d),
            "申请人逾期未补正，已视为放弃申请",
            "视为放弃申请",
            True,
        ),
        ActionSpec(
            "pause_start",
            "征求意见（暂停计时）",
            f.PauseStartForm,
            HANDLING,
            lambda u, r, d: services.inforequest_pause_start(actor=u, request=r, **d),
            "已登记征求意见，征求意见期间（最长 15 个工作日）不计入答复期限",
            "登记征求意见",
            True,
        ),
        ActionSpec(
            "pause_end",
            "收到意见",
            f.PauseEndForm,
            HANDLING,
            lambda u, r, d: services.inforequest_pause_end(
                actor=u, pause=_pause(r, d), ended_on=d["ended_on"]
            ),
            "已登记收到意见，答复期限恢复计算",
            "登记收到意见",
        ),
        ActionSpec(
            "extension_request",
            "申请延长答复期限",
            f.ExtensionRequestForm,
            HANDLING,
            lambda u, r, d: services.extension_request(actor=u, request=r, **d),
            "已提交延期申请，待公开办负责人批准",
            "提交延期申请",
            True,
        ),
        ActionSpec(
            "extension_approve",
            "批准延长答复期限",
            f.ExtensionApproveForm,
            (Role.OFFICE_HEAD,),
            lambda u, r, d: services.extension_approve(actor=u, request=r, **d),
            "已批准延长答复期限",
            "批准延期",
        ),
        ActionSpec(
            "extension_refuse",
            "不予批准延期",
            f.ExtensionRefuseForm,
            (Role.OFFICE_HEAD,),
            lambda u, r, d: services.extension_refuse(actor=u, extension=_extension(r, d), note=d["note"]),
            "已不予批准延期",
            "不予批准",
            True,
        ),
        ActionSpec(
            "draft_reply",
            "拟写答复",
            f.DraftReplyForm,
            HANDLING,
            lambda u, r, d: services.inforequest_draft_reply(actor=u, request=r, **d),
            "已保存答复草稿",
            "保存草稿",
            True,
        ),
        ActionSpec(
            "answer",
            "签发答复告知书",
            f.AnswerForm,
            OFFICE,
            lambda u, r, d: services.inforequest_answer(actor=u, request=r, **d),
            "已签发答复告知书，本申请办结",
            "签发并办结",
        ),
        ActionSpec(
            "fee_notify",
            "发出信息处理费缴费通知",
            f.FeeNotifyForm,
            HANDLING,
            lambda u, r, d: services.fee_notify(actor=u, request=r, **d),
            "已登记缴费通知，缴费期间不计入答复期限",
            "发出缴费通知",
            True,
        ),
        ActionSpec(
            "fee_paid",
            "已缴费",
            f.FeePaidForm,
            HANDLING,
            lambda u, r, d: services.fee_paid(actor=u, request=r, **d),
            "已登记缴费，答复期限恢复计算",
            "登记缴费",
        ),
        ActionSpec(
            "fee_waive",
            "减免信息处理费",
            f.FeeWaiveForm,
            HANDLING,
            lambda u, r, d: services.fee_waive(actor=u, request=r, **d),
            "已减免信息处理费，答复期限恢复计算",
            "减免",
            True,
        ),
        ActionSpec(
            "fee_lapse",
            "逾期未缴费，视为放弃",
            f.LapseForm,
            HANDLING,
            lambda u, r, d: services.fee_lapsed(actor=u, request=r, **d),
            "申请人逾期未缴费，已视为放弃申请",
            "视为放弃申请",
            True,
        ),
    ]
}


def _available(user: Any, req: InfoRequest) -> list[str]:
    """The actions this user may take on the case now (the services check again)."""
    status = req.status
    if status not in (
        *CLOCK_STATUSES,
        RequestStatus.AWAITING_CONFIRMATION,
        RequestStatus.AWAITING_CORRECTION,
    ):
        return []
    pauses = list(req.pauses.all())
    extensions = list(req.extensions.all())
    handle = perms.can_handle(user, req)
    today = timezone.localdate()
    # Offer only what the statute still allows today; the services check the same again.
    extendable = req.due_on is None or today <= req.due_on
    correction = next((p for p in pauses if p.kind == PauseKindChoice.CORRECTION), None)
    fee_pause = next((p for p in pauses if p.kind == PauseKindChoice.FEE and p.ended_on is None), None)
    out: list[str] = []
    if status == RequestStatus.AWAITING_CONFIRMATION and perms.can_intake(user):
        out.append("confirm")
    if status == RequestStatus.AWAITING_CORRECTION and handle:
        out.append("correction_receive")
        if correction is not None and correction.respond_by is not None and today > correction.respond_by:
            out.append("correction_lapse")
    if status in CLOCK_STATUSES:
        open_fee = any(p.kind == PauseKindChoice.FEE and p.ended_on is None for p in pauses)
        approved = any(e.status == ExtensionStatus.APPROVED for e in extensions)
        pending = any(e.status == ExtensionStatus.PENDING for e in extensions)
        if perms.can_approve_extension(user) and not approved and extendable:
            out.append("extension_approve")
            if pending:
                out.append("extension_refuse")
        if status == RequestStatus.OPEN and perms.can_answer(user):
            out.append("answer")
        if handle:
            if any(
                p.kind in (PauseKindChoice.THIRD_PARTY, PauseKindChoice.ORGAN) and p.ended_on is None
                for p in pauses
            ):
                out.append("pause_end")
            if open_fee:
                out += ["fee_paid", "fee_waive"]
                if (
                    fee_pause is not None
                    and fee_pause.respond_by is not None
                    and today > fee_pause.respond_by
                ):
                    out.append("fee_lapse")
            out.append("draft_reply")
            if (
                status == RequestStatus.OPEN
                and not any(p.kind == PauseKindChoice.CORRECTION for p in pauses)
                and _correction_still_possible(req)
            ):
                out.append("correction_request")
            out.append("pause_start")
            if getattr(req, "fee", None) is None and not any(p.kind == PauseKindChoice.FEE for p in pauses):
                out.append("fee_notify")
            if not approved and not pending and extendable and not perms.can_approve_extension(user):
                out.append("extension_request")
    if perms.can_assign(user, req):
        out.append("assign")
    return out


def _correction_still_possible(req: InfoRequest) -> bool:
    """Art. 30: the 补正 notice window (7 working days) has not closed yet."""
    if req.received_on is None:
        return False
    try:
        return timezone.localdate() <= correction_notice_due(get_calendar(), req.received_on)
    except CalendarUnknown:
        return True  # the service decides once the calendar is known


def _initial(name: str, req: InfoRequest) -> dict[str, Any]:
    reply = _reply(req)
    if name == "assign":
        return {"department": req.department_id, "handler": req.handler_id}
    if name in ("answer", "draft_reply") and reply is not None:
        return {
            "outcome": reply.outcome,
            "title": reply.title,
            "notice_body": reply.body,
            "legal_basis": reply.legal_basis,
        }
    if name == "extension_approve":
        pending = next((e for e in req.extensions.all() if e.status == ExtensionStatus.PENDING), None)
        if pending is not None:
            return {"workdays": pending.workdays, "reason": pending.reason}
    if name == "extension_refuse":
        pending = next((e for e in req.extensions.all() if e.status == ExtensionStatus.PENDING), None)
        return {"extension": pending.pk if pending else None}
    return {}


def _reply(req: InfoRequest) -> Any:
    # A missing reverse one-to-one raises RelatedObjectDoesNotExist, an AttributeError.
    return getattr(req, "reply", None)


def _action_forms(
    user: Any, req: InfoRequest, bound: tuple[str, f.forms.Form] | None
) -> list[dict[str, Any]]:
    out = []
    names = _available(user, req)
    if bound and bound[0] not in names:
        # The action was refused and is no longer offered: still show why, with what was typed.
        names.insert(0, bound[0])
    for name in names:
        spec = ACTIONS[name]
        if name == "pause_end":
            for p in req.pauses.all():
                if p.kind in (PauseKindChoice.THIRD_PARTY, PauseKindChoice.ORGAN) and p.ended_on is None:
                    form = spec.form(prefix=name, auto_id=f"id_pe{p.pk}_%s", initial={"pause": p.pk})
                    if bound and bound[0] == name and str(bound[1].data.get(f"{name}-pause")) == str(p.pk):
                        form = bound[1]
                    out.append(
                        {
                            "spec": spec,
                            "form": form,
                            "title": f"{spec.title}：{p.get_kind_display()}",
                            "url": reverse(f"inforequests:{name}", args=[req.pk]),
                            "open": True,
                        }
                    )
            continue
        is_bound = bool(bound and bound[0] == name)
        form = bound[1] if is_bound else spec.form(prefix=name, initial=_initial(name, req))
        if name == "answer" and _reply(req) is None:
            # Choosing an outcome fills the body and legal basis from its template, for the clerk to edit.
            form.fields["outcome"].widget.attrs.update(
                {
                    "hx-get": reverse("inforequests:answer_fill", args=[req.pk]),
                    "hx-target": "#id_answer-notice_body",
                    "hx-swap": "outerHTML",
                }
            )
        url = reverse(f"inforequests:{name}", args=[req.pk])
        out.append(
            {
                "spec": spec,
                "form": form,
                "title": spec.title,
                "url": url,
                "open": is_bound or not spec.secondary,
            }
        )
    return out


def _personal_data(request: HttpRequest, req: InfoRequest) -> tuple[bool, dict[str, str]]:
    if perms.sees_personal_data(request.user, req):
        services.inforequest_view_personal_data(actor=request.user, request=req, ip=_client_ip(request))
        return True, {
            "id_number": req.applicant_id_number,
            "phone": req.applicant_phone,
            "address": req.applicant_address,
            "email": req.applicant_email,
        }
    return False, {
        "id_number": mask_id_number(req.applicant_id_number),
        "phone": mask_phone(req.applicant_phone),
        "address": mask_address(req.applicant_address),
        "email": mask_email(req.applicant_email),
    }


def _clock_context(req: InfoRequest, today: dt.date) -> dict[str, Any]:
    ctx: dict[str, Any] = {"clock": None, "calendar_unknown": None, "correction_due": None}
    if req.received_on is None:
        return ctx
    cal = get_calendar()
    try:
        ctx["correction_due"] = correction_notice_due(cal, req.received_on)
    except CalendarUnknown as exc:
        ctx["calendar_unknown"] = exc.year
    try:
        clock = selectors.clock_for(req, cal=cal, today=today)
    except CalendarUnknown as exc:
        ctx["calendar_unknown"] = exc.year
        return ctx
    ctx["clock"] = clock
    if clock is not None and clock.due is not None and req.is_open:
        try:
            left = clock.workdays_left(cal, today)
        except CalendarUnknown as exc:
            ctx["calendar_unknown"] = exc.year
        else:
            ctx["left"] = left
            ctx["overdue_by"] = -left if left is not None and left < 0 else 0
    if (
        clock is not None
        and clock.due is not None
        and req.closed_on is not None
        and req.status == RequestStatus.ANSWERED
    ):
        ctx["answered_late"] = req.closed_on > clock.due
    return ctx


def _detail(
    request: HttpRequest,
    req: InfoRequest,
    *,
    bound: tuple[str, f.forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    unmasked, personal = _personal_data(request, req)
    context: dict[str, Any] = {
        "req": req,
        "today": today,
        "personal": personal,
        "unmasked": unmasked,
        "receipt_rule": CHANNEL_RULES.get(req.channel, ""),
        "pauses": list(req.pauses.all()),
        "extensions": list(req.extensions.select_related("requested_by", "approved_by")),
        "fee": getattr(req, "fee", None),
        "reply": _reply(req),
        "actions": _action_forms(request.user, req, bound),
        "history": [
            {"occurred_at": e.occurred_at, "actor": e.actor, "label": VERB_LABELS.get(e.verb, e.verb)}
            for e in selectors.request_history(req)[:50]
        ],
        "calendar_url": reverse(CALENDAR_ADMIN_URL),
        "correction_workdays": CORRECTION_NOTICE_WORKDAYS,
        **_clock_context(req, today),
    }
    return render(request, "inforequests/detail.html", context, status=status)


@role_required()
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _case(request, pk))


def _apply_errors(form: f.forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _action_view(spec: ActionSpec) -> Callable[..., HttpResponse]:
    @role_required(*spec.roles)
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        req = _case(request, pk)
        form = spec.form(request.POST, prefix=spec.name)
        if form.is_valid():
            try:
                spec.run(request.user, req, form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            except CalendarUnknown as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, spec.done)
                return redirect("inforequests:detail", pk=req.pk)
        req.refresh_from_db()
        return _detail(request, req, bound=(spec.name, form), status=400)

    view.__name__ = view.__qualname__ = f"action_{spec.name}"
    return view


ACTION_VIEWS = {name: _action_view(spec) for name, spec in ACTIONS.items()}


@role_required(*OFFICE)
def answer_fill(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: the answer form's body, legal basis and title filled from the chosen outcome's template."""
    req = _case(request, pk)
    outcome = request.GET.get("answer-outcome", "")
    form = f.AnswerForm(prefix="answer")
    if outcome in Outcome.values:
        text = selectors.reply_template_for(outcome)
        form = f.AnswerForm(
            prefix="answer",
            initial={
                "notice_body": fill(text.body, services.template_values(req)),
                "legal_basis": text.legal_basis,
                "title": text.title,
            },
        )
    for name in ("legal_basis", "title"):
        form.fields[name].widget.attrs["hx-swap-oob"] = "true"
    return render(request, "inforequests/_answer_fill.html", {"form": form})


# --- the 告知书 ---------------------------------------------------------------------------------


def _notice(request: HttpRequest, pk: int) -> tuple[InfoRequest, NoticeContent]:
    req = _case(request, pk)
    content = selectors.notice_content(req)
    if content is None:
        raise Http404("本申请尚未拟写答复告知书")
    return req, content


@role_required()
def notice_preview(request: HttpRequest, pk: int) -> HttpResponse:
    req, content = _notice(request, pk)
    return render(request, "inforequests/notice_preview.html", {"req": req, "notice": content})


@role_required()
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


# --- templates ----------------------------------------------------------------------------------


@role_required()
def template_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "inforequests/templates_list.html",
        {"templates": selectors.reply_templates(), "can_edit": perms.can_intake(request.user)},
    )


@role_required(*OFFICE)
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
