"""The actions on a case: their forms and services; which are offered comes from ``workflow``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils import timezone

from gongkai.inforequests import forms as f
from gongkai.inforequests import selectors, services, workflow
from gongkai.inforequests.models import ClockPause, Extension, ExtensionStatus, InfoRequest
from gongkai.inforequests.permissions import case_permissions
from gongkai.inforequests.views._common import _reply
from gongkai.inforequests.workflow import Action
from gongkai.org.access import Permission


@dataclass
class ActionSpec:
    action: Action
    title: str
    form: type[f.forms.Form]
    run: Callable[[Any, InfoRequest, dict[str, Any]], Any]
    done: str
    button: str = "提交"
    secondary: bool = False

    @property
    def name(self) -> str:
        return self.action.value

    @property
    def permission(self) -> Permission:
        """Who may post the form at all (the view's guard); the case decides the rest."""
        return workflow.TABLE[self.action].by


def _pause(req: InfoRequest, data: dict[str, Any]) -> ClockPause:
    return get_object_or_404(ClockPause, pk=data["pause"], request=req)


def _extension(req: InfoRequest, data: dict[str, Any]) -> Extension:
    return get_object_or_404(Extension, pk=data["extension"], request=req)


ACTIONS: dict[str, ActionSpec] = {
    a.name: a
    for a in [
        ActionSpec(
            Action.CONFIRM,
            "确认收到申请",
            f.ConfirmForm,
            lambda u, r, d: services.inforequest_confirm(actor=u, request=r, **d),
            "已确认收到申请，开始计算答复期限",
            "确认收到",
        ),
        ActionSpec(
            Action.ASSIGN,
            "分派承办",
            f.AssignForm,
            lambda u, r, d: services.inforequest_assign(actor=u, request=r, **d),
            "已分派",
            "分派",
            True,
        ),
        ActionSpec(
            Action.REQUEST_CORRECTION,
            "告知补正（第三十条）",
            f.CorrectionRequestForm,
            lambda u, r, d: services.inforequest_request_correction(actor=u, request=r, **d),
            "已登记补正通知，答复期限暂停，收到补正后重新起算",
            "发出补正通知",
            True,
        ),
        ActionSpec(
            Action.RECEIVE_CORRECTION,
            "收到补正",
            f.CorrectionReceiveForm,
            lambda u, r, d: services.inforequest_receive_correction(actor=u, request=r, **d),
            "已登记收到补正，答复期限重新起算",
            "登记收到补正",
        ),
        ActionSpec(
            Action.CORRECTION_LAPSE,
            "逾期不补正，视为放弃",
            f.LapseForm,
            lambda u, r, d: services.inforequest_correction_lapsed(actor=u, request=r, **d),
            "申请人逾期未补正，已视为放弃申请",
            "视为放弃申请",
            True,
        ),
        ActionSpec(
            Action.CONSULT,
            "征求意见（暂停计时）",
            f.PauseStartForm,
            lambda u, r, d: services.inforequest_pause_start(actor=u, request=r, **d),
            "已登记征求意见，征求意见期间（最长 15 个工作日）不计入答复期限",
            "登记征求意见",
            True,
        ),
        ActionSpec(
            Action.END_CONSULTATION,
            "收到意见",
            f.PauseEndForm,
            lambda u, r, d: services.inforequest_pause_end(
                actor=u, pause=_pause(r, d), ended_on=d["ended_on"]
            ),
            "已登记收到意见，答复期限恢复计算",
            "登记收到意见",
        ),
        ActionSpec(
            Action.REQUEST_EXTENSION,
            "申请延长答复期限",
            f.ExtensionRequestForm,
            lambda u, r, d: services.extension_request(actor=u, request=r, **d),
            "已提交延期申请，待公开办负责人批准",
            "提交延期申请",
            True,
        ),
        ActionSpec(
            Action.APPROVE_EXTENSION,
            "批准延长答复期限",
            f.ExtensionApproveForm,
            lambda u, r, d: services.extension_approve(actor=u, request=r, **d),
            "已批准延长答复期限",
            "批准延期",
        ),
        ActionSpec(
            Action.REFUSE_EXTENSION,
            "不予批准延期",
            f.ExtensionRefuseForm,
            lambda u, r, d: services.extension_refuse(actor=u, extension=_extension(r, d), note=d["note"]),
            "已不予批准延期",
            "不予批准",
            True,
        ),
        ActionSpec(
            Action.DRAFT_REPLY,
            "拟写答复",
            f.DraftReplyForm,
            lambda u, r, d: services.inforequest_draft_reply(
                actor=u, request=r, **{**d, "legal_basis": d["legal_basis"] or None}
            ),
            "已保存答复草稿",
            "保存草稿",
            True,
        ),
        ActionSpec(
            Action.SUBMIT_REPLY,
            "答复送审",
            f.SubmitReplyForm,
            lambda u, r, d: services.reply_submit_for_review(actor=u, request=r, **d),
            "已送审，待审核",
            "送审",
        ),
        ActionSpec(
            Action.REVIEW_REPLY,
            "审核答复",
            f.ReviewApproveForm,
            lambda u, r, d: services.reply_review_approve(actor=u, request=r, **d),
            "已审核同意",
            "同意",
        ),
        ActionSpec(
            Action.RETURN_REPLY,
            "退回修改",
            f.ReviewReturnForm,
            lambda u, r, d: services.reply_review_return(actor=u, request=r, **d),
            "已退回拟稿人修改",
            "退回",
            True,
        ),
        ActionSpec(
            Action.ISSUE_REPLY,
            "发出答复告知书",
            f.AnswerForm,
            lambda u, r, d: services.inforequest_answer(actor=u, request=r, **d),
            "已发出答复告知书，本申请办结",
            "发出并办结",
        ),
        ActionSpec(
            Action.NOTIFY_FEE,
            "发出信息处理费缴费通知",
            f.FeeNotifyForm,
            lambda u, r, d: services.fee_notify(actor=u, request=r, **d),
            "已登记缴费通知，缴费期间不计入答复期限",
            "发出缴费通知",
            True,
        ),
        ActionSpec(
            Action.FEE_PAID,
            "已缴费",
            f.FeePaidForm,
            lambda u, r, d: services.fee_paid(actor=u, request=r, **d),
            "已登记缴费，答复期限恢复计算",
            "登记缴费",
        ),
        ActionSpec(
            Action.WAIVE_FEE,
            "减免信息处理费",
            f.FeeWaiveForm,
            lambda u, r, d: services.fee_waive(actor=u, request=r, **d),
            "已减免信息处理费，答复期限恢复计算",
            "减免",
            True,
        ),
        ActionSpec(
            Action.FEE_LAPSE,
            "逾期未缴费，视为放弃",
            f.LapseForm,
            lambda u, r, d: services.fee_lapsed(actor=u, request=r, **d),
            "申请人逾期未缴费，已视为放弃申请",
            "视为放弃申请",
            True,
        ),
    ]
}


# The order the case page lists the forms in: what the case waits for first, assignment last.
DISPLAY_ORDER: tuple[Action, ...] = (
    Action.CONFIRM,
    Action.RECEIVE_CORRECTION,
    Action.CORRECTION_LAPSE,
    Action.APPROVE_EXTENSION,
    Action.REFUSE_EXTENSION,
    Action.REVIEW_REPLY,
    Action.RETURN_REPLY,
    Action.ISSUE_REPLY,
    Action.SUBMIT_REPLY,
    Action.END_CONSULTATION,
    Action.FEE_PAID,
    Action.WAIVE_FEE,
    Action.FEE_LAPSE,
    Action.DRAFT_REPLY,
    Action.REQUEST_CORRECTION,
    Action.CONSULT,
    Action.NOTIFY_FEE,
    Action.REQUEST_EXTENSION,
    Action.ASSIGN,
)


def available_actions(user: Any, req: InfoRequest) -> list[str]:
    """The actions ``workflow.allowed`` gives this user on the case today, in display order."""
    held = case_permissions(user, req)
    offered = workflow.allowed(selectors.case_facts(req), held, timezone.localdate())
    if Permission.REQUEST_APPROVE_EXTENSION in held:
        offered.discard(Action.REQUEST_EXTENSION)  # the office head extends directly
    return [a.value for a in DISPLAY_ORDER if a in offered]


def initial_data(name: str, req: InfoRequest) -> dict[str, Any]:
    reply = _reply(req)
    if name == "assign":
        return {"department": req.department_id, "handler": req.handler_id}
    if name == "draft_reply" and reply is not None:
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
