"""送达记录, the clerk's queue of letters to post, and the staff's in-app notices."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ServiceChannel(models.TextChoices):
    EMAIL = "email", _("电子邮件")
    # No mail server configured: the message was kept as a file, and nothing reached the applicant.
    EMAIL_FILE = "email_file", _("电子邮件（未配置邮件服务器，仅存为文件，未送达）")
    SMS = "sms", _("手机短信")
    POST = "post", _("邮寄")


class ServiceRecord(models.Model):
    """One notice that reached (or was handed to the post for) an applicant or a letter writer.

    Written when the channel accepted the message (SMTP server, SMS gateway) or, for post, when the clerk
    records the letter as sent; ``delivered_at`` is the basis of the legal 送达 date.
    """

    key = models.CharField(_("幂等键"), max_length=200, unique=True)
    request = models.ForeignKey(
        "inforequests.InfoRequest",
        verbose_name=_("申请"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="service_records",
    )
    letter = models.ForeignKey(
        "engagement.Letter",
        verbose_name=_("来信"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    notice = models.CharField(_("文书类型"), max_length=64)
    notice_title = models.CharField(_("文书"), max_length=100)
    channel = models.CharField(_("送达方式"), max_length=20, choices=ServiceChannel.choices)
    recipient = models.CharField(_("收件人（已隐去部分）"), max_length=200)
    delivered_at = models.DateTimeField(_("送达时间"), db_index=True)
    detail = models.CharField(_("说明"), max_length=300, blank=True)
    message = models.ForeignKey(
        "core.OutboxMessage",
        verbose_name=_("消息"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("送达记录")
        verbose_name_plural = _("送达记录")
        ordering = ("delivered_at", "id")

    def __str__(self) -> str:
        return f"{self.notice_title} {self.get_channel_display()} {self.delivered_at:%Y-%m-%d %H:%M}"

    @property
    def reached_recipient(self) -> bool:
        return self.channel != ServiceChannel.EMAIL_FILE


class PostalItem(models.Model):
    """A notice to be printed and posted by the clerk; its letter is rendered from the case when printed."""

    key = models.CharField(_("幂等键"), max_length=200, unique=True)
    request = models.ForeignKey(
        "inforequests.InfoRequest",
        verbose_name=_("申请"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="postal_items",
    )
    notice = models.CharField(_("文书类型"), max_length=64)
    notice_title = models.CharField(_("文书"), max_length=100)
    event = models.JSONField(_("事件内容"), default=dict)
    message = models.ForeignKey(
        "core.OutboxMessage",
        verbose_name=_("消息"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("加入时间"), default=timezone.now)
    sent_on = models.DateField(_("寄出日期"), null=True, blank=True)
    tracking_number = models.CharField(_("挂号或快递单号"), max_length=60, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("寄出登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("待寄信件")
        verbose_name_plural = _("待寄信件")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.notice_title}（{self.request or '—'}）"

    @property
    def is_sent(self) -> bool:
        return self.sent_on is not None


class StaffNotice(models.Model):
    """A message for one member of staff, shown in the workbench (and e-mailed when they have an address)."""

    key = models.CharField(_("幂等键"), max_length=200, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=200, blank=True)
    tone = models.CharField(_("提示程度"), max_length=10, blank=True)  # "", "warn" or "danger"
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("工作消息")
        verbose_name_plural = _("工作消息")
        ordering = ("-created_at", "-id")
        indexes = (models.Index(fields=("user", "created_at"), name="delivery_notice_user"),)

    def __str__(self) -> str:
        return self.title
