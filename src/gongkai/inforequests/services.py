"""Every write of the inforequests app (DESIGN.md "Writes go through services").

Each function is keyword-only with a mandatory ``actor``, runs in one transaction, refuses what the
statute or the separation of duties forbids (``ValidationError`` / ``PermissionDenied`` with a
Chinese message), records an audit event on the request in the same transaction and queues
notifications to the outbox once the transaction commits. Deadlines come from ``clock`` over the
calendar table; a deadline in a year nobody entered raises ``CalendarUnknown`` rather than guess.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.core.choices import Outcome, RequestChannel
from gongkai.core.selectors import get_calendar
from gongkai.core.services import enqueue_message, model_snapshot, record_event
from gongkai.inforequests import clock as clock_mod
from gongkai.inforequests import permissions as perms
from gongkai.inforequests import selectors
from gongkai.inforequests.fees import FeeMethod, fee_amount
from gongkai.inforequests.models import (
    CLOCK_STATUSES,
    OPEN_STATUSES,
    ClockPause,
    Extension,
    ExtensionStatus,
    Fee,
    InfoRequest,
    PauseKindChoice,
    ReplyNotice,
    ReplyTemplate,
    RequestStatus,
)
from gongkai.inforequests.notice_text import cn_date, fill, unknown_placeholders
from gongkai.inforequests.receipt import CONFIRMED_CHANNELS, ReceiptDateError, received_on_for
from gongkai.org.models import Department, StaffProfile
from gongkai.workdays import Calendar, CalendarUnknown

# Personal data stays out of the audit log's before/after: the log is read by more people than the case.
PERSONAL_FIELDS = ("applicant_id_number", "applicant_phone", "applicant_address", "applicant_email")
_SNAPSHOT_EXCLUDE = {*PERSONAL_FIELDS, "portal_secret_hash"}
# Outcomes that only the lapse services set (the applicant gave the case up; no reply is drafted).
LAPSE_OUTCOMES = frozenset({Outcome.OTHER__NO_CORRECTION, Outcome.OTHER__UNPAID_FEE})


def _snapshot(req: InfoRequest) -> dict[str, Any]:
    names = [f.name for f in InfoRequest._meta.concrete_fields if f.name not in _SNAPSHOT_EXCLUDE]
    return model_snapshot(req, fields=names)


def _today() -> dt.date:
    return timezone.localdate()


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _invalid(field: str | None, message: str) -> ValidationError:
    return ValidationError({field: [message]}) if field else ValidationError(message)


def _not_future(field: str, value: dt.date | None, label: str) -> None:
    if value is not None and value > _today():
        raise _invalid(field, f"{label}（{value:%Y-%m-%d}）不能晚于今天")


def _not_before(field: str, value: dt.date, floor: dt.date, message: str) -> None:
    if value < floor:
        raise _invalid(field, message)


def _notify(kind: str, req: InfoRequest, **payload: Any) -> None:
    # The outbox row is written only once the change is committed, so a rolled-back change sends nothing.
    data = {"request_id": req.pk, "reference": req.reference, **payload}
    transaction.on_commit(partial(enqueue_message, kind=kind, payload=data))


def _lock(req: InfoRequest) -> InfoRequest:
    """Re-read the case under a row lock so two concurrent actions cannot both pass the state checks."""
    return InfoRequest.objects.select_for_update().get(pk=req.pk)


def _refresh_due(req: InfoRequest, cal: Calendar | None = None) -> None:
    """Cache the due date while the clock runs; an unknown year leaves it empty (the case page says why)."""
    if req.status not in CLOCK_STATUSES:
        if req.status in OPEN_STATUSES:
            req.due_on = None
        return
    try:
        clock = selectors.clock_for(req, cal=cal)
    except CalendarUnknown:
        req.due_on = None
        return
    req.due_on = clock.due if clock is not None else None


def _save(req: InfoRequest, *, actor: Any, verb: str, before: dict[str, Any] | None, **extra: Any) -> None:
    req.full_clean()
    if req.pk is None:
        req.save()  # the clock reads the case's pauses, which need a saved case
    _refresh_due(req)
    req.save()
    after = _snapshot(req) | extra
    record_event(actor=actor, verb=verb, obj=req, before=before, after=after)


# --- intake ------------------------------------------------------------------------------------


def _reference_prefix() -> str:
    from gongkai.org.models import Organisation

    name = Organisation.objects.order_by("id").values_list("name", flat=True).first() or ""
    for suffix in ("街道办事处", "办事处", "人民政府", "街道"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _next_reference(year: int) -> str:
    stem = f"{_reference_prefix()}依申〔{year}〕"
    n = InfoRequest.objects.filter(reference__startswith=stem).count() + 1
    while InfoRequest.objects.filter(reference=f"{stem}{n}号").exists():
        n += 1
    return f"{stem}{n}号"


def _check_handler(department: Department | None, handler: Any) -> Department | None:
    if handler is None:
        return department
    profile = StaffProfile.objects.filter(user=handler).select_related("department").first()
    handler_dept = profile.department if profile else None
    if department is None:
        return handler_dept
    if handler_dept is not None and handler_dept.pk != department.pk:
        raise _invalid("handler", f"承办人不属于{department.name}")
    return department


@transaction.atomic
def inforequest_register(
    *,
    actor: Any,
    channel: str,
    submitted_on: dt.date,
    applicant_type: str,
    applicant_name: str,
    description: str,
    signed_on: dt.date | None = None,
    confirmed_on: dt.date | None = None,
    applicant_id_number: str = "",
    applicant_phone: str = "",
    applicant_address: str = "",
    applicant_email: str = "",
    form_of_provision: str = "",
    pieces: int = 1,
    receipt_note: str = "",
    department: Department | None = None,
    handler: Any = None,
    reference: str | None = None,
    portal_secret_hash: str = "",
) -> InfoRequest:
    """Register an application received through any channel; Art. 31 decides its received date.

    Staff of the 公开办 register every channel. Without a signed-in actor (the portal) only an online
    application can be created, and it waits for confirmation (``inforequest_confirm``).
    """
    if not perms.can_intake(actor):
        _require(
            actor is None or not getattr(actor, "is_authenticated", False),
            "只有公开办工作人员可以登记政府信息公开申请",
        )
        if channel != RequestChannel.ONLINE or confirmed_on is not None:
            raise PermissionDenied("网上申请须由公开办确认收到")
    for name, value, label in (
        ("submitted_on", submitted_on, "提交日期"),
        ("signed_on", signed_on, "签收日期"),
        ("confirmed_on", confirmed_on, "确认日期"),
    ):
        _not_future(name, value, label)
    try:
        received = received_on_for(
            channel, submitted_on=submitted_on, signed_on=signed_on, confirmed_on=confirmed_on
        )
    except ReceiptDateError as exc:
        raise _invalid(exc.field, str(exc)) from exc
    department = _check_handler(department, handler)
    req = InfoRequest(
        reference=reference or _next_reference((received or submitted_on).year),
        channel=channel,
        submitted_on=submitted_on,
        received_on=received,
        receipt_note=receipt_note.strip(),
        applicant_type=applicant_type,
        applicant_name=applicant_name.strip(),
        applicant_id_number=applicant_id_number.strip(),
        applicant_phone=applicant_phone.strip(),
        applicant_address=applicant_address.strip(),
        applicant_email=applicant_email.strip(),
        description=description.strip(),
        form_of_provision=form_of_provision,
        pieces=pieces,
        department=department,
        handler=handler,
        status=RequestStatus.OPEN if received is not None else RequestStatus.AWAITING_CONFIRMATION,
        portal_secret_hash=portal_secret_hash,
        created_by=actor if perms.can_intake(actor) else None,
    )
    _save(req, actor=actor, verb="inforequest.register", before=None)
    if handler is not None or department is not None:
        _notify("inforequest.assigned", req, department_id=req.department_id, handler_id=req.handler_id)
    return req


@transaction.atomic
def inforequest_confirm(*, actor: Any, request: InfoRequest, confirmed_on: dt.date) -> InfoRequest:
    """Art. 31: the day the office and the applicant confirmed receipt becomes 收到申请之日."""
    _require(perms.can_intake(actor), "只有公开办工作人员可以确认收到申请")
    req = _lock(request)
    if req.status != RequestStatus.AWAITING_CONFIRMATION:
        raise _invalid(None, "该申请不在待确认状态")
    if req.channel not in CONFIRMED_CHANNELS:
        raise _invalid(None, "只有平常信函、网上和传真申请需要确认收到")
    _not_future("confirmed_on", confirmed_on, "确认日期")
    _not_before("confirmed_on", confirmed_on, req.submitted_on, "确认之日不能早于申请人提交之日")
    before = _snapshot(req)
    req.received_on = confirmed_on
    req.status = RequestStatus.OPEN
    _save(req, actor=actor, verb="inforequest.confirm", before=before)
    return req


@transaction.atomic
def inforequest_assign(
    *, actor: Any, request: InfoRequest, department: Department | None, handler: Any = None
) -> InfoRequest:
    req = _lock(request)
    _require(perms.can_assign(actor, req, department), "您无权分派该申请")
    if not req.is_open:
        raise _invalid(None, "已办结的申请不能再分派")
    if department is None and handler is None:
        raise _invalid("department", "请选择承办科室或承办人")
    department = _check_handler(department, handler)
    before = _snapshot(req)
    req.department, req.handler = department, handler
    _save(req, actor=actor, verb="inforequest.assign", before=before)
    _notify("inforequest.assigned", req, department_id=req.department_id, handler_id=req.handler_id)
    return req


# --- 补正 (Art. 30) -----------------------------------------------------------------------------


def _correction(req: InfoRequest) -> ClockPause | None:
    return req.pauses.filter(kind=PauseKindChoice.CORRECTION).first()


@transaction.atomic
def inforequest_request_correction(
    *, actor: Any, request: InfoRequest, notified_on: dt.date, items: str, respond_by: dt.date
) -> ClockPause:
    """One 补正 notice listing everything needed, within 7 working days of receipt (Art. 30)."""
    req = _lock(request)
    _require(perms.can_handle(actor, req), "您无权办理该申请")
    if req.status != RequestStatus.OPEN:
        raise _invalid(None, "只有办理中（未暂停计时）的申请可以告知补正")
    if _correction(req) is not None:
        raise _invalid(None, "补正须一次性告知，本申请已发出过补正通知")
    if not items.strip():
        raise _invalid("items", "请写明需要补正的事项")
    assert req.received_on is not None
    _not_future("notified_on", notified_on, "补正通知日期")
    _not_before("notified_on", notified_on, req.received_on, "补正通知日期不能早于收到申请之日")
    last = clock_mod.correction_notice_due(get_calendar(), req.received_on)
    if notified_on > last:
        raise _invalid(
            "notified_on",
            f"补正通知须自收到申请之日起 {clock_mod.CORRECTION_NOTICE_WORKDAYS} 个工作日内发出"
            f"（本案截止 {last:%Y-%m-%d}），{notified_on:%Y-%m-%d} 已超过期限",
        )
    if respond_by <= notified_on:
        raise _invalid("respond_by", "补正期限须晚于补正通知日期")
    before = _snapshot(req)
    pause = ClockPause.objects.create(
        request=req,
        kind=PauseKindChoice.CORRECTION,
        started_on=notified_on,
        respond_by=respond_by,
        note=items.strip(),
        created_by=actor,
    )
    req.status = RequestStatus.AWAITING_CORRECTION
    _save(
        req,
        actor=actor,
        verb="inforequest.request_correction",
        before=before,
        correction={"notified_on": notified_on, "respond_by": respond_by, "items": items.strip()},
    )
    _notify("inforequest.correction_notice", req, notified_on=notified_on, respond_by=respond_by)
    return pause


@transaction.atomic
def inforequest_receive_correction(*, actor: Any, request: InfoRequest, received_on: dt.date) -> InfoRequest:
    """The corrected application arrived: the 20-working-day reply clock restarts from this day."""
    req = _lock(request)
    _require(perms.can_handle(actor, req), "您无权办理该申请")
    if req.status != RequestStatus.AWAITING_CORRECTION:
        raise _invalid(None, "该申请不在待补正状态")
    pause = _correction(req)
    assert pause is not None
    _not_future("received_on", received_on, "收到补正日期")
    _not_before("received_on", received_on, pause.started_on, "收到补正的日期不能早于补正通知日期")
    before = _snapshot(req)
    pause.ended_on = received_on
    pause.save(update_fields=["ended_on"])
    req.corrected_on = received_on
    req.status = RequestStatus.OPEN
    _save(req, actor=actor, verb="inforequest.receive_correction", before=before)
    return req


def _close(req: InfoRequest, *, outcome: str, on: dt.date) -> None:
    req.outcome = outcome
    req.closed_on = on
    req.status = RequestStatus.CLOSED
    req.pauses.filter(ended_on__isnull=True).update(ended_on=on)


@transaction.atomic
def inforequest_correction_lapsed(*, actor: Any, request: InfoRequest, lapsed_on: dt.date) -> InfoRequest:
    """No 补正 by the deadline: 视为放弃申请 (Table 三 （六）1)."""
    req = _lock(request)
    _require(perms.can_handle(actor, req), "您无权办理该申请")
    if req.status != RequestStatus.AWAITING_CORRECTION:
        raise _invalid(None, "该申请不在待补正状态")
    pause = _correction(req)
    assert pause is not None and pause.respond_by is not None
    _not_future("lapsed_on", lapsed_on, "终止日期")
    if lapsed_on <= pause.respond_by:
        raise _invalid("lapsed_on", f"补正期限至 {pause.respond_by:%Y-%m-%d} 尚未届满，不能视为放弃申请")
    before = _snapshot(req)
    _close(req, outcome=Outcome.OTHER__NO_CORRECTION, on=lapsed_on)
    _save(req, actor=actor, verb="inforequest.correction_lapsed", before=before)
    return req


# --- consultations (Arts. 32, 34) ---------------------------------------------------------------

CONSULTATION_KINDS = (PauseKindChoice.THIRD_PARTY, PauseKindChoice.ORGAN)


def _clock_start(req: InfoRequest) -> dt.date:
    start = req.corrected_on or req.received_on
    assert start is not None
    return start


@transaction.atomic
def inforequest_pause_start(
    *, actor: Any, request: InfoRequest, kind: str, started_on: dt.date, note: str = ""
) -> ClockPause:
    """A consultation letter went out; its time (up to 15 working days) does not count (Art. 33 ¶3)."""
    req = _lock(request)
    _require(perms.can_handle(actor, req), "您无权办理该申请")
    if kind not in CONSULTATION_KINDS:
        raise _invalid("kind", "只能为征求第三方意见或征求其他机关意见暂停计时")
    if req.status not in CLOCK_STATUSES:
        raise _invalid(None, "该申请当前不在计时状态")
    if req.pauses.filter(kind=kind, ended_on__isnull=True).exists():
        raise _invalid("kind", f"已有未结束的{PauseKindChoice(kind).label}")
    _not_future("started_on", started_on, "发出日期")
    _not_before("started_on", started_on, _clock_start(req), "征求意见的日期不能早于答复期限起算日")
    try:
        respond_by = clock_mod.consultation_end(get_calendar(), started_on)
    except CalendarUnknown:
        respond_by = None
    before = _snapshot(req)
    pause = ClockPause.objects.create(
        request=req,
        kind=kind,
        started_on=started_on,
        respond_by=respond_by,
        note=note.strip(),
        created_by=actor,
    )
    req.status = RequestStatus.PAUSED
    _save(
        req,
        actor=actor,
        verb="inforequest.pause_start",
        before=before,
        pause={"id": pause.pk, "kind": kind, "started_on": started_on, "note": note.strip()},
    )
    return pause


def _resume_if_clear(req: InfoRequest) -> None:
    if req.status == RequestStatus.PAUSED and not req.pauses.filter(ended_on__isnull=True).exists():
        req.status = RequestStatus.OPEN


@transaction.atomic
def inforequest_pause_end(*, actor: Any, pause: ClockPause, ended_on: dt.date) -> ClockPause:
    """The opinion arrived. Past the 15 working days the extra time counts (the clock says so)."""
    req = _lock(pause.request)
    pause = ClockPause.objects.select_for_update().get(pk=pause.pk)
    _require(perms.can_handle(actor, req), "您无权办理该申请")
    if pause.kind not in CONSULTATION_KINDS:
        raise _invalid(None, "补正和缴费请使用相应的办理操作")
    if pause.ended_on is not None:
        raise _invalid(None, "该征求意见已经结束")
    _not_future("ended_on", ended_on, "收到意见日期")
    _not_before("ended_on", ended_on, pause.started_on, "收到意见的日期不能早于发出日期")
    before = _snapshot(req)
    pause.ended_on = ended_on
    pause.save(update_fields=["ended_on"])
    _resume_if_clear(req)
    overrun = pause.respond_by is not None and ended_on > pause.respond_by
    _save(
        req,
        actor=actor,
        verb="inforequest.pause_end",
        before=before,
        pause={"id": pause.pk, "kind": pause.kind, "ended_on": ended_on, "over_15_workdays": overrun},
    )
    return pause


# --- extension (Art. 33 ¶2) ---------------------------------------------------------------------


def _base_due(req: InfoRequest) -> dt.date:
    facts = selectors.clock_facts(req)
    assert facts is not None
    clock = clock_mod.compute(get_calendar(), dataclasses.replace(facts, extension_workdays=0))
    assert clock.base_due is not None
    return clock.base_due


def _check_workdays(workdays: int) -> None:
    if not 1 <= workdays <= clock_mod.MAX_EXTENSION_WORKDAYS:
        raise _invalid(
            "workdays",
            f"延长的期限最长不得超过 {clock_mod.MAX_EXTENSION_WORKDAYS} 个工作日（至少 1 个工作日）",
        )


def _check_extendable(req: InfoRequest) -> None:
    if req.status not in CLOCK_STATUSES:
        raise _invalid(None, "该申请当前不在计时状态，不能延长答复期限")
    if req.extensions.filter(status=ExtensionStatus.APPROVED).exists():
        raise _invalid(None, "答复期限只能延长一次，本申请已经延长过")


@transaction.atomic
def extension_request(*, actor: Any, request: InfoRequest, workdays: int, reason: str) -> Extension:
    """Ask the office head for an extension (shown to them as 待批准延期)."""
    req = _lock(request)
    _require(perms.can_handle(actor, req), "您无权办理该申请")
    _check_extendable(req)
    if req.extensions.filter(status=ExtensionStatus.PENDING).exists():
        raise _invalid(None, "已有待批准的延期申请")
    _check_workdays(workdays)
    if not reason.strip():
        raise _invalid("reason", "请写明需要延长答复期限的理由")
    base_due = _base_due(req)
    if _today() > base_due:
        raise _invalid(None, f"答复期限已于 {base_due:%Y-%m-%d} 届满，不能再申请延长")
    ext = Extension.objects.create(request=req, workdays=workdays, reason=reason.strip(), requested_by=actor)
    record_event(
        actor=actor,
        verb="inforequest.extension_request",
        obj=req,
        after={"extension_id": ext.pk, "workdays": workdays, "reason": reason.strip()},
    )
    _notify("inforequest.extension_requested", req, extension_id=ext.pk, workdays=workdays)
    return ext


@transaction.atomic
def extension_approve(
    *,
    actor: Any,
    request: InfoRequest,
    workdays: int,
    approved_on: dt.date,
    notified_on: dt.date,
    reason: str = "",
    note: str = "",
) -> Extension:
    """The 公开办负责人 approves one extension of ≤ 20 working days before the base deadline expires,
    and the applicant is told before it expires too (Art. 33 ¶2). A pending request is approved;
    without one the office head extends directly."""
    _require(
        perms.can_approve_extension(actor), "延长答复期限须经政府信息公开工作机构负责人（公开办负责人）同意"
    )
    req = _lock(request)
    _check_extendable(req)
    _check_workdays(workdays)
    _not_future("approved_on", approved_on, "批准日期")
    _not_future("notified_on", notified_on, "告知日期")
    base_due = _base_due(req)
    if approved_on > base_due:
        raise _invalid("approved_on", f"答复期限已于 {base_due:%Y-%m-%d} 届满，延期须在期限届满前批准")
    _not_before("notified_on", notified_on, approved_on, "告知申请人的日期不能早于批准日期")
    if notified_on > base_due:
        raise _invalid("notified_on", f"须在答复期限 {base_due:%Y-%m-%d} 届满前告知申请人")
    _not_before("approved_on", approved_on, _clock_start(req), "批准日期不能早于答复期限起算日")
    before = _snapshot(req)
    ext = req.extensions.select_for_update().filter(status=ExtensionStatus.PENDING).first()
    if ext is None:
        ext = Extension(request=req, requested_by=actor, reason=reason.strip())
    ext.status = ExtensionStatus.APPROVED
    ext.workdays = workdays
    ext.approved_by, ext.approved_on, ext.notified_on = actor, approved_on, notified_on
    ext.decision_note = note.strip()
    if reason.strip():
        ext.reason = reason.strip()
    ext.full_clean()
    try:
        with transaction.atomic():
            ext.save()
    except IntegrityError as exc:  # a concurrent approval won the race
        raise _invalid(None, "答复期限只能延长一次，本申请已经延长过") from exc
    _save(
        req,
        actor=actor,
        verb="inforequest.extension_approve",
        before=before,
        extension={
            "id": ext.pk,
            "workdays": workdays,
            "approved_on": approved_on,
            "notified_on": notified_on,
        },
    )
    _notify(
        "inforequest.extension_notice", req, workdays=workdays, due_on=req.due_on, notified_on=notified_on
    )
    return ext


@transaction.atomic
def extension_refuse(*, actor: Any, extension: Extension, note: str) -> Extension:
    _require(perms.can_approve_extension(actor), "只有公开办负责人可以审批延期申请")
    ext = Extension.objects.select_for_update().select_related("request").get(pk=extension.pk)
    if ext.status != ExtensionStatus.PENDING:
        raise _invalid(None, "该延期申请已经审批")
    ext.status = ExtensionStatus.REFUSED
    ext.decision_note = note.strip()
    ext.save(update_fields=["status", "decision_note"])
    record_event(
        actor=actor,
        verb="inforequest.extension_refuse",
        obj=ext.request,
        after={"extension_id": ext.pk, "note": note.strip()},
    )
    return ext


# --- fees (Art. 42, 国办函〔2020〕109号) ----------------------------------------------------------


def _open_fee_pause(req: InfoRequest) -> ClockPause:
    pause = req.pauses.filter(kind=PauseKindChoice.FEE, ended_on__isnull=True).first()
    if pause is None:
        raise _invalid(None, "本申请没有待缴的信息处理费")
    return pause


@transaction.atomic
def fee_notify(*, actor: Any, request: InfoRequest, method: str, quantity: int, notified_on: dt.date) -> Fee:
    """Send a fee notice by one method; the wait for payment (≤ 20 working days) does not count."""
    req = _lock(request)
    _require(perms.can_handle(actor, req), "您无权办理该申请")
    if req.status not in CLOCK_STATUSES:
        raise _invalid(None, "该申请当前不在计时状态")
    if Fee.objects.filter(request=req).exists():
        raise _invalid(None, "每件申请只能按一种方式收费一次")
    if method not in (FeeMethod.PER_PIECE, FeeMethod.PER_PAGE):
        raise _invalid("method", "请选择按件或按量计收")
    if quantity < 1:
        raise _invalid("quantity", "件数或页数至少为 1")
    _not_future("notified_on", notified_on, "收费通知日期")
    _not_before("notified_on", notified_on, _clock_start(req), "收费通知日期不能早于答复期限起算日")
    earlier = selectors.applicant_pieces_before(req) if method == FeeMethod.PER_PIECE else 0
    amount = fee_amount(method, quantity, earlier_pieces=earlier)
    if amount <= 0:
        raise _invalid("quantity", "按 2020 年收费标准本申请未超出免费范围，不得收取信息处理费")
    try:
        respond_by = clock_mod.fee_payment_end(get_calendar(), notified_on)
    except CalendarUnknown:
        respond_by = None
    before = _snapshot(req)
    fee = Fee.objects.create(
        request=req,
        method=method,
        quantity=quantity,
        earlier_pieces=earlier,
        amount_yuan=amount,
        notified_on=notified_on,
        created_by=actor,
    )
    ClockPause.objects.create(
        request=req,
        kind=PauseKindChoice.FEE,
        started_on=notified_on,
        respond_by=respond_by,
        note=f"信息处理费 {amount} 元",
        created_by=actor,
    )
    req.status = RequestStatus.PAUSED
    _save(
        req,
        actor=actor,
        verb="inforequest.fee_notify",
        before=before,
        fee={"method": method, "quantity": quantity, "earlier_pieces": earlier, "amount_yuan": amount},
    )
    _notify("inforequest.fee_notice", req, amount_yuan=str(amount), notified_on=notified_on)
    return fee


def _end_fee(
    actor: Any, request: InfoRequest, on: dt.date, *, waived: bool, verb: str, reason: str = ""
) -> Fee:
    req = _lock(request)
    _require(perms.can_handle(actor, req), "您无权办理该申请")
    pause = _open_fee_pause(req)
    fee = Fee.objects.select_for_update().get(request=req)
    _not_future("on", on, "日期")
    _not_before("on", on, fee.notified_on, "日期不能早于收费通知日期")
    before = _snapshot(req)
    if waived:
        fee.waived = True
    else:
        fee.paid_on = on
    fee.save(update_fields=["waived", "paid_on"])
    pause.ended_on = on
    pause.save(update_fields=["ended_on"])
    _resume_if_clear(req)
    _save(req, actor=actor, verb=verb, before=before, fee={"on": on, "waived": waived, "reason": reason})
    return fee


@transaction.atomic
def fee_paid(*, actor: Any, request: InfoRequest, paid_on: dt.date) -> Fee:
    return _end_fee(actor, request, paid_on, waived=False, verb="inforequest.fee_paid")


@transaction.atomic
def fee_waive(*, actor: Any, request: InfoRequest, waived_on: dt.date, reason: str) -> Fee:
    if not reason.strip():
        raise _invalid("reason", "请写明减免理由")
    return _end_fee(
        actor, request, waived_on, waived=True, verb="inforequest.fee_waive", reason=reason.strip()
    )


@transaction.atomic
def fee_lapsed(*, actor: Any, request: InfoRequest, lapsed_on: dt.date) -> InfoRequest:
    """Unpaid after the payment period: 视为放弃申请 (Table 三 （六）2)."""
    req = _lock(request)
    _require(perms.can_handle(actor, req), "您无权办理该申请")
    pause = _open_fee_pause(req)
    _not_future("lapsed_on", lapsed_on, "终止日期")
    limit = pause.respond_by or clock_mod.fee_payment_end(get_calendar(), pause.started_on)
    if lapsed_on <= limit:
        raise _invalid("lapsed_on", f"缴费期限至 {limit:%Y-%m-%d} 尚未届满，不能视为放弃申请")
    before = _snapshot(req)
    _close(req, outcome=Outcome.OTHER__UNPAID_FEE, on=lapsed_on)
    _save(req, actor=actor, verb="inforequest.fee_lapsed", before=before)
    return req


# --- reply (Art. 36) ----------------------------------------------------------------------------


def template_values(req: InfoRequest) -> dict[str, str]:
    """The values of the 告知书 template placeholders for one case."""
    from gongkai.org.models import Organisation

    org = Organisation.objects.order_by("id").values_list("name", flat=True).first() or ""
    return {
        "申请人": req.applicant_name,
        "案号": req.reference,
        "收到申请日期": cn_date(req.received_on),
        "申请内容": req.description,
        "机关名称": org,
    }


def _check_outcome(outcome: str) -> None:
    if outcome not in Outcome.values:
        raise _invalid("outcome", "请选择办理结果")
    if outcome in LAPSE_OUTCOMES:
        raise _invalid("outcome", "逾期不补正、逾期未缴费请使用相应的“视为放弃”操作")


@transaction.atomic
def inforequest_draft_reply(
    *,
    actor: Any,
    request: InfoRequest,
    outcome: str,
    notice_body: str = "",
    legal_basis: str | None = None,
    title: str | None = None,
) -> ReplyNotice:
    """Draft (or redraft) the 告知书; an empty body starts from the outcome's template."""
    req = _lock(request)
    _require(perms.can_handle(actor, req), "您无权办理该申请")
    if req.status not in CLOCK_STATUSES:
        raise _invalid(None, "该申请当前不能拟写答复")
    _check_outcome(outcome)
    template = selectors.reply_template_for(outcome)
    values = template_values(req)
    reply = ReplyNotice.objects.filter(request=req).first() or ReplyNotice(request=req)
    before = model_snapshot(reply) if reply.pk else None
    reply.outcome = outcome
    reply.title = (title or "").strip() or template.title
    reply.body = notice_body.strip() or fill(template.body, values)
    reply.legal_basis = template.legal_basis if legal_basis is None else legal_basis.strip()
    reply.drafted_by = actor
    reply.drafted_at = timezone.now()
    reply.full_clean()
    reply.save()
    record_event(
        actor=actor, verb="inforequest.draft_reply", obj=req, before=before, after=model_snapshot(reply)
    )
    return reply


@transaction.atomic
def inforequest_answer(
    *,
    actor: Any,
    request: InfoRequest,
    outcome: str,
    notice_body: str,
    issued_on: dt.date,
    legal_basis: str | None = None,
    title: str | None = None,
) -> ReplyNotice:
    """Issue the 告知书: the case is answered on ``issued_on`` (its year counts it in Table 三)."""
    _require(perms.can_answer(actor), "只有公开办工作人员可以签发答复告知书")
    req = _lock(request)
    if req.status == RequestStatus.PAUSED:
        raise _invalid(None, "征求意见或缴费尚未结束，请先结束暂停再答复")
    if req.status != RequestStatus.OPEN:
        raise _invalid(None, "该申请当前不能答复")
    _check_outcome(outcome)
    if not notice_body.strip():
        raise _invalid("notice_body", "请填写答复内容")
    _not_future("issued_on", issued_on, "答复日期")
    _not_before("issued_on", issued_on, _clock_start(req), "答复日期不能早于答复期限起算日")
    template = selectors.reply_template_for(outcome)
    before = _snapshot(req)
    reply = ReplyNotice.objects.filter(request=req).first() or ReplyNotice(request=req, drafted_by=actor)
    reply.outcome = outcome
    reply.title = (title or "").strip() or (reply.title if reply.pk else "") or template.title
    reply.body = notice_body.strip()
    if legal_basis is not None:
        reply.legal_basis = legal_basis.strip()
    elif not reply.pk or reply.outcome != outcome or not reply.legal_basis:
        reply.legal_basis = template.legal_basis
    reply.issued_on, reply.issued_by = issued_on, actor
    reply.full_clean()
    reply.save()
    due = req.due_on
    req.outcome, req.closed_on, req.status = outcome, issued_on, RequestStatus.ANSWERED
    late = due is not None and issued_on > due
    _save(req, actor=actor, verb="inforequest.answer", before=before, reply_id=reply.pk, late=late)
    _notify("inforequest.reply_issued", req, outcome=outcome, issued_on=issued_on)
    return reply


# --- templates, personal data, calendar changes --------------------------------------------------


@transaction.atomic
def reply_template_update(
    *, actor: Any, template: ReplyTemplate, title: str, body: str, legal_basis: str
) -> ReplyTemplate:
    _require(perms.can_intake(actor), "只有公开办工作人员可以修改告知书模板")
    unknown = unknown_placeholders(f"{title}{body}{legal_basis}")
    if unknown:
        known = "、".join("{" + k + "}" for k in ("申请人", "案号", "收到申请日期", "申请内容", "机关名称"))
        raise _invalid("body", f"无法识别的占位符：{'、'.join(unknown)}（可用：{known}）")
    if not title.strip() or not body.strip():
        raise _invalid("body", "标题和答复内容不能为空")
    row = ReplyTemplate.objects.select_for_update().get(pk=template.pk)
    before = model_snapshot(row)
    row.title, row.body, row.legal_basis = title.strip(), body.strip(), legal_basis.strip()
    row.updated_by, row.updated_at = actor, timezone.now()
    row.full_clean()
    row.save()
    record_event(
        actor=actor, verb="inforequest.template_update", obj=row, before=before, after=model_snapshot(row)
    )
    return row


@transaction.atomic
def inforequest_view_personal_data(*, actor: Any, request: InfoRequest, ip: str | None = None) -> None:
    """Record that ``actor`` was shown the applicant's unmasked personal data."""
    _require(perms.sees_personal_data(actor, request), "您无权查看申请人的个人信息")
    present = [f for f in PERSONAL_FIELDS if getattr(request, f)]
    record_event(
        actor=actor, verb="inforequest.view_personal_data", obj=request, after={"fields": present}, ip=ip
    )


@transaction.atomic
def inforequest_recompute_due(*, actor: Any, requests: Iterable[InfoRequest] | None = None) -> int:
    """Recompute the cached due dates (e.g. after a year's 放假安排 was entered); returns how many changed."""
    from gongkai.core.selectors import calendar_from_db

    cal = calendar_from_db()  # the cache may still hold the calendar from before the change
    qs = requests if requests is not None else InfoRequest.objects.filter(status__in=CLOCK_STATUSES)
    changed = 0
    for req in qs:
        old = req.due_on
        try:
            clock = selectors.clock_for(req, cal=cal)
            new = clock.due if clock is not None else None
        except CalendarUnknown:
            new = None
        if new != old:
            InfoRequest.objects.filter(pk=req.pk).update(due_on=new)
            record_event(
                actor=actor,
                verb="inforequest.recompute_due",
                obj=req,
                before={"due_on": old},
                after={"due_on": new},
            )
            changed += 1
    return changed
