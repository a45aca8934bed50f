"""信息处理费 (Art. 42, 国办函〔2020〕109号): notice, payment, waiver, lapse."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from gongkai.core.audit_verbs import AuditVerb
from gongkai.core.choices import Outcome
from gongkai.core.selectors import get_calendar
from gongkai.inforequests import clock as clock_mod
from gongkai.inforequests import selectors
from gongkai.inforequests.fees import FeeMethod, fee_amount
from gongkai.inforequests.models import (
    ClockPause,
    Fee,
    InfoRequest,
    PauseKindChoice,
    RequestStatus,
)
from gongkai.inforequests.services._common import (
    _allow,
    _clock_start,
    _close,
    _invalid,
    _lock,
    _not_before,
    _not_future,
    _notify,
    _resume_if_clear,
    _save,
    _snapshot,
)
from gongkai.inforequests.workflow import Action
from gongkai.workdays import CalendarUnknown


def _open_fee_pause(req: InfoRequest) -> ClockPause:
    pause = req.pauses.filter(kind=PauseKindChoice.FEE, ended_on__isnull=True).first()
    if pause is None:
        raise _invalid(None, "本申请没有待缴的信息处理费")
    return pause


@transaction.atomic
def fee_notify(*, actor: Any, request: InfoRequest, method: str, quantity: int, notified_on: dt.date) -> Fee:
    """Send a fee notice by one method; the wait for payment (≤ 20 working days) does not count."""
    req = _lock(request)
    _allow(Action.NOTIFY_FEE, actor, req)
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
        verb=AuditVerb.INFOREQUEST_FEE_NOTIFY,
        before=before,
        fee={"method": method, "quantity": quantity, "earlier_pieces": earlier, "amount_yuan": amount},
    )
    _notify("inforequest.fee_notice", req, amount_yuan=str(amount), notified_on=notified_on)
    return fee


def _end_fee(
    actor: Any, request: InfoRequest, on: dt.date, *, waived: bool, verb: AuditVerb, reason: str = ""
) -> Fee:
    req = _lock(request)
    _allow(Action.WAIVE_FEE if waived else Action.FEE_PAID, actor, req)
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
    return _end_fee(actor, request, paid_on, waived=False, verb=AuditVerb.INFOREQUEST_FEE_PAID)


@transaction.atomic
def fee_waive(*, actor: Any, request: InfoRequest, waived_on: dt.date, reason: str) -> Fee:
    if not reason.strip():
        raise _invalid("reason", "请写明减免理由")
    return _end_fee(
        actor, request, waived_on, waived=True, verb=AuditVerb.INFOREQUEST_FEE_WAIVE, reason=reason.strip()
    )


@transaction.atomic
def fee_lapsed(*, actor: Any, request: InfoRequest, lapsed_on: dt.date) -> InfoRequest:
    """Unpaid after the payment period: 视为放弃申请 (Table 三 （六）2)."""
    req = _lock(request)
    _allow(Action.FEE_LAPSE, actor, req, lapsed_on)
    _not_future("lapsed_on", lapsed_on, "终止日期")
    before = _snapshot(req)
    _close(req, outcome=Outcome.OTHER_UNPAID_FEE, on=lapsed_on)
    _save(req, actor=actor, verb=AuditVerb.INFOREQUEST_FEE_LAPSED, before=before)
    _notify("inforequest.closed", req, outcome=req.outcome, closed_on=lapsed_on)
    return req
