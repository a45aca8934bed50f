"""Shared models: the user, the append-only audit log, the outbox and the working-day calendar table."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.core import calendar_rules
from gongkai.core.audit_verbs import verb_label


class User(AbstractUser):
    """The project's user model; roles and departments live in the ``org`` app, sign-in rules in
    ``org.accounts``."""

    # Set whenever someone other than the person chose the password (a new account, an administrator's
    # reset): until they choose their own, every page sends them to the password change.
    password_change_required = models.BooleanField(_("下次登录须修改密码"), default=False)
    # Only `gongkai demo` sets it, so that a visitor can try every role with the printed password and no
    # authenticator; ignored under GONGKAI_PRODUCTION=1 (org.accounts.demo_exempt).
    demo_account = models.BooleanField(
        _("演示账号"), default=False, help_text=_("免首次改密和二次验证；生产环境下不生效")
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("用户")
        verbose_name_plural = _("用户")


class AuditLogImmutable(Exception):
    """Raised on any attempt to change or remove an audit event."""

    def __init__(self) -> None:
        super().__init__("审计日志只能追加，不能修改或删除")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AuditLogImmutable()

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditLogImmutable()

    # bulk_update goes through update(); these close the remaining bulk write paths.
    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise AuditLogImmutable()


AuditEventManager = models.Manager.from_queryset(AuditEventQuerySet)


class AuditEvent(models.Model):
    """One recorded write: who did what to which object, with the state before and after.

    Append-only: the model and its queryset refuse updates and deletes. Rows are written by
    ``gongkai.core.services.record_event`` inside the service's transaction.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        # A user with history is deactivated, never deleted, so the log keeps its author.
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("为空表示系统操作"),
    )
    verb = models.CharField(_("操作"), max_length=64, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    before = models.JSONField(_("修改前"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("修改后"), null=True, blank=True, encoder=DjangoJSONEncoder)
    occurred_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)

    objects = AuditEventManager()

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ("-occurred_at", "-id")
        indexes = (models.Index(fields=("object_type", "object_id"), name="core_audit_object"),)

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.verb} {self.object_repr}"

    @property
    def verb_label(self) -> str:
        """The verb in Chinese (``AuditVerb``'s label); the stored key itself for an unregistered one."""
        return verb_label(self.verb)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise AuditLogImmutable()
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditLogImmutable()


class OutboxMessage(models.Model):
    """A side effect (webhook, reminder, e-mail) written in the same transaction as the change that
    caused it, delivered later by ``drain_outbox`` (``gongkai tick``)."""

    kind = models.CharField(_("类型"), max_length=64, db_index=True)
    payload = models.JSONField(_("内容"), default=dict, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    # A drainer claims a message until this time so that two concurrent drainers never both send it.
    claimed_until = models.DateTimeField(_("锁定至"), null=True, blank=True)

    class Meta:
        verbose_name = _("待发消息")
        verbose_name_plural = _("待发消息")
        ordering = ("id",)
        indexes = (models.Index(fields=("sent_at", "id"), name="core_outbox_pending"),)

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class CalendarYear(models.Model):
    """One year's 放假安排: the State Council notice as seeded from chinesecalendar or keyed by staff.

    A year without a row is unknown, and every working-day computation touching it refuses.
    """

    class Source(models.TextChoices):
        CHINESECALENDAR = "chinesecalendar", _("chinesecalendar 软件包")
        MANUAL = "manual", _("人工录入")

    year = models.PositiveSmallIntegerField(
        _("年份"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices, default=Source.MANUAL)

    @property
    def is_from_package(self) -> bool:
        return self.source == self.Source.CHINESECALENDAR

    notice_title = models.CharField(
        _("通知标题"),
        max_length=200,
        blank=True,
        help_text=_("如：国务院办公厅关于2027年部分节假日安排的通知"),
    )
    notice_url = models.URLField(_("通知网址"), blank=True)
    notice_text = models.TextField(_("通知正文"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("录入时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("年度放假安排")
        verbose_name_plural = _("年度放假安排")
        ordering = ("-year",)

    def __str__(self) -> str:
        return f"{self.year} 年放假安排"


class CalendarRange(models.Model):
    """A 放假 range (e.g. 国庆节 10月1日至7日) or 调休上班 weekend(s) of one year's notice."""

    class Kind(models.TextChoices):
        HOLIDAY = calendar_rules.HOLIDAY, _("放假")
        WORKDAY_SHIFT = calendar_rules.WORKDAY_SHIFT, _("调休上班")

    calendar_year = models.ForeignKey(
        CalendarYear, verbose_name=_("年份"), on_delete=models.CASCADE, related_name="ranges"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("节日"), max_length=100, help_text=_("如：国庆节"))
    first_day = models.DateField(_("开始日期"))
    last_day = models.DateField(_("结束日期"), help_text=_("单日请填与开始日期相同"))

    class Meta:
        verbose_name = _("放假调休安排")
        verbose_name_plural = _("放假调休安排")
        ordering = ("first_day", "kind")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(first_day__lte=models.F("last_day")), name="core_calendar_range_order"
            ),
        )

    def __str__(self) -> str:
        if self.first_day == self.last_day:
            return f"{self.name} {self.get_kind_display()} {self.first_day}"
        return f"{self.name} {self.get_kind_display()} {self.first_day}至{self.last_day}"

    def as_day_range(self) -> calendar_rules.DayRange:
        return calendar_rules.DayRange(self.kind, self.name, self.first_day, self.last_day)

    def clean(self) -> None:
        # Overlaps with sibling ranges are checked by the year's formset or service, which see them all.
        if self.first_day is None or self.last_day is None or self.calendar_year_id is None:
            return
        errors = calendar_rules.range_errors(self.calendar_year.year, self.as_day_range())
        if errors:
            raise ValidationError(errors)
