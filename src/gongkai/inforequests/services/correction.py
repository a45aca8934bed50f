"""补正 (Art. 30): one notice within 7 working days; the reply clock restarts on receipt."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from gongkai.core.audit_verbs import AuditVerb
from gongkai.core.choices import Outcome
from gongkai.inforequests.models import (
    ClockPause,
    InfoRequest,
    PauseKindChoice,
    RequestStatus,
)
from gongkai.inforequests.services._common import (
    _allow,
    _close,
    _correction,
    _invalid,
    _lock,
    _not_before,
    _not_future,
    _notify,
    _save,
    _snapshot,
)
from gongkai.inforequests.workflow import Action


@transaction.atomic
def inforequest_request_correction(
    *, actor: Any, request: InfoRequest, notified_on: dt.date, items: str, respond_by: dt.date
) -> ClockPause:
    """One 补正 notice listing everything needed, within 7 working days of receipt (Art. 30)."""
    req = _lock(request)
    _allow(Action.REQUEST_CORRECTION, actor, req, notified_on)
    if not items.strip():
        raise _invalid("items", "请写明需要补正的事项")
    assert req.received_on is not None
    _not_future("notified_on", notified_on, "补正通知日期")
    _not_before("notified_on", notified_on, req.received_on, "补正通知日期不能早于收到申请之日")
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
        verb=AuditVerb.INFOREQUEST_REQUEST_CORRECTION,
        before=before,
        correction={"notified_on": notified_on, "respond_by": respond_by, "items": items.strip()},
    )
    _notify("inforequest.correction_notice", req, notified_on=notified_on, respond_by=respond_by)
    return pause


@transaction.atomic
def inforequest_receive_correction(*, actor: Any, request: InfoRequest, received_on: dt.date) -> InfoRequest:
    """The corrected application arrived: the 20-working-day reply clock restarts from this day."""
    req = _lock(request)
    _allow(Action.RECEIVE_CORRECTION, actor, req)
    pause = _correction(req)
    assert pause is not None
    _not_future("received_on", received_on, "收到补正日期")
    _not_before("received_on", received_on, pause.started_on, "收到补正的日期不能早于补正通知日期")
    before = _snapshot(req)
    end_correction(req, pause, received_on)
    _save(req, actor=actor, verb=AuditVerb.INFOREQUEST_RECEIVE_CORRECTION, before=before)
    return req


def end_correction(req: InfoRequest, pause: ClockPause, received_on: dt.date) -> None:
    """Art. 30: the 补正 wait ends and the 20-working-day reply clock starts again from the day the
    corrected application was received (``_save`` then caches the new due date). Shared by the staff's
    record of a 补正 that arrived and the applicant's own online 补正."""
    pause.ended_on = received_on
    pause.save(update_fields=["ended_on"])
    req.corrected_on = received_on
    req.status = RequestStatus.OPEN


@transaction.atomic
def inforequest_correction_lapsed(*, actor: Any, request: InfoRequest, lapsed_on: dt.date) -> InfoRequest:
    """No 补正 by the deadline: 视为放弃申请 (Table 三 （六）1)."""
    req = _lock(request)
    _allow(Action.CORRECTION_LAPSE, actor, req, lapsed_on)
    _not_future("lapsed_on", lapsed_on, "终止日期")
    before = _snapshot(req)
    _close(req, outcome=Outcome.OTHER_NO_CORRECTION, on=lapsed_on)
    _save(req, actor=actor, verb=AuditVerb.INFOREQUEST_CORRECTION_LAPSED, before=before)
    return req
