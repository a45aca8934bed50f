"""Intake (Art. 31 received dates), confirmation and assignment."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from gongkai.core.audit_verbs import AuditVerb
from gongkai.core.choices import RequestChannel
from gongkai.inforequests.models import (
    InfoRequest,
    RequestStatus,
)
from gongkai.inforequests.notify import contact_problem
from gongkai.inforequests.receipt import CONFIRMED_CHANNELS, ReceiptDateError, received_on_for
from gongkai.inforequests.services._common import (
    _allow,
    _invalid,
    _lock,
    _not_before,
    _not_future,
    _notify,
    _require,
    _save,
    _snapshot,
)
from gongkai.inforequests.workflow import Action
from gongkai.org.access import Permission, can
from gongkai.org.models import Department, StaffProfile


def _reference_prefix() -> str:
    from gongkai.org.selectors import organisation_name

    name = organisation_name()
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
    if not can(handler, Permission.REQUEST_HANDLE):
        name = handler.get_full_name() or handler.username
        raise _invalid("handler", f"{name}的角色不能办理政府信息公开申请，不能作为承办人")
    profile = StaffProfile.objects.filter(user=handler).select_related("department").first()
    handler_dept = profile.department if profile else None
    if department is None:
        return handler_dept
    if handler_dept is not None and handler_dept.pk != department.pk:
        raise _invalid("handler", f"承办人不属于{department.name}")
    return department


def _check_notify_by(notify_by: str, *, email: str, phone: str, address: str) -> None:
    # The way the applicant chose must have the contact it needs, or the notices could not go out.
    problem = contact_problem(notify_by, email=email, phone=phone, address=address)
    if problem is not None:
        field, message = problem
        raise _invalid(field if field == "notify_by" else f"applicant_{field}", message)


def _notify_received(req: InfoRequest) -> None:
    # The applicant's receipt (回执): the case's reference is the tracking number they quote.
    if req.received_on is not None:
        _notify("inforequest.received", req, received_on=req.received_on, due_on=req.due_on)
    else:
        # Online, by ordinary letter or fax: the clock starts only when the office confirms (Art. 31), but
        # the applicant is told at once that the application arrived and how to follow it.
        _notify("inforequest.submitted", req, submitted_on=req.submitted_on)


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
    notify_by: str = "",
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
    if not can(actor, Permission.REQUEST_OFFICE):
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
    _check_notify_by(notify_by, email=applicant_email, phone=applicant_phone, address=applicant_address)
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
        notify_by=notify_by,
        description=description.strip(),
        form_of_provision=form_of_provision,
        pieces=pieces,
        department=department,
        handler=handler,
        status=RequestStatus.OPEN if received is not None else RequestStatus.AWAITING_CONFIRMATION,
        portal_secret_hash=portal_secret_hash,
        created_by=actor if can(actor, Permission.REQUEST_OFFICE) else None,
    )
    _save(req, actor=actor, verb=AuditVerb.INFOREQUEST_REGISTER, before=None)
    _notify_received(req)
    if handler is not None or department is not None:
        _notify("inforequest.assigned", req, department_id=req.department_id, handler_id=req.handler_id)
    return req


@transaction.atomic
def inforequest_confirm(*, actor: Any, request: InfoRequest, confirmed_on: dt.date) -> InfoRequest:
    """Art. 31: the day the office and the applicant confirmed receipt becomes 收到申请之日."""
    req = _lock(request)
    _allow(Action.CONFIRM, actor, req, confirmed_on)
    if req.channel not in CONFIRMED_CHANNELS:
        raise _invalid(None, "只有平常信函、网上和传真申请需要确认收到")
    _not_future("confirmed_on", confirmed_on, "确认日期")
    _not_before("confirmed_on", confirmed_on, req.submitted_on, "确认之日不能早于申请人提交之日")
    before = _snapshot(req)
    req.received_on = confirmed_on
    req.status = RequestStatus.OPEN
    _save(req, actor=actor, verb=AuditVerb.INFOREQUEST_CONFIRM, before=before)
    _notify_received(req)
    return req


@transaction.atomic
def inforequest_assign(
    *, actor: Any, request: InfoRequest, department: Department | None, handler: Any = None
) -> InfoRequest:
    req = _lock(request)
    _allow(Action.ASSIGN, actor, req)
    if (
        department is not None
        and not can(actor, Permission.REQUEST_OFFICE)
        and department.pk != req.department_id
    ):
        raise PermissionDenied("您无权分派该申请")  # a department head assigns within their department
    if department is None and handler is None:
        raise _invalid("department", "请选择承办科室或承办人")
    department = _check_handler(department, handler)
    before = _snapshot(req)
    req.department, req.handler = department, handler
    _save(req, actor=actor, verb=AuditVerb.INFOREQUEST_ASSIGN, before=before)
    _notify("inforequest.assigned", req, department_id=req.department_id, handler_id=req.handler_id)
    return req
