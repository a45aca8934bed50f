"""Writes of the appeals app: register a review or lawsuit, record its result."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.appeals.models import Appeal
from gongkai.core.audit_verbs import AuditVerb
from gongkai.core.choices import AppealKind, AppealResult
from gongkai.core.services import enqueue_message, model_snapshot, record_event
from gongkai.org.access import Permission, require


def _require_office(actor: Any) -> None:
    require(actor, Permission.APPEAL_RECORD, "只有公开办工作人员可以登记行政复议、行政诉讼")


def _not_future(field: str, value: dt.date, label: str) -> None:
    if value > timezone.localdate():
        raise ValidationError({field: [f"{label}（{value:%Y-%m-%d}）不能晚于今天"]})


@transaction.atomic
def appeal_register(
    *,
    actor: Any,
    kind: str,
    appellant: str,
    filed_on: dt.date,
    request: Any = None,
    case_number: str = "",
    authority: str = "",
    note: str = "",
) -> Appeal:
    _require_office(actor)
    if kind not in AppealKind.values:
        raise ValidationError({"kind": ["请选择行政复议或行政诉讼的类型"]})
    _not_future("filed_on", filed_on, "申请或立案日期")
    if request is not None and request.received_on is not None and filed_on < request.received_on:
        raise ValidationError({"filed_on": ["申请或立案日期不能早于关联申请的收到申请之日"]})
    appeal = Appeal(
        kind=kind,
        request=request,
        appellant=appellant.strip(),
        case_number=case_number.strip(),
        authority=authority.strip(),
        filed_on=filed_on,
        note=note.strip(),
        created_by=actor,
    )
    appeal.full_clean()
    appeal.save()
    record_event(actor=actor, verb=AuditVerb.APPEAL_REGISTER, obj=appeal, after=model_snapshot(appeal))
    enqueue_message(kind="appeal.registered", payload={"appeal_id": appeal.pk, "kind": kind})
    return appeal


@transaction.atomic
def appeal_decide(*, actor: Any, appeal: Appeal, result: str, decided_on: dt.date, note: str = "") -> Appeal:
    """Record the 复议决定 or judgment: 维持 / 纠正 / 其他; the year of ``decided_on`` matters for Table 四."""
    _require_office(actor)
    row = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if row.result != AppealResult.PENDING:
        raise ValidationError("该案件已经审结")
    if result not in AppealResult.values or result == AppealResult.PENDING:
        raise ValidationError({"result": ["请选择结果维持、结果纠正或其他结果"]})
    _not_future("decided_on", decided_on, "审结日期")
    if decided_on < row.filed_on:
        raise ValidationError({"decided_on": ["审结日期不能早于申请或立案日期"]})
    before = model_snapshot(row)
    row.result, row.decided_on = result, decided_on
    if note.strip():
        row.note = f"{row.note}\n{note.strip()}".strip()
    row.full_clean()
    row.save()
    record_event(actor=actor, verb=AuditVerb.APPEAL_DECIDE, obj=row, before=before, after=model_snapshot(row))
    return row
