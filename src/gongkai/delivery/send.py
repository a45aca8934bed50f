"""Stage two of delivery: one outbox message, one recipient, one channel.

The text is composed from the record at send time and the 送达 record is written once the channel
accepted the message. A message whose record no longer exists finishes quietly; one that cannot be
delivered (no address) is dead-lettered at once with the reason, for the clerk to fix and retry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone

from gongkai.core.models import OutboxMessage
from gongkai.core.services import PermanentFailure
from gongkai.delivery import channels, config, services
from gongkai.delivery.attachments import answer_attachments
from gongkai.delivery.compose import applicant_notice, letter_reply_notice, subject_line
from gongkai.delivery.models import ServiceChannel, StaffNotice
from gongkai.engagement.models import Letter
from gongkai.inforequests.masking import mask_email, mask_phone
from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.notify import is_mobile
from gongkai.org.selectors import organisation_name

__all__ = ["HANDLERS", "ChannelHandler"]


@dataclass
class Target:
    """A composed message and where it goes; ``record`` says whether its delivery is a 送达."""

    address: str
    subject: str
    body: str
    sms: str = ""
    notice: str = ""
    title: str = ""
    request: InfoRequest | None = None
    letter: Letter | None = None
    record: bool = True
    attachments: Callable[[], list[channels.Attachment]] = field(default=lambda: [])
    phone: str = ""  # where an SMS goes when no case names it (a verification code)


def _staff_text(notice: StaffNotice) -> str:
    site = getattr(settings, "GONGKAI_SITE_URL", "")
    link = f"\n\n查看：{site}{notice.url}" if site and notice.url else "\n\n请登录政务公开工作台查看。"
    return f"{notice.body}{link}".strip()


def _target(payload: dict[str, Any], org: str) -> Target | None:
    """The message for one delivery, composed now; None when its record is gone."""
    audience = payload.get("audience")
    if audience == "applicant":
        req = InfoRequest.objects.filter(pk=payload.get("request_id")).first()
        if req is None:
            return None
        kind = payload["notice"]
        n = applicant_notice(kind, req, payload.get("event") or {})
        attachments = (lambda: answer_attachments(req)) if n.attach_answer else (lambda: [])
        subject = subject_line(org, n.title, req.reference)
        return Target(
            req.applicant_email, subject, n.body, n.sms, kind, n.title, req, None, True, attachments
        )
    if audience == "letter_writer":
        letter = Letter.objects.filter(pk=payload.get("letter_id")).first()
        if letter is None:
            return None
        n = letter_reply_notice(letter, org)
        subject = subject_line(org, n.title, letter.reference)
        return Target(letter.email, subject, n.body, n.sms, payload["notice"], n.title, letter=letter)
    if audience == "direct_sms":
        # A message composed by its sender (a verification code to a resident): no record, no 送达.
        return Target(
            "", "", "", sms=str(payload.get("text", "")), record=False, phone=str(payload.get("phone", ""))
        )
    if audience == "staff":
        notice = StaffNotice.objects.select_related("user").filter(pk=payload.get("notice_id")).first()
        if notice is None:
            return None
        subject = subject_line(org, notice.title, "")
        return Target(notice.user.email, subject, _staff_text(notice), record=False)
    raise PermanentFailure(f"无法识别的收件对象：{audience}")


def _record(
    message: OutboxMessage, target: Target, channel: ServiceChannel, recipient: str, detail: str
) -> None:
    if not target.record:
        return
    services.record_delivery(
        actor=None,
        key=message.idempotency_key,
        notice=target.notice,
        notice_title=target.title,
        channel=channel,
        recipient=recipient,
        request=target.request,
        letter=target.letter,
        message=message,
        detail=detail,
    )


def deliver_email(message: OutboxMessage) -> str:
    target = _target(message.payload, organisation_name())
    if target is None:
        return "相关记录已不存在，未发送"
    if not target.address:
        raise PermanentFailure("收件人未留电子邮箱，无法以电子邮件送达：请补充邮箱后重新发送")
    mail = channels.Email(
        target.address, target.subject, target.body, organisation_name(), target.attachments()
    )
    smtp = config.email_config()
    shown = mask_email(target.address)
    if smtp is None:
        path = channels.write_eml(
            mail, key=message.idempotency_key, created_at=timezone.localtime(message.created_at)
        )
        _record(message, target, ServiceChannel.EMAIL_FILE, shown, f"未配置邮件服务器，已存为 {path.name}")
        return f"未配置 GONGKAI_EMAIL_URL，邮件已存为文件 {path}"
    via = channels.send_email(mail, key=message.idempotency_key, config=smtp)
    _record(message, target, ServiceChannel.EMAIL, shown, f"经 {via} 发出")
    return f"已发往 {shown}（{via}）"


def deliver_sms(message: OutboxMessage) -> str:
    target = _target(message.payload, organisation_name())
    if target is None:
        return "相关记录已不存在，未发送"
    phone = target.request.applicant_phone if target.request is not None else target.phone
    if not is_mobile(phone):
        who = "申请人未留手机号码" if target.request is not None else "短信没有有效的手机号码"
        raise PermanentFailure(f"{who}，无法以短信送达：请补充手机号码后重新发送")
    gateway = config.sms_config()
    if gateway is None:  # the handler is only called when configured; a race with the environment
        raise ConnectionError("短信网关未配置")
    mobile = "".join(ch for ch in phone if ch.isdigit())[-11:]
    org = organisation_name()
    text = f"【{org}】{target.sms}" if org else target.sms
    via = channels.send_sms(to=mobile, text=text, key=message.idempotency_key, config=gateway)
    _record(message, target, ServiceChannel.SMS, mask_phone(mobile), via)
    return f"短信已发往 {mask_phone(mobile)}（{via}）"


def deliver_post(message: OutboxMessage) -> str:
    target = _target(message.payload, organisation_name())
    if target is None or target.request is None:
        return "相关记录已不存在，未加入待寄信件"
    if not target.request.applicant_address.strip():
        raise PermanentFailure("申请人未留通信地址，无法邮寄送达：请补充地址后重新发送")
    services.postal_queue(
        actor=None,
        key=message.idempotency_key,
        request=target.request,
        notice=target.notice,
        notice_title=target.title,
        event=message.payload.get("event") or {},
        message=message,
    )
    return "已加入待寄信件，请公开办打印后寄出"


def _email_unavailable() -> str | None:
    try:
        config.email_config()
    except config.ConfigError as exc:
        return str(exc)
    return None


def _sms_unavailable() -> str | None:
    try:
        gateway = config.sms_config()
    except config.ConfigError as exc:
        return str(exc)
    if gateway is None:
        return "未配置短信网关（请设置 GONGKAI_SMS_URL 和 GONGKAI_SMS_KEY），短信保留待发"
    return None


class ChannelHandler:
    """An outbox handler (``core.services.drain_outbox``) that gets the whole message, with a label for
    ``gongkai tick``'s report and, optionally, a reason why it cannot deliver yet."""

    takes_message = True

    def __init__(
        self,
        label: str,
        deliver: Callable[[OutboxMessage], str],
        unavailable: Callable[[], str | None] | None = None,
    ) -> None:
        self.label = label
        self._deliver = deliver
        self._unavailable = unavailable

    def __call__(self, message: OutboxMessage) -> str:
        return self._deliver(message)

    def unavailable(self) -> str | None:
        return self._unavailable() if self._unavailable is not None else None


HANDLERS: dict[str, ChannelHandler] = {
    "delivery.email": ChannelHandler("电子邮件", deliver_email, _email_unavailable),
    "delivery.sms": ChannelHandler("手机短信", deliver_sms, _sms_unavailable),
    "delivery.post": ChannelHandler("邮寄（加入待寄信件）", deliver_post),
}
