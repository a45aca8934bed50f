"""Stage one of delivery: an event from a service becomes concrete deliveries.

Each recipient and channel gets its own outbox message with a deterministic idempotency key (an
applicant's notice: ``inforequest:{id}:{event}:applicant:{channel}``; a staff member's:
``{event key}:staff:{user id}:email``) and each staff member an in-app notice with the same kind of
key, so expanding an event twice — after a crash, or by two ticks — queues nothing new.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from gongkai.core.models import OutboxMessage
from gongkai.core.services import enqueue_message
from gongkai.delivery.compose import APPLICANT_NOTICES
from gongkai.delivery.models import StaffNotice
from gongkai.delivery.staff import STAFF_NOTICES, StaffPlan, staff_plan
from gongkai.engagement.models import Letter
from gongkai.inforequests.models import InfoRequest

__all__ = ["EVENT_KINDS", "applicant_key", "expand_event"]

LETTER_KINDS = ("letter.replied",)
EVENT_KINDS: tuple[str, ...] = (*APPLICANT_NOTICES, *STAFF_NOTICES, *LETTER_KINDS)


def applicant_key(request_id: int, kind: str, channel: str) -> str:
    return f"inforequest:{request_id}:{kind.partition('.')[2]}:applicant:{channel}"


def _applicant(kind: str, payload: Mapping[str, Any]) -> tuple[int, str]:
    """(deliveries queued, why none) for a notice to the applicant of a case."""
    req = InfoRequest.objects.filter(pk=payload.get("request_id")).first()
    if req is None:
        return 0, "申请已不存在"
    if not req.notify_by:
        return 0, "申请人未选择送达方式，不通过系统送达"
    enqueue_message(
        kind=f"delivery.{req.notify_by}",
        key=applicant_key(req.pk, kind, req.notify_by),
        payload={"audience": "applicant", "notice": kind, "request_id": req.pk, "event": dict(payload)},
    )
    return 1, ""


def _letter_writer(kind: str, payload: Mapping[str, Any]) -> tuple[int, str]:
    letter = Letter.objects.filter(pk=payload.get("letter_id")).first()
    if letter is None:
        return 0, "来信已不存在"
    if not letter.email:
        return 0, "来信人未留电子邮箱"
    enqueue_message(
        kind="delivery.email",
        key=f"letter:{letter.pk}:{kind.partition('.')[2]}:writer:email",
        payload={"audience": "letter_writer", "notice": kind, "letter_id": letter.pk, "event": dict(payload)},
    )
    return 1, ""


def _staff(event_key: str, plan: StaffPlan) -> tuple[int, int]:
    """(in-app notices, e-mails) for the staff of one plan."""
    notices = emails = 0
    for user in plan.users:
        key = f"{event_key}:staff:{user.pk}"
        notice, created = StaffNotice.objects.get_or_create(
            key=key,
            defaults={
                "user": user,
                "title": plan.title[:200],
                "body": plan.body,
                "url": plan.url,
                "tone": plan.tone,
            },
        )
        notices += created
        if user.email:
            enqueue_message(
                kind="delivery.email",
                key=f"{key}:email",
                payload={"audience": "staff", "notice_id": notice.pk, "user_id": user.pk},
            )
            emails += 1
    return notices, emails


def expand_event(message: OutboxMessage) -> str:
    """Queue the deliveries of one event, in one transaction; returns what was done, in Chinese."""
    kind, payload = message.kind, message.payload
    parts = []
    with transaction.atomic():
        if kind in APPLICANT_NOTICES:
            n, why = _applicant(kind, payload)
            parts.append(f"申请人通知 {n} 条" if n else why)
        if kind in LETTER_KINDS:
            n, why = _letter_writer(kind, payload)
            parts.append(f"来信人通知 {n} 条" if n else why)
        if kind in STAFF_NOTICES:
            plan = staff_plan(kind, payload)
            if plan is None:
                parts.append("相关记录已不存在或已办结，无需通知")
            else:
                notices, emails = _staff(message.idempotency_key, plan)
                parts.append(f"工作消息 {len(plan.users)} 人（新增 {notices} 条，邮件 {emails} 封）")
    return "；".join(parts)
