"""Reads of the delivery app: the dead-letter list and what waits, the post queue, messages, 送达 records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from gongkai.core.models import OutboxMessage
from gongkai.delivery.models import PostalItem, ServiceRecord, StaffNotice
from gongkai.engagement.models import Letter
from gongkai.inforequests.masking import mask_address, mask_email, mask_phone
from gongkai.inforequests.models import InfoRequest

__all__ = [
    "KIND_LABELS",
    "MessageRow",
    "case_service_records",
    "dead_letters",
    "describe",
    "notices_for",
    "postal_pending",
    "postal_sent",
    "retrying",
    "waiting",
]

KIND_LABELS = {
    "inforequest.submitted": "提交回执",
    "inforequest.received": "受理回执",
    "inforequest.correction_notice": "补正告知书",
    "inforequest.extension_notice": "延期告知书",
    "inforequest.fee_notice": "收费通知书",
    "inforequest.reply_issued": "答复告知书",
    "inforequest.closed": "终止处理告知书",
    "letter.replied": "来信答复",
    "delivery.email": "电子邮件",
    "delivery.sms": "手机短信",
    "delivery.post": "邮寄",
}


def _pending() -> QuerySet[OutboxMessage]:
    return OutboxMessage.objects.filter(sent_at__isnull=True)


def dead_letters() -> QuerySet[OutboxMessage]:
    """Messages that failed for the last time (or could not be delivered at all), newest first."""
    return _pending().filter(dead_at__isnull=False).order_by("-dead_at", "-id")


def retrying() -> QuerySet[OutboxMessage]:
    """Messages that failed and wait for their next attempt."""
    return _pending().filter(dead_at__isnull=True, attempts__gt=0).order_by("next_attempt_at", "id")


def waiting(kinds: list[str]) -> QuerySet[OutboxMessage]:
    return _pending().filter(dead_at__isnull=True, kind__in=kinds).order_by("id")


@dataclass(frozen=True)
class MessageRow:
    message: OutboxMessage
    channel: str
    notice: str
    about: str  # the case or letter reference, or the staff member
    url: str
    recipient: str  # masked


def _recipient(channel: str, req: InfoRequest) -> str:
    if channel == "delivery.email":
        return mask_email(req.applicant_email) or "（未留邮箱）"
    if channel == "delivery.sms":
        return mask_phone(req.applicant_phone) or "（未留手机）"
    return mask_address(req.applicant_address) or "（未留地址）"


def describe(message: OutboxMessage) -> MessageRow:
    """A message as the dead-letter page shows it, personal data masked."""
    p: dict[str, Any] = message.payload if isinstance(message.payload, dict) else {}
    channel = KIND_LABELS.get(message.kind, "事件") if message.kind.startswith("delivery.") else "事件"
    notice = KIND_LABELS.get(p.get("notice", message.kind), p.get("notice") or message.kind)
    if p.get("audience") == "staff":
        notice = "工作消息"
        staff = StaffNotice.objects.select_related("user").filter(pk=p.get("notice_id")).first()
        if staff is not None:
            who = staff.user.get_full_name() or staff.user.get_username()
            return MessageRow(message, channel, staff.title, who, staff.url, mask_email(staff.user.email))
    if p.get("letter_id"):
        letter = Letter.objects.filter(pk=p["letter_id"]).first()
        if letter is not None:
            url = reverse("engagement:detail", args=[letter.pk])
            return MessageRow(message, channel, notice, letter.reference, url, mask_email(letter.email))
    req = InfoRequest.objects.filter(pk=p.get("request_id")).first() if p.get("request_id") else None
    if req is not None:
        url = reverse("inforequests:detail", args=[req.pk])
        return MessageRow(message, channel, notice, req.reference, url, _recipient(message.kind, req))
    return MessageRow(message, channel, notice, "—", "", "—")


def notices_for(user: Any) -> QuerySet[StaffNotice]:
    return StaffNotice.objects.filter(user=user).order_by("-created_at", "-id")


def postal_pending() -> QuerySet[PostalItem]:
    return (
        PostalItem.objects.filter(sent_on__isnull=True).select_related("request").order_by("created_at", "id")
    )


def postal_sent(limit: int = 20) -> list[PostalItem]:
    return list(
        PostalItem.objects.filter(sent_on__isnull=False)
        .select_related("request", "sent_by")
        .order_by("-sent_on", "-id")[:limit]
    )


def case_service_records(req: InfoRequest) -> QuerySet[ServiceRecord]:
    return ServiceRecord.objects.filter(request=req).order_by("delivered_at", "id")
