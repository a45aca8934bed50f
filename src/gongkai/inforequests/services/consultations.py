"""Third-party and other-organ consultations (Arts. 32–34): time not counted, at most 15 working days."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from gongkai.core.audit_verbs import AuditVerb
from gongkai.core.selectors import get_calendar
from gongkai.inforequests import clock as clock_mod
from gongkai.inforequests.models import (
    ClockPause,
    InfoRequest,
    PauseKindChoice,
    RequestStatus,
)
from gongkai.inforequests.services._common import (
    CONSULTATION_KINDS,
    _allow,
    _clock_start,
    _invalid,
    _lock,
    _not_before,
    _not_future,
    _resume_if_clear,
    _save,
    _snapshot,
)
from gongkai.inforequests.workflow import Action
from gongkai.workdays import CalendarUnknown


@transaction.atomic
def inforequest_pause_start(
    *, actor: Any, request: InfoRequest, kind: str, started_on: dt.date, note: str = ""
) -> ClockPause:
    """A consultation letter went out; its time (up to 15 working days) does not count (Art. 33 ¶3)."""
    req = _lock(request)
    _allow(Action.CONSULT, actor, req)
    if kind not in CONSULTATION_KINDS:
        raise _invalid("kind", "只能为征求第三方意见或征求其他机关意见暂停计时")
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
        verb=AuditVerb.INFOREQUEST_PAUSE_START,
        before=before,
        pause={"id": pause.pk, "kind": kind, "started_on": started_on, "note": note.strip()},
    )
    return pause


@transaction.atomic
def inforequest_pause_end(*, actor: Any, pause: ClockPause, ended_on: dt.date) -> ClockPause:
    """The opinion arrived. Past the 15 working days the extra time counts (the clock says so)."""
    req = _lock(pause.request)
    pause = ClockPause.objects.select_for_update().get(pk=pause.pk)
    _allow(Action.END_CONSULTATION, actor, req)
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
        verb=AuditVerb.INFOREQUEST_PAUSE_END,
        before=before,
        pause={"id": pause.pk, "kind": pause.kind, "ended_on": ended_on, "over_15_workdays": overrun},
    )
    return pause
