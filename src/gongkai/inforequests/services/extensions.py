"""延长答复期限 (Art. 33 ¶2): one extension of ≤ 20 working days, approved by the office head."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction

from gongkai.core.audit_verbs import AuditVerb
from gongkai.core.selectors import get_calendar
from gongkai.core.services import record_event
from gongkai.inforequests import clock as clock_mod
from gongkai.inforequests import selectors
from gongkai.inforequests.models import (
    Extension,
    ExtensionStatus,
    InfoRequest,
)
from gongkai.inforequests.services._common import (
    _allow,
    _clock_start,
    _invalid,
    _lock,
    _not_before,
    _not_future,
    _notify,
    _save,
    _snapshot,
)
from gongkai.inforequests.workflow import Action


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


@transaction.atomic
def extension_request(*, actor: Any, request: InfoRequest, workdays: int, reason: str) -> Extension:
    """Ask the office head for an extension (shown to them as 待批准延期)."""
    req = _lock(request)
    _allow(Action.REQUEST_EXTENSION, actor, req)
    _check_workdays(workdays)
    if not reason.strip():
        raise _invalid("reason", "请写明需要延长答复期限的理由")
    ext = Extension.objects.create(request=req, workdays=workdays, reason=reason.strip(), requested_by=actor)
    record_event(
        actor=actor,
        verb=AuditVerb.INFOREQUEST_EXTENSION_REQUEST,
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
    req = _lock(request)
    _allow(Action.APPROVE_EXTENSION, actor, req, approved_on)
    _check_workdays(workdays)
    _not_future("approved_on", approved_on, "批准日期")
    _not_future("notified_on", notified_on, "告知日期")
    base_due = _base_due(req)
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
        verb=AuditVerb.INFOREQUEST_EXTENSION_APPROVE,
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
    ext = Extension.objects.select_for_update().select_related("request").get(pk=extension.pk)
    _allow(Action.REFUSE_EXTENSION, actor, ext.request)
    if ext.status != ExtensionStatus.PENDING:
        raise _invalid(None, "该延期申请已经审批")
    ext.status = ExtensionStatus.REFUSED
    ext.decision_note = note.strip()
    ext.save(update_fields=["status", "decision_note"])
    record_event(
        actor=actor,
        verb=AuditVerb.INFOREQUEST_EXTENSION_REFUSE,
        obj=ext.request,
        after={"extension_id": ext.pk, "note": note.strip()},
    )
    return ext
