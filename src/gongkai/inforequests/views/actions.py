"""The actions on a case: their forms, roles and services, and which are offered in which state."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils import timezone

from gongkai.core.selectors import get_calendar
from gongkai.inforequests import forms as f
from gongkai.inforequests import permissions as perms
from gongkai.inforequests import services
from gongkai.inforequests.clock import correction_notice_due
from gongkai.inforequests.models import (
    CLOCK_STATUSES,
    ClockPause,
    Extension,
    ExtensionStatus,
    InfoRequest,
    PauseKindChoice,
    RequestStatus,
)
from gongkai.inforequests.views._common import (
    HANDLING,
    OFFICE,
    _reply,
)
from gongkai.org.roles import Role
from gongkai.workdays import CalendarUnknown


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


def available_actions(user: Any, req: InfoRequest) -> list[str]:
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


def initial_data(name: str, req: InfoRequest) -> dict[str, Any]:
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
