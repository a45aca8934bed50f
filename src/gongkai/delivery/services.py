"""Every write of the delivery app: 送达 records, the post queue, a retried message. Audit rows go with each."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core.audit_verbs import AuditVerb
from gongkai.core.models import OutboxMessage
from gongkai.core.services import outbox_requeue, record_event
from gongkai.delivery.models import PostalItem, ServiceChannel, ServiceRecord
from gongkai.inforequests.masking import mask_address
from gongkai.org.access import Permission, require

__all__ = ["message_retry", "postal_letter_viewed", "postal_mark_sent", "postal_queue", "record_delivery"]


def _today() -> dt.date:
    return timezone.localdate()


@transaction.atomic
def record_delivery(
    *,
    actor: Any,
    key: str,
    notice: str,
    notice_title: str,
    channel: ServiceChannel,
    recipient: str,
    request: Any = None,
    letter: Any = None,
    message: OutboxMessage | None = None,
    detail: str = "",
    delivered_at: dt.datetime | None = None,
) -> ServiceRecord:
    """Record that a notice reached its recipient (once per key: a repeat returns the first record).

    ``recipient`` is already masked: the record and its audit row are read by more people than the case.
    """
    existing = ServiceRecord.objects.filter(key=key).first()
    if existing is not None:
        return existing
    record = ServiceRecord.objects.create(
        key=key,
        request=request,
        letter=letter,
        notice=notice,
        notice_title=notice_title[:100],
        channel=channel,
        recipient=recipient[:200],
        delivered_at=delivered_at or timezone.now(),
        detail=detail[:300],
        message=message,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    after = {
        "notice": notice_title,
        "channel": str(ServiceChannel(channel).label),
        "recipient": record.recipient,
        "delivered_at": record.delivered_at,
        "service_record_id": record.pk,
    }
    record_event(actor=actor, verb=AuditVerb.DELIVERY_SERVED, obj=request or letter, after=after)
    return record


@transaction.atomic
def postal_queue(
    *, actor: Any, key: str, request: Any, notice: str, notice_title: str, event: dict[str, Any], message: Any
) -> PostalItem:
    """Put a notice on the clerk's list of letters to print and post (once per key)."""
    item, created = PostalItem.objects.get_or_create(
        key=key,
        defaults={
            "request": request,
            "notice": notice,
            "notice_title": notice_title[:100],
            "event": event,
            "message": message,
        },
    )
    if created:
        record_event(
            actor=actor,
            verb=AuditVerb.DELIVERY_POST_QUEUED,
            obj=request,
            after={"notice": notice_title, "postal_item_id": item.pk},
        )
    return item


@transaction.atomic
def postal_mark_sent(
    *, actor: Any, item: PostalItem, sent_on: dt.date, tracking_number: str = ""
) -> PostalItem:
    """The clerk posted the letter: the 送达 record is written with the day it was sent."""
    require(actor, Permission.DELIVERY_MANAGE, "只有公开办可以登记信件寄出")
    locked = PostalItem.objects.select_for_update().get(pk=item.pk)
    if locked.sent_on is not None:
        raise ValidationError(f"该信件已于 {locked.sent_on:%Y-%m-%d} 登记寄出")
    if sent_on > _today():
        raise ValidationError({"sent_on": [f"寄出日期（{sent_on:%Y-%m-%d}）不能晚于今天"]})
    if sent_on < timezone.localdate(locked.created_at):
        raise ValidationError({"sent_on": ["寄出日期不能早于信件加入待寄列表的日期"]})
    locked.sent_on, locked.sent_by = sent_on, actor
    locked.tracking_number = tracking_number.strip()
    locked.save(update_fields=["sent_on", "sent_by", "tracking_number"])
    record_event(
        actor=actor,
        verb=AuditVerb.DELIVERY_POSTED,
        obj=locked.request,
        after={"postal_item_id": locked.pk, "sent_on": sent_on, "tracking_number": locked.tracking_number},
    )
    when = timezone.make_aware(dt.datetime.combine(sent_on, dt.time(12, 0)))
    detail = f"挂号/快递单号 {locked.tracking_number}" if locked.tracking_number else "未登记单号"
    record_delivery(
        actor=actor,
        key=locked.key,
        notice=locked.notice,
        notice_title=locked.notice_title,
        channel=ServiceChannel.POST,
        recipient=mask_address(locked.request.applicant_address) if locked.request else "",
        request=locked.request,
        message=locked.message,
        detail=f"{sent_on:%Y-%m-%d} 寄出，{detail}",
        delivered_at=when,
    )
    return locked


def postal_letter_viewed(*, actor: Any, item: PostalItem, ip: str | None = None) -> None:
    """The printable letter shows the applicant's full name and address: every opening is logged."""
    require(actor, Permission.DELIVERY_MANAGE, "只有公开办可以打印邮寄信件")
    record_event(
        actor=actor,
        verb=AuditVerb.DELIVERY_LETTER_VIEW,
        obj=item.request,
        after={"postal_item_id": item.pk, "notice": item.notice_title},
        ip=ip,
    )


@transaction.atomic
def message_retry(*, actor: Any, message: OutboxMessage) -> OutboxMessage:
    """Send a dead-lettered (or failing) message again: fresh attempts, due at the next tick."""
    require(actor, Permission.DELIVERY_MANAGE, "只有公开办可以重新发送消息")
    before = {"attempts": message.attempts, "dead_at": message.dead_at, "last_error": message.last_error}
    requeued = outbox_requeue(message)
    record_event(
        actor=actor,
        verb=AuditVerb.DELIVERY_RETRY,
        obj=requeued,
        before=before,
        after={"attempts": 0, "dead_at": None, "kind": requeued.kind, "key": requeued.idempotency_key},
    )
    return requeued
