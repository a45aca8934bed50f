"""The mailbox (区长信箱 / 主任信箱 …, named per office: ``Organisation.mailbox_title``): letters from the
public, their 转办 to a 科室 and the 科室's answer, the office's reply and completion, and the text it chose
to publish (edited apart from the letter, checked for personal data).

Section 一 of the annual report counts them (收到区长信箱信件 13 件，办结 13 件，办结率 100%): see
``selectors.letters_summary``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LetterStatus(models.TextChoices):
    NEW = "new", _("待答复")
    FORWARDED = "forwarded", _("转办中")
    REPLIED = "replied", _("已答复")
    COMPLETED = "completed", _("已办结")


class Letter(models.Model):
    Status = LetterStatus

    reference = models.CharField(_("信件编号"), max_length=30, unique=True)
    # The writer's 查询码, salted and hashed (core.tracking_codes); shown to them once, never stored.
    query_code_hash = models.CharField(_("查询码（散列）"), max_length=128, blank=True, editable=False)
    subject = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("信件内容"))
    anonymous = models.BooleanField(_("匿名"), default=False)
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    submitted_at = models.DateTimeField(_("来信时间"), default=timezone.now)
    received_on = models.DateField(_("收信日期"), db_index=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=LetterStatus.choices, default=LetterStatus.NEW
    )
    reply = models.TextField(_("答复内容"), blank=True)
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("答复人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    completed_on = models.DateField(_("办结日期"), null=True, blank=True, db_index=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("办结人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    # What the portal shows of a published letter: the office's edited text, never the sender.
    is_public = models.BooleanField(_("在门户公开"), default=False)
    public_subject = models.CharField(_("公开标题"), max_length=100, blank=True)
    public_body = models.TextField(
        _("公开的来信内容"), blank=True, help_text=_("删去姓名、电话、住址等个人信息")
    )
    public_reply = models.TextField(_("公开的答复内容"), blank=True)
    published_on = models.DateField(_("公开日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("信箱来信")
        verbose_name_plural = _("信箱来信")
        ordering = ("-submitted_at", "-id")
        constraints = (
            models.CheckConstraint(
                name="letter_anonymous_has_no_contact",
                condition=Q(anonymous=False) | (Q(name="") & Q(phone="") & Q(email="")),
            ),
            models.CheckConstraint(
                name="letter_completed_iff_date",
                condition=(Q(status=LetterStatus.COMPLETED) & Q(completed_on__isnull=False))
                | (~Q(status=LetterStatus.COMPLETED) & Q(completed_on__isnull=True)),
            ),
            models.CheckConstraint(
                name="letter_public_needs_reply",
                condition=Q(is_public=False) | (~Q(reply="") & Q(published_on__isnull=False)),
            ),
        )

    # The 查询码 in clear, only on the instance ``letter_submit`` returns (for the page that shows it once).
    query_code: str = ""

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    @property
    def is_awaiting_reply(self) -> bool:
        return self.status == LetterStatus.NEW

    @property
    def is_completed(self) -> bool:
        return self.status == LetterStatus.COMPLETED


class Forwarding(models.Model):
    """转办: the mailbox office hands a letter to a 科室, which answers by the due date; the office then
    writes the reply to the writer (``Letter.reply``) from the 科室's answer."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="forwardings")
    department = models.ForeignKey(
        "org.Department", verbose_name=_("承办科室"), on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("回复期限"), db_index=True)
    instructions = models.TextField(_("转办意见"), blank=True)
    forwarded_at = models.DateTimeField(_("转办时间"), default=timezone.now)
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("转办人"), on_delete=models.PROTECT, related_name="+"
    )
    answer = models.TextField(_("科室办理意见"), blank=True)
    answered_at = models.DateTimeField(_("科室回复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("科室回复人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    recalled_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("转办")
        verbose_name_plural = _("转办")
        ordering = ("forwarded_at", "id")
        constraints = (
            models.CheckConstraint(
                name="forwarding_answer_has_time",
                condition=(Q(answer="") & Q(answered_at__isnull=True))
                | (~Q(answer="") & Q(answered_at__isnull=False)),
            ),
            models.CheckConstraint(
                name="forwarding_not_answered_and_recalled",
                condition=Q(answered_at__isnull=True) | Q(recalled_at__isnull=True),
            ),
        )

    def __str__(self) -> str:
        return f"{self.letter.reference} → {self.department}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None and self.recalled_at is None

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.is_open and self.due_on < (today or timezone.localdate())

    @property
    def state(self) -> str:
        if self.recalled_at is not None:
            return "已撤回"
        return "已回复" if self.answered_at is not None else "待科室回复"
