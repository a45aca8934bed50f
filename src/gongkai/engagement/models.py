"""区长信箱: letters from the public, the office's reply and completion, and what it chose to publish.

Section 一 of the annual report counts them (收到区长信箱信件 13 件，办结 13 件，办结率 100%): see
``selectors.letters_summary``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LetterStatus(models.TextChoices):
    NEW = "new", _("待答复")
    REPLIED = "replied", _("已答复")
    COMPLETED = "completed", _("已办结")


class Letter(models.Model):
    Status = LetterStatus

    reference = models.CharField(_("信件编号"), max_length=30, unique=True)
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
    published_on = models.DateField(_("公开日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("区长信箱来信")
        verbose_name_plural = _("区长信箱来信")
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

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    @property
    def is_awaiting_reply(self) -> bool:
        return self.status == LetterStatus.NEW

    @property
    def is_completed(self) -> bool:
        return self.status == LetterStatus.COMPLETED
